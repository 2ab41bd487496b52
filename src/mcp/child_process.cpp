// ChildProcess (child_process.hpp).
#include "child_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include "contextweaver/core/errors.hpp"
#include "jsonrpc.hpp"

extern char** environ;

namespace contextweaver::mcp_detail {
namespace {

// The groups of the children alive (ChildProcess::kill_all_groups): fixed
// slots of lock-free atomics, so a terminate or signal handler may read them.
// A child spawned while every slot is taken is simply not listed.
constexpr std::size_t kGroupSlots = 1024;
std::atomic<pid_t> g_live_groups[kGroupSlots];
static_assert(std::atomic<pid_t>::is_always_lock_free);

void list_group(pid_t group) {
  for (auto& slot : g_live_groups) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, group)) return;
  }
}

void unlist_group(pid_t group) {
  for (auto& slot : g_live_groups) {
    pid_t expected = group;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

struct Pipe {
  int read = -1;
  int write = -1;
};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// posix_spawnp searches the parent's PATH; the child's (possibly overridden)
// PATH is the one that should decide, so the lookup is done here.
std::string resolve(const std::string& command, const std::map<std::string, std::string>& env_overrides) {
  if (command.find('/') != std::string::npos) return command;
  std::string path;
  auto it = env_overrides.find("PATH");
  if (it != env_overrides.end()) {
    path = it->second;
  } else if (const char* ours = std::getenv("PATH")) {
    path = ours;
  } else {
    path = "/usr/local/bin:/usr/bin:/bin";
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t colon = path.find(':', start);
    std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + command;
    struct stat info {};
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  throw UpstreamError(command + ": command not found on PATH");
}

// NUL-terminated strings and the pointer array execve wants; the strings
// must outlive the pointers.
struct CStrings {
  std::vector<std::string> text;
  std::vector<char*> pointers;

  char* const* data() {
    pointers.clear();
    for (std::string& entry : text) pointers.push_back(entry.data());
    pointers.push_back(nullptr);
    return pointers.data();
  }
};

// Our environment with `overrides` added (and winning), as KEY=VALUE sorted by key.
CStrings merged_environment(const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> merged;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const char* eq = std::strchr(*entry, '=');
    if (eq != nullptr) merged.emplace(std::string(*entry, static_cast<std::size_t>(eq - *entry)), std::string(eq + 1));
  }
  for (const auto& [key, value] : overrides) merged[key] = value;
  CStrings env;
  for (const auto& [key, value] : merged) env.text.push_back(key + "=" + value);
  return env;
}

// The child's stdin, stdout and stderr. O_CLOEXEC: another thread spawning
// at the same time must not inherit them.
struct Pipes {
  Pipe in, out, err;

  void close_all() {
    for (Pipe* pipe : {&in, &out, &err}) {
      close_fd(pipe->read);
      close_fd(pipe->write);
    }
  }
};

// UpstreamError "<command>: pipe: <reason>" (nothing left open) on failure.
Pipes open_pipes(const std::string& command) {
  Pipes pipes;
  for (Pipe* pipe : {&pipes.in, &pipes.out, &pipes.err}) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      const int err = errno;
      pipes.close_all();
      throw UpstreamError(command + ": pipe: " + std::strerror(err));
    }
    pipe->read = fds[0];
    pipe->write = fds[1];
  }
  return pipes;
}

// posix_spawn with the pipes on fds 0-2, in `cwd`, in a process group of its
// own, with SIGPIPE, SIGINT and SIGTERM at their defaults and no signal
// blocked. Returns posix_spawn's error number (0 on success).
int spawn_child(pid_t& pid, const std::string& program, const SpawnSpec& spec, const Pipes& pipes, char* const* argv,
                char* const* envp) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipes.in.read, 0);
  posix_spawn_file_actions_adddup2(&actions, pipes.out.write, 1);
  posix_spawn_file_actions_adddup2(&actions, pipes.err.write, 2);
  if (spec.cwd) posix_spawn_file_actions_addchdir_np(&actions, spec.cwd->c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  const int rc = ::posix_spawn(&pid, program.c_str(), &actions, &attr, argv, envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  return rc;
}

}  // namespace

