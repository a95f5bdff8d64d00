"""Anchored related links: a sentence next to a copied passage, restated by the other outlet.

The pure part (which pairs a copied link supports, what a copied sentence adds to
its copy) needs no model; the rest runs the matcher on the written wire pairs of
tests/data/related/wire/ (labelled before the rule was run on them).
"""

from __future__ import annotations

import pytest

from reader.core import embedding
from reader.core.align import COPIED, RELATED, Aligner, Link
from reader.core.articles import Article, article_from_text
from reader.core.related import _added_clauses, anchored_pairs
from tests.labelled_pairs import WIRE, load_pair

needs_model = pytest.mark.skipif(
    embedding.unavailable_reason() is not None, reason=str(embedding.unavailable_reason())
)

A_TEXT = (
    "Harbour closed after storm\n\n"  # a heading: takes no part
    "Ships were kept in port on Monday as the storm reached the coast.\n\n"
    "The harbour authority closed all twelve berths at dawn on Monday morning.\n\n"
    "Fishing boats had returned to port during the night before.\n\n"
    "The ferry to the islands will not sail until Wednesday at the earliest.\n\n"
    "Wind speeds reached one hundred kilometres an hour at the lighthouse.\n\n"
    "A new lighthouse keeper was appointed last spring by the town council.\n"
)
B_TEXT = (
    "The harbour authority closed all twelve berths at dawn on Monday morning.\n\n"
    "Crews spent the night bringing the fishing fleet back to the quay.\n\n"
    "Shops along the seafront put sandbags in front of their doors.\n\n"
    "The town council met on Tuesday to talk about next year's budget.\n"
)


def copied_link(a: Article, b: Article, i: int, j: int) -> Link:
    sa, sb = a.sentences[i], b.sentences[j]
    return Link((i, i), (j, j), (sa.start, sa.end), (sb.start, sb.end), 0.9, (), COPIED, ((i, j),))


def test_a_copied_passage_pairs_its_free_neighbours_with_the_other_sides_copy():
    a, b = article_from_text(A_TEXT, "a"), article_from_text(B_TEXT, "b")
    assert a.sentences[2].text.startswith("The harbour authority")
    pairs = anchored_pairs(a, b, [copied_link(a, b, 2, 0)], reach=2)
    assert pairs == {
        (1, 0),  # A's standfirst, right before the copy, with B's copy
        (3, 0),  # A's two story sentences after the copy, with B's copy
        (4, 0),
        (2, 1),  # B's two sentences after its copy, with A's copy
        (2, 2),
    }
    # not: the heading (0), sentences further away (5, 6; B's 3), and two free
    # sentences such as (3, 1), which the first pass weighs like any other pair


def test_a_sentence_already_linked_takes_no_anchored_pair():
    a, b = article_from_text(A_TEXT, "a"), article_from_text(B_TEXT, "b")
    pairs = anchored_pairs(a, b, [copied_link(a, b, 2, 0)], taken=({3}, {1}), reach=2)
    assert pairs == {(1, 0), (4, 0), (2, 2)}


def test_reach_says_how_far_from_the_copy_support_goes():
    a, b = article_from_text(A_TEXT, "a"), article_from_text(B_TEXT, "b")
    pairs = anchored_pairs(a, b, [copied_link(a, b, 2, 0)], reach=1)
    assert pairs == {(1, 0), (3, 0), (2, 1)}


def test_what_a_copied_sentence_adds_to_its_copy():
    source = ["The two leaders last met in September at the Vostochny cosmodrome in the far east."]
    copied = (
        "The two leaders last met in September at the Vostochny cosmodrome, but this trip "
        "signifies a deepening of ties, particularly since the invasion of Ukraine."
    )
    added = _added_clauses(copied, source)
    assert "deepening of ties" in added and "invasion of Ukraine" in added
    assert "Vostochny" not in added
    # a copy that adds a word or two adds no fact
    assert _added_clauses("The two leaders last met in September, officials said.", source) == ""


