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
   copied wire copy can be told from rewording.

Site furniture ("Read More" and its headline list, comment prompts) takes no
part: see ``furniture.py``.
"""

from __future__ import annotations

import difflib
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from reader.core.articles import Article
from reader.core.furniture import furniture_indices
from reader.core.words import Word, words_of

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
# A heading or byline ("Space Technology", "Rodong Sinmun") is contained in
# many sentences; containment only counts for passages with more to say.
_MIN_WORDS_FOR_CONTAINMENT = 6
# A neighbouring sentence joins a passage when this share of its weight is
# found in the other side's passage (a fragment of a split sentence).
_EXTENSION_COVERAGE = 0.5


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

    @property
    def copied_chars(self) -> int:
        """How many characters of A's passage are copied word for word."""
        return sum(length for _, _, length in self.matches)


@dataclass
class _Profile:
    """What the aligner needs of one article, computed once."""

    words: list[list[Word]]
    vectors: list[dict[str, float]]
    norms: list[float]
    totals: list[float]
    furniture: frozenset[int]


class Aligner:
    """Aligns articles of one corpus, with word rarity taken from the whole corpus.

    Construction does all per-article work; ``align`` only reads, so one
    aligner can serve several threads.
    """

    def __init__(self, articles: Sequence[Article]) -> None:
        self._articles = list(articles)
        words_by_article = [[words_of(s.text, s.start) for s in a.sentences] for a in self._articles]
        self._weights = _rarity_weights(words_by_article)
        self._profiles: dict[int, tuple[Article, _Profile]] = {}
        for article, words in zip(self._articles, words_by_article):
            self._profiles[id(article)] = (article, self._profile(article, words))

    def align(
        self,
        a: Article,
        b: Article,
        threshold: float = DEFAULT_THRESHOLD,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Link]:
        """The links between ``a`` and ``b`` scoring at least ``threshold``, ordered by A."""
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
            if passage.score(pa, pb) >= threshold:
                links.append(_to_link(passage, a, b, pa, pb))
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
        return self._profile(article, [words_of(s.text, s.start) for s in article.sentences])

    def _profile(self, article: Article, words: list[list[Word]]) -> _Profile:
        vectors, norms = [], []
        unseen_weight = self._weights.unseen
        for sentence_words in words:
            vector: dict[str, float] = defaultdict(float)
            for word in sentence_words:
                if word.is_content:
                    vector[word.stem] += self._weights.get(word.stem, unseen_weight)
            vectors.append(dict(vector))
            norms.append(math.sqrt(sum(v * v for v in vector.values())))
        totals = [sum(vector.values()) for vector in vectors]
        return _Profile(words, vectors, norms, totals, furniture_indices(article.text, article.sentences))


def align(
    a: Article,
    b: Article,
    *,
    corpus: Sequence[Article] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Link]:
    """Align two articles; word rarity comes from ``corpus`` (default: the two)."""
    articles = list(corpus) if corpus else [a, b]
    return Aligner(articles).align(a, b, threshold=threshold)


class _Weights(dict):
    unseen: float = 1.0


