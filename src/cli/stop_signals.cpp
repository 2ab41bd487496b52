// StopSignals (stop_signals.hpp).
#include "stop_signals.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace contextweaver::cli {
namespace {

constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};

// Shared with the handler: only lock-free atomics and plain ints written
// before the handler is installed.
std::atomic<int> g_received{0};
static_assert(std::atomic<int>::is_always_lock_free, "the handler needs a lock-free atomic");
int g_pipe[2] = {-1, -1};
std::atomic<bool> g_installed{false};

extern "C" void on_stop_signal(int signal) {
  const int saved = errno;
  int none = 0;
  g_received.compare_exchange_strong(none, signal);
  const char byte = static_cast<char>(signal);
  [[maybe_unused]] const ssize_t ignored = ::write(g_pipe[1], &byte, 1);  // a full pipe already says "stop"
  errno = saved;
}

}  // namespace

Interrupted::Interrupted(int signal) : ContextWeaverError("interrupted by " + signal_name(signal)), signal_(signal) {}

StopSignals::StopSignals() {
  if (g_installed.exchange(true)) throw InternalError("StopSignals: only one instance may live at a time");
  if (g_pipe[0] < 0) {
    // Kept for the life of the process: a handler could still run while a
    // later instance is set up, and must never write into a reused fd.
    if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
      g_installed = false;
      throw StorageError(std::string("signal pipe: ") + std::strerror(errno));
    }
  } else {
    char drain[64];
    while (::read(g_pipe[0], drain, sizeof drain) > 0) {
    }
  }
  g_received = 0;
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int i = 0; i < 3; ++i) ::sigaction(kSignals[i], &action, &previous_[i]);
}

StopSignals::~StopSignals() {
  for (int i = 0; i < 3; ++i) ::sigaction(kSignals[i], &previous_[i], nullptr);
  g_installed = false;
}

int StopSignals::fd() const {
  return g_pipe[0];
}

int StopSignals::received() const {
  return g_received.load();
}

void StopSignals::throw_if_received() const {
  if (const int signal = received(); signal != 0) throw Interrupted(signal);
}

std::string signal_name(int signal) {
  switch (signal) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "signal " + std::to_string(signal);
  }
}

}  // namespace contextweaver::cli
