// Port of test_manager.py's build_route_prompt tests. The context module does
// not link routing, so the route outcome is given as a routing call would hand
// it over (ids, scores, and the cards rendered by render_cards_text); the
// prompt assembly, the hook and the metrics are what is tested here.
#include <gtest/gtest.h>

#include "contextweaver/context/manager.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"

namespace cw = contextweaver;

namespace {

cw::ContextItem user_turn(const std::string& id, const std::string& text) {
  cw::ContextItem item;
  item.id = id;
  item.kind = cw::ItemKind::user_turn;
  item.text = text;
  return item;
}

// What routing hands over for the reference test's three-tool catalog and the
// query "read database" (cards as render_cards_text prints them).
cw::RouteOutcome data_tools_outcome() {
  cw::RouteOutcome o;
  o.candidate_ids = {"db_read", "search_docs", "send_email"};
  o.scores = {0.82, 0.31, 0.12};
  o.cards_text =
      "[1/3] db_read (tool) \xe2\x80\x94 Read from database [data] score=0.82\n"
      "[2/3] search_docs (tool) \xe2\x80\x94 Search documentation pages [search] score=0.31\n"
      "[3/3] send_email (tool) \xe2\x80\x94 Send email notification [comm] score=0.12";
  return o;
}

struct RouteHook final : cw::EventHook {
  std::vector<std::vector<std::string>> routes;
  int built = 0;
  void on_context_built(const cw::ContextPack&) override { ++built; }
  void on_route_completed(const std::vector<std::string>& ids) override { routes.push_back(ids); }
};

bool contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

}  // namespace

TEST(BuildRoutePrompt, RoutePhaseWithGoalHeaderAndAvailableToolsFooter) {
  auto log = std::make_shared<cw::InMemoryEventLog>();
  log->append(user_turn("u1", "read database"));
  cw::ContextManagerOptions options;
  options.event_log = log;
  cw::ContextManager m(options);
  const auto routed = data_tools_outcome();
  const cw::ContextPack pack = m.build_route_prompt("Find data tools", "read database", routed);
  EXPECT_EQ(pack.phase, cw::Phase::route);
  EXPECT_TRUE(contains(pack.prompt, "[GOAL]"));
  EXPECT_TRUE(contains(pack.prompt, "Find data tools"));
  EXPECT_TRUE(contains(pack.prompt, "[AVAILABLE TOOLS]"));
  // Exactly: header, the item, then the footer.
  EXPECT_EQ(pack.prompt, "[GOAL]\nFind data tools\n\n[USER]\nread database\n\n[AVAILABLE TOOLS]\n" + routed.cards_text);
  EXPECT_GT(pack.stats.header_footer_tokens, 0);
}

TEST(BuildRoutePrompt, SameAsABuildWithThatHeaderAndFooter) {
  cw::ContextManager a, b;
  for (auto* m : {&a, &b}) m->ingest(user_turn("u1", "search docs"));
  const auto routed = data_tools_outcome();
  const cw::ContextPack via_route = a.build_route_prompt("Search goal", "search docs", routed, 500);
  cw::BuildRequest r;
  r.phase = cw::Phase::route;
  r.query = "search docs";
  r.header = "[GOAL]\nSearch goal";
  r.footer = "[AVAILABLE TOOLS]\n" + routed.cards_text;
  r.budget_tokens = 500;
  EXPECT_EQ(via_route, b.build(r));
}

TEST(BuildRoutePrompt, SyncAliasAndNoFooterWithoutCards) {
  cw::ContextManager m;
  m.ingest(user_turn("u1", "search docs"));
  const cw::ContextPack pack = m.build_route_prompt_sync("Search goal", "search docs", cw::RouteOutcome{});
  EXPECT_EQ(pack.phase, cw::Phase::route);
  EXPECT_FALSE(contains(pack.prompt, "[AVAILABLE TOOLS]"));
  EXPECT_EQ(pack.prompt, "[GOAL]\nSearch goal\n\n[USER]\nsearch docs");
}

TEST(BuildRoutePrompt, TellsTheHookAndRecordsRouteMetrics) {
  auto hook = std::make_shared<RouteHook>();
  auto metrics = std::make_shared<cw::MetricsCollector>();
  cw::ContextManagerOptions options;
  options.hook = hook;
  options.metrics = metrics;
  cw::ContextManager m(options);
  EXPECT_EQ(m.metrics(), metrics);
  m.ingest(user_turn("u1", "read database"));
  m.build_route_prompt("Find data tools", "read database", data_tools_outcome());
  ASSERT_EQ(hook->routes.size(), 1u);
  EXPECT_EQ(hook->routes[0], (std::vector<std::string>{"db_read", "search_docs", "send_email"}));
  EXPECT_EQ(hook->built, 1);
  const auto s = metrics->summary();
  EXPECT_EQ(s["total_routes"], 1);
  EXPECT_EQ(s["avg_candidates_per_route"].get<double>(), 3.0);
  EXPECT_EQ(s["avg_top_score"].get<double>(), 0.82);
  EXPECT_EQ(s["avg_confidence_gap"].get<double>(), 0.51);
  EXPECT_EQ(s["total_builds"], 0);  // builds reach a collector through MetricsHook, not metrics=
}

TEST(BuildRoutePrompt, MetricsHookAndManagerShareOneCollector) {
  auto metrics = std::make_shared<cw::MetricsCollector>();
  cw::ContextManagerOptions options;
  options.hook = std::make_shared<cw::MetricsHook>(metrics);
  options.metrics = metrics;
  cw::ContextManager m(options);
  m.ingest(user_turn("u1", "read database"));
  m.build_route_prompt("Find data tools", "read database", data_tools_outcome());
  const auto s = metrics->summary();
  EXPECT_EQ(s["total_builds"], 1);
  EXPECT_EQ(s["total_routes"], 1);  // once: the hook's on_route_completed is a no-op
}

TEST(BuildRoutePrompt, HeaderAndFooterOverBudgetRaiseAndReportNothing) {
  auto hook = std::make_shared<RouteHook>();
  auto metrics = std::make_shared<cw::MetricsCollector>();
  cw::ContextManagerOptions options;
  options.hook = hook;
  options.metrics = metrics;
  cw::ContextManager m(options);
  m.ingest(user_turn("u1", "read database"));
  EXPECT_THROW(m.build_route_prompt("Find data tools", "read database", data_tools_outcome(), 10),
               cw::BudgetExceededError);
  EXPECT_TRUE(hook->routes.empty());
  EXPECT_EQ(metrics->summary()["total_routes"], 0);
  EXPECT_THROW(m.build_route_prompt("g", "q", data_tools_outcome(), -1), cw::ConfigError);
}

TEST(BuildRoutePrompt, RouteOutcomeFromAnyRouteResultShape) {
  struct LikeRouteResult {
    std::vector<std::string> candidate_ids{"a", "b"};
    std::vector<double> scores{0.5, 0.25};
    bool is_ambiguous = false;
  };
  const cw::RouteOutcome o = cw::route_outcome(LikeRouteResult{}, "[1/2] a (tool) \xe2\x80\x94 A");
  EXPECT_EQ(o.candidate_ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(o.scores, (std::vector<double>{0.5, 0.25}));
  EXPECT_EQ(o.cards_text, "[1/2] a (tool) \xe2\x80\x94 A");
}
