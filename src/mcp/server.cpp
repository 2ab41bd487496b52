// McpStdioServer (server.hpp): the reader loop and request dispatch. Calls run
// on a bounded worker pool (call_pool.hpp); every line written goes through
// one mutex so that concurrent answers never interleave.
#include "contextweaver/mcp/server.hpp"

#include <fcntl.h>
#include <poll.h>

#include <atomic>
#include <cerrno>
#include <exception>
#include <map>
#include <memory>
#include <mutex>

#include "contextweaver/core/errors.hpp"
#include "call_pool.hpp"
#include "jsonrpc.hpp"
#include "server_cursor.hpp"

namespace contextweaver {
namespace {
using namespace mcp_detail;

// The library's version (CMake project VERSION), reported as serverInfo.version
// when the options leave it empty.
constexpr const char* kLibraryVersion = "0.1.0";

// The single writer: one line at a time; after the first failed write
// (client gone) further output is dropped.
struct Output {
  int fd;
  std::mutex mutex;
  bool failed = false;
  bool closed = false;       // run() returned: the notifier must not write any more
  bool initialized = false;  // the initialize answer is out: notifications may follow
  void send(const Json& message) { send_line(to_line(message), false); }
  // Marks the session initialized in the same critical section as the write,
  // so no notification can precede the initialize answer nor be lost after it.
  void send_initialize_answer(const Json& message) { send_line(to_line(message), true); }
  void send_notification(const Json& message) {
    const std::string line = to_line(message);
    std::lock_guard lock(mutex);
    if (initialized && !failed && !closed && !write_all(fd, line)) failed = true;
  }

 private:
  void send_line(const std::string& line, bool mark_initialized) {
    std::lock_guard lock(mutex);
    if (mark_initialized) initialized = true;
    if (failed || closed) return;
    if (!write_all(fd, line)) failed = true;
  }
};

bool valid_id(const Json& id) {
  return id.is_string() || id.is_number_integer();
}

class Session {
 public:
  Session(McpToolHandler& handler, const McpServerOptions& options, std::shared_ptr<Output> out,
          std::shared_ptr<std::atomic<bool>> initialized)
      : handler_(handler),
        options_(options),
        out_(std::move(out)),
        initialized_(std::move(initialized)),
        pool_(options.max_concurrent_calls == 0 ? 1 : options.max_concurrent_calls) {}

  void on_line(const std::string& line) {
    Json message;
    try {
      message = loads(line);
    } catch (const ContextWeaverError& error) {
      out_->send(make_error(nullptr, kParseError, std::string("Parse error: ") + error.what()));
      return;
    }
    if (message.is_array()) {
      // MCP 2025-06-18 removed JSON-RPC batching; one answer for the whole array.
      out_->send(make_error(nullptr, kInvalidRequest, "Invalid Request: batches are not supported"));
      return;
    }
    if (!message.is_object()) {
      out_->send(make_error(nullptr, kInvalidRequest, "Invalid Request: not a JSON-RPC 2.0 object"));
      return;
    }
    const bool has_id = message.contains("id");
    const Json id = has_id && valid_id(message["id"]) ? message["id"] : Json(nullptr);
    if (has_id && id.is_null()) {
      out_->send(make_error(nullptr, kInvalidRequest, "Invalid Request: id must be a string or an integer"));
      return;
    }
    const auto version = message.find("jsonrpc");
    if (version == message.end() || *version != "2.0") {
      out_->send(make_error(id, kInvalidRequest, "Invalid Request: \"jsonrpc\" must be \"2.0\""));
      return;
    }
    const auto method = message.find("method");
    if (method == message.end()) {
      // A response to a request of ours (we send none) is ignored; anything
      // else without a method is malformed.
      if (has_id && (message.contains("result") || message.contains("error"))) return;
      out_->send(make_error(id, kInvalidRequest, "Invalid Request: \"method\" is missing"));
      return;
    }
    if (!method->is_string()) {
      if (has_id) out_->send(make_error(id, kInvalidRequest, "Invalid Request: \"method\" must be a string"));
      return;
    }
    const Json params = message.contains("params") ? message["params"] : Json(nullptr);
    if (!params.is_null() && !params.is_object()) {
      if (has_id) out_->send(make_error(id, kInvalidParams, "Invalid params: \"params\" must be an object"));
      return;
    }
    if (!has_id) {
      on_notification(method->get<std::string>(), params);
      return;
    }
    on_request(id, method->get<std::string>(), params);
  }

