"""The articles a drop-down offers, as one list model instead of one combo item per article.

Filling a QComboBox item by item costs the GUI thread an item, a tooltip and
a model signal per article: for a thousand-article folder the two pane
pickers and the tag filter together stalled the event loop for over a second
each time a corpus opened. A model hands the combo the whole list at once
(one reset), answers only the rows a popup actually shows, and finds an
article's row through a dictionary instead of ``findData``'s scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox

ID_ROLE = Qt.ItemDataRole.UserRole  # what QComboBox.currentData() and findData() read
_ROOT = QModelIndex()


class ArticleChoiceModel(QAbstractListModel):
    """(article id, title) rows, optionally after a first "everything" row whose id is None."""

    def __init__(self, everything: str | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._everything = everything
        self._rows: list[tuple[str | None, str]] = [(None, everything)] if everything else []
        self._positions: dict[str | None, int] = {}
        self._reindex()

    def set_choices(self, choices: Sequence[tuple[str, str]]) -> None:
        """Offer these (article id, title) pairs, in this order: one model reset."""
        self.beginResetModel()
        head = [(None, self._everything)] if self._everything else []
        self._rows = head + [(article_id, title or article_id) for article_id, title in choices]
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self._positions = {article_id: row for row, (article_id, _) in enumerate(self._rows)}

    def row_of(self, article_id: str | None) -> int:
        """The row offering ``article_id`` (None: the "everything" row), or -1."""
        return self._positions.get(article_id, -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        article_id, title = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return title
        if role == ID_ROLE:
            return article_id
        return None


def use_choice_model(combo: QComboBox, model: ArticleChoiceModel) -> None:
    """Let ``combo`` offer ``model``'s rows; its popup lays out only the rows it shows."""
    combo.setModel(model)
    view = combo.view()
    if hasattr(view, "setUniformItemSizes"):
        view.setUniformItemSizes(True)  # a thousand rows are not measured one by one


def choose(combo: QComboBox, model: ArticleChoiceModel, article_id: str | None) -> None:
    """Make ``article_id``'s row current without emitting the combo's signals."""
    blocked = combo.blockSignals(True)
    combo.setCurrentIndex(model.row_of(article_id))
    combo.blockSignals(blocked)
