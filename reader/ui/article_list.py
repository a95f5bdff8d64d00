"""The article list: a table model over the corpus, a filter, and its dock.

Columns: which pane shows the article, title, outlet, publication date, file
name, word count, tag count, the share of the article linked to the article in
the other pane, and the article's closest article (the one linked to the largest share of it). The
window feeds tag counts in and gives the model two questions to ask for the
shares (answered by the core's alignment store); the model only shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QHeaderView,
    QLineEdit,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.core.articles import Article
from reader.core.summary import summarized
from reader.core.text_utils import shorten

ID_ROLE = Qt.ItemDataRole.UserRole + 2
FILTER_ROLE = Qt.ItemDataRole.UserRole + 3  # what the filter box looks in: title, outlet, file


# What the window's share source answers for an article the corpus index never paired with
# the shown one: not compared, which is not the same as "shares nothing" (0 %).
NOT_COMPARED = "not compared"


class ArticleTableModel(QAbstractTableModel):
    """One row per article of the corpus, kept in the order the list is sorted by.

    The model sorts itself, in Python, and the filter model above it only filters: a
    sorting proxy asks ``data()`` twice per comparison, and each call from Qt into Python
    waits for the GIL. Appending a batch of 50 read articles to a sorted list of 1,000
    made it ask 4,000 times (50-150 ms of the event loop per batch).
    """

    PANE, TITLE, OUTLET, DATE, FILE, WORDS, TAGS, LINKED, CLOSEST = range(9)
    HEADERS = ("", "Article", "Outlet", "Date", "File", "Words", "Tags", "Linked", "Closest")
    TIPS = (
        "Which pane shows the article",
        "The article's headline",
        "Where the article was published (from the page or the front matter; — when unknown)",
        "When the article was published (— when unknown); sorts oldest first",
        "The article's file",
        "Number of words",
        "Number of tags on the article",
        "Share of this article's text linked to the article shown in the other pane, "
        "not to the whole corpus (Closest says that). — : never compared with it, as the two "
        "share neither rare wording nor rare names and numbers; … : being compared",
        "The article linked to the largest share of this one's text, and that share "
        "(— when no compared article shares a passage with it)",
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._articles: list[Article] = []  # in the list's order
        self._rows: dict[str, int] = {}
        self._arrival: dict[str, int] = {}  # corpus order: ties of a sort keep it
        # column -> article id -> sort key, for the columns whose values never change
        self._fixed_keys: dict[int, dict[str, int | float | str]] = {}
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._tags: dict[str, int] = {}
        self._sides: dict[str, str] = {}
        self._linked: Callable[[Article], float | str | None] = lambda article: None
        self._closest: Callable[[Article], tuple[str, float] | None] = lambda article: None

    # -- feeding ----------------------------------------------------------
    def set_articles(self, articles: Sequence[Article]) -> None:
        articles = list(articles)
        if (
            self._articles
            and len(articles) == len(self._articles)
            and all(new is old for new, old in zip(articles, self._articles, strict=True))
        ):
            # The very articles already listed (a big folder was read into the list): a
            # reset would make the sort model and the view start over on a thousand rows.
            marked = set(self._tags) | set(self._sides)
            self._tags, self._sides = {}, {}
            for article_id in marked:
                row = self._rows[article_id]
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.CLOSEST))
            if self._sort_column in (self.PANE, self.TAGS):
                self._resort()
            return
        self.beginResetModel()
        self._fixed_keys = {}
        self._arrival = {article.id: order for order, article in enumerate(articles)}
        self._tags, self._sides = {}, {}
        self._articles = self._sorted(articles)
        self._rows = {article.id: row for row, article in enumerate(self._articles)}
        self.endResetModel()

    def append_articles(self, articles: Sequence[Article]) -> None:
        """More articles read (a big folder fills the list in batches)."""
        if not articles:
            return
        first = len(self._articles)
        self.beginInsertRows(QModelIndex(), first, first + len(articles) - 1)
        for article in articles:
            self._rows[article.id] = len(self._articles)
            self._arrival[article.id] = len(self._arrival)
            self._articles.append(article)
        self.endInsertRows()
        # Files are read in name order, the list's first order: then nothing moves.
        self._resort()

    # -- sorting ----------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        self._resort()

    def _sorted(self, articles: Iterable[Article]) -> list[Article]:
        by_arrival = sorted(articles, key=lambda article: self._arrival[article.id])
        column = self._sort_column
        if column < 0:
            return by_arrival
        if column in (self.PANE, self.TAGS, self.LINKED, self.CLOSEST):
            keys = {article.id: self._sort_value(article, column) for article in by_arrival}
        else:
            # A title, a date or a word count never changes: each article's key is made once,
            # not again for all of them at each batch of a big folder (the keys were 40 ms
            # of a batch while the files were read on another thread).
            keys = self._fixed_keys.setdefault(column, {})
            for article in by_arrival:
                if article.id not in keys:
                    keys[article.id] = self._sort_value(article, column)
        # Python's sort is stable, descending too: ties stay in corpus order, as in Qt's.
        return sorted(
            by_arrival,
            key=lambda article: keys[article.id],
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )

    def _resort(self) -> None:
        ordered = self._sorted(self._articles)
        if all(new is old for new, old in zip(ordered, self._articles, strict=True)):
            return
        # No sort hint: emitting the hint's arguments from Python crashed PySide 6.
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        kept_ids = [self._articles[index.row()].id for index in kept]
        self._articles = ordered
        self._rows = {article.id: row for row, article in enumerate(ordered)}
        self.changePersistentIndexList(
            kept,
            [
                self.index(self._rows[article_id], index.column())
                for article_id, index in zip(kept_ids, kept, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def _sorted_by_any(self, *columns: int) -> None:
        """Values of ``columns`` changed: move rows if the list is sorted by one of them."""
        if self._sort_column in columns:
            self._resort()

    def set_tag_counts(self, counts: Mapping[str, int]) -> None:
        self._tags = dict(counts)
        self._column_changed(self.TAGS)
        self._sorted_by_any(self.TAGS)

    def set_share_source(
        self,
        linked: Callable[[Article], float | str | None],
        closest: Callable[[Article], tuple[str, float] | None],
    ) -> None:
        """Where the shares come from: ``linked(article)`` is the share (0..1) linked to the
        article in the other pane, None while unknown, NOT_COMPARED when the two were never
        paired; ``closest(article)`` is the closest article's title and the share of this one
        linked to it, or None."""
        self._linked, self._closest = linked, closest
        self.shares_changed()

    def shares_changed(self, article_ids: Iterable[str] | None = None) -> None:
        """The shares of these articles (default: all) may have changed; only their rows repaint."""
        if article_ids is None:
            self._column_changed(self.LINKED, self.CLOSEST)
            self._sorted_by_any(self.LINKED, self.CLOSEST)
            return
        rows = [row for row in map(self._rows.get, article_ids) if row is not None]
        if rows:
            # One signal over the rows' span, not one per row: each emit is a trip into Qt
            # and back, and coming back waits for the GIL while a worker aligns. The view
            # repaints only what it shows; the sort model maps the span in C++.
            self.dataChanged.emit(
                self.index(min(rows), self.LINKED), self.index(max(rows), self.CLOSEST)
            )
            self._sorted_by_any(self.LINKED, self.CLOSEST)

    def set_sides(self, left_id: str | None, right_id: str | None) -> None:
        """Mark the shown articles; only their rows and the old ones repaint (the shares of
        every row, relative to the shown pair, are the window's ``shares_changed``)."""
        changed = set(self._sides)
        self._sides = {}
        if left_id:
            self._sides[left_id] = "L"
        if right_id:
            self._sides[right_id] = "R"
        for article_id in changed | set(self._sides):
            row = self._rows.get(article_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.CLOSEST))
        self._sorted_by_any(self.PANE)

    def article_at(self, row: int) -> Article:
        return self._articles[row]

    def row_of(self, article_id: str) -> int:
        return self._rows.get(article_id, -1)

    # -- Qt model ---------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._articles)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.TIPS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        article = self._articles[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return article.id
        if role == FILTER_ROLE:
            return f"{article.title}\n{article.outlet}\n{article.path.name}"
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(article, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.LINKED:
                return self._linked_tooltip(article)
            if column == self.CLOSEST:
                closest = self._closest(article)
                if closest is not None:
                    return f"{round(closest[1] * 100)} % of this article is linked to: {closest[0]}"
            return self._tooltip(article)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column in (self.OUTLET, self.DATE)
            and not (article.outlet if column == self.OUTLET else article.date)
        ):
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            self.WORDS,
            self.TAGS,
            self.LINKED,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.PANE:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and article.id in self._sides:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(article, column) or ""
        return None

    def _display(self, article: Article, column: int) -> str | None:
        if column == self.PANE:
            return self._sides.get(article.id, "")
        if column == self.TITLE:
            return article.title or article.path.name
        if column == self.OUTLET:
            return article.outlet or "—"
        if column == self.DATE:
            return article.date or "—"
        if column == self.FILE:
            return article.path.name
        if column == self.WORDS:
            return f"{article.word_count:,}"
        if column == self.TAGS:
            return str(self._tags.get(article.id, 0))
        if column == self.CLOSEST:
            closest = self._closest(article)
            return (
                "—" if closest is None else f"{round(closest[1] * 100)} % {shorten(closest[0], 22)}"
            )
        share = self._linked(article)
        if isinstance(share, str):  # NOT_COMPARED
            return "—"
        if share is None:
            return "…" if self._opposite(article) is not None else ""
        return f"{round(share * 100)} %"

    def _opposite(self, article: Article) -> Article | None:
        """The article the "Linked" share is measured against: the other pane's, if shown."""
        sides = {side: article_id for article_id, side in self._sides.items()}
        other_id = sides.get("R") if sides.get("L") == article.id else sides.get("L")
        row = self._rows.get(other_id) if other_id and other_id != article.id else None
        return None if row is None else self._articles[row]

    def _linked_tooltip(self, article: Article) -> str:
        other = self._opposite(article)
        if other is None:
            return "Open an article in the other pane to see how much of this one it shares"
        name = f"“{other.title or other.path.name}”"
        share = self._linked(article)
        if isinstance(share, str):  # NOT_COMPARED
            return (
                f"Not compared with {name}: the two share neither rare wording nor rare names "
                "and numbers, so they were not aligned (open both to compare them anyway)"
            )
        if share is None:
            return f"Being compared with {name}…"
        return (
            f"{round(share * 100)} % of this article's text is linked to {name}, the article "
            "in the other pane (the Closest column says which article shares most)"
        )

    def _sort_value(self, article: Article, column: int) -> int | float | str:
        if column == self.WORDS:
            return article.word_count
        if column == self.TAGS:
            return self._tags.get(article.id, 0)
        if column == self.LINKED:
            share = self._linked(article)
            return -1.0 if share is None or share == NOT_COMPARED else share
        if column == self.CLOSEST:
            closest = self._closest(article)
            return -1.0 if closest is None else closest[1]
        if column in (self.OUTLET, self.DATE):
            # Ascending, unknown outlets and dates come after the known ones; ISO
            # dates sort by time as text; ties keep file-name order.
            value = article.outlet if column == self.OUTLET else article.date
            return f"{value.casefold() if value else chr(0x10FFFF)}\x00{article.path.name}"
        return (self._display(article, column) or "").casefold()

    def _tooltip(self, article: Article) -> str:
        source = ", ".join(
            part
            for part in (
                article.outlet,
                article.date,
                article.author,
            )
            if part
        )
        lines = [article.title, source, article.url, str(article.path)]
        side = self._sides.get(article.id)
        if side:
            lines.append("Shown in the " + ("left" if side == "L" else "right") + " pane")
        lines.extend(summarized(article.warnings, shown=3))
        return "\n".join(line for line in lines if line)

    def _column_changed(self, column: int, last: int | None = None) -> None:
        if self._articles:
            self.dataChanged.emit(
                self.index(0, column), self.index(len(self._articles) - 1, last or column)
            )


