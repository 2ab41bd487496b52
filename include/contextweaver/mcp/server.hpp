// The MCP server side: JSON-RPC 2.0 over a pair of file descriptors (stdio),
// one message per line. stdout carries protocol only; logs go to stderr.
//
// Speaks: initialize (protocol versions 2024-11-05, 2025-03-26, 2025-06-18:
// the client's if supported, else the latest), notifications/initialized,
// ping, tools/list (paginated with opaque cursors), tools/call (each call on
// its own worker, so slow calls do not block others; answers may come out of
// order), notifications/cancelled (the call's stop_token is requested and no
// answer is sent for it), and sends notifications/tools/list_changed when the
// handler reports a change. Errors: parse error −32700 (malformed line),
// invalid request −32600 (not a JSON-RPC 2.0 request, or a line over
// max_line_bytes), method not found −32601, invalid params −32602, requests
// before initialize −32002. Every request gets exactly one answer unless it
// was cancelled; at end of input the server waits for calls in flight, then
// returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

// What a gateway or proxy offers through the server.
class McpToolHandler {
 public:
  virtual ~McpToolHandler() = default;
  // [{name, description, inputSchema}] in the order to list them.
  virtual Json list_tools() = 0;
  // A CallToolResult {content:[…], isError}. Tool-level failures are results
  // with isError true, never exceptions; an exception escaping here becomes a
  // JSON-RPC internal error (−32603).
  virtual Json call_tool(const std::string& name, const Json& arguments, std::stop_token cancel) = 0;
  // The server registers `notify`; the handler calls it when its tool list changed.
  virtual void set_list_changed_notifier(std::function<void()> notify) = 0;
};

struct McpServerOptions {
  std::string name = "contextweaver-gateway";
  std::string version;       // default: the library's version
  std::string instructions;  // omitted when empty
  std::size_t page_size = 100;                        // tools per tools/list page
  std::size_t max_line_bytes = 16 * 1024 * 1024;      // longer lines: −32600, and the line is skipped
  std::size_t max_concurrent_calls = 16;
};

class McpStdioServer {
 public:
  McpStdioServer(McpToolHandler& handler, McpServerOptions options = {});
  // Serves until end of input on in_fd; returns 0, or 1 when in_fd/out_fd fail.
  int run(int in_fd = 0, int out_fd = 1);

 private:
  McpToolHandler& handler_;
  McpServerOptions options_;
};

}  // namespace contextweaver
