// score_candidates caches each item's token set (ScoredItem::tokens) with its
// own allocation-light tokenizer; it must equal core tokenize() exactly.
#include <gtest/gtest.h>

#include <random>

#include "contextweaver/context/scoring.hpp"
#include "contextweaver/core/tokenize.hpp"

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
  for (const auto& s : scored) {
    ASSERT_TRUE(s.tokens_valid);
    EXPECT_EQ(s.tokens, cw::tokenize(s.item.text)) << s.item.text;
  }
}
