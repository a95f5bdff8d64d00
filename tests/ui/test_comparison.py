"""The comparison view as a reader uses it: highlighted passages, selections, scrolling,
tags, find. Real seed articles and the real aligner."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor

from reader.core.align import Aligner, Link
from reader.core.articles import Article, article_from_text, load_corpus
from reader.ui.comparison import ComparisonView
from reader.ui.marks import TagMark

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def pair() -> tuple[Article, Article, list[Link]]:
    corpus = load_corpus(SEEDS)
    a = next(x for x in corpus.articles if x.id.startswith("003"))
    b = next(x for x in corpus.articles if x.id.startswith("004"))
    links = Aligner(corpus.articles).align(a, b, kinds=("copied",))
    assert len(links) >= 3, "the seeds 003/004 share several passages"
    return a, b, links


@pytest.fixture
def view(qtbot, pair) -> ComparisonView:
    a, b, links = pair
    widget = ComparisonView()
    qtbot.addWidget(widget)
    # Short enough that neither article fits: scrolling is real.
    widget.resize(1100, 360)
    widget.set_article_choices([(a.id, a.title), (b.id, b.title)])
    widget.set_articles(a, b)
    widget.set_links(links)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def char_format(view: ComparisonView, side: str, offset: int) -> QTextCharFormat:
    cursor = QTextCursor(view.pane(side).text.document())
    cursor.setPosition(offset + 1)  # the format of the character before the cursor
    return cursor.charFormat()


def background_alpha(view: ComparisonView, side: str, offset: int) -> float:
    brush = char_format(view, side, offset).background()
    return brush.color().alphaF() if brush.style() != Qt.BrushStyle.NoBrush else 0.0


def unlinked_offsets(article: Article, links: list[Link], side: str) -> list[int]:
    spans = [link.a_span if side == "left" else link.b_span for link in links]
    return [
        s.start
        for s in article.sentences
        if not any(start <= s.start < end for start, end in spans)
    ]


def sentence_point(view: ComparisonView, side: str, index: int) -> QPoint:
    pane = view.pane(side)
    start, end = pane.sentence_span(index)
    pane.ensure_span_visible(start, end)
    rect = pane._line_rects(start, end)[0]
    return QPoint(int(rect.left() + min(20, rect.width() / 2)), int(rect.center().y()))


def test_linked_passages_are_shaded_and_identical_wording_is_stronger(view, pair):
    a, b, links = pair
    for link in links:
        for side, (start, end), offset_of in (
            ("left", link.a_span, lambda m: m[0]),
            ("right", link.b_span, lambda m: m[1]),
        ):
            copied = {offset_of(m) + k for m in link.matches for k in range(m[2])}
            reworded = [
                o
                for o in range(start, end)
                if o not in copied and not (a if side == "left" else b).text[o].isspace()
            ]
            assert background_alpha(view, side, start) > 0
            for match in link.matches:
                assert background_alpha(view, side, offset_of(match)) > max(
                    (background_alpha(view, side, o) for o in reworded[:1]), default=0.0
                )
    for side, article in (("left", a), ("right", b)):
        plain = unlinked_offsets(article, links, side)
        assert plain, "each outlet says something of its own"
        for offset in plain:
            assert background_alpha(view, side, offset) == 0.0


def test_text_keeps_the_palette_text_color(view, pair):
    _a, _b, links = pair
    assert (
        char_format(view, "left", links[0].a_span[0]).foreground().style() == Qt.BrushStyle.NoBrush
    )


def test_next_and_previous_link_walk_the_left_pane_in_order_and_stop_at_the_ends(view, qtbot, pair):
    _a, _b, links = pair
    view.pane("left").set_scroll_value(0)
    seen = []
    for _ in range(len(links) + 2):
        with qtbot.waitSignal(view.linkSelected, timeout=100, raising=False):
            view.next_link()
        seen.append(view.selected_link())
    starts = [view.links()[i].a_span[0] for i in seen[: len(links)]]
    assert starts == sorted(starts)
    assert seen[: len(links)] == list(range(len(links)))
    assert seen[-1] == len(links) - 1  # stops at the last
    view.previous_link()
    assert view.selected_link() == len(links) - 2
    for _ in range(len(links) + 1):
        view.previous_link()
    assert view.selected_link() == 0


def test_selected_link_has_both_ends_on_screen_and_outlined(view, pair):
    _a, _b, links = pair
    last = len(links) - 1
    view.pane("left").set_scroll_value(0)
    view.pane("right").set_scroll_value(0)
    view.select_link(last)
    link = view.links()[last]
    assert view.pane("left").span_view_y(*link.a_span)[0] >= -1
    assert view.pane("right").span_view_y(*link.b_span)[0] >= -1
    assert view.pane("left").span_view_y(*link.a_span)[0] < view.pane("left").viewport_height()
    assert view.pane("right").span_view_y(*link.b_span)[0] < view.pane("right").viewport_height()
    assert view.pane("left").outline() == link.a_span
    assert view.pane("right").outline() == link.b_span
    view.select_link(-1)
    assert view.pane("left").outline() is None and view.selected_link() == -1


def test_clicking_a_sentence_selects_it(view, qtbot):
    pane = view.pane("right")
    point = sentence_point(view, "right", 2)
    with qtbot.waitSignal(view.sentenceSelected, timeout=500) as blocker:
        qtbot.mouseClick(pane.text.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == ["right", 2]
    assert view.selected_sentence() == ("right", 2)
    assert view.focused_side() == "right"


def test_clicking_a_highlighted_passage_selects_its_link(view, qtbot, pair):
    _a, _b, _links = pair
    link = view.links()[1]
    index = link.a_sentences[0]
    point = sentence_point(view, "left", index)
    with qtbot.waitSignal(view.linkSelected, timeout=500) as blocker:
        qtbot.mouseClick(view.pane("left").text.viewport(), Qt.MouseButton.LeftButton, pos=point)
    chosen = blocker.args[0]
    assert (
        view.links()[chosen].a_span[0]
        <= view.pane("left").sentence_span(index)[0]
        < view.links()[chosen].a_span[1]
    )
    right = view.pane("right")
    b_span = view.links()[chosen].b_span
    assert (
        right.span_view_y(*b_span)[1] > 0
        and right.span_view_y(*b_span)[0] < right.viewport_height()
    )


def test_right_click_asks_for_the_sentence_menu(view, qtbot):
    point = sentence_point(view, "left", 3)
    viewport = view.pane("left").text.viewport()
    with qtbot.waitSignal(view.sentenceContextMenuRequested, timeout=500) as blocker:
        from PySide6.QtGui import QContextMenuEvent
        from PySide6.QtWidgets import QApplication

        QApplication.sendEvent(
            viewport,
            QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point)),
        )
    assert blocker.args[:2] == ["left", 3]
    assert view.selected_sentence() == ("left", 3)


def test_up_and_down_move_the_sentence_selection(view, qtbot):
    view.set_focused_side("left")
    view.select_sentence("left", 4)
    view.move_sentence_selection(1)
    assert view.selected_sentence() == ("left", 5)
    view.move_sentence_selection(-3)
    assert view.selected_sentence() == ("left", 2)
    view.select_sentence("left", 0)
    view.move_sentence_selection(-1)
    assert view.selected_sentence() == ("left", 0)
    last = view.pane("left").sentence_count() - 1
    view.select_sentence("left", last)
    view.move_sentence_selection(1)
    assert view.selected_sentence() == ("left", last)
    # The keys themselves, on the text with focus; the last sentence is now on screen.
    qtbot.keyClick(view.pane("left").text, Qt.Key.Key_Up)
    assert view.selected_sentence() == ("left", last - 1)
    start, end = view.pane("left").sentence_span(last - 1)
    assert view.pane("left").is_span_visible(start, end)


def test_sync_scroll_keeps_the_linked_passage_level(view, pair):
    assert view.sync_scroll()
    left, right = view.pane("left"), view.pane("right")
    link = max(
        view.links(), key=lambda candidate: candidate.a_span[0]
    )  # the lowest passage of the left article
    top, _bottom = left.span_doc_y(*link.a_span)
    right_before = right.scroll_value()
    # The level point slides from the top of the view to its bottom as the reader
    # scrolls down; put the passage's top there.
    maximum = left.text.verticalScrollBar().maximum()
    left.set_scroll_value(top / (1 + left.viewport_height() / maximum))
    assert right.scroll_value() != right_before
    left_y = left.span_view_y(*link.a_span)[0]
    right_y = right.span_view_y(*link.b_span)[0]
    assert abs(left_y - right_y) < 40


def test_sync_scroll_off_leaves_the_other_pane_alone(view):
    view.set_sync_scroll(False)
    left = view.pane("left")
    left_before, right_before = left.scroll_value(), view.pane("right").scroll_value()
    left.set_scroll_value(left.text.verticalScrollBar().maximum())
    assert left.scroll_value() > left_before  # the left pane did move...
    assert view.pane("right").scroll_value() == right_before  # ...and the right one not
    # The same scroll with syncing on does move the right pane: this test can fail.
    view.set_sync_scroll(True)
    left.set_scroll_value(left.scroll_value() // 2)
    assert view.pane("right").scroll_value() != right_before


def top_sentence(pane) -> int:
    """The sentence whose text is at the top of the pane."""
    return pane.sentence_index_at(pane.visible_offsets()[0])


def scroll_to_sentence(pane, index: int) -> None:
    top, _ = pane.span_doc_y(*pane.sentence_span(index))
    pane.set_scroll_value(top)
    assert top_sentence(pane) == index


def test_narrowing_a_pane_keeps_the_sentence_at_the_top(view, qtbot):
    view.set_sync_scroll(False)
    left = view.pane("left")
    index = left.sentence_count() * 2 // 3
    scroll_to_sentence(left, index)
    before = left.scroll_value()
    view.resize(700, 360)  # as when a dock is widened or the window narrowed
    qtbot.waitUntil(lambda: left.text.viewport().width() < 320)
    assert left.scroll_value() != before  # the lines moved down: so must the view
    assert top_sentence(left) == index
    view.resize(1100, 360)
    qtbot.waitUntil(lambda: left.text.viewport().width() > 450)
    assert top_sentence(left) == index


def test_zooming_keeps_the_sentence_at_the_top(view):
    view.set_sync_scroll(False)
    left, right = view.pane("left"), view.pane("right")
    index = left.sentence_count() * 2 // 3
    scroll_to_sentence(left, index)
    right_index = right.sentence_count() // 2
    scroll_to_sentence(right, right_index)
    view.set_zoom(4)
    assert top_sentence(left) == index and top_sentence(right) == right_index
    view.set_zoom(-2)
    assert top_sentence(left) == index and top_sentence(right) == right_index


def test_sync_scroll_without_links_is_proportional(qtbot):
    a = article_from_text(
        "\n\n".join(f"Left sentence number {i} talks about the harbour." for i in range(80)), "a"
    )
    b = article_from_text("\n\n".join(f"Right line {i}." for i in range(160)), "b")
    widget = ComparisonView()
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.set_articles(a, b)
    widget.show()
    qtbot.waitExposed(widget)
    left, right = widget.pane("left"), widget.pane("right")
    left.set_scroll_value(left.text.verticalScrollBar().maximum())
    assert right.scroll_value() == right.text.verticalScrollBar().maximum()
    left.set_scroll_value(0)
    assert right.scroll_value() == 0


def test_overview_click_scrolls_there(view, qtbot):
    view.set_sync_scroll(False)
    pane = view.pane("right")
    strip = pane.overview
    qtbot.mouseClick(
        strip, Qt.MouseButton.LeftButton, pos=QPoint(strip.width() // 2, strip.height() - 2)
    )
    assert pane.scroll_value() == pane.text.verticalScrollBar().maximum()
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(strip.width() // 2, 1))
    assert pane.scroll_value() == 0


def test_tag_marks_underline_in_the_label_color_with_a_tooltip(view, pair):
    a, _b, _links = pair
    sentence = a.sentences[5]
    mark = TagMark(sentence.start, sentence.end, "claim", "#c0392b", "check the date")
    view.set_tag_marks("left", [mark])
    fmt = char_format(view, "left", sentence.start + 2)
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert fmt.underlineColor().name() == "#c0392b"
    assert view.pane("left").tooltip_at(sentence.start + 2) == "claim — check the date"
    assert (
        char_format(view, "left", a.sentences[6].start + 1).underlineStyle()
        == QTextCharFormat.UnderlineStyle.NoUnderline
    )
    view.set_tag_marks("left", [])
    assert (
        char_format(view, "left", sentence.start + 2).underlineStyle()
        == QTextCharFormat.UnderlineStyle.NoUnderline
    )
    assert "claim" not in view.pane("left").tooltip_at(sentence.start + 2)


def test_tags_do_not_erase_link_shading(view, pair):
    _a, _b, links = pair
    start, end = links[0].a_span
    before = background_alpha(view, "left", start)
    view.set_tag_marks("left", [TagMark(start, end, "context", "#2471a3", "")])
    assert background_alpha(view, "left", start) == before > 0


def test_find_text_starts_in_the_focused_pane_and_wraps_through_both(view, pair):
    a, b, _links = pair
    view.set_focused_side("right")
    assert view.find_text("Pyongyang")
    cursor = view.pane("right").text.textCursor()
    first = cursor.selectionStart()
    assert cursor.selectedText() == "Pyongyang"
    count = b.text.lower().count("pyongyang") + a.text.lower().count("pyongyang")
    assert a.text.lower().count("pyongyang") > 0  # the round trip passes through the left pane
    for _ in range(count):
        assert view.find_text("Pyongyang")
    assert view.focused_side() == "right"
    assert view.pane("right").text.textCursor().selectionStart() == first  # wrapped around
    assert view.find_text("Pyongyang", backwards=True)
    assert not view.find_text("zebra crossing in Oslo")


def test_zoom_changes_the_text_size(view):
    size = view.pane("left").point_size()
    view.set_zoom(3)
    assert view.zoom() == 3
    assert view.pane("left").point_size() == size + 3
    assert view.pane("right").point_size() == size + 3
    view.set_zoom(0)
    assert view.pane("left").point_size() == size


def test_header_chooser_and_word_count(view, qtbot, pair):
    a, b, _links = pair
    left = view.pane("left")
    assert left.chooser.currentData() == a.id
    assert f"{a.word_count:,}" in left.word_count_label.text()
    with qtbot.waitSignal(view.articleChosen, timeout=500) as blocker:
        left.chooser.activated.emit(left.chooser.findData(b.id))
    assert blocker.args == ["left", b.id]


def test_articles_with_astral_characters_keep_offsets(qtbot):
    a = article_from_text("Intro 😀 line.\n\nThe harbour closed at noon today.", "a")
    b = article_from_text("Other text.\n\nThe harbour closed at noon today.", "b")
    start_a = a.text.index("The harbour")
    start_b = b.text.index("The harbour")
    length = len("The harbour closed at noon today.")
    link = Link(
        (1, 1),
        (1, 1),
        (start_a, start_a + length),
        (start_b, start_b + length),
        1.0,
        ((start_a, start_b, length),),
    )
    widget = ComparisonView()
    qtbot.addWidget(widget)
    widget.set_articles(a, b)
    widget.set_links([link])
    cursor = QTextCursor(widget.pane("left").text.document())
    cursor.setPosition(widget.pane("left")._offsets.to_pos(start_a))
    cursor.setPosition(
        widget.pane("left")._offsets.to_pos(start_a + length), QTextCursor.MoveMode.KeepAnchor
    )
    assert cursor.selectedText() == "The harbour closed at noon today."
    assert background_alpha(widget, "left", a.text.index("Intro")) == 0.0


def test_hovering_tagged_text_shows_label_and_note(view, qtbot, pair):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    a, _b, _links = pair
    view.set_tag_marks(
        "left",
        [TagMark(a.sentences[3].start, a.sentences[3].end, "opinion", "#b9770e", "loaded word")],
    )
    point = sentence_point(view, "left", 3)
    viewport = view.pane("left").text.viewport()
    QApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    )
    assert QToolTip.text() == "opinion — loaded word"
    QToolTip.hideText()


def test_links_for_a_missing_article_draw_nothing(qtbot, pair):
    a, _b, links = pair
    widget = ComparisonView()
    qtbot.addWidget(widget)
    widget.set_articles(a, None)
    widget.set_links(links)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.link_map().visible_links() == []
    widget.next_link()  # a reader pressing Alt+Down with one article open
    assert widget.articles() == (a, None)


def test_focusing_a_pane_makes_it_the_focused_side(view, qtbot):
    view.set_focused_side("left")
    with qtbot.waitSignal(view.focusedSideChanged, timeout=500) as blocker:
        view.pane("right").setFocus()
    assert blocker.args == ["right"]
    assert view.focused_side() == "right"


def test_hovering_a_linked_passage_says_it_is_shared(view, pair):
    a, _b, links = pair
    text = view.pane("left").tooltip_at(links[0].a_span[0])
    assert text.startswith("Also in the other article")
    assert f"{links[0].score:.2f}" in text
    plain = unlinked_offsets(a, links, "left")[0]
    assert view.pane("left").tooltip_at(plain) == ""
