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

MAX = 0x110000
COLUMN_LIMIT = 120  # .clang-format
INDENT = 4          # clang-format's continuation indent inside a braced list


def ranges(pred, start):
    out = []
    first = None
    for cp in range(start, MAX + 1):
        hit = cp < MAX and pred(chr(cp))
        if hit and first is None:
            first = cp
        elif not hit and first is not None:
            out.append((first, cp - 1))
            first = None
    return out


def layout(cells):
    """The rows clang-format makes of a long braced list: as many equal
    columns as fit, each as wide as the widest cell outside the last column
    plus a space."""
    for per_line in range(len(cells), 0, -1):
        inner = [c for i, c in enumerate(cells) if i % per_line != per_line - 1]
        width = max((len(c) for c in inner), default=0) + 1
        last = max(len(c) for i, c in enumerate(cells) if i % per_line == per_line - 1 or i == len(cells) - 1)
        if INDENT + (per_line - 1) * width + last <= COLUMN_LIMIT:
            break
    rows = [cells[i:i + per_line] for i in range(0, len(cells), per_line)]
    return [" " * INDENT + "".join(c.ljust(width) for c in row[:-1]) + row[-1] for row in rows]


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
              ranges(lambda c: c.isalnum() or c == "_", 0x80)),
        table("re's \\d (Unicode Nd), ASCII included", "kDigitRanges",
              ranges(lambda c: unicodedata.category(c) == "Nd", 0)),
        table("str.isupper() of one code point beyond ASCII", "kUpperRanges",
              ranges(lambda c: c.isupper(), 0x80)),
        table("str.islower() or str.istitle() of one code point beyond ASCII", "kLowerOrTitleRanges",
              ranges(lambda c: c.islower() or c.istitle(), 0x80)),
    ]
    sys.stdout.write(HEADER + "\n".join(parts) + "\n" + FOOTER)


if __name__ == "__main__":
    main()
