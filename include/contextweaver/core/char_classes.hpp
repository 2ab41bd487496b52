// Python's Unicode character classes for hand-written matchers: the
// reference uses Python `re` on str, whose \w, \d and \b are Unicode-aware,
// and str.isupper().
#pragma once

namespace contextweaver::unicode_class {

struct CodeRange {
  char32_t first;
  char32_t last;
};

bool is_word_char(char32_t cp);            // re \w
bool is_digit_char(char32_t cp);           // re \d
bool is_upper_char(char32_t cp);           // str.isupper() of one character
bool is_lower_or_title_char(char32_t cp);  // str.islower() or str.istitle() of one character

}  // namespace contextweaver::unicode_class
