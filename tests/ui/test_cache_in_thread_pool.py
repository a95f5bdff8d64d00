"""The disk cache keeps one SQLite connection per thread of Qt's pool, not one per job."""

from __future__ import annotations

from PySide6.QtCore import QRunnable, QThreadPool

from reader.core import articles
from reader.core.cache import TextCache


class _Split(QRunnable):
    def __init__(self, cache: TextCache, text: str) -> None:
        super().__init__()
        self.cache, self.text = cache, text

    def run(self) -> None:
        self.cache.stats(self.text, articles.split_sentences)


def test_jobs_on_one_pool_thread_share_one_database_connection(tmp_path, monkeypatch, qtbot):
    # Each job of Qt's pool runs in a fresh Python thread state, and a threading.local
    # went with it: opening a 1,000-article folder opened a connection (and a write
    # transaction) per batch of pairs, ~1,700, each left to the garbage collector.
    cache = TextCache(tmp_path)
    opened = []
    real_open = TextCache._open_checked

    def counting(self):
        opened.append(1)
        return real_open(self)

    monkeypatch.setattr(TextCache, "_open_checked", counting)
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    # All queued at once, so that the pool's one thread runs them all: waitForDone after
    # each would end that thread (Qt removes the pool's threads), and the next job would
    # run on a new one, which passed only when the OS gave it the ended thread's id.
    jobs = [
        _Split(cache, f"Sentence number {n} is here. Another one follows it.\n") for n in range(6)
    ]
    for job in jobs:
        pool.start(job)
    assert pool.waitForDone(30_000)
    assert len(opened) == 1
    # ... and what was stored is read back by the next job.
    assert cache.stats(
        "Sentence number 0 is here. Another one follows it.\n", articles.split_sentences
    )
