// The firewall's text fast paths against straightforward oracles on random
// texts: py_strip_fast against core py_strip, and extract_facts (one fused
// pass, ASCII shortcuts) against the three extractors written the plain way
// (decode every code point, core py_strip, a dict, a set), as they were before.
#include <gtest/gtest.h>

#include <random>
#include <unordered_map>
#include <unordered_set>

#include "contextweaver/core/unicode.hpp"
#include "contextweaver/summarize/extract.hpp"
#include "contextweaver/core/unicode_fast.hpp"

namespace cw = contextweaver;

namespace {

// Pieces that exercise every branch: ASCII and Unicode whitespace (U+0085,
// U+00A0, U+2003, U+3000), line breaks of every kind, ill-formed bytes,
// Unicode digits (U+0663), the bullet U+2022, key/list markers.
const std::vector<std::string> kAtoms = {
    " ",        "\t",       "\n",       "\r\n",         "\r",           "\x0b",         "\x0c",   "\x1c",
    "\x1f",     "\xc2\x85", "\xc2\xa0", "\xe2\x80\x83", "\xe3\x80\x80", "\xe2\x80\xa8", "\x80",   "\xc2",
    "\xe2\x80", "\xff",     "a",        "Key",          "Total Count",  "_x1",          "1abc",   ":",
    "=",        "-",        "*",        "\xe2\x80\xa2", "1.",           "2)",           "10",     "\xd9\xa3",
    ".",        ")",        "value",    "caf\xc3\xa9",  "x y",          "\n\n",         "- item", "3. step",
    "k: v",     "k = v"};

std::string random_text(std::mt19937& rng, std::size_t max_atoms) {
  std::uniform_int_distribution<std::size_t> len(0, max_atoms), pick(0, kAtoms.size() - 1);
  std::string s;
  for (std::size_t n = len(rng); n > 0; --n) s += kAtoms[pick(rng)];
  return s;
}

std::size_t oracle_skip_space(std::string_view s, std::size_t pos) {
  while (pos < s.size()) {
    std::size_t next = pos;
    if (!cw::py_isspace(cw::decode_code_point(s, next))) break;
    pos = next;
  }
  return pos;
}

bool oracle_item(std::string_view line, std::size_t pos, std::string& item) {
  const std::size_t after = oracle_skip_space(line, pos);
  if (after == pos) return false;
  item = std::string(cw::py_strip(line.substr(after)));
  return true;
}

std::vector<std::string> oracle_facts(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::unordered_map<std::string, std::size_t> position;
  std::vector<std::string> numbered, bullets;
  auto key_char = [](unsigned char c, bool first) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (!first && ((c >= '0' && c <= '9') || c == ' '));
  };
  for (std::string_view line : cw::splitlines(text)) {
    const std::size_t pos = oracle_skip_space(line, 0);
    if (pos < line.size() && key_char(static_cast<unsigned char>(line[pos]), true)) {
      std::size_t end = pos + 1;
      while (end < line.size() && key_char(static_cast<unsigned char>(line[end]), false)) ++end;
      const std::size_t sep = oracle_skip_space(line, end);
      if (sep < line.size() && (line[sep] == ':' || line[sep] == '=')) {
        std::string key(cw::py_strip(line.substr(pos, end - pos)));
        for (char& c : key) {
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
          if (c == ' ') c = '_';
        }
        std::string value(cw::py_strip(line.substr(oracle_skip_space(line, sep + 1))));
        auto [it, inserted] = position.emplace(key, pairs.size());
        if (inserted) {
          pairs.emplace_back(key, value);
        } else {
          pairs[it->second].second = value;
        }
      }
    }
    std::size_t digits = pos;
    while (digits < line.size()) {
      std::size_t next = digits;
      const char32_t cp = cw::decode_code_point(line, next);
      if (!((cp >= '0' && cp <= '9') || cp == 0x0663)) break;  // the only non-ASCII digit among the atoms
      digits = next;
    }
    std::string item;
    if (digits != pos && digits < line.size() && (line[digits] == '.' || line[digits] == ')') &&
        oracle_item(line, digits + 1, item)) {
      numbered.push_back(item);
    }
    if (pos < line.size()) {
      std::size_t after = pos;
      const char32_t marker = cw::decode_code_point(line, after);
      if ((marker == U'-' || marker == U'*' || marker == U'\u2022') && oracle_item(line, after, item) &&
          !item.empty()) {
        bullets.push_back(item);
      }
    }
  }
  std::vector<std::string> facts;
  std::unordered_set<std::string> seen;
  auto add = [&](const std::string& f) {
    if (seen.insert(f).second) facts.push_back(f);
  };
  for (const auto& [k, v] : pairs) add(k + ": " + v);
  for (const auto& s : numbered) add(s);
  for (const auto& s : bullets) add(s);
  return facts;
}

}  // namespace

