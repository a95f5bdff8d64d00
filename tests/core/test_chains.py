"""The longest rising chain: anchoring and the window's scroll anchors share it."""

from itertools import combinations, pairwise

from hypothesis import given
from hypothesis import strategies as st

from reader.core.chains import longest_increasing_chain

POINTS = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=9)


def _rises(chain: list[tuple[int, int]]) -> bool:
    return all(x1 <= x2 and y1 < y2 for (x1, y1), (x2, y2) in pairwise(chain))


def _longest_by_brute_force(points: list[tuple[int, int]]) -> int:
    ordered = sorted(points)
    return max(
        (
            size
            for size in range(len(ordered) + 1)
            for chain in combinations(ordered, size)
            if _rises(list(chain))
        ),
        default=0,
    )


@given(POINTS)
def test_the_chain_rises_and_none_is_longer(points):
    chain = longest_increasing_chain((x, y, (x, y)) for x, y in points)
    assert _rises(chain)
    assert len(chain) == _longest_by_brute_force(points)


def test_payloads_come_back_in_chain_order():
    # (x, y, payload): 'b' falls back in y and is left out; equal x may both stay.
    points = [(0, 0, "a"), (1, 5, "b"), (1, 1, "c"), (1, 2, "d"), (3, 3, "e")]
    assert longest_increasing_chain(points) == ["a", "c", "d", "e"]


def test_no_points_no_chain():
    assert longest_increasing_chain([]) == []
