#include "cli/cli_runner.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "support/test_support.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace cwtest {

fs::path cli_binary() {
  if (const char* env = std::getenv("CW_CLI_BINARY"); env != nullptr && *env != '\0') return env;
#ifdef CW_CLI_BINARY
  return CW_CLI_BINARY;
#else
  // The test program is <build>/tests/test_cli; the CLI is <build>/src/cli/contextweaver.
  const fs::path self = fs::read_symlink("/proc/self/exe");
  return self.parent_path().parent_path() / "src" / "cli" / "contextweaver";
#endif
}

namespace {

fs::path capture_path(const char* stream) {
  static std::atomic<int> counter{0};
  return fs::temp_directory_path() /
         ("cwcli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + stream);
}

// stdout goes to `out`, or is closed when it is nullopt.
int spawn(const std::vector<std::string>& args, const fs::path& cwd, const std::optional<fs::path>& out,
          const fs::path& err) {
  const fs::path binary = cli_binary();
  if (!fs::exists(binary)) throw std::runtime_error("the contextweaver binary is not built: " + binary.string());
  std::vector<std::string> storage;
  storage.push_back(binary.string());
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (out) {
    posix_spawn_file_actions_addopen(&actions, 1, out->c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  } else {
    posix_spawn_file_actions_addclose(&actions, 1);
  }
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + binary.string());
  return pid;
}

CliResult collect(int pid, const fs::path& out, const fs::path& err) {
  CliResult result;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out);
  result.err = read_file(err);
  std::error_code ec;
  fs::remove(out, ec);
  fs::remove(err, ec);
  return result;
}

}  // namespace

CliResult run_cli(const std::vector<std::string>& args, const fs::path& cwd) {
  CliProcess process(args, cwd);
  return process.wait();
}

CliResult run_cli_stdout(const std::vector<std::string>& args, const fs::path& cwd,
                         const std::optional<fs::path>& stdout_path) {
  const fs::path out = capture_path("out");
  const fs::path err = capture_path("err");
  std::ofstream(out).flush();  // collect() reads it: empty, since stdout went elsewhere
  const int pid = spawn(args, cwd, stdout_path, err);
  return collect(pid, out, err);
}

CliProcess::CliProcess(const std::vector<std::string>& args, const fs::path& cwd)
    : out_path_(capture_path("out")), err_path_(capture_path("err")) {
  pid_ = spawn(args, cwd, out_path_, err_path_);
}

CliProcess::~CliProcess() {
  if (pid_ > 0) wait();
}

CliResult CliProcess::wait() {
  if (pid_ <= 0) throw std::logic_error("CliProcess::wait called twice");
  const int pid = pid_;
  pid_ = -1;
  return collect(pid, out_path_, err_path_);
}

contextweaver::Json parse_json_output(const CliResult& result) {
  try {
    return contextweaver::loads(result.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "stdout is not one JSON document (" << e.what() << "):\n"
                  << result.out << "\nstderr:\n"
                  << result.err;
    return nullptr;
  }
}

}  // namespace cwtest
