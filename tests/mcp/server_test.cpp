// McpStdioServer over pipes with a fake tool handler (server.hpp).
#include <gtest/gtest.h>

#include <dirent.h>

#include <set>

#include "server_test_support.hpp"

namespace cw = contextweaver;
using cw::Json;
using mcptest::FakeHandler;
using mcptest::ServerHarness;

namespace {

int error_code(const Json& answer) {
  return answer.at("error").at("code").get<int>();
}

std::size_t thread_count() {
  std::size_t count = 0;
  if (DIR* dir = ::opendir("/proc/self/task")) {
    while (dirent* entry = ::readdir(dir))
      if (entry->d_name[0] != '.') ++count;
    ::closedir(dir);
  }
  return count;
}

}  // namespace

TEST(McpServer, InitializeNegotiatesTheProtocolVersion) {
  FakeHandler handler;
  cw::McpServerOptions options;
  options.name = "gw-test";
  options.version = "9.9";
  options.instructions = "Use tool_browse first.";
  ServerHarness server(handler, options);
  const Json old =
      server.call(1, "initialize", Json{{"protocolVersion", "2024-11-05"}, {"capabilities", Json::object()}});
  EXPECT_EQ(old["id"], 1);
  EXPECT_EQ(old["result"]["protocolVersion"], "2024-11-05");
  EXPECT_EQ(old["result"]["serverInfo"], (Json{{"name", "gw-test"}, {"version", "9.9"}}));
  EXPECT_EQ(old["result"]["capabilities"]["tools"]["listChanged"], true);
  EXPECT_EQ(old["result"]["instructions"], "Use tool_browse first.");
  const Json mid = server.call(2, "initialize", Json{{"protocolVersion", "2025-03-26"}});
  EXPECT_EQ(mid["result"]["protocolVersion"], "2025-03-26");
  const Json future = server.call(3, "initialize", Json{{"protocolVersion", "2099-01-01"}});
  EXPECT_EQ(future["result"]["protocolVersion"], "2025-06-18");
  EXPECT_EQ(error_code(server.call(4, "initialize", Json::object())), -32602);
  server.close_input();
  EXPECT_EQ(server.join(), 0);
}

TEST(McpServer, PingAnytimeOtherRequestsNeedInitialize) {
  FakeHandler handler;
  ServerHarness server(handler);
  const Json pong = server.call(1, "ping");
  EXPECT_EQ(pong["result"], Json::object());
  const Json early = server.call(2, "tools/list");
  EXPECT_EQ(error_code(early), -32002);
  EXPECT_EQ(early["id"], 2);
  server.initialize();
  EXPECT_EQ(server.call(3, "tools/list")["result"]["tools"].size(), 3u);
  // String ids are answered with the same id.
  server.send(Json{{"jsonrpc", "2.0"}, {"id", "abc"}, {"method", "ping"}});
  EXPECT_EQ((*server.read())["id"], "abc");
}

