"""Embedding a corpus's sentences ahead of its related pass, on a thread of its own.

A corpus's background work aligns every candidate pair twice: by words first (the
copied pass, pure Python on one core), with the sentence model later (the related
pass). On a cold cache most of the second pass is the model. The sentences the
model will be asked for are known as soon as a pair's words are compared
(``Aligner.related_sentences`` of the links it keeps for the second pass), so this
thread embeds them, in the order the pairs will come, while the copied pass runs on
the other core, and keeps ahead of the related pass after that. The model releases
the GIL while it runs, so the two threads use both cores. The vectors go where the
related pass looks for them (``embedding``: memory, then the disk cache), and the
model gives the same vectors whatever shares its batch (bit for bit), so no link
changes. A sentence one thread is encoding is not encoded by the other
(``embedding.sentence_vectors`` waits for it instead).

Used by the worker process (``align_process``), whose GIL is its own: in the window's
process a second busy thread would take the GIL from the GUI thread.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.core.align import Aligner, Link, _PendingKey
    from reader.core.articles import Article

# Sentences gathered before the model is called: alike lengths are batched together
# (the model pads a batch to its longest), so more at a time wastes less padding.
CHUNK_TEXTS = 512
# Sentences encoded between two looks at ``paused``/``close``: how long a cancel, a
# pair the person asks for or a new corpus waits for this thread (~0.4 s of one core).
STEP_TEXTS = 64
# How much nicer than the worker's main thread this one runs (Linux: per thread;
# SOURCE_READER_EMBED_AHEAD_NICE). At 5, on a machine shared with another benchmark at
# the same niceness as the worker, this thread got 1.8 CPU s during the 10 s copied pass
# and the related pass ran on one core (1,000 articles cold: related pass 58.9 s wall,
# 59.1 CPU s; at 0, 43.5 s wall, 49.9 CPU s).
NICENESS = int(os.environ.get("SOURCE_READER_EMBED_AHEAD_NICE", "0") or 0)
_PAUSE_POLL_S = 0.1
# Pairs offered before the thread is woken (fewer are looked at within _PAUSE_POLL_S).
_WAKE_AFTER = 64


class EmbedAhead:
    """A thread embedding the sentences the related pass of the pairs waiting in
    ``aligner`` will ask for, in the order the pairs are offered: first the story
    sentences of each article met (``related.story_sentences``: cheap to find, once per
    article), then, pair by pair, the clauses and copied sentences only that pair's
    anchored pass compares (``Aligner.related_sentences``: found per pair, so only when
    the model had to encode most of the first, a cold cache). ``paused()`` true: it
    waits (a cancelled corpus, a pair the person asked for)."""

    def __init__(
        self,
        aligner: Aligner,
        paused: Callable[[], bool],
        *,
        chunk: int = CHUNK_TEXTS,
        niceness: int = NICENESS,
    ) -> None:
        self._aligner = aligner
        self._paused = paused
        self._chunk = chunk
        self._niceness = niceness
        self._offered: deque[tuple[_PendingKey, Article, Article, list[Link]]] = deque()
        self._pairs: deque[tuple[_PendingKey, Article, Article, list[Link]]] = deque()
        self._stories: deque[str] = deque()  # story sentences of the articles met
        self._met: set[int] = set()  # ids of the articles whose story sentences are queued
        self._condition = threading.Condition()
        self._closed = False
        self._busy = False
        self.encoded = 0  # sentences this thread had the model encode
        self.read = 0  # sentences it found on disk (a warm cache)
        self._thread = threading.Thread(target=self._run, name="embed-ahead", daemon=True)
        self._thread.start()

    def offer(self, key: _PendingKey, a: Article, b: Article, links: list[Link]) -> None:
        """A pair whose links found by words wait for its related pass (``Aligner._keep_pending``)."""
        with self._condition:
            self._offered.append((key, a, b, links))
            if len(self._offered) == _WAKE_AFTER:
                # Not at every pair: each wake takes the GIL from the thread comparing words.
                self._condition.notify()

    def close(self, wait_s: float = 0.0) -> None:
        """Stop after the sentences being encoded, waited for up to ``wait_s``."""
        with self._condition:
            self._closed = True
            self._offered.clear()
            self._pairs.clear()
            self._stories.clear()
            self._condition.notify_all()
        if wait_s > 0 and self._thread is not threading.current_thread():
            self._thread.join(wait_s)

    def join(self, timeout_s: float | None = None) -> None:
        self._thread.join(timeout_s)

    def wait_until_idle(self, timeout_s: float) -> bool:
        """Wait until every pair offered is looked at and nothing is being encoded (or
        ``timeout_s`` passes, or it is closed); whether it is idle."""
        with self._condition:
            return self._condition.wait_for(
                lambda: self._closed or not (self._work_left() or self._busy), timeout_s
            )

    def _cold(self) -> bool:
        """Whether the model encoded most of what was looked for: the pairs' own
        sentences are worth finding ahead (on a warm cache the related pass reads them
        from disk at its turn for less than finding them here costs)."""
        return self.encoded > self.read

    def _work_left(self) -> bool:
        return bool(self._offered or self._stories or (self._pairs and self._cold()))

    def _stopping(self) -> bool:
        return self._closed or self._paused()

    def _run(self) -> None:
        if self._niceness and hasattr(os, "setpriority"):
            with contextlib.suppress(OSError, AttributeError):
                thread = threading.get_native_id()
                current = os.getpriority(os.PRIO_PROCESS, thread)
                os.setpriority(os.PRIO_PROCESS, thread, current + self._niceness)
        while True:
            with self._condition:
                self._busy = False
                self._condition.notify_all()
                waited = False
                while not self._closed:
                    # A few pairs offered wait a little for more (gathered in one go).
                    ready = (
                        self._stories
                        or (self._pairs and self._cold())
                        or len(self._offered) >= _WAKE_AFTER
                        or (self._offered and waited)
                    )
                    if ready and not self._paused():
                        break
                    self._condition.wait(_PAUSE_POLL_S)
                    waited = True
                if self._closed:
                    return
                self._busy = True
            try:
                if not self._embed(self._gather()):
                    with self._condition:
                        self._closed = True  # no model: nothing to do ahead
                        self._condition.notify_all()
                    return
            except Exception:  # the related pass embeds what is missing itself
                continue

    def _meet_offered(self) -> None:
        """Queue the story sentences of the articles of the pairs offered, once each (of
        prose pairs only: the related pass skips the others), and the pairs."""
        from reader.core import related

        while True:
            with self._condition:
                if not self._offered:
                    return
                offered = self._offered.popleft()
            _key, a, b, _links = offered
            if not (related.is_prose(a) and related.is_prose(b)):
                continue
            texts: list[str] = []
            for article in (a, b):
                if id(article) not in self._met:
                    self._met.add(id(article))
                    texts.extend(
                        article.sentences[i].text for i in related.story_sentences(article)
                    )
            with self._condition:
                self._stories.extend(texts)
                self._pairs.append(offered)

    def _gather(self) -> list[str]:
        """The next sentences nobody has a vector of or is encoding, up to the chunk's size:
        story sentences first, then the pairs' own."""
        from reader.core import embedding

        self._meet_offered()
        wanted: dict[str, None] = {}
        with self._condition:
            while self._stories and len(wanted) < self._chunk:
                wanted[self._stories.popleft()] = None
        if wanted:
            return embedding.unclaimed(list(wanted))
        if not self._cold():
            with self._condition:
                self._pairs.clear()  # warm: not looked at, and not kept either
            return []
        while len(wanted) < self._chunk and self._cold() and not self._stopping():
            with self._condition:
                if not self._pairs:
                    break
                key, a, b, links = self._pairs.popleft()
            if not self._aligner.still_pending(key, a, b):
                continue  # its related pass came first, or the threshold changed
            side_a, side_b = self._aligner.related_sentences(a, b, links)
            wanted.update(dict.fromkeys(embedding.unclaimed(side_a + side_b)))
        return list(wanted)

    def _embed(self, texts: list[str]) -> bool:
        """Encode ``texts`` in steps of alike lengths; False without a model."""
        from reader.core import embedding

        encoded = [0]  # told only when the model runs: how many it encodes

        def told(_done: int, total: int) -> None:
            encoded[0] = total

        texts.sort(key=len)
        for first in range(0, len(texts), STEP_TEXTS):
            if self._stopping():
                return True
            step = embedding.unclaimed(texts[first : first + STEP_TEXTS])
            if step:
                encoded[0] = 0
                if embedding.sentence_vectors(step, told, self._stopping) is None:
                    return False
                self.encoded += encoded[0]
                self.read += len(step) - encoded[0]
        return True
