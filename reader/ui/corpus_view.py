"""The corpus map beside the article list: stories, and a heat map of who shares what.

Stories are the core's groups of articles joined by shared passages
(``StoryGroups``, as ``CorpusMap.stories``); the heat map shows, for the articles of the chosen
stories (or the chosen articles), the share of each row's article linked to
each column's article. Double-clicking a cell opens that pair side by side.
The dock only shows what the window hands it from the alignment store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSignalBlocker,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.core.articles import Article
from reader.core.comparison import PairSummary, StoryGroups
from reader.core.text_utils import shorten

ID_ROLE = Qt.ItemDataRole.UserRole + 2
SHARE_ROLE = Qt.ItemDataRole.UserRole + 3
# More rows than this and a cell is too small to read or to hit.
MATRIX_LIMIT = 40


def _name(article: Article) -> str:
    return article.title or article.path.name


class StoryModel(QAbstractItemModel):
    """Stories (largest first) with their articles beneath; articles sharing nothing come last, together."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stories: list[list[Article]] = []
        self._loners: list[Article] = []

    def set_stories(self, stories: Sequence[Sequence[Article]]) -> None:
        self.beginResetModel()
        self._stories = [list(group) for group in stories if len(group) > 1]
        self._loners = [group[0] for group in stories if len(group) == 1]
        self.endResetModel()

    def _groups(self) -> list[list[Article]]:
        return self._stories + ([self._loners] if self._loners else [])

    def story_count(self) -> int:
        return len(self._stories)

    def articles_of(self, index: QModelIndex) -> list[Article]:
        """The articles a row stands for: a story's, or one article."""
        if not index.isValid():
            return []
        groups = self._groups()
        if index.internalId() == 0:
            return list(groups[index.row()])
        return [groups[index.internalId() - 1][index.row()]]

    def row_of_article(self, article_id: str) -> int:
        for row, group in enumerate(self._groups()):
            if any(article.id == article_id for article in group):
                return row
        return -1

    # -- Qt model ---------------------------------------------------------
    def index(
        self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()
    ) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        groups = self._groups()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(groups) else QModelIndex()
        if parent.internalId() == 0 and row < len(groups[parent.row()]):
            return self.createIndex(row, 0, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        groups = self._groups()
        if not parent.isValid():
            return len(groups)
        if parent.internalId() == 0:
            return len(groups[parent.row()])
        return 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return "Stories"
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return "Groups of articles joined by shared passages"
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        groups = self._groups()
        top = index.internalId() == 0
        if top:
            group = groups[index.row()]
            loners = group is self._loners
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                if loners:
                    return f"Sharing no passage ({len(group)})"
                return f"{shorten(_name(group[0]), 44)}  ({len(group)} articles)"
            if role == Qt.ItemDataRole.ToolTipRole:
                if loners:
                    return "Articles that share no passage with any other compared article"
                return (
                    f"Story of {len(group)} articles joined by shared passages:\n"
                    + "\n".join(_name(a) for a in group[:12])
                    + ("\n…" if len(group) > 12 else "")
                )
            if role == ID_ROLE:
                return group[0].id
            return None
        article = groups[index.internalId() - 1][index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _name(article)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{_name(article)}\n{article.path.name}"
        if role == ID_ROLE:
            return article.id
        return None


class SimilarityModel(QAbstractTableModel):
    """Rows and columns are the same articles; a cell is the share of the row's article linked to the column's."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._articles: list[Article] = []
        self._shares: dict[str, dict[str, float]] = {}
        self._groups = StoryGroups([])

    def set_content(self, articles: Sequence[Article], shares: dict[str, dict[str, float]]) -> None:
        self.beginResetModel()
        self._articles = list(articles)[:MATRIX_LIMIT]
        self._shares = shares
        self.endResetModel()

    def set_shares(self, shares: dict[str, dict[str, float]]) -> None:
        """New numbers for the same articles."""
        self._shares = shares
        if self._articles:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._articles) - 1, len(self._articles) - 1)
            )

    def articles(self) -> list[Article]:
        return list(self._articles)

    def share(self, row: int, column: int) -> float | None:
        """Share of row's article linked to column's; None on the diagonal or when not compared."""
        if row == column:
            return None
        return self._shares.get(self._articles[row].id, {}).get(self._articles[column].id)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._articles)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._articles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not 0 <= section < len(self._articles):
            return None
        article = self._articles[section]
        if role == Qt.ItemDataRole.DisplayRole:
            number = str(section + 1)
            # File names (outlet, date) tell a story's articles apart where titles often begin alike.
            return (
                number
                if orientation == Qt.Orientation.Horizontal
                else f"{number}  {shorten(article.path.stem, 24)}"
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{section + 1}: {_name(article)}\n{article.path.name}"
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        share = self.share(index.row(), index.column())
        if role == SHARE_ROLE:
            return share
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if share is None else str(round(share * 100))
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            a, b = self._articles[index.row()], self._articles[index.column()]
            if index.row() == index.column():
                return _name(a)
            if share is None:
                return (
                    f"{_name(a)}\nand {_name(b)}: not compared"
                    " (they share neither rare wording nor rare names and numbers)"
                )
            return (
                f"{round(share * 100)} % of {_name(a)}\nis linked to {_name(b)}\n"
                "Double-click to open the two side by side"
            )
        if role == ID_ROLE:
            return (self._articles[index.row()].id, self._articles[index.column()].id)
        return None


def heat_color(share: float, palette: QPalette) -> QColor:
    """From the base color (nothing shared) to a deep orange-red (all of it shared)."""
    base = palette.color(QPalette.ColorRole.Base)
    hot = QColor(196, 60, 20)
    t = max(0.0, min(1.0, share)) ** 0.7  # small shares stay visible
    return QColor(
        round(base.red() + (hot.red() - base.red()) * t),
        round(base.green() + (hot.green() - base.green()) * t),
        round(base.blue() + (hot.blue() - base.blue()) * t),
    )


class HeatDelegate(QStyledItemDelegate):
    """Fills a cell with its share's color and writes the percentage on it when it fits."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        share = index.data(SHARE_ROLE)
        palette = option.palette
        painter.save()
        rect = option.rect.adjusted(1, 1, -1, -1)
        if index.row() == index.column():
            painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        elif share is None:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
        else:
            color = heat_color(share, palette)
            painter.fillRect(rect, color)
            text = index.data() or ""
            if text and painter.fontMetrics().horizontalAdvance(text) < rect.width() - 2:
                light = color.lightnessF() < 0.55
                painter.setPen(QColor("white") if light else palette.color(QPalette.ColorRole.Text))
                painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.restore()


class CorpusDock(QDockWidget):
    """Stories above, the heat map of the chosen story's articles below."""

    pairActivated = Signal(str, str)  # row article id, column article id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Corpus map", parent)
        self.setObjectName("CorpusDock")
        self._articles: list[Article] = []
        self._stories: list[list[Article]] = []
        self.stories = StoryModel(self)
        self.matrix = SimilarityModel(self)

        self.story_view = QTreeView()
        self.story_view.setObjectName("StoryTree")
        self.story_view.setAccessibleName("Stories")
        self.story_view.setModel(self.stories)
        self.story_view.setHeaderHidden(False)
        self.story_view.setUniformRowHeights(True)
        self.story_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.story_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.story_view.selectionModel().selectionChanged.connect(self._chosen)

        self.heat_view = QTableView()
        self.heat_view.setObjectName("SimilarityMatrix")
        self.heat_view.setAccessibleName("Similarity of the chosen articles")
        self.heat_view.setModel(self.matrix)
        self.heat_view.setItemDelegate(HeatDelegate(self.heat_view))
        self.heat_view.setShowGrid(False)
        self.heat_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.heat_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.heat_view.setWordWrap(False)
        cell = self.heat_view.fontMetrics().horizontalAdvance("100") + 10
        for header in (self.heat_view.horizontalHeader(), self.heat_view.verticalHeader()):
            header.setMinimumSectionSize(12)
            header.setDefaultSectionSize(cell)
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.heat_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.heat_view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heat_view.verticalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.heat_view.doubleClicked.connect(self._cell_activated)
        self.heat_view.activated.connect(self._cell_activated)

        self.caption = QLabel()
        self.caption.setObjectName("MatrixCaption")
        self.caption.setWordWrap(True)
        self.caption.setText(
            "Choose a story: each cell is the % of the row's article linked to the column's; "
            "double-click a cell to compare the two."
        )

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.story_view)
        matrix_box = QWidget()
        column = QVBoxLayout(matrix_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.caption)
        column.addWidget(self.heat_view, 1)
        splitter.addWidget(matrix_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)
        self.setWidget(body)
        self._shares: dict[str, dict[str, float]] = {}

    # -- feeding ------------------------------------------------------------
    def set_corpus(self, articles: Sequence[Article]) -> None:
        """A new corpus: no pairs known yet."""
        self._articles = list(articles)
        self._shares = {}
        self._groups = StoryGroups(self._articles)
        self._stories = []
        self.stories.set_stories([])
        self.matrix.set_content([], {})

    def set_pairs(self, summaries: Iterable[PairSummary], threshold: float) -> None:
        """The aligned pairs (the store's summaries at ``threshold``): stories and shares anew."""
        self._shares = {}
        self._groups = StoryGroups(self._articles)
        self._add(summaries, rebuilt=True)

    def add_pairs(self, summaries: Iterable[Any]) -> None:
        """Pairs aligned since the last call: work in proportion to them, not to all pairs.

        The stories are regrouped only when a pair changes an article's closest partners."""
        self._add(summaries, rebuilt=False)

    def _add(self, summaries: Iterable[Any], rebuilt: bool) -> None:
        joined = False
        shown = {article.id for article in self.matrix.articles()}
        touched = rebuilt
        for summary in summaries:
            if not summary.links:
                continue
            key = summary.key
            touched = touched or (key.a_id in shown and key.b_id in shown)
            self._shares.setdefault(key.a_id, {})[key.b_id] = summary.a_share
            self._shares.setdefault(key.b_id, {})[key.a_id] = summary.b_share
            joined = self._groups.add(summary) or joined
        stories = self._groups.groups() if (joined or rebuilt) else self._stories
        if stories is self._stories or [[a.id for a in group] for group in stories] == [
            [a.id for a in group] for group in self._stories
        ]:
            # Same stories: only the numbers changed; repaint the cells (if any of theirs
            # changed: painting a heat map every refresh cost the GUI thread), keep the tree.
            if touched:
                self.matrix.set_shares(self._shares)
            return
        kept = self._chosen_ids()
        self._stories = stories
        self.stories.set_stories(self._stories)
        self._choose(kept)

    # -- asking -------------------------------------------------------------
    def story_titles(self) -> list[str]:
        return [self.stories.index(row, 0).data() for row in range(self.stories.rowCount())]

    def select_story(self, row: int) -> None:
        index = self.stories.index(row, 0)
        self.story_view.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.story_view.setCurrentIndex(index)

    def _chosen_ids(self) -> list[str]:
        return [index.data(ID_ROLE) for index in self.story_view.selectionModel().selectedRows()]

    def _choose(self, ids: list[str]) -> None:
        rows = [self.stories.row_of_article(i) for i in ids]
        rows = [r for r in rows if r >= 0] or ([0] if self.stories.story_count() else [])
        selection = self.story_view.selectionModel()
        with QSignalBlocker(selection):
            selection.clearSelection()
            for row in dict.fromkeys(rows):
                selection.select(
                    self.stories.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        self._chosen()

    def _chosen(self, *_: object) -> None:
        articles: list[Article] = []
        seen: set[str] = set()  # by id: ``in`` a list compared whole articles, text and all,
        # pair by pair (a story of 1,000 articles stalled the event loop 0.3-0.8 s)
        for index in self.story_view.selectionModel().selectedRows():
            for article in self.stories.articles_of(index):
                if article.id not in seen:
                    seen.add(article.id)
                    articles.append(article)
        if [a.id for a in articles[:MATRIX_LIMIT]] == [a.id for a in self.matrix.articles()]:
            self.matrix.set_shares(self._shares)
        else:
            self.matrix.set_content(articles, self._shares)
        if len(articles) > MATRIX_LIMIT:
            self.caption.setText(
                f"The first {MATRIX_LIMIT} of {len(articles)} articles: % of the row's article "
                "linked to the column's; double-click a cell to compare the two."
            )
        elif articles:
            self.caption.setText(
                "% of the row's article linked to the column's article; "
                "double-click a cell to compare the two."
            )

    def _cell_activated(self, index: QModelIndex) -> None:
        if index.isValid() and index.row() != index.column():
            a_id, b_id = index.data(ID_ROLE)
            self.pairActivated.emit(a_id, b_id)
