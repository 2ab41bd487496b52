// The firewall's default extractor keeps keys as views of the text and
// compares them normalized (lower-case, ' ' -> '_'); up to 16 keys inline,
// then hashed. Checked against a plain dict of normalized keys.
#include <gtest/gtest.h>

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