def _rarity_weights(words_by_article: list[list[list[Word]]]) -> _Weights:
    """Weight of each stem: inverse sentence frequency, damped for ubiquitous words.

    Sentence frequency is the right base even for two articles: a word the
    two share is exactly what must be judged. The damping needs at least
    three articles to tell "every outlet says Putin" from "these two share".
    """
    sentence_count = 0
    sentence_df: dict[str, int] = defaultdict(int)
    article_df: dict[str, int] = defaultdict(int)
    for article_words in words_by_article:
        seen_in_article: set[str] = set()
        for sentence_words in article_words:
            sentence_count += 1
            stems = {w.stem for w in sentence_words if w.is_content}
            for stem_ in stems:
                sentence_df[stem_] += 1
            seen_in_article |= stems
        for stem_ in seen_in_article:
            article_df[stem_] += 1
    n_articles = len(words_by_article)
    weights = _Weights()
    for stem_, df in sentence_df.items():
        idf = math.log((sentence_count + 1) / (df + 0.5))
        if n_articles >= 3:
            ubiquity = (article_df[stem_] - 1) / (n_articles - 1)
            idf *= 1.0 - 0.75 * ubiquity
        weights[stem_] = max(idf, 0.0)
    weights.unseen = math.log((sentence_count + 1) / 0.5)
    return weights


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
    u: dict[str, float], u_norm: float, u_total: float, v: dict[str, float], v_norm: float, v_total: float
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
    postings: dict[str, list[int]] = defaultdict(list)
    for j, vector in enumerate(pb.vectors):
        if j not in pb.furniture:
            for stem_ in vector:
                postings[stem_].append(j)
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
            if candidates and len(candidates) <= _MAX_POSTINGS:
                for j in candidates:
                    shared[j] += 1
        scored = []
        for j, count in shared.items():
            other = pb.vectors[j]
            if count < _MIN_SHARED_WORDS and vector != other:
                continue
            similarity = _pair_similarity(vector, pa.norms[i], pa.totals[i], other, pb.norms[j], pb.totals[j])
            if similarity >= threshold:
                scored.append((similarity, j))
        scored.sort(reverse=True)
        for similarity, j in scored[:_MAX_CANDIDATES_PER_SENTENCE]:
            seeds.append((i, j, similarity))
    return seeds


def _join_consecutive(seeds: list[tuple[int, int, float]]) -> list[_Passage]:
    """Group seeds that follow each other in both articles into passages."""
    parent = {(i, j): (i, j) for i, j, _ in seeds}

    def find(pair):
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
    """Take in neighbouring sentences while they make the passages more alike."""
    va = _sum_vectors(pa, passage.a_indices())
    vb = _sum_vectors(pb, passage.b_indices())
    best = _cosine(va, vb)
    while True:
        options = []
        for side, index in (
            ("a", passage.a_first - 1), ("a", passage.a_last + 1),
            ("b", passage.b_first - 1), ("b", passage.b_last + 1),
        ):
            profile = pa if side == "a" else pb
            if not 0 <= index < len(profile.vectors) or index in profile.furniture:
                continue
            addition = profile.vectors[index]
            other = vb if side == "a" else va
            if not addition or sum(1 for s in addition if s in other) < 1:
                continue
            grown = dict(va if side == "a" else vb)
            for stem_, weight in addition.items():
                grown[stem_] = grown.get(stem_, 0.0) + weight
            score = _cosine(grown, vb) if side == "a" else _cosine(va, grown)
            if score > best or _containment(addition, other) >= _EXTENSION_COVERAGE:
                options.append((score, side, index, grown))
        if not options:
            return passage
        score, side, index, grown = max(options, key=lambda o: o[0])
        best = max(best, score)
        if side == "a":
            va = grown
            passage.a_first, passage.a_last = min(passage.a_first, index), max(passage.a_last, index)
        else:
            vb = grown
            passage.b_first, passage.b_last = min(passage.b_first, index), max(passage.b_last, index)


def _merge_touching(passages: list[_Passage], pa: _Profile, pb: _Profile) -> list[_Passage]:
    """Passages that overlap or meet in both articles (after extending) are one."""
    merged: list[_Passage] = []
    for passage in sorted(passages, key=lambda p: (p.a_first, p.b_first)):
        for existing in merged:
            if (
                passage.a_first <= existing.a_last + 1
                and existing.a_first <= passage.a_last + 1
                and passage.b_first <= existing.b_last + 1
                and existing.b_first <= passage.b_last + 1
            ):
                existing.a_first = min(existing.a_first, passage.a_first)
                existing.a_last = max(existing.a_last, passage.a_last)
                existing.b_first = min(existing.b_first, passage.b_first)
                existing.b_last = max(existing.b_last, passage.b_last)
                existing.pairs |= passage.pairs
                break
        else:
            merged.append(passage)
    return merged


