"""Corrections by the reader in the window (issue #7): link two passages by hand
(Ctrl+K), reject a suggested link (Ctrl+Shift+K), undo both, see them saved."""

from __future__ import annotations

import yaml
from PySide6.QtCore import Qt

from reader.core.corrections import MANUAL
from reader.ui.annotations_dock import AnnotationTableModel as M
from reader.ui.comparison import ComparisonView

LEFT, RIGHT = ComparisonView.LEFT, ComparisonView.RIGHT
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def show(window, wait_for_alignment, left, right):
    ids = {a.id[:3]: a.id for a in window.corpus.articles}
    window.show_pair(ids[left], ids[right])
    wait_for_alignment(window)
    return window.comparison.articles()


def key(qtbot, window, side, key, modifiers):
    window.comparison.pane(side).text.setFocus()
    qtbot.keyClick(window.comparison.pane(side).text, key, modifiers)


def on_disk(corpus_dir):
    return yaml.safe_load((corpus_dir / "annotations.yaml").read_text(encoding="utf-8"))


def test_ctrl_k_links_the_sentences_chosen_in_each_pane_and_undo_takes_it_back(
    window, make_window, qtbot, corpus_dir, wait_for_alignment
):
    left, right = show(window, wait_for_alignment, "001", "004")
    view = window.comparison
    before = len(view.links())
    view.select_sentence(LEFT, 0)  # "… his first visit to North Korea in nearly 24 years"
    view.select_sentence(RIGHT, 1)  # "Putin’s visit to Pyongyang, his first since 2000, …"
    key(qtbot, window, RIGHT, Qt.Key.Key_K, CTRL)

    manual = [link for link in view.links() if link.kind == MANUAL]
    assert len(manual) == 1
    # The related link the matcher found on the same two sentences gives way to it: one band.
    assert [
        link
        for link in view.links()
        if (link.a_span, link.b_span) == (manual[0].a_span, manual[0].b_span)
    ] == manual
    assert before <= len(view.links()) <= before + 1
    assert manual[0].a_span == (left.sentences[0].start, left.sentences[0].end)
    assert manual[0].b_span == (right.sentences[1].start, right.sentences[1].end)
    assert "1 linked by you" in window.alignment_status.summary.text()
    assert "Linked by you" in view.pane(LEFT).tooltip_at(manual[0].a_span[0])
    assert window.isWindowModified()

    assert window.save()
    [saved] = on_disk(corpus_dir)["links"]
    assert saved["a"]["quote"] == left.sentences[0].text and saved["b"]["article"] == right.id
    again = make_window([corpus_dir])
    show(again, wait_for_alignment, "001", "004")
    assert [link for link in again.comparison.links() if link.kind == MANUAL] == manual
    window.activateWindow()

    window.action_set.undo.trigger()
    assert [link for link in view.links() if link.kind == MANUAL] == []
    window.action_set.redo.trigger()
    assert [link.kind for link in view.links()].count(MANUAL) == 1


def test_a_dragged_text_selection_is_linked_rather_than_the_whole_sentence(
    window, wait_for_alignment
):
    left, _right = show(window, wait_for_alignment, "001", "004")
    view = window.comparison
    start = left.text.index("first visit")
    view.pane(LEFT).select_text(start, start + len("first visit to North Korea in nearly 24 years"))
    view.select_sentence(RIGHT, 1)
    window.action_set.link_passages.trigger()
    [manual] = [link for link in view.links() if link.kind == MANUAL]
    assert (
        left.text[manual.a_span[0] : manual.a_span[1]]
        == "first visit to North Korea in nearly 24 years"
    )


def test_ctrl_k_without_a_passage_in_each_pane_says_what_to_do(window, wait_for_alignment):
    show(window, wait_for_alignment, "001", "004")
    window.comparison.select_sentence(LEFT, 0)
    window.action_set.link_passages.trigger()
    assert "Choose a passage in each pane" in window.statusBar().currentMessage()
    assert window.tagging.store.corrections() == ()


def test_rejecting_a_suggested_link_hides_it_also_after_reopening(
    window, make_window, qtbot, corpus_dir, wait_for_alignment
):
    show(window, wait_for_alignment, "003", "004")
    view = window.comparison
    before = list(view.links())
    assert len(before) >= 2
    view.select_link(0)
    key(qtbot, window, LEFT, Qt.Key.Key_K, CTRL_SHIFT)
    assert view.links() == before[1:]
    assert "rejected" in window.statusBar().currentMessage()
    assert window.save()
    assert len(on_disk(corpus_dir)["rejected"]) == 1

    again = make_window([corpus_dir])
    show(again, wait_for_alignment, "003", "004")
    assert again.comparison.links() == before[1:]
    # From the other pane order too.
    show(again, wait_for_alignment, "004", "003")
    assert len(again.comparison.links()) == len(before) - 1

    window.action_set.undo.trigger()  # the other window is the active one now
    assert view.links() == before


def test_reject_on_a_link_made_by_hand_removes_it(window, wait_for_alignment):
    show(window, wait_for_alignment, "001", "004")
    view = window.comparison
    view.select_sentence(LEFT, 0)
    view.select_sentence(RIGHT, 1)
    window.action_set.link_passages.trigger()
    index = next(i for i, link in enumerate(view.links()) if link.kind == MANUAL)
    view.select_link(index)
    assert "linked by you" in window.statusBar().currentMessage()
    window.action_set.reject_link.trigger()
    assert MANUAL not in {link.kind for link in view.links()}
    assert window.tagging.store.corrections() == ()


def test_also_in_names_the_article_linked_by_hand(window, qtbot, wait_for_alignment):
    _left, right = show(window, wait_for_alignment, "001", "004")
    view = window.comparison
    view.select_sentence(RIGHT, 1)
    view.select_sentence(LEFT, 0)
    key(qtbot, window, LEFT, Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier)  # tag it as a claim
    window.action_set.link_passages.trigger()
    window.annotations_dock.model.refresh_also_in()
    also = window.annotations_dock.proxy.index(0, M.ALSO_IN).data()
    assert f"{right.title} (linked by you)" in also


def test_link_commands_are_in_the_tag_menu_and_the_context_menu_and_their_keys_clash_with_nothing(
    window,
):
    keys: dict[str, list[str]] = {}
    for action in window.action_set.all():
        for sequence in action.shortcuts():
            keys.setdefault(sequence.toString(), []).append(action.objectName())
    assert keys["Ctrl+K"] == ["action_link_passages"]
    assert keys["Ctrl+Shift+K"] == ["action_reject_link"]
    tag_menu = next(m for m in window.menuBar().actions() if m.text() == "&Tag").menu()
    assert {window.action_set.link_passages, window.action_set.reject_link} <= set(
        tag_menu.actions()
    )
    menu = window.sentence_menu(LEFT, 0)
    assert {window.action_set.link_passages, window.action_set.reject_link} <= set(menu.actions())
