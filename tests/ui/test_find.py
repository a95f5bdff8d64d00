"""Find (Ctrl+F) looks in both panes, leaves the view alone on failure, centres the match."""

from __future__ import annotations

import re

from reader.ui.comparison import ComparisonView

LEFT, RIGHT = ComparisonView.LEFT, ComparisonView.RIGHT


def _words(text):
    return set(re.findall(r"[A-Za-z]{7,}", text.lower()))


def test_find_reports_a_word_only_the_other_pane_has(window):
    a, b = window.comparison.articles()
    word = sorted(
        _words(b.text) - _words(a.text) - {w for w in _words(b.text) if w in a.text.lower()}
    )[0]
    window.comparison.set_focused_side(LEFT)
    window.find_box.setText(word)
    assert window.find()
    selected = window.comparison.pane(RIGHT).text.textCursor().selectedText()
    assert selected.lower() == word
    assert window.comparison.focused_side() == RIGHT  # F3 goes on from there


def test_a_failed_find_keeps_both_panes_where_they_were(window):
    bars = [window.comparison.pane(side).text.verticalScrollBar() for side in (LEFT, RIGHT)]
    bars[0].setValue(bars[0].maximum() // 2)
    before = [bar.value() for bar in bars]
    assert before[0] > 0
    window.find_box.setText("zebra crossing in Oslo")
    assert not window.find()
    assert [bar.value() for bar in bars] == before


def test_the_match_lands_in_the_middle_of_the_pane(window):
    a, _b = window.comparison.articles()
    pane = window.comparison.pane(LEFT)
    # A word first used about half way down a long article: there is room to centre it.
    middle = next(s for s in a.sentences if s.start > len(a.text) * 0.45)
    word = next(
        w
        for w in re.findall(r"[A-Za-z]{6,}", middle.text)
        if w.lower() not in a.text[: middle.start].lower()
    )
    window.comparison.set_focused_side(LEFT)
    pane.text.verticalScrollBar().setValue(0)
    window.find_box.setText(word)
    assert window.find()
    rect = pane.text.cursorRect()
    assert pane.text.verticalScrollBar().value() > 0
    assert abs(rect.center().y() - pane.text.viewport().height() / 2) <= rect.height()
