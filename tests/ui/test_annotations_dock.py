"""The annotations dock: every tag, filters by label and article, a click jumps, "Also in"."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reader.ui.annotations_dock import AnnotationTableModel as M
from reader.ui.comparison import ComparisonView

LEFT, RIGHT = ComparisonView.LEFT, ComparisonView.RIGHT


def tag(window, qtbot, side, index, key):
    window.comparison.select_sentence(side, index)
    window.comparison.pane(side).text.setFocus()
    qtbot.keyClick(window.comparison.pane(side).text, key)


def linked_sentence(window):
    """Index of a left sentence inside the first passage of copied wording."""
    link = next(candidate for candidate in window.comparison.links() if candidate.kind == "copied")
    return link.a_sentences[0]


def test_every_tag_is_listed_and_filters_narrow_the_list(window, qtbot):
    dock = window.annotations_dock
    assert dock.empty_hint.isVisibleTo(window)
    tag(window, qtbot, LEFT, 2, Qt.Key.Key_1)
    tag(window, qtbot, LEFT, 6, Qt.Key.Key_2)
    tag(window, qtbot, RIGHT, 4, Qt.Key.Key_2)
    assert dock.proxy.rowCount() == 3
    assert not dock.empty_hint.isVisibleTo(window)
    dock.set_filter(label="context")
    assert {t.label for t in dock.visible_tags()} == {"context"} and dock.proxy.rowCount() == 2
    right_id = window.shown_ids()[1]
    dock.set_filter(label="context", article_id=right_id)
    assert [t.article_id for t in dock.visible_tags()] == [right_id]
    dock.set_filter()
    assert dock.proxy.rowCount() == 3


def test_a_single_click_jumps_to_the_tagged_sentence(window, qtbot):
    left_id, _ = window.shown_ids()
    tag(window, qtbot, LEFT, 7, Qt.Key.Key_3)
    window.comparison.select_sentence(LEFT, 0)
    other = next(a for a in window.corpus.articles if a.id not in window.shown_ids())
    window.comparison.focusedSideChanged.emit(LEFT)
    window.open_in(LEFT, other.id)  # the tagged article is no longer on the left
    dock = window.annotations_dock
    index = dock.proxy.index(0, M.PASSAGE)
    rect = dock.view.visualRect(index)
    qtbot.mouseClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert left_id in window.shown_ids()
    side = LEFT if window.shown_ids()[0] == left_id else RIGHT
    assert window.comparison.selected_sentence() == (side, 7)


def test_a_tagged_claim_lists_the_articles_that_carry_it_too(window, qtbot):
    _left_id, right_id = window.shown_ids()
    tag(window, qtbot, LEFT, linked_sentence(window), Qt.Key.Key_1)
    dock = window.annotations_dock
    also = dock.proxy.index(0, M.ALSO_IN).data()
    right = window.corpus.article(right_id)
    assert f"{right.title} (copied, " in also
    # 000 reports the same visit in its own words: it may restate, it never copies.
    other = next(a.title for a in window.corpus.articles if a.id.startswith("000"))
    assert f"{other} (copied, " not in also


def test_a_restated_claim_says_so(window, qtbot):
    left = window.comparison.articles()[0]
    reactions = next(a for a in window.corpus.articles if a.id.startswith("000"))
    pair = window.alignments.pair(left, reactions, window.threshold())
    restated = next(link for link in pair if link.kind == "related")
    tag(window, qtbot, LEFT, restated.a_sentences[0], Qt.Key.Key_1)
    also = window.annotations_dock.proxy.index(0, M.ALSO_IN).data()
    assert f"{reactions.title} (restated, " in also


def test_a_sentence_only_one_outlet_has_lists_no_other_article(window, qtbot):
    left = window.comparison.articles()[0]
    linked = set()
    for other in window.corpus.articles:
        pair = (
            window.alignments.pair(left, other, window.threshold()) if other is not left else None
        )
        for link in pair or ():
            linked.update(range(link.a_sentences[0], link.a_sentences[1] + 1))
    lonely = next(i for i in range(len(left.sentences)) if i not in linked)
    tag(window, qtbot, LEFT, lonely, Qt.Key.Key_1)
    assert window.annotations_dock.proxy.index(0, M.ALSO_IN).data() == ""


def test_also_in_leaves_out_an_article_that_only_shares_the_passage_around_the_tag(
    window, qtbot, wait_for_alignment
):
    # 004 shares the passage of 003 around the Kirby sentence but never mentions Kirby.
    ids = {a.id[:3]: a.id for a in window.corpus.articles}
    window.show_pair(ids["003"], ids["004"])
    wait_for_alignment(window)
    three, four = window.comparison.articles()
    kirby = next(s.index for s in three.sentences if "John Kirby" in s.text)
    assert any(
        link.a_sentences[0] <= kirby <= link.a_sentences[1] for link in window.comparison.links()
    ), "the Kirby sentence lies inside a linked passage"
    tag(window, qtbot, LEFT, kirby, Qt.Key.Key_1)
    tag(window, qtbot, LEFT, kirby - 1, Qt.Key.Key_2)  # "The United States has expressed concerns"
    dock = window.annotations_dock
    also = {
        dock.proxy.index(row, M.PASSAGE).data(): dock.proxy.index(row, M.ALSO_IN).data() or ""
        for row in range(dock.proxy.rowCount())
    }
    kirby_also = next(v for k, v in also.items() if "Kirby" in k)
    concerns_also = next(v for k, v in also.items() if "Kirby" not in k)
    assert four.title not in kirby_also
    assert f"{four.title} (copied, " in concerns_also


def test_a_filter_that_matches_no_tag_says_so(window, qtbot):
    dock = window.annotations_dock
    tag(window, qtbot, LEFT, 2, Qt.Key.Key_1)
    assert not dock.empty_hint.isVisibleTo(window)
    dock.set_filter(label="opinion")
    assert dock.proxy.rowCount() == 0
    assert dock.empty_hint.isVisibleTo(window)
    assert dock.empty_hint.text().startswith("No tags match these filters")
    dock.set_filter()
    assert not dock.empty_hint.isVisibleTo(window)
