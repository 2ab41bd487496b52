// Ports of test_candidates.py, test_scoring.py, test_selection.py and
// test_prompt.py, plus the golden scores of context.md §12.1 and the C1/C2 rules.
#include <gtest/gtest.h>

#include "contextweaver/context/candidates.hpp"
#include "contextweaver/context/prompt.hpp"
#include "contextweaver/context/scoring.hpp"
#include "contextweaver/context/selection.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"

namespace cw = contextweaver;
using cw::ItemKind;

namespace {

cw::ContextItem make(const std::string& id, ItemKind kind, const std::string& text,
                     std::optional<std::string> parent = std::nullopt, std::int64_t tokens = 0) {
  cw::ContextItem item;
  item.id = id;
  item.kind = kind;
  item.text = text;
  item.parent_id = std::move(parent);
  item.token_estimate = tokens;
  return item;
}

std::vector<std::string> ids(const std::vector<cw::ContextItem>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.id);
  return out;
}

}  // namespace

TEST(Candidates, RoutePhaseExcludesToolResults) {
  cw::InMemoryEventLog log;
  log.append(make("u1", ItemKind::user_turn, "hello"));
  log.append(make("r1", ItemKind::tool_result, "data"));
  auto c = cw::generate_candidates(log, cw::Phase::route, cw::ContextPolicy{});
  EXPECT_EQ(ids(c), (std::vector<std::string>{"u1"}));
}

TEST(Candidates, AnswerPhaseKeepsAllKinds) {
  cw::InMemoryEventLog log;
  int i = 0;
  for (ItemKind k : cw::kAllItemKinds) log.append(make("i" + std::to_string(i++), k, "x"));
  EXPECT_EQ(cw::generate_candidates(log, cw::Phase::answer, cw::ContextPolicy{}).size(), 8u);
}

TEST(Candidates, ClosureAddsParentOfAnyKindInLogOrder) {
  cw::InMemoryEventLog log;
  log.append(make("a0", ItemKind::agent_msg, "context"));
  log.append(make("u1", ItemKind::user_turn, "question", "a0"));
  auto c = cw::generate_candidates(log, cw::Phase::route, cw::ContextPolicy{});
  auto [items, added] = cw::resolve_dependency_closure(c, log);
  EXPECT_EQ(added, 1);
  EXPECT_EQ(ids(items), (std::vector<std::string>{"a0", "u1"}));
  auto [fast, fast_added] = cw::candidates_with_closure(log.all(), cw::Phase::route, cw::ContextPolicy{});
  EXPECT_EQ(fast_added, 1);
  EXPECT_EQ(ids(fast), ids(items));
}

TEST(Candidates, NoDuplicateWhenParentPresent) {
  cw::InMemoryEventLog log;
  log.append(make("u1", ItemKind::user_turn, "q"));
  log.append(make("tc1", ItemKind::tool_call, "call", "u1"));
  auto [items, added] = cw::resolve_dependency_closure(log.all(), log);
  EXPECT_EQ(added, 0);
  EXPECT_EQ(items.size(), 2u);
}

TEST(Candidates, ParentCyclesAndMissingParentsTerminate) {
  cw::InMemoryEventLog log;
  log.append(make("a", ItemKind::agent_msg, "x", "b"));
  log.append(make("b", ItemKind::agent_msg, "y", "a"));
  log.append(make("u", ItemKind::user_turn, "z", "a"));
  log.append(make("v", ItemKind::user_turn, "w", "ghost"));
  auto c = cw::generate_candidates(log, cw::Phase::route, cw::ContextPolicy{});
  auto [items, added] = cw::resolve_dependency_closure(c, log);
  EXPECT_EQ(added, 2);
  EXPECT_EQ(ids(items), (std::vector<std::string>{"a", "b", "u", "v"}));
  auto [fast, fast_added] = cw::candidates_with_closure(log.all(), cw::Phase::route, cw::ContextPolicy{});
  EXPECT_EQ(fast_added, 2);
  EXPECT_EQ(ids(fast), ids(items));
}

TEST(Scoring, GoldenScoreItem) {
  auto item = make("x", ItemKind::user_turn, "search the database", std::nullopt, 10);
  EXPECT_EQ(cw::score_item(item, "database search", 0, 1, {}, cw::ScoringConfig{}), 0.9455392156862745);
}