  void oversized() {
    out_->send(make_error(
        nullptr, kInvalidRequest,
        "Invalid Request: message longer than " + std::to_string(options_.max_line_bytes) + " bytes was skipped"));
  }

  // End of input: every accepted call still gets its answer.
  void finish() { pool_.close_and_join(); }

  // A stop (McpServerOptions::stop_fd): every call in flight or queued is
  // cancelled, so finish() does not wait on slow upstreams.
  void cancel_all() {
    std::lock_guard lock(calls_mutex_);
    for (auto& [key, stop] : calls_) stop.request_stop();
  }

 private:
  void on_notification(const std::string& method, const Json& params) {
    if (method == "notifications/cancelled") {
      if (!params.is_object() || !params.contains("requestId")) return;
      const std::string key = compact_text(params["requestId"]);
      std::lock_guard lock(calls_mutex_);
      auto it = calls_.find(key);
      if (it != calls_.end()) it->second.request_stop();
    }
    // notifications/initialized and anything else need no action.
  }

  void on_request(const Json& id, const std::string& method, const Json& params) {
    if (method == "ping") {
      out_->send(make_result(id, Json::object()));
    } else if (method == "initialize") {
      initialize(id, params);
    } else if (!initialized_->load()) {
      out_->send(make_error(id, kServerNotInitialized, "Server not initialized: send initialize first"));
    } else if (method == "tools/list") {
      list_tools(id, params);
    } else if (method == "tools/call") {
      call_tool(id, params);
    } else {
      out_->send(make_error(id, kMethodNotFound, "Method not found: " + method));
    }
  }

  void initialize(const Json& id, const Json& params) {
    if (!params.is_object() || !params.contains("protocolVersion") || !params["protocolVersion"].is_string()) {
      out_->send(make_error(id, kInvalidParams, "Invalid params: initialize needs a string \"protocolVersion\""));
      return;
    }
    const std::string asked = params["protocolVersion"].get<std::string>();
    Json result = Json::object();
    result["protocolVersion"] = is_supported_protocol_version(asked) ? asked : kLatestProtocolVersion;
    result["capabilities"] = Json::object();
    result["capabilities"]["tools"] = Json::object();
    result["capabilities"]["tools"]["listChanged"] = true;
    result["serverInfo"] = Json::object();
    result["serverInfo"]["name"] = options_.name;
    result["serverInfo"]["version"] = options_.version.empty() ? kLibraryVersion : options_.version;
    if (!options_.instructions.empty()) result["instructions"] = options_.instructions;
    out_->send_initialize_answer(make_result(id, std::move(result)));
    // Requests are accepted from here on; notifications/initialized is not
    // waited for, as clients may pipeline it with their first request.
    initialized_->store(true);
  }

  void list_tools(const Json& id, const Json& params) {
    std::size_t offset = 0;
    if (params.is_object() && params.contains("cursor") && !params["cursor"].is_null()) {
      const Json& cursor = params["cursor"];
      if (!cursor.is_string() || !decode_cursor(cursor.get<std::string>(), offset)) {
        out_->send(make_error(id, kInvalidParams, "Invalid params: unknown cursor"));
        return;
      }
    }
    Json tools;
    try {
      tools = handler_.list_tools();
    } catch (const std::exception& error) {
      out_->send(make_error(id, kInternalError, std::string("Internal error: ") + error.what()));
      return;
    }
    if (!tools.is_array()) tools = Json::array();
    const std::size_t page = options_.page_size == 0 ? tools.size() : options_.page_size;
    Json result = Json::object();
    result["tools"] = Json::array();
    // A list that shrank since the cursor was issued yields an empty last page.
    const std::size_t end = offset >= tools.size() ? offset : std::min(tools.size(), offset + page);
    for (std::size_t i = offset; i < end; ++i) result["tools"].push_back(std::move(tools[i]));
    if (end < tools.size()) result["nextCursor"] = encode_cursor(end);
    out_->send(make_result(id, std::move(result)));
  }

