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
  std::string name;     // the key in "mcpServers"
  std::string command;  // looked up on PATH when it has no '/'
  std::vector<std::string> args;
  std::map<std::string, std::string> env;  // added to (and overriding) our environment
  std::optional<std::string> cwd;          // default: ours
  std::chrono::milliseconds call_timeout{30000};
  std::chrono::milliseconds startup_timeout{30000};  // spawn + initialize + first tools/list
};

// Lifecycle: the process is started and initialized (protocol version
// negotiated, notifications/initialized sent) by start(), or lazily by the
// first list_tools()/call_tool(). If it dies, the calls in flight answer
// isError "upstream error: <name> exited (…)", and the next request restarts
// it (at most once per second) and fires the tools-changed listener. stop()
// (and the destructor) ends it for good (docs/gateway.md#shutdown): stdin is
// closed, 500 ms later SIGTERM goes to its process group, 500 ms later
// SIGKILL, and whatever is left of the group (grandchildren) gets SIGKILL.
//
// Details: the child runs in its own process group (so a terminate reaches
// the grandchildren of e.g. `npx`), with SIGPIPE and the signal mask reset to
// their defaults and only fds 0-2 inherited; a command without '/' is looked
// up on the PATH of the child's environment. We send protocolVersion
// 2025-06-18 and accept any of the three supported versions in the answer.
// tools/list pages are followed (each page within startup_timeout). A
// tools/call waits for the smaller of CallOptions::timeout and
// config.call_timeout; on timeout or cancellation notifications/cancelled is
// sent upstream and the result is isError "upstream timeout after <s>s"
// (seconds as Python prints a float, e.g. 30.0) or "upstream call cancelled".
// JSON-RPC errors become "upstream error: <message> (code N)". Death is seen
// as the end of its stdout or its exit (waitpid); every call in flight then
// answers "upstream error: <name> exited (exit code N)" or "(signal S)".
// Requests from the server are answered: ping with {}, anything else −32601.
// We ignore SIGPIPE in the process (unless the host set a disposition) so a
// dying child cannot kill us through its stdin. Thread-safe: one start or
// restart at a time (a mutex), calls in flight share the connection.
class StdioUpstream : public UpstreamCall {
 public:
  explicit StdioUpstream(UpstreamServerConfig config);
  ~StdioUpstream() override;
  StdioUpstream(const StdioUpstream&) = delete;
  StdioUpstream& operator=(const StdioUpstream&) = delete;

  // Starts the server now; UpstreamError (with its stderr tail) when it cannot
  // be launched or does not answer initialize in time.
  void start();
  // Stops the process (see "Lifecycle") and waits for it, at most about a
  // second; afterwards list_tools() throws and call_tool() answers isError
  // instead of starting it again. Idempotent; waits for a start in progress.
  void stop();
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

// SIGKILL to the process group of every upstream process still running in
// this process (StdioUpstream's children). Only for exit paths where no
// destructor runs, e.g. a std::terminate handler (docs/gateway.md#shutdown);
// async-signal-safe.
void kill_all_upstream_process_groups() noexcept;

}  // namespace contextweaver
