// The Unicode classes tiktoken's pre-tokenization patterns test: \p{Lu} \p{Ll}
// \p{Lt} \p{Lm} \p{Lo} (together \p{L}), \p{M}, \p{N} and \s, as the Rust
// regex crate inside the tiktoken WASM defines them (Unicode 16.0; \s is the
// White_Space property, so it includes U+0085 and excludes U+180E and U+FEFF).
#pragma once

#include <cstddef>
#include <cstdint>

namespace contextweaver::tokens_detail {

// Every code point has exactly one class (White_Space characters are all of
// category Z or Cc, so they never overlap the others).
enum class CharClass : std::uint8_t {
  other = 0,
  upper = 1,         // Lu
  lower = 2,         // Ll
  title = 3,         // Lt
  modifier = 4,      // Lm
  other_letter = 5,  // Lo
  mark = 6,          // M (Mn, Mc, Me)
  number = 7,        // N (Nd, Nl, No)
  space = 8,         // White_Space
};

struct UnicodeClassRange {
  std::uint32_t first;
  std::uint32_t last;  // inclusive
  std::uint8_t cls;
};

extern const UnicodeClassRange kUnicodeClassRanges[];
extern const std::size_t kUnicodeClassRangeCount;

// The class of a code point (anything above U+10FFFF is `other`). O(1): a
// two-stage table built once, on first use, from kUnicodeClassRanges.
CharClass char_class(char32_t cp);

inline bool is_letter(CharClass c) {
  return c >= CharClass::upper && c <= CharClass::other_letter;
}

}  // namespace contextweaver::tokens_detail
