"""The comparison view: two article panes with the link map between them.

It turns links into what each pane draws, keeps the panes level while the
reader scrolls, and owns the two selections a reader makes here: a link (a
passage both outlets carry) and a sentence (what keyboard tagging acts on).
Menus, actions and alignment live in the main window; this widget only
emits signals for them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QPalette, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from reader.core.articles import Article
from reader.core.chains import longest_increasing_chain
from reader.core.comparison import PairLinks
from reader.ui.link_map import LinkMap
from reader.ui.marks import TagMark
from reader.ui.pane import ArticlePane, Passage

if TYPE_CHECKING:
    from reader.core.align import Link

# Zoom steps are points off the default text size (pane.BASE_POINT_SIZE): 6 to
# 21 points. The view clamps; every caller (actions, saved settings) goes through it.
MIN_ZOOM, MAX_ZOOM = -5, 10


class ComparisonView(QWidget):
    """Two articles side by side, linked passages highlighted and joined by bands."""

    LEFT = "left"
    RIGHT = "right"

    linkSelected = Signal(int)  # index into links(), -1 = none
    sentenceSelected = Signal(str, int)  # side, sentence index (-1 = none)
    sentenceContextMenuRequested = Signal(str, int, QPoint)  # side, sentence index, global pos
    articleChosen = Signal(str, str)  # side, article id
    focusedSideChanged = Signal(str)
    noticeLinkActivated = Signal(str)  # the href of a link in the notice above the panes
    # Whether next_link / previous_link can move (links changed or another selected).
    linkStepsChanged = Signal(bool, bool)  # can go to the previous link, to the next

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._links: list[Link] = []
        self._pair = PairLinks(None, None, (), 0.0)
        self._selected_link = -1
        self._selected_sentence: tuple[str, int] | None = None
        # The sentence last chosen in each pane, kept when the other pane is
        # clicked: linking by hand takes one passage from each side.
        self._last_sentence = {self.LEFT: -1, self.RIGHT: -1}
        self._focused = self.LEFT
        self._sync = True
        self._syncing = False
        self._zoom = 0
        self._anchors: tuple[list[float], list[float]] | None = None

        self._panes = {
            self.LEFT: ArticlePane(self.LEFT, self),
            self.RIGHT: ArticlePane(self.RIGHT, self),
        }
        self._map = LinkMap(self._panes[self.LEFT], self._panes[self.RIGHT], self)
        self._map.linkClicked.connect(self._on_band_clicked)
        # Says why the panes show no links and what to do; hidden while there are links.
        self.notice = QLabel(self)
        self.notice.setObjectName("ComparisonNotice")
        self.notice.setAccessibleName("Why no passages are linked")
        self.notice.setWordWrap(True)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        self.notice.setContentsMargins(8, 5, 8, 5)
        self.notice.setAutoFillBackground(True)
        self.notice.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.notice.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.notice.linkActivated.connect(self.noticeLinkActivated)
        self.notice.hide()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.notice)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._panes[self.LEFT], 1)
        layout.addWidget(self._map)
        layout.addWidget(self._panes[self.RIGHT], 1)
        outer.addLayout(layout, 1)

        for side, pane in self._panes.items():
            pane.articleChosen.connect(
                lambda article_id, side=side: self.articleChosen.emit(side, article_id)
            )
            pane.offsetClicked.connect(lambda offset, side=side: self._on_clicked(side, offset))
            pane.contextRequested.connect(
                lambda offset, pos, side=side: self._on_context(side, offset, pos)
            )
            pane.focusReceived.connect(lambda side=side: self._set_focused(side))
            pane.sentenceStepRequested.connect(
                lambda delta, side=side: self._step_from(side, delta)
            )
            pane.scrolled.connect(lambda side=side: self._on_scrolled(side))
            pane.geometryChanged.connect(self._forget_anchors)

    # --- articles ------------------------------------------------------------------------------
    def set_article_choices(self, choices: Sequence[tuple[str, str]]) -> None:
        """(article id, title) pairs offered by both header choosers."""
        for pane in self._panes.values():
            pane.set_choices(choices)

    def set_articles(self, left: Article | None, right: Article | None) -> None:
        """Show two articles. When either changes, links and selections are dropped
        (they belonged to the old pair) and the tag marks of a changed side too; the
        caller then sends the new pair's links and tag marks."""
        changed = (left is not self.pane(self.LEFT).article()) or (
            right is not self.pane(self.RIGHT).article()
        )
        if not changed:
            return
        self._links = []
        self._pair = PairLinks(None, None, (), 0.0)
        self._map.set_links([])
        self._selected_link = -1
        for pane, article in ((self.pane(self.LEFT), left), (self.pane(self.RIGHT), right)):
            if article is not pane.article():
                self._last_sentence[pane.side] = -1
            pane.set_article(article)
            pane.set_passages([])
            pane.set_outline(None)
        if self._selected_sentence is not None:
            self._selected_sentence = None
            self.sentenceSelected.emit(self._focused, -1)
        self._forget_anchors()
        self._emit_link_steps()

    def articles(self) -> tuple[Article | None, Article | None]:
        return self.pane(self.LEFT).article(), self.pane(self.RIGHT).article()

    # --- links -------------------------------------------------------------------------------------
    def set_links(self, links: Sequence[Link]) -> None:
        """Highlight and join these links (a = left article, b = right); clears the selection."""
        self._links = sorted(links, key=lambda link: (link.a_span, link.b_span))
        # Same order as self._links: the model's positions are the links' numbers here.
        self._pair = PairLinks(None, None, self._links, 0.0)
        self.pane(self.LEFT).set_passages(
            [
                Passage(
                    link.a_span[0],
                    link.a_span[1],
                    link.score,
                    tuple((m[0], m[2]) for m in link.matches),
                    link.kind,
                )
                for link in self._links
            ]
        )
        self.pane(self.RIGHT).set_passages(
            [
                Passage(
                    link.b_span[0],
                    link.b_span[1],
                    link.score,
                    tuple((m[1], m[2]) for m in link.matches),
                    link.kind,
                )
                for link in self._links
            ]
        )
        self._map.set_links(self._links)
        had_selection = self._selected_link != -1
        self._selected_link = -1
        for pane in self._panes.values():
            pane.set_outline(None)
        self._forget_anchors()
        if had_selection:
            self.linkSelected.emit(-1)
        self._emit_link_steps()

    def links(self) -> list[Link]:
        return list(self._links)

    def set_notice(self, text: str) -> None:
        """Show ``text`` (rich text; its links emit noticeLinkActivated) above the
        panes, or hide the notice when ``text`` is empty."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        self._forget_anchors()

    def notice_text(self) -> str:
        """The notice as plain text, "" when hidden."""
        if self.notice.isHidden():
            return ""
        document = QTextDocument()
        document.setHtml(self.notice.text())
        return document.toPlainText()

    def select_link(self, index: int) -> None:
        """Select link ``index`` (-1 = none): both panes scroll so its ends are on
        screen, both ends are outlined and its band is drawn stronger."""
        self._select_link(index, scroll=(self.LEFT, self.RIGHT))

    def _select_link(self, index: int, scroll: Sequence[str]) -> None:
        if not 0 <= index < len(self._links):
            index = -1
        link = self._links[index] if index >= 0 else None
        self.pane(self.LEFT).set_outline(link.a_span if link else None)
        self.pane(self.RIGHT).set_outline(link.b_span if link else None)
        if link is not None:
            self._syncing = True  # both panes are placed here; syncing would fight it
            try:
                if self.LEFT in scroll:
                    self.pane(self.LEFT).ensure_span_visible(*link.a_span)
                if self.RIGHT in scroll:
                    self.pane(self.RIGHT).ensure_span_visible(*link.b_span)
            finally:
                self._syncing = False
        self._map.set_selected(index)
        if index != self._selected_link:
            self._selected_link = index
            self.linkSelected.emit(index)
            self._emit_link_steps()

    def selected_link(self) -> int:
        return self._selected_link

    def link_steps(self) -> tuple[bool, bool]:
        """Whether previous_link and next_link would select a link: with none
        selected, any link will do; else only one before / after the selected."""
        count, selected = len(self._links), self._selected_link
        if selected < 0:
            return count > 0, count > 0
        return selected > 0, selected < count - 1

    def _emit_link_steps(self) -> None:
        self.linkStepsChanged.emit(*self.link_steps())

    def next_link(self) -> None:
        """Select the next link in left-pane order; from no selection, the first link at
        or below the top of the left pane. Stops at the last link."""
        if not self._links:
            return
        if self._selected_link < 0:
            top, _bottom = self.pane(self.LEFT).visible_offsets()
            starts = [link.a_span[0] for link in self._links]
            index = min(bisect_right(starts, top - 1), len(self._links) - 1)
        else:
            index = min(self._selected_link + 1, len(self._links) - 1)
        self.select_link(index)

    def previous_link(self) -> None:
        """Select the previous link in left-pane order; stops at the first."""
        if not self._links:
            return
        if self._selected_link < 0:
            _top, bottom = self.pane(self.LEFT).visible_offsets()
            starts = [link.a_span[0] for link in self._links]
            index = max(bisect_right(starts, bottom) - 1, 0)
        else:
            index = max(self._selected_link - 1, 0)
        self.select_link(index)

    def _on_band_clicked(self, index: int) -> None:
        self.select_link(index)

    def _link_at(self, side: str, offset: int) -> int:
        """The best-scoring link whose end on ``side`` contains ``offset``, or -1."""
        best, best_score = -1, -1.0
        model_side = "a" if side == self.LEFT else "b"
        for index in self._pair.positions_in_range(model_side, offset, offset + 1):
            if self._links[index].score > best_score:
                best, best_score = index, self._links[index].score
        return best

    # --- sentences ---------------------------------------------------------------------------------
    def _on_clicked(self, side: str, offset: int) -> None:
        self._set_focused(side)
        self.select_sentence(side, self.pane(side).sentence_index_at(offset))
        # The clicked pane stays where the reader put it; only the other end comes into view.
        other = self.RIGHT if side == self.LEFT else self.LEFT
        self._select_link(self._link_at(side, offset), scroll=(other,))

    def _on_context(self, side: str, offset: int, global_pos: QPoint) -> None:
        self._set_focused(side)
        index = self.pane(side).sentence_index_at(offset)
        self.select_sentence(side, index)
        self.sentenceContextMenuRequested.emit(side, index, global_pos)

    def select_sentence(self, side: str, index: int) -> None:
        """Select sentence ``index`` of ``side`` (-1 = none) and scroll it into view."""
        pane = self.pane(side)
        if not 0 <= index < pane.sentence_count():
            index = -1
        for other_side, other in self._panes.items():
            other.set_selected_sentence(index if other_side == side else -1)
        selection = (side, index) if index >= 0 else None
        if index >= 0:
            self._last_sentence[side] = index
            pane.ensure_span_visible(*pane.sentence_span(index))
        if selection != self._selected_sentence:
            self._selected_sentence = selection
            self.sentenceSelected.emit(side, index)

    def selected_sentence(self) -> tuple[str, int] | None:
        return self._selected_sentence

    def chosen_span(self, side: str) -> tuple[int, int] | None:
        """The passage the reader chose in pane ``side`` for linking by hand: the text
        selected there with the mouse, else the sentence last selected there, else None."""
        pane = self.pane(side)
        if pane.article() is None:
            return None
        selected = pane.selected_span()
        if selected is not None:
            return selected
        index = self._last_sentence[side]
        if 0 <= index < pane.sentence_count():
            return pane.sentence_span(index)
        return None

    def move_sentence_selection(self, delta: int) -> None:
        """Move the selected sentence by ``delta`` in the focused pane; with nothing
        selected there, start from the first sentence on screen."""
        self._step_from(self._focused, delta)

    def _step_from(self, side: str, delta: int) -> None:
        pane = self.pane(side)
        count = pane.sentence_count()
        if count == 0:
            return
        if self._selected_sentence is not None and self._selected_sentence[0] == side:
            index = max(0, min(count - 1, self._selected_sentence[1] + delta))
        else:
            top, _bottom = pane.visible_offsets()
            index = max(
                0,
                min(
                    count - 1,
                    pane.sentence_index_at(top)
                    if pane.sentence_index_at(top) >= 0
                    else bisect_right([pane.sentence_span(i)[0] for i in range(count)], top),
                ),
            )
        self._set_focused(side)
        self.select_sentence(side, index)

    # --- tags -----------------------------------------------------------------------------------------
    def set_tag_marks(self, side: str, marks: Sequence[TagMark]) -> None:
        """Draw tags of the article on ``side``: label-colored underline, margin mark, tooltip."""
        self.pane(side).set_tag_marks(marks)

    # --- focus ---------------------------------------------------------------------------------------------
    def _set_focused(self, side: str) -> None:
        if side != self._focused:
            self._focused = side
            self.focusedSideChanged.emit(side)

    def focused_side(self) -> str:
        return self._focused

    def set_focused_side(self, side: str) -> None:
        """Give keyboard focus to the text of ``side``."""
        self.pane(side).text.setFocus()
        self._set_focused(side)

    # --- synchronized scrolling --------------------------------------------------------------------------
    def set_sync_scroll(self, on: bool) -> None:
        self._sync = on
        if on:
            self._on_scrolled(self._focused)

    def sync_scroll(self) -> bool:
        return self._sync

    def _forget_anchors(self) -> None:
        self._anchors = None

    def _sync_anchors(self) -> tuple[list[float], list[float]]:
        """Matching document heights (left, right), both increasing: the passage
        tops and bottoms of a chain of links in the same order in both articles
        (moved passages cannot be kept level without tearing the rest), plus the
        two documents' starts and ends. Between anchors heights are interpolated,
        which is the proportional fallback when there are no links."""
        if self._anchors is not None:
            return self._anchors
        left, right = self.pane(self.LEFT), self.pane(self.RIGHT)
        chain = longest_increasing_chain(
            (link.a_span[0], link.b_span[0], i) for i, link in enumerate(self._links)
        )
        xs, ys = [0.0], [0.0]
        for i in chain:
            link = self._links[i]
            a_top, a_bottom = left.span_doc_y(*link.a_span)
            b_top, b_bottom = right.span_doc_y(*link.b_span)
            for x, y in ((a_top, b_top), (a_bottom, b_bottom)):
                if x >= xs[-1] and y >= ys[-1]:
                    xs.append(x)
                    ys.append(y)
        xs.append(max(xs[-1], left.document_height()))
        ys.append(max(ys[-1], right.document_height()))
        self._anchors = (xs, ys)
        return self._anchors

    def _on_scrolled(self, side: str) -> None:
        if not self._sync or self._syncing:
            return
        left, right = self.pane(self.LEFT), self.pane(self.RIGHT)
        if left.article() is None or right.article() is None:
            return
        source, target = (left, right) if side == self.LEFT else (right, left)
        xs, ys = self._sync_anchors()
        if side == self.RIGHT:
            xs, ys = ys, xs
        # The level point slides from the top of the view to its bottom as the reader
        # scrolls down (as Meld's sync point does), so both panes reach their ends together.
        bar = source.text.verticalScrollBar()
        fraction = bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0
        probe = source.scroll_value() + source.viewport_height() * fraction
        mapped = _interpolate(xs, ys, probe)
        self._syncing = True
        try:
            target.set_scroll_value(mapped - target.viewport_height() * fraction)
        finally:
            self._syncing = False

    # --- zoom and find --------------------------------------------------------------------------------------
    def set_zoom(self, steps: int) -> None:
        """Text size in point steps from the default (0)."""
        self._zoom = max(MIN_ZOOM, min(MAX_ZOOM, steps))
        for pane in self._panes.values():
            pane.set_zoom(self._zoom)

    def zoom(self) -> int:
        return self._zoom

    def find_text(self, text: str, backwards: bool = False) -> bool:
        """Find and select ``text``: on from the focused pane's cursor, then through the
        other pane, then round to the focused pane's start (its end when ``backwards``).
        The match is centred and its pane becomes the focused one, so the next search
        goes on from it; when nothing matches no pane moves."""
        if not text:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backwards else QTextDocument.FindFlag(0)
        here = self._focused
        there = self.RIGHT if here == self.LEFT else self.LEFT
        for side, from_edge in ((here, False), (there, True), (here, True)):
            view = self.pane(side).text
            document = view.document()
            if from_edge:
                start = QTextCursor(document)
                start.movePosition(
                    QTextCursor.MoveOperation.End if backwards else QTextCursor.MoveOperation.Start
                )
            else:
                start = view.textCursor()
            # document.find, not view.find: a miss must not move the cursor or the view.
            found = document.find(text, start, flags)
            if not found.isNull():
                self._show_match(side, found)
                return True
        return False

    def _show_match(self, side: str, found: QTextCursor) -> None:
        """Select a match and scroll it to the middle of its pane, not its bottom edge."""
        view = self.pane(side).text
        view.setTextCursor(found)
        bar = view.verticalScrollBar()
        bar.setValue(bar.value() + view.cursorRect().center().y() - view.viewport().height() // 2)
        self._set_focused(side)

    # --- parts ------------------------------------------------------------------------------------------------
    def pane(self, side: str) -> ArticlePane:
        return self._panes[side]

    def link_map(self) -> LinkMap:
        return self._map


def _interpolate(xs: Sequence[float], ys: Sequence[float], x: float) -> float:
    """Piecewise-linear y at ``x`` through increasing points (xs, ys)."""
    i = bisect_right(xs, x)
    if i <= 0:
        return ys[0] + (x - xs[0])
    if i >= len(xs):
        return ys[-1] + (x - xs[-1])
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    if x1 - x0 <= 0:
        return y1
    return y0 + (x - x0) * (y1 - y0) / (x1 - x0)