TEST(McpServer, ToolsListIsPaginatedWithOpaqueCursors) {
  FakeHandler handler(5);
  cw::McpServerOptions options;
  options.page_size = 2;
  ServerHarness server(handler, options);
  server.initialize();
  std::vector<std::string> names;
  Json params = Json::object();
  int pages = 0;
  for (int id = 1;; ++id) {
    const Json answer = server.call(id, "tools/list", params);
    ++pages;
    for (const Json& tool : answer["result"]["tools"]) names.push_back(tool["name"]);
    if (!answer["result"].contains("nextCursor")) break;
    params = Json{{"cursor", answer["result"]["nextCursor"]}};
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(names, (std::vector<std::string>{"tool_0", "tool_1", "tool_2", "tool_3", "tool_4"}));
  for (const Json& bad : {Json("garbage!"), Json("Y3c6"), Json(12), Json("")}) {
    const Json answer = server.call(50, "tools/list", Json{{"cursor", bad}});
    EXPECT_EQ(error_code(answer), -32602) << bad.dump();
  }
}

TEST(McpServer, UnknownMethodAndUnknownNotification) {
  FakeHandler handler;
  ServerHarness server(handler);
  server.initialize();
  EXPECT_EQ(error_code(server.call(1, "resources/list")), -32601);
  server.notify("notifications/whatever");  // never answered
  const Json pong = server.call(2, "ping");
  EXPECT_EQ(pong["id"], 2);
}

TEST(McpServer, MalformedLinesBatchesAndBadRequests) {
  FakeHandler handler;
  ServerHarness server(handler);
  server.initialize();
  server.send_raw("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \n");
  Json answer = *server.read();
  EXPECT_EQ(error_code(answer), -32700);
  EXPECT_TRUE(answer["id"].is_null());
  server.send_raw("[{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}]\n");
  answer = *server.read();
  EXPECT_EQ(error_code(answer), -32600);
  EXPECT_TRUE(answer["id"].is_null());
  server.send_raw("{\"id\":3,\"method\":\"ping\"}\n");  // no "jsonrpc"
  answer = *server.read();
  EXPECT_EQ(error_code(answer), -32600);
  EXPECT_EQ(answer["id"], 3);
  server.send_raw("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":7}\n");
  EXPECT_EQ(error_code(*server.read()), -32600);
  server.send_raw("\"just a string\"\n");
  EXPECT_EQ(error_code(*server.read()), -32600);
  server.send_raw("\n   \n");  // blank lines are skipped
  EXPECT_EQ(error_code(server.call(5, "tools/call", Json{{"arguments", Json::object()}})), -32602);
  EXPECT_EQ(error_code(server.call(6, "tools/call", Json{{"name", "echo"}, {"arguments", Json::array()}})), -32602);
  EXPECT_EQ(server.call(7, "ping")["id"], 7);  // still serving
}

TEST(McpServer, IllFormedUtf8InIdsIsAnsweredNotThrown) {
  // nlohmann's dump() throws on ill-formed UTF-8; ids are keyed by their JSON
  // text, so a client's "\xff" id must neither crash the server nor escape run().
  FakeHandler handler;
  ServerHarness server(handler);
  server.initialize();
  server.send_raw(
      "{\"jsonrpc\":\"2.0\",\"id\":\"a\xff\",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
      "\"arguments\":{}}}\n");
  const Json answer = *server.read();
  EXPECT_EQ(answer["id"], "a\uFFFD");
  EXPECT_EQ(answer["result"]["isError"], false);
  server.notify("notifications/cancelled", Json::object());  // no requestId: ignored
  server.send_raw("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"\xfe\"}}\n");
  EXPECT_EQ(server.call(2, "ping")["id"], 2);  // still serving
  server.close_input();
  EXPECT_EQ(server.join(), 0);
}

TEST(McpServer, OversizedLineIsSkipped) {
  FakeHandler handler;
  cw::McpServerOptions options;
  options.max_line_bytes = 1024;
  ServerHarness server(handler, options);
  server.initialize();
  // Much larger than a pipe's buffer and than the limit; sent from a thread
  // because the server drains it while we write.
  std::string huge =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + std::string(300000, 'x') + "\"}}\n";
  std::thread writer([&] { server.send_raw(huge); });
  const Json answer = *server.read();
  writer.join();
  EXPECT_EQ(error_code(answer), -32600);
  EXPECT_TRUE(answer["id"].is_null());
  EXPECT_EQ(server.call(2, "ping")["id"], 2);
  // A line just under the limit is served.
  const Json fits{{"jsonrpc", "2.0"}, {"id", 3}, {"method", "ping"}, {"params", Json{{"pad", std::string(900, 'y')}}}};
  server.send(fits);
  EXPECT_EQ((*server.read())["id"], 3);
}

TEST(McpServer, ConcurrentCallsAnswerOutOfOrder) {
  FakeHandler handler;
  ServerHarness server(handler);
  server.initialize();
  server.request(1, "tools/call", Json{{"name", "gate"}, {"arguments", Json{{"n", 1}}}});
  handler.wait_for_waiting(1);
  server.request(2, "tools/call", Json{{"name", "echo"}, {"arguments", Json{{"n", 2}}}});
  const Json first = *server.read();
  EXPECT_EQ(first["id"], 2);
  EXPECT_EQ(first["result"]["content"][0]["text"], R"(echo {"n":2})");
  handler.open_gate();
  const Json second = *server.read();
  EXPECT_EQ(second["id"], 1);
  EXPECT_EQ(second["result"]["isError"], false);
}

TEST(McpServer, CallsBeyondTheLimitQueue) {
  FakeHandler handler;
  cw::McpServerOptions options;
  options.max_concurrent_calls = 2;
  ServerHarness server(handler, options);
  server.initialize();
  for (int id = 1; id <= 4; ++id) server.request(id, "tools/call", Json{{"name", "gate"}});
  handler.wait_for_waiting(2);
  EXPECT_EQ(server.call(10, "ping")["id"], 10);  // the reader is not blocked by busy workers
  handler.open_gate();
  std::set<int> ids;
  for (int i = 0; i < 4; ++i) ids.insert((*server.read())["id"].get<int>());
  EXPECT_EQ(ids, (std::set<int>{1, 2, 3, 4}));
}

TEST(McpServer, CancelledCallGetsNoAnswer) {
  FakeHandler handler;
  ServerHarness server(handler);
  server.initialize();
  server.request(5, "tools/call", Json{{"name", "wait_cancel"}});
  handler.wait_for_waiting(1);
  server.notify("notifications/cancelled", Json{{"requestId", 5}, {"reason", "user"}});
  handler.wait_for_cancelled(1);
  server.notify("notifications/cancelled", Json{{"requestId", 99}});  // unknown: ignored
  EXPECT_EQ(server.call(6, "ping")["id"], 6);
  server.close_input();
  EXPECT_FALSE(server.read().has_value());  // nothing more, in particular no answer to 5
  EXPECT_EQ(server.join(), 0);
}

TEST(McpServer, HandlerExceptionIsInternalError) {
  FakeHandler handler;
  ServerHarness server(handler);
  server.initialize();
  const Json answer = server.call(1, "tools/call", Json{{"name", "throw"}});
  EXPECT_EQ(error_code(answer), -32603);
  EXPECT_NE(answer["error"]["message"].get<std::string>().find("handler blew up"), std::string::npos);
}

TEST(McpServer, ListChangedIsSentAfterInitialize) {
  FakeHandler handler;
  ServerHarness server(handler);
  handler.fire_list_changed();  // before initialize: not sent
  server.initialize();
  handler.fire_list_changed();
  const Json note = *server.read();
  EXPECT_EQ(note["method"], "notifications/tools/list_changed");
  EXPECT_FALSE(note.contains("id"));
  EXPECT_EQ(server.call(1, "ping")["id"], 1);
  server.close_input();
  EXPECT_EQ(server.join(), 0);
  handler.fire_list_changed();  // after run() returned: harmless, nothing written
}

TEST(McpServer, EndOfInputWaitsForCallsInFlight) {
  const std::size_t threads_before = thread_count();
  {
    FakeHandler handler;
    ServerHarness server(handler);
    server.initialize();
    for (int id = 1; id <= 3; ++id) server.request(id, "tools/call", Json{{"name", "gate"}});
    handler.wait_for_waiting(3);
    server.close_input();
    handler.open_gate();
    std::set<int> ids;
    while (auto answer = server.read()) ids.insert((*answer)["id"].get<int>());
    EXPECT_EQ(ids, (std::set<int>{1, 2, 3}));
    EXPECT_EQ(server.join(), 0);
  }
  EXPECT_EQ(thread_count(), threads_before);  // workers joined
}

TEST(McpServer, ClientGoneDoesNotKillTheProcess) {
  FakeHandler handler;
  ServerHarness server(handler);
  server.initialize();
  server.close_output_reader();
  for (int id = 1; id <= 3; ++id) server.request(id, "tools/call", Json{{"name", "echo"}});
  server.request(4, "ping");
  server.close_input();
  EXPECT_EQ(server.join(), 1);  // SIGPIPE was not fatal; the failed output is reported
}

TEST(McpServer, BadDescriptorsReturnOne) {
  FakeHandler handler;
  cw::McpStdioServer server(handler);
  EXPECT_EQ(server.run(-1, 1), 1);
}

// McpServerOptions::stop_fd (how the CLI turns SIGTERM into a shutdown):
// reading stops with the input still open, calls in flight are cancelled and
// get no answer, run() returns 0.
TEST(McpServer, StopDescriptorEndsTheSessionAndCancelsCalls) {
  int stop[2];
  ASSERT_EQ(::pipe2(stop, O_CLOEXEC), 0);
  FakeHandler handler;
  cw::McpServerOptions options;
  options.stop_fd = stop[0];
  {
    ServerHarness server(handler, options);
    server.initialize();
    server.request(7, "tools/call", Json{{"name", "wait_cancel"}});
    handler.wait_for_waiting(1);
    EXPECT_EQ(server.call(8, "ping")["id"], 8);  // still serving while the call waits
    ASSERT_EQ(::write(stop[1], "x", 1), 1);
    handler.wait_for_cancelled(1);
    EXPECT_FALSE(server.read().has_value());  // output closed with no answer to 7; input never closed
    EXPECT_EQ(server.join(), 0);
  }
  ::close(stop[0]);
  ::close(stop[1]);
}
