"""Long articles align off the GUI thread: the event loop keeps running, Cancel stops it,
results are cached per pair and threshold."""

from __future__ import annotations

import gc
import random
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from reader.core.align import Aligner
from reader.core.articles import article_from_text
from reader.ui.workers import AlignmentService, PairKey, flip_links, linked_share

SENTENCES = 4000


def long_pair(n: int = SENTENCES, seed: int = 7) -> tuple[str, str]:
    """Two articles of ``n`` one-line sentences; every third sentence of B is copied from A."""
    rng = random.Random(seed)
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    vocab = [
        "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(3)) for _ in range(3000)
    ]

    def sentence() -> str:
        return " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 16))).capitalize() + "."

    first = [sentence() for _ in range(n)]
    second = [s if i % 3 == 0 else sentence() for i, s in enumerate(first)]
    return "\n".join(first) + "\n", "\n".join(second) + "\n"


@pytest.fixture(scope="module")
def articles():
    a_text, b_text = long_pair()
    a, b = article_from_text(a_text, "long-a"), article_from_text(b_text, "long-b")
    assert len(a.sentences) == len(b.sentences) == SENTENCES
    return a, b


class UntilCancelled:
    """An aligner that reports progress until ``cancelled()`` says stop."""

    def align(self, a, b, threshold=0.35, progress=None, cancelled=None, kinds=None):
        from reader.core.align import AlignmentCancelled

        step = 0
        while not cancelled():
            step = (step + 1) % 1000
            progress(step, 1000)
            time.sleep(0.001)  # stands for alignment work; the worker thread, not the test, waits
        raise AlignmentCancelled()


class Ticker:
    """Counts timer ticks on the GUI thread. A test compares the count at successive
    results (``count_at``): if the work ran on the GUI thread, no tick could fire
    between them. Counts, not seconds, so a loaded machine slows the test down
    without failing it. (``longest_gap`` is kept for the benchmarks' eyes only.)"""

    def __init__(self, interval_ms: int = 10) -> None:
        self.ticks = 0
        self.longest_gap = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.ticks:
            self.longest_gap = max(self.longest_gap, now - self._last)
        self._last = now
        self.ticks += 1

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def count_at(self, results: list[int]):
        """A slot that appends the tick count to ``results`` each time it is called."""
        return lambda *_: results.append(self.ticks)


