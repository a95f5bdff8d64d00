"""Alignment off the GUI thread, with progress, cancel and a cache per pair.

The window asks ``AlignmentService`` for the links of a pair at a minimum
similarity. A cached answer comes back at once; otherwise a job is queued on a
one-thread QThreadPool (alignment is pure Python: more threads would only fight
over the GIL) and the answer arrives later through ``aligned``. The GUI never
waits on a job.

Pairs are cached in one canonical order (article ids sorted) and flipped when
the window shows them the other way round, so a swap costs nothing.
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Sequence

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Links = list  # list[reader.core.align.Link]

# Alignment is pure Python, so the worker holds the GIL whenever it runs. With
# the default 5 ms switch interval the GUI thread was measured going without
# the GIL for a whole 200 ms alignment (no timer tick in between); at 1 ms it
# ticks throughout. Process-wide, set once by the first AlignmentService.
GIL_SWITCH_INTERVAL_S = 0.001


def share_gil_with_gui() -> None:
    """Let the GUI thread take the GIL back quickly while a worker computes."""
    if sys.getswitchinterval() > GIL_SWITCH_INTERVAL_S:
        sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


@dataclass(frozen=True)
class PairKey:
    """One pair of articles at one minimum similarity, in canonical order."""

    a_id: str
    a_sha: str
    b_id: str
    b_sha: str
    threshold: float

    @staticmethod
    def of(a: Any, b: Any, threshold: float) -> tuple["PairKey", bool]:
        """The canonical key for (a, b) and whether a, b came in flipped order."""
        flipped = b.id < a.id
        first, second = (b, a) if flipped else (a, b)
        key = PairKey(first.id, first.sha256, second.id, second.sha256, round(float(threshold), 4))
        return key, flipped


def flip_links(links: Iterable[Any]) -> list[Any]:
    """The same links seen from the other side: A and B exchanged, sorted by the new A."""
    flipped = [
        replace(
            link,
            a_sentences=link.b_sentences,
            b_sentences=link.a_sentences,
            a_span=link.b_span,
            b_span=link.a_span,
            matches=tuple((b, a, n) for a, b, n in link.matches),
        )
        for link in links
    ]
    flipped.sort(key=lambda link: (link.a_span, link.b_span))
    return flipped


def linked_share(article: Any, spans: Iterable[tuple[int, int]]) -> float:
    """The share (0..1) of the article's sentence characters inside any of ``spans``."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    total = covered = 0
    first = 0  # merged spans and sentences are both in text order: one sweep
    for sentence in article.sentences:
        total += sentence.end - sentence.start
        while first < len(merged) and merged[first][1] <= sentence.start:
            first += 1
        for start, end in merged[first:]:
            if start >= sentence.end:
                break
            covered += max(0, min(end, sentence.end) - max(start, sentence.start))
    return covered / total if total else 0.0


class _JobSignals(QObject):
    progress = Signal(object, int, int)   # key, done, total
    finished = Signal(object, object)      # key, links
    cancelled = Signal(object)
    failed = Signal(object, str)


class _AlignJob(QRunnable):
    """Align one pair in canonical order; report through ``signals``."""

    def __init__(self, aligner: Any, key: PairKey, a: Any, b: Any) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.key = key
        self.signals = _JobSignals()
        self._aligner, self._a, self._b = aligner, a, b
        self._stop = threading.Event()
        self._last_step = -1

    def cancel(self) -> None:
        self._stop.set()

    def _progress(self, done: int, total: int) -> None:
        # Report at most ~100 steps: a queued signal per sentence would flood
        # the GUI thread's event queue on a 4,000-sentence article.
        step = (100 * done) // max(1, total)
        if step != self._last_step:
            self._last_step = step
            self.signals.progress.emit(self.key, done, total)

    def run(self) -> None:
        from reader.core.align import AlignmentCancelled

        try:
            links = self._aligner.align(
                self._a, self._b, threshold=self.key.threshold,
                progress=self._progress, cancelled=self._stop.is_set,
                # Copied links only until the window draws related ones (issue #7,
                # branch relui): with the model running in this worker the UI
                # suite crashed (segfault in test_comparison, not yet understood).
                kinds=("copied",),
            )
        except AlignmentCancelled:
            self.signals.cancelled.emit(self.key)
        except Exception as error:  # shown to the person as a message, not a crash
            self.signals.failed.emit(self.key, f"{self._a.path.name} and {self._b.path.name}: {error}")
        else:
            if self._stop.is_set():
                self.signals.cancelled.emit(self.key)
            else:
                self.signals.finished.emit(self.key, list(links))


class _PrepareSignals(QObject):
    finished = Signal(object)   # the Aligner
    failed = Signal(str)


