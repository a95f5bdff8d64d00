"""Notes: the note dialog takes Ctrl+Enter; hovering a tagged sentence shows its note."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip

from reader.ui.comparison import ComparisonView

LEFT = ComparisonView.LEFT


def _tag_sentence(window, qtbot, index):
    window.comparison.select_sentence(LEFT, index)
    pane = window.comparison.pane(LEFT)
    pane.text.setFocus()
    qtbot.keyClick(pane.text, Qt.Key.Key_1)
    article = window.comparison.articles()[0]
    return article, article.sentences[index]


def test_ctrl_enter_in_the_note_dialog_saves_the_note(window, qtbot):
    article, _ = _tag_sentence(window, qtbot, 4)
    seen = {}

    def type_and_press_ctrl_enter():
        dialog = QApplication.activeModalWidget()
        editor = dialog.findChild(QPlainTextEdit)
        seen["dialog"] = dialog
        qtbot.keyClicks(editor, "Check the date")
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        QTimer.singleShot(
            0, lambda: dialog.isVisible() and dialog.reject()
        )  # old dialog: don't hang

    QTimer.singleShot(0, type_and_press_ctrl_enter)
    qtbot.keyClick(window.comparison.pane(LEFT).text, Qt.Key.Key_N)
    assert seen["dialog"] is not None
    (tag,) = window.tagging.store.tags_for(article.id)
    assert tag.note == "Check the date"


def test_hovering_a_tagged_sentence_with_a_note_shows_the_note(window, qtbot, monkeypatch):
    article, sentence = _tag_sentence(window, qtbot, 4)
    (_tag,) = window.tagging.store.tags_for(article.id)
    from reader.ui import note_dialog

    monkeypatch.setattr(note_dialog, "ask_note", lambda *args, **kwargs: ("Check the date", True))
    qtbot.keyClick(window.comparison.pane(LEFT).text, Qt.Key.Key_N)
    text = window.comparison.pane(LEFT).text
    cursor = QTextCursor(text.document())
    middle = (sentence.start + sentence.end) // 2
    cursor.setPosition(window.comparison.pane(LEFT)._offsets.to_pos(middle))
    text.setTextCursor(cursor)
    text.ensureCursorVisible()
    point = text.cursorRect(cursor).center()
    shown = []
    monkeypatch.setattr(
        QToolTip, "showText", staticmethod(lambda pos, tip, *rest: shown.append(tip))
    )
    QApplication.sendEvent(
        text.viewport(), QHelpEvent(QEvent.Type.ToolTip, point, text.viewport().mapToGlobal(point))
    )
    assert shown and "Check the date" in shown[-1]


def test_the_tag_list_shows_the_note_column_at_its_default_width(window, qtbot, monkeypatch):
    from reader.ui.annotations_dock import AnnotationTableModel as M

    window.resize(1400, 900)
    qtbot.waitUntil(lambda: window.width() == 1400)
    dock = window.annotations_dock
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)  # where a large screen has it
    dock.show()
    window.fit.fit()
    qtbot.waitUntil(lambda: dock.width() < 300)
    assert dock.width() <= 260  # the default
    header = dock.view.horizontalHeader()
    note_left = header.sectionViewportPosition(M.NOTE)
    # At least the note's first words are in view, not scrolled off to the right.
    assert note_left >= 0 and note_left + 60 <= dock.view.viewport().width(), note_left
