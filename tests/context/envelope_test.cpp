// Port of test_envelope.py for ResultEnvelope, BuildStats (with its report)
// and ContextPack; the golden report text of context.md §12.4.
#include <gtest/gtest.h>

#include "contextweaver/context/envelope.hpp"
#include "contextweaver/core/errors.hpp"

namespace cw = contextweaver;

namespace {

cw::BuildStats golden_stats() {
  cw::BuildStats s;
  s.tokens_per_section = {{"facts", 180}, {"history", 1200}, {"tool_results", 1800}, {"episodes", 320}};
  s.total_candidates = 24;
  s.included_count = 12;
  s.dropped_count = 8;
  s.dropped_reasons = {{"budget_exceeded", 5}, {"sensitivity", 2}, {"dedup", 1}};
  s.dedup_removed = 4;
  s.dependency_closures = 2;
  return s;
}

}  // namespace

TEST(Envelope, ResultEnvelopeDefaultsAndRoundTrip) {
  cw::ResultEnvelope e;
  EXPECT_EQ(e.status, "ok");
  EXPECT_EQ(cw::dumps(e.to_dict()),
            R"({"status": "ok", "summary": "", "facts": [], "artifacts": [], "views": [], "provenance": {}})");
  e.status = "error";
  e.summary = "boom";
  e.facts = {"a: 1"};
  e.artifacts = {cw::ArtifactRef{"h", "text/plain", 3, "l", "abc"}};
  e.views = {cw::ViewSpec{"h:head", "Head", cw::Json{{"type", "head"}}, e.artifacts[0]}};
  e.provenance = cw::Json{{"source_item_id", "r"}};
  EXPECT_EQ(cw::ResultEnvelope::from_dict(e.to_dict()), e);
  EXPECT_THROW(cw::ResultEnvelope::from_dict(cw::Json{{"status", "ok"}}), cw::KeyError);
}

TEST(Envelope, BuildStatsDefaultsRoundTripAndPromptTokens) {
  cw::BuildStats s;
  EXPECT_EQ(
      cw::dumps(s.to_dict()),
      R"({"tokens_per_section": {}, "total_candidates": 0, "included_count": 0, "dropped_count": 0, "dropped_reasons": {}, "dedup_removed": 0, "dependency_closures": 0, "header_footer_tokens": 0})");
  EXPECT_EQ(cw::BuildStats::from_dict(cw::Json::object()), s);
  auto g = golden_stats();
  g.header_footer_tokens = 10;
  EXPECT_EQ(cw::BuildStats::from_dict(g.to_dict()), g);
  EXPECT_EQ(g.prompt_tokens(), 3510);
}

TEST(Envelope, GoldenTextReport) {
  const std::string expected =
      "==================================================\n"
      "Context Build Report\n"
      "==================================================\n"
      "Phase:  answer\n"
      "Budget: 4000 tokens\n"
      "\n"
      "-- Candidates --\n"
      "  Generated:    24\n"
      "  Included:     12\n"
      "  Dropped:      8\n"
      "  Deduplicated: 4\n"
      "  Dep. closures:2\n"
      "\n"
      "-- Token Usage --\n"
      "  Section             Tokens    % Budget\n"
      "  episodes               320        8.0%\n"
      "  facts                  180        4.5%\n"
      "  history               1200       30.0%\n"
      "  tool_results          1800       45.0%\n"
      "  ------------------------------------\n"
      "  Total                 3500      87.5%\n"
      "  Remaining              500      12.5%\n"
      "\n"
      "-- Dropped Items --\n"
      "  budget_exceeded: 5\n"
      "  dedup: 1\n"
      "  sensitivity: 2\n"
      "\n"
      "-- Recommendations --\n"
      "  \u2713 12.5% budget headroom \u2014 efficient";
  EXPECT_EQ(golden_stats().report("text", "answer", 4000), expected);
}

TEST(Envelope, GoldenRichReport) {
  const std::string expected =
      "[bold cyan]Context Build Report[/bold cyan]  phase=[yellow]answer[/yellow]  budget=[yellow]4000[/yellow] "
      "tokens\n"
      "\n"
      "[bold]Candidates[/bold]\n"
      "  generated=24  included=[green]12[/green]  dropped=[red]8[/red]  dedup=4  closures=2\n"
      "\n"
      "[bold]Token Usage[/bold]\n"
      "  episodes             320  [green]  8.0%[/green]\n"
      "  facts                180  [green]  4.5%[/green]\n"
      "  history             1200  [green] 30.0%[/green]\n"
      "  tool_results        1800  [green] 45.0%[/green]\n"
      "  [bold]Total               3500   87.5%[/bold]\n"
      "  [green]Remaining            500   12.5%[/green]\n"
      "\n"
      "[bold]Dropped Items[/bold]\n"
      "  [red]budget_exceeded[/red]: 5\n"
      "  [red]dedup[/red]: 1\n"
      "  [red]sensitivity[/red]: 2\n"
      "\n"
      "[bold]Recommendations[/bold]\n"
      "  \u2713 12.5% budget headroom \u2014 efficient";
  EXPECT_EQ(golden_stats().report("rich", "answer", 4000), expected);
  EXPECT_EQ(golden_stats().report("rich", "answer", 4000), golden_stats().report("rich", "answer", 4000));
  EXPECT_NE(cw::BuildStats{}.report("rich").find("  [dim](no sections rendered)[/dim]"), std::string::npos);
  EXPECT_NE(golden_stats().report("rich").find("  [bold]Total               3500[/bold]"), std::string::npos);
}

