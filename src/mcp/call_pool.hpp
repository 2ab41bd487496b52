// A bounded pool of worker threads for tools/call: threads are started on
// demand up to `max_threads`; extra jobs wait in order. Private to the server.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace contextweaver::mcp_detail {

class CallPool {
 public:
  explicit CallPool(std::size_t max_threads) : max_(max_threads) {}
  ~CallPool() { close_and_join(); }
  CallPool(const CallPool&) = delete;
  CallPool& operator=(const CallPool&) = delete;

  void submit(std::function<void()> job);
  // Runs every queued job, then joins the threads. Idempotent.
  void close_and_join();

 private:
  void loop();
  std::size_t max_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool closing_ = false;
};

}  // namespace contextweaver::mcp_detail
