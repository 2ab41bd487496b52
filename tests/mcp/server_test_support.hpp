// A JSON-RPC client over pipes for the McpStdioServer tests, and a tool
// handler whose calls the test controls.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "contextweaver/core/json.hpp"
#include "contextweaver/mcp/server.hpp"

namespace mcptest {

using contextweaver::Json;

// Runs a server on a thread, connected to us by two pipes.
class ServerHarness {
 public:
  ServerHarness(contextweaver::McpToolHandler& handler, contextweaver::McpServerOptions options = {}) {
    int to_server[2];
    int from_server[2];
    if (::pipe2(to_server, O_CLOEXEC) != 0 || ::pipe2(from_server, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    write_fd_ = to_server[1];
    read_fd_ = from_server[0];
    server_in_ = to_server[0];
    server_out_ = from_server[1];
    thread_ = std::thread([this, &handler, options] {
      contextweaver::McpStdioServer server(handler, options);
      exit_code_ = server.run(server_in_, server_out_);
      ::close(server_in_);
      ::close(server_out_);  // lets read_line() see the end
    });
  }
  ~ServerHarness() {
    close_input();
    if (thread_.joinable()) thread_.join();
    if (read_fd_ >= 0) ::close(read_fd_);
  }

  void send_raw(const std::string& text) {
    std::string_view rest = text;
    while (!rest.empty()) {
      const ssize_t put = ::write(write_fd_, rest.data(), rest.size());
      if (put <= 0) throw std::runtime_error("write to server failed");
      rest.remove_prefix(static_cast<std::size_t>(put));
    }
  }
  void send(const Json& message) { send_raw(message.dump() + "\n"); }
  void request(int id, const std::string& method, const Json& params = nullptr) {
    Json message{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.is_null()) message["params"] = params;
    send(message);
  }
  void notify(const std::string& method, const Json& params = nullptr) {
    Json message{{"jsonrpc", "2.0"}, {"method", method}};
    if (!params.is_null()) message["params"] = params;
    send(message);
  }
  // The next message from the server; nullopt at its end of output. The
  // generous limit only keeps a broken server from hanging the suite.
  std::optional<Json> read() {
    for (;;) {
      const auto newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        std::string line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        return Json::parse(line);
      }
      pollfd pfd{read_fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 20000) <= 0) throw std::runtime_error("no answer from the server within 20 s");
      char chunk[65536];
      const ssize_t got = ::read(read_fd_, chunk, sizeof chunk);
      if (got <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
  }
  Json call(int id, const std::string& method, const Json& params = nullptr) {
    request(id, method, params);
    auto answer = read();
    if (!answer) throw std::runtime_error("server closed its output");
    return *answer;
  }
  void initialize(const std::string& version = "2025-06-18") {
    call(0, "initialize",
         Json{{"protocolVersion", version},
              {"capabilities", Json::object()},
              {"clientInfo", Json{{"name", "test"}, {"version", "1"}}}});
    notify("notifications/initialized");
  }
  // The client stops reading: the server's writes then fail with EPIPE.
  void close_output_reader() {
    if (read_fd_ >= 0) ::close(read_fd_);
    read_fd_ = -1;
  }
  void close_input() {
    if (write_fd_ >= 0) ::close(write_fd_);
    write_fd_ = -1;
  }
  // Waits for run() to return (after close_input()).
  int join() {
    if (thread_.joinable()) thread_.join();
    return exit_code_;
  }

 private:
  int write_fd_ = -1;
  int read_fd_ = -1;
  int server_in_ = -1;
  int server_out_ = -1;
  std::string buffer_;
  std::thread thread_;
  int exit_code_ = -1;
};

// Tools "echo" (answers at once), "gate" (waits until open_gate()),
// "wait_cancel" (waits for its stop_token), "throw" (throws).
class FakeHandler : public contextweaver::McpToolHandler {
 public:
  explicit FakeHandler(int tool_count = 3) {
    for (int i = 0; i < tool_count; ++i)
      tools_.push_back(
          Json{{"name", "tool_" + std::to_string(i)}, {"description", "d"}, {"inputSchema", Json{{"type", "object"}}}});
  }
  Json list_tools() override { return tools_; }
  Json call_tool(const std::string& name, const Json& arguments, std::stop_token cancel) override {
    if (name == "throw") throw std::runtime_error("handler blew up");
    if (name == "gate") {
      std::unique_lock lock(mutex_);
      ++waiting_;
      changed_.notify_all();
      changed_.wait(lock, [&] { return open_; });
    } else if (name == "wait_cancel") {
      std::unique_lock lock(mutex_);
      ++waiting_;
      changed_.notify_all();
      std::stop_callback wake(cancel, [&] {
        std::lock_guard inner(mutex_);
        changed_.notify_all();
      });
      changed_.wait(lock, [&] { return cancel.stop_requested(); });
      ++cancelled_;
      changed_.notify_all();
    }
    return Json{{"content", Json::array({Json{{"type", "text"}, {"text", name + " " + arguments.dump()}}})},
                {"isError", false}};
  }
  void set_list_changed_notifier(std::function<void()> notify) override {
    std::lock_guard lock(mutex_);
    notify_ = std::move(notify);
  }

  void open_gate() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  void wait_for_waiting(int count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return waiting_ >= count; });
  }
  void wait_for_cancelled(int count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return cancelled_ >= count; });
  }
  void fire_list_changed() {
    std::function<void()> notify;
    {
      std::lock_guard lock(mutex_);
      notify = notify_;
    }
    if (notify) notify();
  }

 private:
  Json tools_ = Json::array();
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  int waiting_ = 0;
  int cancelled_ = 0;
  std::function<void()> notify_;
};

}  // namespace mcptest