std::unique_ptr<ChildProcess> ChildProcess::spawn(const SpawnSpec& spec) {
  const std::string program = resolve(spec.command, spec.env);
  CStrings argv;
  argv.text.push_back(spec.command);
  argv.text.insert(argv.text.end(), spec.args.begin(), spec.args.end());
  CStrings envp = merged_environment(spec.env);
  Pipes pipes = open_pipes(spec.command);

  pid_t pid = -1;
  const int rc = spawn_child(pid, program, spec, pipes, argv.data(), envp.data());
  close_fd(pipes.in.read);
  close_fd(pipes.out.write);
  close_fd(pipes.err.write);
  if (rc != 0) {
    pipes.close_all();
    std::string reason = std::strerror(rc);
    if (rc == ENOENT && spec.cwd) reason += " (command or cwd '" + *spec.cwd + "')";
    throw UpstreamError(spec.command + ": " + reason);
  }
  ignore_sigpipe();  // our writes to its stdin must not kill us if it dies
  std::unique_ptr<ChildProcess> child(new ChildProcess());
  list_group(pid);
  child->pid_ = pid;
  child->in_fd_ = pipes.in.write;
  child->out_fd_ = pipes.out.read;
  child->err_fd_ = pipes.err.read;
  return child;
}

ChildProcess::~ChildProcess() {
  terminate(std::chrono::milliseconds(500));
  close_fd(out_fd_);
  close_fd(err_fd_);
}

bool ChildProcess::write(std::string_view data) {
  std::lock_guard lock(write_mutex_);
  if (in_fd_ < 0) return false;
  if (write_all(in_fd_, data)) return true;
  close_fd(in_fd_);
  return false;
}

void ChildProcess::close_stdin() {
  std::lock_guard lock(write_mutex_);
  close_fd(in_fd_);
}

std::optional<int> ChildProcess::try_wait() {
  std::lock_guard lock(wait_mutex_);
  if (status_ || pid_ < 0) return status_;
  int status = 0;
  pid_t got;
  do {
    got = ::waitpid(pid_, &status, WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got == pid_) {
    status_ = status;
  } else if (got < 0) {
    status_ = 0;  // not our child any more (reaped elsewhere): treat as gone
  }
  return status_;
}

std::optional<int> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto status = try_wait()) return status;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void ChildProcess::kill_group(int signal) {
  std::lock_guard lock(wait_mutex_);
  if (status_ || pid_ < 0) return;  // reaped: the pid may belong to someone else now
  if (::kill(-pid_, signal) != 0) ::kill(pid_, signal);
}

int ChildProcess::terminate(std::chrono::milliseconds grace) {
  close_stdin();
  std::optional<int> status = wait_for(grace);
  if (!status) {
    kill_group(SIGTERM);
    status = wait_for(grace);
  }
  std::lock_guard lock(wait_mutex_);
  if (!status_) {
    if (::kill(-pid_, SIGKILL) != 0) ::kill(pid_, SIGKILL);
    int raw = 0;
    pid_t got;
    do {
      got = ::waitpid(pid_, &raw, 0);
    } while (got < 0 && errno == EINTR);
    status_ = got == pid_ ? raw : 0;
  }
  // Grandchildren (e.g. the node under npx) may outlive the leader; while any
  // of them lives the group id cannot be reused, so this reaches only them.
  if (!group_reaped_) {
    group_reaped_ = true;
    ::kill(-pid_, SIGKILL);
    unlist_group(pid_);
  }
  return *status_;
}

void ChildProcess::kill_all_groups(int signal) noexcept {
  for (const auto& slot : g_live_groups) {
    if (const pid_t group = slot.load(); group > 0) ::kill(-group, signal);
  }
}

std::string ChildProcess::describe(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace contextweaver::mcp_detail
