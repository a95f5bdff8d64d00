"""The link map between the panes: bands for visible links, clicking one goes there."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from reader.core.align import Aligner
from reader.core.articles import load_corpus
from reader.ui.comparison import ComparisonView
from reader.ui.pane import passage_summary

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def pair():
    corpus = load_corpus(SEEDS)
    a = next(x for x in corpus.articles if x.id.startswith("003"))
    b = next(x for x in corpus.articles if x.id.startswith("004"))
    return a, b, Aligner(corpus.articles).align(a, b, kinds=("copied",))


@pytest.fixture
def view(qtbot, pair):
    a, b, links = pair
    widget = ComparisonView()
    qtbot.addWidget(widget)
    widget.resize(1100, 360)
    widget.set_articles(a, b)
    widget.set_links(links)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def both_ends_on_screen(view: ComparisonView, index: int) -> bool:
    link = view.links()[index]
    for side, span in (("left", link.a_span), ("right", link.b_span)):
        top, bottom = view.pane(side).span_view_y(*span)
        if bottom <= 0 or top >= view.pane(side).viewport_height():
            return False
    return True


def test_only_links_touching_the_visible_range_get_bands(view):
    link_map = view.link_map()
    view.set_sync_scroll(False)
    view.pane("left").set_scroll_value(0)
    view.pane("right").set_scroll_value(0)
    visible = link_map.visible_links()
    assert visible and len(visible) < len(view.links())
    hidden = [i for i in range(len(view.links())) if i not in visible]
    assert all(link_map.band_path(i) is None for i in hidden)
    assert all(link_map.band_path(i) is not None for i in visible)


def test_clicking_a_band_selects_its_link_and_scrolls_both_panes_to_it(view, qtbot):
    link_map = view.link_map()
    view.set_sync_scroll(False)
    # Put the last passage on screen on the left only; its right end is elsewhere.
    target = len(view.links()) - 1
    link = view.links()[target]
    view.pane("left").ensure_span_visible(*link.a_span)
    view.pane("right").set_scroll_value(
        0
        if view.pane("right").span_doc_y(*link.b_span)[0] > view.pane("right").viewport_height()
        else view.pane("right").text.verticalScrollBar().maximum()
    )
    center = link_map.band_center(target)
    assert center is not None
    clicked = link_map.link_at(center)
    with qtbot.waitSignal(view.linkSelected, timeout=500) as blocker:
        qtbot.mouseClick(link_map, Qt.MouseButton.LeftButton, pos=center.toPoint())
    assert blocker.args == [clicked]
    assert view.selected_link() == clicked
    assert both_ends_on_screen(view, clicked)
    assert view.pane("left").outline() == view.links()[clicked].a_span
    assert view.pane("right").outline() == view.links()[clicked].b_span
    assert link_map.selected() == clicked


def test_bands_join_the_passages_on_screen(view):
    link_map = view.link_map()
    view.select_link(0)
    path = link_map.band_path(0)
    link = view.links()[0]
    left_top = view.pane("left").span_view_y(*link.a_span)[0] + link_map._view_top(
        view.pane("left")
    )
    right_top = view.pane("right").span_view_y(*link.b_span)[0] + link_map._view_top(
        view.pane("right")
    )
    # The band starts at the left passage and ends at the right one.
    assert path.contains(QPoint(1, int(left_top) + 3))
    assert path.contains(QPoint(link_map.width() - 2, int(right_top) + 3))


def test_clicking_between_bands_selects_nothing(view, qtbot):
    link_map = view.link_map()
    view.select_link(0)
    empty = [
        QPoint(link_map.width() // 2, y)
        for y in range(0, link_map.height(), 3)
        if link_map.link_at(QPoint(link_map.width() // 2, y)) == -1
    ]
    assert empty
    qtbot.mouseClick(link_map, Qt.MouseButton.LeftButton, pos=empty[0])
    assert view.selected_link() == 0


def test_painting_the_map_draws_bands(view):
    view.select_link(0)
    image = view.link_map().grab().toImage()
    center = view.link_map().band_center(0)
    assert center is not None
    color = image.pixelColor(center.toPoint())
    background = view.link_map().palette().color(view.link_map().backgroundRole())
    assert color != background


def test_hovering_a_band_says_how_close_the_two_versions_are(view):
    link_map = view.link_map()
    view.select_link(0)
    center = link_map.band_center(0)
    text = link_map.tooltip_at(center)
    index = link_map.link_at(center)
    assert text.startswith(f"Passage {index + 1} of {len(view.links())}")
    assert f"similarity {view.links()[index].score:.2f}" in text
    assert "% identical wording" in text


class _NoScan(list):
    """A link list that refuses to be walked whole: what a paint or mouse move must not do."""

    def __iter__(self):
        raise AssertionError("the whole link list was scanned")


def test_paint_hover_and_clicks_ask_the_pair_model_instead_of_scanning_every_link(view, qtbot):
    link_map = view.link_map()
    view.set_sync_scroll(False)
    for value in (0, 400):
        view.pane("left").set_scroll_value(value)
        view.pane("right").set_scroll_value(value // 2)
        expected = link_map.visible_links()
        # The same bands as a scan of every link would find (a span touching the view counts).
        l_top, l_bottom = view.pane("left").visible_offsets()
        r_top, r_bottom = view.pane("right").visible_offsets()
        scanned = [
            i
            for i, link in enumerate(view.links())
            if (link.a_span[1] >= l_top and link.a_span[0] <= l_bottom)
            or (link.b_span[1] >= r_top and link.b_span[0] <= r_bottom)
        ]
        assert expected == scanned
    link_map._links = _NoScan(link_map._links)
    view._links = _NoScan(view._links)
    link_map.repaint()
    assert link_map.visible_links() == expected
    center = link_map.band_center(expected[0])
    qtbot.mouseMove(link_map, center.toPoint())
    assert link_map.link_at(center) >= 0
    link = view._links[expected[0]]
    assert view._link_at("left", link.a_span[0]) >= 0
    # A pane's tooltip finds the passage under the pointer the same way.
    pane = view.pane("left")
    passages = list(pane._passages)
    answers = {
        offset: next((p for p in passages if p.start <= offset < p.end), None)
        for offset in range(0, len(pane.article().text), 97)
    }
    pane._passages = _NoScan(pane._passages)
    for offset, passage in answers.items():
        assert pane.tooltip_at(offset) == (passage_summary(passage) if passage else ""), offset
