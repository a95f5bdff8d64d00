"""Icons and the style sheet, read from the reader.resources package."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer


def _resources():
    return files("reader.resources")


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg``; an empty icon if it is missing."""
    resource = _resources() / "icons" / f"{name}.svg"
    if not resource.is_file():
        return QIcon()
    if isinstance(resource, Path):
        return QIcon(str(resource))
    # Installed as a zip: render the bytes instead of reading a path.
    renderer = QSvgRenderer(QByteArray(resource.read_bytes()))
    result = QIcon()
    for size in (16, 24, 32, 48):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result


def style_sheet() -> str:
    """The application style sheet, ``resources/style.qss``."""
    resource = _resources() / "style.qss"
    return resource.read_text(encoding="utf-8") if resource.is_file() else ""
