// The firewall's default extractor keeps keys as views of the text and
// compares them normalized (lower-case, ' ' -> '_'); up to 16 keys inline,
// then hashed. Checked against a plain dict of normalized keys.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "contextweaver/summarize/extract.hpp"

namespace contextweaver {
namespace {

std::string normalize(const std::string& key) {
  std::string out;
  for (char c : key) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c == ' ' ? '_' : c;
  return out;
}

TEST(ExtractFactsKeys, NormalizedKeysMatchAPlainDict) {
  // Spellings that collide after normalization ("Foo Bar", "foo_bar").
  const std::vector<std::string> stems = {"Foo Bar", "foo_bar", "FOO BAR", "x",  "X",  "status", "Status",
                                          "a b c",   "A_B_C",   "k1",      "K1", "id", "ID"};
  std::mt19937 rng(17);
  for (int round = 0; round < 400; ++round) {
    const int lines = static_cast<int>(rng() % 60);
    std::string text;
    std::vector<std::pair<std::string, std::string>> dict;  // the oracle
    for (int l = 0; l < lines; ++l) {
      std::string key = stems[rng() % stems.size()];
      if (rng() % 2) key += std::to_string(rng() % 20);  // up to ~260 distinct keys: the hashed path
      std::string value = std::to_string(l);
      value.insert(value.begin(), 'v');
      text.append(key).append(rng() % 2 ? ": " : " = ").append(value).append("\n");
      const std::string norm = normalize(key);
      bool found = false;
      for (auto& [k, v] : dict) {
        if (k == norm) {
          v = value;
          found = true;
        }
      }
      if (!found) dict.emplace_back(norm, value);
    }
    ASSERT_EQ(extract_key_value_pairs(text), dict) << text;
    std::vector<std::string> facts;
    for (const auto& [k, v] : dict) {
      std::string fact = k;  // built piecewise: GCC 12 misreports k + ": " + v as an overflow
      fact.append(": ").append(v);
      facts.push_back(std::move(fact));
    }
    ASSERT_EQ(extract_facts(text), facts) << text;
  }
}

}  // namespace
}  // namespace contextweaver

namespace contextweaver {
namespace {

TEST(ExtractFactsKeys, LongListsKeepEachDistinctFactOnce) {
  // Past 16 facts the duplicates are found by hash: the result must be the
  // first occurrence of each distinct string, pairs, then numbered, then
  // bullets ("k: v" is a pair line and also a bullet's text).
  std::mt19937 rng(23);
  for (int round = 0; round < 300; ++round) {
    std::string text;
    std::vector<std::string> numbered, bullets;
    const int lines = static_cast<int>(rng() % 80);
    for (int l = 0; l < lines; ++l) {
      std::string word = "w";
      word += std::to_string(rng() % 30);
      switch (rng() % 5) {
        case 0:
          text.append(std::to_string(l % 9 + 1)).append(". ").append(word).append("\n");
          numbered.push_back(word);
          break;
        case 1:
          text.append("- ").append(word).append("\n");
          bullets.push_back(word);
          break;
        case 2:
          text.append("- k: v\n");
          bullets.emplace_back("k: v");
          break;
        case 3:
          text.append("k: v\n");
          break;
        default:
          text.append("key").append(std::to_string(rng() % 25)).append(" = 1\n");
          break;
      }
    }
    std::vector<std::string> expected;
    for (const auto& [k, v] : extract_key_value_pairs(text)) {
      std::string fact = k;
      fact.append(": ").append(v);
      expected.push_back(std::move(fact));
    }
    for (const auto* list : {&numbered, &bullets}) {
      for (const auto& item : *list) {
        if (std::find(expected.begin(), expected.end(), item) == expected.end()) expected.push_back(item);
      }
    }
    ASSERT_EQ(extract_facts(text), expected) << text;
  }
}

}  // namespace
}  // namespace contextweaver
