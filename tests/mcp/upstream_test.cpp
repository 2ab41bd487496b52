// StubUpstream, MultiplexUpstream and error_call_result (upstream.hpp).
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/mcp/upstream.hpp"

namespace cw = contextweaver;
using cw::Json;

namespace {

Json tool(const std::string& name) {
  return Json{{"name", name}, {"description", "does " + name}, {"inputSchema", Json{{"type", "object"}}}};
}

std::string text_of(const Json& result) {
  return result.at("content").at(0).at("text").get<std::string>();
}

class FailingUpstream : public cw::UpstreamCall {
 public:
  std::vector<Json> list_tools() override { throw cw::UpstreamError("down for maintenance"); }
  Json call_tool(const std::string&, const Json&, const cw::CallOptions&) override {
    return cw::error_call_result("unreachable");
  }
  void set_tools_changed_listener(std::function<void()>) override {}
};

}  // namespace

TEST(ErrorCallResult, HasOneTextPartAndIsError) {
  const Json result = cw::error_call_result("upstream timeout after 30.0s");
  EXPECT_EQ(result.dump(), R"({"content":[{"type":"text","text":"upstream timeout after 30.0s"}],"isError":true})");
}

TEST(StubUpstream, ListsItsToolsAndRunsTheHandler) {
  cw::StubUpstream stub(std::vector<Json>{tool("a"), tool("b")}, [](const std::string& name, const Json& args) {
    return Json{{"content", Json::array({Json{{"type", "text"}, {"text", name + ":" + args.dump()}}})},
                {"isError", false}};
  });
  ASSERT_EQ(stub.list_tools().size(), 2u);
  EXPECT_EQ(stub.list_tools()[1]["name"], "b");
  const Json result = stub.call_tool("a", Json{{"x", 1}});
  EXPECT_EQ(text_of(result), R"(a:{"x":1})");
  EXPECT_FALSE(result["isError"].get<bool>());
}

TEST(StubUpstream, WithoutHandlerAnswersIsError) {
  cw::StubUpstream stub(std::vector<Json>{tool("a")});
  const Json result = stub.call_tool("a", Json::object());
  EXPECT_TRUE(result["isError"].get<bool>());
  EXPECT_EQ(text_of(result), "stub upstream has no handler for 'a'");
}

TEST(StubUpstream, HandlerExceptionBecomesIsErrorResult) {
  cw::StubUpstream stub(std::vector<Json>{tool("a")},
                        [](const std::string&, const Json&) -> Json { throw std::runtime_error("boom"); });
  const Json result = stub.call_tool("a", Json::object());
  EXPECT_TRUE(result["isError"].get<bool>());
  EXPECT_EQ(text_of(result), "upstream error: boom");
}

TEST(StubUpstream, CancelledBeforeTheCallDoesNotRunIt) {
  std::atomic<int> runs{0};
  cw::StubUpstream stub(std::vector<Json>{tool("a")}, [&](const std::string&, const Json&) {
    ++runs;
    return Json::object();
  });
  std::stop_source stop;
  stop.request_stop();
  cw::CallOptions options;
  options.cancel = stop.get_token();
  const Json result = stub.call_tool("a", Json::object(), options);
  EXPECT_TRUE(result["isError"].get<bool>());
  EXPECT_EQ(text_of(result), "upstream call cancelled");
  EXPECT_EQ(runs.load(), 0);
}

TEST(StubUpstream, SetToolsFiresTheListener) {
  cw::StubUpstream stub(std::vector<Json>{tool("a")});
  int fired = 0;
  std::size_t seen = 0;
  stub.set_tools_changed_listener([&] {
    ++fired;
    seen = stub.list_tools().size();  // the new list is visible to the listener
  });
  stub.set_tools({tool("a"), tool("b"), tool("c")});
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(seen, 3u);
}

