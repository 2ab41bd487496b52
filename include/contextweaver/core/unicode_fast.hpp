// Fast paths of core/unicode.hpp's str.strip() and str.splitlines(), for the
// hot loops over every line of a tool result (the firewall, views, summaries):
// the same answers, found without decoding text that is plain ASCII or breaks
// only at '\n'.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace contextweaver {

// Python's str.isspace() for an ASCII byte (< 0x80): \t \n \v \f \r, \x1c-\x1f, ' '.
constexpr bool py_ascii_space(unsigned char c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
}

// The same view as core py_strip (str.strip()), found without decoding the
// whole string: trailing ASCII whitespace is trimmed from the end, and only a
// string ending in a non-ASCII byte falls back to py_strip's forward scan.
// Used on every line and summary the firewall extracts from.
std::string_view py_strip_fast(std::string_view s);

// True when core splitlines(s) breaks `s` only at '\n': no \r, \v, \f,
// \x1c-\x1e, U+0085, U+2028 or U+2029 (matched as bytes, as splitlines does,
// so this holds for ill-formed text too).
bool only_newline_breaks(std::string_view s);

// core splitlines(s) (the same lines), with a memchr split for the common
// only_newline_breaks text instead of testing every byte against every break.
std::vector<std::string_view> splitlines_fast(std::string_view s);

// splitlines(s).size() for only_newline_breaks text, without building the
// list; also splitlines(decode_utf8_replace(s)).size() (replacement
// characters neither add nor remove a '\n').
std::size_t newline_line_count(std::string_view s);

}  // namespace contextweaver
