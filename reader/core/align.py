"""Find the passages two articles share, wherever each outlet put them.

The method follows the strong systems of the PAN text-alignment task:

1. **Seeding.** Every sentence becomes a vector of its word stems weighted by
   rarity across the corpus (tf-idf over the corpus's sentences, damped for
   words that every article uses). Candidate pairs come from an inverted
   index of rare stems, so the cost grows with the text, not with the
   product of the lengths. A pair whose cosine reaches the threshold and
   that shares at least two informative words is a seed.
2. **Joining.** Seeds that are consecutive in both articles form one passage,
   which also joins one sentence to the two halves the other outlet split it
   into.
3. **Extending.** A passage takes in a neighbouring sentence on either side
   while that raises the passage's similarity, catching a fragment of a split
   sentence too short to seed on its own.
4. **Wording.** difflib finds the identical word runs inside each passage, so
   copied wire copy can be told from rewording; a passage is a copied link
   only when the two share a phrase (``everyday_phrases``), and a related one
   when they share names and single words only.

Site furniture ("Read More" and its headline list, comment prompts) takes no
part: see ``furniture.py``.
"""

from __future__ import annotations

import difflib
import itertools
import math
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.core.articles import Article
from reader.core.furniture import furniture_indices, heading_indices
from reader.core.sentences import Sentence
from reader.core.words import WordSpans, content_stems, everyday_phrases, word_spans

if TYPE_CHECKING:
    from reader.core.embed_ahead import EmbedAhead

DEFAULT_THRESHOLD = 0.35

# A stem found in more sentences than this is too common to find candidates
# by (it still counts in the similarity of the candidates found otherwise);
# this bound is what keeps seeding close to linear on long articles.
_MAX_POSTINGS = 64
_MAX_CANDIDATES_PER_SENTENCE = 4
_MIN_SHARED_WORDS = 2
# Beyond this many word pairs, difflib runs on slices of a passage rather
# than the whole of it, so one huge passage cannot cost quadratic time.
_DIFFLIB_CELL_BUDGET = 400_000
_PROGRESS_EVERY = 128
_MIN_COPIED_WORDS = 3
_MIN_COPIED_CHARS = 15
# How many subheadings may stand between two passages that are still one.
_GAP = 1
# A heading or byline ("Space Technology", "Rodong Sinmun") is contained in
# many sentences; containment only counts for passages with more to say.
_MIN_WORDS_FOR_CONTAINMENT = 6
# A neighbouring sentence joins a passage when this share of its weight is
# found in the other side's passage (a fragment of a split sentence).
_EXTENSION_COVERAGE = 0.35
# ... or when it brings this many words of the other side's passage that its
# own side lacks: the half of a merged sentence that the other half missed.
_EXTENSION_NEW_WORDS = 3
# A corpus's background work aligns each candidate pair twice: links found by words
# first (``sentence_model=False``, the window's copied pass), the sentence model's
# related links later (its related pass). The first answer waits for the second here,
# so words are compared once per pair: at most this many pairs wait (oldest dropped; a
# pair's links weigh ~2 KB: the 10,336 pairs of 1,000 generated articles added ~23 MB
# to the window's peak, as the store keeps the links of its last 2,000 pairs only).
_PENDING_LIMIT = 40_000
# When the related pass of a corpus meets sentences without vectors, it embeds those of
# the pairs coming next too, up to this many sentences (and looking at most this many
# pairs ahead): the model embeds a sentence with a third less CPU in batches of 16 than
# one or two at a time, as the pairs came one by one (4,421 sentences in 2,740 calls on
# 1,000 generated articles). Bounded, so that a huge corpus does not fill the vector
# cache (``embedding._CACHE_LIMIT``) with sentences evicted before their pair comes.
_EMBED_AHEAD_TEXTS = 512
_EMBED_AHEAD_PAIRS = 2_000

COPIED = "copied"
RELATED = "related"
KINDS = (COPIED, RELATED)
# A pair aligned in one order at one threshold, with or without word runs: (id of A, id of B,
# threshold, wording).
_PendingKey = tuple[int, int, float, bool]


class AlignmentCancelled(Exception):
    """The caller's ``cancelled()`` said to stop."""


