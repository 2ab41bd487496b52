#include "contextweaver/core/unicode.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace contextweaver {

char32_t decode_code_point(std::string_view s, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(pos);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  // Table 3-7 of the Unicode standard: the valid range of the second byte
  // depends on the first; later bytes are always 80..BF.
  std::size_t length = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  char32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    ++pos;  // 80..C1, F5..FF never start a sequence
    return kReplacementChar;
  }
  std::size_t i = pos + 1;
  for (std::size_t k = 1; k < length; ++k, ++i) {
    if (i >= s.size()) {
      pos = i;  // truncated sequence: its maximal subpart is one U+FFFD
      return kReplacementChar;
    }
    const unsigned char b = byte(i);
    const unsigned char low = k == 1 ? lo : 0x80;
    const unsigned char high = k == 1 ? hi : 0xBF;
    if (b < low || b > high) {
      pos = i;
      return kReplacementChar;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  pos = i;
  return cp;
}

void encode_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_valid_utf8(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    // ASCII, most text, 8 bytes at a time.
    while (pos + 8 <= s.size()) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + pos, 8);
      if ((w & 0x8080808080808080ULL) != 0) break;
      pos += 8;
    }
    if (pos >= s.size()) break;
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const std::size_t start = pos;
    if (decode_code_point(s, pos) == kReplacementChar) {
      // A literal U+FFFD is valid; a replacement for bad bytes is not.
      if (s.substr(start, pos - start) != "\xEF\xBF\xBD") return false;
    }
  }
  return true;
}

std::string decode_utf8_replace(std::string_view bytes) {
  // Fast path: most artifact content is already valid.
  if (is_valid_utf8(bytes)) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + 16);
  std::size_t pos = 0;
  while (pos < bytes.size()) encode_utf8(out, decode_code_point(bytes, pos));
  return out;
}

std::size_t code_point_count(std::string_view s) {
  // ASCII is one code point per byte: skip it 8 bytes at a time and decode
  // only from the first non-ASCII byte, so ill-formed sequences count exactly
  // as decode_code_point consumes them.
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos + 8 <= s.size()) {
    // Whole 32-byte runs of ASCII with one test (prompts are mostly ASCII).
    while (pos + 32 <= s.size()) {
      std::uint64_t w[4];
      std::memcpy(w, s.data() + pos, sizeof w);
      if (((w[0] | w[1] | w[2] | w[3]) & kHighBits) != 0) break;
      pos += 32;
      count += 32;
    }
    if (pos + 8 > s.size()) break;
    std::uint64_t word;
    std::memcpy(&word, s.data() + pos, sizeof word);
    const std::uint64_t high = word & kHighBits;
    if (high == 0) {
      pos += 8;
      count += 8;
      continue;
    }
    // Little- or big-endian: the first byte in memory with its high bit set.
    const std::size_t ascii = std::endian::native == std::endian::little
                                  ? static_cast<std::size_t>(std::countr_zero(high)) / 8
                                  : static_cast<std::size_t>(std::countl_zero(high)) / 8;
    pos += ascii;
    count += ascii;
    decode_code_point(s, pos);
    ++count;
  }
  while (pos < s.size()) {
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++pos;
    } else {
      decode_code_point(s, pos);
    }
    ++count;
  }
  return count;
}

std::vector<std::size_t> code_point_offsets(std::string_view s) {
  std::vector<std::size_t> offsets;
  offsets.reserve(s.size() + 1);
  std::size_t pos = 0;
  while (pos < s.size()) {
    offsets.push_back(pos);
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++pos;
    } else {
      decode_code_point(s, pos);
    }
  }
  offsets.push_back(s.size());
  return offsets;
}

SliceRange py_slice(std::size_t n, std::optional<std::int64_t> start, std::optional<std::int64_t> stop) {
  const auto n64 = static_cast<std::int64_t>(n);
  const auto resolve = [n64](std::optional<std::int64_t> bound, std::int64_t fallback) {
    if (!bound) return fallback;
    std::int64_t i = *bound;
    if (i < 0) i = std::max<std::int64_t>(i + n64, 0);
    return std::min(i, n64);
  };
  const std::int64_t b = resolve(start, 0);
  const std::int64_t e = resolve(stop, n64);
  if (b >= e) return {static_cast<std::size_t>(b), static_cast<std::size_t>(b)};
  return {static_cast<std::size_t>(b), static_cast<std::size_t>(e)};
}

std::string slice_code_points(std::string_view s, std::optional<std::int64_t> start, std::optional<std::int64_t> stop) {
  // ASCII needs no offset table.
  const bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) {
    const SliceRange r = py_slice(s.size(), start, stop);
    return std::string(s.substr(r.begin, r.end - r.begin));
  }
  const std::vector<std::size_t> offsets = code_point_offsets(s);
  const SliceRange r = py_slice(offsets.size() - 1, start, stop);
  return std::string(s.substr(offsets[r.begin], offsets[r.end] - offsets[r.begin]));
}

std::vector<std::string_view> splitlines(std::string_view s) {
  std::vector<std::string_view> lines;
  std::size_t line_start = 0;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[pos]);
    std::size_t break_len = 0;
    if (c == '\n' || c == '\v' || c == '\f' || c == 0x1C || c == 0x1D || c == 0x1E) {
      break_len = 1;
    } else if (c == '\r') {
      break_len = (pos + 1 < s.size() && s[pos + 1] == '\n') ? 2 : 1;
    } else if (c == 0xC2 && pos + 1 < s.size() && static_cast<unsigned char>(s[pos + 1]) == 0x85) {
      break_len = 2;  // U+0085
    } else if (c == 0xE2 && pos + 2 < s.size() && static_cast<unsigned char>(s[pos + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[pos + 2]) == 0xA8 || static_cast<unsigned char>(s[pos + 2]) == 0xA9)) {
      break_len = 3;  // U+2028, U+2029
    }
    if (break_len == 0) {
      ++pos;
      continue;
    }
    lines.push_back(s.substr(line_start, pos - line_start));
    pos += break_len;
    line_start = pos;
  }
  if (line_start < s.size()) lines.push_back(s.substr(line_start));
  return lines;
}

bool py_isspace(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

std::string_view py_strip(std::string_view s) {
  std::size_t begin = 0;
  while (begin < s.size()) {
    std::size_t next = begin;
    if (!py_isspace(decode_code_point(s, next))) break;
    begin = next;
  }
  std::size_t end = begin;
  std::size_t pos = begin;
  while (pos < s.size()) {
    const char32_t cp = decode_code_point(s, pos);
    if (!py_isspace(cp)) end = pos;
  }
  return s.substr(begin, end - begin);
}

std::string py_repr(std::string_view s) {
  const bool has_single = s.find('\'') != std::string_view::npos;
  const bool has_double = s.find('"') != std::string_view::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, quote);
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t start = pos;
    const char32_t cp = decode_code_point(s, pos);
    if (cp == static_cast<char32_t>(quote) || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (py_isprintable(cp)) {
      out.append(s.substr(start, pos - start));
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      const int digits = cp < 0x100 ? 2 : cp < 0x10000 ? 4 : 8;
      out += cp < 0x100 ? "\\x" : cp < 0x10000 ? "\\u" : "\\U";
      for (int d = digits - 1; d >= 0; --d) out += kHex[(cp >> (4 * d)) & 0xF];
    }
  }
  out += quote;
  return out;
}

}  // namespace contextweaver