TEST(MultiplexUpstream, UnionRoutingAndDuplicates) {
  auto first = std::make_shared<cw::StubUpstream>(
      std::vector<Json>{tool("read"), tool("shared")}, [](const std::string& name, const Json&) {
        return Json{{"content", Json::array({Json{{"type", "text"}, {"text", "first " + name}}})}, {"isError", false}};
      });
  auto second = std::make_shared<cw::StubUpstream>(
      std::vector<Json>{tool("shared"), tool("write")}, [](const std::string& name, const Json&) {
        return Json{{"content", Json::array({Json{{"type", "text"}, {"text", "second " + name}}})}, {"isError", false}};
      });
  cw::MultiplexUpstream multiplex({{"fs", first}, {"db", second}});
  const auto tools = multiplex.list_tools();
  ASSERT_EQ(tools.size(), 3u);
  EXPECT_EQ(tools[0]["name"], "read");
  EXPECT_EQ(tools[1]["name"], "shared");
  EXPECT_EQ(tools[2]["name"], "write");
  ASSERT_EQ(multiplex.duplicate_names().size(), 1u);
  EXPECT_EQ(multiplex.duplicate_names()[0], "shared offered by fs and db; db's is hidden");
  EXPECT_EQ(multiplex.owner_of("shared"), "fs");
  EXPECT_EQ(multiplex.owner_of("write"), "db");
  EXPECT_EQ(multiplex.owner_of("nothing"), "");
  EXPECT_EQ(text_of(multiplex.call_tool("shared", Json::object())), "first shared");
  EXPECT_EQ(text_of(multiplex.call_tool("write", Json::object())), "second write");
  const Json unknown = multiplex.call_tool("nothing", Json::object());
  EXPECT_TRUE(unknown["isError"].get<bool>());
  EXPECT_EQ(text_of(unknown), "no upstream owns tool 'nothing'");
}

TEST(MultiplexUpstream, CallBeforeListingListsFirst) {
  auto stub = std::make_shared<cw::StubUpstream>(std::vector<Json>{tool("x")}, [](const std::string&, const Json&) {
    return Json{{"content", Json::array()}, {"isError", false}};
  });
  cw::MultiplexUpstream multiplex({{"one", stub}});
  EXPECT_FALSE(multiplex.call_tool("x", Json::object())["isError"].get<bool>());
}

TEST(MultiplexUpstream, OneFailingSourceIsSkippedAllFailingThrows) {
  auto good = std::make_shared<cw::StubUpstream>(std::vector<Json>{tool("x")});
  auto bad = std::make_shared<FailingUpstream>();
  cw::MultiplexUpstream partly({{"bad", bad}, {"good", good}});
  const auto tools = partly.list_tools();
  ASSERT_EQ(tools.size(), 1u);
  EXPECT_EQ(partly.owner_of("x"), "good");

  cw::MultiplexUpstream none({{"bad", bad}});
  try {
    none.list_tools();
    FAIL() << "expected UpstreamError";
  } catch (const cw::UpstreamError& error) {
    EXPECT_EQ(std::string(error.what()), "no upstream could list its tools: bad: down for maintenance");
  }
  const Json result = none.call_tool("x", Json::object());
  EXPECT_TRUE(result["isError"].get<bool>());
  EXPECT_NE(text_of(result).find("upstream error: no upstream could list"), std::string::npos);
}

TEST(MultiplexUpstream, ForwardsToolsChangedFromAnySource) {
  auto a = std::make_shared<cw::StubUpstream>(std::vector<Json>{tool("x")});
  auto b = std::make_shared<cw::StubUpstream>(std::vector<Json>{tool("y")});
  int fired = 0;
  {
    cw::MultiplexUpstream multiplex({{"a", a}, {"b", b}});
    multiplex.set_tools_changed_listener([&] { ++fired; });
    a->set_tools({tool("x"), tool("z")});
    b->set_tools({});
    EXPECT_EQ(fired, 2);
    EXPECT_EQ(multiplex.list_tools().size(), 2u);
  }
  a->set_tools({});  // the multiplexer is gone: nothing forwarded, nothing dangling
  EXPECT_EQ(fired, 2);
}
