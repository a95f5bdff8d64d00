"""The comparison model: one pair's links and the corpus store, asked as views ask."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.align import Link
from reader.core.articles import article_from_text
from reader.core.comparison import AlignmentStore, PairKey, PairLinks, flip_links, linked_share

# Ten sentences of 20 characters each ("Sentence number NN." is 19 + a space).
TEXT = " ".join(f"Sentence number {n:02d}." for n in range(10)) + "\n"


def article(article_id: str):
    return article_from_text(TEXT, article_id)


def sentence_span(n: int, last: int | None = None) -> tuple[int, int]:
    last = n if last is None else last
    return (20 * n, 20 * last + 19)


def link(a: tuple[int, int], b: tuple[int, int], score: float = 0.5) -> Link:
    return Link(
        a_sentences=a,
        b_sentences=b,
        a_span=sentence_span(*a),
        b_span=sentence_span(*b),
        score=score,
        matches=((sentence_span(a[0])[0], sentence_span(b[0])[0], 5),),
    )


# A: passages at sentences 1-2, 5, 7-8; B has them moved: 6-7, 0, 3
LINKS = [link((1, 2), (6, 7)), link((5, 5), (0, 0)), link((7, 8), (3, 3))]


def pair() -> PairLinks:
    return PairLinks(article("x"), article("y"), LINKS, 0.35)


def test_link_at_an_offset_on_either_side():
    links = pair()
    assert links.at("a", sentence_span(2)[0] + 3) == LINKS[0]
    assert links.at("a", sentence_span(3)[0]) is None  # between passages
    assert links.at("b", sentence_span(0)[0]) == LINKS[1]
    assert links.at("b", sentence_span(3)[1] - 1) == LINKS[2]


def test_links_in_a_visible_range_are_those_meeting_it_in_text_order_of_that_side():
    links = pair()
    assert links.in_range("a", 0, sentence_span(1)[0] + 1) == [LINKS[0]]
    assert links.in_range("a", sentence_span(3)[0], sentence_span(4)[1]) == []
    assert links.in_range("b", 0, len(TEXT)) == [LINKS[1], LINKS[2], LINKS[0]]


def test_positions_in_a_range_number_the_links_as_views_do():
    links = pair()
    # B's text order is 1, 2, 0; positions come back in A's order, the order views number links.
    assert links.positions_in_range("b", 0, len(TEXT)) == [0, 1, 2]
    assert links.positions_in_range("b", 0, sentence_span(3)[1]) == [1, 2]
    assert links.positions_in_range("a", sentence_span(3)[0], sentence_span(4)[1]) == []
    for side in ("a", "b"):
        for start in range(0, len(TEXT), 7):
            expected = links.in_range(side, start, start + 30)
            assert [links.links[p] for p in links.positions_in_range(side, start, start + 30)] == (
                sorted(expected, key=links.links.index)
            )


def test_next_and_previous_from_an_offset_skip_the_link_the_reader_is_in():
    links = pair()
    inside_first = sentence_span(1)[0] + 4
    assert links.next_link("a", inside_first) == LINKS[1]
    assert links.previous_link("a", inside_first) is None
    assert links.previous_link("a", sentence_span(6)[0]) == LINKS[1]
    assert links.next_link("a", sentence_span(8)[0]) is None
    assert links.locate("a", sentence_span(5)[0] + 2) == (LINKS[1], LINKS[0], LINKS[2])
    assert links.locate("b", sentence_span(4)[0]) == (None, LINKS[2], LINKS[0])


def test_links_covering_a_span_contain_all_of_it():
    links = pair()
    assert links.covering("a", sentence_span(1)[0], sentence_span(2)[1]) == [LINKS[0]]
    assert (
        links.covering("a", sentence_span(2)[0], sentence_span(3)[1]) == []
    )  # runs past the passage


def test_flipped_view_exchanges_sides_and_sorts_by_the_new_a():
    flipped = pair().flipped()
    assert flipped.a.id == "y" and flipped.b.id == "x"
    assert [link.a_sentences for link in flipped] == [(0, 0), (3, 3), (6, 7)]
    assert flipped.at("b", sentence_span(5)[0]).a_sentences == (0, 0)
    assert flipped.flipped().links == pair().links
    assert flip_links(flip_links(LINKS)) == sorted(
        LINKS, key=lambda link: (link.a_span, link.b_span)
    )


def test_linked_share_per_side():
    links = pair()
    # A: 5 of 10 sentences linked; B: 4 of 10 (0, 3, 6, 7)
    assert abs(links.share("a") - 0.5) < 1e-9
    assert abs(links.share("b") - 0.4) < 1e-9
    assert abs(links.flipped().share("a") - 0.4) < 1e-9


def test_store_orients_pairs_as_asked_and_evicts_the_least_recently_used():
    x, y, z, w = (article(i) for i in "xyzw")
    store = AlignmentStore(max_pairs=2, max_links=None)
    store.put(y, x, flip_links(LINKS), 0.35)  # arrives flipped
    assert store.get(x, y, 0.35).links == tuple(LINKS)
    store.put(x, z, LINKS[:1], 0.35)
    store.get(x, y, 0.35)  # x-y is now the most recently used
    store.put(x, w, LINKS[:2], 0.35)
    assert store.get(x, z, 0.35) is None  # evicted
    assert store.get(x, y, 0.35) is not None and store.get(x, w, 0.35) is not None
    # eviction drops links, not what the corpus map knows of the pair
    assert store.summary(x, z, 0.35).links == 1
    assert store.get(x, y, 0.5) is None  # another threshold is another pair


def test_store_bounded_by_total_links():
    x, y, z = (article(i) for i in "xyz")
    store = AlignmentStore(max_pairs=None, max_links=4)
    store.put(x, y, LINKS, 0.35)
    store.put(x, z, LINKS[:2], 0.35)
    assert (
        store.link_count <= 4
        and store.get(x, y, 0.35) is None
        and store.get(x, z, 0.35) is not None
    )


def test_forgetting_an_edited_article_mends_closest_and_best_pair():
    x, y, z = (article(i) for i in "xyz")
    store = AlignmentStore()
    store.put(x, y, LINKS, 0.35)
    store.put(x, z, LINKS[:1], 0.35)
    assert store.closest("x", 0.35).article_id == "y"
    assert store.best_pair(0.35) == ("x", "y")
    store.forget_article("y")
    assert store.closest("x", 0.35).article_id == "z"
    assert store.closest("y", 0.35) is None
    assert store.best_pair(0.35) == ("x", "z")


def test_pair_key_is_canonical():
    x, y = article("x"), article("y")
    assert PairKey.of(x, y, 0.35)[0] == PairKey.of(y, x, 0.35)[0]
    assert PairKey.of(y, x, 0.35)[1] is True


# -- incremental answers equal brute force -------------------------------------

_spans = st.tuples(st.integers(0, 9), st.integers(0, 3)).map(lambda t: (t[0], min(9, t[0] + t[1])))
_links = st.lists(st.tuples(_spans, _spans).map(lambda ab: link(*ab)), max_size=4)


@settings(max_examples=60, deadline=None)
@given(
    arrivals=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), _links), max_size=14),
    max_pairs=st.integers(1, 4),
)
def test_incremental_closest_and_best_pair_equal_brute_force(arrivals, max_pairs):
    articles = [article(f"n{i}") for i in range(5)]
    store = AlignmentStore(max_pairs=max_pairs)
    latest: dict[tuple[str, str], tuple[float, float, int]] = {}
    for i, j, links in arrivals:
        if i == j:
            continue
        a, b = articles[i], articles[j]
        store.put(a, b, links, 0.35)
        a_share = linked_share(a, [link.a_span for link in links])
        b_share = linked_share(b, [link.b_span for link in links])
        if a.id > b.id:
            a, b, a_share, b_share = b, a, b_share, a_share
        latest[(a.id, b.id)] = (a_share, b_share, len(links))

    for art in articles:
        candidates = []
        for (p, q), (sp, sq, _) in latest.items():
            if art.id == p and sp > 0:
                candidates.append((-sp, q))
            elif art.id == q and sq > 0:
                candidates.append((-sq, p))
        expected = min(candidates)[1] if candidates else None
        found = store.closest(art.id, 0.35)
        assert (found.article_id if found else None) == expected

    ranked = sorted(
        ((-(sp + sq) / 2, -n, p, q) for (p, q), (sp, sq, n) in latest.items() if n),
    )
    assert store.best_pair(0.35) == (ranked[0][2:] if ranked else None)


def test_closest_in_a_small_corpus_matches_all_pairs():
    articles = [article(f"n{i}") for i in range(4)]
    store = AlignmentStore()
    for k, (a, b) in enumerate(combinations(articles, 2)):
        store.put(a, b, LINKS[: k % 4], 0.35)
    for art in articles:
        shares = {p: s for p, s in store.partners(art.id, 0.35).items()}
        best = max(shares.values())
        assert store.closest(art.id, 0.35).share == best


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(0, 3), st.floats(0, 1)),
        max_size=30,
    )
)
def test_stories_joined_pair_by_pair_equal_the_corpus_map_of_all_pairs(joins):
    from reader.core.comparison import PairSummary, StoryGroups
    from reader.core.corpus_index import CorpusMap

    articles = tuple(article(f"n{i}") for i in range(8))
    groups = StoryGroups(articles)
    pairs: dict[PairKey, PairSummary] = {}
    for a, b, links, share in joins:
        key = PairKey.of(articles[a], articles[b], 0.35)[0]
        if a == b:
            continue
        # A pair met again is one aligned again (another threshold's links, a slider move):
        # its summary replaces the last, and may take the pair out of a story.
        pairs[key] = PairSummary(key, share, share / 2, links)
        groups.add(pairs[key])
        expected = CorpusMap(articles, tuple(pairs.values()), {}).stories()
        assert [[a.id for a in g] for g in groups.groups()] == [[a.id for a in g] for g in expected]


def without_wording(links: list[Link]) -> list[Link]:
    return [Link(x.a_sentences, x.b_sentences, x.a_span, x.b_span, x.score, ()) for x in links]


def test_a_pair_kept_without_word_runs_is_not_given_to_a_view_that_marks_them():
    store = AlignmentStore()
    x, y = article("x"), article("y")
    store.put(y, x, flip_links(without_wording(LINKS)), 0.35, wording=False)
    # The corpus answers (shares, closest) take it; a view marking words does not.
    assert store.get(x, y, 0.35) is not None and not store.get(x, y, 0.35).wording
    assert store.get(x, y, 0.35, wording=True) is None
    key = PairKey.of(x, y, 0.35)[0]
    assert key in store and not store.has_wording(key)
    before = store.summary(x, y, 0.35)
    # Aligned again in full (the reader opened it): the word runs are there, the shares unchanged.
    store.put(x, y, LINKS, 0.35)
    full = store.get(y, x, 0.35, wording=True)
    assert full is not None and all(link.matches for link in full)
    assert store.summary(x, y, 0.35) == before
    # A later background result for the same pair never takes the word runs away.
    store.put(x, y, without_wording(LINKS), 0.35, wording=False)
    assert store.has_wording(key) and all(link.matches for link in store.get(x, y, 0.35))


def test_a_pair_built_elsewhere_is_kept_with_the_shares_it_measured():
    store = AlignmentStore()
    x, y = article("x"), article("y")
    built = PairLinks(x, y, LINKS, 0.35, wording=False)
    shares = built.share("a"), built.share("b")  # measured where it was built (a worker)
    assert store.keep(built) is built
    summary = store.summary(y, x, 0.35)
    assert (summary.a_share, summary.b_share, summary.links) == (*shares, 3)
    assert store.closest("x", 0.35).article_id == "y"
    with pytest.raises(ValueError):
        store.keep(PairLinks(y, x, flip_links(LINKS), 0.35))
