#include "contextweaver/core/unicode_fast.hpp"

#include <cstdint>
#include <cstring>

#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

std::string_view py_strip_fast(std::string_view s) {
  std::size_t begin = 0;
  while (begin < s.size()) {
    const auto c = static_cast<unsigned char>(s[begin]);
    if (c < 0x80) {
      if (!py_ascii_space(c)) break;
      ++begin;
      continue;
    }
    std::size_t next = begin;
    if (!py_isspace(decode_code_point(s, next))) break;
    begin = next;
  }
  std::size_t end = s.size();
  while (end > begin) {
    const auto c = static_cast<unsigned char>(s[end - 1]);
    // An ASCII byte is a code point of its own (it never continues a
    // sequence), so [begin, end) decodes as it does inside s.
    if (c >= 0x80) return py_strip(s.substr(begin, end - begin));
    if (!py_ascii_space(c)) break;
    --end;
  }
  return s.substr(begin, end - begin);
}

namespace {

// The number of '\n' bytes, 8 at a time (std::count ran at about 3
// instructions a byte here): a byte of w ^ 0x0A.. is zero exactly where w
// holds '\n', the carry-free test below sets exactly those bytes to 1, and
// the per-byte counts are summed by a multiply every 31 words (before the
// total can pass 255).
std::size_t count_newlines(std::string_view s) {
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  std::size_t n = 0;
  std::size_t i = 0;
  while (i + 8 <= s.size()) {
    std::uint64_t lanes = 0;
    for (int k = 0; k < 31 && i + 8 <= s.size(); ++k, i += 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      w ^= kOnes * '\n';
      lanes += ~(((w & kLow7) + kLow7) | w | kLow7) >> 7;
    }
    n += static_cast<std::size_t>((lanes * kOnes) >> 56);
  }
  for (; i < s.size(); ++i) n += s[i] == '\n';
  return n;
}

}  // namespace

bool only_newline_breaks(std::string_view s) {
  // A branch-free (vectorizable) pass for bytes that can start another break:
  // \v \f \r, \x1c-\x1e, and the lead bytes of U+0085 (C2) and U+2028/9 (E2).
  // (A byte-wide accumulator keeps the vector loop in bytes.)
  unsigned char suspect = 0;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    suspect |= static_cast<unsigned char>((static_cast<unsigned char>(c - 0x0B) < 3) |
                                          (static_cast<unsigned char>(c - 0x1C) < 3) | (c == 0xC2) | (c == 0xE2));
  }
  if (suspect == 0) return true;
  // Then the byte patterns core splitlines breaks on (C2/E2 also start
  // other characters, such as U+00A0 or U+2014).
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Words of printable ASCII (no byte below 0x20 or from 0x80) hold no
    // break and are skipped 8 bytes at a time. The test may flag more bytes
    // than those (a borrow), never fewer.
    while (i + 8 <= s.size()) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
      if ((((w - kOnes * 0x20) & ~w) | w) & kHighs) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const unsigned char c = byte(i);
    if (static_cast<unsigned char>(c - 0x0B) < 3 || static_cast<unsigned char>(c - 0x1C) < 3) return false;
    if (c == 0xC2 && i + 1 < s.size() && byte(i + 1) == 0x85) return false;
    if (c == 0xE2 && i + 2 < s.size() && byte(i + 1) == 0x80 && (byte(i + 2) == 0xA8 || byte(i + 2) == 0xA9)) {
      return false;
    }
  }
  return true;
}

std::vector<std::string_view> splitlines_fast(std::string_view s) {
  if (!only_newline_breaks(s)) return splitlines(s);
  std::vector<std::string_view> lines;
  lines.reserve(count_newlines(s) + 1);
  std::size_t start = 0;
  while (start < s.size()) {
    const std::size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(s.substr(start));
      break;
    }
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::size_t newline_line_count(std::string_view s) {
  // Every '\n' ends a line; text after the last one is one more.
  const std::size_t breaks = count_newlines(s);
  return breaks + (!s.empty() && s.back() != '\n' ? 1 : 0);
}

}  // namespace contextweaver
