// GatewayRuntime in gateway mode over a fake upstream: browse by query and
// path, execute (ok, isError, upstream failure, schema violation, unknown id),
// view selectors and errors, per-call handles, catalog rules, refresh on
// change and concurrent executes.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <set>
#include <thread>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/mcp/gateway_handler.hpp"
#include "contextweaver/mcp/gateway_runtime.hpp"
#include "mcp/fake_upstream.hpp"

namespace cw = contextweaver;
using cw::Json;

namespace {

Json tool(const std::string& name, const std::string& description, Json schema = Json::object()) {
  return Json{{"name", name}, {"description", description}, {"inputSchema", schema}};
}

std::vector<Json> sample_tools() {
  return {
      tool("github.create_issue", "Create a new issue in a GitHub repository.",
           cw::loads(R"({"type":"object","properties":{"title":{"type":"string"},"body":{"type":"string"}},
                         "required":["title"],"additionalProperties":false})")),
      tool("github.list_issues", "List the open issues of a GitHub repository."),
      tool("slack_send_message", "Send a message to a Slack channel."),
      tool("read_file", "Read the complete contents of a file from disk.",
           cw::loads(R"({"type":"object","properties":{"path":{"type":"string"}},"required":["path"]})")),
      tool("snap", "Take a picture with the camera."),
      tool("explode", "Always fails."),
      tool("big", "Returns a large report."),
  };
}

Json handle_call(const std::string& name, const Json& args) {
  if (name == "snap") {
    const std::string data = args.value("data", "aGVsbG8=");
    return Json{{"content", {{{"type", "image"}, {"data", data}, {"mimeType", "image/png"}}}}};
  }
  if (name == "explode") throw std::runtime_error("connection reset");
  if (name == "github.create_issue") {
    return Json{{"content", {{{"type", "text"}, {"text", "permission denied"}}}}, {"isError", true}};
  }
  if (name == "big") {
    std::string text = "Report headline\n\n";
    for (int i = 0; i < 300; ++i) text += "row " + std::to_string(i) + ": value\n";
    return Json{{"content", {{{"type", "text"}, {"text", text}}}}};
  }
  return Json{{"content", {{{"type", "text"}, {"text", "contents of " + args.value("path", std::string("?"))}}}}};
}

Json payload(const Json& result) {
  return cw::loads(result["content"][0]["text"].get<std::string>());
}
std::string text_of(const Json& result) {
  return result["content"][0]["text"].get<std::string>();
}

struct Fixture {
  std::shared_ptr<cwtest::FakeUpstream> upstream = std::make_shared<cwtest::FakeUpstream>(sample_tools(), handle_call);
  std::vector<std::string> logged;
  std::shared_ptr<cw::GatewayRuntime> runtime;

  explicit Fixture(cw::GatewayRuntimeOptions options = {}) {
    options.log = [this](const std::string& line) { logged.push_back(line); };
    if (!options.server_of) options.server_of = [](const std::string&) { return std::string("files"); };
    runtime = std::make_shared<cw::GatewayRuntime>(upstream, std::move(options));
    runtime->refresh();
  }
  std::string id_of(const std::string& raw) const {
    for (const auto& id : runtime->tool_ids()) {
      if (runtime->raw_name_of(id) == raw) return id;
    }
    return "";
  }
};

void expect_error(const Json& result, const std::string& code) {
  ASSERT_TRUE(result["isError"].get<bool>()) << result.dump();
  EXPECT_EQ(payload(result)["error"], code) << result.dump();
}

}  // namespace

TEST(GatewayRuntime, CatalogIdsAndServerNamespace) {
  Fixture f;
  EXPECT_EQ(f.runtime->tool_ids().size(), 7u);
  EXPECT_EQ(f.id_of("github.create_issue"), "github:create_issue#6c5f877d");
  EXPECT_EQ(f.id_of("slack_send_message").substr(0, 25), "slack:slack_send_message#");
  EXPECT_EQ(f.id_of("read_file").substr(0, 16), "files:read_file#");  // namespace from the server
  EXPECT_TRUE(f.runtime->catalog_problems().empty());
}