TEST(FirewallTextFastPaths, PyStripFastEqualsPyStrip) {
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const std::string s = random_text(rng, 8);
    ASSERT_EQ(cw::py_strip_fast(s), cw::py_strip(s)) << cw::py_repr(s);
  }
}

TEST(FirewallTextFastPaths, SplitlinesFastAndLineCountEqualSplitlines) {
  std::mt19937 rng(5);
  const std::vector<std::string> fixed = {"", "\n", "\n\n", "a", "a\n", "a\nb", "\na\n\nb\n\n", "a\r\nb", "a\x0bb"};
  for (int i = 0; i < 20000 + static_cast<int>(fixed.size()); ++i) {
    const std::string s = i < static_cast<int>(fixed.size()) ? fixed[static_cast<std::size_t>(i)] : random_text(rng, 8);
    const auto expected = cw::splitlines(s);
    ASSERT_EQ(cw::splitlines_fast(s), expected) << cw::py_repr(s);
    if (cw::only_newline_breaks(s)) {
      ASSERT_EQ(cw::newline_line_count(s), expected.size()) << cw::py_repr(s);
      ASSERT_EQ(cw::newline_line_count(s), cw::splitlines(cw::decode_utf8_replace(s)).size()) << cw::py_repr(s);
    }
  }
  for (const char* s :
       {"a\nb c\t", "\x1f\x1b", "caf\xc3\xa9", "\xc2\xa0\n", "a \xe2\x80\x94 b", "\xe2\x80", "\xc2", "\xff\n"}) {
    EXPECT_TRUE(cw::only_newline_breaks(s)) << cw::py_repr(s);
  }
  for (const char* s :
       {"a\rb", "a\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\xc2\x85", "x\xe2\x80\xa8", "\xe2\x80\xa9y"}) {
    EXPECT_FALSE(cw::only_newline_breaks(s)) << cw::py_repr(s);
  }
}

TEST(FirewallTextFastPaths, ExtractFactsEqualsPlainExtractors) {
  std::mt19937 rng(11);
  for (int i = 0; i < 20000; ++i) {
    // Long enough texts (up to 200 atoms) also cross the linear/hashed switch.
    const std::string s = random_text(rng, i % 10 == 0 ? 200 : 24);
    ASSERT_EQ(cw::extract_facts(s), oracle_facts(s)) << cw::py_repr(s);
  }
}

TEST(FirewallTextFastPaths, ManyKeysKeepDictOrderAndLastValue) {
  std::string text;
  for (int round = 0; round < 2; ++round) {
    for (int k = 0; k < 40; ++k) text += "key" + std::to_string(k) + ": v" + std::to_string(round) + "\n";
  }
  text += "- key0: v1\n";  // a bullet equal to an existing fact is not repeated
  const auto facts = cw::extract_facts(text);
  ASSERT_EQ(facts.size(), 40u);
  for (int k = 0; k < 40; ++k) EXPECT_EQ(facts[k], "key" + std::to_string(k) + ": v1");
}
