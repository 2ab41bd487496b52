// Port of test_metrics.py: MetricsCollector accumulation and summary, and
// MetricsHook forwarding. RouteResult is the routing module's; these tests use
// a local struct of the same shape (candidate_ids, scores), which is all
// record_route reads.
#include <gtest/gtest.h>

#include <thread>

#include "contextweaver/context/manager.hpp"
#include "contextweaver/context/metrics.hpp"

namespace cw = contextweaver;

namespace {

struct FakeRoute {  // the fields of RouteResult that record_route reads
  std::vector<std::string> candidate_ids;
  std::vector<double> scores;
};

cw::ContextPack pack(std::int64_t tokens = 100, std::int64_t dropped = 0, std::int64_t dedup = 0,
                     cw::OrderedCounts drop_reasons = {}) {
  cw::ContextPack p;
  p.stats.tokens_per_section = {{"body", tokens}};
  p.stats.total_candidates = 10;
  p.stats.included_count = 10 - dropped;
  p.stats.dropped_count = dropped;
  p.stats.dropped_reasons = std::move(drop_reasons);
  p.stats.dedup_removed = dedup;
  p.stats.header_footer_tokens = 20;
  p.phase = cw::Phase::answer;
  return p;
}

cw::ContextItem item(const std::string& id = "u1") {
  cw::ContextItem i;
  i.id = id;
  i.kind = cw::ItemKind::user_turn;
  i.text = "hello";
  return i;
}

}  // namespace

TEST(MetricsCollector, StartsEmpty) {
  cw::MetricsCollector c;
  const auto s = c.summary();
  EXPECT_EQ(s["total_builds"], 0);
  EXPECT_EQ(s["total_routes"], 0);
  EXPECT_EQ(s["total_prompt_tokens"], 0);
  EXPECT_EQ(s["drop_reasons"], cw::Json::object());
}

TEST(MetricsCollector, RecordBuildAccumulatesTokensAndDrops) {
  cw::MetricsCollector c;
  c.record_build(pack(100, 2, 1, {{"budget", 2}}));
  c.record_build(pack(200, 3, 0, {{"budget", 3}}));
  const auto s = c.summary();
  EXPECT_EQ(s["total_builds"], 2);
  EXPECT_EQ(s["total_prompt_tokens"], 340);  // 100+20 + 200+20: header_footer counts
  EXPECT_EQ(s["total_dropped"], 5);
  EXPECT_EQ(s["total_dedup_removed"], 1);
  EXPECT_EQ(s["drop_reasons"], (cw::Json{{"budget", 5}}));
  EXPECT_EQ(s["avg_prompt_tokens"].get<double>(), 170.0);
}

TEST(MetricsCollector, RecordBuildMergesDropReasons) {
  cw::MetricsCollector c;
  c.record_build(pack(100, 0, 0, {{"budget", 2}}));
  c.record_build(pack(100, 0, 0, {{"sensitivity", 1}}));
  EXPECT_EQ(c.summary()["drop_reasons"], (cw::Json{{"budget", 2}, {"sensitivity", 1}}));
}

TEST(MetricsCollector, DropReasonsAreKeySorted) {
  cw::MetricsCollector c;
  c.record_build(pack(100, 0, 0, {{"sensitivity", 1}, {"budget", 2}, {"dedup", 3}}));
  EXPECT_EQ(cw::dumps(c.summary()["drop_reasons"]), R"({"budget": 2, "dedup": 3, "sensitivity": 1})");
}

TEST(MetricsCollector, RecordRouteCapturesTopScoreAndGap) {
  cw::MetricsCollector c;
  c.record_route(FakeRoute{{"a", "b", "c"}, {0.9, 0.5, 0.3}});
  const auto s = c.summary();
  EXPECT_EQ(s["total_routes"], 1);
  EXPECT_EQ(s["avg_candidates_per_route"].get<double>(), 3.0);
  EXPECT_EQ(s["avg_top_score"].get<double>(), 0.9);
  EXPECT_EQ(s["avg_confidence_gap"].get<double>(), 0.4);
}

