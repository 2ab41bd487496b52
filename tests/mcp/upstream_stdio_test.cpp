// StdioUpstream against tests/mcp/fixtures/fake_upstream.mjs run by node.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/mcp/stdio_upstream.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;
using cw::Json;
namespace fs = std::filesystem;

namespace {

std::string find_node() {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t colon = dirs.find(':', start);
    const std::string dir = dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / "node";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return "";
}

fs::path fixtures() {
#ifdef CW_MCP_FIXTURES
  return CW_MCP_FIXTURES;
#else
  return fs::path(CW_SOURCE_DIR) / "tests" / "mcp" / "fixtures";
#endif
}

std::size_t thread_count() {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator("/proc/self/task")) {
    (void)entry;
    ++count;
  }
  return count;
}

std::string text_of(const Json& result) {
  return result.at("content").at(0).at("text").get<std::string>();
}

// Counts listener calls and lets a test wait for them.
struct ListenerProbe {
  std::mutex mutex;
  std::condition_variable changed;
  int count = 0;
  std::function<void()> listener() {
    return [this] {
      std::lock_guard lock(mutex);
      ++count;
      changed.notify_all();
    };
  }
  // Generous limit: only keeps a broken upstream from hanging the suite.
  bool wait_for(int n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(20), [&] { return count >= n; });
  }
  int value() {
    std::lock_guard lock(mutex);
    return count;
  }
};

class StdioUpstreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = find_node();
    if (node_.empty()) GTEST_SKIP() << "node is not on PATH; StdioUpstream tests skipped";
    log_ = dir_ / "upstream.log";
  }
  void TearDown() override {
    // Every child was reaped by the upstreams' destructors: no zombies left.
    if (node_.empty()) return;
    int status = 0;
    EXPECT_EQ(::waitpid(-1, &status, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
  }
  cw::UpstreamServerConfig config(const std::string& mode) {
    cw::UpstreamServerConfig server;
    server.name = "fake";
    server.command = node_;
    server.args = {(fixtures() / "fake_upstream.mjs").string(), mode};
    server.env["FAKE_UPSTREAM_LOG"] = log_.string();
    server.startup_timeout = std::chrono::seconds(20);
    return server;
  }
  // The fake upstream's event log, once it holds `needle` (or after a while).
  std::string log_with(const std::string& needle) {
    for (int i = 0; i < 400; ++i) {
      std::string text = fs::exists(log_) ? cwtest::read_file(log_) : "";
      if (text.find(needle) != std::string::npos) return text;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return fs::exists(log_) ? cwtest::read_file(log_) : "";
  }
  int count_in_log(const std::string& needle) {
    const std::string text = fs::exists(log_) ? cwtest::read_file(log_) : "";
    int count = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
    return count;
  }

  std::string node_;
  cwtest::TempDir dir_;
  fs::path log_;
};

}  // namespace

TEST_F(StdioUpstreamTest, StartsInitializesAndCalls) {
  cw::StdioUpstream upstream(config("normal"));
  EXPECT_TRUE(upstream.server_info().is_null());
  upstream.start();
  const Json info = upstream.server_info();
  EXPECT_EQ(info["protocolVersion"], "2025-06-18");
  EXPECT_EQ(info["serverInfo"]["name"], "fake-upstream");
  const auto tools = upstream.list_tools();
  ASSERT_EQ(tools.size(), 6u);
  EXPECT_EQ(tools[0]["name"], "echo");
  const Json result = upstream.call_tool("echo", Json{{"text", "héllo"}});
  EXPECT_EQ(text_of(result), "héllo");
  EXPECT_EQ(result["isError"], false);
  const Json unknown = upstream.call_tool("nope", Json::object());
  EXPECT_TRUE(unknown["isError"].get<bool>());
  EXPECT_EQ(text_of(unknown), "upstream error: Unknown tool: nope (code -32602)");
  EXPECT_NE(log_with("initialized").find("initialized"), std::string::npos);  // notifications/initialized was sent
}

TEST_F(StdioUpstreamTest, StderrIsForwardedWithPrefixAndThreadsEnd) {
  // fd 2 is swapped for a pipe while the upstream lives.
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const int saved = ::dup(2);
  const std::size_t threads_before = thread_count();
  ::dup2(pipe_fds[1], 2);
  {
    cw::StdioUpstream upstream(config("normal"));
    upstream.start();
    EXPECT_EQ(text_of(upstream.call_tool("echo", Json{{"text", "x"}})), "x");
  }
  ::dup2(saved, 2);
  ::close(saved);
  ::close(pipe_fds[1]);
  std::string captured;
  char chunk[4096];
  for (ssize_t got; (got = ::read(pipe_fds[0], chunk, sizeof chunk)) > 0;)
    captured.append(chunk, static_cast<std::size_t>(got));
  ::close(pipe_fds[0]);
  EXPECT_NE(captured.find("[fake] fake upstream started in mode normal\n"), std::string::npos) << captured;
  EXPECT_EQ(thread_count(), threads_before);
}

TEST_F(StdioUpstreamTest, ListFollowsCursors) {
  cw::StdioUpstream upstream(config("paginated"));
  const auto tools = upstream.list_tools();  // lazy start
  ASSERT_EQ(tools.size(), 13u);
  EXPECT_EQ(tools[0]["name"], "echo");
  EXPECT_EQ(tools[12]["name"], "page_tool_6");
}

TEST_F(StdioUpstreamTest, EnvAndCwdReachTheProcess) {
  auto server = config("normal");
  server.env["FAKE_UPSTREAM_EXTRA_TOOL"] = "from_env";
  server.cwd = fixtures().string();
  server.args[0] = "fake_upstream.mjs";  // relative to cwd
  cw::StdioUpstream upstream(server);
  const auto tools = upstream.list_tools();
  ASSERT_EQ(tools.size(), 7u);
  EXPECT_EQ(tools.back()["name"], "from_env");
}

TEST_F(StdioUpstreamTest, ConcurrentCalls) {
  cw::StdioUpstream upstream(config("normal"));
  upstream.start();
  Json slow;
  std::thread worker([&] { slow = upstream.call_tool("slow", Json{{"ms", 300}}); });
  const Json fast = upstream.call_tool("echo", Json{{"text", "fast"}});
  worker.join();
  EXPECT_EQ(text_of(fast), "fast");
  EXPECT_EQ(text_of(slow), "slept 300");
}

TEST_F(StdioUpstreamTest, TimeoutAnswersIsErrorAndCancelsUpstream) {
  auto server = config("normal");
  server.call_timeout = std::chrono::milliseconds(300);
  cw::StdioUpstream upstream(server);
  const Json result = upstream.call_tool("hang", Json::object());
  EXPECT_TRUE(result["isError"].get<bool>());
  EXPECT_EQ(text_of(result), "upstream timeout after 0.3s");
  EXPECT_NE(log_with("cancelled").find("cancelled 2"), std::string::npos);  // id 1 was initialize
  EXPECT_EQ(text_of(upstream.call_tool("echo", Json{{"text", "still alive"}})), "still alive");
  // The caller's tighter limit applies too.
  cw::CallOptions options;
  options.timeout = std::chrono::milliseconds(200);
  EXPECT_EQ(text_of(upstream.call_tool("hang", Json::object(), options)), "upstream timeout after 0.2s");
}

TEST_F(StdioUpstreamTest, CancellationStopsWaiting) {
  cw::StdioUpstream upstream(config("normal"));
  upstream.start();
  std::stop_source stop;
  cw::CallOptions options;
  options.cancel = stop.get_token();
  Json result;
  std::thread worker([&] { result = upstream.call_tool("hang", Json::object(), options); });
  ASSERT_NE(log_with("call 2 hang").find("call 2 hang"), std::string::npos);  // the call is upstream
  stop.request_stop();
  worker.join();
  EXPECT_EQ(text_of(result), "upstream call cancelled");
  EXPECT_NE(log_with("cancelled ").find("cancelled 2"), std::string::npos);
}

TEST_F(StdioUpstreamTest, CrashMidCallThenRestart) {
  cw::StdioUpstream upstream(config("normal"));
  ListenerProbe probe;
  upstream.set_tools_changed_listener(probe.listener());
  upstream.start();
  const Json crashed = upstream.call_tool("crash", Json::object());
  EXPECT_TRUE(crashed["isError"].get<bool>());
  EXPECT_EQ(text_of(crashed), "upstream error: fake exited (exit code 3)");
  EXPECT_EQ(probe.value(), 0);
  const Json again = upstream.call_tool("echo", Json{{"text", "back"}});  // restarts it
  EXPECT_EQ(text_of(again), "back");
  EXPECT_TRUE(probe.wait_for(1));
  EXPECT_EQ(count_in_log("start"), 2);
}

TEST_F(StdioUpstreamTest, EveryCallInFlightIsAnsweredWhenItDies) {
  cw::StdioUpstream upstream(config("normal"));
  upstream.start();
  Json hung1, hung2;
  std::thread a([&] { hung1 = upstream.call_tool("hang", Json::object()); });
  std::thread b([&] { hung2 = upstream.call_tool("slow", Json{{"ms", 60000}}); });
  log_with("call 2");  // both calls are upstream before it dies
  log_with("call 3");
  const Json crashed = upstream.call_tool("crash", Json::object());
  a.join();
  b.join();
  for (const Json* result : std::initializer_list<const Json*>{&crashed, &hung1, &hung2}) {
    EXPECT_TRUE((*result)["isError"].get<bool>());
    EXPECT_EQ(text_of(*result), "upstream error: fake exited (exit code 3)");
  }
}

TEST_F(StdioUpstreamTest, CrashModeAndListChangedNotification) {
  {
    cw::StdioUpstream crashing(config("crash-mid-call"));
    EXPECT_EQ(text_of(crashing.call_tool("echo", Json::object())), "upstream error: fake exited (exit code 3)");
  }
  cw::StdioUpstream upstream(config("list-change"));
  ListenerProbe probe;
  upstream.set_tools_changed_listener(probe.listener());
  upstream.start();
  EXPECT_TRUE(probe.wait_for(1));  // sent right after initialized
  EXPECT_EQ(text_of(upstream.call_tool("change", Json::object())), "changed");
  EXPECT_TRUE(probe.wait_for(2));
  EXPECT_EQ(upstream.list_tools().size(), 7u);
}

TEST_F(StdioUpstreamTest, AnswersRequestsFromTheServer) {
  cw::StdioUpstream upstream(config("normal"));
  EXPECT_EQ(text_of(upstream.call_tool("ask_ping", Json::object())), "pong received");
  EXPECT_NE(log_with("error ").find("-32601"), std::string::npos);  // roots/list: method not found
}

TEST_F(StdioUpstreamTest, BadCommandIsUpstreamError) {
  auto server = config("normal");
  server.command = "contextweaver-no-such-command";
  cw::StdioUpstream upstream(server);
  try {
    upstream.start();
    FAIL() << "expected UpstreamError";
  } catch (const cw::UpstreamError& error) {
    EXPECT_EQ(std::string(error.what()),
              "upstream 'fake' could not be started: contextweaver-no-such-command: command not found on PATH");
  }
  EXPECT_THROW(upstream.list_tools(), cw::UpstreamError);
  const Json result = upstream.call_tool("echo", Json::object());
  EXPECT_TRUE(result["isError"].get<bool>());
  EXPECT_EQ(text_of(result).rfind("upstream error: upstream 'fake' could not be started", 0), 0u);

  server.command = "/nonexistent/dir/server";
  cw::StdioUpstream missing(server);
  EXPECT_THROW(missing.start(), cw::UpstreamError);
}

TEST_F(StdioUpstreamTest, ExitBeforeInitializeReportsStderr) {
  auto server = config("normal");
  server.args = {"-e", "console.error('missing API key'); process.exit(2)"};
  cw::StdioUpstream upstream(server);
  try {
    upstream.start();
    FAIL() << "expected UpstreamError";
  } catch (const cw::UpstreamError& error) {
    EXPECT_EQ(std::string(error.what()),
              "upstream 'fake' did not start: fake exited (exit code 2); stderr: missing API key");
  }
}

TEST_F(StdioUpstreamTest, HangingInitializeAndBadVersion) {
  auto server = config("hang-init");
  server.startup_timeout = std::chrono::milliseconds(300);
  cw::StdioUpstream hanging(server);
  try {
    hanging.start();
    FAIL() << "expected UpstreamError";
  } catch (const cw::UpstreamError& error) {
    EXPECT_EQ(std::string(error.what()).rfind("upstream 'fake' did not start: no answer to initialize within 0.3s", 0),
              0u)
        << error.what();
  }
  cw::StdioUpstream old(config("bad-version"));
  try {
    old.start();
    FAIL() << "expected UpstreamError";
  } catch (const cw::UpstreamError& error) {
    EXPECT_NE(std::string(error.what()).find("speaks protocol version 1999-01-01"), std::string::npos) << error.what();
  }
}
