// Choice cards and their token budget (ports of test_cards.py and
// test_card_budget.py) plus parity with golden cards_83.json.
#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/routing/cards.hpp"
#include "contextweaver/routing/catalog.hpp"
#include "contextweaver/routing/reference_router.hpp"
#include "contextweaver/routing/tree_builder.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;

namespace {

cw::SelectableItem item(const std::string& id, const std::string& description = "A tool",
                        std::vector<std::string> tags = {}) {
  cw::SelectableItem it;
  it.id = id;
  it.kind = "tool";
  it.name = id;
  it.description = description;
  it.tags = std::move(tags);
  return it;
}

// One token per whitespace-separated word: a stand-in for an exact tokenizer.
class WordEstimator final : public cw::TokenEstimator {
 public:
  std::int64_t estimate(std::string_view text) const override {
    std::int64_t words = 0;
    bool in_word = false;
    for (const char c : text) {
      const bool space = c == ' ' || c == '\n' || c == '\t';
      if (!space && !in_word) ++words;
      in_word = !space;
    }
    return words;
  }
};

TEST(Cards, ItemToCardCapsAndFlags) {
  auto it =
      item("billing.search", "Search invoices", {"search", "billing", "billing", std::string(30, 't'), "a", "b", "c"});
  it.name = std::string(70, 'n');
  it.namespace_ = "billing";
  it.args_schema = cw::Json{{"type", "object"}};
  const auto card = cw::item_to_card(it, 0.82);
  EXPECT_EQ(card.name.size(), 64u);
  EXPECT_EQ(card.tags, (std::vector<std::string>{"a", "b", "billing", "c", "search"}));
  EXPECT_TRUE(card.has_schema);
  EXPECT_EQ(card.namespace_, "billing");
  EXPECT_EQ(card.score, 0.82);
  EXPECT_FALSE(cw::item_to_card(item("x")).has_schema);
  const cw::Json d = card.to_dict();
  EXPECT_FALSE(d.contains("args_schema"));
  EXPECT_FALSE(d.contains("examples"));
  EXPECT_EQ(cw::ChoiceCard::from_dict(d), card);
  EXPECT_FALSE(cw::item_to_card(item("x")).to_dict().contains("score"));
  cw::ChoiceCard bad = card;
  bad.kind = "robot";
  EXPECT_THROW(bad.validate(), cw::ValueError);
}

TEST(Cards, MakeChoiceCardsOrderAndCap) {
  std::vector<cw::SelectableItem> items;
  for (const char* id : {"z0", "z1", "z2", "z3", "z4"}) items.push_back(item(id));
  auto cards = cw::make_choice_cards(items);
  ASSERT_EQ(cards.size(), 5u);
  EXPECT_EQ(cards[0].id, "z0");  // no scores: input order
  EXPECT_EQ(cw::make_choice_cards(items, 2).size(), 2u);
  const std::vector<cw::SelectableItem> scored = {item("z_tool"), item("a_tool"), item("tied_b"), item("m_tool"),
                                                  item("tied_a")};
  const std::map<std::string, double> scores = {
      {"a_tool", 0.9}, {"z_tool", 0.8}, {"m_tool", 0.5}, {"tied_a", 0.1}, {"tied_b", 0.1}};
  cards = cw::make_choice_cards(scored, 20, scores);
  std::vector<std::string> ids;
  for (const auto& c : cards) ids.push_back(c.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a_tool", "z_tool", "m_tool", "tied_a", "tied_b"}));
  EXPECT_EQ(cw::render_cards_text(cards), cw::render_cards_text(cw::make_choice_cards(scored, 20, scores)));
}

TEST(Cards, RenderingFormats) {
  auto it = item("billing.search", "Search invoices", {"search", "billing"});
  it.side_effects = true;
  it.cost_hint = 0.25;
  const auto card = cw::item_to_card(it, 0.8249);
  EXPECT_EQ(cw::render_cards_text({card}),
            "[1/1] billing.search (tool) \u2014 Search invoices [billing, search] score=0.82");
  EXPECT_EQ(cw::render_cards_text({cw::item_to_card(it)}).find("score="), std::string::npos);
  EXPECT_EQ(cw::render_cards_text({}), "");
  const std::string three = cw::render_cards_text({card, card, card});
  EXPECT_NE(three.find("[3/3]"), std::string::npos);
  EXPECT_EQ(cw::format_card_for_prompt(card),
            "[billing.search] billing.search\n  Search invoices\n  tags: billing, search\n  ! has side effects\n  "
            "cost: 0.25");
  cw::Catalog catalog;
  catalog.register_(it);
  EXPECT_EQ(cw::cards_for_route({"root/billing", "billing.search", "ghost"}, catalog).size(), 1u);
}

TEST(CardBudget, Truncation) {
  EXPECT_EQ(cw::truncate_description_to_tokens("short text", 10), "short text");
  EXPECT_EQ(cw::truncate_description_to_tokens("anything", 0), "");
  const std::string text = "First sentence here. Second sentence is much longer than the first one by far.";
  const std::string cut = cw::truncate_description_to_tokens(text, 10);
  EXPECT_EQ(cut, "First sentence here.");
  EXPECT_LE(cw::count_tokens(cut), 10);
  const std::string hard = cw::truncate_description_to_tokens(std::string(200, 'x'), 5);
  EXPECT_EQ(hard.substr(hard.size() - 3), "\u2026");
  EXPECT_LE(cw::count_tokens(hard), 5);
  EXPECT_EQ(hard, cw::truncate_description_to_tokens(std::string(200, 'x'), 5));
  // With an injected estimator the budget is in its tokens.
  const WordEstimator words;
  EXPECT_EQ(cw::truncate_description_to_tokens("one two three four five six", 3, &words), "one two\u2026");
  EXPECT_EQ(cw::count_tokens("", &words), 0);
  EXPECT_EQ(cw::count_tokens("abc"), 1);  // fallback: len // 4, at least 1
}

TEST(CardBudget, CardsStayWithinBudgetOrFail) {
  const auto long_item = item("t", std::string(2000, 'd') + ". more text");
  const auto cards = cw::make_choice_cards({long_item});
  EXPECT_LE(cw::card_token_count(cards[0]), 80);
  EXPECT_LE(cw::card_token_count(cards[0]), 60);
  auto huge = item(std::string(400, 'i'));
  try {
    cw::make_choice_cards({huge}, 20, {}, cw::CardBudget{5, 5, nullptr});
    FAIL();
  } catch (const cw::CatalogError& e) {
    EXPECT_NE(std::string(e.what()).find("hard cap"), std::string::npos);
  }
  EXPECT_EQ(cw::kDefaultCardTargetTokens, 60);
  EXPECT_EQ(cw::kDefaultCardHardCapTokens, 80);
  EXPECT_EQ(cw::kDefaultBrowsePreambleTokens, 32);
}

TEST(CardBudget, BrowseBoundDropsTheLowestRankedTail) {
  std::vector<cw::SelectableItem> items;
  std::map<std::string, double> scores;
  for (int i = 0; i < 15; ++i) {
    const std::string id = (i < 10 ? "t0" : "t") + std::to_string(i);
    items.push_back(item(id, "Detailed description with several words to fill the budget."));
    scores[id] = i;
  }
  const auto cards = cw::make_choice_cards(items, 15, scores);
  const auto all = cw::bound_browse_response(cards);
  EXPECT_EQ(all.size(), 15u);  // every card fits its target: nothing to drop
  const auto bounded = cw::bound_browse_response(cards, {}, 4, 100);
  ASSERT_FALSE(bounded.empty());
  EXPECT_LT(bounded.size(), 15u);
  std::int64_t total = 4;
  for (std::size_t i = 0; i < bounded.size(); ++i) {
    EXPECT_EQ(bounded[i].id, cards[i].id);  // a score-descending prefix: t14, t13, ...
    total += cw::card_token_count(bounded[i]);
  }
  EXPECT_LE(total, 100);
  EXPECT_EQ(bounded[0].id, "t14");
  EXPECT_TRUE(cw::bound_browse_response({}).empty());
  const std::vector<cw::SelectableItem> tied = {item("zzz"), item("aaa"), item("mmm")};
  const auto ties = cw::bound_browse_response(cw::make_choice_cards(tied));
  EXPECT_EQ(ties[0].id, "aaa");
  EXPECT_EQ(ties[2].id, "zzz");
}

TEST(CardsParity, GoldenCards83) {
  CW_REQUIRE_SHARED(shared);
  const cw::Json golden = cw::loads(cwtest::read_file(shared / "data" / "golden" / "cards_83.json"));
  const auto items = cw::load_catalog(shared / "data" / "reference" / "catalogs" / "catalog_83.json");
  const auto graph = cw::TreeBuilder().build(items);
  std::size_t checked = 0;
  for (const auto& q : golden.at("queries")) {
    for (auto it = q.at("by_backend").begin(); it != q.at("by_backend").end(); ++it) {
      cw::ReferenceRouterOptions o;
      o.scorer_backend = it.key();
      const cw::ReferenceRouter router(graph, items, o);
      const auto result = router.route(q.at("query").get<std::string>());
      const cw::Json& want = it.value();
      ASSERT_EQ(result.candidate_ids, want.at("candidate_ids").get<std::vector<std::string>>());
      std::map<std::string, double> scores;
      for (std::size_t i = 0; i < result.candidate_ids.size(); ++i) scores[result.candidate_ids[i]] = result.scores[i];
      const auto cards = cw::make_choice_cards(result.candidate_items, 20, scores);
      cw::Json dicts = cw::Json::array();
      std::vector<std::int64_t> counts;
      std::vector<std::string> prompts;
      for (const auto& card : cards) {
        dicts.push_back(card.to_dict());
        counts.push_back(cw::card_token_count(card));
        prompts.push_back(cw::format_card_for_prompt(card));
      }
      EXPECT_EQ(cw::dumps(dicts), cw::dumps(want.at("cards")));
      EXPECT_EQ(counts, want.at("card_token_counts").get<std::vector<std::int64_t>>());
      EXPECT_EQ(cw::render_cards_text(cards), want.at("rendered_text").get<std::string>());
      auto unscored = cards;
      for (auto& card : unscored) card.score.reset();
      EXPECT_EQ(cw::render_cards_text(unscored), want.at("rendered_text_unscored").get<std::string>());
      EXPECT_EQ(prompts, want.at("format_card_for_prompt").get<std::vector<std::string>>());
      ++checked;
    }
  }
  EXPECT_EQ(checked, 10u);
}

}  // namespace
