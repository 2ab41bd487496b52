// Signals and exit paths of the long-running commands (docs/cli.md#signals,
// docs/gateway.md#shutdown): the gateway and the proxy stop every upstream's
// process group (grandchildren included) whichever way they end, and bench
// removes its temporary folder on Ctrl-C.
#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "cli/cli_runner.hpp"
#include "support/test_support.hpp"

extern char** environ;

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// An MCP upstream as hostile to shutdown as it gets: it ignores SIGTERM,
// SIGINT, SIGHUP and the end of its stdin, and leaves a grandchild (and
// great-grandchildren: `sleep`) that ignore them too. Only SIGKILL to its
// process group ends them all. It writes its pid (= its group id) to $1.
constexpr const char* kStubbornUpstream = R"(trap '' TERM INT HUP
echo $$ > "$1.tmp" && mv "$1.tmp" "$1"
( while :; do sleep 1; done ) &
while IFS= read -r line; do
  id=$(printf '%s\n' "$line" | sed -n 's/.*"id":\([0-9][0-9]*\).*/\1/p')
  case "$line" in
    *'"method":"initialize"'*)
      printf '{"jsonrpc":"2.0","id":%s,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"stubborn","version":"1"}}}\n' "$id" ;;
    *'"method":"tools/list"'*)
      printf '{"jsonrpc":"2.0","id":%s,"result":{"tools":[{"name":"echo","description":"Echo the text","inputSchema":{"type":"object"}}]}}\n' "$id" ;;
  esac
done
while :; do sleep 1; done
)";

// A process started with a pipe on its stdin (kept open until close_stdin()),
// stdout and stderr to files, and extra environment variables.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& dir, const std::map<std::string, std::string>& env = {})
      : out_(dir / "child.out"), err_(dir / "child.err") {
    std::vector<std::string> argv_text{cwtest::cli_binary().string()};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<std::string> env_text;
    for (char** entry = environ; *entry != nullptr; ++entry) {
      const std::string text = *entry;
      const auto eq = text.find('=');
      if (eq != std::string::npos && env.count(text.substr(0, eq)) != 0) continue;
      env_text.push_back(text);
    }
    for (const auto& [key, value] : env) env_text.push_back(key + "=" + value);
    std::vector<char*> argv, envp;
    for (auto& text : argv_text) argv.push_back(text.data());
    argv.push_back(nullptr);
    for (auto& text : env_text) envp.push_back(text.data());
    envp.push_back(nullptr);
    const int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int in[2];
    if (out < 0 || err < 0 || ::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("cannot set up the child's files");
    const std::string cwd = dir.string();
    pid_ = ::fork();
    if (pid_ == 0) {
      // Only async-signal-safe calls between fork and exec.
      ::dup2(in[0], 0);
      ::dup2(out, 1);
      ::dup2(err, 2);
      if (::chdir(cwd.c_str()) != 0) ::_exit(126);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out);
    ::close(err);
    in_ = in[1];
  }
  ~Child() {
    close_stdin();
    if (!status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  void signal(int number) { ::kill(pid_, number); }
  void close_stdin() {
    if (in_ >= 0) ::close(in_);
    in_ = -1;
  }
  // 128 + signal when it was killed by one; nullopt when it is still running
  // after `timeout` (it is then killed).
  std::optional<int> wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int raw = 0;
      if (::waitpid(pid_, &raw, WNOHANG) == pid_) {
        status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
        return status_;
      }
      std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
  }
  std::string err() const { return cwtest::read_file(err_); }

 private:
  pid_t pid_ = -1;
  int in_ = -1;
  fs::path out_, err_;
  std::optional<int> status_;
};

// Whether a process of group `pgid` is still alive (zombies waiting for
// init to reap them do not count: they run nothing).
bool group_alive(pid_t pgid) {
  if (::kill(-pgid, 0) != 0 && errno == ESRCH) return false;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(text.substr(close + 1));
    char state = 0;
    long ppid = 0, group = 0;
    fields >> state >> ppid >> group;
    if (group == pgid && state != 'Z' && state != 'X') return true;
  }
  return false;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

// A gateway (or proxy) in front of the stubborn upstream, running and
// serving; the upstream's group is killed at the end whatever happened.
class StubbornGateway {
 public:
  explicit StubbornGateway(const std::string& command) {
    const fs::path script = dir_ / "stubborn.sh";
    cwtest::write_file(script, kStubbornUpstream);
    cwtest::write_file(dir_ / "gateway.json", R"({"mcpServers": {"stubborn": {"command": "/bin/sh", "args": [")" +
                                                  script.string() + R"(", ")" + (dir_ / "upstream.pid").string() +
                                                  R"("]}}})");
    child_.emplace(std::vector<std::string>{command, "--config", (dir_ / "gateway.json").string(), "--workspace",
                                            (dir_ / "ws").string(), "--session", "signals"},
                   dir_.path());
  }
  ~StubbornGateway() {
    if (pgid_ > 0) ::kill(-pgid_, SIGKILL);
  }

  // Waits until the upstream runs and the gateway serves; its group id.
  pid_t wait_serving() {
    const bool up = eventually(
        [&] { return fs::exists(dir_ / "upstream.pid") && child_->err().find(" tools from ") != std::string::npos; },
        20s);
    if (fs::exists(dir_ / "upstream.pid")) pgid_ = std::stoi(cwtest::read_file(dir_ / "upstream.pid"));
    EXPECT_TRUE(up) << child_->err();
    return pgid_;
  }
  Child& child() { return *child_; }

 private:
  cwtest::TempDir dir_;
  std::optional<Child> child_;
  pid_t pgid_ = -1;
};