TEST(Scoring, GoldenScoreCandidates) {
  std::vector<cw::ContextItem> items{make("u1", ItemKind::user_turn, "Find unpaid invoices for ACME"),
                                     make("a1", ItemKind::agent_msg, "Found 2 unpaid invoices.")};
  auto s = cw::score_candidates(items, "unpaid invoices ACME", {}, cw::ScoringConfig{});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].item.id, "a1");
  EXPECT_EQ(s[0].score, 0.7699999999999999);
  EXPECT_EQ(s[1].score, 0.735);
  auto t = cw::score_candidates(items, "unpaid invoices ACME", {"billing"}, cw::ScoringConfig{});
  EXPECT_EQ(t[0].item.id, "a1");
  EXPECT_EQ(t[0].score, 0.6449999999999999);
  EXPECT_EQ(t[1].score, 0.5475);
}

TEST(Scoring, NonNegativeSortedAndDeterministicTies) {
  std::vector<cw::ContextItem> items;
  for (int i = 0; i < 6; ++i) items.push_back(make("id" + std::to_string(5 - i), ItemKind::agent_msg, "same"));
  auto s = cw::score_candidates(items, "q", {}, cw::ScoringConfig{0.0, 0.25, 0.35, 0.1, 0.85});
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_GE(s[i].score, 0.0);
    if (i) {
      EXPECT_LE(s[i].score, s[i - 1].score);
    }
  }
  // Equal scores (recency weight 0): ids ascending.
  EXPECT_EQ(s[0].item.id, "id0");
  EXPECT_EQ(s[5].item.id, "id5");
}

TEST(Scoring, PolicyOutranksDocSnippetWithEqualText) {
  auto s =
      cw::score_candidates({make("p", ItemKind::policy, "same text"), make("d", ItemKind::doc_snippet, "same text")},
                           "", {}, cw::ScoringConfig{});
  EXPECT_EQ(s[0].item.id, "p");
}

TEST(Scoring, TagsReplaceTextSimilarity) {
  auto tagged = make("t", ItemKind::agent_msg, "nothing in common");
  tagged.metadata = cw::Json{{"tags", {"billing", "crm"}}};
  cw::ScoringConfig only_tags{0.0, 1.0, 0.0, 0.0, 0.85};
  EXPECT_EQ(cw::score_item(tagged, "", 0, 1, {"billing"}, only_tags), 0.5);
  EXPECT_EQ(cw::score_item(tagged, "nothing common", 0, 1, {}, only_tags), 1.0);
}

TEST(Selection, ItemsFitUnderBudget) {
  std::vector<cw::ScoredItem> scored;
  for (int i = 0; i < 3; ++i) {
    cw::ScoredItem s;
    s.score = 1.0 - i * 0.1;
    s.item = make("i" + std::to_string(i), ItemKind::agent_msg, std::string(388, 'x'));  // 100 tokens rendered
    scored.push_back(s);
  }
  cw::ContextBudget budget;
  budget.answer = 500;
  cw::CharDivFourEstimator est;
  auto [selected, stats] = cw::select_and_pack(scored, cw::Phase::answer, budget, cw::ContextPolicy{}, est);
  EXPECT_EQ(selected.size(), 3u);
  EXPECT_EQ(stats.included_count, 3);
  EXPECT_EQ(cw::get_count(stats.tokens_per_section, "agent_msg"), 300);
}

TEST(Selection, PerKindLimit) {
  std::vector<cw::ScoredItem> scored;
  for (int i = 0; i < 5; ++i) {
    cw::ScoredItem s;
    s.item = make("i" + std::to_string(i), ItemKind::agent_msg, "short");
    scored.push_back(s);
  }
  cw::ContextPolicy policy;
  policy.max_items_per_kind = {{ItemKind::agent_msg, 2}};
  cw::CharDivFourEstimator est;
  auto [selected, stats] = cw::select_and_pack(scored, cw::Phase::answer, cw::ContextBudget{}, policy, est);
  EXPECT_EQ(selected.size(), 2u);
  EXPECT_GE(cw::get_count(stats.dropped_reasons, "kind_limit"), 3);
}