TITLE_LINES = 2


def title_lines(title: str, metrics: QFontMetrics, width: int, count: int) -> list[str]:
    """``title`` word-wrapped into at most ``count`` lines of ``width`` pixels, the last elided."""
    words = title.split()
    lines: list[str] = []
    while words and len(lines) < count - 1:
        taken = 1
        while (
            taken < len(words) and metrics.horizontalAdvance(" ".join(words[: taken + 1])) <= width
        ):
            taken += 1
        lines.append(" ".join(words[:taken]))
        words = words[taken:]
    if words:
        lines.append(metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width))
    return lines


class TitleDelegate(QStyledItemDelegate):
    """Draws the title on the first line and the file name, muted, on the second."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        # Outlet and date ride on the second line too: in a narrow dock their
        # columns may be scrolled out of sight, and they are what a reader asks first.
        source = [
            index.sibling(index.row(), column).data()
            for column in (ArticleTableModel.OUTLET, ArticleTableModel.DATE)
        ]
        source = [part for part in source if part and part != "—"]
        file_name = " · ".join(
            [*source, index.sibling(index.row(), ArticleTableModel.FILE).data() or ""]
        )
        title = option.text
        option.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        rect = option.rect.adjusted(6, 4, -4, -4)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Normal
        text_color = option.palette.color(
            group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        painter.save()
        painter.setFont(option.font)
        painter.setPen(text_color)
        metrics = QFontMetrics(option.font)
        line = metrics.lineSpacing()
        # Titles of one story often begin alike ("Russian President Vladimir…"):
        # two lines of title tell them apart where one would not.
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for row, text in enumerate(title_lines(title, metrics, rect.width(), TITLE_LINES)):
            painter.drawText(rect.x(), rect.y() + row * line, rect.width(), line, flags, text)
        line *= TITLE_LINES
        small = QFont(option.font)
        small.setBold(False)
        small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.88))
        painter.setFont(small)
        muted = QColor(text_color)
        muted.setAlphaF(0.65)
        painter.setPen(muted)
        small_metrics = QFontMetrics(small)
        painter.drawText(
            rect.x(),
            rect.y() + line,
            rect.width(),
            small_metrics.lineSpacing(),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            small_metrics.elidedText(file_name, Qt.TextElideMode.ElideRight, rect.width()),
        )
        painter.restore()


class ArticleFilterModel(QSortFilterProxyModel):
    """Keeps articles whose title, outlet or file name contains the filter text; the view's
    sorting is passed to the article model, which keeps its rows sorted (see there)."""

    # Qt's own filtering, not a Python filterAcceptsRow: the proxy asks it of every row in a
    # changed span (the shares of all rows change when another pair is shown), and each call
    # into Python waited for the GIL while the corpus aligned. With no filter text Qt does not
    # ask the model at all.
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setFilterRole(FILTER_ROLE)
        self.setFilterKeyColumn(0)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)

    def set_needle(self, text: str) -> None:
        """Keep rows whose title, outlet or file name contains ``text`` (any case)."""
        self.setFilterRegularExpression(
            QRegularExpression(
                QRegularExpression.escape(text),
                QRegularExpression.PatternOption.CaseInsensitiveOption,
            )
        )
        # A full invalidate: the filter-only update (begin/endFilterChange in
        # Qt 6.12) was seen leaving a stale duplicate row behind.
        self.invalidate()


class ArticleListDock(QDockWidget):
    """The left dock: filter box above the article table."""

    articleActivated = Signal(str)  # double-click / Enter: open where focus was
    contextMenuWanted = Signal(QPoint)  # the window fills the menu from its actions

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Articles", parent)
        self.setObjectName("ArticleListDock")
        self.model = ArticleTableModel(self)
        self.proxy = ArticleFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.filter_box = QLineEdit()
        self.filter_box.setObjectName("ArticleFilter")
        self.filter_box.setPlaceholderText("Filter articles…")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setAccessibleName("Filter articles")
        self.filter_box.textChanged.connect(self._filter)

        self.view = QTableView()
        self.view.setObjectName("ArticleTable")
        self.view.setAccessibleName("Articles")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(ArticleTableModel.FILE, Qt.SortOrder.AscendingOrder)
        # The sort indicator would widen every narrow number column; the
        # header's tooltip and click still sort.
        self.view.horizontalHeader().setSortIndicatorShown(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        # The file name is drawn under the title (TitleDelegate), so the narrow
        # dock can give the title most of its width; the column stays in the
        # model for sorting and screen readers.
        self.view.setItemDelegateForColumn(ArticleTableModel.TITLE, TitleDelegate(self.view))
        self.view.setColumnHidden(ArticleTableModel.FILE, True)
        self.view.verticalHeader().setDefaultSectionSize(
            (TITLE_LINES + 1) * self.view.fontMetrics().lineSpacing() + 10
        )
        header = self.view.horizontalHeader()
        header.setMinimumSectionSize(20)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # The title takes the width the other columns leave, but never less than
        # two readable lines' worth (a Stretch section collapses to nothing once
        # the fixed columns fill a narrow dock); the rest then scrolls.
        self.view.installEventFilter(self)
        # Headers are bold (style.qss) with 6 px padding each side.
        bold = QFont(self.view.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        for column, sample in (
            (ArticleTableModel.PANE, "R"),
            (ArticleTableModel.OUTLET, "Harbour Times"),
            (ArticleTableModel.DATE, "2025-03-15"),
            (ArticleTableModel.WORDS, "Words"),
            (ArticleTableModel.TAGS, "Tags"),
            (ArticleTableModel.LINKED, "Linked"),
            (ArticleTableModel.CLOSEST, "100 % Morning Ledger…"),
        ):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 18)
        # activated covers double-click and Enter (one signal, no double opening).
        self.view.activated.connect(self._activated)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.view)
        self.setWidget(body)

    TITLE_MIN_WIDTH = 150

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._fit_title()
        return super().eventFilter(watched, event)

    def _fit_title(self) -> None:
        header = self.view.horizontalHeader()
        others = sum(
            header.sectionSize(c)
            for c in range(header.count())
            if c != ArticleTableModel.TITLE and not header.isSectionHidden(c)
        )
        header.resizeSection(
            ArticleTableModel.TITLE,
            max(self.TITLE_MIN_WIDTH, self.view.viewport().width() - others),
        )

    def current_article_id(self) -> str | None:
        """The article under the list's cursor, if any."""
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return index.data(ID_ROLE)

    def select_article(self, article_id: str) -> None:
        row = self.model.row_of(article_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, ArticleTableModel.TITLE))
        if index.isValid():
            self.view.setCurrentIndex(index)

    def show_menu(self, actions: Sequence[QAction], global_pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addActions(list(actions))
        menu.exec(global_pos)

    def _filter(self, text: str) -> None:
        self.proxy.set_needle(text.strip())

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.articleActivated.emit(index.data(ID_ROLE))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.contextMenuWanted.emit(self.view.viewport().mapToGlobal(pos))
