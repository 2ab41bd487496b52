// The reference's TF-IDF, BM25 and fuzzy scorers (port of test_utils.py scorers).
#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/tfidf.hpp"
#include "contextweaver/routing/reference_scorers.hpp"
#include "contextweaver/routing/retriever.hpp"

namespace cw = contextweaver;

namespace {

TEST(Scorers, TfIdfBm25FuzzyBasics) {
  const std::vector<std::string> corpus = {"red apple fruit", "green leaf", "blue ocean", "red red wine"};
  cw::TfIdfRetriever tfidf;
  tfidf.fit(corpus);
  const auto top = tfidf.search("red", 2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].first, 3u);  // "red red wine": fewer distinct tokens
  EXPECT_EQ(top[1].first, 0u);
  EXPECT_EQ(tfidf.score_one("red", 99), 0.0);
  EXPECT_TRUE(cw::TfIdfRetriever().search("red", 5).empty());
  EXPECT_TRUE(tfidf.search("red", -1).empty());

  cw::BM25Scorer bm25;
  bm25.fit({"red apple fruit", "green leaf", "blue ocean", "red red wine", "yellow sun", "black night"});
  EXPECT_GT(bm25.score("red", 3), bm25.score("red", 0));  // term frequency counts
  EXPECT_EQ(bm25.score("", 0), 0.0);
  EXPECT_THROW(bm25.score("red", 6), cw::KeyError);
  cw::BM25Scorer empty;
  empty.fit({});
  EXPECT_THROW(empty.score("x", 0), cw::KeyError);

  EXPECT_EQ(cw::token_set_ratio("send email", "send email now"), 100.0);  // subset: 100
  EXPECT_EQ(cw::token_set_ratio("", "x"), 0.0);
  EXPECT_EQ(cw::token_set_ratio("abc", "abc"), 100.0);
  EXPECT_NEAR(cw::token_set_ratio("emal", "email"), 100.0 - 100.0 * 1 / 9, 1e-12);
  EXPECT_LT(cw::token_set_ratio("Email", "email"), 100.0);  // case-sensitive
  cw::FuzzyScorer fuzzy;
  fuzzy.fit(corpus);
  EXPECT_EQ(fuzzy.score("", 0), 0.0);
  EXPECT_EQ(fuzzy.score("red apple", 0), 1.0);
  EXPECT_THROW(fuzzy.score("x", 9), cw::KeyError);
  EXPECT_THROW(cw::make_retriever("bogus"), cw::ConfigError);
}

}  // namespace
