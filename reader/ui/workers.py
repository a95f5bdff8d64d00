"""Reading, indexing and alignment off the GUI thread, with progress and cancel.

The window asks ``AlignmentService`` for the links of a pair at a minimum
similarity. A cached answer comes back at once; otherwise the pair is queued
and the answer arrives later through ``aligned``. The GUI never waits on a job.
Files are read and indexed on a one-thread QThreadPool; in a folder of more
than COMPARE_ALL_UP_TO articles, pairs (the ones asked for, and the corpus's
candidate pairs in batches) are aligned in a worker process
(``reader.core.align_process``), so the pure-Python alignment never holds the
window's GIL. In smaller folders, where that process cannot be had (it failed,
or died more than WORKER_RESTARTS times) or is not wanted
(``ALIGN_IN_WORKER_PROCESS`` False: tests that stand in for the aligner), the
same jobs run on the pool.

Every aligned pair goes into the core's ``AlignmentStore`` (one canonical
order, flipped when asked the other way round), which keeps per-article
answers up to date as pairs arrive.
"""

from __future__ import annotations

import functools
import gc
import os
import signal
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal

from reader.core import align_process
from reader.core.align import Aligner, Link
from reader.core.articles import Article, LoadProblem
from reader.core.comparison import AlignmentStore as AlignmentStore
from reader.core.comparison import PairKey as PairKey
from reader.core.comparison import PairLinks as PairLinks
from reader.core.comparison import flip_links as flip_links
from reader.core.comparison import linked_share as linked_share
from reader.core.corpus_index import COMPARE_ALL_UP_TO, CandidatePair, CorpusIndex

# The comparison model lives in the core; these names stay importable from here.
from reader.core.text_utils import shorten

Links = list[Link]

# Alignment is pure Python, so the worker holds the GIL whenever it runs. Each
# time the GUI thread comes back from Qt's C++ into Python (a model's data(), a
# delegate's paint, a slot, every painter call of a Python delegate) while the
# worker computes, it waits up to one switch interval for the GIL. A repaint of
# the article list is hundreds of such crossings: at 1 ms a 1,000-article folder
# stalled the event loop > 100 ms about 80 times while it settled (longest
# 0.25-0.48 s, sampled stacks: the GUI thread inside Qt, waiting); at 0.1 ms
# 4-10 times (longest 0.13-0.15 s), at 20 us 2 (0.14 s), with no slower settling:
# the worker pays only while the GUI thread wants the GIL.
# Process-wide, set once by the first AlignmentService.
GIL_SWITCH_INTERVAL_S = 0.00002
# Background pairs per job: each arriving batch costs the GUI thread a store update per pair.
BATCH_PAIRS = 24
# Candidate pairs looked at per batch when most were aligned already (the slider came back).
SCAN_PAIRS = 2_000
# Files read are passed on to the window (the article list, the progress bar) at most this often.
LOADED_EVERY_MS = 100
# Background pairs are aligned in a worker process (``reader.core.align_process``), which
# leaves the window's GIL to the GUI thread; False (or SOURCE_READER_ALIGN_PROCESS=0): in a
# thread of the window's process, as tests that stand in for the aligner in-process need.
ALIGN_IN_WORKER_PROCESS = os.environ.get("SOURCE_READER_ALIGN_PROCESS", "1") != "0"
# Folders of fewer articles align in the window's own process: they settle in seconds, and
# a worker would hold a second copy of the sentence model (the seeds, cold: 334 MB window
# + 286 MB worker, against one process). Folders past COMPARE_ALL_UP_TO compare only
# candidate pairs, and those are the folders that take long enough to stall the window.
WORKER_PROCESS_FROM_ARTICLES = COMPARE_ALL_UP_TO + 1
# Times a worker process that ended unexpectedly is started again for one window; after
# that the window aligns in its own process.
WORKER_RESTARTS = 2


def related_unavailable_reason(load: bool = True) -> str | None:
    """Why related links (same fact, other words) cannot be found here, or None.

    Asking may load the sentence model, so it is asked off the GUI thread (see
    ``_PrepareJob``); with ``load=False`` only what is known without loading it (a
    library or file missing). A core without related links has nothing to say either.
    """
    try:
        from reader.core import embedding
    except ImportError:
        return None
    try:
        return embedding.unavailable_reason(load=load)
    except Exception as error:  # a broken model must not break the window
        return str(error) or type(error).__name__


def share_gil_with_gui() -> None:
    """Let the GUI thread take the GIL back quickly while a worker computes."""
    if sys.getswitchinterval() > GIL_SWITCH_INTERVAL_S:
        sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


# The switch interval cuts both ways: while the GUI thread runs Python of its own (filing a
# batch of pairs, regrouping the stories), the worker takes the GIL back every 20 us, and
# the slot takes twice its CPU time or more. Traced on 1,000 prose articles
# (window_bench --trace-stalls), the corpus refresh took 26 ms of wall clock for 12 of
# CPU (median; up to 75 ms) and was in most gaps of the event loop over 100 ms. So the
# GUI thread closes this gate while it runs such a slot, and a worker, between two steps
# (a pair, a passage, a chunk of sentences, a file read), waits at it without the GIL.
_gui_thread_idle = threading.Event()
_gui_thread_idle.set()
_gui_thread_busy = 0  # slots running (nested); touched on the GUI thread only
# The longest a worker waits at the closed gate: a slot running longer (or a gate never
# reopened) shares the GIL again rather than stopping the corpus.
LONGEST_WAIT_FOR_GUI_S = 0.25

_Slot = TypeVar("_Slot", bound=Callable[..., Any])


def before_workers(slot: _Slot) -> _Slot:
    """Run ``slot`` (on the GUI thread) while the workers wait at their next step."""

    @functools.wraps(slot)
    def run(*args: Any, **kwargs: Any) -> Any:
        global _gui_thread_busy
        _gui_thread_busy += 1
        _gui_thread_idle.clear()
        try:
            return slot(*args, **kwargs)
        finally:
            _gui_thread_busy -= 1
            if not _gui_thread_busy:
                _gui_thread_idle.set()

    return run  # type: ignore[return-value]


