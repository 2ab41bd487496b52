#!/usr/bin/env python3
"""Generates src/core/char_classes.cpp: the Unicode character classes of
Python's `re` (\\w, \\d) and of str.isupper() / str.islower() / str.istitle(),
for the hand-written matchers ported from the reference.

The classes are whatever the running interpreter's str methods answer, so the
table follows its Unicode version: the checked-in table comes from Python 3.11
(unicodedata 14.0.0), the interpreter the reference is tested with.

    python3 scripts/gen/char_classes.py > src/core/char_classes.cpp
"""
import sys
import unicodedata

from unicode_tables import by_char, layout, ranges


def table(comment, name, rs):
    lines = [f"// {comment}", f"constexpr CodeRange {name}[] = {{"]
    lines += layout(["{0x%X, 0x%X}," % r for r in rs])
    lines.append("};")
    return "\n".join(lines) + "\n"


HEADER = f"""\
// Unicode character classes as Python {sys.version_info.major}.{sys.version_info.minor} defines them (generated from
// unicodedata {unicodedata.unidata_version.rsplit('.', 1)[0]} by scripts/gen/char_classes.py; data, not logic). Sorted, disjoint,
// inclusive ranges for a binary search.
#include "contextweaver/core/char_classes.hpp"

#include <algorithm>
#include <iterator>

namespace contextweaver::unicode_class {{

namespace {{

"""

FOOTER = """\
template <std::size_t N>
bool in_ranges(const CodeRange (&table)[N], char32_t cp) {
  const auto* it = std::upper_bound(std::begin(table), std::end(table), cp,
                                    [](char32_t v, const CodeRange& r) { return v < r.first; });
  return it != std::begin(table) && cp <= (it - 1)->last;
}

}  // namespace

bool is_word_char(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
  return in_ranges(kWordRanges, cp);
}

bool is_digit_char(char32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  return in_ranges(kDigitRanges, cp);
}

bool is_upper_char(char32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  return in_ranges(kUpperRanges, cp);
}

bool is_lower_or_title_char(char32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  return in_ranges(kLowerOrTitleRanges, cp);
}

}  // namespace contextweaver::unicode_class
"""


def main():
    parts = [
        table("re's \\w beyond ASCII (str.isalnum() or '_')", "kWordRanges",
              ranges(by_char(lambda c: c.isalnum() or c == "_"), 0x80)),
        table("re's \\d (Unicode Nd), ASCII included", "kDigitRanges",
              ranges(by_char(lambda c: unicodedata.category(c) == "Nd"), 0)),
        table("str.isupper() of one code point beyond ASCII", "kUpperRanges",
              ranges(by_char(lambda c: c.isupper()), 0x80)),
        table("str.islower() or str.istitle() of one code point beyond ASCII", "kLowerOrTitleRanges",
              ranges(by_char(lambda c: c.islower() or c.istitle()), 0x80)),
    ]
    sys.stdout.write(HEADER + "\n".join(parts) + "\n" + FOOTER)


if __name__ == "__main__":
    main()