void expect_signal_stops_upstreams(const std::string& command, int number) {
  StubbornGateway gateway(command);
  const pid_t pgid = gateway.wait_serving();
  ASSERT_GT(pgid, 0);
  ASSERT_TRUE(group_alive(pgid));
  gateway.child().signal(number);
  const auto status = gateway.child().wait(15s);
  ASSERT_TRUE(status.has_value()) << "the " << command << " did not exit after signal " << number;
  EXPECT_EQ(*status, 128 + number) << gateway.child().err();
  EXPECT_TRUE(eventually([&] { return !group_alive(pgid); }, 5s))
      << "the upstream's process group outlived the " << command;
}

TEST(Signals, SigtermStopsTheGatewaysUpstreamGroup) {
  expect_signal_stops_upstreams("gateway", SIGTERM);
}

TEST(Signals, SigintStopsTheGatewaysUpstreamGroup) {
  expect_signal_stops_upstreams("gateway", SIGINT);
}

TEST(Signals, SighupStopsTheGatewaysUpstreamGroup) {
  expect_signal_stops_upstreams("gateway", SIGHUP);
}

TEST(Signals, SigtermStopsTheProxysUpstreamGroup) {
  expect_signal_stops_upstreams("proxy", SIGTERM);
}

TEST(Signals, EndOfInputStopsTheUpstreamGroup) {
  StubbornGateway gateway("gateway");
  const pid_t pgid = gateway.wait_serving();
  ASSERT_GT(pgid, 0);
  gateway.child().close_stdin();
  const auto status = gateway.child().wait(15s);
  ASSERT_TRUE(status.has_value()) << "the gateway did not exit at the end of its input";
  EXPECT_EQ(*status, 0) << gateway.child().err();
  EXPECT_TRUE(eventually([&] { return !group_alive(pgid); }, 5s))
      << "the upstream's process group outlived the gateway";
}

// The bench's temporary folder (under $TMPDIR) is gone after a signal.
void expect_bench_cleans_up(int number) {
  CW_REQUIRE_SHARED(shared);
  cwtest::TempDir dir;
  const fs::path tmp = dir / "tmp";
  fs::create_directories(tmp);
  // A small run whose store section lasts long enough to be interrupted.
  Child bench({"bench", "--data", (shared / "data" / "reference").string(), "--sizes", "50", "--routers", "default",
               "--timing-runs", "1", "--store-items", "100000", "--out", (dir / "out.json").string(), "--workspace",
               (dir / "ws").string()},
              dir.path(), {{"TMPDIR", tmp.string()}});
  const bool started = eventually(
      [&] {
        for (const auto& entry : fs::directory_iterator(tmp)) {
          if (entry.path().filename().string().rfind("contextweaver-bench-", 0) == 0) return true;
        }
        return false;
      },
      60s);
  ASSERT_TRUE(started) << "bench made no temporary folder: " << bench.err();
  bench.signal(number);
  const auto status = bench.wait(30s);
  ASSERT_TRUE(status.has_value()) << "bench did not stop after signal " << number;
  EXPECT_EQ(*status, 128 + number) << bench.err();
  EXPECT_TRUE(fs::is_empty(tmp)) << "left behind: " << fs::directory_iterator(tmp)->path();
  EXPECT_FALSE(fs::exists(dir / "out.json"));
}

TEST(Signals, SigintDuringBenchRemovesItsTemporaryFolder) {
  expect_bench_cleans_up(SIGINT);
}

TEST(Signals, SigtermDuringBenchRemovesItsTemporaryFolder) {
  expect_bench_cleans_up(SIGTERM);
}

}  // namespace
