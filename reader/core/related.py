"""Related links: the same fact told in other words.

Independent reports of one event are all "about" the same people and place,
so a sentence-embedding cosine on its own links topic, not fact: every
sentence of one article is fairly close to every sentence of the other. The
matcher therefore judges each sentence pair against the pair's own
background and adds evidence that topic alone does not give:

1. **Embedding, normalised.** Cosine of the two sentences' embeddings
   (all-MiniLM-L6-v2, see ``embedding.py``) as a z-score against the
   sentence's similarity to every sentence of the other article, from both
   sides (the lower of the two counts): "much closer to this one than to the
   rest" is evidence; "close to everything" is topic.
2. **Rare words.** The copied-link aligner's rarity-weighted word similarity
   (``align._pair_similarity`` with the corpus's weights), which rewards the
   uncommon words two outlets keep when they reword.
3. **Specific details.** Names, numbers, months and quoted words both
   sentences contain ("September", "Kim", "munitions", "2000"), weighted by
   rarity, as a share of the details either sentence has.
4. **Context.** A pair whose neighbours (before and after) are also alike
   is more likely the same passage retold.
5. **Competitive linking.** A link needs both sentences to be each other's
   best partner, so one topical sentence cannot collect partners; and an
   absolute floor on the cosine keeps unrelated stories apart, where z-scores
   alone would always find a "best" pair.

Sentences already in a copied link, site furniture, headings and scraps too
short to state a fact take no part. Links are sentence to sentence; pairs
that follow each other in both articles join into one link.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reader.core.articles import Article
from reader.core.furniture import furniture_indices, heading_indices
from reader.core.words import STOPWORDS, content_stems, stem

RELATED = "related"


@dataclass(frozen=True)
class Weights:
    """How the signals add up: a logistic model, ``intercept + sum(weight * signal)`` is the log-odds
    that a sentence pair tells the same fact. A link needs log-odds above ``threshold``.

    Fitted by ``benchmarks/fit_related.py`` (see there for how, and the cross-validated numbers).
    """

    # Hand-set. benchmarks/fit_related.py fits these by logistic regression; its weights
    # (leave-one-pair-out: seed P 0.41 R 0.35, written P 0.80 R 0.24 at log-odds -1.5) trade
    # recall for precision and lose the "first visit in 24 years" / "first since 2000" link,
    # so they are not used (intercept -6.806, z 2.955, cosine 0.790, lexical 1.767,
    # details 1.744, local -0.309, context -0.381, conflict -0.012).
    intercept: float = -2.0
    z: float = 1.0
    cosine: float = 0.0
    lexical: float = 2.0
    details: float = 2.0
    local: float = 0.0
    context: float = 0.3
    conflict: float = 0.0  # a year conflict vetoes instead, see score_pairs
    threshold: float = 0.0
    min_cosine: float = 0.45
    # A sentence may take a second partner whose score is within this of its best
    # (one outlet's sentence states two facts the other outlet tells apart).
    slack: float = 0.5
    # Shared detail weight (sum of rarities) that counts as full agreement.
    detail_scale: float = 4.0

    def combine(self, s: PairSignals) -> float:
        """The log-odds of one pair's signals."""
        return (
            self.intercept
            + self.z * s.z
            + self.cosine * s.cosine
            + self.lexical * s.lexical
            + self.details * s.details
            + self.local * s.local
            + self.context * s.context
            + self.conflict * s.conflict
        )


DEFAULT_WEIGHTS = Weights()
_MIN_WORDS = 5
_CANDIDATES = 4
_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_TOKEN = re.compile(r"[\"“”‘’']?\b[\w’']+")
_QUOTED = re.compile(r"[\"“]([^\"“”]{2,80})[\"”]")


@dataclass(frozen=True)
class PairSignals:
    """The evidence for one sentence pair (for measuring each signal)."""

    a: int
    b: int
    cosine: float
    z: float
    lexical: float
    details: float
    context: float
    local: float = 0.0
    conflict: float = 0.0


def related_links(
    a: Article,
    b: Article,
    copied: Sequence = (),
    *,
    rarity: Callable[[str], float] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    vectors: tuple | None = None,
) -> list:
    """Related links between ``a`` and ``b``, ordered by A; ``[]`` without a sentence model.

    ``copied`` are the copied links already found: their sentences take no
    part. ``rarity`` weighs a word stem (the Aligner's corpus rarity; by
    default from the two articles). ``vectors`` overrides the embeddings
    (one unit row per sentence of each article), for tests.
    """

    scored = score_pairs(a, b, copied, rarity=rarity, weights=weights, vectors=vectors)
    if scored is None:
        return []
    return links_from_scores(a, b, scored[1], weights)