  void call_tool(const Json& id, const Json& params) {
    if (!params.is_object() || !params.contains("name") || !params["name"].is_string()) {
      out_->send(make_error(id, kInvalidParams, "Invalid params: tools/call needs a string \"name\""));
      return;
    }
    Json arguments = params.contains("arguments") ? params["arguments"] : Json::object();
    if (arguments.is_null()) arguments = Json::object();
    if (!arguments.is_object()) {
      out_->send(make_error(id, kInvalidParams, "Invalid params: \"arguments\" must be an object"));
      return;
    }
    const std::string key = compact_text(id);
    std::stop_source stop;
    {
      std::lock_guard lock(calls_mutex_);
      if (!calls_.emplace(key, stop).second) {
        out_->send(make_error(id, kInvalidRequest, "Invalid Request: id " + key + " is already in use"));
        return;
      }
    }
    pool_.submit([this, id, key, stop, name = params["name"].get<std::string>(), arguments = std::move(arguments)] {
      run_call(id, key, stop, name, arguments);
    });
  }

  void run_call(const Json& id, const std::string& key, std::stop_source stop, const std::string& name,
                const Json& arguments) {
    Json answer;
    if (!stop.stop_requested()) {
      try {
        answer = make_result(id, handler_.call_tool(name, arguments, stop.get_token()));
      } catch (const std::exception& error) {
        answer = make_error(id, kInternalError, std::string("Internal error: ") + error.what());
      } catch (...) {
        answer = make_error(id, kInternalError, "Internal error: unknown exception");
      }
    }
    {
      std::lock_guard lock(calls_mutex_);
      calls_.erase(key);
    }
    // A cancelled request gets no answer (MCP cancellation), even if it finished.
    if (!stop.stop_requested()) out_->send(answer);
  }

  McpToolHandler& handler_;
  const McpServerOptions& options_;
  std::shared_ptr<Output> out_;
  std::shared_ptr<std::atomic<bool>> initialized_;
  std::mutex calls_mutex_;
  std::map<std::string, std::stop_source> calls_;  // in flight, by the id's JSON text
  CallPool pool_;
};

bool fd_open(int fd) {
  return fd >= 0 && ::fcntl(fd, F_GETFD) != -1;
}

// Whether `fd` is readable now (or hung up).
bool readable_now(int fd) {
  pollfd pfd{fd, POLLIN, 0};
  int ready;
  do {
    ready = ::poll(&pfd, 1, 0);
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

// Blocks until in_fd has input (or an error or hang-up for the reader to
// report) or stop_fd is readable; false when it is the stop.
bool wait_for_input(int in_fd, int stop_fd) {
  pollfd fds[2] = {{in_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
  for (;;) {
    const int ready = ::poll(fds, 2, -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready > 0 && fds[1].revents != 0) return false;
    return true;
  }
}

}  // namespace

McpStdioServer::McpStdioServer(McpToolHandler& handler, McpServerOptions options)
    : handler_(handler), options_(std::move(options)) {}

int McpStdioServer::run(int in_fd, int out_fd) {
  if (!fd_open(in_fd) || !fd_open(out_fd)) return 1;
  ignore_sigpipe();
  auto out = std::make_shared<Output>();
  out->fd = out_fd;
  auto initialized = std::make_shared<std::atomic<bool>>(false);
  // The notifier may outlive run() inside the handler: it holds the output by
  // shared_ptr and goes quiet once run() has returned.
  handler_.set_list_changed_notifier(
      [out] { out->send_notification(make_notification("notifications/tools/list_changed", nullptr)); });
  Session session(handler_, options_, out, initialized);
  LineReader reader(in_fd, options_.max_line_bytes);
  std::string line;
  bool read_failed = false;
  const int stop_fd = options_.stop_fd;
  bool stopped = false;
  for (;;) {
    // With a stop descriptor the reader never blocks: the wait is on both.
    if (stop_fd >= 0 && readable_now(stop_fd)) {
      stopped = true;
      break;
    }
    const auto got = reader.next(line, stop_fd >= 0 ? 0 : -1);
    if (got == LineReader::Result::idle) {
      if (!wait_for_input(in_fd, stop_fd)) {
        stopped = true;
        break;
      }
    } else if (got == LineReader::Result::line) {
      if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines are not messages
      session.on_line(line);
    } else if (got == LineReader::Result::oversized) {
      session.oversized();
    } else if (got == LineReader::Result::eof) {
      break;
    } else if (got == LineReader::Result::error) {
      read_failed = true;
      break;
    }
  }
  if (stopped) session.cancel_all();
  session.finish();
  handler_.set_list_changed_notifier([] {});
  bool write_failed;
  {
    std::lock_guard lock(out->mutex);
    out->closed = true;
    write_failed = out->failed;
  }
  return read_failed || write_failed ? 1 : 0;
}

}  // namespace contextweaver