def ticked_throughout(counts: list[int]) -> bool:
    """Whether the GUI thread ticked between the first result and the middle one and
    between the middle one and the last: it kept running while the work went on."""
    if len(counts) < 3:
        return False
    first, middle, last = counts[0], counts[len(counts) // 2], counts[-1]
    return first < middle < last


class Watched:
    """The real aligner, telling the test (thread-safely) while it is running; ``kinds`` as given."""

    def __init__(self, aligner, kinds=None) -> None:
        self._aligner = aligner
        self._kinds = kinds
        self.running = threading.Event()
        self.threads: list[threading.Thread] = []

    def align(self, *args, **kwargs):
        if self._kinds is not None:
            kwargs["kinds"] = self._kinds
        self.threads.append(threading.current_thread())
        self.running.set()
        try:
            return self._aligner.align(*args, **kwargs)
        finally:
            self.running.clear()


@pytest.fixture
def copied_only():
    """No sentence model: the window and the service find copied links only."""
    from reader.core import embedding

    embedding.use_model_files(
        embedding.ModelFiles(Path("/nonexistent/model.onnx"), Path("/nonexistent/t.json"))
    )
    yield
    embedding.use_model_files(None)


def test_a_4000_sentence_pair_aligns_while_the_event_loop_keeps_running(qtbot, articles):
    a, b = articles
    service = AlignmentService()
    # Copied wording: the pure-Python aligner holds the GIL. (Related links of 8,000
    # sentences take the sentence model a minute on a shared core; see the next test.)
    aligner = Watched(Aligner([a, b]), kinds=("copied",))
    service.set_aligner(aligner)
    ticks_while_aligning = []
    ticker = Ticker(interval_ms=5)
    ticker.timer.timeout.connect(lambda: ticks_while_aligning.append(aligner.running.is_set()))
    progress = []
    service.progress.connect(lambda done, total, _what: progress.append((done, total)))
    ticks_at_progress: list[int] = []
    service.progress.connect(ticker.count_at(ticks_at_progress))
    # Garbage collection over the heap earlier tests left behind holds the GIL
    # for a long time in whichever thread triggers it; that is not what is measured.
    gc.collect()
    gc.freeze()
    try:
        ticker.start()
        with qtbot.waitSignal(service.aligned, timeout=60_000) as result:
            assert service.request(a, b, 0.35) is None  # nothing cached: the GUI does not wait
        ticker.timer.stop()
    finally:
        gc.unfreeze()
    key, links = result.args
    assert key == PairKey.of(a, b, 0.35)[0]
    assert len(links) > SENTENCES // 10
    # The aligning ran on another thread, and the GUI thread's timer kept firing
    # while it did: between its first progress report, its middle one and its last.
    assert aligner.threads and threading.main_thread() not in aligner.threads
    assert sum(ticks_while_aligning) > 10, ticks_while_aligning
    assert ticked_throughout(ticks_at_progress), ticks_at_progress
    assert progress and progress[-1][0] == progress[-1][1]
    # Asked again, or the other way round: answered at once from the cache.
    assert service.request(a, b, 0.35) == links
    assert [link.a_span for link in service.request(b, a, 0.35)] == sorted(
        link.b_span for link in links
    )
    assert not service.is_busy()


def test_related_links_are_looked_for_while_the_event_loop_keeps_running(qtbot, monkeypatch):
    from reader.core import embedding, related

    # Fresh text, so the sentence model really embeds it (embeddings are cached per text).
    a_text, b_text = long_pair(300, seed=23)
    a, b = article_from_text(a_text, "mid-a"), article_from_text(b_text, "mid-b")
    embedded_on = []
    real_vectors = embedding.sentence_vectors

    def sentence_vectors(texts, *args, **keywords):
        embedded_on.append(threading.current_thread().name)
        return real_vectors(texts, *args, **keywords)

    monkeypatch.setattr(embedding, "sentence_vectors", sentence_vectors)
    # The generated words are not English, so the matcher would skip them as
    # nonsense (related.is_prose); this test is about threads, so read them as prose.
    monkeypatch.setattr(related, "is_prose", lambda article: True)
    service = AlignmentService()
    aligner = Watched(Aligner([a, b]))
    service.set_aligner(aligner)
    ticks_while_aligning = []
    ticker = Ticker(interval_ms=5)
    ticker.timer.timeout.connect(lambda: ticks_while_aligning.append(aligner.running.is_set()))
    gc.collect()
    ticker.start()
    with qtbot.waitSignal(service.aligned, timeout=120_000) as result:
        assert service.request(a, b, 0.35) is None
    ticker.timer.stop()
    _key, links = result.args
    assert any(link.kind == "copied" for link in links)
    # Both articles went through the sentence model, off the GUI thread.
    assert len(embedded_on) >= 2 and threading.main_thread().name not in embedded_on
    assert aligner.threads and threading.main_thread() not in aligner.threads
    # The GUI thread kept ticking while the worker aligned and embedded.
    assert sum(ticks_while_aligning) > 10, ticks_while_aligning


def test_cancel_stops_the_running_alignment_and_caches_nothing(qtbot, articles):
    a, b = articles
    service = AlignmentService()
    service.set_aligner(Aligner([a, b]))
    with qtbot.waitSignal(
        service.busyChanged, timeout=60_000, check_params_cb=lambda busy: not busy
    ):
        service.request(a, b, 0.3)
        with qtbot.waitSignal(service.progress, timeout=10_000):
            pass
        service.cancel()
    assert service.cached(a, b, 0.3) is None
    assert not service.is_busy()


def test_window_opens_long_articles_without_freezing_and_cancel_button_works(
    make_window, tmp_path, qtbot, copied_only
):
    # Copied links only: what is measured is reading, splitting and aligning 8,000
    # sentences off the GUI thread; the sentence model would add a minute of embedding.
    folder = tmp_path / "long"
    folder.mkdir()
    a_text, b_text = long_pair(seed=11)
    (folder / "a.txt").write_text(a_text, encoding="utf-8")
    (folder / "b.txt").write_text(b_text, encoding="utf-8")
    window = make_window(None)
    ticker = Ticker()
    ticks_at_progress: list[int] = []
    window.alignments.progress.connect(ticker.count_at(ticks_at_progress))
    ticker.start()
    with qtbot.waitSignal(window.alignments.aligned, timeout=60_000):
        assert window.open_paths([folder])
        assert window.alignments.is_busy()
        assert window.alignment_status.progress.isVisibleTo(window)
        assert window.alignment_status.cancel.isVisibleTo(window)
    # Reading, splitting and aligning 8,000 sentences takes seconds; the event loop
    # ran all along: its timer fired between the progress reports.
    assert ticked_throughout(ticks_at_progress), ticks_at_progress
    qtbot.waitUntil(lambda: len(window.comparison.links()) > SENTENCES // 10, timeout=10_000)
    assert "passages linked" in window.alignment_status.summary.text()
    # A stricter threshold starts a new job; the status bar's Cancel stops it. The
    # real aligner may finish first, so this one runs until it is told to stop.
    window.alignments._aligner = UntilCancelled()
    with qtbot.waitSignal(window.alignments.cancelled, timeout=10_000):
        window.similarity.setValue(60)
        assert window.alignments.is_busy()
        qtbot.waitUntil(lambda: window.alignment_status.progress.maximum() == 1000, timeout=10_000)
        window.alignment_status.cancel.click()
    qtbot.waitUntil(lambda: not window.alignments.is_busy(), timeout=30_000)
    assert "cancelled" in window.alignment_status.summary.text().lower()


def test_flipped_links_mirror_both_sides():
    a = article_from_text("Alpha beta gamma delta.\nEpsilon zeta eta theta.\n", "a")
    b = article_from_text("Epsilon zeta eta theta.\nAlpha beta gamma delta.\n", "b")
    links = Aligner([a, b]).align(a, b, threshold=0.2)
    assert links
    flipped = flip_links(links)
    assert sorted(link.b_span for link in flipped) == sorted(link.a_span for link in links)
    assert flip_links(flipped) == sorted(links, key=lambda link: (link.a_span, link.b_span))


def test_linked_share_counts_sentence_characters_once():
    article = article_from_text("One two three.\nFour five six.\n", "x")
    first = article.sentences[0]
    assert linked_share(article, []) == 0
    assert linked_share(
        article, [(first.start, first.end), (first.start, first.end)]
    ) == pytest.approx(0.5)
    assert linked_share(article, [(0, len(article.text))]) == pytest.approx(1.0)
