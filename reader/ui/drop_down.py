"""A combo box whose list drops down below it at a readable width.

Qt's default (Fusion) places the list over the combo box with the current
item on top, as tall as the screen allows, and as wide as the longest
headline: with news titles that is the whole screen, covering the toolbar
and both panes. Here the list opens below the box (above only when there is
no room), shows at most ``MAX_VISIBLE_ITEMS`` rows, and is no wider than the
box or ``MAX_POPUP_WIDTH`` pixels, whichever is wider; longer titles are
elided in the middle and shown whole in their tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QProxyStyle, QStyle, QWidget

MAX_POPUP_WIDTH = 480
MAX_VISIBLE_ITEMS = 15


class _DropDownStyle(QProxyStyle):
    """The application's style, except that a combo box's list drops down."""

    def styleHint(self, hint, option=None, widget=None, return_data=None):
        if hint == QStyle.StyleHint.SH_ComboBox_Popup:
            return 0
        return super().styleHint(hint, option, widget, return_data)


class DropDown(QComboBox):
    """A QComboBox whose list drops down below it, bounded in width and height."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style = _DropDownStyle()
        style.setParent(self)  # a widget does not own the style it is given
        self.setStyle(style)
        self.setMaxVisibleItems(MAX_VISIBLE_ITEMS)
        self.view().setTextElideMode(Qt.TextElideMode.ElideMiddle)

    def popup_width(self) -> int:
        """The widest the list may be: the box's width or MAX_POPUP_WIDTH, whichever is wider."""
        return max(self.width(), MAX_POPUP_WIDTH)

    def showPopup(self) -> None:
        super().showPopup()
        popup = self.view().window()
        if popup is self.window():
            return
        view = self.view()
        # The list's own width (Qt gives it the box's): its longest item, up to the bound.
        needed = view.sizeHintForColumn(0) + 2 * view.frameWidth() + 8
        if view.verticalScrollBar().isVisible():
            needed += view.verticalScrollBar().sizeHint().width()
        width = max(self.width(), min(max(popup.width(), needed), self.popup_width()))
        geometry = popup.geometry()
        x = geometry.x()
        screen = self.screen()
        if screen is not None:
            right = screen.availableGeometry().right()
            x = max(screen.availableGeometry().left(), min(x, right - width + 1))
        else:
            x = self.mapToGlobal(QPoint(0, 0)).x()
        popup.setGeometry(x, geometry.y(), width, geometry.height())