TEST(GatewayRuntime, CollisionsAndBadToolsAreReported) {
  auto tools = sample_tools();
  tools.push_back(tools[0]);                         // same canonical id twice
  tools.push_back(tool("Bad Name", "has a space"));  // fails the id grammar
  tools.push_back(Json{{"name", "nodesc"}});         // no description: falls back to the name
  auto upstream = std::make_shared<cwtest::FakeUpstream>(tools, handle_call);
  std::vector<std::string> logged;
  cw::GatewayRuntimeOptions options;
  options.log = [&](const std::string& line) { logged.push_back(line); };
  options.upstream_problems = [] { return std::vector<std::string>{"x offered by a and b; b's is hidden"}; };
  cw::GatewayRuntime runtime(upstream, options);
  runtime.refresh();
  EXPECT_EQ(runtime.tool_ids().size(), 8u);
  const auto problems = runtime.catalog_problems();
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_NE(problems[0].find("the second is hidden"), std::string::npos);
  EXPECT_NE(problems[1].find("tool 'Bad Name' skipped"), std::string::npos);
  EXPECT_EQ(logged, problems);
}

TEST(GatewayRuntime, BrowseQuery) {
  Fixture f;
  const Json result = f.runtime->browse(Json{{"query", "create a github issue"}});
  ASSERT_FALSE(result["isError"].get<bool>());
  const Json cards = payload(result);
  ASSERT_FALSE(cards.empty());
  EXPECT_EQ(cards[0]["id"], "github:create_issue#6c5f877d");
  EXPECT_TRUE(cards[0].contains("score"));
  EXPECT_EQ(cards[0]["has_schema"], true);
  EXPECT_FALSE(cards[0].contains("args_schema"));
  const Json one = payload(f.runtime->browse(Json{{"query", "issue"}, {"top_k", 1}}));
  EXPECT_EQ(one.size(), 1u);
  // Deterministic: identical input, identical bytes.
  EXPECT_EQ(text_of(f.runtime->browse(Json{{"query", "issue"}})), text_of(f.runtime->browse(Json{{"query", "issue"}})));
}

TEST(GatewayRuntime, BrowseArgumentErrors) {
  Fixture f;
  expect_error(f.runtime->browse(Json::object()), "ARGS_INVALID");
  expect_error(f.runtime->browse(Json{{"query", "a"}, {"path", "/"}}), "ARGS_INVALID");
  expect_error(f.runtime->browse(Json{{"query", "a"}, {"top_k", 0}}), "ARGS_INVALID");
  expect_error(f.runtime->browse(Json{{"query", "a"}, {"top_k", 51}}), "ARGS_INVALID");
  expect_error(f.runtime->browse(Json{{"query", "a"}, {"bogus", 1}}), "ARGS_INVALID");
  expect_error(f.runtime->browse(Json{{"query", 3}}), "ARGS_INVALID");
}

TEST(GatewayRuntime, BrowsePath) {
  Fixture f;
  const Json root = payload(f.runtime->browse(Json{{"path", "/"}}));
  ASSERT_FALSE(root.empty());
  std::set<std::string> namespaces;
  for (const auto& card : root) namespaces.insert(card["name"].get<std::string>());
  expect_error(f.runtime->browse(Json{{"path", "github"}}), "PATH_INVALID");
  expect_error(f.runtime->browse(Json{{"path", "/a/"}}), "PATH_INVALID");
  const Json missing = f.runtime->browse(Json{{"path", "/nowhere"}});
  expect_error(missing, "PATH_NOT_FOUND");
  EXPECT_EQ(payload(missing)["message"], "path /nowhere does not resolve in the catalog");
  EXPECT_EQ(payload(missing)["path"], "/nowhere");
  // Walking down from the root always reaches item cards.
  std::string path;
  Json level = root;
  for (int depth = 0; depth < 10 && level[0]["kind"] == "internal"; ++depth) {
    const std::string id = level[0]["id"].get<std::string>();
    path += "/" + id.substr(id.rfind('/') + 1);
    level = payload(f.runtime->browse(Json{{"path", path}}));
    ASSERT_FALSE(level.is_object()) << level.dump();
  }
  EXPECT_EQ(level[0]["kind"], "tool");
}

