// score_candidates caches each item's token set (ScoredItem::token_ids) as ids
// of one shared TokenVocabulary; mapped back to text they must equal core
// tokenize() exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "contextweaver/context/scoring.hpp"
#include "contextweaver/core/text_terms.hpp"

namespace cw = contextweaver;

TEST(ScoringTokens, CachedTokensEqualTokenizeOnRandomTexts) {
  const std::vector<std::string> atoms = {"Invoice",
                                          "the",
                                          "a",
                                          "ab",
                                          "x",
                                          "API/v2",
                                          "foo.bar-baz",
                                          "--",
                                          "..",
                                          "/",
                                          "./a/b",
                                          "e.g.",
                                          "It's",
                                          " ",
                                          "\n",
                                          "caf\xc3\xa9",
                                          "\xe2\x84\xaa"
                                          "elvin",
                                          "\xc4\xb0stanbul",
                                          "K8s",
                                          "_id",
                                          "12",
                                          "7",
                                          "ÜBER",
                                          "over",
                                          "ourselves",
                                          "a-b-c",
                                          "a..b",
                                          "UPPER/lower",
                                          "tab\tsep",
                                          "x/y.z",
                                          "Q&A",
                                          "1.5",
                                          "x-"};
  std::mt19937_64 rng(42);
  std::vector<cw::ContextItem> items;
  for (int i = 0; i < 400; ++i) {
    cw::ContextItem item;
    item.id = "i" + std::to_string(i);
    const int len = static_cast<int>(rng() % 20);
    for (int k = 0; k < len; ++k) {
      item.text += atoms[rng() % atoms.size()];
      if (rng() % 3) item.text += rng() % 2 ? " " : ",";
    }
    items.push_back(std::move(item));
  }
  const auto scored = cw::score_candidates(items, "invoice api", {}, cw::ScoringConfig{});
  ASSERT_EQ(scored.size(), items.size());
  ASSERT_NE(scored.front().vocabulary, nullptr);
  for (const auto& s : scored) {
    ASSERT_EQ(s.vocabulary, scored.front().vocabulary);
    std::vector<std::string> tokens;
    for (std::uint32_t id : s.token_ids) tokens.emplace_back(s.vocabulary->token(id));
    std::sort(tokens.begin(), tokens.end());
    EXPECT_EQ(tokens, cw::tokenize(s.item.text)) << s.item.text;
    std::vector<std::uint32_t> ids(s.token_ids.begin(), s.token_ids.end());
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "each id once";
  }
}
