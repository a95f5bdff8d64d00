"""Small window polish from issue #11: shortcut list, find box, export folder."""

from __future__ import annotations

import shutil
from pathlib import Path

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
