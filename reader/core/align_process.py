"""Aligning a corpus's background pairs in a worker process (no Qt here).

Alignment is pure Python: in a thread of the window's process it holds the GIL,
and each time the GUI thread comes back from Qt into Python (a model's data(), a
delegate's paint, a slot) it waits for it. In a process of its own the worker
has its own GIL, and the window's is left to the window.

The window's process ships the corpus once per corpus (``CorpusMessage``: the
articles without their sentences; the worker takes spans and stems from the
disk cache the window's process has just filled, which is cheaper for the
window than pickling sentences and stems: 4 ms of pickling for 1,000 generated
articles, 1.7 MB, against 67 ms and 4.8 MB; the worker reads them back in
40 ms), then batches of pairs (``BatchRequest``). Each batch comes back as a
``BatchResult`` with the links of the pairs done and their linked shares
(measured in the worker, so the window only files them). A pair the person asks
for goes the same way (``PairRequest``), aligned in full, its progress and its
copied links told as they are known (``PairAnswer``). A shared flag
(``AlignmentProcess.stop``) stops the job being aligned at its next check:
cancel, a changed threshold, a pair the person asks for.

The worker ends with the window's process: ``close`` (or the interpreter's exit:
the process is a daemon) ends it, and the worker itself ends as soon as its
parent is gone, even one killed outright (a thread waits on the parent's
sentinel), so no orphan is left aligning.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from reader.core.align import Aligner, AlignmentCancelled, Link
from reader.core.articles import Article
from reader.core.comparison import linked_share

# Seconds a batch may run before it hands its results back (unless its first pair
# takes longer): what arrives at the window arrives a little at a time.
BATCH_BUDGET_S = 0.15
# onnxruntime threads per run of the worker's sentence model (SOURCE_READER_WORKER_THREADS).
# With the related pass alone embedding, 2 paid: 1,000 prose articles settled cold in
# 65.7 s with 2 (load 1.2) against 91.1 s with 1 (load 1.8). With a thread embedding ahead
# (``embed_ahead``, EMBED_AHEAD) the model runs on two threads of the worker at once, so
# each run takes one: two per run cost more CPU per sentence (132 sentences per CPU s
# against 168 with one, at load 2.5-3; the window with both settings and embedding ahead
# was not compared).
WORKER_MODEL_THREADS = int(os.environ.get("SOURCE_READER_WORKER_THREADS", "1") or 1)
# Whether a thread of the worker embeds sentences ahead of the related pass
# (SOURCE_READER_EMBED_AHEAD=0: not).
EMBED_AHEAD = os.environ.get("SOURCE_READER_EMBED_AHEAD", "1") != "0"
# How much nicer than the window the worker runs (SOURCE_READER_WORKER_NICE). At 5 it
# settled 1,000 articles slower on a busy machine (103-133 s cold against 94 s) with no
# fewer gaps of the event loop: the GUI thread competed with other programs, not it.
WORKER_NICENESS = int(os.environ.get("SOURCE_READER_WORKER_NICE", "0") or 0)


@dataclass(frozen=True)
class CorpusMessage:
    """The corpus the following batches are about (article indices refer to ``articles``)."""

    generation: int
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class BatchRequest:
    """Pairs to align in order, as indices into the corpus's articles (canonical order).

    ``background_pass``: "copied" (links found by words only), "related" (the same
    pairs again with the sentence model, only where both articles are prose) or "all".
    """

    generation: int
    batch: int
    pairs: tuple[tuple[int, int], ...]
    threshold: float
    background_pass: str = "all"
    budget_s: float = BATCH_BUDGET_S


@dataclass(frozen=True)
class PairResult:
    """One pair done: its links (without word runs) and the share of each article they
    link; ``links`` None: the related pass had nothing to look at (not prose)."""

    a: int
    b: int
    links: tuple[Link, ...] | None
    a_share: float = 0.0
    b_share: float = 0.0


@dataclass(frozen=True)
class BatchResult:
    """The pairs of a batch done, in order; the pairs after them were not reached."""

    generation: int
    batch: int
    done: tuple[PairResult, ...]
    # A batch with related links asked for: why none could be found (the model would not
    # load here), or None. The window does not load the model to ask.
    related_reason: str | None = None


@dataclass(frozen=True)
class PairRequest:
    """One pair the person asked for, aligned in full (copied links with their word runs,
    then related ones), with progress; ``number`` is counted with the batches'."""

    generation: int
    batch: int
    a: int
    b: int
    threshold: float


