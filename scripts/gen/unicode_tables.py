"""What the Unicode table generators in this folder share: code-point ranges
of a predicate, and the braced-list rows clang-format would make of them (so a
regenerated table is byte-identical to the checked-in, formatted one)."""

MAX = 0x110000
COLUMN_LIMIT = 120  # .clang-format
INDENT = 4          # clang-format's continuation indent inside a braced list


def ranges(pred, start):
    """Inclusive (first, last) ranges of the code points >= start where pred(cp) holds."""
    out = []
    first = None
    for cp in range(start, MAX + 1):
        hit = cp < MAX and pred(cp)
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


def by_char(pred):
    """A code-point predicate from one on the character (str methods)."""
    return lambda cp: pred(chr(cp))