class _PrepareJob(QRunnable):
    """Split every article into sentences and build the corpus Aligner.

    Splitting is the slow part of opening long articles (pysbd, about a second
    per 4,000 sentences); done here, the window keeps painting meanwhile.
    """

    key = None

    def __init__(self, articles: Sequence[Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = _PrepareSignals()
        self._articles = list(articles)

    def cancel(self) -> None:
        pass  # cheap compared with alignment; a stale result is dropped by the service

    def run(self) -> None:
        from reader.core.align import Aligner

        try:
            for article in self._articles:
                article.sentences  # noqa: B018 - fills the cached property off the GUI thread
            aligner = Aligner(self._articles)
        except Exception as error:  # shown to the person as a message, not a crash
            self.signals.failed.emit(f"The articles could not be prepared for comparison: {error}")
        else:
            self.signals.finished.emit(aligner)


class AlignmentService(QObject):
    """Queue, run, cancel and cache pair alignments for one corpus."""

    ready = Signal()                        # the corpus is split and its Aligner built
    aligned = Signal(object, object)        # PairKey, links (canonical order)
    progress = Signal(int, int, str)        # done, total, what is being aligned
    busyChanged = Signal(bool)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        share_gil_with_gui()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._aligner: Any = None
        self._cache: dict[PairKey, list] = {}
        self._queue: deque[tuple[PairKey, Any, Any]] = deque()
        self._running: _AlignJob | None = None
        self._jobs: set[_AlignJob] = set()  # keep Python wrappers (and their signals) alive
        self._busy = False
        self._preparing: _PrepareJob | None = None
        self._generation = 0

    # -- corpus -----------------------------------------------------------
    def set_aligner(self, aligner: Any) -> None:
        """Start over with an Aligner already built: cancel everything, forget the cache."""
        self.cancel()
        self._aligner = aligner
        self._cache.clear()

    def prepare(self, articles: Sequence[Any]) -> None:
        """Start over for a new corpus: split and build its Aligner in the background,
        then emit ``ready``. Requests made meanwhile wait for it."""
        self.set_aligner(None)
        self._generation += 1
        generation = self._generation
        job = _PrepareJob(articles)
        job.signals.finished.connect(lambda aligner: self._prepared(generation, job, aligner))
        job.signals.failed.connect(lambda message: self._prepare_failed(generation, job, message))
        self._preparing = job
        self._jobs.add(job)
        self._set_busy(True)
        self.progress.emit(0, 0, "reading the articles")
        self._pool.start(job)

    def is_ready(self) -> bool:
        return self._aligner is not None

    def _prepared(self, generation: int, job: Any, aligner: Any) -> None:
        self._jobs.discard(job)
        if generation != self._generation:
            return
        self._preparing = None
        self._aligner = aligner
        self.ready.emit()
        self._start_next()

    def _prepare_failed(self, generation: int, job: Any, message: str) -> None:
        self._jobs.discard(job)
        if generation != self._generation:
            return
        self._preparing = None
        self._start_next()
        self.failed.emit(message)

    def aligner(self) -> Any:
        return self._aligner

    # -- asking -----------------------------------------------------------
    def cached(self, a: Any, b: Any, threshold: float) -> list | None:
        """The links of (a, b) oriented as asked, if already computed."""
        key, flipped = PairKey.of(a, b, threshold)
        links = self._cache.get(key)
        if links is None:
            return None
        return flip_links(links) if flipped else list(links)

    def request(self, a: Any, b: Any, threshold: float, *, urgent: bool = True) -> list | None:
        """Links at once if cached; else queue the pair (first if urgent) and return None."""
        links = self.cached(a, b, threshold)
        if links is not None:
            return links
        key, flipped = PairKey.of(a, b, threshold)
        first, second = (b, a) if flipped else (a, b)
        if self._running is not None and self._running.key == key:
            return None
        self._queue = deque(item for item in self._queue if item[0] != key)
        if urgent:
            self._queue.appendleft((key, first, second))
        else:
            self._queue.append((key, first, second))
        self._start_next()
        return None

    def request_all(self, articles: Sequence[Any], threshold: float) -> None:
        """Queue every pair of ``articles`` not yet cached, behind urgent requests."""
        for i, a in enumerate(articles):
            for b in articles[i + 1:]:
                self.request(a, b, threshold, urgent=False)

    def pending(self) -> int:
        """Jobs waiting or running, preparing the corpus included."""
        return (len(self._queue) + (1 if self._running is not None else 0)
                + (1 if self._preparing is not None else 0))

    def is_busy(self) -> bool:
        return self.pending() > 0

    def cancel(self) -> None:
        """Drop queued pairs and stop the running one as soon as the aligner checks."""
        was_busy = self.is_busy()
        self._queue.clear()
        if self._running is not None:
            self._running.cancel()
        if was_busy:
            self.cancelled.emit()

    def drop_threshold_except(self, threshold: float) -> None:
        """Forget queued work for other thresholds: the person moved the slider on."""
        keep = round(float(threshold), 4)
        self._queue = deque(item for item in self._queue if item[0].threshold == keep)
        if self._running is not None and self._running.key.threshold != keep:
            self._running.cancel()

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Block until the pool is idle. For shutdown and screenshots only, never in a slot."""
        self._queue.clear()
        return self._pool.waitForDone(msecs)

    # -- running ----------------------------------------------------------
    def _start_next(self) -> None:
        if self._running is not None or self._preparing is not None:
            return
        if not self._queue or self._aligner is None:
            self._queue.clear()
            self._set_busy(False)
            return
        key, a, b = self._queue.popleft()
        if key in self._cache:
            self._start_next()
            return
        job = _AlignJob(self._aligner, key, a, b)
        label = f"{_short(a)} ↔ {_short(b)}"
        job.signals.progress.connect(lambda _k, done, total: self.progress.emit(done, total, label))
        job.signals.finished.connect(self._job_finished)
        job.signals.cancelled.connect(self._job_ended)
        job.signals.failed.connect(self._job_failed)
        self._running = job
        self._jobs.add(job)
        self._set_busy(True)
        self.progress.emit(0, 1, label)
        self._pool.start(job)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)

    def _job_finished(self, key: PairKey, links: list) -> None:
        self._cache[key] = links
        self._job_ended(key)
        self.aligned.emit(key, links)

    def _job_failed(self, key: PairKey, message: str) -> None:
        self._job_ended(key)
        self.failed.emit(message)

    def _job_ended(self, key: PairKey) -> None:
        if self._running is not None and self._running.key == key:
            self._jobs.discard(self._running)
            self._running = None
        self._start_next()


def _short(article: Any, limit: int = 28) -> str:
    title = article.title or article.path.name
    return title if len(title) <= limit else title[: limit - 1] + "…"
