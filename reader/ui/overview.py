"""A narrow strip beside a pane: the whole article at a glance.

Links are score-colored ticks, tags are ticks in their label color along the
inner edge, and a frame shows the part on screen. Clicking or dragging scrolls
there. Positions come from the pane's document layout and are cached until the
pane says its geometry or its marks changed.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget

STRIP_WIDTH = 14

Tick = tuple[float, float, QColor]  # top, bottom in document pixels, color


class OverviewSource(Protocol):
    def overview_items(self) -> tuple[float, list[Tick], list[Tick]]: ...
    def visible_doc_range(self) -> tuple[float, float]: ...


class OverviewStrip(QWidget):
    """Whole-article map of links and tags; emits the clicked height as a fraction."""

    jumpRequested = Signal(float)

    def __init__(self, source: OverviewSource) -> None:
        super().__init__(source if isinstance(source, QWidget) else None)
        self._source = source
        self._items: tuple[float, list[Tick], list[Tick]] | None = None
        self.setFixedWidth(STRIP_WIDTH)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(
            "Where this article shares passages (teal) and carries tags; click to go there"
        )

    def sizeHint(self) -> QSize:
        return QSize(STRIP_WIDTH, 100)

    def invalidate(self) -> None:
        """Forget cached positions (text, width, zoom, links or tags changed)."""
        self._items = None
        self.update()

    def _scale(self, doc_height: float) -> float:
        return (self.height() - 2) / doc_height if doc_height > 0 else 0.0

    def paintEvent(self, _event) -> None:
        if self._items is None:
            self._items = self._source.overview_items()
        doc_height, links, tags = self._items
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.AlternateBase))
        scale = self._scale(doc_height)
        if scale <= 0:
            return
        width = self.width()
        for top, bottom, color in links:
            solid = QColor(color)
            solid.setAlphaF(min(1.0, color.alphaF() + 0.25))
            painter.fillRect(
                QRectF(2, 1 + top * scale, width - 6, max(2.0, (bottom - top) * scale)), solid
            )
        for top, bottom, color in tags:
            painter.fillRect(
                QRectF(width - 4, 1 + top * scale, 3, max(3.0, (bottom - top) * scale)), color
            )
        view_top, view_bottom = self._source.visible_doc_range()
        frame = QRectF(
            0.5, 1 + view_top * scale, width - 1, max(4.0, (view_bottom - view_top) * scale)
        )
        shade = QColor(palette.color(QPalette.ColorRole.Text))
        shade.setAlphaF(0.12)
        painter.fillRect(frame, shade)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 1.5))
        painter.drawRect(frame.adjusted(0.5, 0, -0.5, 0))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._jump(event.position().y())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._jump(event.position().y())

    def _jump(self, y: float) -> None:
        height = max(1, self.height() - 2)
        self.jumpRequested.emit(min(1.0, max(0.0, (y - 1) / height)))
