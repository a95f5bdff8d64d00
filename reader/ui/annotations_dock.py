"""The annotations dock: every tag of the corpus, filterable, double-click jumps.

A tag's "Also in" column lists the other articles that carry a passage linked
to the tagged one, from alignments already computed (nothing is aligned just
to fill the column), so a fact-checker sees at once who else repeats a claim.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.core.annotation_model import Label, Tag
from reader.core.articles import Article
from reader.ui.actions import swatch
from reader.ui.article_choices import ArticleChoiceModel, choose, use_choice_model
from reader.ui.drop_down import DropDown

TAG_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

AlsoIn = Callable[[Tag], Sequence[str]]


class AnnotationTableModel(QAbstractTableModel):
    """One row per tag; orphaned tags are listed too, marked as not placed."""

    LABEL, PASSAGE, NOTE, ALSO_IN, ARTICLE = range(5)
    HEADERS = ("Label", "Passage", "Note", "Also in", "Article")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tags: list[Tag] = []
        self._colors: dict[str, str] = {}
        self._titles: dict[str, str] = {}
        self._also_in: AlsoIn = lambda tag: ()
        self._also_cache: dict[int, tuple[str, ...]] = {}

    def set_content(
        self,
        tags: Sequence[Tag],
        labels: Sequence[Label],
        titles: dict[str, str],
        also_in: AlsoIn | None = None,
    ) -> None:
        """Show ``tags``, ordered by article, then position in it."""
        self.beginResetModel()
        self._tags = sorted(tags, key=lambda t: (titles.get(t.article_id, t.article_id), t.start))
        self._colors = {label.name: label.color for label in labels}
        self._titles = dict(titles)
        if also_in is not None:
            self._also_in = also_in
        self._also_cache = {}
        self.endResetModel()

    def refresh_also_in(self) -> None:
        """New alignments arrived: recompute the "Also in" column."""
        self._also_cache = {}
        if self._tags:
            self.dataChanged.emit(
                self.index(0, self.ALSO_IN), self.index(len(self._tags) - 1, self.ALSO_IN)
            )

    def tag_at(self, row: int) -> Tag:
        return self._tags[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._tags)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        tag = self._tags[index.row()]
        column = index.column()
        if role == TAG_ROLE:
            return tag
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(index.row(), tag, column)
        if role == SORT_ROLE:
            if column == self.PASSAGE:
                return (self._titles.get(tag.article_id, ""), tag.start)
            return (self._display(index.row(), tag, column) or "").casefold()
        if role == Qt.ItemDataRole.DecorationRole and column == self.LABEL:
            return swatch(self._colors.get(tag.label, "#888888"))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{tag.label}: “{tag.quote}”"]
            if tag.note:
                lines.append(f"Note: {tag.note}")
            also = self._also(index.row(), tag)
            if also:
                lines.append("Also in: " + "; ".join(also))
            if tag.orphaned:
                lines.append("Not placed: the article's text changed; the tag is kept as it was.")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole and tag.orphaned:
            return QColor("#888888")
        return None

    def _display(self, row: int, tag: Tag, column: int) -> str:
        if column == self.LABEL:
            return tag.label
        if column == self.ARTICLE:
            return self._titles.get(tag.article_id, tag.article_id)
        if column == self.PASSAGE:
            quote = " ".join(tag.quote.split())
            return ("(not placed) " if tag.orphaned else "") + quote
        if column == self.NOTE:
            return tag.note
        return ", ".join(self._also(row, tag))

    def _also(self, row: int, tag: Tag) -> tuple[str, ...]:
        if row not in self._also_cache:
            self._also_cache[row] = tuple(self._also_in(tag))
        return self._also_cache[row]


class AnnotationFilterModel(QSortFilterProxyModel):
    """Keeps tags of one label and/or one article (None means any)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._label: str | None = None
        self._article: str | None = None

    def set_filter(self, label: str | None, article_id: str | None) -> None:
        self._label, self._article = label, article_id
        # A full invalidate: the filter-only update (begin/endFilterChange in
        # Qt 6.12) was seen leaving a stale duplicate row behind.
        self.invalidate()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, AnnotationTableModel)
        tag = model.tag_at(source_row)
        return (self._label is None or tag.label == self._label) and (
            self._article is None or tag.article_id == self._article
        )


NO_TAGS = "No tags yet. Select a sentence and press 1, 2 or 3."
NO_MATCH = "No tags match these filters. Choose “All labels” or “All articles” to see the others."