TEST(Envelope, ReportWarningsAndNoBudget) {
  cw::BuildStats s;
  s.tokens_per_section = {{"tool_result", 600}};
  auto text = s.report("text", std::nullopt, 1000);
  EXPECT_NE(text.find("\u26a0 60% of budget used by tool_result \u2014 consider lowering firewall threshold"),
            std::string::npos);
  s.tokens_per_section = {{"a", 700}, {"b", 400}};
  EXPECT_NE(s.report("text", std::nullopt, 1000).find("\u26a0 over budget by 100 tokens"), std::string::npos);
  auto no_budget = s.report();
  EXPECT_EQ(no_budget.find("% Budget"), std::string::npos);
  EXPECT_EQ(no_budget.find("Recommendations"), std::string::npos);
  EXPECT_EQ(cw::BuildStats{}.report().find("(no sections rendered)") != std::string::npos, true);
  // Deterministic regardless of insertion order.
  cw::BuildStats a, b;
  a.tokens_per_section = {{"x", 1}, {"y", 2}};
  b.tokens_per_section = {{"y", 2}, {"x", 1}};
  EXPECT_EQ(a.report("text", "answer", 100), b.report("text", "answer", 100));
  EXPECT_THROW(a.report("html"), cw::ValueError);
}

TEST(Envelope, ReportDict) {
  auto d = golden_stats().report_dict("answer", 4000);
  EXPECT_EQ(d["version"], 1);
  EXPECT_EQ(d["prompt_tokens"], 3500);
  EXPECT_EQ(cw::dumps(d["candidates"]),
            R"({"total": 24, "included": 12, "dropped": 8, "deduplicated": 4, "dependency_closures": 2})");
  EXPECT_EQ(cw::dumps(d["dropped_reasons"]), R"({"budget_exceeded": 5, "dedup": 1, "sensitivity": 2})");
  EXPECT_EQ(d["tokens_per_section"].begin().key(), "episodes");
  EXPECT_TRUE(golden_stats().report_dict()["recommendations"].empty());
  EXPECT_TRUE(golden_stats().report_dict()["budget"].is_null());
}

TEST(Envelope, ContextPack) {
  cw::ContextPack p;
  EXPECT_EQ(p.phase, cw::Phase::answer);
  p.prompt = "hi";
  p.envelopes = {cw::ResultEnvelope{}, cw::ResultEnvelope{"partial", "s", {}, {}, {}, cw::Json::object()}};
  p.phase = cw::Phase::call;
  EXPECT_EQ(cw::ContextPack::from_dict(p.to_dict()), p);
  auto partial = cw::ContextPack::from_dict(cw::Json{{"prompt", "x"}});
  EXPECT_EQ(partial.prompt, "x");
  EXPECT_EQ(partial.phase, cw::Phase::answer);
  EXPECT_THROW(cw::ContextPack::from_dict(cw::Json::object()), cw::KeyError);
}

// EnvelopeList reads like the vector it replaced, shares envelopes on copy and
// compares by value.
TEST(Envelope, EnvelopeListSharesAndComparesByValue) {
  const cw::ResultEnvelope partial{"partial", "s", {"f"}, {}, {}, cw::Json::object()};
  cw::EnvelopeList list(std::vector<cw::ResultEnvelope>{cw::ResultEnvelope{}, partial});
  ASSERT_EQ(list.size(), 2u);
  EXPECT_FALSE(list.empty());
  EXPECT_EQ(list[1], partial);
  EXPECT_EQ(list.at(1).facts, std::vector<std::string>{"f"});
  EXPECT_EQ(list.back(), partial);
  EXPECT_THROW((void)list.at(2), std::out_of_range);
  std::vector<std::string> statuses;
  for (const auto& e : list) statuses.push_back(e.status);
  EXPECT_EQ(statuses, (std::vector<std::string>{"ok", "partial"}));
  EXPECT_EQ(list.end() - list.begin(), 2);

  const cw::EnvelopeList copy = list;
  EXPECT_EQ(&copy[1], &list[1]);  // shared, not copied
  const auto shared = std::make_shared<const cw::ResultEnvelope>(partial);
  cw::EnvelopeList other{cw::ResultEnvelope{}};
  other.push_back(shared);
  EXPECT_EQ(&other[1], shared.get());
  EXPECT_EQ(other, list);  // different objects, equal values
  other.push_back(cw::ResultEnvelope{});
  EXPECT_NE(other, list);
  EXPECT_THROW(other.push_back(std::shared_ptr<const cw::ResultEnvelope>()), cw::ValueError);
  EXPECT_EQ(other.size(), 3u);
}
