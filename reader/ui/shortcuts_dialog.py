"""Help ▸ Keyboard Shortcuts: every action and its keys, read from the actions themselves."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def shortcut_rows(
    actions: Iterable[QAction], extra: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """(action, keys) for every action, then the keys widgets handle themselves."""
    rows = []
    for action in actions:
        name = action.property("accessibleName") or action.text().replace("&", "")
        keys = action.property("shownShortcuts")
        if keys is None:  # an action not made from a spec: its typeable keys
            keys = ", ".join(
                s.toString(QKeySequence.SequenceFormat.NativeText)
                for s in action.shortcuts()
                if _typeable(s)
            )
        rows.append((str(name).replace("…", ""), keys or "menu only"))
    rows.extend((what, keys) for keys, what in extra)
    return rows


def _typeable(sequence: QKeySequence) -> bool:
    """False for dedicated keyboard keys ("Open", "Undo", "Zoom In") that the
    platform's standard bindings add: most keyboards have none, listing them confuses."""
    text = sequence.toString()
    return (
        "+" in text
        or len(text) == 1
        or text in ("Del", "Delete")
        or (text[:1] == "F" and text[1:].isdigit())
    )


class ShortcutsDialog(QDialog):
    """A read-only, keyboard-navigable table of actions and keys."""

    def __init__(self, rows: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.setObjectName("ShortcutsDialog")
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        for row, (action, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(action))
            item = QTableWidgetItem(keys)
            item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 560)
