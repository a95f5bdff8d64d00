"""Small window polish from issue #11: shortcut list, find box, export folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog

from reader.ui import shortcuts_dialog
from reader.ui.main_window import WIDGET_KEYS


def test_shortcut_list_shows_only_the_platforms_first_undo_key(window):
    keys = dict(shortcuts_dialog.shortcut_rows(window.action_set.all(), WIDGET_KEYS))
    first = QKeySequence.keyBindings(QKeySequence.StandardKey.Undo)[0]
    assert keys["Undo"] == first.toString(
        QKeySequence.SequenceFormat.NativeText
    )  # not "Ctrl+Z, F14"
    assert keys["Redo"].startswith("Ctrl+Shift+Z")
    assert keys["Remove Tag"] == "0, Del"  # keys written out are all listed
    # the other bindings still work
    assert (
        len(window.action_set.undo.shortcuts()) >= 1 and first in window.action_set.undo.shortcuts()
    )


def test_opening_another_folder_clears_the_find_box(window, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    for path in sorted(Path(window._corpus_paths[0]).glob("*.txt"))[:2]:
        shutil.copy2(path, other / path.name)
    window.find_box.setText("Kirby")
    assert window.open_paths([other])
    assert window.find_box.text() == ""


def test_export_dialog_starts_in_the_last_export_folder_next_session(
    window, make_window, corpus_dir, tmp_path, monkeypatch
):
    exports = tmp_path / "exports"
    exports.mkdir()
    starts = []

    def fake_save(_parent, _title, start, _filters):
        starts.append(Path(start))
        return str(exports / "notes.md"), "Markdown (*.md)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    window.export_notes()
    assert (exports / "notes.md").exists()
    assert starts[0].parent == corpus_dir.resolve()  # first time: the corpus folder
    window.export_notes()
    assert starts[1].parent == exports
    window.close()
    make_window([corpus_dir]).export_notes()
    assert starts[2].parent == exports


def test_next_and_previous_passage_are_enabled_only_when_they_can_move(window):
    a = window.action_set
    links = window.comparison.links()
    assert len(links) >= 2
    assert a.next_link.isEnabled() and a.previous_link.isEnabled()
    window.comparison.select_link(0)
    assert a.next_link.isEnabled() and not a.previous_link.isEnabled()
    window.comparison.select_link(len(links) - 1)
    assert not a.next_link.isEnabled() and a.previous_link.isEnabled()
    window.comparison.select_link(-1)
    assert a.next_link.isEnabled() and a.previous_link.isEnabled()
    window.comparison.set_links([])  # e.g. the slider leaves no passage linked
    assert not a.next_link.isEnabled() and not a.previous_link.isEnabled()


def test_tag_actions_are_enabled_only_for_a_selected_sentence_and_its_tag(window):
    from reader.ui.comparison import ComparisonView

    a = window.action_set
    window.comparison.select_sentence(ComparisonView.LEFT, -1)
    assert not any(action.isEnabled() for action in a.tag_actions())
    assert not a.remove_tag.isEnabled() and not a.edit_note.isEnabled()
    window.comparison.select_sentence(ComparisonView.LEFT, 2)
    assert all(action.isEnabled() for action in a.tag_actions())
    assert not a.remove_tag.isEnabled() and not a.edit_note.isEnabled()  # nothing to remove yet
    a.tag_actions()[0].trigger()
    assert a.remove_tag.isEnabled() and a.edit_note.isEnabled()
    a.undo.trigger()  # the tag is gone again
    assert not a.remove_tag.isEnabled() and not a.edit_note.isEnabled()


def _opened_list(combo, qtbot):
    combo.showPopup()
    popup = combo.view().window()
    qtbot.waitUntil(popup.isVisible)
    geometry = popup.geometry()
    combo.hidePopup()
    return geometry


def test_drop_down_lists_open_below_their_box_no_wider_than_a_readable_bound(
    make_window, corpus_dir, qtbot
):
    from reader.ui.drop_down import MAX_POPUP_WIDTH

    window = make_window([corpus_dir], size=(800, 600))
    longest = max(len(a.title) for a in window.corpus.articles)
    assert longest > 90  # the seeds' headlines are long enough to matter
    combos = [
        window.comparison.pane("left").chooser,
        window.comparison.pane("right").chooser,
        window.annotations_dock.article_filter,
    ]
    window.annotations_dock.show()
    for combo in combos:
        geometry = _opened_list(combo, qtbot)
        bound = max(combo.width(), MAX_POPUP_WIDTH)
        assert geometry.width() <= bound, combo.accessibleName()
        # it drops down: the box itself and the toolbar above it stay visible
        assert geometry.top() >= combo.mapToGlobal(combo.rect().bottomLeft()).y()


def _settled(qtbot):
    from PySide6.QtWidgets import QApplication

    for _ in range(5):
        QApplication.processEvents()
        qtbot.wait(20)


def _fully_visible_buttons(bar):
    return [bar.widgetForAction(action).isVisible() for action in bar.actions()]


def test_a_small_window_keeps_the_article_list_readable_and_every_button_shown(
    make_window, corpus_dir, qtbot
):
    from reader.ui.article_list import ArticleTableModel

    window = make_window([corpus_dir], size=(1400, 900))
    wide = window.article_dock.width()
    assert wide >= 330
    window.resize(800, 600)
    _settled(qtbot)
    assert window.width() == 800
    dock = window.article_dock
    assert dock.width() >= 200, "the article list must not shrink to a sliver"
    header = dock.view.horizontalHeader()
    title_right = header.sectionViewportPosition(ArticleTableModel.TITLE) + header.sectionSize(
        ArticleTableModel.TITLE
    )
    assert title_right <= dock.view.viewport().width() + 1  # the Article column is whole
    for bar in (window.toolbar, window.tag_bar, window.view_bar):
        assert all(_fully_visible_buttons(bar)), bar.windowTitle()  # nothing behind »
    # Two columns, not three: the tag list is a tab under the article list and each
    # pane keeps room for a readable line.
    annotations = window.annotations_dock
    assert window.dockWidgetArea(annotations) == window.dockWidgetArea(dock)
    assert annotations.isVisible()
    assert window.comparison.pane("left").text.viewport().width() >= 220
    # Back to a large window: the list gets its width back, the tag list its column.
    window.resize(1400, 900)
    _settled(qtbot)
    assert window.article_dock.width() >= wide - 10
    assert window.dockWidgetArea(annotations) == Qt.DockWidgetArea.RightDockWidgetArea
    assert annotations.isVisible() and annotations.width() >= 240


def test_closing_a_narrow_window_remembers_the_readers_layout_not_the_stacking(
    make_window, corpus_dir, qtbot
):
    window = make_window([corpus_dir], size=(800, 600))
    _settled(qtbot)
    assert window.fit.is_stacked()
    window.close()
    # What was saved on closing has the tag list in its own column again.
    assert window.dockWidgetArea(window.annotations_dock) == Qt.DockWidgetArea.RightDockWidgetArea


def test_a_disabled_tag_button_keeps_its_color_as_the_legend(window):
    from PySide6.QtGui import QIcon

    from reader.ui.comparison import ComparisonView

    window.comparison.select_sentence(ComparisonView.LEFT, -1)
    action = window.action_set.tag_actions()[0]
    assert not action.isEnabled()
    icon = action.icon()
    normal = icon.pixmap(28, 28, QIcon.Mode.Normal).toImage()
    disabled = icon.pixmap(28, 28, QIcon.Mode.Disabled).toImage()
    assert disabled.pixelColor(14, 14) == normal.pixelColor(14, 14)


def test_progress_is_shown_without_painting_the_window_there_and_then(window, qtbot):
    # QProgressBar.setValue repaints at once, and a repaint paints every region of the
    # window waiting for it: inside the signal that shows the first pair of a big folder.
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class PaintCounter(QObject):
        painted = 0

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                PaintCounter.painted += 1
            return False

    status = window.alignment_status
    status.set_busy(True)
    qtbot.waitUntil(lambda: status.progress.isVisible())
    counter = PaintCounter()
    QApplication.instance().installEventFilter(counter)
    try:
        status.set_progress(3, 10, "the seeds")
        assert PaintCounter.painted == 0
        qtbot.waitUntil(lambda: PaintCounter.painted > 0)  # painted in its turn
    finally:
        QApplication.instance().removeEventFilter(counter)
    assert status.progress.text() == "Comparing… 30%"
