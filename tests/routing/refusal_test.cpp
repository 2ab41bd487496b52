// Refusal signals (coverage, generic-only matches, product mentions), the
// analyzer's compounds and number words, and the WordNet dictionary.
#include <gtest/gtest.h>

#include <algorithm>

#include "contextweaver/routing/analyzer.hpp"
#include "contextweaver/routing/dictionary.hpp"
#include "contextweaver/routing/lexicon.hpp"
#include "contextweaver/routing/default_router.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;

namespace {

cw::SelectableItem tool(std::string id, std::string name, std::string description) {
  cw::SelectableItem item;
  item.id = std::move(id);
  item.kind = "tool";
  item.name = std::move(name);
  item.description = std::move(description);
  item.namespace_ = item.id.substr(0, item.id.find('.'));
  return item;
}

std::vector<cw::SelectableItem> catalog() {
  return {tool("notes.put_content", "put_content", "Put content into a note file."),
          tool("notes.get_note", "get_note", "Get a note by its title."),
          tool("aws_s3_tables.create_table", "create_table", "Create a table in a table bucket."),
          tool("aws_s3_tables.list_tables", "list_tables", "List the tables of a namespace."),
          tool("pagerduty.list_oncalls", "list_oncalls", "List who is on call for a schedule."),
          tool("shop.get_orders", "get_orders", "Get the orders of the store, with their status.")};
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST(Analyzer, HyphenatedPairIsAlsoOneWord) {
  const auto terms = cw::analyze("who is on-call");
  EXPECT_TRUE(contains(terms, "oncal")) << "joined form";
  EXPECT_TRUE(contains(terms, "call"));
  // "to-do": both halves are stopwords, the compound is not.
  EXPECT_EQ(cw::analyze("to-do"), std::vector<std::string>{"todo"});
  // Longer kebab chains are identifiers, split without a joined form.
  EXPECT_EQ(cw::analyze("get-customer-orders"), (std::vector<std::string>{"get", "custom", "order"}));
}

TEST(Analyzer, NumberWordsAreValues) {
  EXPECT_EQ(cw::analyze("add two rows and one column"), (std::vector<std::string>{"add", "row", "column"}));
}

TEST(GenericTerms, CuratedVerbsAndVagueWords) {
  EXPECT_TRUE(cw::is_generic_term("get"));
  EXPECT_TRUE(cw::is_generic_term(cw::stem_word("listing")));
  EXPECT_TRUE(cw::is_generic_term("current"));
  EXPECT_TRUE(cw::is_generic_term("put", false));
  EXPECT_FALSE(cw::is_generic_term("invoic"));
  EXPECT_FALSE(cw::is_generic_term("order"));
}

TEST(Refusal, OnlyGenericWordsMatchedIsRefused) {
  cw::DefaultRouterConfig config;
  config.refusal_threshold = 0.0;  // isolate the generic-only rule
  config.min_coverage = 0.0;
  const cw::DefaultRouter ranker(catalog(), config);
  const auto r = ranker.rank("phone my dentist and put me on hold");
  ASSERT_FALSE(r.candidates.empty());
  EXPECT_EQ(r.candidates[0].id, "notes.put_content");
  EXPECT_TRUE(r.generic_only);
  EXPECT_TRUE(r.refused);
  EXPECT_NE(r.refusal_reason.find("generic"), std::string::npos) << r.refusal_reason;

  cw::DefaultRouterConfig off;
  off.refuse_generic_only = false;
  off.refusal_threshold = 0.0;
  off.min_coverage = 0.0;
  EXPECT_FALSE(cw::DefaultRouter(catalog(), off).rank("phone my dentist and put me on hold").refused);
}

TEST(Refusal, LowCoverageOfMostlyUnknownWordsIsRefused) {
  cw::DefaultRouterConfig config;
  config.refusal_threshold = 0.0;  // isolate the coverage rule
  config.refuse_generic_only = false;
  config.min_coverage = 0.2;
  const cw::DefaultRouter ranker(catalog(), config);
  const auto pizza = ranker.rank("order a large pepperoni pizza for delivery to my apartment");
  ASSERT_FALSE(pizza.candidates.empty());
  EXPECT_EQ(pizza.candidates[0].id, "shop.get_orders");
  EXPECT_LT(pizza.coverage, 0.2);
  EXPECT_GE(2 * pizza.unknown_terms.size(), pizza.query_terms.size());
  EXPECT_TRUE(pizza.refused);
  // Few words, all known to the catalog: not refused by this rule.
  const auto orders = ranker.rank("order status");
  EXPECT_FALSE(orders.refused);
  EXPECT_EQ(orders.coverage, 1.0);
}

TEST(Refusal, GeneralWordInANamespaceIsNoProductMention) {
  cw::DefaultRouterConfig config;
  config.refusal_threshold = 0.0;
  const cw::DefaultRouter ranker(catalog(), config);
  const auto table = ranker.rank("reserve a table for four tonight");
  ASSERT_FALSE(table.candidates.empty());
  EXPECT_EQ(table.candidates[0].id.rfind("aws_s3_tables.", 0), 0u);
  EXPECT_FALSE(table.product_mentioned);  // "table" is API vocabulary
  EXPECT_TRUE(ranker.rank("s3 tables please").product_mentioned);
  // A misspelt product still names it.
  EXPECT_TRUE(ranker.rank("pagerdty oncalls").product_mentioned);
  // The hyphenated "on-call" meets "oncalls".
  const auto oncall = ranker.rank("who is on-call now");
  ASSERT_FALSE(oncall.candidates.empty());
  EXPECT_EQ(oncall.candidates[0].id, "pagerduty.list_oncalls");
}

TEST(EnglishDictionary, ReadsWordNetIndexAndExceptionFiles) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "index.noun",
                     "  1 This software and database is licensed\n"
                     "pizza n 1 1 @ 1 0 07873807\nice_cream n 1 1 @ 1 0 07614500\n.22 n 1 2 @ ~ 1 0 04502851\n");
  cwtest::write_file(dir / "verb.exc", "ran run\n");
  const auto dict = cw::EnglishDictionary::load(dir.path());
  EXPECT_TRUE(dict.contains("pizza"));
  EXPECT_TRUE(dict.contains("pizza", false));
  EXPECT_TRUE(dict.contains("ran", false));
  EXPECT_TRUE(dict.contains("run", false));
  EXPECT_FALSE(dict.contains("ice_cream", false));  // multi-word lemmas are skipped
  EXPECT_FALSE(dict.contains("gmial"));
  EXPECT_EQ(dict.size(), 3u);
  EXPECT_TRUE(cw::EnglishDictionary::load(dir / "absent").empty());
}

TEST(EnglishDictionary, RealWordsAreNotTypoCorrected) {
  if (cw::EnglishDictionary::system().empty()) GTEST_SKIP() << "WordNet data (wordnet-base) is not installed";
  std::vector<cw::SelectableItem> items = {tool("crm.add_contact", "add_contact", "Add a contact."),
                                           tool("mail.search", "search", "Search the mailbox.")};
  cw::DefaultRouterConfig with;
  with.dictionary = true;
  const cw::DefaultRouter dict_on(items, with);
  const cw::DefaultRouter dict_off(items);
  auto matched = [](const cw::RankResult& r, const std::string& kind) {
    for (const auto& c : r.candidates)
      for (const auto& m : c.matches)
        if (m.kind == kind) return true;
    return false;
  };
  EXPECT_TRUE(matched(dict_off.rank("contract"), "typo"));  // one edit from "contact"
  EXPECT_FALSE(matched(dict_on.rank("contract"), "typo"));  // but a word of its own
  EXPECT_TRUE(matched(dict_on.rank("serch"), "typo"));      // a misspelling is still corrected
}
