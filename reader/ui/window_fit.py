"""Fitting the window's docks and toolbars to its size.

QMainWindow left alone squeezes whichever dock it meets first when the window
narrows (the article list went down to ~70 px at 800x600, its columns gone),
never gives that width back when the window grows again, and hides toolbar
buttons behind a » menu rather than starting a second row. Here:

- each side dock has a preferred width (its default, or what the reader last
  dragged it to) and gets it back, within a share of the window's width, every
  time the window's size settles;
- toolbars that do not fit in one row wrap onto the next, so every button
  (the tag buttons are the legend of the marks) stays on screen;
- below ``STACK_BELOW`` pixels three columns leave each pane a few words a
  line, so the right dock moves under the left one (a tab beside the corpus
  map) and goes back when the window is wide again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QToolBar

# The most of the window's width one side dock takes when the window is too
# narrow for its preferred width: the panes keep the rest.
MAX_DOCK_SHARE = 0.26
STACK_BELOW = 1000


class WindowFit(QObject):
    """Keeps ``docks`` near their preferred widths and ``toolbars`` wrapped to the window."""

    def __init__(
        self,
        window: QMainWindow,
        docks: dict[QDockWidget, tuple[int, int]],
        toolbars: list[QToolBar],
        stack: tuple[QDockWidget, QDockWidget] | None = None,
    ) -> None:
        """``docks`` maps each side dock to its (minimum, preferred) width in pixels;
        ``stack`` is (right dock, left dock it becomes a tab of in a narrow window)."""
        super().__init__(window)
        self._window = window
        self._stack = stack
        self._stacked = False  # this class moved the right dock under the left one
        self._preferred = {dock: preferred for dock, (_, preferred) in docks.items()}
        for dock, (minimum, _) in docks.items():
            dock.setMinimumWidth(minimum)
        self._toolbars = list(toolbars)
        self._settling = False  # the window's own resize is moving the docks
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        window.installEventFilter(self)
        for dock in self._preferred:
            dock.installEventFilter(self)
        self.fit()  # the size the window starts with (remembered, or the first start's)

    def preferred_width(self, dock: QDockWidget) -> int:
        return self._preferred[dock]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched is self._window and self._stacked:
            # The window saves its layout as it closes: save the reader's, not the
            # stacking of a narrow window (fitted again if the close is refused).
            self._unstack()
            self._timer.start()
        if isinstance(event, QResizeEvent):
            if watched is self._window:
                self._settling = True
                self._timer.start()
            elif (
                not self._settling
                # Only the reader's drag moves a dock with a mouse button held; the
                # layout's own resizes (this class's included) come without one.
                and QApplication.mouseButtons() & Qt.MouseButton.LeftButton
                and isinstance(watched, QDockWidget)
                and watched.isVisible()
                and not watched.isFloating()
                and event.oldSize().width() > 0
                and event.size().width() != event.oldSize().width()
            ):
                # The reader dragged the dock's edge: that is its width from now on.
                self._preferred[watched] = event.size().width()
        return False

    def fit(self) -> None:
        """Wrap the toolbars and give the docks their widths for the current window size."""
        try:
            self._wrap_toolbars()
            self._stack_docks()
            self._size_docks()
        finally:
            self._settling = False

    def _wrap_toolbars(self) -> None:
        window = self._window
        room = window.width()
        used = 0
        for bar in self._toolbars:
            if bar.isHidden() or window.toolBarArea(bar) != Qt.ToolBarArea.TopToolBarArea:
                continue
            width = bar.sizeHint().width()
            wrap = used > 0 and used + width > room
            if wrap != window.toolBarBreak(bar):
                if wrap:
                    window.insertToolBarBreak(bar)
                else:
                    window.removeToolBarBreak(bar)
            used = width if wrap else used + width

    def is_stacked(self) -> bool:
        return self._stacked

    def _stack_docks(self) -> None:
        if self._stack is None:
            return
        window, (moving, under) = self._window, self._stack
        narrow = window.width() < STACK_BELOW
        if narrow and not self._stacked:
            # Only the layout this class knows: a dock the reader moved stays put.
            if (
                moving.isHidden()
                or moving.isFloating()
                or window.dockWidgetArea(moving) != Qt.DockWidgetArea.RightDockWidgetArea
                or under.isHidden()
                or under.isFloating()
            ):
                return
            window.tabifyDockWidget(under, moving)
            moving.raise_()
            self._stacked = True
            # The column now holds the article list and these tabs: the list keeps
            # room for a few articles rather than the one row a tabbed dock leaves it.
            above = [
                dock
                for dock in self._preferred
                if dock is not moving
                and window.dockWidgetArea(dock) == window.dockWidgetArea(under)
            ]
            if above:
                height = window.height()
                window.resizeDocks(
                    [above[0], under], [height // 2, height // 2], Qt.Orientation.Vertical
                )
        elif not narrow and self._stacked:
            self._unstack()

    def _unstack(self) -> None:
        assert self._stack is not None
        window, (moving, under) = self._window, self._stack
        self._stacked = False
        if window.dockWidgetArea(moving) == window.dockWidgetArea(under):
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, moving)
            moving.show()

    def _size_docks(self) -> None:
        docks, widths, areas = [], [], set()
        bound = int(self._window.width() * MAX_DOCK_SHARE)
        for dock, preferred in self._preferred.items():
            area = self._window.dockWidgetArea(dock)
            if dock.isHidden() or dock.isFloating() or area in areas:
                continue  # two docks stacked in one column: the first one's width is the column's
            areas.add(area)
            docks.append(dock)
            widths.append(max(dock.minimumSizeHint().width(), min(preferred, bound)))
        if docks:
            self._window.resizeDocks(docks, widths, Qt.Orientation.Horizontal)