@dataclass(frozen=True)
class Link:
    """A passage of A and the passage of B that tells the same thing."""

    a_sentences: tuple[int, int]
    b_sentences: tuple[int, int]
    a_span: tuple[int, int]
    b_span: tuple[int, int]
    score: float
    matches: tuple[tuple[int, int, int], ...]
    # "copied": shared wording (``matches`` are the identical runs);
    # "related": the same fact in other words (``matches`` are shared details).
    kind: str = COPIED
    # The sentence pairs (index in A, index in B) found alike at the threshold.
    # A passage also takes in neighbouring sentences to be whole (a spokesperson's
    # quote beside the fact both report), which the other article need not carry.
    # Empty: every sentence of the passage counts (a link made by hand).
    pairs: tuple[tuple[int, int], ...] = field(default=(), compare=False)

    def carries(self, a: Article, start: int, end: int) -> bool:
        """Whether B has a counterpart of A's text [start, end): a sentence of A
        overlapping it was itself matched to a sentence of B, not only joined to
        the passage around it (any overlap counts for a link without pairs)."""
        if not (self.a_span[0] < end and start < self.a_span[1]):
            return False
        if not self.pairs:
            return True
        return any(
            a.sentences[i].start < end and start < a.sentences[i].end
            for i, _ in self.pairs
            if 0 <= i < len(a.sentences)
        )

    @property
    def copied_chars(self) -> int:
        """How many characters of A's passage are copied word for word."""
        return sum(length for _, _, length in self.matches)


@dataclass
class _Profile:
    """What the aligner needs of one article, computed once."""

    sentences: Sequence[Sentence]  # the article's Sentence values
    vectors: list[dict[str, float]]
    norms: list[float]
    totals: list[float]
    furniture: frozenset[int]
    headings: frozenset[int]
    # Found when first asked, then kept: an article is in tens of pairs of a corpus.
    _postings: dict[str, list[int]] | None = field(default=None, repr=False)
    _restating: frozenset[int] | None = field(default=None, repr=False)

    def postings(self) -> dict[str, list[int]]:
        """Stem -> the sentences (not furniture) that have it, for stems in at most
        _MAX_POSTINGS sentences: those that find seeds (see ``_seeds``). Built per pair
        before, it was a third of finding seeds."""
        if self._postings is None:
            postings: dict[str, list[int]] = defaultdict(list)
            for j, vector in enumerate(self.vectors):
                if j not in self.furniture:
                    for stem_ in vector:
                        postings[stem_].append(j)
            self._postings = {
                stem_: found for stem_, found in postings.items() if len(found) <= _MAX_POSTINGS
            }
        return self._postings

    def restating(self, article: Article) -> frozenset[int]:
        """The sentences that could restate a fact in other words (``_may_restate``): the
        story sentences of a prose article, none of another."""
        if self._restating is None:
            from reader.core.related import is_prose, story_sentences

            self._restating = (
                frozenset(story_sentences(article)) if is_prose(article) else frozenset()
            )
        return self._restating


