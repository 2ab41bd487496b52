// One running upstream process and the JSON-RPC traffic with it: a reader
// thread matching answers to requests by id, a thread passing its stderr on,
// and death detection (end of its stdout, or its exit seen by waitpid).
// Private to StdioUpstream.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "child_process.hpp"
#include "contextweaver/core/json.hpp"

namespace contextweaver::mcp_detail {

struct RequestOutcome {
  enum class Kind { result, error, timeout, cancelled, dead } kind;
  Json value;         // the result, or the JSON-RPC error object
  std::string death;  // "<name> exited (exit code 1)" when dead
};

class UpstreamConnection {
 public:
  UpstreamConnection(std::string name, std::unique_ptr<ChildProcess> child, std::function<void()> on_list_changed);
  ~UpstreamConnection();  // shutdown()
  UpstreamConnection(const UpstreamConnection&) = delete;
  UpstreamConnection& operator=(const UpstreamConnection&) = delete;

  // Sends a request and waits for its answer, the deadline, `cancel`, or the
  // process's death. On timeout or cancellation notifications/cancelled is
  // sent upstream.
  RequestOutcome request(const std::string& method, Json params, std::chrono::milliseconds timeout,
                         std::stop_token cancel = {});
  void notify(const std::string& method, Json params);
  bool dead() const;
  // Ends the process (stdin closed, short grace, then signals) and joins the
  // threads. Idempotent.
  void shutdown(std::chrono::milliseconds grace = std::chrono::milliseconds(500));
  // The last lines the process wrote to stderr, joined with " | ".
  std::string stderr_tail() const;

 private:
  void read_stdout();
  void read_stderr();
  void handle(const std::string& line);
  void mark_dead(const std::string& death);

  std::string name_;
  std::unique_ptr<ChildProcess> child_;
  std::function<void()> on_list_changed_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::int64_t next_id_ = 1;
  struct Pending {
    bool done = false;
    Json response;
  };
  std::map<std::int64_t, std::shared_ptr<Pending>> pending_;
  bool dead_ = false;
  std::string death_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex tail_mutex_;
  std::deque<std::string> tail_;
  std::mutex shutdown_mutex_;
  std::thread stdout_thread_;
  std::thread stderr_thread_;
};

}  // namespace contextweaver::mcp_detail
