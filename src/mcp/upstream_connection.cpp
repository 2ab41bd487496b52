// UpstreamConnection (upstream_connection.hpp).
#include "upstream_connection.hpp"

#include <unistd.h>

#include "contextweaver/core/errors.hpp"
#include "jsonrpc.hpp"

namespace contextweaver::mcp_detail {
namespace {

constexpr int kPollMs = 100;                          // how often readers look at the exit status / stop flag
constexpr std::size_t kMaxUpstreamLine = 256u << 20;  // an answer larger than this is dropped (the call times out)
constexpr std::size_t kTailLines = 20;

// Lines to our stderr from several upstreams never interleave.
std::mutex& stderr_mutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

UpstreamConnection::UpstreamConnection(std::string name, std::unique_ptr<ChildProcess> child,
                                       std::function<void()> on_list_changed)
    : name_(std::move(name)), child_(std::move(child)), on_list_changed_(std::move(on_list_changed)) {
  stdout_thread_ = std::thread([this] { read_stdout(); });
  stderr_thread_ = std::thread([this] { read_stderr(); });
}

UpstreamConnection::~UpstreamConnection() {
  shutdown();
}

void UpstreamConnection::shutdown(std::chrono::milliseconds grace) {
  std::lock_guard guard(shutdown_mutex_);
  stopping_ = true;
  if (child_) child_->terminate(grace);
  if (stdout_thread_.joinable()) stdout_thread_.join();
  if (stderr_thread_.joinable()) stderr_thread_.join();
}

bool UpstreamConnection::dead() const {
  std::lock_guard lock(mutex_);
  return dead_;
}

std::string UpstreamConnection::stderr_tail() const {
  std::lock_guard lock(tail_mutex_);
  std::string text;
  for (const std::string& line : tail_) {
    if (!text.empty()) text += " | ";
    text += line;
  }
  return text;
}

void UpstreamConnection::notify(const std::string& method, Json params) {
  child_->write(to_line(make_notification(method, std::move(params))));
}

RequestOutcome UpstreamConnection::request(const std::string& method, Json params, std::chrono::milliseconds timeout,
                                           std::stop_token cancel) {
  auto pending = std::make_shared<Pending>();
  std::int64_t id;
  {
    std::lock_guard lock(mutex_);
    if (dead_) return {RequestOutcome::Kind::dead, nullptr, death_};
    id = next_id_++;
    pending_.emplace(id, pending);
  }
  Json message = Json::object();
  message["jsonrpc"] = "2.0";
  message["id"] = id;
  message["method"] = method;
  if (!params.is_null()) message["params"] = std::move(params);
  // A failed write means the process is going away; its death is detected by
  // the reader, so the wait below ends with `dead` rather than a guess here.
  child_->write(to_line(message));

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::stop_callback wake(cancel, [this] {
    std::lock_guard lock(mutex_);
    changed_.notify_all();
  });
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, deadline, [&] { return pending->done || dead_ || cancel.stop_requested(); });
  pending_.erase(id);
  if (pending->done) {
    Json& response = pending->response;
    if (response.contains("error")) return {RequestOutcome::Kind::error, response["error"], ""};
    return {RequestOutcome::Kind::result, response.contains("result") ? response["result"] : Json(nullptr), ""};
  }
  if (dead_) return {RequestOutcome::Kind::dead, nullptr, death_};
  lock.unlock();
  const bool cancelled = cancel.stop_requested();
  Json note = Json::object();
  note["requestId"] = id;
  note["reason"] = cancelled ? "cancelled by the client" : "timeout";
  notify("notifications/cancelled", std::move(note));
  return {cancelled ? RequestOutcome::Kind::cancelled : RequestOutcome::Kind::timeout, nullptr, ""};
}

void UpstreamConnection::mark_dead(const std::string& death) {
  std::lock_guard lock(mutex_);
  dead_ = true;
  death_ = death;
  changed_.notify_all();
}

void UpstreamConnection::read_stdout() {
  LineReader reader(child_->stdout_fd(), kMaxUpstreamLine);
  std::string line;
  for (;;) {
    const auto got = reader.next(line, kPollMs);
    if (got == LineReader::Result::line) {
      handle(line);
    } else if (got == LineReader::Result::idle) {
      // stdout may stay open in a grandchild after the process itself died.
      if (stopping_ || child_->try_wait()) break;
    } else if (got == LineReader::Result::oversized) {
      std::lock_guard lock(stderr_mutex());
      write_all(2, "[" + name_ + "] contextweaver: dropped a message longer than " + std::to_string(kMaxUpstreamLine) +
                       " bytes\n");
    } else {
      break;  // eof or error
    }
  }
  if (stopping_) {
    mark_dead(name_ + " exited (stopped by the gateway)");
    return;
  }
  // Its stdout is gone: the process is dying or dead. Give it a moment to exit
  // on its own so the status is its own, then end it.
  // terminate() also clears out what is left of its process group.
  child_->wait_for(std::chrono::milliseconds(1000));
  const int final_status = child_->terminate(std::chrono::milliseconds(100));
  mark_dead(name_ + " exited (" + ChildProcess::describe(final_status) + ")");
}

void UpstreamConnection::handle(const std::string& line) {
  if (line.find_first_not_of(" \t") == std::string::npos) return;
  Json message;
  try {
    message = loads(line);
  } catch (const ContextWeaverError& error) {
    std::lock_guard lock(stderr_mutex());
    write_all(2, "[" + name_ + "] contextweaver: not JSON-RPC on stdout: " + std::string(error.what()) + "\n");
    return;
  }
  if (!message.is_object()) return;
  const auto method = message.find("method");
  if (method != message.end() && method->is_string()) {
    if (message.contains("id")) {
      // A request from the server to us: we offer no client features, but
      // answer so that it never waits.
      const Json& id = message["id"];
      if (*method == "ping") {
        child_->write(to_line(make_result(id, Json::object())));
      } else {
        child_->write(to_line(make_error(id, kMethodNotFound, "Method not found: " + method->get<std::string>())));
      }
    } else if (*method == "notifications/tools/list_changed" && on_list_changed_) {
      on_list_changed_();
    }
    return;
  }
  const auto id = message.find("id");
  if (id == message.end() || !id->is_number_integer()) return;  // not an answer to one of ours
  std::lock_guard lock(mutex_);
  auto it = pending_.find(id->get<std::int64_t>());
  if (it == pending_.end()) return;  // timed out or cancelled already
  it->second->done = true;
  it->second->response = std::move(message);
  changed_.notify_all();
}

void UpstreamConnection::read_stderr() {
  LineReader reader(child_->stderr_fd(), 64 * 1024);
  std::string line;
  for (;;) {
    const auto got = reader.next(line, kPollMs);
    if (got == LineReader::Result::idle) {
      if (stopping_) break;
      continue;
    }
    if (got == LineReader::Result::eof || got == LineReader::Result::error) break;
    if (got == LineReader::Result::oversized) line = "(a line longer than 64 KiB was skipped)";
    {
      std::lock_guard lock(stderr_mutex());
      write_all(2, "[" + name_ + "] " + line + "\n");
    }
    std::lock_guard lock(tail_mutex_);
    tail_.push_back(line);
    if (tail_.size() > kTailLines) tail_.pop_front();
  }
}

}  // namespace contextweaver::mcp_detail