def links_from_scores(
    a: Article, b: Article, total: dict[tuple[int, int], float], weights: Weights
) -> list:
    """The links chosen from every candidate pair's log-odds: mutual best above the threshold, runs joined."""
    from reader.core.align import Link

    chosen = _mutual_best(total, weights)
    links = []
    for run in _runs(chosen):
        (i0, j0, _), (i1, j1, _) = run[0], run[-1]
        strength = sum(s for _, _, s in run) / len(run)
        links.append(
            Link(
                a_sentences=(i0, i1),
                b_sentences=(j0, j1),
                a_span=(a.sentences[i0].start, a.sentences[i1].end),
                b_span=(b.sentences[j0].start, b.sentences[j1].end),
                score=round(_unit(strength, weights.threshold), 4),
                matches=tuple(_shared_detail_runs(a, b, run)),
                kind=RELATED,
            )
        )
    links.sort(key=lambda link: (link.a_span, link.b_span))
    return links


def score_pairs(
    a: Article,
    b: Article,
    copied: Sequence = (),
    *,
    rarity: Callable[[str], float] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    vectors: tuple | None = None,
) -> tuple[dict[tuple[int, int], PairSignals], dict[tuple[int, int], float]] | None:
    """Every eligible sentence pair's signals and combined score; ``None`` without a model."""
    from reader.core import embedding
    from reader.core.align import _pair_similarity, _rarity_weights

    ia = _eligible(a, [link.a_sentences for link in copied])
    ib = _eligible(b, [link.b_sentences for link in copied])
    # Known without loading the model: a warm run finds every vector on disk.
    if vectors is None and not embedding.available():
        return None
    if not ia or not ib:
        return {}, {}
    import numpy as np

    if vectors is None:
        # Only the sentences that can take a link are embedded: the model is the slow part.
        ea = embedding.sentence_vectors([a.sentences[i].text for i in ia])
        eb = embedding.sentence_vectors([b.sentences[j].text for j in ib])
        if ea is None or eb is None:
            return None
    else:
        ea, eb = np.asarray(vectors[0])[ia], np.asarray(vectors[1])[ib]
    if rarity is None:
        rarity = _rarity_weights(
            [[content_stems(s.text) for s in x.sentences] for x in (a, b)]
        ).weight
    cos = np.asarray(ea) @ np.asarray(eb).T
    z = _background_z(cos, np)
    lex_a = [_word_vector(a.sentences[i].text, rarity) for i in ia]
    lex_b = [_word_vector(b.sentences[j].text, rarity) for j in ib]
    det_a = [_details(a.sentences[i].text, rarity) for i in ia]
    det_b = [_details(b.sentences[j].text, rarity) for j in ib]
    # How common each detail is in these two articles: the story's omnipresent
    # names ("Putin", "Pyongyang") say nothing about which fact a sentence tells.
    seen: dict[str, int] = {}
    for found in det_a + det_b:
        for key in found:
            seen[key] = seen.get(key, 0) + 1
    sentences = len(ia) + len(ib)
    local_weight = {key: math.log(sentences / n) / math.log(sentences) for key, n in seen.items()}
    years_a = [_years(a.sentences[i].text) for i in ia]
    years_b = [_years(b.sentences[j].text) for j in ib]
    signals: dict[tuple[int, int], PairSignals] = {}
    total: dict[tuple[int, int], float] = {}
    rows, cols = len(ia), len(ib)
    # Only a sentence's few closest partners (either side) can be a mutual
    # best; scoring just those keeps a long pair linear instead of quadratic.
    k = min(_CANDIDATES, cols)
    row_cut = np.partition(z, cols - k, axis=1)[:, cols - k : cols - k + 1]
    k = min(_CANDIDATES, rows)
    col_cut = np.partition(z, rows - k, axis=0)[rows - k : rows - k + 1, :]
    candidates = np.argwhere((cos >= weights.min_cosine) & ((z >= row_cut) | (z >= col_cut)))
    for x, y in candidates.tolist():
        if True:
            u, v = lex_a[x], lex_b[y]
            lexical = _pair_similarity(u[0], u[1], u[2], v[0], v[1], v[2]) if u[1] and v[1] else 0.0
            details = _agreement(det_a[x], det_b[y], weights.detail_scale)
            around = [z[x + d, y + d] for d in (-1, 1) if 0 <= x + d < rows and 0 <= y + d < cols]
            context = max(0.0, sum(around) / len(around)) if around else 0.0
            local = min(1.0, sum(local_weight[k] for k in det_a[x].keys() & det_b[y].keys()))
            # Two different years for one event: the same kind of fact, another time.
            conflict = 1.0 if years_a[x] and years_b[y] and not years_a[x] & years_b[y] else 0.0
            pair = (ia[x], ib[y])
            signals[pair] = PairSignals(
                ia[x],
                ib[y],
                float(cos[x, y]),
                float(z[x, y]),
                lexical,
                details,
                float(context),
                local,
                conflict,
            )
            # A year conflict vetoes: the same kind of fact at another time is another event
            # (two quakes in one town five years apart). Too rare in the labels to be fitted.
            if not conflict:
                total[pair] = weights.combine(signals[pair])
    return signals, total


def _eligible(article: Article, copied: Sequence[tuple[int, int]]) -> list[int]:
    """Sentences that can take a related link: story text, not yet linked, long enough to state a fact."""
    excluded = set(furniture_indices(article.text, article.sentences))
    excluded |= heading_indices(article.text, article.sentences)
    for first, last in copied:
        excluded.update(range(first, last + 1))
    return [
        s.index
        for s in article.sentences
        if s.index not in excluded and len(s.text.split()) >= _MIN_WORDS
    ]