TEST(Selection, CountsAddUpAndBudgetSkipsAndContinues) {
  std::vector<cw::ScoredItem> scored(3);
  scored[0].item = make("big", ItemKind::agent_msg, std::string(400, 'x'));
  scored[1].item = make("small", ItemKind::user_turn, "tiny");
  scored[2].item = make("small2", ItemKind::user_turn, "tiny too");
  cw::ContextBudget budget;
  budget.answer = 50;
  cw::CharDivFourEstimator est;
  auto [selected, stats] = cw::select_and_pack(scored, cw::Phase::answer, budget, cw::ContextPolicy{}, est);
  EXPECT_EQ(ids(selected), (std::vector<std::string>{"small", "small2"}));
  EXPECT_EQ(stats.total_candidates, 3);
  EXPECT_EQ(stats.included_count + stats.dropped_count, stats.total_candidates);
  EXPECT_EQ(stats.dropped_reasons, (cw::OrderedCounts{{"budget", 1}}));
}

TEST(Selection, CostIsTheRenderedItemNotTokenEstimate) {  // DECISIONS C2
  std::vector<cw::ScoredItem> scored(1);
  scored[0].item = make("u", ItemKind::user_turn, std::string(40, 'x'), std::nullopt, 1);
  cw::ContextBudget budget;
  budget.answer = 11;  // "[USER]\n" + 40 chars = 47 code points -> 11 tokens
  cw::CharDivFourEstimator est;
  EXPECT_EQ(cw::select_and_pack(scored, cw::Phase::answer, budget, cw::ContextPolicy{}, est).first.size(), 1u);
  budget.answer = 10;
  EXPECT_EQ(cw::select_and_pack(scored, cw::Phase::answer, budget, cw::ContextPolicy{}, est).first.size(), 0u);
}

TEST(Prompt, LabelsAndArtifactNote) {
  EXPECT_EQ(cw::render_item(make("u", ItemKind::user_turn, "hi")), "[USER]\nhi");
  auto r = make("r", ItemKind::tool_result, "data");
  EXPECT_EQ(cw::render_item(r), "[TOOL RESULT]\ndata");
  r.artifact_ref = cw::ArtifactRef{"h1", "text/plain", 4, "", ""};
  EXPECT_EQ(cw::render_item(r), "[TOOL RESULT [artifact:h1]]\ndata");
  r.artifact_ref->handle = "artifact:h1";  // DECISIONS C1: printed once
  EXPECT_EQ(cw::render_item(r), "[TOOL RESULT [artifact:h1]]\ndata");
  r.artifact_ref->handle = "Artifact:h1";  // case-sensitive prefix test
  EXPECT_EQ(cw::render_item(r), "[TOOL RESULT [artifact:Artifact:h1]]\ndata");
  auto d = make("d", ItemKind::doc_snippet, "doc");
  d.artifact_ref = cw::ArtifactRef{"artifact:d", "text/plain", 3, "", ""};
  EXPECT_EQ(cw::render_item(d), "[DOCUMENT [artifact:d]]\ndoc");
}

TEST(Prompt, RenderContext) {
  EXPECT_EQ(cw::render_context({}), "");
  EXPECT_EQ(cw::render_context({make("a", ItemKind::agent_msg, "one")}), "[ASSISTANT]\none");
  std::vector<cw::ContextItem> items{make("a", ItemKind::agent_msg, "one"), make("p", ItemKind::plan_state, "two")};
  EXPECT_EQ(cw::render_context(items), "[ASSISTANT]\none\n\n[PLAN]\ntwo");
  EXPECT_EQ(cw::render_context(items, "\n\n", "HEAD", "FOOT"), "HEAD\n\n[ASSISTANT]\none\n\n[PLAN]\ntwo\n\nFOOT");
  EXPECT_EQ(cw::render_context({}, "\n\n", "HEAD", "FOOT"), "HEAD\n\nFOOT");
  EXPECT_EQ(cw::render_context({make("m", ItemKind::memory_fact, "f"), make("y", ItemKind::policy, "p")}, "|"),
            "[FACT]\nf|[POLICY]\np");
}