@dataclass(frozen=True)
class PairAnswer:
    """News of a ``PairRequest``: "progress" (``done``, ``total``), "copied" (the copied
    links, before the related ones), "done" (all links), "cancelled" or "failed" (``message``)."""

    generation: int
    batch: int
    kind: str
    links: tuple[Link, ...] = ()
    done: int = 0
    total: int = 0
    message: str = ""


@dataclass(frozen=True)
class WorkerFailed:
    """The worker could not do what it was asked (the message says what and why)."""

    generation: int
    batch: int | None
    message: str


def message_of(raw: bytes) -> BatchResult | PairAnswer | WorkerFailed:
    """A message of the worker as ``AlignmentProcess`` read it."""
    message = pickle.loads(raw)
    if not isinstance(message, BatchResult | PairAnswer | WorkerFailed):
        raise TypeError(f"not a worker's message: {type(message).__name__}")
    return message


class StopFlag:
    """Asks the worker to stop its batch: one byte of shared memory, read without a lock.

    A ``multiprocessing.Event`` takes a lock shared with the worker, which asks it at every
    step: when the worker was descheduled holding it (a busy machine), the GUI thread
    setting or clearing the event waited for the worker to run again.
    """

    def __init__(self, context: Any) -> None:
        self._value = context.RawValue("b", 0)

    def set(self) -> None:
        self._value.value = 1

    def clear(self) -> None:
        self._value.value = 0

    def is_set(self) -> bool:
        return bool(self._value.value)


def bare(article: Article) -> Article:
    """The article without what it computed and remembered (its sentences): what is
    shipped to the worker, which reads those back from the disk cache."""
    return dataclasses.replace(article)


class WorkerCorpus:
    """The worker's copy of a corpus: its articles and an Aligner with the same rarity
    as the window's (computed from the same stems)."""

    def __init__(
        self,
        generation: int,
        articles: Sequence[Article],
        embedding_paused: Callable[[], bool] | None = None,
    ) -> None:
        from reader.core.corpus_index import CorpusIndex

        self.generation = generation
        self.articles = tuple(articles)
        # Spans and stems from the disk cache (the window's process has just stored
        # them); computed again only where the cache is off or was cleared meanwhile.
        index = CorpusIndex.build(self.articles)
        self.aligner: Aligner = index.aligner()
        if embedding_paused is not None:
            # The sentences of the pairs whose copied pass is done are embedded on the
            # other core meanwhile (``embed_ahead``): this process's GIL is its own.
            self.aligner.embed_ahead_in_background(embedding_paused)

    def close(self) -> None:
        """Stop what works for this corpus in the background (embedding ahead), waiting for
        the sentences being encoded (a fraction of a second): the next corpus's work does
        not share the cores with it, and the process never ends in the middle of a model run."""
        self.aligner.close(wait_s=2.0)


def both_prose(a: Article, b: Article) -> bool:
    """Whether the related matcher would look at (a, b) at all: both are prose (it skips
    word lists and filler; ``related.is_prose`` remembers its answer per text)."""
    from reader.core import related

    try:
        return related.is_prose(a) and related.is_prose(b)
    except Exception:  # a broken article: nothing to add
        return False


def align_in_turn(
    align: Callable[..., Sequence[Link]],
    pairs: Sequence[tuple[Article, Article, float]],
    background_pass: str,
    stopped: Callable[[], bool],
    budget_s: float,
    **keywords: Any,
) -> list[list[Link] | None]:
    """Align ``pairs`` (A, B, threshold) one after the other until done, out of time
    (``budget_s``, once one is done) or ``stopped()``: the links of each pair done, in
    order; None for a pair the related pass need not look at (not prose). ``keywords``
    go to ``align``. Used by the worker process and by the window's thread alike.

    A pair that fails to align has no links (one bad pair must not stop the corpus;
    a pair the person opens is aligned again and reports its error).
    """
    import time

    done: list[list[Link] | None] = []
    started = time.perf_counter()
    for a, b, threshold in pairs:
        if stopped() or (done and time.perf_counter() - started > budget_s):
            break
        if background_pass == "related" and not both_prose(a, b):
            done.append(None)  # its links from the first pass stand
            continue
        try:
            links = list(align(a, b, threshold=threshold, **keywords))
        except AlignmentCancelled:
            break  # not done: handed back (or dropped when cancelled)
        except Exception:
            links = []
        done.append(links)
    return done


