// UTF-8 text handled as Python handles str.
//
// Every length, slice and character cap in the reference counts Unicode code
// points, and bytes that are not UTF-8 are decoded with U+FFFD replacement.
// These helpers give the same answers on UTF-8 std::strings. All are pure
// functions, so thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace contextweaver {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes one code point at `pos` and advances it. An ill-formed sequence
// yields U+FFFD and advances over its maximal subpart (as CPython's
// errors="replace" does), so every byte is consumed exactly once.
char32_t decode_code_point(std::string_view s, std::size_t& pos);

// Appends the UTF-8 encoding of `cp` (which must be a scalar value).
void encode_utf8(std::string& out, char32_t cp);

bool is_valid_utf8(std::string_view s);

// bytes.decode("utf-8", errors="replace").
std::string decode_utf8_replace(std::string_view bytes);

// len(str): the number of code points (ill-formed bytes count as U+FFFD would).
std::size_t code_point_count(std::string_view s);

// The byte offsets of every code point boundary: result[i] is where code point
// i starts, and result.back() == s.size().
std::vector<std::size_t> code_point_offsets(std::string_view s);

// Python slice bounds: resolves start/stop (None = open, negative = from the
// end, clamped) against a length n. begin <= end always holds.
struct SliceRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};
SliceRange py_slice(std::size_t n, std::optional<std::int64_t> start, std::optional<std::int64_t> stop);

// s[start:stop] in code points.
std::string slice_code_points(std::string_view s, std::optional<std::int64_t> start, std::optional<std::int64_t> stop);

// str.splitlines(): breaks on \n \r \r\n \v \f \x1c \x1d \x1e U+0085 U+2028
// U+2029, drops the terminators, and adds no empty last line.
std::vector<std::string_view> splitlines(std::string_view s);

// str.isspace() for one code point.
bool py_isspace(char32_t cp);

// str.strip() with no arguments.
std::string_view py_strip(std::string_view s);

// repr(str): '…' quoting, or "…" when the text holds ' and no ".
std::string py_repr(std::string_view s);

}  // namespace contextweaver
