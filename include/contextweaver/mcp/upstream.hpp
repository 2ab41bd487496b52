// The upstream side of the gateway: something that offers MCP tools and runs
// them (proxy/upstream.py's UpstreamCall protocol).
//
// Implementations: StdioUpstream (an MCP server launched as a child process,
// stdio_upstream.hpp), StubUpstream (in-process, for tests and embedding) and
// MultiplexUpstream (several upstreams seen as one).
//
// Contract shared by every implementation: list_tools() may throw
// UpstreamError; call_tool() never throws for upstream trouble: transport
// failures, timeouts, cancellations and JSON-RPC errors from the upstream come
// back as a CallToolResult {"content":[{"type":"text","text":"upstream …"}],
// "isError":true}. All methods are safe to call from several threads at once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

struct CallOptions {
  // How long to wait for the upstream's answer before giving up with
  // "upstream timeout after <s>s".
  std::chrono::milliseconds timeout{30000};
  // Requested by the client's notifications/cancelled: stop waiting, tell the
  // upstream (notifications/cancelled), and return an isError result.
  std::stop_token cancel;
};

// An isError CallToolResult with one text part: {"content":[{"type":"text","text":text}],"isError":true}.
Json error_call_result(const std::string& text);

// Implementations are thread-safe (the contract above).
class UpstreamCall {
 public:
  virtual ~UpstreamCall() = default;
  // Every tool the upstream offers now: MCP tool definitions ({name,
  // description, inputSchema, outputSchema?, annotations?, _meta?}), with all
  // pagination cursors followed. UpstreamError when it cannot be reached.
  virtual std::vector<Json> list_tools() = 0;
  // Runs the tool `name` (the upstream's own name) and returns its
  // CallToolResult as JSON (see the contract above).
  virtual Json call_tool(const std::string& name, const Json& arguments, const CallOptions& options = {}) = 0;
  // `listener` runs whenever the upstream's tools may have changed (it sent
  // notifications/tools/list_changed, or it was restarted). It may run on an
  // internal thread; it must not call back into this upstream synchronously.
  virtual void set_tools_changed_listener(std::function<void()> listener) = 0;
};

// In-process upstream (StubUpstream): fixed tool definitions and an optional
// handler. Without a handler every call answers isError "stub upstream has no
// handler for '<name>'". Thread-safe: its state is behind a mutex; the handler
// may run on several threads at once.
class StubUpstream : public UpstreamCall {
 public:
  using Handler = std::function<Json(const std::string& name, const Json& arguments)>;
  explicit StubUpstream(std::vector<Json> tool_defs, Handler handler = nullptr);
  std::vector<Json> list_tools() override;
  Json call_tool(const std::string& name, const Json& arguments, const CallOptions& options = {}) override;
  void set_tools_changed_listener(std::function<void()> listener) override;
  // Replaces the tool definitions and fires the tools-changed listener.
  void set_tools(std::vector<Json> tool_defs);

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// Several upstreams as one (MultiplexUpstream): the union of their listings,
// each call routed to the upstream that owns the name. The first source wins a
// duplicate raw name; the later ones are reported by duplicate_names() rather
// than dropped silently. Unknown name → isError "no upstream owns tool '<name>'".
// A source whose list_tools() throws is left out of that listing (and logged
// as a warning to the "contextweaver.mcp" log sink) so one broken server does
// not hide the others; list_tools() throws UpstreamError only when every
// source fails. A call before any list_tools() lists first. Thread-safe: the
// ownership map is behind a mutex, calls run without it.
class MultiplexUpstream : public UpstreamCall {
 public:
  struct Source {
    std::string name;  // the server's name in the config (e.g. "filesystem")
    std::shared_ptr<UpstreamCall> upstream;
  };
  explicit MultiplexUpstream(std::vector<Source> sources);
  std::vector<Json> list_tools() override;
  Json call_tool(const std::string& name, const Json& arguments, const CallOptions& options = {}) override;
  void set_tools_changed_listener(std::function<void()> listener) override;
  // "<tool> offered by <a> and <b>; <b>'s is hidden" lines from the last list_tools().
  std::vector<std::string> duplicate_names() const;
  // The config name of the source that owns a raw tool name ("" when none), as of the last list_tools().
  std::string owner_of(const std::string& tool_name) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace contextweaver
