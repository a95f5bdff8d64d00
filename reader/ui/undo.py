"""The window's undo stack holds the annotation core's edits.

The core edits (AddTag, RemoveTag, RelabelTag, EditNote, AddCorrection, …)
know how to change an AnnotationStore and change it back; an ``UndoStep``
only puts one on the window's one QUndoStack and tells the window that the
store changed.

An edit is applied *before* it is pushed (``apply_and_push``), so a change
the core refuses raises in the caller, where the window can show the message,
and never lands half-done on the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from reader.core.annotation_commands import Edit
from reader.core.annotations import AnnotationStore


class UndoStep(QUndoCommand):
    """One core edit on the undo stack; ``changed`` runs after every do/undo."""

    def __init__(self, store: AnnotationStore, edit: Edit, changed: Callable[[], None]) -> None:
        super().__init__(edit.text)
        self.store = store
        self.edit = edit
        self._changed = changed
        self._skip_first_redo = True

    def redo(self) -> None:
        if self._skip_first_redo:
            # Already applied by apply_and_push; QUndoStack.push calls redo once.
            self._skip_first_redo = False
            return
        self.edit.do(self.store)
        self._changed()

    def undo(self) -> None:
        self.edit.undo(self.store)
        self._changed()


def apply_and_push(
    stack: QUndoStack, store: AnnotationStore, edit: Edit, changed: Callable[[], None]
) -> None:
    """Apply ``edit`` to ``store`` and record it for undo.

    Raises whatever the core raises if the edit cannot be applied; nothing is
    pushed then.
    """
    edit.do(store)
    stack.push(UndoStep(store, edit, changed))
    changed()
