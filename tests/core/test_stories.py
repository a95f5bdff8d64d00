"""Stories: articles joined by shared passages, never merged whole by one stray link."""

from __future__ import annotations

from itertools import combinations

import pytest

from reader.core.align import Link
from reader.core.articles import article_from_text
from reader.core.comparison import AlignmentStore, StoryGroups
from reader.core.corpus_index import CorpusMap

# Ten sentences of 20 characters each ("Sentence number NN." is 19 + a space).
TEXT = " ".join(f"Sentence number {n:02d}." for n in range(10)) + "\n"
THRESHOLD = 0.35


def span(first: int, last: int) -> tuple[int, int]:
    return (20 * first, 20 * last + 19)


def link(a: tuple[int, int], b: tuple[int, int], kind: str = "copied") -> Link:
    return Link(a, b, span(*a), span(*b), 0.8, ((span(*a)[0], span(*b)[0], 5),), kind=kind)


ONE_STORY = [link((1, 2), (1, 2)), link((5, 5), (6, 6)), link((7, 8), (7, 8))]


def stories_both_ways(bridge: list[Link]) -> list[list[list[str]]]:
    """The stories of two three-article stories with ``bridge`` between one article of each,
    as the corpus map groups all pairs at once and as the window joins them one by one."""
    articles = tuple(article_from_text(TEXT, f"n{i}") for i in range(6))
    store = AlignmentStore()
    for first, second in [*combinations(articles[:3], 2), *combinations(articles[3:], 2)]:
        store.put(first, second, ONE_STORY, THRESHOLD)
    store.put(articles[2], articles[3], bridge, THRESHOLD)
    summaries = tuple(s for s in store.summaries(THRESHOLD) if s.links)
    incremental = StoryGroups(articles)
    for summary in summaries:
        incremental.add(summary)
    at_once = CorpusMap(articles, summaries, {}).stories()
    return [
        [[a.id for a in group] for group in groups] for groups in (at_once, incremental.groups())
    ]


@pytest.mark.parametrize("kind", ["related", "copied"])
def test_one_stray_sentence_between_two_stories_does_not_merge_them(kind):
    at_once, incremental = stories_both_ways([link((4, 4), (9, 9), kind)])
    assert at_once == incremental == [["n0", "n1", "n2"], ["n3", "n4", "n5"]]


def test_two_shared_passages_join_two_stories():
    at_once, incremental = stories_both_ways(
        [link((4, 4), (9, 9)), link((6, 6), (0, 0), "related")]
    )
    assert at_once == incremental == [["n0", "n1", "n2", "n3", "n4", "n5"]]


def test_one_copied_paragraph_telling_much_of_an_article_joins_two_stories():
    # sentences 0-3 of ten: 40 % of each article in one passage
    at_once, incremental = stories_both_ways([link((0, 3), (0, 3))])
    assert at_once == incremental == [["n0", "n1", "n2", "n3", "n4", "n5"]]