TEST(MetricsCollector, RecordRouteEmptyResultSafe) {
  cw::MetricsCollector c;
  c.record_route(FakeRoute{});
  const auto s = c.summary();
  EXPECT_EQ(s["total_routes"], 1);
  EXPECT_EQ(s["avg_candidates_per_route"].get<double>(), 0.0);
  EXPECT_EQ(s["avg_top_score"].get<double>(), 0.0);
  EXPECT_EQ(s["avg_confidence_gap"].get<double>(), 0.0);
}

TEST(MetricsCollector, RecordRouteSingleCandidateZeroGap) {
  cw::MetricsCollector c;
  c.record_route(FakeRoute{{"only"}, {0.7}});
  EXPECT_EQ(c.summary()["avg_confidence_gap"].get<double>(), 0.0);
}

TEST(MetricsCollector, RecordRouteUsesRunningSumsAndMaxima) {
  cw::MetricsCollector c;
  c.record_route(FakeRoute{{"a", "b", "c"}, {0.9, 0.5, 0.3}});
  c.record_route(FakeRoute{{"a", "b"}, {0.7, 0.65}});
  c.record_route(FakeRoute{{"a", "b", "c", "d", "e"}, {0.95, 0.4, 0.3, 0.2, 0.1}});
  const auto s = c.summary();
  EXPECT_EQ(s["max_candidates_per_route"], 5);
  EXPECT_EQ(s["max_top_score"].get<double>(), 0.95);
  EXPECT_EQ(s["max_confidence_gap"].get<double>(), 0.55);          // gaps 0.4, 0.05, 0.5499999999999999 (rounded)
  EXPECT_EQ(s["avg_candidates_per_route"].get<double>(), 3.3333);  // round((3 + 2 + 5) / 3, 4)
  EXPECT_EQ(s["total_routes"], 3);
}

TEST(MetricsCollector, RecordRouteFromCountAndScores) {
  cw::MetricsCollector c;
  const std::vector<double> scores = {0.8, 0.2};
  c.record_route(4, scores);
  const auto s = c.summary();
  EXPECT_EQ(s["avg_candidates_per_route"].get<double>(), 4.0);
  EXPECT_EQ(s["avg_confidence_gap"].get<double>(), 0.6);  // 0.6000000000000001, rounded
}

TEST(MetricsCollector, RoundsHalfToEvenOnTheBinaryValue) {
  cw::MetricsCollector c;
  // Python: round(0.00005, 4) == 0.0001 (the double is just above the tie);
  // round(0.12345, 4) == 0.1235 (likewise above).
  c.record_route(FakeRoute{{"a"}, {0.00005}});
  EXPECT_EQ(c.summary()["avg_top_score"].get<double>(), 0.0001);
  c.reset();
  c.record_route(FakeRoute{{"a"}, {0.12345}});
  EXPECT_EQ(c.summary()["avg_top_score"].get<double>(), 0.1235);
}

TEST(MetricsCollector, FirewallAndExcludedCounters) {
  cw::MetricsCollector c;
  c.record_firewall();
  c.record_firewall();
  c.record_items_excluded(3);
  c.record_budget_exceeded();
  const auto s = c.summary();
  EXPECT_EQ(s["firewall_interceptions"], 2);
  EXPECT_EQ(s["items_excluded"], 3);
  EXPECT_EQ(s["budget_exceeded"], 1);
}

TEST(MetricsCollector, SummaryKeysAreSortedAlphabetically) {
  cw::MetricsCollector c;
  std::vector<std::string> keys;
  const cw::Json summary = c.summary();
  for (const auto& [k, v] : summary.items()) keys.push_back(k);
  EXPECT_EQ(keys.size(), 16u);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
}

TEST(MetricsCollector, ResetZeroesAllCounters) {
  cw::MetricsCollector c;
  c.record_build(pack(50, 1, 0, {{"budget", 1}}));
  c.record_route(FakeRoute{{"a"}, {0.5}});
  c.record_firewall();
  c.reset();
  const auto s = c.summary();
  EXPECT_EQ(s["total_builds"], 0);
  EXPECT_EQ(s["total_routes"], 0);
  EXPECT_EQ(s["firewall_interceptions"], 0);
  EXPECT_EQ(s["max_top_score"].get<double>(), 0.0);
  EXPECT_EQ(s["drop_reasons"], cw::Json::object());
}