def yield_to_gui_thread() -> None:
    """Called by a worker between two steps: wait (without the GIL) while the GUI thread
    runs a slot marked ``before_workers``, up to LONGEST_WAIT_FOR_GUI_S."""
    if not _gui_thread_idle.is_set():
        _gui_thread_idle.wait(LONGEST_WAIT_FOR_GUI_S)


class _GuiThreadGarbageCollector(QObject):
    """Runs Python's cyclic garbage collector on the GUI thread only.

    CPython collects reference cycles in whichever thread happens to allocate
    past the threshold. A worker aligning (related links allocate a lot) then
    destroys the GUI's Python-owned QObjects caught in cycles, a QTimer among
    them; Qt cannot stop a timer from another thread, so the timer stays
    registered and later fires on freed memory: the UI suite segfaulted in
    QApplication::notify. Automatic collection is therefore off and this timer
    collects, generation by generation at the interpreter's own thresholds.
    """

    # Young collections walk every tracked object allocated since the last one, and the
    # aligning worker allocates fast: every 100 ms they took 10-60 ms of GUI thread
    # (window_bench --trace-stalls, 1,000 prose articles); every 25 ms a quarter of that.
    INTERVAL_MS = 25

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)  # lives and dies with the application, on its thread
        young, middle, old = gc.get_threshold()
        # The middle generation every YOUNG_PER_MIDDLE young collections, not 10: it walks the
        # young objects of all of them (25-60 ms every 250 ms while 1,000 articles aligned).
        self._thresholds = (young, min(middle, YOUNG_PER_MIDDLE), old)
        self._last_full = time.perf_counter()
        self._full_cost = 0.0  # seconds the last full collection took
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(self.INTERVAL_MS)

    def collect(self) -> None:
        """Collect the generations whose allocation counts passed their thresholds."""
        now = time.perf_counter()
        generation = generation_to_collect(
            gc.get_count(),
            self._thresholds,
            now - self._last_full,
            self._full_cost,
            # The young count is allocations less deallocations: while a corpus aligns, the
            # old pairs its second pass replaces die as fast as new ones come, the count stayed
            # under its threshold and 80,000 young objects piled up (a 70 ms collection).
            young_due=bool(_aligning_corpora),
        )
        if generation is None:
            return
        gc.collect(generation)
        if generation == 2:
            self._last_full = time.perf_counter()
            self._full_cost = self._last_full - now
        if generation >= 1 and _aligning_corpora:
            # While a corpus aligns, what survives two collections is its aligned pairs and
            # links (tens of thousands of objects a second), which live as long as the corpus
            # is open: out of the collector's sight, no collection walks them again. Kept in
            # sight, full collections walked them all (0.08-0.25 s of GUI thread each, one
            # every few seconds, on 1,000 articles); frozen after full collections only, the
            # few seconds' worth since the last (45-100 ms). A cycle that dies later stays
            # until the corpus is closed (``AlignmentService.prepare`` unfreezes).
            gc.freeze()


# A full collection walks every tracked object (a big corpus's pairs and links: 0.05-0.1 s
# of GUI thread each). CPython skips most of them on its own (it waits until the objects
# added since the last one are a quarter of those that survived it), but an explicit
# gc.collect(2) does not: this keeps full collections to ~2 % of the time instead.
FULL_COLLECTION_SPACING = 50
# ... and at least this often when the middle generation is collected: objects that survive
# it but not the corpus (cycles) are not kept for long.
FULL_COLLECTION_EVERY_S = 2.0
YOUNG_PER_MIDDLE = 3
# Services aligning a corpus in the background: while there is one, the survivors of the
# older generations' collections are frozen (see ``_GuiThreadGarbageCollector.collect``).
_aligning_corpora: weakref.WeakSet[AlignmentService] = weakref.WeakSet()


def generation_to_collect(
    counts: tuple[int, int, int],
    thresholds: tuple[int, ...],
    since_full_s: float,
    full_cost_s: float,
    *,
    young_due: bool = False,
) -> int | None:
    """The generation to collect now (None: none), at the interpreter's thresholds (a full
    collection also FULL_COLLECTION_EVERY_S after the last), a full collection no sooner
    than FULL_COLLECTION_SPACING times the last one's cost after it. ``young_due``: the
    young generation whatever its count (see ``_GuiThreadGarbageCollector.collect``)."""
    if counts[0] <= thresholds[0] and not young_due:
        return None
    if counts[1] <= thresholds[1]:
        return 0
    full_due = counts[2] > thresholds[2] or since_full_s >= FULL_COLLECTION_EVERY_S
    if full_due and since_full_s >= FULL_COLLECTION_SPACING * full_cost_s:
        return 2
    return 1


def collect_garbage_on_gui_thread() -> None:
    """From now on, only the GUI thread collects reference cycles (see ``_GuiThreadGarbageCollector``).

    Call on the GUI thread once a QCoreApplication exists; later calls do nothing.
    """
    app = QCoreApplication.instance()
    if app is None or app.findChild(_GuiThreadGarbageCollector) is not None:
        return
    _GuiThreadGarbageCollector(app)


class _JobSignals(QObject):
    progress = Signal(object, int, int)  # key, done, total
    copied = Signal(object, object)  # key, the copied links (related ones still to come)
    finished = Signal(object, object)  # key, links
    cancelled = Signal(object)
    failed = Signal(object, str)


class _AlignJob(QRunnable):
    """Align one pair in canonical order; report through ``signals``."""

    def __init__(self, aligner: Aligner, key: PairKey, a: Article, b: Article) -> None:
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

        extra: dict[str, Any] = {}  # keywords an aligner standing in for tests may not take
        if _takes(self._aligner.align, "copied_found"):
            extra["copied_found"] = lambda links: self.signals.copied.emit(self.key, list(links))
        try:
            links = self._aligner.align(
                self._a,
                self._b,
                threshold=self.key.threshold,
                progress=self._progress,
                cancelled=self._stop.is_set,
                **extra,
            )
        except AlignmentCancelled:
            self.signals.cancelled.emit(self.key)
        except Exception as error:  # shown to the person as a message, not a crash
            self.signals.failed.emit(
                self.key, f"{self._a.path.name} and {self._b.path.name}: {error}"
            )
        else:
            if self._stop.is_set():
                self.signals.cancelled.emit(self.key)
            else:
                self.signals.finished.emit(self.key, list(links))


