// A fast decoder for the JSON text the stores write themselves.
#pragma once

#include <optional>
#include <utility>
#include <string_view>

#include "contextweaver/core/json.hpp"

namespace contextweaver::store_detail {

// The value of `text` when it lies in the subset that dumps_sorted writes for
// ordinary values — objects, arrays, strings without escapes or bytes outside
// U+0020..U+007E, integers that fit in 64 bits, true/false/null, separated by
// spaces — equal to what loads(text) returns (same types, same key order).
// nullopt for anything else (floats, escapes, duplicate keys, other
// whitespace, errors, deep nesting): the caller then uses loads(), which also
// produces the exact error. Saves the general parser's per-object key index
// on every row the SQLite stores read.
std::optional<Json> decode_stored_json(std::string_view text);

// Scans a JSON string of printable ASCII without escapes (what dumps writes
// for most keys and values) whose opening quote is just before `pos`: on
// success `text` is its contents and `pos` is past the closing quote; false
// (pos unspecified) for anything the fast decoders leave to the general parser.
inline bool scan_plain_string(std::string_view s, std::size_t& pos, std::string_view& text) {
  const std::size_t begin = pos;
  for (; pos < s.size(); ++pos) {
    const auto c = static_cast<unsigned char>(s[pos]);
    if (c == '"') {
      text = s.substr(begin, pos - begin);
      ++pos;
      return true;
    }
    if (c == '\\' || c < 0x20 || c > 0x7E) return false;
  }
  return false;
}

// loads(text), through the fast decoder when it applies.
inline Json load_stored_json(std::string_view text) {
  if (auto fast = decode_stored_json(text)) return std::move(*fast);
  return loads(text);
}

}  // namespace contextweaver::store_detail
