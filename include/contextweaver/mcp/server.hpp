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
//
// Decisions, in detail:
// - ping is answered before initialize too; any other request before the
//   initialize answer gets −32002. Requests are accepted as soon as initialize
//   was answered (notifications/initialized is not waited for). A repeated
//   initialize is answered again.
// - tools/list cursors are base64url text of an offset into the handler's
//   current list; anything else (including a non-string) is −32602. A cursor
//   past the end of a list that shrank gives an empty last page.
// - A JSON array (a batch) is answered with one −32600 with id null: MCP
//   2025-06-18 removed JSON-RPC batching, and the older versions' clients do
//   not send them in practice. Blank lines are ignored. Responses sent to us
//   are ignored; unknown notifications are ignored.
// - A line over max_line_bytes is dropped while it streams in (never held
//   whole) and answered with −32600, id null (its id is unknown).
// - tools/call runs on a pool of at most max_concurrent_calls threads; more
//   calls wait in order while the reader keeps serving ping, tools/list and
//   cancellations. A call cancelled before it starts is never run; a call
//   cancelled while running gets no answer even if it completes. A request id
//   already in flight is answered −32600.
// - list_changed is sent only after the initialize answer; the notifier
//   given to the handler stays callable after run() returns (it then does
//   nothing).
// - Writing to a closed stdout must not kill the process: run() sets SIGPIPE
//   to SIG_IGN unless the host installed its own disposition; once a write
//   fails, further output is dropped and run() returns 1 at end of input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

// What a gateway or proxy offers through the server. Must be thread-safe:
// call_tool runs on the server's worker threads, several at once, while
// list_tools runs on its reader thread.
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
  std::string version;                            // default: the library's version
  std::string instructions;                       // omitted when empty
  std::size_t page_size = 100;                    // tools per tools/list page
  std::size_t max_line_bytes = 16 * 1024 * 1024;  // longer lines: −32600, and the line is skipped
  std::size_t max_concurrent_calls = 16;
  // When this descriptor becomes readable (e.g. the read end of a self-pipe
  // a signal handler writes to), run() stops reading, cancels the calls in
  // flight and queued (they get no answer, as after notifications/cancelled),
  // waits for its workers and returns. It is polled, never read. -1: none.
  int stop_fd = -1;
};

// run() serves one connection on the calling thread (and its own workers);
// not thread-safe: one run() at a time per server object.
class McpStdioServer {
 public:
  McpStdioServer(McpToolHandler& handler, McpServerOptions options = {});
  // Serves until end of input on in_fd (or options.stop_fd is readable);
  // returns 0, or 1 when in_fd/out_fd fail.
  int run(int in_fd = 0, int out_fd = 1);

 private:
  McpToolHandler& handler_;
  McpServerOptions options_;
};

}  // namespace contextweaver
