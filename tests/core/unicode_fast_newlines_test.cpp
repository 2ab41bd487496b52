// only_newline_breaks (used on every firewalled text by the views and the
// fact extractor) skips printable-ASCII words; it must answer as the
// byte-by-byte definition does, for any bytes.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "contextweaver/core/unicode.hpp"
#include "contextweaver/core/unicode_fast.hpp"

namespace contextweaver {
namespace {

bool only_newline_breaks_bytewise(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = byte(i);
    if (c == 0x0B || c == 0x0C || c == 0x0D || c == 0x1C || c == 0x1D || c == 0x1E) return false;
    if (c == 0xC2 && i + 1 < s.size() && byte(i + 1) == 0x85) return false;
    if (c == 0xE2 && i + 2 < s.size() && byte(i + 1) == 0x80 && (byte(i + 2) == 0xA8 || byte(i + 2) == 0xA9)) {
      return false;
    }
  }
  return true;
}

TEST(OnlyNewlineBreaks, MatchesTheBytewiseDefinition) {
  const std::string atoms[] = {"a",
                               "status: ok",
                               "\n",
                               "\r",
                               "\r\n",
                               "\v",
                               "\f",
                               "\x1c",
                               "\x1d",
                               "\x1e",
                               "\x1f",
                               " ",
                               "\t",
                               "\xc2\x85",
                               "\xc2\xa0",
                               "\xe2\x80\xa8",
                               "\xe2\x80\xa9",
                               "\xe2\x80\x94",
                               "\xe2\x80",
                               "\xc2",
                               "\x7f",
                               "\xff",
                               "0123456789abcdef"};
  std::mt19937 rng(7);
  for (int i = 0; i < 50000; ++i) {
    std::string s;
    const int n = static_cast<int>(rng() % 24);
    for (int k = 0; k < n; ++k) s += atoms[rng() % std::size(atoms)];
    ASSERT_EQ(only_newline_breaks(s), only_newline_breaks_bytewise(s)) << py_repr(s);
    if (only_newline_breaks(s)) {
      ASSERT_EQ(splitlines_fast(s), splitlines(s)) << py_repr(s);
    }
  }
}

TEST(OnlyNewlineBreaks, BreakAtEveryOffsetOfALongText) {
  for (const std::string brk : {"\r", "\v", "\x1e", "\xc2\x85", "\xe2\x80\xa8"}) {
    for (std::size_t at = 0; at <= 40; ++at) {
      std::string s(40, 'x');
      s[5] = '\n';
      s.insert(at, "\xe2\x80\x94");  // a suspect lead byte that is no break
      EXPECT_TRUE(only_newline_breaks(s)) << at;
      s.insert(at, brk);
      EXPECT_FALSE(only_newline_breaks(s)) << at;
    }
  }
}

}  // namespace
}  // namespace contextweaver

namespace contextweaver {
namespace {

TEST(OnlyNewlineBreaks, LineCountsOfLongTexts) {
  // newline_line_count counts '\n' a word at a time (summed every 31 words):
  // it must equal splitlines' count on texts up to a few hundred words.
  std::mt19937 rng(11);
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    const std::size_t n = rng() % 2600;
    for (std::size_t k = 0; k < n; ++k) s += rng() % 3 == 0 ? '\n' : static_cast<char>(rng() % 2 ? 'a' : 0x8A);
    if (rng() % 4 == 0) s = std::string(n, '\n');
    ASSERT_EQ(newline_line_count(s), splitlines(s).size()) << n;
  }
}

}  // namespace
}  // namespace contextweaver
