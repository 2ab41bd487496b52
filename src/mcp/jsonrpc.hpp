// Private JSON-RPC 2.0 line framing shared by the server and the stdio
// upstream: one message per line, lines capped without buffering them whole,
// and writes that never raise SIGPIPE into the process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "contextweaver/core/json.hpp"

namespace contextweaver::mcp_detail {

// The protocol versions we speak, oldest first; the last one is preferred.
inline constexpr const char* kProtocolVersions[] = {"2024-11-05", "2025-03-26", "2025-06-18"};
inline constexpr const char* kLatestProtocolVersion = "2025-06-18";
bool is_supported_protocol_version(const std::string& version);

// JSON-RPC error codes used by both sides.
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerNotInitialized = -32002;

// Reads newline-terminated lines from a file descriptor (blocking or not).
// A line longer than max_line_bytes is dropped as it streams in: at most
// max_line_bytes plus one read chunk is ever held, and next() reports
// `oversized` once its newline (or the end of input) is reached.
class LineReader {
 public:
  enum class Result { line, oversized, eof, error, idle };
  LineReader(int fd, std::size_t max_line_bytes);
  // Waits at most wait_ms for input (-1: forever); `idle` when none came.
  // A final line without newline is still returned before `eof`. A trailing
  // '\r' is removed.
  Result next(std::string& line, int wait_ms = -1);

 private:
  bool take_line(std::string& line, Result& result);
  int fd_;
  std::size_t max_;
  std::string buffer_;
  std::size_t start_ = 0;    // where the next line begins in buffer_
  std::size_t scanned_ = 0;  // bytes of buffer_ known to hold no '\n'
  bool discarding_ = false;  // inside an oversized line
  bool eof_ = false;
};

// Writes all of `data`, retrying on EINTR and waiting out EAGAIN. False when
// the peer is gone (EPIPE) or the descriptor fails. Callers serialize writes.
bool write_all(int fd, std::string_view data);

// Makes writing to a closed pipe return EPIPE instead of killing the process:
// SIGPIPE is set to SIG_IGN unless the host already installed a handler or
// ignores it. Children we spawn get the default disposition back.
void ignore_sigpipe();

// Compact one-line JSON (UTF-8 kept; invalid UTF-8 replaced with U+FFFD) + "\n".
std::string to_line(const Json& message);

// value.dump() with ill-formed UTF-8 replaced by U+FFFD: nlohmann's dump
// throws on it, and a peer may put any bytes inside a JSON string.
std::string compact_text(const Json& value);

Json make_result(const Json& id, Json result);
Json make_error(const Json& id, int code, const std::string& message);
Json make_notification(const std::string& method, Json params);

}  // namespace contextweaver::mcp_detail
