"""Plain-text tables for the terminal.

>>> print(text_table(("a", "b"), [("1", "two")]))
a  b
-  -
1  two
"""

from __future__ import annotations

from collections.abc import Sequence


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 400) -> str:
    """Columns padded to their widest cell; the last column is cut at ``max_width``."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, ["-" * len(str(h)) for h in header], *rows]:
        cells = [str(c).ljust(widths[i]) for i, c in enumerate(row[:-1])]
        last = str(row[-1])
        if len(last) > max_width:
            last = last[:max_width - 1] + "…"
        lines.append("  ".join([*cells, last]).rstrip())
    return "\n".join(lines)
