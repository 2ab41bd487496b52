#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/tfidf.hpp"
#include "contextweaver/core/text_terms.hpp"

using namespace contextweaver;
using V = std::vector<std::string>;

TEST(Tokenize, ReferenceExamples) {
  EXPECT_EQ(tokenize_list("billing.invoices.search"), (V{"billing.invoices.search", "billing", "invoices", "search"}));
  EXPECT_EQ(tokenize_list("Query metric time-series data"),
            (V{"query", "metric", "time-series", "time", "series", "data"}));
  EXPECT_EQ(tokenize_list("a.b c/d -x- ..search.. e.g. __init__ v2 10"),
            (V{"a.b", "c/d", "search", "e.g", "__init__", "v2", "10"}));
  EXPECT_EQ(tokenize("admin:users:create"), (V{"admin", "create", "users"}));
  EXPECT_EQ(tokenize("crm..deals"), (V{"crm", "crm..deals", "deals"}));
  EXPECT_EQ(tokenize("deploy-the-app"), (V{"app", "deploy", "deploy-the-app"}));
  EXPECT_EQ(tokenize("Search the database quickly!"), (V{"database", "quickly", "search"}));
  EXPECT_EQ(tokenize_list("café"), (V{"caf"}));
  EXPECT_EQ(tokenize_list("İstanbul"), (V{"stanbul"}));
  EXPECT_EQ(tokenize_list("\u212Aelvin"), (V{"kelvin"}));
  EXPECT_EQ(tokenize_list("-x-"), V{});
}

TEST(Jaccard, Basics) {
  EXPECT_EQ(jaccard({}, {}), 0.0);
  EXPECT_DOUBLE_EQ(jaccard({"a", "b"}, {"b", "c"}), 1.0 / 3.0);
}

TEST(TfIdf, WorkedExampleIsBitExact) {
  TfIdfScorer scorer;
  scorer.fit({"search database records quickly", "send notification email", "compute statistics from database"});
  const auto scores = scorer.score_all("database search");
  ASSERT_EQ(scores.size(), 3u);
  EXPECT_EQ(scores[0], 0.7452073132529315);
  EXPECT_EQ(scores[1], 0.0);
  EXPECT_EQ(scores[2], 0.42922735748392693);
  EXPECT_THROW(scorer.score("x", 3), ValueError);
}