TEST(GatewayRuntime, EmptyCatalog) {
  auto upstream = std::make_shared<cwtest::FakeUpstream>(std::vector<Json>{}, handle_call);
  cw::GatewayRuntime runtime(upstream);
  runtime.refresh();
  EXPECT_EQ(text_of(runtime.browse(Json{{"query", "x"}})), "[]");
  const Json r = runtime.browse(Json{{"path", "/"}});
  expect_error(r, "PATH_NOT_FOUND");
  EXPECT_EQ(payload(r)["message"], "No catalog registered.");
}

TEST(GatewayRuntime, ExecuteOkListsTheTextHandle) {
  Fixture f;
  const std::string id = f.id_of("read_file");
  const Json result = f.runtime->execute(Json{{"tool_id", id}, {"args", {{"path", "/etc/hosts"}}}});
  ASSERT_FALSE(result["isError"].get<bool>()) << result.dump();
  EXPECT_EQ(f.upstream->last(), "read_file");  // the raw upstream name
  const Json envelope = payload(result);
  EXPECT_EQ(envelope["status"], "ok");
  EXPECT_EQ(envelope["summary"], "contents of /etc/hosts");
  EXPECT_EQ(envelope["provenance"]["tool_id"], id);
  ASSERT_EQ(envelope["artifacts"].size(), 1u);
  const std::string handle = envelope["artifacts"][0]["handle"].get<std::string>();
  EXPECT_EQ(handle.rfind("text:" + id + ":", 0), 0u);
  const Json view = f.runtime->view(Json{{"handle", handle}, {"selector", {{"type", "head"}, {"chars", 8}}}});
  EXPECT_FALSE(view["isError"].get<bool>());
  EXPECT_EQ(text_of(view), "contents");
}

TEST(GatewayRuntime, ExecuteUpstreamIsErrorIsAnEnvelope) {
  Fixture f;
  const Json result = f.runtime->execute(Json{{"tool_id", f.id_of("github.create_issue")}, {"args", {{"title", "t"}}}});
  EXPECT_TRUE(result["isError"].get<bool>());
  const Json envelope = payload(result);
  EXPECT_EQ(envelope["status"], "error");
  EXPECT_EQ(envelope["summary"], "permission denied");
  EXPECT_FALSE(envelope.contains("error"));
}

TEST(GatewayRuntime, ExecuteUpstreamFailure) {
  Fixture f;
  const Json result = f.runtime->execute(Json{{"tool_id", f.id_of("explode")}, {"args", Json::object()}});
  expect_error(result, "UPSTREAM_ERROR");
  EXPECT_EQ(payload(result)["message"], "upstream call failed: connection reset");
}

TEST(GatewayRuntime, ExecuteSchemaViolationDoesNotCallUpstream) {
  Fixture f;
  const std::string id = f.id_of("github.create_issue");
  const Json missing = f.runtime->execute(Json{{"tool_id", id}, {"args", {{"body", "b"}}}});
  expect_error(missing, "ARGS_INVALID");
  EXPECT_EQ(payload(missing)["path"], id);
  EXPECT_EQ(payload(missing)["message"], "'title' is a required property (at instance path /)");
  EXPECT_EQ(payload(missing)["details"], (Json{{"path", Json::array()}}));
  const Json wrong = f.runtime->execute(Json{{"tool_id", id}, {"args", {{"title", 5}}}});
  expect_error(wrong, "ARGS_INVALID");
  EXPECT_EQ(payload(wrong)["details"]["path"], Json::array({"title"}));
  EXPECT_EQ(f.upstream->calls.load(), 0);
}

