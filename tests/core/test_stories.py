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


def test_two_shared_passages_telling_as_much_as_a_story_join_two_stories():
    # 60 % of each article, more than the 50 % its own story's articles share with it
    at_once, incremental = stories_both_ways(
        [link((0, 2), (0, 2)), link((4, 6), (4, 6), "related")]
    )
    assert at_once == incremental == [["n0", "n1", "n2", "n3", "n4", "n5"]]


def test_one_copied_paragraph_telling_much_of_an_article_joins_two_stories():
    # sentences 0-5 of ten: 60 % of each article in one passage
    at_once, incremental = stories_both_ways([link((0, 5), (0, 5))])
    assert at_once == incremental == [["n0", "n1", "n2", "n3", "n4", "n5"]]


def test_two_stories_of_one_kind_stay_apart_though_every_article_shares_stock_facts_across():
    # Two strikes: each article shares half of itself with its own story's articles
    # and two stock sentences ("losses amount to ... a day") with every article of
    # the other story. Joining every pair of two or more links made one story.
    articles = tuple(article_from_text(TEXT, f"n{i}") for i in range(6))
    stock = [link((0, 0), (0, 0)), link((9, 9), (9, 9), "related")]
    store = AlignmentStore()
    for first, second in combinations(articles, 2):
        same_story = (first.id < "n3") == (second.id < "n3")
        store.put(first, second, ONE_STORY if same_story else stock, THRESHOLD)
    summaries = tuple(s for s in store.summaries(THRESHOLD) if s.links)
    incremental = StoryGroups(articles)
    for summary in reversed(summaries):
        incremental.add(summary)
    for groups in (CorpusMap(articles, summaries, {}).stories(), incremental.groups()):
        assert [[a.id for a in group] for group in groups] == [
            ["n0", "n1", "n2"],
            ["n3", "n4", "n5"],
        ]


def test_an_article_joins_its_story_through_its_closest_articles_however_little_they_share():
    # A brief whose closest articles share only two sentences with it still joins them:
    # closeness is measured against each article's own partners, not a fixed floor.
    articles = tuple(article_from_text(TEXT, f"n{i}") for i in range(3))
    store = AlignmentStore()
    store.put(articles[0], articles[1], ONE_STORY, THRESHOLD)
    store.put(articles[1], articles[2], [link((0, 0), (0, 0)), link((3, 3), (3, 3))], THRESHOLD)
    summaries = tuple(s for s in store.summaries(THRESHOLD) if s.links)
    groups = CorpusMap(articles, summaries, {}).stories()
    assert [[a.id for a in group] for group in groups] == [["n0", "n1", "n2"]]
