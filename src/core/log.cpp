#include "contextweaver/core/log.hpp"

#include <atomic>
#include <memory>
#include <mutex>

namespace contextweaver {
namespace {

std::mutex g_mutex;
std::shared_ptr<const LogSink> g_sink;  // guarded by g_mutex
std::atomic<bool> g_enabled{false};

}  // namespace

void set_log_sink(LogSink sink) {
  std::lock_guard lock(g_mutex);
  if (sink) {
    g_sink = std::make_shared<const LogSink>(std::move(sink));
    g_enabled.store(true, std::memory_order_release);
  } else {
    g_sink.reset();
    g_enabled.store(false, std::memory_order_release);
  }
}

bool log_enabled() { return g_enabled.load(std::memory_order_acquire); }

void log_message(LogLevel level, std::string_view logger, std::string_view message) {
  std::shared_ptr<const LogSink> sink;
  {
    std::lock_guard lock(g_mutex);
    sink = g_sink;
  }
  if (sink) (*sink)(level, logger, message);
}

}  // namespace contextweaver