class AnnotationsDock(QDockWidget):
    """The right dock: label and article filters above the table of tags."""

    tagActivated = Signal(object)  # the core Tag to jump to

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Annotations", parent)
        self.setObjectName("AnnotationsDock")
        self.model = AnnotationTableModel(self)
        self.proxy = AnnotationFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.label_filter = DropDown()
        self.label_filter.setObjectName("LabelFilter")
        self.label_filter.setAccessibleName("Show tags with label")
        self.article_filter = DropDown()
        self.article_filter.setObjectName("ArticleTagFilter")
        self.article_filter.setAccessibleName("Show tags of article")
        self.article_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.article_filter.setMinimumContentsLength(4)
        # Narrow enough for the dock's minimum width in an 800 px window.
        self.label_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.label_filter.setMinimumContentsLength(4)
        self._article_choices = ArticleChoiceModel("All articles", self)
        use_choice_model(self.article_filter, self._article_choices)
        self.label_filter.currentIndexChanged.connect(self._filter)
        self.article_filter.currentIndexChanged.connect(self._filter)

        self.view = QTableView()
        self.view.setObjectName("AnnotationTable")
        self.view.setAccessibleName("Tags")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(AnnotationTableModel.PASSAGE, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        M = AnnotationTableModel
        for column, width in ((M.LABEL, 78), (M.PASSAGE, 170), (M.NOTE, 110), (M.ALSO_IN, 140)):
            header.resizeSection(column, width)
        # The note is what the reader wrote: shown beside the label, inside the dock's
        # default width, rather than after the passage, off-screen to the right.
        header.moveSection(header.visualIndex(M.NOTE), 1)
        # One click shows the tag (a table of places to go, like a search result
        # list); Enter does the same from the keyboard.
        self.view.clicked.connect(self._activated)
        self.view.activated.connect(self._activated)

        self.empty_hint = QLabel(NO_TAGS)
        self.empty_hint.setObjectName("EmptyHint")
        self.empty_hint.setWordWrap(True)

        filters = QHBoxLayout()
        filters.setSpacing(6)
        filters.addWidget(self.label_filter)
        filters.addWidget(self.article_filter, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_hint)
        self.setWidget(body)

    def set_content(
        self,
        tags: Sequence[Tag],
        labels: Sequence[Label],
        articles: Sequence[Article],
        also_in: AlsoIn | None = None,
    ) -> None:
        """Show the corpus's tags; keeps the chosen filters when they still exist."""
        titles = {a.id: (a.title or a.path.name) for a in articles}
        self._fill_combo(
            self.label_filter,
            "All labels",
            [(label.name, label.name.capitalize(), label.color) for label in labels],
        )
        # A model, not an item per article: a thousand items stalled the window (issue #8).
        chosen = self.article_filter.currentData()
        blocked = self.article_filter.blockSignals(True)
        self._article_choices.set_choices([(a.id, titles[a.id]) for a in articles])
        self.article_filter.blockSignals(blocked)
        choose(self.article_filter, self._article_choices, chosen)
        if self.article_filter.currentIndex() < 0:
            choose(self.article_filter, self._article_choices, None)
        self.model.set_content(tags, labels, titles, also_in)
        self._filter()

    def set_filter(self, label: str | None = None, article_id: str | None = None) -> None:
        for combo, value in ((self.label_filter, label), (self.article_filter, article_id)):
            position = combo.findData(value)
            combo.setCurrentIndex(max(0, position))

    def visible_tags(self) -> list[Tag]:
        return [self.proxy.index(row, 0).data(TAG_ROLE) for row in range(self.proxy.rowCount())]

    def _fill_combo(
        self, combo: QComboBox, everything: str, items: list[tuple[str, str, str | None]]
    ) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for value, text, color in items:
            if color:
                combo.addItem(swatch(color), text, value)
            else:
                combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
        combo.blockSignals(False)

    def _filter(self, *_: object) -> None:
        self.proxy.set_filter(self.label_filter.currentData(), self.article_filter.currentData())
        if self.model.rowCount() == 0:
            self.empty_hint.setText(NO_TAGS)
        elif self.proxy.rowCount() == 0:
            self.empty_hint.setText(NO_MATCH)
        self.empty_hint.setVisible(self.proxy.rowCount() == 0)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.tagActivated.emit(index.data(TAG_ROLE))