def wire_links(name: str) -> tuple[Article, Article, list[Link]]:
    pair = load_pair(WIRE / f"{name}_a__{name}_b.yaml")
    return pair.a, pair.b, Aligner([pair.a, pair.b]).align(pair.a, pair.b)


def touches(link: Link, article: Article, text: str, side: str) -> bool:
    start = article.text.index(text)
    span = link.a_span if side == "a" else link.b_span
    return span[0] <= start < span[1]


@needs_model
def test_a_standfirst_restating_the_copied_lede_is_linked_to_the_copy():
    a, b, links = wire_links("fire")
    related = [link for link in links if link.kind == RELATED]
    assert any(
        touches(link, a, "A blaze that started overnight", "a")
        and touches(link, b, "LESSING: The fire broke out", "b")
        for link in related
    ), related
    # the first sentence of b is copied wording too: the related link rides along
    assert any(
        link.kind == COPIED and touches(link, b, "LESSING: The fire broke out", "b")
        for link in links
    )


@needs_model
def test_a_neighbour_of_a_copied_passage_that_tells_another_fact_stays_unlinked():
    # rail: a's standfirst (services suspended until Friday) stands right before the
    # lede that b copied, and b reports nothing like it
    a, b, links = wire_links("rail")
    assert not [link for link in links if touches(link, a, "Rail services between Orlan", "a")]
    # dam: b's farmers and mayor stand right after copied sentences; a has neither fact
    a, b, links = wire_links("dam")
    for text in ("Farmers in the lower valley", "Selby's mayor, Aron Vik"):
        assert not [link for link in links if touches(link, b, text, "b")], text
    # fire: the plume (next to the copied firefighters) is not a's advice on the smoke
    a, b, links = wire_links("fire")
    for text in ("A thick black plume", "The firm's chief executive"):
        assert not [link for link in links if touches(link, b, text, "b")], text


@needs_model
def test_related_links_touch_copied_sentences_only_next_to_a_copied_passage():
    from tests.core.test_alignment_quality import SEED_003, SEED_004, seed, seeds

    a, b = seed(SEED_003), seed(SEED_004)
    links = Aligner(seeds()).align(a, b)
    copied = [link for link in links if link.kind == COPIED]

    def inside(link: Link, side: int) -> set[int]:
        first, last = (link.a_sentences, link.b_sentences)[side]
        return set(range(first, last + 1))

    in_copy = [set().union(*(inside(link, side) for link in copied)) for side in (0, 1)]
    touching = 0
    for link in links:
        if link.kind != RELATED:
            continue
        assert 0.0 <= link.score <= 1.0
        copied_sides = [side for side in (0, 1) if inside(link, side) & in_copy[side]]
        assert len(copied_sides) < 2, link  # never copied on both sides
        for side in copied_sides:
            touching += 1
            free = 1 - side
            # the free side stands within two sentences of a copied passage that
            # the copied side belongs to (or stands next to)
            assert any(
                min(
                    abs(k - edge)
                    for k in inside(link, free)
                    for edge in (c.a_sentences, c.b_sentences)[free]
                )
                <= 3
                for c in copied
                if inside(c, side) & inside(link, side)
            ), link
    assert touching >= 2  # 003's standfirst and "notably strengthened" sentence


@needs_model
def test_copied_wording_corroborates_a_lone_anchored_link():
    # Opened as a folder of their own, 003 and 004 share one longer copied passage and
    # only 003's standfirst is left to link: copied text already says the two report
    # one event, so the single related link needs no second one to agree with it.
    from tests.core.test_alignment_quality import SEED_003, SEED_004, seed

    a, b = seed(SEED_003), seed(SEED_004)
    links = Aligner([a, b]).align(a, b)
    related = [link for link in links if link.kind == RELATED]
    assert len(related) == 1, related
    assert touches(related[0], a, "received a red carpet welcome", "a")
    assert touches(related[0], b, "greeted him on the tarmac", "b")