TEST(GatewayRuntime, ExecuteBadArguments) {
  Fixture f;
  const Json unknown = f.runtime->execute(Json{{"tool_id", "nope:x#00000000"}, {"args", Json::object()}});
  expect_error(unknown, "HYDRATE_FAILED");
  EXPECT_EQ(payload(unknown)["message"], "Item not found: 'nope:x#00000000'");
  const Json bad = f.runtime->execute(Json{{"tool_id", 3}, {"args", Json::object()}});
  expect_error(bad, "ARGS_INVALID");
  EXPECT_EQ(payload(bad)["message"], "tool_execute requires string 'tool_id' and object 'args'.");
  expect_error(f.runtime->execute(Json{{"tool_id", "x"}}), "ARGS_INVALID");
  expect_error(f.runtime->execute(Json{{"tool_id", "x"}, {"args", Json::object()}, {"extra", 1}}), "ARGS_INVALID");
}

TEST(GatewayRuntime, BinaryHandlesDifferAcrossCalls) {
  Fixture f;
  const std::string id = f.id_of("snap");
  const Json a = payload(f.runtime->execute(Json{{"tool_id", id}, {"args", {{"data", "Zmlyc3Q="}}}}));
  const Json b = payload(f.runtime->execute(Json{{"tool_id", id}, {"args", {{"data", "c2Vjb25k"}}}}));
  const std::string ha = a["artifacts"][0]["handle"].get<std::string>();
  const std::string hb = b["artifacts"][0]["handle"].get<std::string>();
  EXPECT_NE(ha, hb);
  EXPECT_EQ(ha.rfind("mcp:snap:", 0), 0u);
  EXPECT_EQ(text_of(f.runtime->view(Json{{"handle", ha}, {"selector", {{"type", "head"}}}})), "first");
  EXPECT_EQ(text_of(f.runtime->view(Json{{"handle", hb}, {"selector", {{"type", "head"}}}})), "second");
}

TEST(GatewayRuntime, LargeResultIsFirewalledAndDrillable) {
  Fixture f;
  const Json envelope = payload(f.runtime->execute(Json{{"tool_id", f.id_of("big")}, {"args", Json::object()}}));
  EXPECT_EQ(envelope["summary"], "Report headline");
  EXPECT_EQ(envelope["facts"].size(), 20u);  // bounded, although the firewall extracts one per row
  std::string firewall_handle;
  for (const auto& a : envelope["artifacts"]) {
    if (a["handle"].get<std::string>().rfind("artifact:result:", 0) == 0) firewall_handle = a["handle"];
  }
  ASSERT_FALSE(firewall_handle.empty()) << envelope.dump();
  const Json lines =
      f.runtime->view(Json{{"handle", firewall_handle}, {"selector", {{"type", "lines"}, {"start", 2}, {"end", 4}}}});
  EXPECT_EQ(text_of(lines), "row 0: value\nrow 1: value");
  const Json rows = f.runtime->view(Json{{"handle", firewall_handle}, {"selector", {{"type", "rows"}, {"start", -1}}}});
  EXPECT_EQ(text_of(rows), "row 299: value");
}

