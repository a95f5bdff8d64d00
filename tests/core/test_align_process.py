"""Background pairs aligned in a worker process: the same links as in the window's own
process, stopped on request, and no worker outliving the process that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from multiprocessing.connection import wait
from pathlib import Path

import pytest

from reader.core.align_process import (
    AlignmentProcess,
    BatchRequest,
    BatchResult,
    CorpusMessage,
    WorkerCorpus,
    align_batch,
    bare,
    message_of,
)
from reader.core.articles import load_corpus
from reader.core.comparison import linked_share
from reader.core.corpus_generator import write_corpus
from reader.core.corpus_index import CorpusIndex

WAIT_S = 60  # a spawned worker imports the core first: generous on a loaded machine


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Twelve generated articles (invented words: copied links only) and their index."""
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 12, seed=3, prose=False)
    articles = list(load_corpus(folder).articles)
    index = CorpusIndex.build(articles)
    pairs = tuple((c.a, c.b) for c in index.pairs_to_compare())
    return articles, index, pairs


def expected(articles, index, pairs, threshold=0.35):
    """The links and shares the window's process would find (copied links, no word runs)."""
    aligner = index.aligner()
    found = {}
    for n, m in pairs:
        links = aligner.align(
            articles[n], articles[m], threshold=threshold, wording=False, sentence_model=False
        )
        found[(n, m)] = (
            tuple(links),
            linked_share(articles[n], [link.a_span for link in links]),
            linked_share(articles[m], [link.b_span for link in links]),
        )
    return found


def test_a_batch_finds_the_links_the_window_would(corpus):
    articles, index, pairs = corpus
    worker = WorkerCorpus(1, [bare(a) for a in articles])
    request = BatchRequest(1, 1, pairs, 0.35, "copied", budget_s=1e9)
    result = align_batch(worker, request, lambda: False)
    assert [(r.a, r.b) for r in result.done] == list(pairs)
    want = expected(articles, index, pairs)
    assert {(r.a, r.b): (r.links, r.a_share, r.b_share) for r in result.done} == want
    assert sum(1 for r in result.done if r.links) >= 3  # the generated stories share passages


def test_a_stopped_batch_does_nothing_and_an_out_of_time_one_hands_back_the_rest(corpus):
    articles, _index, pairs = corpus
    worker = WorkerCorpus(1, [bare(a) for a in articles])
    stopped = align_batch(worker, BatchRequest(1, 1, pairs, 0.35, "copied"), lambda: True)
    assert stopped.done == ()
    hurried = align_batch(
        worker, BatchRequest(1, 2, pairs, 0.35, "copied", budget_s=0), lambda: False
    )
    assert len(hurried.done) == 1  # the first pair always, then out of time


def test_a_batch_says_why_it_found_no_related_links(corpus, monkeypatch):
    # The window does not load the sentence model for a corpus aligned in the worker: the
    # worker says when it could not.
    from reader.core import embedding

    articles, _index, pairs = corpus
    reason = "Related links are off: minilm.onnx: not a usable model file."
    monkeypatch.setattr(embedding, "_tried", True)
    monkeypatch.setattr(embedding, "_encoder", None)
    monkeypatch.setattr(embedding, "_reason", reason)
    worker = WorkerCorpus(1, [bare(a) for a in articles])
    related = align_batch(worker, BatchRequest(1, 1, pairs[:2], 0.35, "related"), lambda: False)
    assert related.related_reason == reason
    copied = align_batch(worker, BatchRequest(1, 2, pairs[:2], 0.35, "copied"), lambda: False)
    assert copied.related_reason is None  # not asked for


def _start(received, ended):
    arrived = threading.Event()

    def on_message(_process, raw):
        received.append(message_of(raw))
        arrived.set()

    process = AlignmentProcess(on_message, lambda _process, code: ended.append(code))
    return process, arrived


def test_the_worker_process_aligns_batches_and_ends_when_closed(corpus):
    articles, index, pairs = corpus
    received: list = []
    ended: list = []
    process, arrived = _start(received, ended)
    try:
        process.send(CorpusMessage(7, tuple(bare(a) for a in articles)))
        process.send(BatchRequest(7, 1, pairs, 0.35, "copied", budget_s=1e9))
        assert arrived.wait(WAIT_S)
        (result,) = received
        assert isinstance(result, BatchResult) and (result.generation, result.batch) == (7, 1)
        want = expected(articles, index, pairs)
        assert {(r.a, r.b): (r.links, r.a_share, r.b_share) for r in result.done} == want
        # A batch of a corpus the worker does not have comes back with nothing done.
        arrived.clear()
        process.send(BatchRequest(6, 2, pairs, 0.35, "copied"))
        assert arrived.wait(WAIT_S)
        assert received[-1].done == ()
    finally:
        process.close()
    assert not process.process.is_alive()
    assert ended == []  # closed, not crashed: no exit reported


def test_a_killed_worker_is_reported(corpus):
    received: list = []
    ended: list = []
    gone = threading.Event()
    process = AlignmentProcess(
        lambda _p, raw: received.append(message_of(raw)),
        lambda _p, code: (ended.append(code), gone.set()),
    )
    try:
        os.kill(process.pid, signal.SIGKILL)
        assert gone.wait(WAIT_S)
        assert ended == [-signal.SIGKILL]
    finally:
        process.close()


PARENT = """
import sys, threading
from reader.core.align_process import AlignmentProcess
process = AlignmentProcess(lambda *a: None, lambda *a: None)
print(process.pid, flush=True)
threading.Event().wait()  # until killed
"""


@pytest.mark.skipif(
    not hasattr(os, "pidfd_open"), reason="waits on the worker with a pidfd (Linux)"
)
def test_the_worker_ends_when_its_parent_is_killed(tmp_path: Path):
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        assert parent.stdout is not None
        worker_pid = int(parent.stdout.readline())
        worker = os.pidfd_open(worker_pid)
    finally:
        parent.kill()
        parent.wait()
    try:
        # The worker is not our child: its pidfd becomes readable when it exits.
        assert wait([worker], timeout=WAIT_S) == [worker], "the worker outlived its parent"
    finally:
        os.close(worker)


UNGUARDED = """
from reader.core.align_process import AlignmentProcess
print("script ran", flush=True)
process = AlignmentProcess(lambda *a: None, lambda *a: None)
process.close()
"""


def test_a_script_without_a_main_guard_is_not_run_again_by_the_worker(tmp_path: Path):
    script = tmp_path / "unguarded.py"
    script.write_text(UNGUARDED)
    ran = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=WAIT_S
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.count("script ran") == 1, ran.stdout
