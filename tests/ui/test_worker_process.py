"""The window's background pairs are aligned in a worker process: links arrive and are
shown, a killed worker is replaced without losing a pair, and the worker ends with
the window."""

from __future__ import annotations

import os
import signal
from multiprocessing.connection import wait

import pytest

from reader.core.corpus_generator import write_corpus
from reader.ui import workers

WAIT_MS = 120_000  # a spawned worker imports the core first; the machine may be loaded


@pytest.fixture
def in_process_worker(monkeypatch):
    """These tests run the real worker process (the others align in a thread)."""
    monkeypatch.setattr(workers, "ALIGN_IN_WORKER_PROCESS", True)
    monkeypatch.setattr(workers, "WORKER_PROCESS_FROM_ARTICLES", 1)  # small folders too


def _corpus(tmp_path, n):
    folder = tmp_path / "corpus"
    write_corpus(folder, n, seed=5, prose=False)  # invented words: copied links only
    return folder


def _open_generated(make_window, tmp_path, n):
    """A window opening a generated folder of ``n`` articles, and the batches it is sent."""
    window = make_window(wait=False)
    batches = []
    window.alignments.alignedMany.connect(batches.append)
    assert window.open_paths([str(_corpus(tmp_path, n))])
    return window, batches


def _all_candidates_aligned(window) -> bool:
    store = window.alignments.store
    threshold = window.threshold()
    return all(
        store.summary(a, b, threshold) is not None for a, b in window.alignments.candidate_list
    )


def test_links_found_by_the_worker_process_reach_the_window(
    in_process_worker, make_window, tmp_path, qtbot, monkeypatch
):
    from reader.core import embedding

    monkeypatch.setattr(embedding, "_tried", False)  # as in a window just started
    monkeypatch.setattr(embedding, "_encoder", None)
    window, batches = _open_generated(make_window, tmp_path, 12)
    qtbot.waitUntil(lambda: window.alignments.worker_pid() is not None, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: window.corpus is not None and not window.alignments.is_busy(), timeout=WAIT_MS
    )
    assert batches, "no batch came back from the worker"
    assert window.alignments.worker_pid() != os.getpid()
    # The sentence model is the worker's: the window's process never loaded it (0.1 s of
    # GIL and ~100 MB).
    assert not embedding._tried
    assert _all_candidates_aligned(window)
    # The same links as the window's own aligner finds for each pair.
    aligner = window.alignments.aligner()
    threshold = window.threshold()
    linked = 0
    for a, b in window.alignments.candidate_list:
        pair = window.alignments.pair(a, b, threshold)
        mine = aligner.align(a, b, threshold=threshold, wording=False, sentence_model=False)
        assert [(link.a_span, link.b_span) for link in pair.links] == [
            (link.a_span, link.b_span) for link in mine
        ]
        linked += bool(mine)
    assert linked >= 3
    # The pair the window shows first was asked of the worker too: its copied links come
    # with their identical word runs, which the panes mark.
    shown = window.comparison.links()
    assert shown and any(link.matches for link in shown)
    # The window shows them: stories in the corpus view, a closest article in the list.
    window._refresh_corpus_answers()
    assert window.corpus_dock.stories.story_count() >= 1
    model = window.article_dock.model
    column = model.HEADERS.index("Closest")
    shown = [model.index(row, column).data() for row in range(model.rowCount())]
    assert len(shown) == 12
    assert sum(text != "—" for text in shown) >= 3, shown


def test_a_killed_worker_is_replaced_and_no_pair_is_lost(
    in_process_worker, make_window, tmp_path, qtbot, dialogs
):
    window, batches = _open_generated(make_window, tmp_path, 40)
    qtbot.waitUntil(lambda: len(batches) >= 1, timeout=WAIT_MS)
    first = window.alignments.worker_pid()
    assert first is not None and window.alignments.is_busy()
    os.kill(first, signal.SIGKILL)
    qtbot.waitUntil(
        lambda: "ended unexpectedly" in window.statusBar().currentMessage(), timeout=WAIT_MS
    )
    message = window.statusBar().currentMessage()
    assert "SIGKILL" in message and "started again" in message
    qtbot.waitUntil(lambda: not window.alignments.is_busy(), timeout=WAIT_MS)
    assert window.alignments.worker_pid() not in (None, first)
    assert _all_candidates_aligned(window)
    assert dialogs.shown == []  # said in the status bar, no error box


def test_the_worker_ends_with_the_window(in_process_worker, make_window, tmp_path, qtbot):
    window = make_window([_corpus(tmp_path, 8)])
    process = window.alignments._process
    assert process is not None and process.process.is_alive()
    window.close()
    assert wait([process.process.sentinel], timeout=30) == [process.process.sentinel]
    assert window.alignments.worker_pid() is None


def test_cancel_a_new_threshold_and_a_new_folder_reach_the_worker(
    in_process_worker, make_window, tmp_path, qtbot
):
    window, batches = _open_generated(make_window, tmp_path, 40)
    qtbot.waitUntil(lambda: len(batches) >= 1, timeout=WAIT_MS)
    # Cancel stops the worker's batch: the window is idle with pairs left unaligned.
    cancelled = []
    window.alignments.cancelled.connect(lambda: cancelled.append(True))
    window.alignments.cancel()
    qtbot.waitUntil(lambda: not window.alignments.is_busy(), timeout=WAIT_MS)
    assert cancelled and not _all_candidates_aligned(window)
    # A new threshold: every candidate pair is aligned again at it, in the worker.
    window.set_threshold(0.5)
    qtbot.waitUntil(lambda: not window.alignments.is_busy(), timeout=WAIT_MS)
    assert window.threshold() == 0.5 and _all_candidates_aligned(window)
    # A new folder: the worker is handed the new corpus; no pair of the old one is kept.
    first_worker = window.alignments.worker_pid()
    other = tmp_path / "other"
    write_corpus(other, 10, seed=9, prose=False)
    assert window.open_paths([str(other)])
    qtbot.waitUntil(
        lambda: (
            window.corpus is not None
            and {a.path.parent for a in window.corpus.articles} == {other}
            and not window.alignments.is_busy()
        ),
        timeout=WAIT_MS,
    )
    assert window.alignments.worker_pid() == first_worker  # the same process, a new corpus
    assert _all_candidates_aligned(window)
    kept = {(a.id, a.sha256) for a in window.corpus.articles}
    assert all(
        {(s.key.a_id, s.key.a_sha), (s.key.b_id, s.key.b_sha)} <= kept
        for s in window.alignments.store.summaries(window.threshold())
    )


def test_a_small_folder_aligns_without_a_second_process(monkeypatch, make_window, tmp_path, qtbot):
    # A second process would hold a second sentence model for a folder that settles in seconds.
    monkeypatch.setattr(workers, "ALIGN_IN_WORKER_PROCESS", True)
    window = make_window(wait=False)
    assert window.open_paths([str(_corpus(tmp_path, 12))])
    qtbot.waitUntil(
        lambda: window.corpus is not None and not window.alignments.is_busy(), timeout=WAIT_MS
    )
    assert window.alignments.worker_pid() is None
    assert _all_candidates_aligned(window)
