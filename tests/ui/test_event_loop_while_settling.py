"""The window keeps its event loop turning while a generated corpus aligns (issue #8), and a
pair aligned in the background without word runs gets them when the reader opens it."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from reader.core.align import Aligner
from reader.core.comparison import PairKey
from reader.core.corpus_generator import write_corpus


def write_plain_corpus(folder, count: int, seed: int) -> None:
    """A generated corpus of word salad, as these tests measure alignment, not the sentence
    model: where the generator can also write prose (``prose=``), ask it not to."""
    import inspect

    extra = {"prose": False} if "prose" in inspect.signature(write_corpus).parameters else {}
    write_corpus(folder, count, seed=seed, **extra)


class WorkerTimeBetweenTicks:
    """The longest time the GUI thread went without an event-loop tick, told in the worker
    thread's CPU time: how much aligning the worker got done between two ticks.

    A 0 ms timer fires whenever the event loop turns; while the GUI thread is blocked
    (a long slot, a repaint waiting for the GIL) the worker goes on aligning. The
    worker's own CPU clock, read at each tick, counts the work done, not the seconds a
    loaded machine takes: both threads slow down alike.
    """

    def __init__(self) -> None:
        self.clock: int | None = None  # the worker thread's CPU clock, once it aligns
        self.pairs = 0  # pairs the worker aligned (written by the worker thread only)
        self._at_last_tick = 0.0
        self.longest = 0.0  # worker CPU seconds between two ticks, at most
        self.timer = QTimer()
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._tick)

    def watch_this_thread(self) -> None:
        """Called by the worker: its CPU clock is the one read at each tick."""
        if self.clock is None:
            self.clock = time.pthread_getcpuclockid(threading.get_ident())

    def _tick(self) -> None:
        if self.clock is None:
            return
        worked = time.clock_gettime(self.clock)
        if self._at_last_tick:
            self.longest = max(self.longest, worked - self._at_last_tick)
        self._at_last_tick = worked


def test_the_event_loop_keeps_turning_while_a_generated_corpus_aligns(
    make_window, tmp_path, qtbot, monkeypatch
):
    folder = tmp_path / "stories"
    write_plain_corpus(folder, 300, seed=2)
    meter = WorkerTimeBetweenTicks()
    real_align = Aligner.align

    def align(self, *args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            meter.watch_this_thread()
            meter.pairs += 1
        return real_align(self, *args, **kwargs)

    monkeypatch.setattr(Aligner, "align", align)
    window = make_window(None)
    meter.timer.start()
    assert window.open_paths([folder])
    qtbot.waitUntil(lambda: not window.alignments.is_busy(), timeout=300_000)
    meter.timer.stop()
    assert meter.pairs > 500, meter.pairs  # the corpus's candidate pairs, in the background
    # Before the switch interval was 0.1 ms, each return of the GUI thread from Qt into
    # Python waited up to 1 ms for the worker to give up the GIL, and one repaint of the
    # article list is hundreds of such returns: the worker aligned for 0.1-0.3 s between
    # two ticks of the event loop (0.25-0.48 s on 1,000 articles).
    assert meter.longest < 0.1, meter.longest


def test_a_background_pair_is_aligned_with_its_word_runs_when_shown(
    make_window, tmp_path, qtbot, wait_for_alignment
):
    folder = tmp_path / "stories"
    write_plain_corpus(folder, 24, seed=3)
    window = make_window([folder])
    store = window.alignments.store
    article = window.corpus.article
    # Pairs the corpus aligned in the background (never shown), with copied links.
    linked = [s for s in store.summaries(window.threshold()) if s.links]
    background = [
        s
        for s in linked
        if not store.has_wording(s.key) and set(window.shown_ids()) != {s.key.a_id, s.key.b_id}
    ]
    assert len(background) >= len(linked) - 3, (len(background), len(linked))
    background = background[0]
    a, b = article(background.key.a_id), article(background.key.b_id)
    kept = store.get(a, b, window.threshold())
    assert kept is not None and not kept.wording
    assert all(not link.matches for link in kept if link.kind == "copied")
    # The panes do not take such links: the word-level marks would be missing.
    assert window.alignments.cached(a, b, window.threshold()) is None

    window.show_pair(a.id, b.id)
    wait_for_alignment(window)
    links = window.current_links()
    copied = [link for link in links if link.kind == "copied"]
    assert copied and all(link.matches for link in copied)
    assert window.comparison.links() and any(link.matches for link in window.comparison.links())
    key, _ = PairKey.of(a, b, window.threshold())
    assert store.has_wording(key)
    # The shares the corpus map showed for the pair do not change with the word runs.
    assert store.summary_of(key) == background


def test_the_corpus_copied_links_settle_before_related_links_are_looked_for(
    make_window, tmp_path, qtbot, monkeypatch
):
    from reader.core import embedding, related

    if embedding.unavailable_reason():
        pytest.skip(f"no sentence model: {embedding.unavailable_reason()}")
    folder = tmp_path / "stories"
    write_plain_corpus(folder, 30, seed=5)
    # Every pair counts as prose and the related matcher answers at once: the test is about
    # the order of the work, not the sentence model.
    monkeypatch.setattr(related, "is_prose", lambda article: True)
    monkeypatch.setattr(Aligner, "related", lambda self, a, b, basis, threshold, cancelled=None: [])
    calls: list[str] = []
    real_align = Aligner.align

    def align(self, a, b, *args, sentence_model=True, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            calls.append("all" if sentence_model else "copied")
        return real_align(self, a, b, *args, sentence_model=sentence_model, **kwargs)

    monkeypatch.setattr(Aligner, "align", align)
    window = make_window(None)
    at_copied: list[tuple[bool, set, set]] = []  # busy?, the pair shown, the best pair
    window.alignments.copiedSettled.connect(
        lambda: at_copied.append(
            (
                window.alignments.is_busy(),
                set(window.shown_ids()),
                set(window.best_pair() or ()),
            )
        )
    )
    assert window.open_paths([folder])
    qtbot.waitUntil(lambda: not window.alignments.is_busy(), timeout=300_000)
    # The pair sharing most was shown as soon as the copied links were in, while the
    # related pass still ran.
    assert len(at_copied) == 1
    busy, shown, best = at_copied[0]
    assert busy and best and shown == best
    candidates = len(window.alignments.candidate_list)
    background_copied = [n for n, kind in enumerate(calls) if kind == "copied"]
    second_pass = [n for n, kind in enumerate(calls) if kind == "all"]
    # Every candidate pair's copied links first (minus the pairs shown, aligned in full)...
    assert len(background_copied) >= candidates - 3
    assert second_pass and len(second_pass) >= candidates - 3
    # ... and the related pass only after the last of them: the first "all" calls are the
    # shown pairs', asked for while the copied pass ran.
    late = [n for n in second_pass if n > background_copied[-1]]
    assert len(late) >= candidates - 3


def test_workers_wait_while_the_window_paints(make_window, qtbot):
    # A repaint returns from Qt into Python hundreds of times; a worker thread taking the
    # GIL back between them stretched each repaint of a big folder's list.
    from PySide6.QtCore import QEvent, QObject

    from reader.ui import workers

    window = make_window(None)
    seen: list[bool] = []

    class PaintWatcher(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                seen.append(workers._gui_thread_idle.is_set())
            return False

    watcher = PaintWatcher()
    list_view = window.article_dock.view.viewport()
    list_view.installEventFilter(watcher)
    list_view.update()
    qtbot.waitUntil(lambda: bool(seen))  # the window's first paints, shown or not
    seen.clear()
    list_view.update()
    qtbot.waitUntil(lambda: bool(seen))
    list_view.removeEventFilter(watcher)
    assert seen and not any(seen)  # the gate was closed during each paint
    assert workers._gui_thread_idle.is_set()  # and open again after


def test_a_folder_opened_as_the_window_appears_is_read_after_its_first_paint(
    qtbot, tmp_path, monkeypatch
):
    # Read from the start, the files took turns at the GIL with the window's first paint
    # (60-160 ms of wall clock for 21-78 ms of CPU on 1,000 articles).
    from PySide6.QtCore import QEvent, QObject

    from reader.ui.main_window import READ_AT_ONCE_LIMIT, MainWindow

    folder = tmp_path / "stories"
    count = READ_AT_ONCE_LIMIT + 20  # a folder read in the background, the list filling
    write_plain_corpus(folder, count, seed=4)
    happened: list[str] = []

    class PaintWatcher(QObject):
        def eventFilter(self, watched, event):
            # Any of the window's widgets painted (the repaint requests before the window is
            # exposed paint nothing)
            if event.type() == QEvent.Type.Paint and "paint" not in happened:
                happened.append("paint")
            return False

    from reader.core import articles as core_articles

    real_load_all = core_articles._load_all

    def load_all(*args, **kwargs):  # on the reading thread
        happened.append("read")
        return real_load_all(*args, **kwargs)

    monkeypatch.setattr(core_articles, "_load_all", load_all)
    # Not started by the fallback on a slow machine: by the paint, or never.
    from reader.ui.workers import AlignmentService

    monkeypatch.setattr(AlignmentService, "HELD_AT_MOST_MS", 120_000)
    window = MainWindow(None)
    qtbot.addWidget(window)
    watcher = PaintWatcher()
    QApplication.instance().installEventFilter(watcher)
    window.show()
    assert window.open_paths([folder])
    # Busy at once: the progress and its Cancel are shown before a file is read.
    assert window.alignment_status.cancel.isVisibleTo(window)
    qtbot.waitUntil(lambda: window.corpus is not None, timeout=60_000)
    QApplication.instance().removeEventFilter(watcher)
    assert happened[0] == "paint" and "read" in happened, happened
    assert len(window.corpus.articles) == count
