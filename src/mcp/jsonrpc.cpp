// JSON-RPC line framing (jsonrpc.hpp).
#include "jsonrpc.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <mutex>

namespace contextweaver::mcp_detail {
namespace {
constexpr std::size_t kChunk = 64 * 1024;
}

bool is_supported_protocol_version(const std::string& version) {
  return std::any_of(std::begin(kProtocolVersions), std::end(kProtocolVersions),
                     [&](const char* known) { return version == known; });
}

LineReader::LineReader(int fd, std::size_t max_line_bytes) : fd_(fd), max_(max_line_bytes) {}

bool LineReader::take_line(std::string& line, Result& result) {
  const std::size_t newline = buffer_.find('\n', std::max(scanned_, start_));
  if (newline == std::string::npos) {
    scanned_ = buffer_.size();
    if (!discarding_ && buffer_.size() - start_ > max_) discarding_ = true;
    if (discarding_) {
      // Keep nothing of an oversized line: memory stays bounded by one chunk.
      buffer_.clear();
      start_ = scanned_ = 0;
    } else if (start_ > 0) {
      buffer_.erase(0, start_);  // compact once per read, not once per line
      scanned_ -= start_;
      start_ = 0;
    }
    return false;
  }
  std::size_t end = newline;
  if (end > start_ && buffer_[end - 1] == '\r') --end;
  if (discarding_ || end - start_ > max_) {
    discarding_ = false;
    line.clear();
    result = Result::oversized;
  } else {
    line.assign(buffer_, start_, end - start_);
    result = Result::line;
  }
  start_ = newline + 1;
  scanned_ = start_;
  return true;
}

LineReader::Result LineReader::next(std::string& line, int wait_ms) {
  Result result;
  for (;;) {
    if (take_line(line, result)) return result;
    if (eof_) {
      if (discarding_) {
        discarding_ = false;
        line.clear();
        return Result::oversized;
      }
      if (buffer_.size() > start_) {
        line.assign(buffer_, start_, std::string::npos);
        buffer_.clear();
        start_ = scanned_ = 0;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return Result::line;
      }
      return Result::eof;
    }
    pollfd pfd{fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return Result::error;
    }
    if (ready == 0) return Result::idle;
    const std::size_t old = buffer_.size();
    buffer_.resize(old + kChunk);
    const ssize_t got = ::read(fd_, buffer_.data() + old, kChunk);
    if (got < 0) {
      buffer_.resize(old);
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      if (errno == EIO || errno == ECONNRESET) {
        eof_ = true;  // a vanished peer reads as end of input
        continue;
      }
      return Result::error;
    }
    buffer_.resize(old + static_cast<std::size_t>(got));
    if (got == 0) eof_ = true;
  }
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t put = ::write(fd, data.data(), data.size());
    if (put < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        pollfd pfd{fd, POLLOUT, 0};
        if (::poll(&pfd, 1, -1) < 0 && errno != EINTR) return false;
        continue;
      }
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(put));
  }
  return true;
}

void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      struct sigaction ignore {};
      ignore.sa_handler = SIG_IGN;
      sigemptyset(&ignore.sa_mask);
      ::sigaction(SIGPIPE, &ignore, nullptr);
    }
  });
}

std::string compact_text(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string to_line(const Json& message) {
  std::string text = compact_text(message);
  text += '\n';
  return text;
}

Json make_result(const Json& id, Json result) {
  Json message = Json::object();
  message["jsonrpc"] = "2.0";
  message["id"] = id;
  message["result"] = std::move(result);
  return message;
}

Json make_error(const Json& id, int code, const std::string& text) {
  Json error = Json::object();
  error["code"] = code;
  error["message"] = text;
  Json message = Json::object();
  message["jsonrpc"] = "2.0";
  message["id"] = id;
  message["error"] = std::move(error);
  return message;
}

Json make_notification(const std::string& method, Json params) {
  Json message = Json::object();
  message["jsonrpc"] = "2.0";
  message["method"] = method;
  if (!params.is_null()) message["params"] = std::move(params);
  return message;
}

}  // namespace contextweaver::mcp_detail
