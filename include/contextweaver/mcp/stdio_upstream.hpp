// An MCP server launched as a child process and spoken to over its stdin and
// stdout (JSON-RPC 2.0, one message per line); its stderr is passed through to
// ours, prefixed with the server's name.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "contextweaver/mcp/upstream.hpp"

namespace contextweaver {

// One entry of the config's "mcpServers" object.
struct UpstreamServerConfig {
  std::string name;                          // the key in "mcpServers"
  std::string command;                       // looked up on PATH when it has no '/'
  std::vector<std::string> args;
  std::map<std::string, std::string> env;    // added to (and overriding) our environment
  std::optional<std::string> cwd;            // default: ours
  std::chrono::milliseconds call_timeout{30000};
  std::chrono::milliseconds startup_timeout{30000};  // spawn + initialize + first tools/list
};

// Lifecycle: the process is started and initialized (protocol version
// negotiated, notifications/initialized sent) by start(), or lazily by the
// first list_tools()/call_tool(). If it dies, the calls in flight answer
// isError "upstream error: <name> exited (…)", and the next request restarts
// it (at most once per second) and fires the tools-changed listener. The
// destructor closes stdin, waits briefly, then kills the process.
class StdioUpstream : public UpstreamCall {
 public:
  explicit StdioUpstream(UpstreamServerConfig config);
  ~StdioUpstream() override;
  StdioUpstream(const StdioUpstream&) = delete;
  StdioUpstream& operator=(const StdioUpstream&) = delete;

  // Starts the server now; UpstreamError (with its stderr tail) when it cannot
  // be launched or does not answer initialize in time.
  void start();
  std::vector<Json> list_tools() override;
  Json call_tool(const std::string& name, const Json& arguments, const CallOptions& options = {}) override;
  void set_tools_changed_listener(std::function<void()> listener) override;

  const UpstreamServerConfig& config() const;
  // The upstream's initialize result (serverInfo, capabilities, protocolVersion); null before start.
  Json server_info() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace contextweaver
