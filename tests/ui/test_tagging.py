"""Keyboard tagging: keys from the annotation file's labels, saved YAML, undo/redo, notes, menus."""

from __future__ import annotations

import yaml
from PySide6.QtCore import Qt

from reader.ui import note_dialog
from reader.ui.comparison import ComparisonView

LEFT, RIGHT = ComparisonView.LEFT, ComparisonView.RIGHT


def tags_on_disk(corpus_dir):
    path = corpus_dir / "annotations.yaml"
    if not path.exists():
        return []
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        (entry["id"], tag["label"], tag["quote"])
        for entry in document.get("articles") or []
        for tag in entry.get("tags") or []
    ]


def select_sentence(window, side, index):
    window.comparison.select_sentence(side, index)
    pane = window.comparison.pane(side)
    pane.text.setFocus()
    article = window.comparison.articles()[0 if side == LEFT else 1]
    return article, article.sentences[index]


def press(qtbot, window, side, key):
    qtbot.keyClick(window.comparison.pane(side).text, key)


def test_pressing_2_tags_the_sentence_as_context_and_ctrl_s_writes_it(window, qtbot, corpus_dir):
    article, sentence = select_sentence(window, LEFT, 3)
    press(qtbot, window, LEFT, Qt.Key.Key_2)
    assert window.isWindowModified()
    assert [t.label for t in window.tagging.store.tags_for(article.id)] == ["context"]
    qtbot.keyClick(
        window.comparison.pane(LEFT).text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )
    assert tags_on_disk(corpus_dir) == [(article.id, "context", sentence.text)]
    assert not window.isWindowModified()


def test_undo_takes_the_tag_back_and_redo_restores_it(window, qtbot, corpus_dir):
    article, sentence = select_sentence(window, RIGHT, 2)
    press(qtbot, window, RIGHT, Qt.Key.Key_2)
    assert window.save()
    assert tags_on_disk(corpus_dir) == [(article.id, "context", sentence.text)]
    assert window.action_set.undo.isEnabled() and "Tag as context" in window.action_set.undo.text()
    qtbot.keyClick(
        window.comparison.pane(RIGHT).text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
    )
    assert window.tagging.store.tags_for(article.id) == ()
    assert window.save()
    assert tags_on_disk(corpus_dir) == []
    qtbot.keyClick(
        window.comparison.pane(RIGHT).text,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert [t.quote for t in window.tagging.store.tags_for(article.id)] == [sentence.text]


def test_changes_are_saved_automatically_a_moment_later(window, qtbot, corpus_dir):
    article, sentence = select_sentence(window, LEFT, 5)
    with qtbot.waitSignal(window.saved, timeout=5000):
        press(qtbot, window, LEFT, Qt.Key.Key_1)
    assert tags_on_disk(corpus_dir) == [(article.id, "claim", sentence.text)]


def test_another_key_relabels_and_0_or_delete_removes(window, qtbot):
    article, _ = select_sentence(window, LEFT, 4)
    press(qtbot, window, LEFT, Qt.Key.Key_1)
    press(qtbot, window, LEFT, Qt.Key.Key_3)
    assert [t.label for t in window.tagging.store.tags_for(article.id)] == ["opinion"]
    press(qtbot, window, LEFT, Qt.Key.Key_0)
    assert window.tagging.store.tags_for(article.id) == ()
    press(qtbot, window, LEFT, Qt.Key.Key_2)
    press(qtbot, window, LEFT, Qt.Key.Key_Delete)
    assert window.tagging.store.tags_for(article.id) == ()


def test_up_down_move_the_selection_and_the_key_tags_the_new_sentence(window, qtbot):
    article, _ = select_sentence(window, LEFT, 4)
    press(qtbot, window, LEFT, Qt.Key.Key_Down)
    press(qtbot, window, LEFT, Qt.Key.Key_2)
    tags = window.tagging.store.tags_for(article.id)
    assert [t.quote for t in tags] == [article.sentences[5].text]


def test_n_edits_the_note_and_the_pane_shows_it(window, qtbot, monkeypatch):
    article, _ = select_sentence(window, LEFT, 4)
    press(qtbot, window, LEFT, Qt.Key.Key_1)
    monkeypatch.setattr(
        note_dialog, "ask_note", staticmethod(lambda *args, **kwargs: ("Check the date", True))
    )
    press(qtbot, window, LEFT, Qt.Key.Key_N)
    (tag,) = window.tagging.store.tags_for(article.id)
    assert tag.note == "Check the date"
    marks = window.comparison.pane(LEFT).tag_marks()
    assert [(m.label, m.note) for m in marks] == [("claim", "Check the date")]
    window.action_set.undo.trigger()
    assert window.tagging.store.tags_for(article.id)[0].note == ""


def test_context_menu_offers_tag_as_with_every_label(window, monkeypatch):
    shown = {}

    def fake_exec(menu, _pos):
        shown["items"] = [a.text() for a in menu.actions()]
        submenu = menu.actions()[0].menu()
        shown["labels"] = [a.text() for a in submenu.actions()]
        submenu.actions()[1].trigger()  # "Context"

    monkeypatch.setattr(window, "_exec_menu", fake_exec)
    article = window.comparison.articles()[1]
    window.comparison.sentenceContextMenuRequested.emit(
        RIGHT, 2, window.mapToGlobal(window.rect().center())
    )
    assert shown["items"][0] == "Tag as"
    assert shown["labels"] == ["Claim", "Context", "Opinion"]
    assert [t.quote for t in window.tagging.store.tags_for(article.id)] == [
        article.sentences[2].text
    ]
    assert [t.label for t in window.tagging.store.tags_for(article.id)] == ["context"]


def test_tag_legend_shows_labels_and_keys_from_the_file(window):
    legend = [(a.iconText(), a.shortcut().toString()) for a in window.tag_bar.actions()]
    assert legend == [("1 claim", "1"), ("2 context", "2"), ("3 opinion", "3")]


def test_labels_and_keys_come_from_the_annotation_file(make_window, corpus_dir, qtbot):
    (corpus_dir / "annotations.yaml").write_text(
        "schema: source-reader/annotations\nversion: 1\nlabels:\n"
        "- {name: fact, color: '#117a65', key: f}\n- {name: spin, color: '#8e44ad', key: s}\narticles: []\n",
        encoding="utf-8",
    )
    window = make_window([corpus_dir])
    assert [a.iconText() for a in window.tag_bar.actions()] == ["f fact", "s spin"]
    window.comparison.select_sentence(LEFT, 2)
    window.comparison.pane(LEFT).text.setFocus()
    qtbot.keyClick(window.comparison.pane(LEFT).text, Qt.Key.Key_S)
    article = window.comparison.articles()[0]
    assert [t.label for t in window.tagging.store.tags_for(article.id)] == ["spin"]


def test_tag_keys_do_not_fire_while_typing_in_the_filter_box(window, qtbot):
    window.comparison.select_sentence(LEFT, 2)
    box = window.article_dock.filter_box
    box.setFocus()
    qtbot.keyClicks(box, "2")
    assert box.text() == "2"
    assert window.tagging.store.all_tags() == ()
