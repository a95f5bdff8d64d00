"""The note dialog: a few lines of text about a tag, accepted with Ctrl+Enter as well as OK."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class NoteDialog(QDialog):
    """Edit one note. Enter makes a new line (notes may have several), so
    Ctrl+Enter is the keyboard way to accept, as in chat and review tools."""

    def __init__(self, parent: QWidget | None, title: str, label: str, text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.editor = QPlainTextEdit(text)
        self.editor.setTabChangesFocus(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setToolTip("Save the note (Ctrl+Enter)")
        layout = QVBoxLayout(self)
        prompt = QLabel(label)
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        layout.addWidget(self.editor)
        layout.addWidget(buttons)
        self.editor.installEventFilter(self)
        self.editor.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Caught on the editor itself (not a window shortcut) so it works
        # whichever window the system thinks is active. Return is the main
        # keyboard's key, Enter the keypad's: both accept.
        if (
            watched is self.editor
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def note(self) -> str:
        return self.editor.toPlainText()


def ask_note(parent: QWidget | None, title: str, label: str, text: str) -> tuple[str, bool]:
    """Show the dialog modally; the note typed and whether the user accepted it."""
    dialog = NoteDialog(parent, title, label, text)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    note = dialog.note()
    dialog.deleteLater()
    return note, accepted