TEST(GatewayRuntime, ViewErrors) {
  Fixture f;
  const Json missing = f.runtime->view(Json{{"handle", "nope"}, {"selector", {{"type", "head"}}}});
  expect_error(missing, "VIEW_FAILED");
  EXPECT_EQ(payload(missing)["message"], "Artifact not found: 'nope'");
  EXPECT_EQ(payload(missing)["path"], "nope");
  const std::string handle = payload(
      f.runtime->execute(Json{{"tool_id", f.id_of("read_file")}, {"args", {{"path", "p"}}}}))["artifacts"][0]["handle"];
  const Json bad_type = f.runtime->view(Json{{"handle", handle}, {"selector", {{"type", "bogus"}}}});
  expect_error(bad_type, "VIEW_FAILED");
  EXPECT_EQ(payload(bad_type)["message"], "Unknown drilldown selector type: 'bogus'");
  expect_error(f.runtime->view(Json{{"handle", handle}, {"selector", {{"type", "head"}, {"chars", "x"}}}}),
               "VIEW_FAILED");
  expect_error(f.runtime->view(Json{{"handle", handle}, {"selector", "head"}}), "ARGS_INVALID");
  expect_error(f.runtime->view(Json{{"handle", "../etc/passwd"}, {"selector", {{"type", "head"}}}}), "VIEW_FAILED");
}

TEST(GatewayRuntime, HandlerListsThreeMetaToolsAndRejectsOthers) {
  Fixture f;
  cw::GatewayHandler handler(f.runtime);
  const Json tools = handler.list_tools();
  ASSERT_EQ(tools.size(), 3u);
  EXPECT_EQ(tools[0]["name"], "tool_browse");
  EXPECT_EQ(tools[1]["name"], "tool_execute");
  EXPECT_EQ(tools[2]["name"], "tool_view");
  const Json r = handler.call_tool("read_file", Json::object(), {});
  expect_error(r, "ARGS_INVALID");
  EXPECT_EQ(payload(r)["message"],
            "unknown meta-tool 'read_file' (valid: ['tool_browse', 'tool_execute', 'tool_view'])");
  EXPECT_FALSE(handler.call_tool("tool_browse", Json{{"query", "file"}}, {})["isError"].get<bool>());
}

TEST(GatewayRuntime, RefreshOnUpstreamChange) {
  Fixture f;
  EXPECT_FALSE(f.runtime->refresh());  // same listing: unchanged
  std::mutex mutex;
  std::condition_variable cv;
  int notified = 0;
  cw::GatewayHandler handler(f.runtime);
  handler.set_list_changed_notifier([&] {
    std::lock_guard lock(mutex);
    ++notified;
    cv.notify_all();
  });
  auto tools = sample_tools();
  tools.erase(tools.begin() + 1);  // github.list_issues goes
  tools.push_back(tool("weather.forecast", "Forecast the weather for a city."));
  f.upstream->set_tools(tools);
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return notified > 0; }));
  }
  EXPECT_FALSE(f.id_of("weather.forecast").empty());
  EXPECT_TRUE(f.id_of("github.list_issues").empty());
  const Json cards = payload(f.runtime->browse(Json{{"query", "weather forecast"}}));
  ASSERT_FALSE(cards.empty());
  EXPECT_EQ(cards[0]["name"], "weather.forecast");
  for (const auto& card : payload(f.runtime->browse(Json{{"query", "list issues"}}))) {
    EXPECT_NE(card["name"], "github.list_issues");
  }
}

TEST(GatewayRuntime, ConcurrentExecutes) {
  Fixture f;
  const std::string id = f.id_of("read_file");
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<std::string> call_ids;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const std::string path = "/f/" + std::to_string(t) + "/" + std::to_string(i);
        const Json r = f.runtime->execute(Json{{"tool_id", id}, {"args", {{"path", path}}}});
        const Json envelope = payload(r);
        if (r["isError"].get<bool>() || envelope["summary"] != "contents of " + path) ++failures;
        if (i % 3 == 0) f.runtime->browse(Json{{"query", "file"}});
        std::lock_guard lock(mutex);
        call_ids.insert(envelope["provenance"]["call_id"].get<std::string>());
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(call_ids.size(), 80u);
  EXPECT_EQ(f.runtime->recorder().event_log().count(), 160u);
}
