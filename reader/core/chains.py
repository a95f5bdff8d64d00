"""The longest chain of points rising in both coordinates.

Two places need it: anchoring keeps the word runs of a quote that appear in
the same order in the text, and the window draws the links that follow each
other in both articles as the straight bands the panes scroll along.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from typing import TypeVar

Payload = TypeVar("Payload")


def longest_increasing_chain(points: Iterable[tuple[int, int, Payload]]) -> list[Payload]:
    """The payloads of a longest chain of ``(x, y, payload)`` points, in chain order.

    Points are taken by x, then y, then as given; along the chain y rises
    strictly and x never falls. Of two points with the same y only the first
    taken can be in the chain. O(n log n).
    """
    ordered = sorted(points, key=lambda point: (point[0], point[1]))
    tails: list[int] = []  # the smallest y ending a chain of each length
    tail_at: list[int] = []  # which point (position in ordered) ends it
    back: list[int] = []  # the point before each one in its chain, -1 for none
    for position, (_, y, _) in enumerate(ordered):
        length = bisect_right(tails, y)
        if length > 0 and tails[length - 1] == y:
            back.append(-1)  # y would not rise: this point joins no chain
            continue
        back.append(tail_at[length - 1] if length else -1)
        if length == len(tails):
            tails.append(y)
            tail_at.append(position)
        else:
            tails[length] = y
            tail_at[length] = position
    chain: list[Payload] = []
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        chain.append(ordered[position][2])
        position = back[position]
    return chain[::-1]
