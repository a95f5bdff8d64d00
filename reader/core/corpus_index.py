"""One index over a whole corpus: stems, word rarity, and the pairs worth aligning.

Following passim: every article's sentences and stems are read once (from the
cache when the text was seen before), the rarity of each stem is counted
once for the corpus, and an inverted index of stem shingles (three stems in
a row within a sentence) says which articles share wording. Only article
pairs that share enough shingles become candidates, so the work grows with
the text and with the pairs that share something, never with the square of
the number of articles (a small corpus, of tens of articles, compares every
pair: see ``pairs_to_compare``). A shingle found in more than ``max_df`` articles
(boilerplate of a site, a phrase everyone uses) finds no candidates: it
would make every pair of those articles one.

Independent reports of one event share no wording, only its names and
numbers (``details``): in a larger corpus each article also gets its few
best partners by rare shared details (``detail_pairs``), compared after the
pairs that share wording.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import TypeVar

import reader.core.align as _align_module
import reader.core.articles as _articles
import reader.core.sentences as _sentences_module
import reader.core.words as _words_module
from reader.core.align import (
    DEFAULT_THRESHOLD,
    KINDS,
    RELATED,
    Aligner,
    Link,
    _Rarity,
    _rarity_weights,
)
from reader.core.articles import Article
from reader.core.cache import TextCache, default_cache, text_digest
from reader.core.comparison import (
    AlignmentStore,
    Closest,
    PairLinks,
    PairSummary,
    StoryGroups,
)
from reader.core.details import details
from reader.core.furniture import furniture_indices

SHINGLE = 3
# Passim's default: a shingle in more documents than this finds no pairs.
MAX_DF = 100
# Fewer shared shingles than this is chance (one common phrase), not a shared passage.
MIN_SHARED = 3
# A partner sharing less than this fraction of an article's best partner's
# shingles is kept only if the other article keeps it: this is what drops
# pairs that share only a site's boilerplate when the article has a story.
RELATIVE_CUT = 0.15
MAX_PARTNERS = 40
# Up to this many articles (780 pairs) every pair is compared: independent reports of
# one event share facts, not wording, so the shingle index cannot find them, and the
# related matcher can only link the pairs it is given.
COMPARE_ALL_UP_TO = 40
# Past that, an article's best partners by shared rare names and numbers are compared
# too: at most this many per article beyond those sharing wording, so that the pairs
# added stay a few per article (27 added to 11,219 on 1,000 generated articles, whose
# stories share wording; 864 when a fifth are written independently).
DETAIL_PARTNERS = 4
# Fewer shared details than this is one name with its number, or an outlet's own name
# and year in its footer (a site's furniture), not one event.
MIN_SHARED_DETAILS = 3
# A detail partner weighing less than this share of the article's best partner's
# details is another event that happens to share some of them.
DETAIL_RELATIVE_CUT = 0.5


@dataclass(frozen=True)
class CandidatePair:
    """Two articles (indices into the index's articles, ``a < b``) to compare: they share
    wording, or (``shared`` 0) rare names and numbers, or the corpus is small."""

    a: int
    b: int
    shared: int  # shingles the two share (0: proposed for another reason)
    score: float  # shared shingles over the smaller article's shingles, 0..1


class CorpusIndex:
    """Sentences, stems and word rarity of a corpus, computed once and asked by everyone."""

    def __init__(
        self, articles: Sequence[Article], stems: Sequence[Sequence[Sequence[str]]]
    ) -> None:
        self.articles: tuple[Article, ...] = tuple(articles)
        self.stems: tuple[Sequence[Sequence[str]], ...] = tuple(stems)
        self._position = {id(article): n for n, article in enumerate(self.articles)}

    @classmethod
    def build(cls, articles: Sequence[Article], cache: TextCache | None = None) -> CorpusIndex:
        """Read (or compute and store) every article's spans and stems."""
        cache = cache if cache is not None else default_cache()
        stems = []
        known = cache.stats_many([article.text for article in articles], _articles.split_sentences)
        for article, stats in zip(articles, known, strict=True):
            # Fill the article's own cached sentences from the same answer.
            article.__dict__.setdefault("sentences", stats.sentences(article.text))
            stems.append(stats.stems)
        return cls(articles, stems)

    def stems_of(self, article: Article) -> Sequence[Sequence[str]]:
        return self.stems[self._position[id(article)]]

    @cached_property
    def rarity(self) -> _Rarity:
        """How informative each stem is in this corpus (the aligner's weights)."""
        return _rarity_weights(self.stems)

    def aligner(self, articles: Sequence[Article] | None = None) -> Aligner:
        """An Aligner with this corpus's rarity, ready for ``articles`` (default: all of them)."""
        chosen = self.articles if articles is None else tuple(articles)
        return Aligner.from_stems(chosen, [self.stems_of(a) for a in chosen], rarity=self.rarity)

    # -- candidate pairs ------------------------------------------------------
    def shingles(self, n: int) -> set[int]:
        """The stem shingles of article ``n``'s story text (furniture left out)."""
        furniture = self._furniture(n)
        found: set[int] = set()
        for index, sentence in enumerate(self.stems[n]):
            if index in furniture:
                continue
            for k in range(len(sentence) - SHINGLE + 1):
                found.add(hash(tuple(sentence[k : k + SHINGLE])))
        return found

    def details(self, n: int) -> set[str]:
        """The names and numbers of article ``n``'s story text (furniture left out)."""
        article = self.articles[n]
        furniture = self._furniture(n)
        return details(s.text for s in article.sentences if s.index not in furniture)

    def _furniture(self, n: int) -> frozenset[int]:
        return self._furniture_of_each[n]

    @cached_property
    def _furniture_of_each(self) -> tuple[frozenset[int], ...]:
        # Asked by both the shingles and the details of every article: found once.
        return tuple(furniture_indices(a.text, a.sentences) for a in self.articles)

    def candidate_pairs(
        self,
        max_df: int = MAX_DF,
        min_shared: int = MIN_SHARED,
        relative_cut: float = RELATIVE_CUT,
        max_partners: int = MAX_PARTNERS,
    ) -> list[CandidatePair]:
        """Pairs of articles sharing rare wording, most similar first.

        Cost: one pass over the shingles, plus, per shingle found in ``df``
        articles (2 <= df <= max_df), df squared over two pair counts.
        """
        postings: dict[int, list[int]] = defaultdict(list)
        sizes = []
        for n in range(len(self.articles)):
            shingles = self.shingles(n)
            sizes.append(len(shingles))
            for shingle in shingles:
                postings[shingle].append(n)
        shared: dict[tuple[int, int], int] = defaultdict(int)
        for holders in postings.values():
            if 2 <= len(holders) <= max_df:
                for x in range(len(holders)):
                    first = holders[x]
                    for second in holders[x + 1 :]:
                        shared[(first, second)] += 1
        partners: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for (a, b), count in shared.items():
            if count >= min_shared:
                partners[a].append((count, b))
                partners[b].append((count, a))
        kept: set[tuple[int, int]] = set()
        for n, found in partners.items():
            found.sort(reverse=True)
            floor = found[0][0] * relative_cut
            for count, other in found[:max_partners]:
                if count >= floor:
                    kept.add((min(n, other), max(n, other)))
        pairs = [
            CandidatePair(a, b, shared[(a, b)], shared[(a, b)] / max(1, min(sizes[a], sizes[b])))
            for a, b in kept
        ]
        pairs.sort(key=lambda p: (-p.score, -p.shared, p.a, p.b))
        return pairs

    def detail_pairs(
        self,
        known: set[tuple[int, int]],
        max_df: int = MAX_DF,
        min_shared: int = MIN_SHARED_DETAILS,
        relative_cut: float = DETAIL_RELATIVE_CUT,
        partners: int = DETAIL_PARTNERS,
    ) -> list[CandidatePair]:
        """Pairs of articles sharing rare names and numbers, not in ``known``, best first.

        A detail weighs its rarity (log of articles over articles that have
        it); one in more than ``max_df`` articles, or in more than half of
        them (the year in every footer, a word of every masthead), weighs
        nothing and pairs nobody. A pair's weight is the sum of the details it shares, at least
        ``min_shared`` of them. Each article keeps up to ``partners`` of its
        partners outside ``known`` that weigh at least ``relative_cut`` of
        its best partner (in ``known`` or not): an article whose story
        already shares wording adds few or none, one written on its own gets
        the reports sharing its facts. Cost: one pass over the details, plus
        df squared over two pair counts per kept detail, as for shingles.
        """
        count = len(self.articles)
        postings: dict[str, list[int]] = defaultdict(list)
        for n in range(count):
            for detail in self.details(n):
                postings[detail].append(n)
        cap = min(max_df, count // 2)
        # Pairs are counted under one number, a * count + b: cheaper to hash than a tuple.
        # Weights are whole thousandths: their sums do not depend on the order the details
        # come in (a set's, which changes from run to run), so neither do the pairs kept.
        weight: dict[int, int] = defaultdict(int)
        shared: dict[int, int] = defaultdict(int)
        for holders in postings.values():
            if 2 <= len(holders) <= cap:
                rarity = round(1000 * math.log(count / len(holders)))
                for x in range(len(holders) - 1):
                    base = holders[x] * count
                    for second in holders[x + 1 :]:
                        weight[base + second] += rarity
                        shared[base + second] += 1
        ranked: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for key, number in shared.items():
            if number >= min_shared:
                a, b = divmod(key, count)
                ranked[a].append((weight[key], b))
                ranked[b].append((weight[key], a))
        kept: dict[tuple[int, int], int] = {}
        for n, found in ranked.items():
            found.sort(key=lambda entry: (-entry[0], entry[1]))
            floor = found[0][0] * relative_cut
            added = 0
            for total, other in found:
                if total < floor or added == partners:
                    break
                pair = (min(n, other), max(n, other))
                if pair not in known:
                    kept[pair] = total
                    added += 1
        order = sorted(kept, key=lambda pair: (-kept[pair], pair))
        return [CandidatePair(a, b, 0, 0.0) for a, b in order]

    def pairs_to_compare(self, compare_all_up_to: int = COMPARE_ALL_UP_TO) -> list[CandidatePair]:
        """The pairs to align: those sharing rare wording, most similar first; then, in a
        corpus of at most ``compare_all_up_to`` articles, every other pair (shared 0), or
        in a larger one each article's best partners by rare names and numbers (shared 0:
        independent reports of one event, ``detail_pairs``)."""
        pairs = self.candidate_pairs()
        count = len(self.articles)
        found = {(p.a, p.b) for p in pairs}
        if count > compare_all_up_to:
            return pairs + self.detail_pairs(found)
        rest = [
            CandidatePair(a, b, 0, 0.0)
            for a in range(count)
            for b in range(a + 1, count)
            if (a, b) not in found
        ]
        return pairs + rest


def pair_aligner(
    pair: Sequence[Article], background: Sequence[Article], cache: TextCache | None = None
) -> Aligner:
    """An Aligner for the articles of ``pair`` with the word rarity of ``background`` (the
    whole corpus, ``pair`` included), as ``CorpusIndex.build(background).aligner(pair)``.

    The rarity is stored per set of texts: aligning two articles of a folder
    again reads neither the other articles' stems nor counts them, so a warm
    ``source-reader align`` inside 1,000 articles stays well under a second.
    A stored value that does not parse as weights is computed again.
    """
    cache = cache if cache is not None else default_cache()
    key = _rarity_key(background)
    rarity = _rarity_from_json(cache.corpus_value(key))
    if rarity is None:
        rarity = CorpusIndex.build(background, cache).rarity
        cache.store_corpus_value(key, json.dumps([rarity.unseen, rarity.weights]))
    known = cache.stats_many([article.text for article in pair], _articles.split_sentences)
    for article, stats in zip(pair, known, strict=True):
        article.__dict__.setdefault("sentences", stats.sentences(article.text))
    return Aligner.from_stems(pair, [stats.stems for stats in known], rarity=rarity)


def _rarity_key(articles: Sequence[Article]) -> str:
    """Changes with any text of the corpus (how often each occurs too) and with the code that
    splits, stems and weighs words."""
    digest = hashlib.sha256(b"rarity 1")
    for module in (_align_module, _sentences_module, _words_module):
        digest.update(_source_digest(module))
    for text_key in sorted(text_digest(article.text) for article in articles):
        digest.update(text_key.encode())
    return digest.hexdigest()


@functools.cache
def _source_digest(module: ModuleType) -> bytes:
    try:
        return hashlib.sha256(Path(module.__file__ or "").read_bytes()).digest()
    except OSError:
        return str(module.__name__).encode()


def _rarity_from_json(value: str | None) -> _Rarity | None:
    if value is None:
        return None
    try:
        unseen, weights = json.loads(value)
    except (ValueError, TypeError):
        return None
    if not isinstance(unseen, float) or not isinstance(weights, dict) or not math.isfinite(unseen):
        return None
    if not all(
        isinstance(w, (float, int)) and math.isfinite(w) and w >= 0 for w in weights.values()
    ):
        return None
    return _Rarity(weights, unseen)


@dataclass(frozen=True)
class CorpusMap:
    """Who shares what in a corpus: the aligned candidate pairs and what follows from them."""

    articles: tuple[Article, ...]
    pairs: tuple[PairSummary, ...]  # pairs with at least one link, canonical order, sorted by ids
    closest: dict[str, Closest]  # article id -> closest article

    def stories(self) -> list[list[Article]]:
        """Groups of articles joined by shared passages (largest first), then the loners one by one.

        A pair joins two articles only if it is more than a stray link and among the closest
        pairs of one of them (``StoryGroups``, which the window fills pair by pair)."""
        groups = StoryGroups(self.articles)
        for pair in self.pairs:
            groups.add(pair)
        return groups.groups()


def corpus_map(
    index: CorpusIndex,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[str, int, int], None] | None = None,
    workers: int | None = None,
    kinds: Sequence[str] = KINDS,
) -> CorpusMap:
    """Align the candidate pairs of ``index`` (most similar first) and summarize them.

    The map needs only which passages are linked, so links are found without
    their word runs. Work goes in three steps, each reported as
    ``progress(step, done, total)`` with step ``"copied"``, ``"embedding"``
    (sentences) or ``"related"``: the links found by words of every pair
    (copied, and related where only names are shared); then every
    sentence that can take a related link in some pair is embedded at once
    (one model, cached on disk, each sentence once); then related links of
    every pair. Alignment is pure Python, so pairs are shared among ``workers``
    processes (default: one per CPU) where the platform can fork; the answer
    does not depend on how many.
    """
    from reader.core import embedding

    candidates = index.pairs_to_compare()
    aligner = index.aligner()
    pairs = [(c.a, c.b) for c in candidates]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    wants_related = RELATED in kinds and embedding.available()
    context = _MapContext(index, aligner, threshold, {}, texts_wanted=wants_related)
    copied = _each_pair(_copied_of_pair, pairs, context, workers, progress, "copied")
    texts: dict[str, None] = {}
    for a, b, links, pair_texts in copied:
        context.copied[(a, b)] = links
        texts.update(dict.fromkeys(pair_texts))
    related: dict[tuple[int, int], list[Link]] = {}
    if wants_related:

        def embedded(done: int, total: int) -> None:
            if progress is not None:
                progress("embedding", done, total)

        if embedding.embed_in_processes(list(texts), workers, progress=embedded):
            found = _each_pair(_related_of_pair, pairs, context, workers, progress, "related")
            related = {(a, b): links for a, b, links in found}
    # Links are summarized as they arrive, not kept: the map needs only shares.
    store = AlignmentStore(max_pairs=0, max_links=None)
    for a, b in pairs:
        by_words = [link for link in context.copied[(a, b)] if link.kind in kinds]
        links = sorted(
            [*by_words, *related.get((a, b), [])], key=lambda link: (link.a_span, link.b_span)
        )
        first, second = index.articles[a], index.articles[b]
        summary = PairLinks(first, second, links, threshold)
        store.record(first, second, threshold, summary.share("a"), summary.share("b"), len(summary))
    found_pairs = tuple(
        sorted(
            (s for s in store.summaries(threshold) if s.links),
            key=lambda s: (s.key.a_id, s.key.b_id),
        )
    )
    closest = {}
    for article in index.articles:
        answer = store.closest(article.id, threshold)
        if answer is not None:
            closest[article.id] = answer
    return CorpusMap(index.articles, found_pairs, closest)


@dataclass
class _MapContext:
    """What the workers of ``corpus_map`` read (forked workers inherit it)."""

    index: CorpusIndex
    aligner: Aligner
    threshold: float
    copied: dict[tuple[int, int], list[Link]]  # links found by words of each pair, once found
    # Whether the copied step also says which sentences each pair's related step will embed.
    texts_wanted: bool = False

    def basis(self, a: int, b: int, copied: list[Link] | None = None) -> list[Link]:
        return self.aligner.related_basis(
            self.index.articles[a],
            self.index.articles[b],
            self.threshold,
            self.copied[(a, b)] if copied is None else copied,
        )


def _each_pair(
    work: Callable[..., _Result],
    pairs: Sequence[tuple[int, int]],
    context: _MapContext,
    workers: int,
    progress: Callable[[str, int, int], None] | None,
    step: str,
) -> list[_Result]:
    """``work(pair, context)`` of every pair, in ``workers`` forked processes when that helps."""
    global _texts_sent
    _texts_sent = set()  # a forked worker starts with none sent
    results: list[_Result] = []
    if workers > 1 and len(pairs) > 32 and "fork" in multiprocessing.get_all_start_methods():
        global _FORKED
        _FORKED = context
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for result in pool.imap_unordered(work, pairs, chunksize=8):
                    results.append(result)
                    if progress is not None:
                        progress(step, len(results), len(pairs))
        finally:
            _FORKED = None
    else:
        for pair in pairs:
            results.append(work(pair, context))
            if progress is not None:
                progress(step, len(results), len(pairs))
    return results


# One pair's links: (index of a, index of b, links).
PairResult = tuple[int, int, list[Link]]
# One pair's copied links and the texts of its related step not yet sent from this process.
CopiedResult = tuple[int, int, list[Link], list[str]]
_Result = TypeVar("_Result", PairResult, CopiedResult)

# What forked workers inherit.
_FORKED: _MapContext | None = None
# The texts this process has sent with a pair already: each is embedded once whatever
# pairs it is in, and sent back once per worker, not once per pair.
_texts_sent: set[str] = set()


def _copied_of_pair(pair: tuple[int, int], context: _MapContext | None = None) -> CopiedResult:
    """The pair's copied links and, when wanted, the sentences its related step will embed,
    found here beside them. Found in the parent, after the step, they took it a single-core
    6.6 s of a 46 s cold map of 1,000 articles."""
    context = context or _FORKED
    assert context is not None
    a, b = context.index.articles[pair[0]], context.index.articles[pair[1]]
    links = context.aligner.align(
        a, b, threshold=context.threshold, sentence_model=False, wording=False
    )
    texts: list[str] = []
    if context.texts_wanted:
        basis = context.basis(*pair, copied=links)
        for side in context.aligner.related_sentences(a, b, basis):
            for text in side:
                if text not in _texts_sent:
                    _texts_sent.add(text)
                    texts.append(text)
    return pair[0], pair[1], links, texts


def _related_of_pair(pair: tuple[int, int], context: _MapContext | None = None) -> PairResult:
    context = context or _FORKED
    assert context is not None
    a, b = context.index.articles[pair[0]], context.index.articles[pair[1]]
    basis = context.basis(*pair)
    return pair[0], pair[1], context.aligner.related(a, b, basis, context.threshold)
