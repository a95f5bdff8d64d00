"""The gutter between the panes: one band per link, as Meld's linkmap draws it.

Each band is a filled shape bounded by two cubic Bézier curves running from the
passage's on-screen y-range in the left pane to its y-range in the right pane,
control points at a third and two thirds of the width. Bands cross where an
outlet moved a passage. Only links touching the visible part of either pane are
drawn; an end that is off screen becomes a short stub pointing to that edge.
Copied wording is a solid band; a related link (same fact, other words) a lighter,
hatched band with a dashed edge (see ``highlight.band_brushes``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QMouseEvent, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from reader.core.comparison import PairLinks
from reader.ui import highlight
from reader.ui.pane import Passage, kind_summary

if TYPE_CHECKING:
    from reader.core.align import Link
    from reader.ui.pane import ArticlePane

MAP_WIDTH = 56


STUB = 0.4  # share of the width a stub reaches before bending to the edge


class LinkMap(QWidget):
    """Bands between the two panes; clicking a band emits its link index."""

    linkClicked = Signal(int)

    def __init__(
        self, left: ArticlePane, right: ArticlePane, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._left, self._right = left, right
        self._links: list[Link] = []
        self._pair = PairLinks(None, None, (), 0.0)
        self._numbers: list[int] = []  # position in the model -> the link's number here
        self._selected = -1
        self.setFixedWidth(MAP_WIDTH)
        self.setMouseTracking(True)  # the pointer shows which bands can be clicked
        self.setAccessibleName("Link map")
        self.setAccessibleDescription(
            "Passages the two articles share; click a band to go to both ends"
        )
        for pane in (left, right):
            pane.scrolled.connect(self.update)
            pane.geometryChanged.connect(self.update)

    def sizeHint(self) -> QSize:
        return QSize(MAP_WIDTH, 100)

    def set_links(self, links: Sequence[Link]) -> None:
        """The links to draw, in the order they are numbered (sorted by their left span)."""
        self._links = list(links)
        # Asked on every paint and mouse move: answered by bisection, never by a scan.
        self._pair = PairLinks(None, None, self._links, 0.0)
        number = {id(link): n for n, link in enumerate(self._links)}
        self._numbers = [number[id(link)] for link in self._pair.links]
        self._selected = -1
        self.update()

    def set_selected(self, index: int) -> None:
        self._selected = index
        self.update()

    def selected(self) -> int:
        return self._selected

    # --- geometry ----------------------------------------------------------------------------
    def _view_top(self, pane: ArticlePane) -> float:
        """Where the pane's text viewport starts, in this widget's y."""
        viewport = pane.text.viewport()
        return float(
            viewport.mapTo(self.window(), QPoint(0, 0)).y()
            - self.mapTo(self.window(), QPoint(0, 0)).y()
        )

    def _text_band(self) -> tuple[float, float]:
        """The y-range both text viewports cover; bands are clipped to it."""
        tops = [self._view_top(p) for p in (self._left, self._right)]
        bottoms = [
            t + p.viewport_height() for t, p in zip(tops, (self._left, self._right), strict=True)
        ]
        return max(tops), min(bottoms)

    def visible_links(self) -> list[int]:
        """Indexes of links with at least one end on screen, in drawing order."""
        if self._left.article() is None or self._right.article() is None:
            return []
        l_top, l_bottom = self._left.visible_offsets()
        r_top, r_bottom = self._right.visible_offsets()
        # A span touching the first or last visible offset counts (hence the widened ranges).
        shown = set(self._pair.positions_in_range("a", l_top - 1, l_bottom + 1))
        shown.update(self._pair.positions_in_range("b", r_top - 1, r_bottom + 1))
        return sorted(self._numbers[p] for p in shown)

    def band_path(self, index: int) -> QPainterPath | None:
        """The band of link ``index`` in this widget's coordinates, or None when
        neither end is on screen."""
        link = self._links[index]
        ends = []
        for pane, span in ((self._left, link.a_span), (self._right, link.b_span)):
            top, bottom = pane.span_view_y(*span)
            offset = self._view_top(pane)
            height = pane.viewport_height()
            if bottom < 0:
                ends.append(("above", offset, offset))
            elif top > height:
                ends.append(("below", offset + height, offset + height))
            else:
                ends.append(("on", offset + max(top, -4.0), offset + min(bottom, height + 4.0)))
        (l_state, l_top, l_bottom), (r_state, r_top, r_bottom) = ends
        if l_state != "on" and r_state != "on":
            return None
        width = float(self.width())
        x0, x1 = 0.0, width
        if l_state != "on":
            x0 = width * (1 - STUB)  # stub from the right end towards the left edge it is off
        if r_state != "on":
            x1 = width * STUB
        third = (x1 - x0) / 3
        path = QPainterPath(QPointF(x0, l_top))
        path.cubicTo(QPointF(x0 + third, l_top), QPointF(x1 - third, r_top), QPointF(x1, r_top))
        path.lineTo(QPointF(x1, r_bottom))
        path.cubicTo(
            QPointF(x1 - third, r_bottom), QPointF(x0 + third, l_bottom), QPointF(x0, l_bottom)
        )
        path.closeSubpath()
        return path

    def band_center(self, index: int) -> QPointF | None:
        """The middle of a band, halfway along it: a click there hits it (unless
        another band covers it)."""
        path = self.band_path(index)
        if path is None:
            return None
        rect = path.boundingRect()
        x = rect.center().x()  # a stub spans only part of the width
        # Sample the band's vertical extent at its middle column.
        inside = [
            y / 2
            for y in range(int(rect.top() * 2), int(rect.bottom() * 2) + 1)
            if path.contains(QPointF(x, y / 2))
        ]
        if not inside:
            return None
        return QPointF(x, (inside[0] + inside[-1]) / 2)

    def link_at(self, point: QPointF) -> int:
        """The band under ``point``: the selected one first, then the narrowest."""
        hits = []
        for index in self.visible_links():
            path = self.band_path(index)
            if path is not None and path.contains(point):
                hits.append((index != self._selected, path.boundingRect().height(), index))
        return min(hits)[2] if hits else -1

    # --- events ----------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        index = self.link_at(event.position())
        if index >= 0:
            self.linkClicked.emit(index)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over_band = self.link_at(event.position()) >= 0
        self.setCursor(
            Qt.CursorShape.PointingHandCursor if over_band else Qt.CursorShape.ArrowCursor
        )

    def tooltip_at(self, point: QPointF) -> str:
        """What hovering a band says about its link, or ""."""
        index = self.link_at(point)
        if index < 0:
            return ""
        link = self._links[index]
        passage = Passage(
            link.a_span[0],
            link.a_span[1],
            link.score,
            tuple((m[0], m[2]) for m in link.matches),
            link.kind,
        )
        return f"Passage {index + 1} of {len(self._links)} · " + kind_summary(passage)

    def band_style(self, index: int) -> tuple[list[QBrush], QPen]:
        """The brushes and the edge pen band ``index`` is painted with (by its kind,
        score and whether it is selected)."""
        link = self._links[index]
        palette = self.palette()
        selected = index == self._selected
        return (
            highlight.band_brushes(palette, link.score, link.kind, selected),
            highlight.band_pen(palette, link.kind, selected),
        )

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Window))
        top, bottom = self._text_band()
        painter.setClipRect(QRectF(0, top, self.width(), max(0.0, bottom - top)))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bands = [
            (index, path)
            for index in self.visible_links()
            if (path := self.band_path(index)) is not None
        ]
        # Wide bands first, so a short passage crossing a long one stays visible;
        # the selected band last, on top of everything it crosses.
        bands.sort(key=lambda band: (band[0] == self._selected, -band[1].boundingRect().height()))
        for index, path in bands:
            brushes, pen = self.band_style(index)
            for brush in brushes:
                painter.fillPath(path, brush)
            painter.setPen(pen)
            painter.drawPath(path)
