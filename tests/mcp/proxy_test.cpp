// Proxy mode: stripped listing sorted by tool id with bounded descriptions,
// tool_hydrate, tool_execute, and direct calls refused.
#include <gtest/gtest.h>

#include "contextweaver/core/unicode.hpp"
#include "contextweaver/mcp/proxy_handler.hpp"
#include "contextweaver/routing/cards.hpp"
#include "mcp/fake_upstream.hpp"

namespace cw = contextweaver;
using cw::Json;

namespace {

Json payload(const Json& result) {
  return cw::loads(result["content"][0]["text"].get<std::string>());
}

std::string long_description() {
  std::string text = "Searches the archive.";
  for (int i = 0; i < 60; ++i) text += " More words about the archive search tool number " + std::to_string(i) + ".";
  return text;
}

std::shared_ptr<cw::GatewayRuntime> make_runtime(std::shared_ptr<cwtest::FakeUpstream>& upstream) {
  upstream = std::make_shared<cwtest::FakeUpstream>(
      std::vector<Json>{
          Json{{"name", "zeta.tool"}, {"description", "Last one."}},
          Json{
              {"name", "alpha.search"},
              {"description", long_description()},
              {"inputSchema", cw::loads(R"({"type":"object","properties":{"q":{"type":"string"}},"required":["q"]})")}},
          Json{{"name", "mid_level_tool"}, {"description", "Middle."}},
      },
      [](const std::string& name, const Json& args) {
        return Json{{"content", {{{"type", "text"}, {"text", name + " got " + cw::dumps(args)}}}}};
      });
  cw::GatewayRuntimeOptions options;
  options.mode = cw::ExposureMode::proxy;
  auto runtime = std::make_shared<cw::GatewayRuntime>(upstream, options);
  runtime->refresh();
  return runtime;
}

}  // namespace

TEST(Proxy, StrippedListSortedAndBounded) {
  std::shared_ptr<cwtest::FakeUpstream> upstream;
  cw::ProxyHandler handler(make_runtime(upstream));
  const Json tools = handler.list_tools();
  ASSERT_EQ(tools.size(), 5u);
  std::vector<std::string> names;
  for (const auto& t : tools) names.push_back(t["name"].get<std::string>());
  EXPECT_LT(names[0], names[1]);
  EXPECT_LT(names[1], names[2]);
  EXPECT_EQ(names[0].rfind("alpha:search#", 0), 0u);
  EXPECT_EQ(names[3], "tool_hydrate");
  EXPECT_EQ(names[4], "tool_execute");
  EXPECT_EQ(tools[0]["inputSchema"], (Json{{"type", "object"}}));
  const std::string description = tools[0]["description"].get<std::string>();
  EXPECT_LE(cw::count_tokens(description), cw::kProxyDescriptionTokens);
  EXPECT_EQ(description.rfind("Searches the archive.", 0), 0u);
  EXPECT_LT(description.size(), long_description().size());
  EXPECT_EQ(tools[2]["description"], "Last one.");
  for (const auto& t : tools) EXPECT_EQ(t.size(), 3u);  // name, description, inputSchema only
}

TEST(Proxy, HydrateAndExecute) {
  std::shared_ptr<cwtest::FakeUpstream> upstream;
  auto runtime = make_runtime(upstream);
  cw::ProxyHandler handler(runtime);
  const std::string id = runtime->tool_ids()[0];
  const Json hydrated = handler.call_tool("tool_hydrate", Json{{"tool_id", id}}, {});
  ASSERT_FALSE(hydrated["isError"].get<bool>());
  const Json h = payload(hydrated);
  EXPECT_EQ(h["tool_id"], id);
  EXPECT_EQ(h["args_schema"]["required"], Json::array({"q"}));
  EXPECT_EQ(h["examples"], Json::array());
  EXPECT_EQ(h["constraints"], Json::object());
  EXPECT_EQ(payload(handler.call_tool("tool_hydrate", Json{{"tool_id", "a:b#00000000"}}, {}))["error"],
            "HYDRATE_FAILED");
  const Json bad = handler.call_tool("tool_hydrate", Json{{"tool_id", 1}}, {});
  EXPECT_EQ(payload(bad)["message"], "tool_hydrate requires a string 'tool_id'.");

  const Json ok = handler.call_tool("tool_execute", Json{{"tool_id", id}, {"args", {{"q", "x"}}}}, {});
  ASSERT_FALSE(ok["isError"].get<bool>());
  EXPECT_EQ(payload(ok)["summary"], "alpha.search got {\"q\": \"x\"}");
  EXPECT_EQ(payload(ok)["provenance"]["tool_id"], id);
  EXPECT_EQ(payload(handler.call_tool("tool_execute", Json{{"tool_id", id}, {"args", Json::object()}}, {}))["error"],
            "ARGS_INVALID");
  // tool_view is a gateway meta-tool only.
  EXPECT_EQ(payload(handler.call_tool("tool_view", Json::object(), {}))["error"], "ARGS_INVALID");
}

TEST(Proxy, DirectCallsAreRefused) {
  std::shared_ptr<cwtest::FakeUpstream> upstream;
  auto runtime = make_runtime(upstream);
  cw::ProxyHandler handler(runtime);
  const std::string id = runtime->tool_ids()[0];
  const Json r = handler.call_tool(id, Json{{"q", "x"}}, {});
  ASSERT_TRUE(r["isError"].get<bool>());
  const Json e = payload(r);
  EXPECT_EQ(e["error"], "ARGS_INVALID");
  EXPECT_EQ(e["path"], id);
  EXPECT_NE(e["message"].get<std::string>().find("tool_execute"), std::string::npos);
  EXPECT_EQ(upstream->calls.load(), 0);
  EXPECT_EQ(payload(handler.call_tool("alpha.search", Json::object(), {}))["message"],
            "proxy mode does not expose meta-tool 'alpha.search'");
}
