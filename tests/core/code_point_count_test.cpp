// code_point_count skips ASCII a word at a time; it must count exactly what
// decoding code point by code point counts, ill-formed UTF-8 included.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

// The byte-at-a-time definition: one count per decode_code_point step.
std::size_t count_by_decoding(std::string_view s) {
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos < s.size()) {
    decode_code_point(s, pos);
    ++count;
  }
  return count;
}

// Bytes drawn to hit ASCII runs, lead bytes of every length, continuation
// bytes, never-valid bytes and the E0/ED/F0/F4 second-byte limits.
std::string random_bytes(std::mt19937& rng, std::size_t length) {
  static constexpr unsigned char kSpecial[] = {0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                                               0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x00, 0x7F};
  std::string s;
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> ascii(0x20, 0x7E);
  std::uniform_int_distribution<std::size_t> special(0, sizeof kSpecial - 1);
  while (s.size() < length) {
    const int k = kind(rng);
    if (k < 5) {
      s += static_cast<char>(ascii(rng));
    } else if (k < 7) {
      s += static_cast<char>(kSpecial[special(rng)]);
    } else if (k < 9) {
      s += static_cast<char>(byte(rng));
    } else {
      s += "\xF0\x9F\x98\x80";  // a valid 4-byte sequence
    }
  }
  return s;
}

TEST(CodePointCount, MatchesDecodingOnRandomBytes) {
  std::mt19937 rng(20261126);
  std::uniform_int_distribution<std::size_t> length(0, 48);
  for (int i = 0; i < 200000; ++i) {
    const std::string s = random_bytes(rng, length(rng));
    ASSERT_EQ(code_point_count(s), count_by_decoding(s)) << py_repr(s);
  }
}

TEST(CodePointCount, IllFormedSequencesAcrossWordBoundaries) {
  // A truncated or broken sequence at every offset of a 70-byte ASCII frame
  // (the 8- and 32-byte ASCII skips).
  for (const std::string bad :
       {"\xE0\x80", "\xF0\x9F\x98", "\xC2", "\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x80\x94", "\xFF"}) {
    for (std::size_t at = 0; at <= 70; ++at) {
      std::string s(70, 'a');
      s.insert(at, bad);
      EXPECT_EQ(code_point_count(s), count_by_decoding(s)) << at;
      const std::string head = s.substr(0, at + bad.size() - 1);  // the sequence cut short
      EXPECT_EQ(code_point_count(head), count_by_decoding(head)) << at;
    }
  }
  EXPECT_EQ(code_point_count("\xE0\x80"), 2u);      // E0 needs A0..BF next: two replacements
  EXPECT_EQ(code_point_count("\xF0\x9F\x98"), 1u);  // truncated: one replacement
  EXPECT_EQ(code_point_count(std::string(37, 'x')), 37u);
}

}  // namespace
}  // namespace contextweaver
