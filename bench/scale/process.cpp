// posix_spawn + wait4: the child's own rusage gives its peak RSS without
// /usr/bin/time, and no shell sits between the clock and the process.
#include "scale/process.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "contextweaver/core/errors.hpp"

extern char** environ;

namespace cwscale {

namespace {

// posix_spawn_file_actions_t, destroyed on every path.
class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

}  // namespace

ProcessRun run_measured(const std::vector<std::string>& argv, const std::filesystem::path& stdout_path,
                        const std::filesystem::path& stderr_path) {
  if (argv.empty()) throw contextweaver::ValueError("run_measured: empty command");
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  FileActions actions;
  const int out_flags = O_WRONLY | O_CREAT | O_TRUNC;
  posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(actions.get(), 1, stdout_path.c_str(), out_flags, 0644);
  posix_spawn_file_actions_addopen(actions.get(), 2, stderr_path.c_str(), out_flags, 0644);

  ProcessRun run;
  pid_t pid = -1;
  const auto start = std::chrono::steady_clock::now();
  const int spawned = posix_spawn(&pid, args[0], actions.get(), nullptr, args.data(), environ);
  if (spawned != 0) {
    throw contextweaver::StorageError("cannot start '" + argv[0] + "': " + std::strerror(spawned));
  }
  int status = 0;
  struct rusage usage {};
  pid_t waited = -1;
  do {
    waited = wait4(pid, &status, 0, &usage);
  } while (waited < 0 && errno == EINTR);
  const auto end = std::chrono::steady_clock::now();
  if (waited < 0) throw contextweaver::StorageError(std::string("wait4: ") + std::strerror(errno));
  run.seconds = std::chrono::duration<double>(end - start).count();
  run.max_rss_kb = usage.ru_maxrss;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : (WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1);
  return run;
}

}  // namespace cwscale
