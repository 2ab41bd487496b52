#include <gtest/gtest.h>

#include "contextweaver/routing/analyzer.hpp"

namespace cw = contextweaver;
using V = std::vector<std::string>;

TEST(SplitWords, SnakeCamelKebabAndDottedIdentifiers) {
  EXPECT_EQ(cw::split_words("list_open_issues"), (V{"list", "open", "issues"}));
  EXPECT_EQ(cw::split_words("listOpenIssues"), (V{"list", "open", "issues"}));
  EXPECT_EQ(cw::split_words("get-customer-orders"), (V{"get", "customer", "orders"}));
  EXPECT_EQ(cw::split_words("admin.audit.export"), (V{"admin", "audit", "export"}));
  EXPECT_EQ(cw::split_words("HTTPServerError"), (V{"http", "server", "error"}));
  EXPECT_EQ(cw::split_words("CPUUtilization"), (V{"cpu", "utilization"}));
}

TEST(SplitWords, DigitsStayWithLettersAndNonAsciiSeparates) {
  EXPECT_EQ(cw::split_words("s3_bucket ec2 audit_export_v10"), (V{"s3", "bucket", "ec2", "audit", "export", "v10"}));
  EXPECT_EQ(cw::split_words("caf\xC3\xA9 menu"), (V{"caf", "menu"}));
  EXPECT_TRUE(cw::split_words("  --  ").empty());
}

TEST(SplitWords, WithoutCaseSplittingIdentifiersStayWhole) {
  EXPECT_EQ(cw::split_words("list_open_issues listIssues -a.b-", false), (V{"list_open_issues", "listissues", "a.b"}));
}

TEST(Stemming, SnowballEnglish) {
  EXPECT_EQ(cw::stem_word("issues"), "issu");
  EXPECT_EQ(cw::stem_word("issue"), "issu");
  EXPECT_EQ(cw::stem_word("running"), "run");
  EXPECT_EQ(cw::stem_word("deployments"), "deploy");
  EXPECT_EQ(cw::stem_word("go"), "go");  // two bytes or fewer: unchanged
}

TEST(Analyze, DropsStopwordsNumbersAndStrayLettersThenStems) {
  EXPECT_EQ(cw::analyze("Please can you list my open issues in 2024 a"), (V{"list", "open", "issu"}));
  cw::AnalyzerOptions raw;
  raw.stem = false;
  raw.drop_stopwords = false;
  EXPECT_EQ(cw::analyze("list my issues", raw), (V{"list", "my", "issues"}));
}

TEST(Analyze, CamelCaseRunsAlsoYieldTheirJoinedForm) {
  // The joined form lets "PagerDuty" meet a namespace spelt "pagerduty".
  EXPECT_EQ(cw::analyze("PagerDuty incidents"), (V{"pagerduti", "pager", "duti", "incid"}));
  const auto words = cw::analyze_words("PagerDuty incidents");
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0].joined, "pagerduti");
  EXPECT_EQ(words[0].parts, (V{"pager", "duti"}));
  EXPECT_EQ(words[1].joined, "");
  EXPECT_EQ(words[1].parts, (V{"incid"}));
}

TEST(Stopwords, KeepsApiVerbs) {
  EXPECT_TRUE(cw::is_ranking_stopword("please"));
  EXPECT_TRUE(cw::is_ranking_stopword("the"));
  EXPECT_FALSE(cw::is_ranking_stopword("get"));
  EXPECT_FALSE(cw::is_ranking_stopword("new"));
  EXPECT_FALSE(cw::is_ranking_stopword("open"));
}
