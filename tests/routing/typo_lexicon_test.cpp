#include <gtest/gtest.h>

#include "contextweaver/routing/analyzer.hpp"
#include "contextweaver/routing/lexicon.hpp"
#include "contextweaver/routing/typo.hpp"

namespace cw = contextweaver;

TEST(EditDistance, CountsEditsAndAdjacentSwaps) {
  EXPECT_EQ(cw::bounded_edit_distance("gmail", "gmail", 2), 0u);
  EXPECT_EQ(cw::bounded_edit_distance("gmial", "gmail", 2), 1u);     // swap
  EXPECT_EQ(cw::bounded_edit_distance("serch", "search", 2), 1u);    // insert
  EXPECT_EQ(cw::bounded_edit_distance("searchh", "search", 2), 1u);  // delete
  EXPECT_EQ(cw::bounded_edit_distance("slack", "stack", 2), 1u);     // substitute
  EXPECT_EQ(cw::bounded_edit_distance("kitten", "sitting", 3), 3u);
}

TEST(EditDistance, StopsPastTheBound) {
  EXPECT_EQ(cw::bounded_edit_distance("kitten", "sitting", 1), 2u);
  EXPECT_EQ(cw::bounded_edit_distance("ab", "abcdef", 2), 3u);
  EXPECT_EQ(cw::bounded_edit_distance("", "ab", 2), 2u);
}

TEST(EditDistance, AllowedDistanceGrowsWithLength) {
  EXPECT_EQ(cw::allowed_typo_distance(3), 0u);
  EXPECT_EQ(cw::allowed_typo_distance(4), 1u);
  EXPECT_EQ(cw::allowed_typo_distance(7), 1u);
  EXPECT_EQ(cw::allowed_typo_distance(8), 2u);
}

TEST(Lexicon, RelatesStemmedApiWordsBothWays) {
  const auto& lex = cw::Lexicon::builtin();
  const auto& rel = lex.related(cw::stem_word("remove"));
  EXPECT_NE(std::find(rel.begin(), rel.end(), cw::stem_word("delete")), rel.end());
  const auto& back = lex.related(cw::stem_word("delete"));
  EXPECT_NE(std::find(back.begin(), back.end(), cw::stem_word("remove")), back.end());
  EXPECT_EQ(std::find(rel.begin(), rel.end(), cw::stem_word("remove")), rel.end());  // never itself
  EXPECT_TRUE(lex.related("zzzunknown").empty());
}

TEST(Lexicon, FromGroupsSkipsGroupsOfOneTerm) {
  const auto lex = cw::Lexicon::from_groups({{"ticket", "tickets"}, {"mail", "email"}});
  EXPECT_TRUE(lex.related("ticket").empty());  // both stem to "ticket"
  EXPECT_EQ(lex.related("mail"), (std::vector<std::string>{"email"}));
  EXPECT_EQ(lex.size(), 2u);
}

TEST(Lexicon, TypoMatchesFindTheNearestWord) {
  const auto lex = cw::Lexicon::from_groups({{"light", "lamp"}, {"turn", "switch"}}, false);
  EXPECT_EQ(lex.typo_matches("lihgt"), (std::vector<std::string>{"light"}));
  EXPECT_EQ(lex.typo_matches("trun"), (std::vector<std::string>{"turn"}));
  EXPECT_TRUE(lex.typo_matches("light").empty());   // a known word is no typo
  EXPECT_TRUE(lex.typo_matches("flight").empty());  // the first letter must agree
}
