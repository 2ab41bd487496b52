// ChildProcess (src/mcp/child_process.hpp) against children that ignore
// SIGTERM and leave grandchildren: stopping one reaches its whole process
// group (docs/gateway.md#shutdown).
#include "child_process.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>

#include "contextweaver/mcp/stdio_upstream.hpp"

namespace fs = std::filesystem;
using contextweaver::mcp_detail::ChildProcess;
using contextweaver::mcp_detail::SpawnSpec;
using namespace std::chrono_literals;

namespace {

// A shell that ignores SIGTERM, SIGINT, SIGHUP and the end of its stdin, with
// a grandchild (a subshell running `sleep`s) that ignores them as well.
SpawnSpec stubborn() {
  return SpawnSpec{"/bin/sh",
                   {"-c", "trap '' TERM INT HUP; (while :; do sleep 1; done) & while :; do sleep 1; done"},
                   {},
                   std::nullopt};
}

// Whether a process of group `pgid` is alive (zombies awaiting init do not count).
bool group_alive(pid_t pgid) {
  if (::kill(-pgid, 0) != 0 && errno == ESRCH) return false;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    const std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
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

bool group_gone_within(pid_t pgid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!group_alive(pgid)) return true;
    std::this_thread::sleep_for(20ms);
  }
  return !group_alive(pgid);
}

// Waits until the shell's grandchild exists (the group has more than one member).
void wait_for_grandchild(pid_t pgid) {
  for (int i = 0; i < 200; ++i) {
    int members = 0;
    for (const auto& entry : fs::directory_iterator("/proc")) {
      const std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      if (::getpgid(std::stoi(name)) == pgid) ++members;
    }
    if (members > 1) return;
    std::this_thread::sleep_for(10ms);
  }
}

}  // namespace

TEST(ChildProcess, TerminateReachesAStubbornGroup) {
  auto child = ChildProcess::spawn(stubborn());
  const pid_t pgid = child->pid();
  wait_for_grandchild(pgid);
  const auto start = std::chrono::steady_clock::now();
  const int status = child->terminate(100ms);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << ChildProcess::describe(status);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_TRUE(group_gone_within(pgid, 5s));
}

TEST(ChildProcess, KillAllGroupsReachesEveryLiveChild) {
  auto first = ChildProcess::spawn(stubborn());
  auto second = ChildProcess::spawn(stubborn());
  wait_for_grandchild(first->pid());
  wait_for_grandchild(second->pid());
  // What a std::terminate handler does while a gateway runs.
  contextweaver::kill_all_upstream_process_groups();
  EXPECT_TRUE(group_gone_within(first->pid(), 5s));
  EXPECT_TRUE(group_gone_within(second->pid(), 5s));
  EXPECT_TRUE(first->wait_for(5s).has_value());  // reaped here, no zombie left
  EXPECT_TRUE(second->wait_for(5s).has_value());
}
