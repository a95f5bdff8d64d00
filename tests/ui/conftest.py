"""Shared fixtures for the desktop tests: offscreen Qt, private QSettings, a copy of seeds/.

Tests never write into the repository's seeds/ and never touch the real
home directory's settings.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ALIGN_TIMEOUT_MS = 30_000


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory, monkeypatch):
    """Point QSettings (native and INI, user and system scope) at a fresh folder."""
    folder = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, str(folder))
    yield folder


@pytest.fixture(autouse=True)
def align_in_a_thread(monkeypatch):
    """Background pairs align in a thread of the test's process, where tests can stand in
    for the aligner; ``test_worker_process`` runs the real worker process."""
    from reader.ui import workers

    monkeypatch.setattr(workers, "ALIGN_IN_WORKER_PROCESS", False)


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    """A private copy of seeds/ (articles only, no annotation file)."""
    target = tmp_path / "seeds"
    target.mkdir()
    for path in SEEDS.iterdir():
        if path.is_file() and path.suffix == ".txt":
            shutil.copy2(path, target / path.name)
    return target


class Dialogs:
    """Records the message boxes a test caused, instead of showing them."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []  # (kind, title, text)
        self.answer = QMessageBox.StandardButton.Cancel

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.shown]

    def texts(self) -> str:
        return "\n".join(text for _, _, text in self.shown)


@pytest.fixture(autouse=True)
def dialogs(monkeypatch) -> Dialogs:
    """Every QMessageBox a test raises is recorded; question() answers ``dialogs.answer``."""
    record = Dialogs()

    def recorder(kind):
        def show(parent, title, text, *args, **kwargs):
            record.shown.append((kind, title, text))
            return record.answer if kind == "question" else QMessageBox.StandardButton.Ok

        return staticmethod(show)

    for kind in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, recorder(kind))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda *a, **k: None))
    return record


def _wait_for_alignment(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.alignments.is_busy(), timeout=ALIGN_TIMEOUT_MS)


@pytest.fixture
def wait_for_alignment(qtbot):
    """Call with a window: returns once its background alignment is idle."""
    return lambda window: _wait_for_alignment(qtbot, window)


@pytest.fixture
def make_window(qtbot):
    """Build a shown main window with remembered settings, opened on ``paths``."""
    from reader.ui.main_window import MainWindow
    from reader.ui.settings import Settings

    made = []

    def make(paths=None, size=(1400, 900), wait=True):
        window = MainWindow(Settings())
        qtbot.addWidget(window)
        made.append(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        if paths is not None:
            assert window.open_paths([str(p) for p in paths])
            if wait:
                _wait_for_alignment(qtbot, window)
        return window

    yield make
    # A test that opened another corpus may leave pairs aligning in the
    # background; their queued progress signals must reach the window before
    # it is deleted, not land in the next test's event loop.
    from PySide6.QtWidgets import QApplication

    for window in made:
        window.alignments.cancel()
        window.alignments.wait_for_done(30_000)
    QApplication.processEvents()


@pytest.fixture
def window(make_window, corpus_dir):
    """The main window on a private copy of the seeds, background alignment finished."""
    return make_window([corpus_dir])