TEST(MetricsCollector, AggregatesAcrossManyBuilds) {
  cw::MetricsCollector c;
  for (int i = 0; i < 10; ++i) {
    c.record_build(pack(100 + i, i % 3));
    FakeRoute r;
    for (int j = 0; j <= i; ++j) r.candidate_ids.push_back("x" + std::to_string(j));
    r.scores = {0.9 - 0.05 * i};
    c.record_route(r);
  }
  const auto s = c.summary();
  EXPECT_EQ(s["total_builds"], 10);
  EXPECT_EQ(s["total_routes"], 10);
  EXPECT_GT(s["avg_candidates_per_route"].get<double>(), 0.0);
}

TEST(MetricsCollector, ConcurrentRecordsAreAllCounted) {
  cw::MetricsCollector c;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&c] {
      for (int i = 0; i < 1000; ++i) {
        c.record_firewall();
        c.record_build(pack(1, 0, 0, {{"budget", 1}}));
      }
    });
  }
  for (auto& th : threads) th.join();
  const auto s = c.summary();
  EXPECT_EQ(s["firewall_interceptions"], 4000);
  EXPECT_EQ(s["total_builds"], 4000);
  EXPECT_EQ(s["drop_reasons"]["budget"], 4000);
}

TEST(MetricsHook, IsAnEventHookOwningACollectorByDefault) {
  cw::MetricsHook hook;
  cw::EventHook* base = &hook;
  EXPECT_NE(base, nullptr);
  EXPECT_NE(hook.collector(), nullptr);
}

TEST(MetricsHook, SharesAnExternalCollector) {
  auto shared = std::make_shared<cw::MetricsCollector>();
  cw::MetricsHook hook(shared);
  EXPECT_EQ(hook.collector(), shared);
}

TEST(MetricsHook, OnContextBuiltRecordsToCollector) {
  cw::MetricsHook hook;
  hook.on_context_built(pack(80));
  const auto s = hook.collector()->summary();
  EXPECT_EQ(s["total_builds"], 1);
  EXPECT_EQ(s["total_prompt_tokens"], 100);  // 80 + 20 header_footer
}

TEST(MetricsHook, FirewallCallback) {
  cw::MetricsHook hook;
  hook.on_firewall_triggered(item(), "size_limit");
  EXPECT_EQ(hook.collector()->summary()["firewall_interceptions"], 1);
}

TEST(MetricsHook, ItemsExcludedCountsLength) {
  cw::MetricsHook hook;
  hook.on_items_excluded({item("a"), item("b"), item("c")}, "budget");
  EXPECT_EQ(hook.collector()->summary()["items_excluded"], 3);
}

TEST(MetricsHook, BudgetExceededCounter) {
  cw::MetricsHook hook;
  hook.on_budget_exceeded(2000, 1000);
  EXPECT_EQ(hook.collector()->summary()["budget_exceeded"], 1);
}

TEST(MetricsHook, RouteCompletedIsIntentionallyNoOp) {
  cw::MetricsHook hook;
  hook.on_route_completed({"a", "b"});
  EXPECT_EQ(hook.collector()->summary()["total_routes"], 0);
}

TEST(MetricsHook, WiredIntoAManagerCountsBuildsFirewallsAndExclusions) {
  auto collector = std::make_shared<cw::MetricsCollector>();
  cw::ContextManagerOptions options;
  options.hook = std::make_shared<cw::MetricsHook>(collector);
  cw::ContextManager m(options);
  cw::ContextItem u = item("u1");
  m.ingest(u);
  cw::ContextItem tr;
  tr.id = "tr1";
  tr.kind = cw::ItemKind::tool_result;
  tr.text = "raw output";
  tr.parent_id = "u1";
  m.ingest(tr);
  cw::ContextItem dup = item("u2");  // same text as u1: a dedup drop
  m.ingest(dup);
  const cw::ContextPack p = m.build();
  const auto s = collector->summary();
  EXPECT_EQ(s["total_builds"], 1);
  EXPECT_EQ(s["total_prompt_tokens"], p.stats.prompt_tokens());
  EXPECT_EQ(s["firewall_interceptions"], 1);  // tr1 has no content hash yet
  EXPECT_EQ(s["total_dedup_removed"], 1);
  EXPECT_EQ(s["items_excluded"], 1);
  EXPECT_EQ(s["drop_reasons"], (cw::Json{{"dedup", 1}}));
}