class Aligner:
    """Aligns articles of one corpus, with word rarity taken from the whole corpus.

    Construction does the per-article work (a few answers per article are
    found when first asked, then kept); ``align`` otherwise only reads, apart
    from the links a pair's first pass leaves for its second (under a lock),
    so one aligner can serve several threads.
    """

    def __init__(self, articles: Sequence[Article]) -> None:
        articles = list(articles)
        stems_by_article = [[content_stems(s.text) for s in a.sentences] for a in articles]
        self._rarity = _rarity_weights(stems_by_article)
        self._profiles: dict[int, tuple[Article, _Profile]] = {}
        for article, stems in zip(articles, stems_by_article, strict=True):
            self._profiles[id(article)] = (article, self._profile(article, stems))
        self._start_pending()

    @classmethod
    def from_stems(
        cls,
        articles: Sequence[Article],
        stems_by_article: Sequence[Sequence[Sequence[str]]],
        rarity: _Rarity | None = None,
    ) -> Aligner:
        """An aligner from stems already known (a ``CorpusIndex``, the cache): nothing is stemmed again.

        ``rarity`` comes from a larger corpus when given (then only the
        articles to be aligned need profiles); else from these articles.
        """
        aligner = cls.__new__(cls)
        stems = [[list(sentence) for sentence in article] for article in stems_by_article]
        aligner._rarity = rarity if rarity is not None else _rarity_weights(stems)
        aligner._profiles = {
            id(article): (article, aligner._profile(article, article_stems))
            for article, article_stems in zip(articles, stems, strict=True)
        }
        aligner._start_pending()
        return aligner

    def _start_pending(self) -> None:
        # (id of A, id of B, threshold, wording) -> (A, B, links found by words): the
        # pairs aligned without the sentence model, whose related links may be asked next.
        self._pending: dict[_PendingKey, tuple[Article, Article, list[Link]]] = {}
        self._pending_setting: tuple[float, bool] | None = None  # their threshold, wording
        self._pending_lock = threading.Lock()
        self._embedder: EmbedAhead | None = None  # see ``embed_ahead_in_background``

    def embed_ahead_in_background(self, paused: Callable[[], bool]) -> None:
        """From now on, embed the sentences of the pairs waiting for their related pass on
        a thread of their own (``embed_ahead.EmbedAhead``), while this one aligns: for a
        process that aligns nothing else (the worker process), as it takes the GIL at times.
        ``paused()`` true: that thread waits. Nothing found changes."""
        from reader.core import embedding
        from reader.core.embed_ahead import EmbedAhead

        if self._embedder is None and embedding.available():
            self._embedder = EmbedAhead(self, paused)

    def close(self, wait_s: float = 0.0) -> None:
        """Stop embedding ahead (waiting up to ``wait_s`` for it); the aligner still aligns."""
        if self._embedder is not None:
            self._embedder.close(wait_s)
            self._embedder = None

    def still_pending(self, key: _PendingKey, a: Article, b: Article) -> bool:
        """Whether the links found by words of ``key`` (those articles') still wait for its
        related pass."""
        with self._pending_lock:
            kept = self._pending.get(key)
        return kept is not None and kept[0] is a and kept[1] is b

    def align(
        self,
        a: Article,
        b: Article,
        threshold: float = DEFAULT_THRESHOLD,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        kinds: Sequence[str] = KINDS,
        copied_found: Callable[[list[Link]], None] | None = None,
        wording: bool = True,
        sentence_model: bool = True,
    ) -> list[Link]:
        """The links of ``kinds`` between ``a`` and ``b``, ordered by A.

        Links score at least ``threshold``. Two passes find them. The first
        compares words: a passage is copied when the two share wording (see
        ``everyday_phrases``), related when they share only names and single
        words. The second, with the sentence model (see ``related.py``),
        finds the same fact in other words among the sentences the first
        left alone; without the model, or with ``sentence_model=False``, it
        does not run (``embedding.unavailable_reason()`` says why).
        ``copied_found`` is handed the first pass's links as soon as they are
        known, before the slower related ones are looked for (a window draws
        them at once). ``cancelled`` is asked throughout, the embedding of
        sentences included. ``wording=False`` leaves copied links without
        their identical word runs (``matches`` empty), for callers that need
        only which passages are linked (the corpus map): finding the runs is
        about 40% of aligning a pair. A pair aligned with
        ``sentence_model=False`` (kinds including related) keeps its links
        found by words until it is asked again, the same way round at the same
        threshold and ``wording``, with the model (a corpus's second pass):
        words are compared once, and that pass embeds the sentences of the
        pairs waiting next along with this pair's (``_embed_ahead``).
        """
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown link kind(s) {sorted(unknown)}; known: {', '.join(KINDS)}")
        key: _PendingKey = (id(a), id(b), threshold, wording)
        waited = self._take_pending(key, a, b) if RELATED in kinds and sentence_model else None
        if waited is not None:
            by_words = waited
            if progress is not None:
                progress(len(a.sentences), len(a.sentences))
        else:
            by_words = self._by_words(a, b, threshold, progress, cancelled, wording)
        if RELATED in kinds and not sentence_model:
            self._keep_pending(key, a, b, by_words)
        links = [link for link in by_words if link.kind in kinds]
        if RELATED in kinds and sentence_model:
            if cancelled is not None and cancelled():
                raise AlignmentCancelled()
            if copied_found is not None:
                copied_found(list(links))
            basis = self.related_basis(a, b, threshold, by_words, cancelled)
            if waited is not None:
                self._embed_ahead(a, b, basis, threshold, wording, cancelled)
            links = links + self.related(a, b, basis, threshold, cancelled)
            links.sort(key=lambda link: (link.a_span, link.b_span))
        return links

    def _keep_pending(self, key: _PendingKey, a: Article, b: Article, links: list[Link]) -> None:
        """Keep the links found by words of a pair aligned without the sentence model: its
        related links may be asked next (a corpus's second pass), words need not be compared
        again. The links are frozen values, shared with whoever keeps them."""
        with self._pending_lock:
            if self._pending_setting != key[2:]:
                # Another threshold (the slider moved) or wording: a corpus's passes are at
                # one, and pairs waiting at the last one would wait for nothing.
                self._pending.clear()
                self._pending_setting = key[2:]
            self._pending.pop(key, None)  # to the end: the newest
            kept = list(links)
            self._pending[key] = (a, b, kept)
            while len(self._pending) > _PENDING_LIMIT:
                del self._pending[next(iter(self._pending))]
        embedder = self._embedder
        if embedder is not None and key[2] <= DEFAULT_THRESHOLD:
            # Stricter than the default, the related pass's basis is not these links
            # (``related_basis``): nothing to embed ahead from them.
            embedder.offer(key, a, b, kept)

    def _take_pending(self, key: _PendingKey, a: Article, b: Article) -> list[Link] | None:
        """The links found by words kept for ``key`` (forgotten now), if those same articles'."""
        with self._pending_lock:
            kept = self._pending.pop(key, None)
        if kept is None or kept[0] is not a or kept[1] is not b:
            return None
        return list(kept[2])

    def _embed_ahead(
        self,
        a: Article,
        b: Article,
        basis: list[Link],
        threshold: float,
        wording: bool,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        """In a corpus's related pass, when this pair has sentences without vectors in
        memory, get those of the pairs waiting next (``_pending``, in the order their words
        were compared: the order the pass asks for them) in one go, up to
        _EMBED_AHEAD_TEXTS sentences. The model's vectors do not depend on which
        sentences share its batch, so nothing found changes; only the calls get fewer
        and fuller. ``cancelled`` is asked between chunks (``related._embedded``)."""
        from reader.core import embedding
        from reader.core.related import _embedded

        if threshold > DEFAULT_THRESHOLD or not embedding.available():
            # Stricter than the default, a pair's basis is its links at the default
            # threshold (``related_basis``), not those kept: finding them ahead costs a
            # comparison of words per pair.
            return
        texts = self.related_sentences(a, b, basis)
        if self._pending_setting != (threshold, wording) or not embedding.not_in_memory(
            texts[0] + texts[1]
        ):
            return
        wanted: dict[str, None] = dict.fromkeys(texts[0] + texts[1])
        with self._pending_lock:
            ahead = list(itertools.islice(self._pending.values(), _EMBED_AHEAD_PAIRS))
        for x, y, links in ahead:
            if len(wanted) >= _EMBED_AHEAD_TEXTS:
                break
            side_x, side_y = self.related_sentences(x, y, links)
            wanted.update(dict.fromkeys(side_x + side_y))
        missing = embedding.not_in_memory(list(wanted))[:_EMBED_AHEAD_TEXTS]
        if missing:
            import numpy as np

            # Alike lengths in one call: the model pads each batch to its longest sentence.
            missing.sort(key=len)
            _embedded(missing, cancelled, np)

    def related_basis(
        self,
        a: Article,
        b: Article,
        threshold: float,
        copied: list[Link],
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Link]:
        """The links whose sentences the sentence model leaves alone: ``copied``, the
        links found by words at ``threshold``, or, at a stricter threshold, those at
        the default one."""
        # Which sentences are copied wording does not depend on the slider:
        # at a strict setting a copied passage that drops out must not come
        # back as "the same fact in other words".
        if threshold <= DEFAULT_THRESHOLD:
            return copied
        return self._by_words(a, b, DEFAULT_THRESHOLD, None, cancelled, wording=False)

    def related(
        self,
        a: Article,
        b: Article,
        basis: list[Link],
        threshold: float,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Link]:
        """The related links of ``a`` and ``b`` at ``threshold``, none touching ``basis``."""
        from reader.core.related import related_links

        found = related_links(a, b, basis, rarity=self._rarity.weight, cancelled=cancelled)
        # The threshold is the reader's "how similar" slider: it holds for both kinds.
        return [link for link in found if link.score >= threshold]

    def related_sentences(
        self, a: Article, b: Article, basis: list[Link]
    ) -> tuple[list[str], list[str]]:
        """The texts of the sentences of ``a`` and ``b`` that a related link may use: all the
        sentence model will be asked to embed for this pair (copied sentences next to a free
        one and the clauses they add to their copy included, see ``related.anchored_texts``)."""
        from reader.core.related import _eligible, anchored_texts, is_prose

        if not (is_prose(a) and is_prose(b)):
            return [], []  # no related link between text that is not prose: nothing to embed
        near_a, near_b = anchored_texts(a, b, basis)
        return (
            [a.sentences[i].text for i in _eligible(a, [link.a_sentences for link in basis])]
            + near_a,
            [b.sentences[j].text for j in _eligible(b, [link.b_sentences for link in basis])]
            + near_b,
        )

    def _by_words(
        self,
        a: Article,
        b: Article,
        threshold: float,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
        wording: bool = True,
    ) -> list[Link]:
        pa, pb = self._profile_of(a), self._profile_of(b)
        threshold = min(max(threshold, 0.0), 1.0)
        seeds = _seeds(pa, pb, threshold, progress, cancelled)
        passages = _join_consecutive(seeds)
        passages = [_extend(p, pa, pb) for p in passages]
        passages = _merge_touching(passages, pa, pb)
        links = []
        for passage in passages:
            if cancelled is not None and cancelled():
                raise AlignmentCancelled()
            score = passage.score(pa, pb)
            if score >= threshold:
                links.append(_to_link(passage, score, a, b, pa, pb, wording))
        links.sort(key=lambda link: (link.a_span, link.b_span))
        if progress is not None:
            total = len(a.sentences)
            progress(total, total)
        return links

    def _profile_of(self, article: Article) -> _Profile:
        known = self._profiles.get(id(article))
        if known is not None and known[0] is article:
            return known[1]
        # An article outside the corpus: weigh its words by the corpus's rarity.
        return self._profile(article, [content_stems(s.text) for s in article.sentences])

    def _profile(self, article: Article, stems: list[list[str]]) -> _Profile:
        vectors, norms = [], []
        for sentence_stems in stems:
            vector: dict[str, float] = defaultdict(float)
            for stem_ in sentence_stems:
                vector[stem_] += self._rarity.weight(stem_)
            vectors.append(dict(vector))
            norms.append(math.sqrt(sum(v * v for v in vector.values())))
        totals = [sum(vector.values()) for vector in vectors]
        return _Profile(
            article.sentences,
            vectors,
            norms,
            totals,
            furniture_indices(article.text, article.sentences),
            heading_indices(article.text, article.sentences),
        )


def align(
    a: Article,
    b: Article,
    *,
    corpus: Sequence[Article] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    kinds: Sequence[str] = KINDS,
) -> list[Link]:
    """Align two articles; word rarity comes from ``corpus`` (default: the two)."""
    articles = list(corpus) if corpus else [a, b]
    return Aligner(articles).align(a, b, threshold=threshold, kinds=kinds)


@dataclass(frozen=True)
class _Rarity:
    """Weight of each stem, and of a stem the corpus never used."""

    weights: dict[str, float]
    unseen: float

    def weight(self, stem_: str) -> float:
        return self.weights.get(stem_, self.unseen)


def _rarity_weights(stems_by_article: Sequence[Sequence[Sequence[str]]]) -> _Rarity:
    """Weight of each stem: inverse sentence frequency, damped for ubiquitous words.

    Sentence frequency is the right base even for two articles: a word the
    two share is exactly what must be judged. The damping needs at least
    three articles to tell "every outlet says Putin" from "these two share".
    """
    sentence_count = 0
    sentence_df: dict[str, int] = defaultdict(int)
    article_df: dict[str, int] = defaultdict(int)
    for article_stems in stems_by_article:
        seen_in_article: set[str] = set()
        for sentence_stems in article_stems:
            sentence_count += 1
            stems = set(sentence_stems)
            for stem_ in stems:
                sentence_df[stem_] += 1
            seen_in_article |= stems
        for stem_ in seen_in_article:
            article_df[stem_] += 1
    return _rarity_from_counts(sentence_count, sentence_df, article_df, len(stems_by_article))


def _rarity_from_counts(
    sentence_count: int, sentence_df: dict[str, int], article_df: dict[str, int], n_articles: int
) -> _Rarity:
    """``_rarity_weights`` from counts already made (a ``CorpusIndex`` keeps them)."""
    weights: dict[str, float] = {}
    for stem_, df in sentence_df.items():
        idf = math.log((sentence_count + 1) / (df + 0.5))
        if n_articles >= 3:
            ubiquity = (article_df[stem_] - 1) / (n_articles - 1)
            idf *= 1.0 - 0.75 * ubiquity
        weights[stem_] = max(idf, 0.0)
    return _Rarity(weights, unseen=math.log((sentence_count + 1) / 0.5))


@dataclass
class _Passage:
    a_first: int
    a_last: int
    b_first: int
    b_last: int
    pairs: set[tuple[int, int]]

    def a_indices(self) -> range:
        return range(self.a_first, self.a_last + 1)

    def b_indices(self) -> range:
        return range(self.b_first, self.b_last + 1)

    def score(self, pa: _Profile, pb: _Profile) -> float:
        return _similarity(_sum_vectors(pa, self.a_indices()), _sum_vectors(pb, self.b_indices()))


def _cosine(u: dict[str, float], v: dict[str, float]) -> float:
    if len(u) > len(v):
        u, v = v, u
    dot = sum(weight * v.get(stem_, 0.0) for stem_, weight in u.items())
    if dot <= 0:
        return 0.0
    return min(1.0, dot / (_norm(u) * _norm(v)))


def _norm(u: dict[str, float]) -> float:
    return math.sqrt(sum(x * x for x in u.values()))


def _similarity(u: dict[str, float], v: dict[str, float]) -> float:
    """How alike two passages are, in [0, 1].

    Cosine alone under-rates a short passage that the other outlet wrapped
    in a longer sentence ("Pyongyang requires food, fuel, and foreign
    currency" inside a sentence that also mentions space technology); the
    geometric mean of the cosine and the share of the smaller passage found
    in the larger one gives that case its due without letting a single
    shared word count for much.
    """
    cosine = _cosine(u, v)
    if cosine <= 0 or min(len(u), len(v)) < _MIN_WORDS_FOR_CONTAINMENT:
        return cosine
    return max(cosine, math.sqrt(cosine * _containment(u, v)))


def _pair_similarity(
    u: dict[str, float],
    u_norm: float,
    u_total: float,
    v: dict[str, float],
    v_norm: float,
    v_total: float,
) -> float:
    """``_similarity`` for two sentences whose norms and weight totals are known (the hot path)."""
    if u_norm > v_norm or (u_norm == v_norm and len(u) > len(v)):
        u, u_norm, u_total, v, v_norm, v_total = v, v_norm, v_total, u, u_norm, u_total
    dot = shared = 0.0
    for stem_, weight in u.items():
        other = v.get(stem_)
        if other is not None:
            dot += weight * other
            shared += weight
    if dot <= 0:
        return 0.0
    cosine = min(1.0, dot / (u_norm * v_norm))
    if min(len(u), len(v)) < _MIN_WORDS_FOR_CONTAINMENT:
        return cosine
    return max(cosine, math.sqrt(cosine * shared / u_total))


def _containment(u: dict[str, float], v: dict[str, float]) -> float:
    """Share of the smaller vector's weight whose words the other has."""
    # Weights are summed, not squared: squaring lets the one or two rarest
    # words of a sentence (which no other outlet uses) outvote all the rest.
    small, large = (u, v) if _norm(u) <= _norm(v) else (v, u)
    total = sum(small.values())
    if not total:
        return 0.0
    return sum(x for stem_, x in small.items() if stem_ in large) / total


def _sum_vectors(profile: _Profile, indices: Iterable[int]) -> dict[str, float]:
    total: dict[str, float] = defaultdict(float)
    for index in indices:
        if index in profile.furniture:
            continue
        for stem_, weight in profile.vectors[index].items():
            total[stem_] += weight
    return total


def _seeds(
    pa: _Profile,
    pb: _Profile,
    threshold: float,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> list[tuple[int, int, float]]:
    postings = pb.postings()
    seeds = []
    total = len(pa.vectors)
    for i, vector in enumerate(pa.vectors):
        if i % _PROGRESS_EVERY == 0:
            if cancelled is not None and cancelled():
                raise AlignmentCancelled()
            if progress is not None:
                progress(i, total)
        if i in pa.furniture or not pa.norms[i]:
            continue
        shared: dict[int, int] = defaultdict(int)
        for stem_ in vector:
            candidates = postings.get(stem_)
            if candidates:
                for j in candidates:
                    shared[j] += 1
        scored = []
        for j, count in shared.items():
            other = pb.vectors[j]
            if count < _MIN_SHARED_WORDS and vector != other:
                continue
            similarity = _pair_similarity(
                vector, pa.norms[i], pa.totals[i], other, pb.norms[j], pb.totals[j]
            )
            if similarity >= threshold:
                scored.append((similarity, j))
        scored.sort(reverse=True)
        for similarity, j in scored[:_MAX_CANDIDATES_PER_SENTENCE]:
            seeds.append((i, j, similarity))
    return seeds


def _join_consecutive(seeds: list[tuple[int, int, float]]) -> list[_Passage]:
    """Group seeds that follow each other in both articles into passages."""
    parent = {(i, j): (i, j) for i, j, _ in seeds}

    def find(pair: tuple[int, int]) -> tuple[int, int]:
        while parent[pair] != pair:
            parent[pair] = parent[parent[pair]]
            pair = parent[pair]
        return pair

    for i, j, _ in seeds:
        for neighbour in ((i + 1, j), (i, j + 1), (i + 1, j + 1)):
            if neighbour in parent:
                parent[find(neighbour)] = find((i, j))
    groups: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)
    for pair in parent:
        groups[find(pair)].add(pair)
    passages = []
    for pairs in groups.values():
        a_side = [i for i, _ in pairs]
        b_side = [j for _, j in pairs]
        passages.append(_Passage(min(a_side), max(a_side), min(b_side), max(b_side), set(pairs)))
    passages.sort(key=lambda p: (p.a_first, p.b_first))
    return passages


def _extend(passage: _Passage, pa: _Profile, pb: _Profile) -> _Passage:
    """Take in neighbouring sentences while they make the passages more alike.

    A neighbour joins when it raises the passages' cosine, or when most of
    its weight is found on the other side (a fragment of a sentence the other
    outlet split). Sums are kept incrementally, so each step costs the size
    of one sentence, not of the passage.
    """
    sides = {
        "a": _Side(pa, _sum_vectors(pa, passage.a_indices())),
        "b": _Side(pb, _sum_vectors(pb, passage.b_indices())),
    }
    dot = sum(w * sides["b"].vector.get(t, 0.0) for t, w in sides["a"].vector.items())
    best = _safe_cosine(dot, sides["a"].norm2, sides["b"].norm2)
    while True:
        options = []
        for name, index in (
            ("a", passage.a_first - 1),
            ("a", passage.a_last + 1),
            ("b", passage.b_first - 1),
            ("b", passage.b_last + 1),
        ):
            side, other = sides[name], sides["b" if name == "a" else "a"]
            if not 0 <= index < len(side.profile.vectors) or index in side.profile.furniture:
                continue
            addition = side.profile.vectors[index]
            gained = sum(w * other.vector.get(t, 0.0) for t, w in addition.items())
            if gained <= 0:
                continue
            norm2 = side.norm2 + sum(
                2 * side.vector.get(t, 0.0) * w + w * w for t, w in addition.items()
            )
            score = _safe_cosine(dot + gained, norm2, other.norm2)
            if (
                score > best
                or _share_found(addition, other.vector) >= _EXTENSION_COVERAGE
                or _new_shared_words(addition, side.vector, other.vector) >= _EXTENSION_NEW_WORDS
            ):
                options.append((score, name, index, gained, norm2))
        if not options:
            return passage
        score, name, index, gained, norm2 = max(options, key=lambda o: o[0])
        best, dot = max(best, score), dot + gained
        side = sides[name]
        for stem_, weight in side.profile.vectors[index].items():
            side.vector[stem_] = side.vector.get(stem_, 0.0) + weight
        side.norm2 = norm2
        if name == "a":
            passage.a_first, passage.a_last = (
                min(passage.a_first, index),
                max(passage.a_last, index),
            )
        else:
            passage.b_first, passage.b_last = (
                min(passage.b_first, index),
                max(passage.b_last, index),
            )


@dataclass
class _Side:
    profile: _Profile
    vector: dict[str, float]
    norm2: float = -1.0

    def __post_init__(self) -> None:
        if self.norm2 < 0:
            self.norm2 = sum(w * w for w in self.vector.values())


def _safe_cosine(dot: float, norm2_a: float, norm2_b: float) -> float:
    if dot <= 0 or norm2_a <= 0 or norm2_b <= 0:
        return 0.0
    return min(1.0, dot / math.sqrt(norm2_a * norm2_b))


def _new_shared_words(
    addition: dict[str, float], own: dict[str, float], other: dict[str, float]
) -> int:
    """How many of ``other``'s words ``addition`` brings that ``own`` lacks."""
    return sum(1 for t in addition if t in other and t not in own)


def _share_found(addition: dict[str, float], other: dict[str, float]) -> float:
    """Share of ``addition``'s weight whose words ``other`` has."""
    total = sum(addition.values())
    return sum(w for t, w in addition.items() if t in other) / total if total else 0.0


def _merge_touching(passages: list[_Passage], pa: _Profile, pb: _Profile) -> list[_Passage]:
    """Join passages that overlap, meet, or are parted only by a subheading.

    One outlet breaks its story with subheadings where the other runs on;
    PAN's granularity measure (and a reader) count such a passage as one.
    A sentence of text between two passages is not bridged: it is what only
    one outlet says.
    """
    merged: list[_Passage] = []
    # Passages come in order of a_first, so one that ends before the current
    # one starts (less the gap) can never touch a later one either.
    active: list[_Passage] = []
    for passage in sorted(passages, key=lambda p: (p.a_first, p.b_first)):
        active = [p for p in active if p.a_last + 1 + _GAP >= passage.a_first]
        for existing in active:
            if _can_join(existing, passage, pa, pb):
                existing.a_first = min(existing.a_first, passage.a_first)
                existing.a_last = max(existing.a_last, passage.a_last)
                existing.b_first = min(existing.b_first, passage.b_first)
                existing.b_last = max(existing.b_last, passage.b_last)
                existing.pairs |= passage.pairs
                break
        else:
            merged.append(passage)
            active.append(passage)
    return merged


def _can_join(p: _Passage, q: _Passage, pa: _Profile, pb: _Profile) -> bool:
    if not (
        _close(p.a_first, p.a_last, q.a_first, q.a_last, pa)
        and _close(p.b_first, p.b_last, q.b_first, q.b_last, pb)
    ):
        return False
    # Two passages in opposite order in the two articles are a move, not one passage.
    a_order = (q.a_first > p.a_last) - (p.a_first > q.a_last)
    b_order = (q.b_first > p.b_last) - (p.b_first > q.b_last)
    return a_order == 0 or b_order == 0 or a_order == b_order


def _close(first1: int, last1: int, first2: int, last2: int, profile: _Profile) -> bool:
    if first2 <= last1 + 1 and first1 <= last2 + 1:
        return True
    gap = range(last1 + 1, first2) if first2 > last1 else range(last2 + 1, first1)
    return len(gap) <= _GAP and all(index in profile.headings for index in gap)


def _to_link(
    passage: _Passage,
    score: float,
    a: Article,
    b: Article,
    pa: _Profile,
    pb: _Profile,
    wording: bool = True,
) -> Link:
    a_first, a_last = _trim_furniture(passage.a_first, passage.a_last, pa)
    b_first, b_last = _trim_furniture(passage.b_first, passage.b_last, pb)
    a_range, b_range = range(a_first, a_last + 1), range(b_first, b_last + 1)
    a_text = a.text[a.sentences[a_first].start : a.sentences[a_last].end]
    b_text = b.text[b.sentences[b_first].start : b.sentences[b_last].end]
    reworded = everyday_phrases(a_text).isdisjoint(everyday_phrases(b_text)) and _may_restate(
        a, b, a_range, b_range, pa, pb
    )
    return Link(
        a_sentences=(a_first, a_last),
        b_sentences=(b_first, b_last),
        a_span=(a.sentences[a_first].start, a.sentences[a_last].end),
        b_span=(b.sentences[b_first].start, b.sentences[b_last].end),
        score=round(score, 4),
        matches=tuple(_passage_wording(passage, a.text, b.text, pa, pb, a_range, b_range))
        if wording
        else (),
        pairs=tuple(sorted((i, j) for i, j in passage.pairs if i in a_range and j in b_range)),
        kind=RELATED if reworded else COPIED,
    )


def _may_restate(
    a: Article, b: Article, a_range: range, b_range: range, pa: _Profile, pb: _Profile
) -> bool:
    """Whether two passages could tell one fact in other words, as the related matcher
    asks of its sentences: prose (not shuffled words or filler) that states a fact
    (not only headings, site furniture or scraps). Else a link found by words, shared
    phrase or not, stays a copied one (an outlet's name line beside its footer)."""
    a_story, b_story = pa.restating(a), pb.restating(b)
    return (
        bool(a_story)
        and bool(b_story)
        and not a_story.isdisjoint(a_range)
        and not b_story.isdisjoint(b_range)
    )


def _trim_furniture(first: int, last: int, profile: _Profile) -> tuple[int, int]:
    while first < last and first in profile.furniture:
        first += 1
    while last > first and last in profile.furniture:
        last -= 1
    return first, last


def _words(profile: _Profile, indices: Iterable[int]) -> WordSpans:
    sentences = profile.sentences
    return word_spans((sentences[i].text, sentences[i].start) for i in indices)


def _identical_wording(
    a_text: str, b_text: str, a_words: WordSpans, b_words: WordSpans
) -> list[tuple[int, int, int]]:
    """Character runs that two stretches of text share word for word."""
    matches: list[tuple[int, int, int]] = []
    matcher = difflib.SequenceMatcher(None, a_words.surfaces, b_words.surfaces, autojunk=False)
    for block in matcher.get_matching_blocks():
        if block.size == 0:
            continue
        for match in _char_runs(a_text, b_text, a_words, b_words, block.a, block.b, block.size):
            if _is_copied_wording(a_text, match):
                matches.append(match)
    return matches


def _passage_wording(
    passage: _Passage,
    a_text: str,
    b_text: str,
    pa: _Profile,
    pb: _Profile,
    a_range: range,
    b_range: range,
) -> list[tuple[int, int, int]]:
    """Identical wording of a passage.

    difflib runs over the whole passage when it is small (which also catches
    wording carried across a split sentence), else over each linked sentence
    pair, so one huge passage cannot cost quadratic time.
    """
    a_words = _words(pa, a_range)
    b_words = _words(pb, b_range)
    if len(a_words.surfaces) * len(b_words.surfaces) <= _DIFFLIB_CELL_BUDGET:
        matches = _identical_wording(a_text, b_text, a_words, b_words)
    else:
        matches = []
        for i, j in sorted(passage.pairs):
            if i in a_range and j in b_range:
                matches.extend(
                    _identical_wording(a_text, b_text, _words(pa, (i,)), _words(pb, (j,)))
                )
    return _without_overlaps(sorted(matches))


def _is_copied_wording(text: str, match: tuple[int, int, int]) -> bool:
    """A run long enough to say one outlet copied the other's words.

    Single shared words ("visit", "North Korea") are what any two reports of
    one event share; marking them would drown the copied phrases.
    """
    start, _, length = match
    return (
        length >= _MIN_COPIED_CHARS
        or len(text[start : start + length].split()) >= _MIN_COPIED_WORDS
    )


def _char_runs(
    a_text: str,
    b_text: str,
    a_words: WordSpans,
    b_words: WordSpans,
    a_first: int,
    b_first: int,
    size: int,
) -> list[tuple[int, int, int]]:
    """Turn ``size`` equal words from ``a_first`` and ``b_first`` into (a_offset, b_offset,
    length) character runs.

    The words are equal ignoring case; the text between them may differ
    (", " against " — "), so a run continues only where it is identical.
    """
    a_starts, a_ends = a_words.starts, a_words.ends
    b_starts, b_ends = b_words.starts, b_words.ends
    result = []
    current: list[int] | None = None  # [a_start, b_start, length]
    for i, j in zip(range(a_first, a_first + size), range(b_first, b_first + size), strict=True):
        a_start, a_end, b_start = a_starts[i], a_ends[i], b_starts[j]
        if a_end - a_start != b_ends[j] - b_start:
            current = None
            continue
        # A run goes on from the word before (i - 1, j - 1), which it ended with.
        if (
            current is not None
            and a_text[a_ends[i - 1] : a_start] == b_text[b_ends[j - 1] : b_start]
        ):
            current[2] = a_end - current[0]
        else:
            current = [a_start, b_start, a_end - a_start]
            result.append(current)
    return [(start_a, start_b, length) for start_a, start_b, length in result]


def _without_overlaps(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    result: list[tuple[int, int, int]] = []
    for match in matches:
        if result and match[0] < result[-1][0] + result[-1][2]:
            if match[2] > result[-1][2]:
                result[-1] = match
            continue
        result.append(match)
    return result