def _takes(function: Callable[..., object], name: str) -> bool:
    """Whether ``function`` accepts the keyword ``name`` (aligners standing in for tests may not)."""
    import inspect

    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


class _BatchSignals(QObject):
    finished = Signal(object, object)  # [(key, a, b, links)], the pairs not reached


class _BatchJob(QRunnable):
    """Align background pairs one after the other until done, cancelled or asked to yield.

    Results go back in one signal per batch: one queued signal per pair of a
    thousand-article corpus would keep the GUI thread busy with bookkeeping.
    Pairs are aligned without the identical word runs of copied links
    (``wording``): the corpus needs only which passages link, and finding the
    runs (difflib) was about 40 % of a pair. A pair the reader opens is
    aligned again with them (``AlignmentService.cached`` does not answer it).
    """

    key = None

    def __init__(
        self,
        aligner: Aligner,
        items: Sequence[tuple[PairKey, Article, Article]],
        budget_s: float = 0.15,
        *,
        background_pass: str = "all",
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = _BatchSignals()
        self._aligner, self._items, self._budget_s = aligner, list(items), budget_s
        # "copied": the first pass over the corpus, links found by words only; "related":
        # the second, which adds the sentence model's related links to pairs that can
        # have them; "all": both at once (no sentence model, or an aligner without passes).
        self.background_pass = background_pass
        self.copied_only = background_pass == "copied"
        self._stop = threading.Event()
        self.hand_back = True  # whether the pairs not reached go back in the queue
        # Aligners standing in for tests may not take the keyword: they give whole links.
        self.wording = not _takes(aligner.align, "wording")

    def cancel(self) -> None:
        """Stop the pair being aligned at its next check; the pairs not done are dropped."""
        self.hand_back = False
        self._stop.set()

    def pause(self) -> None:
        """Stop the pair being aligned at its next check, handing back the pairs not done."""
        self._stop.set()

    def _stopped(self) -> bool:
        """Asked between steps of the work: whether to stop; first, the GUI thread's turn."""
        yield_to_gui_thread()
        return self._stop.is_set()

    def run(self) -> None:
        # Cancel (or a pair the reader asks for) stops the pair being aligned too, its
        # embedding included, instead of waiting for it to finish.
        keywords: dict[str, Any] = (
            {"cancelled": self._stopped} if _takes(self._aligner.align, "cancelled") else {}
        )
        if not self.wording:
            keywords["wording"] = False
        if self.copied_only:
            keywords["sentence_model"] = False
        found = align_process.align_in_turn(
            self._aligner.align,
            [(a, b, key.threshold) for key, a, b in self._items],
            self.background_pass,
            self._stopped,
            self._budget_s,
            **keywords,
        )
        done: list[tuple[PairKey, Article, Article, PairLinks | None]] = []
        for (key, a, b), links in zip(self._items, found, strict=False):
            if links is None:
                done.append((key, a, b, None))  # its copied links, from the first pass, stand
                continue
            # The pair's side indexes and linked shares are built here, off the GUI
            # thread: on it they were the longest part of filing a batch (~75 ms).
            pair = PairLinks(a, b, links, key.threshold, wording=self.wording)
            pair.share("a"), pair.share("b")
            done.append((key, a, b, pair))
        # one result per pair taken, in order: the rest were not started
        self.signals.finished.emit(done, self._items[len(done) :])


class _PrepareSignals(QObject):
    loaded = Signal(object, object, int, int)  # articles, problems, files read, files in all
    finished = Signal(object)  # the _PrepareJob, its results filled in
    failed = Signal(str)


class _PrepareJob(QRunnable):
    """Read the files (if given paths), split every article and index the corpus.

    Reading and splitting are the slow part of opening a big folder; done
    here in batches, the article list fills while the window keeps painting.
    Sentences and stems come from the disk cache when the text was seen
    before. Cancelling stops reading: the articles read so far are the corpus.
    """

    key = None
    BATCH = 25

    def __init__(
        self, articles: Sequence[Article] = (), paths: Sequence[Path] = (), *, ship: bool = False
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = _PrepareSignals()
        self._ship = ship  # the corpus aligns in the worker process
        self._articles = list(articles)
        self._paths = list(paths)
        self._stop = threading.Event()
        self.articles: list[Article] = []
        self.problems: list[LoadProblem] = []
        self.index: CorpusIndex | None = None
        self.aligner: Aligner | None = None
        self.candidates: list[CandidatePair] = []
        # The candidates as the service keeps them, and the articles as the worker process
        # gets them: made here, off the GUI thread (30 ms of it for 1,000 articles).
        self.candidate_ids: set[tuple[str, str]] = set()
        self.candidate_list: list[tuple[Article, Article]] = []
        self.shipped: tuple[Article, ...] = ()
        self.related_reason: str | None = None
        self.stopped = False

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:
        from reader.core import articles as core_articles
        from reader.core.cache import default_cache
        from reader.core.corpus_index import CorpusIndex

        try:
            cache = default_cache()
            stems: list[Sequence[Sequence[str]]] = []
            total = len(self._paths) if self._paths else len(self._articles)
            for first in range(0, total, self.BATCH):
                if self._stop.is_set():
                    self.stopped = True
                    break
                if self._paths:
                    batch, problems = core_articles._load_all(
                        self._paths[first : first + self.BATCH]
                    )
                else:
                    batch, problems = tuple(self._articles[first : first + self.BATCH]), ()
                for article in batch:
                    yield_to_gui_thread()
                    # The forked splitting of the CLI is no choice in a thread of a Qt
                    # process: forking a multi-threaded process can deadlock the child.
                    stats = cache.stats(article.text, core_articles.split_sentences)
                    article.__dict__.setdefault("sentences", stats.sentences(article.text))
                    stems.append(stats.stems)
                self.articles.extend(batch)
                self.problems.extend(problems)
                if self._paths:
                    self.signals.loaded.emit(
                        list(batch), list(problems), min(total, first + self.BATCH), total
                    )
            self.index = CorpusIndex(self.articles, stems)
            self.aligner = self.index.aligner()
            self.candidates = self.index.pairs_to_compare() if len(self.articles) > 1 else []
            pairs = [(self.articles[c.a], self.articles[c.b]) for c in self.candidates]
            self.candidate_list = pairs
            self.candidate_ids = {_id_pair(a, b) for a, b in pairs}
            if self._ship:
                self.shipped = tuple(align_process.bare(a) for a in self.articles)
            # A corpus aligned in the worker process is embedded there: loading the model here
            # too held the GIL for 0.1 s (a gap of the event loop) and kept it in memory.
            # The worker says if it could not load it (``BatchResult.related_reason``).
            self.related_reason = related_unavailable_reason(load=not self._ship)
        except Exception as error:  # shown to the person as a message, not a crash
            self.signals.failed.emit(f"The articles could not be prepared for comparison: {error}")
        else:
            self.signals.finished.emit(self)


class _ProcessSignals(QObject):
    # Emitted on the worker's reader thread, received on the GUI thread.
    message = Signal(object, object)  # the AlignmentProcess, a BatchResult or WorkerFailed
    exited = Signal(object, object)  # the AlignmentProcess, its exit code


class _ProcessBatch:
    """A batch of background pairs sent to the worker process: stands where a
    ``_BatchJob`` would (one batch at a time), and is stopped the same way."""

    key = None

    def __init__(
        self,
        process: align_process.AlignmentProcess,
        generation: int,
        number: int,
        items: Sequence[tuple[PairKey, Article, Article]],
        background_pass: str,
    ) -> None:
        self.process, self.generation, self.number = process, generation, number
        self.items = list(items)
        self.background_pass = background_pass
        self.hand_back = True

    def cancel(self) -> None:
        """Stop at the worker's next check; the pairs not done are dropped."""
        self.hand_back = False
        self.process.stop.set()

    def pause(self) -> None:
        """Stop at the worker's next check, handing back the pairs not done."""
        self.process.stop.set()


class _ProcessPair:
    """A pair the person asked for, aligned in the worker process: stands where an
    ``_AlignJob`` would."""

    def __init__(
        self,
        process: align_process.AlignmentProcess,
        generation: int,
        number: int,
        key: PairKey,
        a: Article,
        b: Article,
        label: str,
    ) -> None:
        self.process, self.generation, self.number = process, generation, number
        self.key, self.a, self.b, self.label = key, a, b, label

    def cancel(self) -> None:
        self.process.stop.set()


_BATCHES = (_BatchJob, _ProcessBatch)
_PAIRS = (_AlignJob, _ProcessPair)


def _exit_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"stopped by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"stopped by signal {-exitcode}"
    return f"exit code {exitcode}"


class AlignmentService(QObject):
    """Queue, run, cancel and keep pair alignments for one corpus.

    Pairs the person asks for go first, one job each, with progress. The
    corpus's candidate pairs (those that share rare wording, most similar
    first, then rare names and numbers) are aligned behind them in batches. Every result goes into one
    ``AlignmentStore``, which answers shares, closest articles and the best
    pair as results arrive.
    """

    ready = Signal()  # the corpus is split and indexed
    loaded = Signal(object, object, int, int)  # articles, problems, files read, files in all
    aligned = Signal(object, object)  # PairKey, links (canonical order): one pair asked for
    # PairKey, its copied links (canonical order), sent before the slower related ones are found
    alignedCopied = Signal(object, object)
    alignedMany = Signal(object)  # [(PairKey, links)]: a batch of background pairs
    progress = Signal(int, int, str)  # done, total, what is being aligned
    busyChanged = Signal(bool)
    # Every candidate pair's copied links are in; related ones may follow for minutes
    # (the sentence model), so the window need not wait for them to show the best pair.
    copiedSettled = Signal()
    failed = Signal(str)
    # The worker process could not load the sentence model: ``related_reason`` says why.
    relatedUnavailable = Signal()
    cancelled = Signal()
    # Something the person should know that needs no answer (the worker process restarted).
    notice = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        share_gil_with_gui()
        collect_garbage_on_gui_thread()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._aligner: Aligner | None = None
        self.store = AlignmentStore()
        self.index: CorpusIndex | None = None
        self._candidates: set[tuple[str, str]] = set()
        self.candidate_list: list[tuple[Article, Article]] = []
        self._queue: deque[tuple[PairKey, Article, Article]] = deque()
        # Candidate pairs (a, b) still to align at _background_threshold; keys are made a
        # batch at a time, as a thousand-article corpus has tens of thousands of candidates.
        self._background: deque[tuple[Article, Article]] = deque()
        self._background_threshold = 0.0
        self._background_total = 0
        self._background_done = 0
        # "copied": the first pass, copied links of every candidate pair; "related": the
        # second, related links added where the sentence model can find any.
        self._background_pass = "copied"
        self._related_pass_due = False  # the related pass follows when the copied one ends
        self._related_done: set[PairKey] = set()
        self._running: _AlignJob | _BatchJob | _ProcessBatch | _ProcessPair | None = None
        self._jobs: set[QRunnable] = set()  # keep Python wrappers (and their signals) alive
        self._busy = False
        self._preparing: _PrepareJob | None = None
        # What waits for the window's first paint (``hold_until_painted``), if it is held.
        self._held: list[Callable[[], None]] | None = None
        self._generation = 0
        self._related_reason: str | None = None
        self.load_stopped = False
        # Files read and not yet passed on through ``loaded`` (see ``_loaded``).
        self._read_articles: list[Article] = []
        self._read_problems: list[LoadProblem] = []
        self._read_count = (0, 0)
        self._pass_on_loaded = QTimer(self)
        self._pass_on_loaded.setSingleShot(True)
        self._pass_on_loaded.setInterval(LOADED_EVERY_MS)
        self._pass_on_loaded.timeout.connect(self._pass_on_the_rest)
        # The worker process (see ``align_process``): started with the first folder, kept
        # for the next; the corpus's articles by id, as the worker numbers them.
        self._use_process = ALIGN_IN_WORKER_PROCESS
        self._process: align_process.AlignmentProcess | None = None
        self._process_signals = _ProcessSignals(self)
        self._process_signals.message.connect(self._process_message)
        self._process_signals.exited.connect(self._process_exited)
        self._corpus_articles: tuple[Article, ...] = ()
        self._shipped: tuple[Article, ...] = ()  # the same articles, bare (align_process.bare)
        self._article_number: dict[str, int] = {}
        self._batch_number = 0
        self._worker_restarts = 0

    # -- corpus -----------------------------------------------------------
    def set_aligner(self, aligner: Aligner | None) -> None:
        """Start over with an Aligner already built: cancel everything, forget the pairs."""
        self.cancel()
        self._aligner = aligner
        self.store.clear()
        self.index = None
        self._candidates = set()
        self._corpus_articles, self._shipped, self._article_number = (), (), {}

    def prepare(self, articles: Sequence[Article] = (), paths: Sequence[Path] = ()) -> None:
        """Start over for a new corpus: read ``paths`` (or take ``articles``), split and
        index them in the background, then emit ``ready``. Requests made meanwhile wait."""
        had_corpus = self.index is not None
        self.set_aligner(None)
        if had_corpus:
            gc.unfreeze()  # the last corpus's objects may be collected again
        else:
            # The first corpus: what exists now (modules, the window's widgets) lives as long
            # as the window. Left in sight, the first full collection walked it while the files
            # were read (58 ms, in a 117 ms gap of the event loop, 1,000 articles, cold).
            gc.freeze()
        self._generation += 1
        self._pass_on_loaded.stop()
        self._read_articles, self._read_problems = [], []  # the last corpus's, not passed on
        generation = self._generation
        in_process = self._wants_process(len(paths) or len(articles))
        job = _PrepareJob(articles, paths, ship=in_process)
        job.signals.loaded.connect(lambda *args: self._loaded(generation, *args))
        job.signals.finished.connect(lambda done: self._prepared(generation, done))
        job.signals.failed.connect(lambda message: self._prepare_failed(generation, job, message))
        self._preparing = job
        self._jobs.add(job)
        self.load_stopped = False
        self._set_busy(True)
        # What survives while the files are read is the corpus's articles, which live as long
        # as it is open: frozen as aligned pairs are (a full collection walking them was a
        # 79 ms gap of the event loop, 1,000 articles, warm).
        _aligning_corpora.add(self)
        self.progress.emit(0, 0, "reading the articles")
        if in_process:
            # Its start-up overlaps the reading of the files. Started first: the reading
            # thread would take the GIL from the start's 10-20 ms of Python (40-60 ms wall).
            self._when_painted(self._start_process_if_none)
        self._when_painted(lambda: self._pool.start(job))

    # The longest the work asked for waits for the window's first paint.
    HELD_AT_MOST_MS = 500

    def hold_until_painted(self) -> None:
        """The window is about to paint itself for the first time: the reading thread and the
        worker process start after that paint (``painted``), or after HELD_AT_MOST_MS.

        Started with it, the thread took turns at the GIL with the paint's hundreds of calls
        into Python and the worker's start-up took the other core: the first paint of a
        window opened on 1,000 articles took 60-160 ms of wall clock for 21-78 ms of CPU.
        """
        if self._held is None:
            self._held = []
            QTimer.singleShot(self.HELD_AT_MOST_MS, self.painted)

    def painted(self) -> None:
        """The window has painted itself: start what waited, each in a turn of the event
        loop of its own, after the paint's (the worker process's start took 20-30 ms)."""
        held, self._held = self._held, None
        if held:
            self._start_in_turns(deque(held))

    def _start_in_turns(self, held: deque[Callable[[], None]]) -> None:
        held.popleft()()
        if held:
            QTimer.singleShot(
                1, self, lambda: self._start_in_turns(held)
            )  # a timer: a pass of its own

    def _start_process_if_none(self) -> None:
        if self._process is None:
            self._start_process()

    def _when_painted(self, start: Callable[[], None]) -> None:
        if self._held is None:
            start()
        else:
            self._held.append(start)

    def _wants_process(self, articles: int) -> bool:
        """Whether a folder of ``articles`` aligns in the worker process (else in a thread)."""
        return self._use_process and articles >= WORKER_PROCESS_FROM_ARTICLES

    def is_ready(self) -> bool:
        return self._aligner is not None

    def _loaded(
        self,
        generation: int,
        articles: list[Article],
        problems: list[LoadProblem],
        done: int,
        total: int,
    ) -> None:
        """A batch of files read: kept, and passed on with the others read meanwhile.

        The worker reads a batch in a few ms from a warm cache, faster than the GUI
        thread lists one: each batch passed on at once (rows inserted, the progress bar
        repainting the window at once, as QProgressBar.setValue does) queued up behind
        the others, and the event loop went 0.1-0.2 s without a turn while a
        1,000-article folder was read. The first batch goes on at once, then at most
        one hand-over per LOADED_EVERY_MS with all the files read meanwhile.
        """
        if generation != self._generation:
            return
        self._read_articles.extend(articles)
        self._read_problems.extend(problems)
        self._read_count = (done, total)
        if not self._pass_on_loaded.isActive():  # the first batch (or the first in a while) at once
            self._pass_loaded_on()
            self._pass_on_loaded.start()

    def _pass_on_the_rest(self) -> None:
        """LOADED_EVERY_MS after passing files on: the files read since, if any."""
        if self._read_articles or self._read_problems:
            self._pass_loaded_on()
            self._pass_on_loaded.start()

    @before_workers
    def _pass_loaded_on(self) -> None:
        if not self._read_articles and not self._read_problems:
            return
        articles, self._read_articles = self._read_articles, []
        problems, self._read_problems = self._read_problems, []
        done, total = self._read_count
        self.progress.emit(done, total, f"reading the articles ({done:,} of {total:,})")
        self.loaded.emit(articles, problems, done, total)

    @before_workers
    def _prepared(self, generation: int, job: _PrepareJob) -> None:
        self._jobs.discard(job)
        if generation != self._generation:
            return
        # The last files read are listed before the corpus is ready.
        self._pass_on_loaded.stop()
        self._pass_loaded_on()
        self._preparing = None
        # The corpus's articles, sentences and index live as long as it is open: out of the
        # collector's sight, a full collection no longer walks them (~0.1 s for 1,000 articles,
        # every few seconds while pairs align). A new corpus puts them back (``prepare``).
        gc.freeze()
        self._aligner = job.aligner
        self.index = job.index
        self.load_stopped = job.stopped
        self._candidates = job.candidate_ids
        self.candidate_list = job.candidate_list
        self._related_reason = job.related_reason
        if job.shipped:  # the corpus aligns in the worker process
            self._corpus_articles = tuple(job.articles)
            self._shipped = job.shipped
            self._article_number = {a.id: n for n, a in enumerate(self._corpus_articles)}
            self._ship_corpus()
        self.ready.emit()
        self._start_next()

    def _prepare_failed(self, generation: int, job: _PrepareJob, message: str) -> None:
        self._jobs.discard(job)
        if generation != self._generation:
            return
        self._pass_on_loaded.stop()
        self._pass_loaded_on()
        self._preparing = None
        self._start_next()
        self.failed.emit(message)

    def aligner(self) -> Aligner | None:
        return self._aligner

    def related_reason(self) -> str | None:
        """Why related links are unavailable for this corpus (asked while preparing it), or None."""
        return self._related_reason

    def is_candidate(self, a: Article, b: Article) -> bool:
        """Whether the pair is compared in the background: it shares rare wording or rare
        names and numbers, or the corpus is small enough to compare every pair
        (``CorpusIndex.pairs_to_compare``)."""
        return _id_pair(a, b) in self._candidates

    # -- asking -----------------------------------------------------------
    def pair(self, a: Article, b: Article, threshold: float) -> PairLinks | None:
        """The links of (a, b) oriented as asked, as the core's PairLinks, if kept (a
        background pair's copied links without their word runs: which passages link)."""
        return self.store.get(a, b, threshold)

    def cached(self, a: Article, b: Article, threshold: float) -> Links | None:
        """The links of (a, b) oriented as asked, if already computed with their word runs
        (what the panes mark); None for a pair aligned in the background without them."""
        pair = self.store.get(a, b, threshold, wording=True)
        return None if pair is None else list(pair.links)

    def request(
        self, a: Article, b: Article, threshold: float, *, urgent: bool = True
    ) -> Links | None:
        """Links at once if kept; else queue the pair (first if urgent) and return None."""
        links = self.cached(a, b, threshold)
        if links is not None:
            return links
        key, flipped = PairKey.of(a, b, threshold)
        first, second = (b, a) if flipped else (a, b)
        if isinstance(self._running, _PAIRS) and self._running.key == key:
            return None
        if urgent:
            self._queue.appendleft((key, first, second))
            if isinstance(self._running, _BATCHES):
                self._running.pause()  # hands back its pairs; the asked-for pair goes next
        else:
            self._queue.append((key, first, second))
        self._start_next()
        return None

    def request_candidates(self, threshold: float) -> None:
        """Align the corpus's candidate pairs at ``threshold`` in the background, most
        similar first, behind the pairs asked for. Pairs already aligned are skipped."""
        items = deque(self.candidate_list)
        self._background = items
        self._background_threshold = round(float(threshold), 4)
        self._background_total = len(items)
        self._background_done = 0
        self._background_pass = "copied" if self._two_passes() else "all"
        self._related_pass_due = self._background_pass == "copied" and bool(items)
        if items:
            _aligning_corpora.add(self)
        self._start_next()

    def copied_settled(self) -> bool:
        """Whether every candidate pair's copied links are in (related ones may still come)."""
        return (
            self._preparing is None
            and not self._related_pass_due
            and (self._background_pass == "related" or not self.is_busy())
        )

    def _two_passes(self) -> bool:
        """Copied links of the whole corpus first, related ones after: only when the aligner
        can leave the related ones out and the sentence model is there to find them."""
        return (
            self._aligner is not None
            and _takes(self._aligner.align, "sentence_model")
            and self._related_reason is None
        )

    def _start_related_pass(self) -> bool:
        """After the copied pass: the same candidates again, for their related links."""
        if not self._related_pass_due:
            return False
        self._related_pass_due = False
        self._background_pass = "related"
        self._background = deque(self.candidate_list)
        self._background_done = 0
        # After this call returns: a slot asking for a pair must not start it while
        # _start_next is about to start the first related batch.
        generation = self._generation
        QTimer.singleShot(0, self, lambda: self._copied_settled(generation))
        return True

    def _copied_settled(self, generation: int) -> None:
        if generation == self._generation and self._background_pass == "related":
            self.copiedSettled.emit()

    def request_all(self, articles: Sequence[Article], threshold: float) -> None:
        """Queue every pair of ``articles`` not yet aligned (a handful of articles only)."""
        for i, a in enumerate(articles):
            for b in articles[i + 1 :]:
                if self.store.summary(a, b, threshold) is None:
                    self.request(a, b, threshold, urgent=False)

    def pending(self) -> int:
        """Jobs waiting or running, preparing the corpus included."""
        return (
            len(self._queue)
            + len(self._background)
            + (1 if self._related_pass_due else 0)
            + (1 if self._running is not None else 0)
            + (1 if self._preparing is not None else 0)
        )

    def is_busy(self) -> bool:
        return self.pending() > 0

    def cancel(self) -> None:
        """Stop reading files, drop queued pairs and stop the running one as soon as it checks."""
        was_busy = self.is_busy()
        self._queue.clear()
        self._background.clear()
        self._related_pass_due = False
        if self._preparing is not None:
            self._preparing.cancel()
        if self._running is not None:
            self._running.cancel()
        if was_busy:
            self.cancelled.emit()

    def drop_threshold_except(self, threshold: float) -> None:
        """Forget queued work for other thresholds: the person moved the slider on."""
        keep = round(float(threshold), 4)
        self._queue = deque(item for item in self._queue if item[0].threshold == keep)
        if self._background_threshold != keep:
            self._background.clear()
            self._related_pass_due = False
        if self._running is not None and (
            isinstance(self._running, _BATCHES) or self._running.key.threshold != keep
        ):
            self._running.cancel()

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Block until the pool is idle. For shutdown and screenshots only, never in a slot."""
        self._queue.clear()
        self._background.clear()
        self._related_pass_due = False
        if self._preparing is not None:
            self._preparing.cancel()
        if isinstance(self._running, _ProcessBatch | _ProcessPair):
            self._running.cancel()  # its answer, if any, is filed when the event loop runs
        return self._pool.waitForDone(msecs)

    def shutdown(self) -> None:
        """End the worker process (the window closes). Safe to call more than once."""
        self._use_process = False
        process, self._process = self._process, None
        if process is not None:
            process.close()

    def worker_pid(self) -> int | None:
        """The worker process's id while there is one (tests end it to see the window recover)."""
        return None if self._process is None else self._process.pid

    # -- the worker process -------------------------------------------------
    def _start_process(self) -> None:
        signals = self._process_signals
        try:
            process = align_process.AlignmentProcess(signals.message.emit, signals.exited.emit)
        except Exception as error:  # no process to be had: align in this one
            self._use_process = False
            self.notice.emit(
                f"Could not start the background comparison process ({error}); "
                "comparing in the window's own process."
            )
            return
        self._process = process
        # Ended with this service's Python object if nobody shut it down.
        weakref.finalize(self, process.close)

    def _ship_corpus(self) -> None:
        if self._process is None:
            self._start_process()
        if self._process is not None and self._corpus_articles:
            self._process.send(
                align_process.CorpusMessage(
                    self._generation,
                    self._shipped,
                )
            )

    def _numbers(self, a: Article, b: Article) -> tuple[int, int] | None:
        """The worker's numbers for (a, b), None unless both are the shipped corpus's."""
        n, m = self._article_number.get(a.id), self._article_number.get(b.id)
        if n is None or m is None:
            return None
        if self._corpus_articles[n] is not a or self._corpus_articles[m] is not b:
            return None
        return n, m

    def _pair_in_process(self, key: PairKey, a: Article, b: Article, label: str) -> bool:
        """Send the pair asked for to the worker process; False: align it here."""
        numbers = self._numbers(a, b) if self._use_process and self._process else None
        if numbers is None or self._process is None:
            return False
        self._batch_number += 1
        job = _ProcessPair(self._process, self._generation, self._batch_number, key, a, b, label)
        self._process.stop.clear()  # one job at a time: nothing else is running there
        self._process.send(
            align_process.PairRequest(
                self._generation, self._batch_number, numbers[0], numbers[1], key.threshold
            )
        )
        self._running = job
        self._set_busy(True)
        self.progress.emit(0, 1, label)
        return True

    def _batch_in_process(self, items: Sequence[tuple[PairKey, Article, Article]]) -> bool:
        """Send ``items`` to the worker process as the running batch; False: align them here."""
        if not self._use_process or self._process is None:
            return False
        numbers = []
        for _key, a, b in items:
            pair = self._numbers(a, b)
            if pair is None:
                return False  # not the shipped corpus's articles
            numbers.append(pair)
        self._batch_number += 1
        job = _ProcessBatch(
            self._process, self._generation, self._batch_number, items, self._background_pass
        )
        self._process.stop.clear()  # one batch at a time: nothing else is running there
        self._process.send(
            align_process.BatchRequest(
                self._generation,
                self._batch_number,
                tuple(numbers),
                self._background_threshold,
                self._background_pass,
            )
        )
        self._running = job
        self._set_busy(True)
        return True

    def _process_message(self, process: align_process.AlignmentProcess, raw: bytes) -> None:
        job = self._running
        if process is not self._process or not isinstance(job, _ProcessBatch | _ProcessPair):
            return  # a closed worker's, or no job of ours waits
        message = align_process.message_of(raw)
        if message.batch != job.number or message.generation != job.generation:
            return
        if isinstance(job, _ProcessPair):
            self._pair_answer(job, message)
            return
        if isinstance(message, align_process.PairAnswer):
            return
        if job.generation != self._generation:
            self._batch_finished(job, [], [])  # a corpus gone: nothing of it is filed
            return
        if isinstance(message, align_process.WorkerFailed):
            self._leave_process(f"The background comparison process failed: {message.message}.")
            self._batch_finished(job, [], job.items)
            return
        done: list[tuple[PairKey, Article, Article, PairLinks | None]] = []
        for (key, a, b), result in zip(job.items, message.done, strict=False):
            pair = (
                None
                if result.links is None
                else PairLinks(
                    a,
                    b,
                    result.links,
                    key.threshold,
                    wording=False,
                    shares=(result.a_share, result.b_share),
                )
            )
            done.append((key, a, b, pair))
        if message.related_reason and self._related_reason is None:
            self._related_reason = message.related_reason
            self.relatedUnavailable.emit()
        self._batch_finished(job, done, job.items[len(done) :])

    def _pair_answer(
        self,
        job: _ProcessPair,
        message: align_process.BatchResult | align_process.PairAnswer | align_process.WorkerFailed,
    ) -> None:
        key = job.key
        if isinstance(message, align_process.WorkerFailed):
            self._leave_process(f"The background comparison process failed: {message.message}.")
            self._running = None
            if job.generation == self._generation:
                self._queue.appendleft((key, job.a, job.b))  # aligned here instead
            self._start_next()
        elif not isinstance(message, align_process.PairAnswer):
            return
        elif job.generation != self._generation:
            if message.kind in ("done", "failed", "cancelled"):
                self._running = None  # a corpus gone: nothing of it is kept
                self._start_next()
        elif message.kind == "progress":
            self.progress.emit(message.done, message.total, job.label)
        elif message.kind == "copied":
            self._copied_found(key, list(message.links))
        elif message.kind == "done":
            self._job_finished(key, job.a, job.b, list(message.links))
        elif message.kind == "failed":
            self._job_failed(key, message.message)
        else:
            self._job_ended(key)

    def _process_exited(
        self, process: align_process.AlignmentProcess, exitcode: int | None
    ) -> None:
        """The worker ended on its own (killed, crashed): say so, start another (or align
        here after WORKER_RESTARTS), and compare again the pairs it had not sent back."""
        if process is not self._process:
            return
        self._process = None
        job = self._running
        reason = _exit_reason(exitcode)
        if self._worker_restarts < WORKER_RESTARTS:
            self._worker_restarts += 1
            self.notice.emit(
                f"The background comparison process ended unexpectedly ({reason}). "
                "It was started again; the pairs it was comparing are compared again."
            )
            self._ship_corpus()
        else:
            self._leave_process(f"The background comparison process ended unexpectedly ({reason}).")
        if isinstance(job, _ProcessBatch):
            self._batch_finished(job, [], job.items)
        elif isinstance(job, _ProcessPair):
            self._running = None
            if job.generation == self._generation:  # asked for: compared again first
                self._queue.appendleft((job.key, job.a, job.b))
            self._start_next()

    def _leave_process(self, why: str) -> None:
        """From now on, align in this process (a thread), saying why."""
        self.shutdown()
        self.notice.emit(f"{why} Comparing in the window's own process from now on.")

    # -- running ----------------------------------------------------------
    def _start_next(self) -> None:
        if self._running is not None or self._preparing is not None:
            return
        if self._aligner is None:
            self._queue.clear()
            self._background.clear()
            self._related_pass_due = False
        while self._queue and self.store.has_wording(self._queue[0][0]):
            self._queue.popleft()
        if self._queue:
            self._start_pair(*self._queue.popleft())
        elif self._background or (self._aligner is not None and self._start_related_pass()):
            self._start_batch()
        else:
            self._set_busy(False)

    def _start_pair(self, key: PairKey, a: Article, b: Article) -> None:
        assert self._aligner is not None  # without one, _start_next empties the queues
        label = f"{_short(a)} ↔ {_short(b)}"
        if self._pair_in_process(key, a, b, label):
            return
        job = _AlignJob(self._aligner, key, a, b)
        job.signals.progress.connect(lambda _k, done, total: self.progress.emit(done, total, label))
        job.signals.finished.connect(lambda key, links: self._job_finished(key, a, b, links))
        job.signals.copied.connect(self._copied_found)
        job.signals.cancelled.connect(self._job_ended)
        job.signals.failed.connect(self._job_failed)
        self._running = job
        self._jobs.add(job)
        self._set_busy(True)
        self.progress.emit(0, 1, label)
        self._pool.start(job)

    def _start_batch(self) -> None:
        items: list[tuple[PairKey, Article, Article]] = []
        threshold = self._background_threshold
        looked = 0
        while self._background and len(items) < BATCH_PAIRS and looked < SCAN_PAIRS:
            looked += 1
            a, b = self._background.popleft()
            key, flipped = PairKey.of(a, b, threshold)
            if self._background_pass == "related":
                # A pair aligned in full (the reader opened it) has its related links already.
                wanted = key not in self._related_done and not self.store.has_wording(key)
            else:
                wanted = key not in self.store and self.store.summary_of(key) is None
            if wanted:
                items.append((key, b, a) if flipped else (key, a, b))
            else:  # aligned already (asked for, or at this threshold before)
                self._background_done += 1
        if not items:
            if self._background:  # a long run of pairs aligned already: go on after a repaint
                QTimer.singleShot(0, self._start_next)
            else:
                self._start_next()
            return
        if self._batch_in_process(items):
            return
        assert self._aligner is not None  # without one, _start_next empties the queues
        job = _BatchJob(self._aligner, items, background_pass=self._background_pass)
        job.signals.finished.connect(lambda done, rest: self._batch_finished(job, done, rest))
        self._running = job
        self._jobs.add(job)
        self._set_busy(True)
        self._pool.start(job)

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            _aligning_corpora.discard(self)
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)

    @before_workers
    def _batch_finished(self, job: _BatchJob | _ProcessBatch, done: list, rest: list) -> None:
        if isinstance(job, _BatchJob):
            self._jobs.discard(job)
        if self._running is job:
            self._running = None
        arrived = []
        for key, _a, _b, pair in done:
            if job.background_pass == "related":
                self._related_done.add(key)
            if pair is not None:
                self.store.keep(pair)
                arrived.append((key, list(pair.links)))
        if rest and job.hand_back:
            # out of time, or a pair was asked for
            self._background.extendleft((a, b) for _key, a, b in reversed(rest))
        self._background_done += len(done)
        if self._background_total:
            self.progress.emit(
                self._background_done,
                self._background_total,
                f"the corpus{' (related passages)' if self._background_pass == 'related' else ''}: "
                f"{self._background_done:,} of {self._background_total:,} pairs",
            )
        self._start_next()
        if arrived:
            self.alignedMany.emit(arrived)

    def _job_finished(self, key: PairKey, a: Article, b: Article, links: Links) -> None:
        self.store.put(a, b, links, key.threshold)
        self._job_ended(key)
        self.aligned.emit(key, links)

    def _copied_found(self, key: PairKey, links: list) -> None:
        if isinstance(self._running, _PAIRS) and self._running.key == key:
            self.alignedCopied.emit(key, links)

    def _job_failed(self, key: PairKey, message: str) -> None:
        self._job_ended(key)
        self.failed.emit(message)

    def _job_ended(self, key: PairKey) -> None:
        if isinstance(self._running, _PAIRS) and self._running.key == key:
            self._jobs.discard(self._running)
            self._running = None
        self._start_next()


def _id_pair(a: Article, b: Article) -> tuple[str, str]:
    """The two ids in sorted order: one key for the pair whichever way round it is asked."""
    return (a.id, b.id) if a.id <= b.id else (b.id, a.id)


def _short(article: Article, limit: int = 28) -> str:
    return shorten(article.title or article.path.name, limit)
