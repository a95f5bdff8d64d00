"""Reference cycles are collected on the GUI thread, never by an alignment worker.

A worker that allocates (finding related links does) used to trigger Python's
cyclic collector on its own thread, which destroyed the GUI's QObjects caught
in cycles there; a QTimer destroyed off its thread stays registered and later
fires on freed memory. The UI suite segfaulted that way.
"""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QTimer

from reader.core.articles import article_from_text
from reader.ui.workers import AlignmentService


class Allocating:
    """An aligner that allocates enough tracked objects to pass the collector's threshold, and keeps them."""

    def __init__(self) -> None:
        self.kept: list = []
        self.thread: str | None = None

    def align(self, a, b, threshold=0.35, progress=None, cancelled=None, kinds=None):
        self.thread = threading.current_thread().name
        self.kept.append([[] for _ in range(20 * gc.get_threshold()[0])])
        return []


class Cycle:
    """A GUI object with a running timer, kept alive only by a reference cycle."""

    def __init__(self) -> None:
        self.me = self
        self.timer = QTimer()
        self.timer.timeout.connect(self.tick)
        self.timer.start(60_000)

    def tick(self) -> None:
        pass


def test_a_reference_cycle_dropped_while_a_worker_aligns_dies_on_the_gui_thread(qtbot, qtlog):
    service = AlignmentService()
    aligner = Allocating()
    service.set_aligner(aligner)
    a, b = (
        article_from_text("One sentence here.\n", "a"),
        article_from_text("Another one there.\n", "b"),
    )
    died_on: list[str] = []
    gc.collect()  # the cycle below starts in a fresh youngest generation
    cycle = Cycle()
    watch = weakref.ref(cycle, lambda _ref: died_on.append(threading.current_thread().name))
    del cycle
    with qtbot.waitSignal(service.aligned, timeout=10_000):
        service.request(a, b, 0.35)
    qtbot.waitUntil(lambda: bool(died_on), timeout=10_000)
    assert watch() is None
    assert aligner.thread != threading.main_thread().name  # the allocations were the worker's
    assert died_on == [threading.main_thread().name]
    assert not [m for m in qtlog.records if "another thread" in m.message]


def test_full_collections_are_spaced_by_their_cost_the_others_follow_the_thresholds():
    from reader.ui.workers import FULL_COLLECTION_SPACING, generation_to_collect

    thresholds = (700, 10, 10)
    assert generation_to_collect((100, 0, 0), thresholds, 0.0, 0.0) is None
    assert generation_to_collect((701, 3, 0), thresholds, 0.0, 0.0) == 0
    assert generation_to_collect((701, 11, 3), thresholds, 0.0, 0.0) == 1
    # A full collection that took 0.1 s waits for FULL_COLLECTION_SPACING times that:
    # an explicit gc.collect(2) skips CPython's own spacing of full collections, and with
    # a big corpus's links each one held the GUI thread ~0.1 s.
    assert generation_to_collect((701, 11, 11), thresholds, 1.0, 0.1) == 1
    assert generation_to_collect((701, 11, 11), thresholds, FULL_COLLECTION_SPACING * 0.1, 0.1) == 2
    assert generation_to_collect((701, 11, 11), thresholds, 0.0, 0.0) == 2  # none yet: no wait
    # While a corpus aligns the young generation is collected whatever its count (old pairs
    # replaced by new ones keep the count of allocations less deallocations low).
    assert generation_to_collect((100, 0, 0), thresholds, 0.0, 0.0, young_due=True) == 0