def align_batch(
    corpus: WorkerCorpus, request: BatchRequest, stopped: Callable[[], bool]
) -> BatchResult:
    """Align ``request``'s pairs in turn (``align_in_turn``), with each article's linked share."""
    keywords: dict[str, Any] = {"wording": False, "cancelled": stopped}
    if request.background_pass == "copied":
        keywords["sentence_model"] = False
    articles = corpus.articles
    found = align_in_turn(
        corpus.aligner.align,
        [(articles[i], articles[j], request.threshold) for i, j in request.pairs],
        request.background_pass,
        stopped,
        request.budget_s,
        **keywords,
    )
    done = []
    for (a_index, b_index), links in zip(request.pairs, found, strict=False):
        if links is None:
            done.append(PairResult(a_index, b_index, None))
            continue
        a, b = articles[a_index], articles[b_index]
        done.append(
            PairResult(
                a_index,
                b_index,
                tuple(links),
                linked_share(a, [link.a_span for link in links]),
                linked_share(b, [link.b_span for link in links]),
            )
        )
    from reader.core import embedding

    # Why no related links were found, as far as this process knows without loading the
    # model (the related pass loaded it if it could).
    reason = (
        None if request.background_pass == "copied" else embedding.unavailable_reason(load=False)
    )
    return BatchResult(request.generation, request.batch, tuple(done), reason)


def align_pair(
    corpus: WorkerCorpus,
    request: PairRequest,
    stopped: Callable[[], bool],
    tell: Callable[[PairAnswer], None],
) -> PairAnswer:
    """Align the pair asked for, telling progress (at most ~100 steps) and its copied links
    as they are known; returns the last answer (done, cancelled or failed)."""
    a, b = corpus.articles[request.a], corpus.articles[request.b]
    steps = [-1]

    def answer(kind: str, **fields: Any) -> PairAnswer:
        return PairAnswer(request.generation, request.batch, kind, **fields)

    def progress(done: int, total: int) -> None:
        step = (100 * done) // max(1, total)
        if step != steps[0]:
            steps[0] = step
            tell(answer("progress", done=done, total=total))

    try:
        links = corpus.aligner.align(
            a,
            b,
            threshold=request.threshold,
            progress=progress,
            cancelled=stopped,
            copied_found=lambda found: tell(answer("copied", links=tuple(found))),
        )
    except AlignmentCancelled:
        return answer("cancelled")
    except Exception as error:  # said to the person by the window, never a traceback
        return answer("failed", message=f"{a.path.name} and {b.path.name}: {error}")
    if stopped():
        return answer("cancelled")
    return answer("done", links=tuple(links))


def _end_with_parent() -> None:
    """End this process as soon as its parent is gone (killed, crashed): no orphan."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def worker_main(
    requests: Any,
    results: Connection,
    stop: Any,
    cache_setting: str,
    model_threads: int,
    niceness: int = 0,
) -> None:
    """The worker process: corpora and batches from ``requests``, results to ``results``,
    until None arrives or the parent ends."""
    _end_with_parent()
    if niceness:
        with contextlib.suppress(OSError):
            os.nice(niceness)
    from reader.core import cache as core_cache
    from reader.core import embedding

    # The window's cache folder (or "off"): the same spans, stems and sentence vectors.
    os.environ[core_cache.ENV] = cache_setting
    embedding._threads = model_threads
    corpus: WorkerCorpus | None = None
    # A pair the person asked for is being aligned: embedding ahead waits meanwhile.
    pair_in_hand = threading.Event()

    def embedding_paused() -> bool:
        return bool(stop.is_set() or pair_in_hand.is_set())

    while True:
        message = requests.get()
        if message is None:
            if corpus is not None:
                corpus.close()
            return
        reply: BatchResult | PairAnswer | WorkerFailed | None = None
        try:
            if isinstance(message, CorpusMessage):
                if corpus is not None:
                    corpus.close()
                corpus = None  # the last corpus's objects go before the new one is built
                corpus = WorkerCorpus(
                    message.generation,
                    message.articles,
                    embedding_paused if EMBED_AHEAD else None,
                )
            elif isinstance(message, BatchRequest):
                if corpus is None or corpus.generation != message.generation:
                    # A batch of a corpus gone (or never built): nothing done.
                    reply = BatchResult(message.generation, message.batch, ())
                else:
                    reply = align_batch(corpus, message, stop.is_set)
            elif isinstance(message, PairRequest):
                if corpus is None or corpus.generation != message.generation:
                    reply = PairAnswer(message.generation, message.batch, "cancelled")
                else:
                    pair_in_hand.set()
                    try:
                        reply = align_pair(corpus, message, stop.is_set, results.send)
                    finally:
                        pair_in_hand.clear()
        except Exception as error:  # said to the window in one line, never a traceback
            generation = getattr(message, "generation", -1)
            reply = WorkerFailed(
                generation,
                getattr(message, "batch", None),
                f"{type(error).__name__}: {error}" if str(error) else type(error).__name__,
            )
            if isinstance(message, CorpusMessage):
                if corpus is not None:
                    corpus.close()
                corpus = None
        if reply is not None:
            results.send(reply)


@contextlib.contextmanager
def _main_module_not_rerun() -> Iterator[None]:
    """While a worker is spawned: a spawned process runs the parent's main script again
    (as ``__mp_main__``) unless told where it is not; the worker needs nothing of it, and a
    script that opens the window without an ``if __name__ == "__main__"`` guard would open
    a second window in the worker."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved: dict[str, Any] = {
        name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__
    }
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


