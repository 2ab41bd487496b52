// A child process with pipes on its stdin, stdout and stderr (posix_spawn).
// Private to the stdio upstream.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace contextweaver::mcp_detail {

struct SpawnSpec {
  std::string command;  // looked up on PATH (the resulting environment's) when it has no '/'
  std::vector<std::string> args;
  std::map<std::string, std::string> env;  // added to (and overriding) ours
  std::optional<std::string> cwd;
};

class ChildProcess {
 public:
  // Starts the process in its own process group, with SIGPIPE and the signal
  // mask back to their defaults and only fds 0-2 inherited. Throws
  // UpstreamError "<command>: <reason>" when it cannot be started
  // (including a command that is not found or not executable).
  static std::unique_ptr<ChildProcess> spawn(const SpawnSpec& spec);
  ~ChildProcess();  // terminate(): never leaves a zombie behind
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  int stdout_fd() const { return out_fd_; }
  int stderr_fd() const { return err_fd_; }
  // Thread-safe; false once the child's stdin is closed or broken.
  bool write(std::string_view data);
  void close_stdin();
  // The wait status once the child has exited (reaped here, exactly once);
  // nullopt while it runs. Thread-safe.
  std::optional<int> try_wait();
  // Waits up to `timeout` for the child to exit.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  // Closes stdin, waits `grace`, then SIGTERM to the group, waits `grace`,
  // then SIGKILL and a blocking wait; finally SIGKILL to whatever is left of
  // the group (grandchildren). Returns the wait status.
  int terminate(std::chrono::milliseconds grace);
  // Sends `signal` to the whole process group (grandchildren included).
  void kill_group(int signal);
  // Sends `signal` to the group of every child spawned here and not yet
  // terminated. For last-resort exit paths that run no destructor
  // (std::terminate); async-signal-safe (lock-free atomics and kill only).
  static void kill_all_groups(int signal) noexcept;

  // "exit code N" or "signal S" for a wait status.
  static std::string describe(int status);

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  int in_fd_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::mutex write_mutex_;
  std::mutex wait_mutex_;
  std::optional<int> status_;
  bool group_reaped_ = false;  // leftover group members were sent SIGKILL
};

}  // namespace contextweaver::mcp_detail
