"""The status bar's alignment corner: what is linked (per kind), a legend of the two
kinds of link, and background progress with Cancel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from reader.core.align import COPIED, RELATED
from reader.core.corrections import MANUAL
from reader.ui import highlight
from reader.ui.icons import icon


class LinkLegend(QWidget):
    """Two swatches drawn as the link map draws bands: "copied wording" and
    "same fact, other words"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LinkLegend")
        self.setAccessibleName("Legend of linked passages")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.swatches: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        for kind in (COPIED, RELATED, MANUAL):
            swatch, label = QLabel(), QLabel(highlight.KIND_NAMES[kind])
            swatch.setObjectName(f"LegendSwatch_{kind}")
            label.setObjectName(f"Legend_{kind}")
            self.swatches[kind], self.labels[kind] = swatch, label
            label.setMinimumWidth(40)  # a narrow window clips the legend, not the window
            layout.addWidget(swatch)
            layout.addWidget(label)
            if kind != MANUAL:
                layout.addSpacing(8)
        self._related_note = ""
        self.set_related_state(shown=True)
        self._paint_swatches()

    def _paint_swatches(self) -> None:
        for kind, swatch in self.swatches.items():
            swatch.setPixmap(highlight.legend_pixmap(self.palette(), kind))

    def set_related_state(self, shown: bool, note: str = "") -> None:
        """Say whether related links are drawn; ``note`` (why they are unavailable)
        greys the entry and becomes its tooltip."""
        label = self.labels[RELATED]
        name = highlight.KIND_NAMES[RELATED]
        label.setText(name if shown and not note else f"{name} ({'off' if note else 'hidden'})")
        label.setForegroundRole(
            QPalette.ColorRole.WindowText
            if shown and not note
            else QPalette.ColorRole.PlaceholderText
        )
        self.swatches[RELATED].setEnabled(shown and not note)
        tip = "Related passages: the same fact told in other words (dotted underline, hatched band)"
        label.setToolTip(f"{tip}\n{note}" if note else tip)
        self.labels[COPIED].setToolTip(
            "Copied wording: passages that share their words (solid band)"
        )
        self.labels[MANUAL].setToolTip(
            "Linked by you: passages you linked by hand (green, dotted edge); "
            "Ctrl+K links the selected passages, Ctrl+Shift+K rejects a link"
        )

    def related_text(self) -> str:
        return self.labels[RELATED].text()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._paint_swatches()


class AlignmentStatus(QWidget):
    """Shows "N passages linked · a % of left · b % of right", or progress while aligning."""

    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setObjectName("LinkSummary")
        self.summary.setAccessibleName("Linked passages")
        # The status bar's width is the window's minimum: in a narrow window the
        # summary is clipped (its tooltip keeps the whole) rather than the window widened.
        self.summary.setMinimumWidth(120)
        self.progress = QProgressBar()
        self.progress.setObjectName("AlignmentProgress")
        self.progress.setAccessibleName("Alignment progress")
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(True)
        self.progress.setFormat("Comparing… %p%")
        self.cancel = QToolButton()
        self.cancel.setObjectName("CancelAlignment")
        self.cancel.setText("Cancel")
        self.cancel.setIcon(icon("cancel"))
        self.cancel.setToolTip("Stop comparing in the background")
        self.cancel.setAccessibleName("Cancel alignment")
        self.cancel.clicked.connect(self.cancelRequested)
        self.legend = LinkLegend(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(8)
        layout.addWidget(self.legend)
        layout.addSpacing(6)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel)
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)

    def set_progress(self, done: int, total: int, what: str) -> None:
        # QProgressBar.setValue repaints at once when its text changes, and a repaint
        # paints every region of the window waiting to be painted: 20 ms of list and panes
        # inside the signal that shows the first pair of 1,000 articles. With updates
        # off it paints nothing now; turning them on again asks for an ordinary repaint.
        self.progress.setUpdatesEnabled(False)
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(min(done, total))
        self.progress.setUpdatesEnabled(True)
        self.progress.setToolTip(f"Comparing {what}")

    def set_summary(self, text: str, tooltip: str = "") -> None:
        self.summary.setText(text)
        self.summary.setToolTip(tooltip)
