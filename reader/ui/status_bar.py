"""The status bar's alignment corner: what is linked, and background progress with Cancel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from reader.ui.icons import icon


class AlignmentStatus(QWidget):
    """Shows "N passages linked · a % of left · b % of right", or progress while aligning."""

    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setObjectName("LinkSummary")
        self.summary.setAccessibleName("Linked passages")
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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(8)
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
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(min(done, total))
        self.progress.setToolTip(f"Comparing {what}")

    def set_summary(self, text: str, tooltip: str = "") -> None:
        self.summary.setText(text)
        self.summary.setToolTip(tooltip)
