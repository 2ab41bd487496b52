// Port of test_extract.py plus the golden vectors of context.md §9/§12.6.
#include <gtest/gtest.h>

#include "contextweaver/summarize/extract.hpp"
#include "contextweaver/summarize/structured_extractor.hpp"

namespace cw = contextweaver;
using Strings = std::vector<std::string>;

TEST(ExtractKeyValue, ColonAndEquals) {
  auto kv = cw::extract_key_value_pairs("Status: ok\ncount = 3\n  Total Count :  5  ");
  ASSERT_EQ(kv.size(), 3u);
  EXPECT_EQ(kv[0], (std::pair<std::string, std::string>{"status", "ok"}));
  EXPECT_EQ(kv[1], (std::pair<std::string, std::string>{"count", "3"}));
  EXPECT_EQ(kv[2], (std::pair<std::string, std::string>{"total_count", "5"}));
}

TEST(ExtractKeyValue, FirstSeparatorWinsAndDuplicatesKeepFirstPosition) {
  auto kv = cw::extract_key_value_pairs("delivered_at: 2026-04-15T14:22:03Z\nhttps://x\na: 1\ndelivered_at: later");
  ASSERT_EQ(kv.size(), 3u);
  EXPECT_EQ(kv[0].first, "delivered_at");
  EXPECT_EQ(kv[0].second, "later");
  EXPECT_EQ(kv[1], (std::pair<std::string, std::string>{"https", "//x"}));
  EXPECT_EQ(kv[2].first, "a");
}

TEST(ExtractKeyValue, RejectsKeysWithOtherCharacters) {
  EXPECT_TRUE(cw::extract_key_value_pairs("1abc: x\nfoo-bar: y\nfoo\tbar: z\n: nothing").empty());
}

TEST(ExtractLists, NumberedAndBullets) {
  EXPECT_EQ(cw::extract_numbered_list("1. first\n2) second\n3.no space\n  10.   tenth  "),
            (Strings{"first", "second", "tenth"}));
  EXPECT_EQ(cw::extract_bullet_list("- dash\n* star\n\u2022 dot\n-nospace"), (Strings{"dash", "star", "dot"}));
}

TEST(ExtractLists, BareBulletYieldsNoFact) {  // DECISIONS C9
  EXPECT_TRUE(cw::extract_bullet_list("- \n-   ").empty());
}

TEST(ExtractFacts, CombinedAndDeduplicated) {
  EXPECT_EQ(cw::extract_facts("Status: ok\n1. first\n- bullet\nstatus: done\n- \nTotal Count = 5"),
            (Strings{"status: done", "total_count: 5", "first", "bullet"}));
  EXPECT_EQ(cw::extract_facts("a: 1\na: 1\n- a: 1"), (Strings{"a: 1"}));
  EXPECT_TRUE(cw::extract_facts("").empty());
}

TEST(StructuredExtractor, EmptyInput) {
  EXPECT_TRUE(cw::StructuredExtractor().extract("  \n ", {}).empty());
}

TEST(StructuredExtractor, JsonObject) {
  EXPECT_EQ(
      cw::StructuredExtractor().extract(R"({"a": 1, "b": [1], "c": null, "d": 1.5, "e": true, "f": {"x":1}})", {}),
      (Strings{"type: object (6 keys)", "a: int = 1", "b: array[1]", "c: NoneType = None", "d: float = 1.5",
               "e: bool = True", "f: object(1 keys)"}));
}

TEST(StructuredExtractor, JsonArrayRowsAndColumns) {
  EXPECT_EQ(cw::StructuredExtractor().extract(R"([{"id":1,"v":[1,2]},{"id":3}])", {}),
            (Strings{"type: array (2 items)", "columns: id, v", "  row: id=1, v=[1, 2]", "  row: id=3, v="}));
  EXPECT_EQ(cw::StructuredExtractor().extract("[1, 2, 3]", {}), (Strings{"type: array (3 items)"}));
}

TEST(StructuredExtractor, NonObjectRowsAreSkipped) {  // DECISIONS C9: the reference raised
  EXPECT_EQ(cw::StructuredExtractor().extract(R"([{"id":1}, 5, {"id":2}])", {}),
            (Strings{"type: array (3 items)", "columns: id", "  row: id=1", "  row: id=2"}));
}

TEST(StructuredExtractor, PlainTextEntities) {
  EXPECT_EQ(
      cw::StructuredExtractor().extract("TITLE\n# head\nmail a@b.com see https://x.org/p 1,234 v1.2.3\nstatus: ok", {}),
      (Strings{"line_count: 4", "sections: TITLE, # head", "emails: a@b.com", "urls: https://x.org/p",
               "numbers: 1,234, 2.3", "status: ok"}));
}

TEST(StructuredExtractor, EmailsUrlsNumbersSortedUnique) {
  auto facts = cw::StructuredExtractor().extract("z@x.io, a@y.com and z@x.io; http://b.org https://a.org 10 9 10", {});
  EXPECT_EQ(facts, (Strings{"line_count: 1", "emails: a@y.com, z@x.io", "urls: http://b.org, https://a.org",
                            "numbers: 10, 9"}));
}

TEST(StructuredExtractor, ValueCappedAt60AndTotalAtMaxChars) {
  std::string long_value(100, 'x');
  auto facts = cw::StructuredExtractor().extract("{\"k\": \"" + long_value + "\"}", {});
  ASSERT_EQ(facts.size(), 2u);
  EXPECT_EQ(facts[1], "k: str = " + std::string(60, 'x'));
  auto capped = cw::StructuredExtractor(25).extract("{\"k\": \"" + long_value + "\"}", {});
  EXPECT_EQ(capped, (Strings{"type: object (1 keys)"}));
}

TEST(StructuredExtractor, KeyValueInPlainText) {
  auto facts = cw::StructuredExtractor().extract("host = db1\nport: 5432", {});
  EXPECT_EQ(facts.back(), "port: 5432");
  EXPECT_NE(std::find(facts.begin(), facts.end(), "host: db1"), facts.end());
}
