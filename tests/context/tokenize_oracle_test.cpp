// core tokenize_list (which scoring and dedup rely on through
// TokenVocabulary, and whose split scans 8 bytes at a time) against a
// byte-by-byte oracle written from its contract, on random texts.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "contextweaver/core/text_terms.hpp"
#include "contextweaver/core/unicode.hpp"

namespace cw = contextweaver;

namespace {

bool joiner(char c) {
  return c == '.' || c == '/' || c == '-';
}

// Lowercase, split on runs outside [a-z0-9_./-], trim "./-", compounds yield
// themselves then their parts; shorter than 2 or stopword: dropped.
std::vector<std::string> oracle_tokenize_list(std::string_view text) {
  std::string lowered;
  for (std::size_t pos = 0; pos < text.size();) {
    const char32_t cp = cw::decode_code_point(text, pos);
    if (cp >= 'A' && cp <= 'Z') {
      lowered += static_cast<char>(cp - 'A' + 'a');
    } else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '_' || cp == '.' || cp == '/' ||
               cp == '-') {
      lowered += static_cast<char>(cp);
    } else if (cp == 0x212A) {  // KELVIN SIGN lowers to 'k'
      lowered += 'k';
    } else if (cp == 0x0130) {  // 'i' + U+0307
      lowered += "i ";
    } else {
      lowered += ' ';
    }
  }
  std::vector<std::string> out;
  auto keep = [&](const std::string& t) {
    if (t.size() >= 2 && !cw::is_stopword(t)) out.push_back(t);
  };
  std::size_t pos = 0;
  while (pos < lowered.size()) {
    if (lowered[pos] == ' ') {
      ++pos;
      continue;
    }
    std::size_t end = pos;
    while (end < lowered.size() && lowered[end] != ' ') ++end;
    std::string piece = lowered.substr(pos, end - pos);
    pos = end;
    std::size_t a = 0, b = piece.size();
    while (a < b && joiner(piece[a])) ++a;
    while (b > a && joiner(piece[b - 1])) --b;
    const std::string compound = piece.substr(a, b - a);
    if (compound.empty()) continue;
    keep(compound);
    if (compound.find_first_of("./-") == std::string::npos) continue;
    std::string part;
    for (char c : compound) {
      if (joiner(c)) {
        if (!part.empty()) keep(part);
        part.clear();
      } else {
        part += c;
      }
    }
    if (!part.empty()) keep(part);
  }
  return out;
}

}  // namespace

TEST(TokenizeOracle, TokenizeListEqualsByteByByteOracle) {
  const std::vector<std::string> atoms = {"a",
                                          "ab",
                                          "Invoice",
                                          "THE",
                                          "the",
                                          "x1",
                                          "_",
                                          "--",
                                          ".",
                                          "/",
                                          "-",
                                          "a.b",
                                          "v2.0",
                                          " ",
                                          "\n",
                                          "\t",
                                          ",",
                                          "!",
                                          "e.g.",
                                          "./a/b",
                                          "a--b",
                                          "0",
                                          "caf\xc3\xa9",
                                          "\xe2\x84\xaa",
                                          "\xc4\xb0",
                                          "\xff",
                                          "abcdefgh",
                                          "abcdefghijklmnop",
                                          "long_identifier_name"};
  std::mt19937 rng(99);
  std::uniform_int_distribution<std::size_t> pick(0, atoms.size() - 1);
  for (int i = 0; i < 30000; ++i) {
    std::string text;
    const int len = static_cast<int>(rng() % 40);
    for (int k = 0; k < len; ++k) text += atoms[pick(rng)];
    ASSERT_EQ(cw::tokenize_list(text), oracle_tokenize_list(text)) << cw::py_repr(text);
  }
}

TEST(TokenizeOracle, VocabularyDropsExactlyTheStopwords) {
  // TokenVocabulary tests new entries against the stopwords word by word; the
  // kept tokens must be tokenize()'s. Stopwords of every length, and near misses.
  const std::vector<std::string> atoms = {
      "a",          "an",         "am",        "and",      "the",    "them",    "themselves", "themselve",
      "yourselves", "yourselvez", "ourselves", "yourself", "yours",  "further", "furthers",   "between",
      "during",     "doing",      "should",    "invoice",  "API/v2", "it's",    "x",          "ab"};
  std::mt19937 rng(5);
  std::uniform_int_distribution<std::size_t> pick(0, atoms.size() - 1);
  cw::TokenVocabulary vocabulary;
  for (int i = 0; i < 5000; ++i) {
    std::string text;
    const int len = static_cast<int>(rng() % 12);
    for (int k = 0; k < len; ++k) text += atoms[pick(rng)] + (rng() % 2 ? " " : ", ");
    std::vector<std::string> got;
    for (std::uint32_t id : vocabulary.token_ids(text)) got.emplace_back(vocabulary.token(id));
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got, cw::tokenize(text)) << text;
  }
}

TEST(TokenizeOracle, EveryAsciiByteBesideTokenCharsAndJoiners) {
  // The run scan tells joiners from other token chars by value (below '0');
  // every ASCII byte, next to letters, digits and joiners at every offset of
  // an 8-byte word, must split as the oracle does, in tokenize_list and in
  // TokenVocabulary.
  std::mt19937 rng(2026);
  const std::string pool = "ab0_.-/zZ9";
  cw::TokenVocabulary vocabulary;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int len = static_cast<int>(rng() % 30);
    for (int k = 0; k < len; ++k) {
      text += rng() % 3 ? pool[rng() % pool.size()] : static_cast<char>(rng() % 128);
    }
    ASSERT_EQ(cw::tokenize_list(text), oracle_tokenize_list(text)) << cw::py_repr(text);
    std::vector<std::string> got;
    for (std::uint32_t id : vocabulary.token_ids(text)) got.emplace_back(vocabulary.token(id));
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got, cw::tokenize(text)) << cw::py_repr(text);
  }
}
