"""QUndoCommand wrappers around the annotation core's commands.

The core commands (AddTag, RemoveTag, RelabelTag, EditNote) know how to change
an AnnotationStore and change it back; these wrappers only put them on the
window's one QUndoStack and tell the window that the store changed.

A command is applied *before* it is pushed (``apply_and_push``), so a change
the core refuses raises in the caller, where the window can show the message,
and never lands half-done on the stack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack


class StoreCommand(QUndoCommand):
    """One core command on the undo stack; ``changed`` runs after every do/undo."""

    def __init__(self, store: Any, command: Any, changed: Callable[[], None]) -> None:
        super().__init__(str(getattr(command, "text", "Change tag")))
        self.store = store
        self.command = command
        self._changed = changed
        self._skip_first_redo = True

    def redo(self) -> None:
        if self._skip_first_redo:
            # Already applied by apply_and_push; QUndoStack.push calls redo once.
            self._skip_first_redo = False
            return
        self.command.do(self.store)
        self._changed()

    def undo(self) -> None:
        self.command.undo(self.store)
        self._changed()


def apply_and_push(
    stack: QUndoStack, store: Any, command: Any, changed: Callable[[], None]
) -> None:
    """Apply ``command`` to ``store`` and record it for undo.

    Raises whatever the core raises if the command cannot be applied; nothing is
    pushed then.
    """
    command.do(store)
    stack.push(StoreCommand(store, command, changed))
    changed()
