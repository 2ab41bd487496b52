// Port of test_summarize.py plus the golden vectors of context.md §12.6.
#include <gtest/gtest.h>

#include "contextweaver/core/unicode.hpp"
#include "contextweaver/summarize/rules.hpp"

namespace cw = contextweaver;

TEST(SummarizationRule, PrefixAndTagMatching) {
  cw::SummarizationRule rule{"application/json", {"db"}, "json", 1};
  EXPECT_TRUE(rule.matches("application/json", cw::Json{{"tags", {"db", "x"}}}));
  EXPECT_FALSE(rule.matches("application/json", cw::Json{{"tags", {"x"}}}));
  EXPECT_FALSE(rule.matches("text/plain", cw::Json{{"tags", {"db"}}}));
  EXPECT_FALSE(rule.matches("application/json", cw::Json::object()));
  EXPECT_TRUE(cw::SummarizationRule{}.matches("anything", cw::Json::object()));
}

TEST(RuleEngine, PriorityOrderDefaultAndAddRule) {
  cw::RuleEngine engine({{"text/", {}, "low", 1}, {"text/", {}, "high", 5}});
  EXPECT_EQ(engine.resolve("text/plain", {}), "high");
  EXPECT_EQ(engine.resolve("image/png", {}), "default");
  engine.add_rule({"image/", {}, "img", 0});
  engine.add_rule({"text/", {}, "top", 9});
  EXPECT_EQ(engine.resolve("text/csv", {}), "top");
  EXPECT_EQ(engine.resolve("image/png", {}), "img");
  auto rules = engine.all_rules();
  ASSERT_EQ(rules.size(), 4u);
  EXPECT_EQ(rules[0].summarizer_name, "top");
  EXPECT_EQ(rules[3].summarizer_name, "img");
}

TEST(RuleBasedSummarizer, EmptyAndShort) {
  cw::RuleBasedSummarizer s;
  EXPECT_EQ(s.summarize("  \n\t", {}), "(empty)");
  EXPECT_EQ(s.summarize("  hello there  ", {}), "hello there");
}

TEST(RuleBasedSummarizer, JsonObjectAndArray) {
  cw::RuleBasedSummarizer s;
  EXPECT_EQ(s.summarize(R"({"a": 1, "b": [1], "c": null, "d": 1.5, "e": true, "f": {"x":1}})", {}),
            "JSON object with 6 key(s): a, b, c, d, e, f\n  a: int\n  b: list\n  c: NoneType\n  d: float\n  e: bool");
  EXPECT_EQ(s.summarize(R"([{"id": 1, "name": "x"}, {"id": 2}])", {}),
            "JSON array with 2 item(s)\n  item keys: id, name");
  EXPECT_EQ(s.summarize("[1, 2]", {}), "JSON array with 2 item(s)");
  EXPECT_LE(cw::code_point_count(cw::RuleBasedSummarizer(100).summarize(
                R"({"alpha": 1, "beta": 2, "gamma": 3, "delta": 4, "epsilon": 5, "zeta": 6, "eta": 7})", {})),
            100u);
}

TEST(RuleBasedSummarizer, KeyLines) {
  cw::RuleBasedSummarizer s;
  EXPECT_EQ(s.summarize("starting\n  ERROR: disk full  \nprogress 50%\nTotal: 3 items\nerrors: none", {}),
            "ERROR: disk full\nTotal: 3 items");
  std::string many;
  for (int i = 0; i < 50; ++i) many += "status line number " + std::to_string(i) + "\n";
  std::string out = cw::RuleBasedSummarizer(60).summarize(many, {});
  EXPECT_EQ(cw::code_point_count(out), 60u);
  EXPECT_TRUE(out.ends_with("..."));
}

TEST(RuleBasedSummarizer, HeadTail) {
  EXPECT_EQ(cw::RuleBasedSummarizer(60).summarize(std::string(200, 'a'), {}),
            std::string(20, 'a') + "\n[...truncated...]\n" + std::string(20, 'a'));
  std::string out = cw::RuleBasedSummarizer(60).summarize(std::string(100, 'b') + std::string(100, 'c'), {});
  EXPECT_LE(cw::code_point_count(out), 60u);
  EXPECT_TRUE(out.starts_with("bbbb"));
  EXPECT_TRUE(out.ends_with("cccc"));
}

TEST(RuleBasedSummarizer, TinyMaxCharsStaysWithinLimit) {  // DECISIONS C9
  for (std::int64_t max : {0, 2, 10, 21}) {
    EXPECT_LE(static_cast<std::int64_t>(
                  cw::code_point_count(cw::RuleBasedSummarizer(max).summarize(std::string(200, 'q'), {}))),
              max);
    EXPECT_LE(static_cast<std::int64_t>(
                  cw::code_point_count(cw::RuleBasedSummarizer(max).summarize("status ok\nerror x", {}))),
              max);
  }
}

TEST(RuleBasedSummarizer, CountsCodePoints) {
  // 30 em-dashes fit a 30-character cap even though they are 90 bytes.
  std::string dashes;
  for (int i = 0; i < 30; ++i) dashes += "\u2014";
  EXPECT_EQ(cw::RuleBasedSummarizer(30).summarize(dashes, {}), dashes);
}
