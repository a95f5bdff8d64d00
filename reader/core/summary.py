"""Long lists of problems told briefly: the first few, then how many more."""

from __future__ import annotations

from collections.abc import Iterable

# Enough to see what kind of problem a file has; a file with 369,000 bad
# tags must not print 369,000 lines (or fill a dialog with them).
SHOWN = 10


def summarized(items: Iterable[object], shown: int = SHOWN) -> list[str]:
    """The first ``shown`` items as text, then "… and N more" if there are more.

    Only the items shown are turned into text.
    """
    lines: list[str] = []
    rest = 0
    for item in items:
        if len(lines) < shown:
            lines.append(str(item))
        else:
            rest += 1
    if rest:
        lines.append(f"… and {rest:,} more")
    return lines