def _to_link(passage: _Passage, a: Article, b: Article, pa: _Profile, pb: _Profile) -> Link:
    a_first, a_last = _trim_furniture(passage.a_first, passage.a_last, pa)
    b_first, b_last = _trim_furniture(passage.b_first, passage.b_last, pb)
    a_words = [w for i in range(a_first, a_last + 1) for w in pa.words[i]]
    b_words = [w for i in range(b_first, b_last + 1) for w in pb.words[i]]
    return Link(
        a_sentences=(a_first, a_last),
        b_sentences=(b_first, b_last),
        a_span=(a.sentences[a_first].start, a.sentences[a_last].end),
        b_span=(b.sentences[b_first].start, b.sentences[b_last].end),
        score=round(passage.score(pa, pb), 4),
        matches=tuple(_identical_wording(a.text, b.text, a_words, b_words)),
    )


def _trim_furniture(first: int, last: int, profile: _Profile) -> tuple[int, int]:
    while first < last and first in profile.furniture:
        first += 1
    while last > first and last in profile.furniture:
        last -= 1
    return first, last


def _identical_wording(
    a_text: str, b_text: str, a_words: list[Word], b_words: list[Word]
) -> list[tuple[int, int, int]]:
    """Character runs that the two passages share word for word."""
    matches: list[tuple[int, int, int]] = []
    for a_slice, b_slice in _slices(len(a_words), len(b_words)):
        wa, wb = a_words[a_slice], b_words[b_slice]
        matcher = difflib.SequenceMatcher(None, [w.surface for w in wa], [w.surface for w in wb], autojunk=False)
        for block in matcher.get_matching_blocks():
            if block.size == 0:
                continue
            run = list(zip(wa[block.a : block.a + block.size], wb[block.b : block.b + block.size]))
            if block.size == 1 and not run[0][0].is_content:
                continue  # a lone "the" in common is not copied wording
            matches.extend(_char_runs(a_text, b_text, run))
    matches.sort()
    return _without_overlaps(matches)


def _slices(n_a: int, n_b: int) -> list[tuple[slice, slice]]:
    """Cut a long passage into diagonal pieces small enough for difflib."""
    if n_a * n_b <= _DIFFLIB_CELL_BUDGET:
        return [(slice(0, n_a), slice(0, n_b))]
    pieces = max(2, math.ceil(math.sqrt(n_a * n_b / _DIFFLIB_CELL_BUDGET)))
    overlap = 20
    result = []
    for k in range(pieces):
        a0, a1 = n_a * k // pieces, n_a * (k + 1) // pieces
        b0, b1 = n_b * k // pieces, n_b * (k + 1) // pieces
        result.append((slice(max(0, a0 - overlap), a1 + overlap), slice(max(0, b0 - overlap), b1 + overlap)))
    return result


def _char_runs(a_text: str, b_text: str, run: list[tuple[Word, Word]]) -> list[tuple[int, int, int]]:
    """Turn a run of equal words into (a_offset, b_offset, length) character runs.

    The words are equal ignoring case; the text between them may differ
    (", " against " — "), so a run continues only where it is identical.
    """
    result = []
    current: list[int] | None = None  # [a_start, b_start, length]
    previous: tuple[Word, Word] | None = None
    for wa, wb in run:
        if wa.end - wa.start != wb.end - wb.start:
            current, previous = None, None
            continue
        if (
            current is not None
            and previous is not None
            and a_text[previous[0].end : wa.start] == b_text[previous[1].end : wb.start]
        ):
            current[2] = wa.end - current[0]
        else:
            current = [wa.start, wb.start, wa.end - wa.start]
            result.append(current)
        previous = (wa, wb)
    return [tuple(r) for r in result]


def _without_overlaps(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    result: list[tuple[int, int, int]] = []
    for match in matches:
        if result and match[0] < result[-1][0] + result[-1][2]:
            if match[2] > result[-1][2]:
                result[-1] = match
            continue
        result.append(match)
    return result
