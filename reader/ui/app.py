"""Entry points for the desktop reader: run the window, or render it to a PNG."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import reader

SCREENSHOT_TIMEOUT_MS = 60_000


def seeds_folder() -> Path:
    """The sample corpus shipped next to the package."""
    return Path(reader.__file__).resolve().parent.parent / "seeds"


def _application(argv: Sequence[str] | None = None):
    from PySide6.QtWidgets import QApplication

    from reader.ui.icons import icon, style_sheet

    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv or [sys.argv[0] if sys.argv else "source-reader"]))
    assert isinstance(app, QApplication)  # widgets need a QApplication, not a QCoreApplication
    app.setApplicationName("Source Reader")
    app.setOrganizationName("SourceReader")
    # No applicationDisplayName: on X11 and Windows Qt appends it to every
    # window title, giving "Source Reader — seeds — Source Reader".
    app.setWindowIcon(icon("app"))
    app.setStyleSheet(style_sheet())
    return app


def run_gui(paths: list[str]) -> int:
    """Open the window on ``paths`` (none: the bundled seeds/) and run until it closes.

    A folder opens as a corpus; files open as a corpus of their own. Returns the
    application's exit code.
    """
    from reader.ui.main_window import MainWindow
    from reader.ui.settings import Settings

    app = _application()
    window = MainWindow(Settings())
    window.show()
    window.open_paths(list(paths) or [str(seeds_folder())])
    return int(app.exec())


def save_screenshot(png_path: str, paths: list[str], size: tuple[int, int] = (1400, 900)) -> int:
    """Render the window offscreen on ``paths`` (none: seeds/) with the pair that shares
    most shown, once alignment has finished, and save it as a PNG. Returns 0 on success."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, qInstallMessageHandler

    # The offscreen platform warns about window hints it cannot honour; the
    # warning says nothing about the picture, so it is not passed on.
    previous = qInstallMessageHandler(_quiet_offscreen)

    from reader.ui.main_window import MainWindow

    app = _application()
    # No Settings: a screenshot neither reads nor changes what the person's window remembers.
    window = MainWindow(settings=None)
    window.resize(*size)
    window.show()
    if not window.open_paths(list(paths) or [str(seeds_folder())]):
        return 1
    _wait_until(lambda: not window.alignments.is_busy(), SCREENSHOT_TIMEOUT_MS)
    # The corpus map catches up with arrived pairs on a timer; shown stale, it contradicts the panes.
    _wait_until(lambda: not window.corpus_refresh_pending(), SCREENSHOT_TIMEOUT_MS)
    window.comparison.select_link(0) if window.comparison.links() else None
    for _ in range(5):  # let layouts settle and the link map repaint
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    pixmap = window.grab()
    ok = pixmap.save(str(png_path), "PNG")
    window.tagging.store = None  # nothing to save from a screenshot
    window.close()
    window.deleteLater()
    qInstallMessageHandler(previous)
    return 0 if ok else 1


def _quiet_offscreen(mode, context, message: str) -> None:
    if "propagateSizeHints" in message:
        return
    sys.stderr.write(message + "\n")


def _wait_until(done, timeout_ms: int) -> bool:
    from PySide6.QtCore import QElapsedTimer, QEventLoop
    from PySide6.QtWidgets import QApplication

    clock = QElapsedTimer()
    clock.start()
    while not done():
        if clock.elapsed() > timeout_ms:
            return False
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return True