def _background_z(cos, np):
    """Each pair's cosine as a z-score against its row and its column; the lower of the two."""
    row_mean, row_sd = cos.mean(axis=1, keepdims=True), cos.std(axis=1, keepdims=True)
    col_mean, col_sd = cos.mean(axis=0, keepdims=True), cos.std(axis=0, keepdims=True)
    # A one-sentence side has no spread; a floor keeps the z-score finite and modest.
    z_row = (cos - row_mean) / np.maximum(row_sd, 0.05)
    z_col = (cos - col_mean) / np.maximum(col_sd, 0.05)
    return np.minimum(z_row, z_col)


def _word_vector(
    text: str, rarity: Callable[[str], float]
) -> tuple[dict[str, float], float, float]:
    vector: dict[str, float] = {}
    for stem_ in content_stems(text):
        vector[stem_] = vector.get(stem_, 0.0) + rarity(stem_)
    return vector, math.sqrt(sum(w * w for w in vector.values())), sum(vector.values())


def _details(text: str, rarity: Callable[[str], float]) -> dict[str, float]:
    """Specific details of a sentence, by stem, weighted by rarity.

    Names (capitalised words after the first), numbers, months and the words
    of quotations: what two reports of the same fact share even when every
    other word differs.
    """
    found: dict[str, float] = {}
    quoted = {w.lower() for q in _QUOTED.findall(text) for w in re.findall(r"\w+", q)}
    for n, match in enumerate(re.finditer(r"\b\w[\w’']*", text)):
        token = match.group()
        lower = token.lower().replace("’", "'")
        if lower in STOPWORDS or len(lower) < 2:
            continue
        is_number = any(ch.isdigit() for ch in token)
        is_name = n > 0 and token[0].isupper()
        if is_number or is_name or lower in _MONTHS or lower in quoted:
            key = stem(lower)
            found[key] = max(found.get(key, 0.0), rarity(key))
    return found


def _years(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\b(1[89]\d\d|20\d\d)\b", text))


def _agreement(u: dict[str, float], v: dict[str, float], scale: float) -> float:
    """Rarity of the details both sentences have, 1 at ``scale`` and above.

    Absolute, not a share: one shared name every outlet uses ("Russia") is
    no agreement, however few details the sentences have.
    """
    shared = sum(min(u[k], v[k]) for k in u.keys() & v.keys())
    return min(1.0, shared / scale)


def _mutual_best(
    total: dict[tuple[int, int], float], weights: Weights
) -> list[tuple[int, int, float]]:
    """Pairs above the threshold whose sentences are each other's best partner.

    Ties count as best, so an outlet that repeats a sentence (a standfirst
    repeating the lede) gets both copies linked.
    """
    best_a: dict[int, float] = {}
    best_b: dict[int, float] = {}
    for (i, j), s in total.items():
        best_a[i] = max(best_a.get(i, -math.inf), s)
        best_b[j] = max(best_b.get(j, -math.inf), s)
    slack = weights.slack + 1e-6
    return sorted(
        (i, j, s)
        for (i, j), s in total.items()
        if s >= weights.threshold
        and (
            (s >= best_a[i] - 1e-6 and s >= best_b[j] - slack)
            or (s >= best_b[j] - 1e-6 and s >= best_a[i] - slack)
        )
    )


def _runs(pairs: list[tuple[int, int, float]]) -> list[list[tuple[int, int, float]]]:
    """Join pairs that follow each other in both articles into one run."""
    runs: list[list[tuple[int, int, float]]] = []
    for pair in pairs:
        for run in runs:
            i, j, _ = run[-1]
            if pair[0] == i + 1 and pair[1] == j + 1:
                run.append(pair)
                break
        else:
            runs.append([pair])
    return runs


def _unit(strength: float, threshold: float) -> float:
    """A score in [0, 1]: 0.5 at the threshold, towards 1 as the evidence grows."""
    return 1.0 / (1.0 + math.exp(-(strength - threshold)))


def _shared_detail_runs(a: Article, b: Article, run) -> list[tuple[int, int, int]]:
    """Details written identically in both passages, as (a_offset, b_offset, length) runs."""
    result = []
    for i, j, _ in run:
        sa, sb = a.sentences[i], b.sentences[j]
        used = set()
        for ma in re.finditer(r"\b\w[\w’']*", sa.text):
            token = ma.group()
            lower = token.lower()
            if lower in STOPWORDS or not (
                token[0].isupper() or token[0].isdigit() or lower in _MONTHS
            ):
                continue
            if ma.start() == 0 and not token[0].isdigit():
                continue
            for mb in re.finditer(r"\b" + re.escape(token) + r"\b", sb.text):
                if mb.start() not in used:
                    used.add(mb.start())
                    result.append((sa.start + ma.start(), sb.start + mb.start(), len(token)))
                    break
    return sorted(result)