class AlignmentProcess:
    """One worker process (spawned: the window's process runs Qt's threads, and a fork
    of a multi-threaded process can deadlock) and the thread that reads its answers.

    ``on_message`` is called on that reader thread with this object and each message
    as it came (``message_of`` makes it a ``BatchResult``, ``PairAnswer`` or
    ``WorkerFailed``); ``on_exit`` once, with this object and the exit code, if the worker
    ends without being closed (killed, crashed).

    The reader only reads: unpickled there, a batch's links held the GIL for a few ms
    each time, and a reader descheduled meanwhile (a busy machine) kept the GUI thread
    waiting for the GIL, neither running nor runnable, for 0.1 s and more.
    """

    def __init__(
        self,
        on_message: Callable[[AlignmentProcess, bytes], None],
        on_exit: Callable[[AlignmentProcess, int | None], None],
        *,
        model_threads: int = WORKER_MODEL_THREADS,
        niceness: int = WORKER_NICENESS,
    ) -> None:
        from reader.core.cache import cache_folder

        context = multiprocessing.get_context("spawn")
        self._on_message, self._on_exit = on_message, on_exit
        self._requests = context.Queue()  # put() never blocks: a feeder thread writes
        receive, send = context.Pipe(duplex=False)
        self._results = receive
        self.stop = StopFlag(context)
        folder = cache_folder()
        self._closing = False
        # Two threads waiting for the same child race: the one that loses is told "no such
        # child" and took it for alive (then killed a process already waited for).
        self._join_lock = threading.Lock()
        self.process = context.Process(
            target=worker_main,
            args=(
                self._requests,
                send,
                self.stop,
                "off" if folder is None else str(folder),
                model_threads,
                niceness,
            ),
            name="source-reader-align",
            daemon=True,  # ended by the interpreter's exit if not closed before
        )
        with _main_module_not_rerun():
            self.process.start()
        send.close()  # the worker's end: its exit then reads as the end of the pipe here
        self._reader = threading.Thread(target=self._read, name="align-process-reader", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def send(self, message: CorpusMessage | BatchRequest | PairRequest) -> None:
        self._requests.put(message)

    def alive(self) -> bool:
        return not self._closing and self.process.is_alive()

    def _read(self) -> None:
        sentinel = self.process.sentinel
        while True:
            ready = wait([self._results, sentinel])
            if self._results in ready:
                try:
                    message = self._results.recv_bytes()
                except (EOFError, OSError):
                    break
                if not self._closing:
                    self._on_message(self, message)
                continue
            break  # the process ended and its answers are all read
        with self._join_lock:
            self.process.join(1)
        if not self._closing:
            self._on_exit(self, self.process.exitcode)

    def close(self, timeout_s: float = 2.0) -> None:
        """End the worker: asked to (it stops its batch), then terminated if it does not."""
        if self._closing:
            return
        self._closing = True
        self.stop.set()
        with contextlib.suppress(OSError, ValueError):  # a queue already broken
            self._requests.put(None)
        with self._join_lock:
            self.process.join(timeout_s)
            if self.process.is_alive():
                self.process.kill()
                self.process.join(timeout_s)
        self._requests.close()
        self._requests.cancel_join_thread()  # never wait on a feeder for a dead reader
