"""Corrections by the reader in the window: link two passages by hand, reject a suggested link.

Each change is a core edit (AddCorrection, RemoveCorrection) applied through
``undo.apply_and_push`` onto the window's one undo stack, like tagging, so
Ctrl+Z takes it back. The store's listener (see tagging.py) tells the window,
which redraws the pair's links through ``corrections.apply_corrections``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from reader.core.annotation_commands import AddCorrection, Edit, RemoveCorrection
from reader.core.annotations import AnnotationError
from reader.core.correction_model import LINK, REJECT
from reader.core.corrections import MANUAL, matching_manual
from reader.ui import errors
from reader.ui.undo import apply_and_push

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow


class LinkEditing(QObject):
    """The Link Selected Passages and Reject Link actions of the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        window.action_set.link_passages.triggered.connect(self.link_chosen)
        window.action_set.reject_link.triggered.connect(self.reject_selected)

    def link_chosen(self) -> bool:
        """Link the passage chosen in the left pane to the one chosen in the right; True if linked."""
        window, view = self._window, self._window.comparison
        store = window.tagging.store
        left, right = view.articles()
        if store is None:
            return self._say(window.tagging.unavailable_reason)
        if left is None or right is None:
            return self._say("Open an article in each pane first.")
        if left.id == right.id:
            return self._say("Both panes show the same article; link passages of two articles.")
        spans = view.chosen_span(view.LEFT), view.chosen_span(view.RIGHT)
        if spans[0] is None or spans[1] is None:
            return self._say(
                "Choose a passage in each pane (click a sentence or drag over text), "
                "then press Ctrl+K to link them."
            )
        for correction in store.manual_links():
            ends = correction.ends_in(left.id, right.id)
            if ends is not None and (ends[0].span, ends[1].span) == spans:
                return self._say("These two passages are already linked.")
        try:
            edit: Edit = AddCorrection(
                store.make_correction(LINK, left.id, spans[0], right.id, spans[1])
            )
        except ValueError as error:
            return self._say(str(error))
        if not self._apply(edit):
            return False
        self._say("Linked. Ctrl+Z takes it back.")
        return True

    def reject_selected(self) -> bool:
        """Reject the selected link (or remove it, if the reader made it); True if changed."""
        window, view = self._window, self._window.comparison
        store = window.tagging.store
        left, right = view.articles()
        if store is None:
            return self._say(window.tagging.unavailable_reason)
        index = view.selected_link()
        links = view.links()
        if left is None or right is None or not 0 <= index < len(links):
            return self._say(
                "Select a link first (click a highlighted passage, or Alt+Down), "
                "then press Ctrl+Shift+K to reject it."
            )
        link = links[index]
        if link.kind == MANUAL:
            made = matching_manual(link, store.manual_links(), left, right)
            if made is None:
                return False
            edit: Edit = RemoveCorrection(made)
        else:
            try:
                edit = AddCorrection(
                    store.make_correction(REJECT, left.id, link.a_span, right.id, link.b_span)
                )
            except ValueError as error:
                return self._say(str(error))
        if not self._apply(edit):
            return False
        self._say(
            "Link removed."
            if link.kind == MANUAL
            else "Link rejected: it is hidden from now on. Ctrl+Z takes it back."
        )
        return True

    def _apply(self, edit: Edit) -> bool:
        store = self._window.tagging.store
        if store is None:
            return False
        try:
            apply_and_push(self._window.undo_stack, store, edit, lambda: None)
        except (ValueError, AnnotationError) as error:
            errors.show_error(self._window, "Link not changed", error)
            return False
        return True

    def _say(self, message: str) -> bool:
        self._window.statusBar().showMessage(message, 6000)
        return False
