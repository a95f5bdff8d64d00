"""Related links: the same fact told in other words.

Independent reports of one event are all "about" the same people and place,
so a sentence-embedding cosine on its own links topic, not fact: every
sentence of one article is fairly close to every sentence of the other. The
matcher therefore takes the topic out and adds evidence that topic alone
does not give (each signal measured in ``benchmarks/fit_related.py``, which
fits the weights):

1. **Embedding, topic removed.** Cosine of the two sentences' embeddings
   (all-MiniLM-L6-v2, see ``embedding.py``) after subtracting the mean
   vector of every sentence of both articles (``centered``): what is left is
   what sets a sentence apart from the rest of the story. The strongest
   signal by far; the raw cosine's z-score against the sentence's row and
   column (``z``) is still measured.
2. **Rare words.** The copied-link aligner's rarity-weighted word similarity
   (``align._pair_similarity`` with the corpus's weights), which rewards the
   uncommon words two outlets keep when they reword.
3. **Margin.** How far the pair's cosine stands above either sentence's
   next-best partner: "this one and no other", not "close to several".
4. **Other numbers, other fact.** Both sentences counting the same thing
   with different numbers ("twelve kilometres" / "ninety kilometres") count
   against a link; two different years veto it (another quake in the same
   town is another event).
5. **Competitive linking and corroboration.** A pair links when it is the
   best partner of one of its sentences, within ``slack`` of the other's
   best, above ``threshold``; and only when at least ``corroboration`` links
   agree between the two articles, since a lone look-alike pair is as often
   two events of one kind as one fact. An absolute floor on the raw cosine
   keeps unrelated stories apart.

Sentences already in a copied link, site furniture, headings, questions and
scraps too short to state a fact take no part, nor does text that is not
prose (``is_prose``: shuffled words, filler). Links are sentence to sentence;
pairs that follow each other in both articles join into one link.

6. **Next to a copied passage** (``anchored_pairs``). Outlets keep a story's
   order around the wire sentences they copy, so a sentence in no link that
   stands just before or after a copied passage is compared with the other
   side's copied sentences at that edge of the passage: by the clauses a copied
   sentence adds to its copy (a fact the other outlet folded in,
   ``_added_clauses``), and as it stands only with the article's opening story
   sentence (a standfirst restating the lede the other outlet copied). Such a
   pair needs less (``anchored_threshold``) since the copy already says where
   it belongs; anywhere else a copied sentence still takes no part. Designed
   on seeds 003/004, checked on the written wire pairs of
   ``tests/data/related/wire`` and the generated corpus (see README). Shared
names, numbers, months and quoted words (``details``) are still measured and
shown as a link's matches, but weigh nothing once the topic is out.
"""

from __future__ import annotations

import math
import re
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any, TypeVar

from reader.core.articles import Article
from reader.core.furniture import furniture_indices, heading_indices
from reader.core.words import MONTH_NAMES, NUMBER_WORDS, STOPWORDS, content_stems, stem

if TYPE_CHECKING:  # align imports this module; numpy is optional: annotations only
    import numpy
    from numpy.typing import ArrayLike, NDArray

    from reader.core.align import Link

    Floats = NDArray[numpy.floating[Any]]

RELATED = "related"


@dataclass(frozen=True)
class Weights:
    """How the signals add up: a logistic model, ``intercept + sum(weight * signal)`` is the log-odds
    that a sentence pair tells the same fact. A link needs log-odds above ``threshold``.

    Fitted by ``benchmarks/fit_related.py`` (see there for how, and the cross-validated numbers).
    """

    # Fitted by benchmarks/fit_related.py on every labelled pair not held out
    # (--features centered lexical margin mismatch --threshold -1.4 --slack 1.0).
    # Leave-one-pair-out there: seed pairs P 0.58 R 0.57; written pairs P 0.89 R 0.24;
    # no link between unrelated stories. The threshold is the one point of that
    # curve chosen by hand (-1.2 gives P 0.48 R 0.28 at slack 0.5).
    # z, details, local and context are still measured (PairSignals) but add
    # nothing once the topic is taken out of the cosine (centered), so weigh 0.
    intercept: float = -3.027
    z: float = 0.0
    cosine: float = 0.0
    lexical: float = 2.284
    details: float = 0.0
    local: float = 0.0
    context: float = 0.0
    conflict: float = 0.0  # a year or day conflict vetoes instead, see score_pairs
    margin: float = 2.446
    mismatch: float = -0.557
    centered: float = 4.034
    threshold: float = -1.4
    min_cosine: float = 0.45
    # A pair links when it is the best partner of one of its sentences and within this
    # of the other's best: one outlet's sentence often states two facts the other tells
    # apart. Once the topic is out of the cosine the threshold does most of the sorting;
    # from 1.0 up the labelled numbers no longer change (0.5: seed P 0.53 R 0.49).
    slack: float = 1.0
    # Shared detail weight (sum of rarities) that counts as full agreement.
    detail_scale: float = 4.0
    # Two reports of one event restate several of its facts; a lone look-alike
    # sentence pair between two articles is more often two events of one kind
    # (two quakes in one town) than one fact. Fewer links than this: none.
    corroboration: int = 2
    # Anchored pairs (``anchored_pairs``): how far from a copied passage a sentence may
    # stand, and the log-odds such a pair needs.
    anchor_reach: int = 2
    anchored_threshold: float = -3.0

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
            + self.margin * s.margin
            + self.mismatch * s.mismatch
            + self.centered * s.centered
        )


DEFAULT_WEIGHTS = Weights()
_MIN_WORDS = 5
_CANDIDATES = 4
_MONTHS = frozenset(m.lower() for m in MONTH_NAMES)
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
    margin: float = 0.0
    mismatch: float = 0.0
    centered: float = 0.0


def related_links(
    a: Article,
    b: Article,
    copied: Sequence[Link] = (),
    *,
    rarity: Callable[[str], float] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    vectors: tuple[ArrayLike, ArrayLike] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Link]:
    """Related links between ``a`` and ``b``, ordered by A; ``[]`` without a sentence model.

    ``copied`` are the copied links already found: their sentences take no
    part. ``rarity`` weighs a word stem (the Aligner's corpus rarity; by
    default from the two articles). ``vectors`` overrides the embeddings
    (one unit row per sentence of each article), for tests. When
    ``cancelled()`` turns true, embedding stops within one chunk of sentences
    and ``AlignmentCancelled`` is raised.
    """

    frame = _frame(a, b, copied, rarity=rarity, vectors=vectors, cancelled=cancelled)
    if frame is None:
        return []
    total = _scored(frame, weights)[1] if frame.ia and frame.ib else {}
    anchored: dict[tuple[int, int], float] = {}
    # Only copied wording anchors: the aligner's word-related links are two outlets'
    # own sentences, whose neighbours need not follow each other.
    anchors = [link for link in copied if link.kind != RELATED]
    if anchors and is_prose(a) and is_prose(b):
        chosen = _mutual_best(total, weights)
        taken = _linked([link for link in copied if link.kind == RELATED])
        taken[0].update(i for i, _, _ in chosen)
        taken[1].update(j for _, j, _ in chosen)
        anchored = _anchored_scores(frame, anchors, taken, weights)
    return links_from_scores(a, b, total, weights, anchored)


def _linked(links: Sequence[Link]) -> tuple[set[int], set[int]]:
    """The sentences of ``links``, per side."""
    return (
        {i for link in links for i in range(link.a_sentences[0], link.a_sentences[1] + 1)},
        {j for link in links for j in range(link.b_sentences[0], link.b_sentences[1] + 1)},
    )


def links_from_scores(
    a: Article,
    b: Article,
    total: dict[tuple[int, int], float],
    weights: Weights,
    anchored: dict[tuple[int, int], float] | None = None,
) -> list[Link]:
    """The links chosen from every candidate pair's log-odds: mutual best above the threshold,
    runs joined; then, from the ``anchored`` pairs' log-odds, those of sentences still free
    (see ``_anchored_runs``). Fewer runs than ``corroboration``: only anchored ones stay,
    since the copied passage next to them already says the two report one event."""
    from reader.core.align import Link

    chosen = _mutual_best(total, weights)
    runs = [(run, weights.threshold) for run in _runs(chosen)]
    if anchored:
        taken = ({i for i, _, _ in chosen}, {j for _, j, _ in chosen})
        free = {
            pair: score
            for pair, score in anchored.items()
            if pair[0] not in taken[0] and pair[1] not in taken[1]
        }
        runs += [(run, weights.anchored_threshold) for run in _anchored_runs(free, weights)]
    if len(runs) < weights.corroboration:
        # a lone pair may be two events of one kind; an anchored one has its copy to vouch
        runs = [(run, level) for run, level in runs if level == weights.anchored_threshold]
    links = []
    for run, threshold in runs:
        i0, i1 = min(i for i, _, _ in run), max(i for i, _, _ in run)
        j0, j1 = min(j for _, j, _ in run), max(j for _, j, _ in run)
        strength = sum(s for _, _, s in run) / len(run)
        links.append(
            Link(
                a_sentences=(i0, i1),
                b_sentences=(j0, j1),
                a_span=(a.sentences[i0].start, a.sentences[i1].end),
                b_span=(b.sentences[j0].start, b.sentences[j1].end),
                score=round(_unit(strength, threshold), 4),
                matches=tuple(_shared_detail_runs(a, b, run)),
                kind=RELATED,
                pairs=tuple((i, j) for i, j, _ in run),
            )
        )
    links.sort(key=lambda link: (link.a_span, link.b_span))
    return links


def _anchored_runs(
    scores: dict[tuple[int, int], float], weights: Weights
) -> list[list[tuple[int, int, float]]]:
    """The anchored pairs chosen: mutual best above ``anchored_threshold``, each taking in
    the next sentence on either side of its partner when that pair also clears it (one
    outlet tells in two sentences what the other tells in one: a 1-2 merge). Chosen pairs
    that touch (a shared sentence and neighbouring partners, or a diagonal step) are one run."""
    level = replace(weights, threshold=weights.anchored_threshold)
    chosen = {(i, j): s for i, j, s in _mutual_best(scores, level)}
    for i, j in list(chosen):
        for x, y in ((i, j - 1), (i, j + 1), (i - 1, j), (i + 1, j)):
            if scores.get((x, y), -math.inf) >= level.threshold:
                chosen.setdefault((x, y), scores[(x, y)])
    runs: list[list[tuple[int, int, float]]] = []
    for i, j in sorted(chosen):
        touching = [
            run
            for run in runs
            if any(
                (x == i and abs(y - j) == 1)
                or (y == j and abs(x - i) == 1)
                or (i - x == j - y == 1)
                for x, y, _ in run
            )
        ]
        merged = [(i, j, chosen[(i, j)])] + [pair for run in touching for pair in run]
        runs = [run for run in runs if run not in touching] + [sorted(merged)]
    return sorted(runs)


def score_pairs(
    a: Article,
    b: Article,
    copied: Sequence[Link] = (),
    *,
    rarity: Callable[[str], float] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    vectors: tuple[ArrayLike, ArrayLike] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[dict[tuple[int, int], PairSignals], dict[tuple[int, int], float]] | None:
    """Every candidate sentence pair's signals and combined score; ``None`` without a model.

    No pair when either article is not prose (see ``is_prose``). ``cancelled`` is
    asked between chunks of sentences being embedded (see ``related_links``).
    """
    frame = _frame(a, b, copied, rarity=rarity, vectors=vectors, cancelled=cancelled)
    if frame is None:
        return None
    if not frame.ia or not frame.ib:
        return {}, {}
    return _scored(frame, weights)


@dataclass
class _Frame:
    """Two articles' sentences as the matcher compares them: which take part, their
    unit vectors, the story's mean vector (its topic) and the rarity of words."""

    a: Article
    b: Article
    ia: list[int]  # sentences of A that take part, by index in A
    ib: list[int]
    ea: Floats  # one unit row per sentence of ia
    eb: Floats
    mean: Floats  # the topic: mean vector of every sentence taking part
    rarity: Callable[[str], float]
    np: Any
    # Sentences that compete for a partner (``_margin``): all of them unless told
    # otherwise (the anchored pass adds copied sentences that compete with nobody).
    rivals_a: list[bool] | None = None
    rivals_b: list[bool] | None = None
    # The text compared for each sentence of ia / ib (its own by default; the anchored
    # pass compares what a copied sentence adds to its copy, see ``_added_clauses``).
    texts_a: list[str] | None = None
    texts_b: list[str] | None = None


def _frame(
    a: Article,
    b: Article,
    copied: Sequence[Link],
    *,
    rarity: Callable[[str], float] | None,
    vectors: tuple[ArrayLike, ArrayLike] | None,
    cancelled: Callable[[], bool] | None,
) -> _Frame | None:
    """The frame of a pair's first pass: story sentences outside ``copied``; None without a model."""
    from reader.core import embedding
    from reader.core.align import _rarity_weights

    # Known without loading the model: a warm run finds every vector on disk.
    if vectors is None and not embedding.available():
        return None
    import numpy as np

    empty = np.zeros((0, 1))
    if rarity is None:
        rarity = _rarity_weights(
            [[content_stems(s.text) for s in x.sentences] for x in (a, b)]
        ).weight
    if not (is_prose(a) and is_prose(b)):
        return _Frame(a, b, [], [], empty, empty, empty, rarity, np)
    ia = _eligible(a, [link.a_sentences for link in copied])
    ib = _eligible(b, [link.b_sentences for link in copied])
    if not ia or not ib:
        return _Frame(a, b, ia, ib, empty, empty, empty, rarity, np)
    if vectors is None:
        # Only the sentences that can take a link are embedded: the model is the slow part.
        ea = _embedded([a.sentences[i].text for i in ia], cancelled, np)
        eb = _embedded([b.sentences[j].text for j in ib], cancelled, np)
        if ea is None or eb is None:
            return None
    else:
        ea, eb = np.asarray(vectors[0])[ia], np.asarray(vectors[1])[ib]
    ea, eb = np.asarray(ea), np.asarray(eb)
    return _Frame(a, b, ia, ib, ea, eb, np.vstack([ea, eb]).mean(axis=0), rarity, np)


def _scored(
    frame: _Frame, weights: Weights, only: set[tuple[int, int]] | None = None
) -> tuple[dict[tuple[int, int], PairSignals], dict[tuple[int, int], float]]:
    """Signals and log-odds of the frame's candidate pairs: each sentence's few closest
    partners, or exactly the pairs ``only`` names (by sentence index in A and B)."""
    from reader.core.align import _pair_similarity

    np, a, b, ia, ib, rarity = frame.np, frame.a, frame.b, frame.ia, frame.ib, frame.rarity
    cos = frame.ea @ frame.eb.T
    centered = _centered_cosine(frame.ea, frame.eb, np, frame.mean)
    rows, cols = len(ia), len(ib)
    z = _background_z(cos, np)
    margin = _margin(cos, np, frame.rivals_a, frame.rivals_b)
    text_a = frame.texts_a or [a.sentences[i].text for i in ia]
    text_b = frame.texts_b or [b.sentences[j].text for j in ib]
    lex_a = [_word_vector(t, rarity) for t in text_a]
    lex_b = [_word_vector(t, rarity) for t in text_b]
    det_a = [_details(t, rarity) for t in text_a]
    det_b = [_details(t, rarity) for t in text_b]
    qty_a = [_quantities(t) for t in text_a]
    qty_b = [_quantities(t) for t in text_b]
    # How common each detail is in these two articles: the story's omnipresent
    # names ("Putin", "Pyongyang") say nothing about which fact a sentence tells.
    seen: dict[str, int] = {}
    for found in det_a + det_b:
        for key in found:
            seen[key] = seen.get(key, 0) + 1
    sentences = len(ia) + len(ib)
    local_weight = {
        key: math.log(sentences / n) / math.log(max(sentences, 2)) for key, n in seen.items()
    }
    years_a = [_years(t) for t in text_a]
    years_b = [_years(t) for t in text_b]
    days_a = [_days(t) for t in text_a]
    days_b = [_days(t) for t in text_b]
    signals: dict[tuple[int, int], PairSignals] = {}
    total: dict[tuple[int, int], float] = {}
    if only is None:
        # Only a sentence's few closest partners (either side, topic taken out) can
        # be a mutual best; scoring just those keeps a long pair linear, not quadratic.
        k = min(_CANDIDATES, cols)
        row_cut = np.partition(centered, cols - k, axis=1)[:, cols - k : cols - k + 1]
        k = min(_CANDIDATES, rows)
        col_cut = np.partition(centered, rows - k, axis=0)[rows - k : rows - k + 1, :]
        candidates = np.argwhere(
            (cos >= weights.min_cosine) & ((centered >= row_cut) | (centered >= col_cut))
        ).tolist()
    else:
        row_of = {i: x for x, i in enumerate(ia)}
        col_of = {j: y for y, j in enumerate(ib)}
        candidates = sorted(
            [row_of[i], col_of[j]]
            for i, j in only
            if i in row_of and j in col_of and cos[row_of[i], col_of[j]] >= weights.min_cosine
        )
    for x, y in candidates:
        u, v = lex_a[x], lex_b[y]
        lexical = _pair_similarity(u[0], u[1], u[2], v[0], v[1], v[2]) if u[1] and v[1] else 0.0
        details = _agreement(det_a[x], det_b[y], weights.detail_scale)
        around = [z[x + d, y + d] for d in (-1, 1) if 0 <= x + d < rows and 0 <= y + d < cols]
        context = max(0.0, sum(around) / len(around)) if around else 0.0
        local = min(1.0, sum(local_weight[k] for k in det_a[x].keys() & det_b[y].keys()))
        # Two different years for one event: the same kind of fact, another time.
        conflict = (
            1.0 if _conflict(years_a[x], years_b[y]) or _conflict(days_a[x], days_b[y]) else 0.0
        )
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
            float(margin[x, y]),
            _mismatch(qty_a[x], qty_b[y]),
            float(centered[x, y]),
        )
        # A year or day conflict vetoes: the same kind of fact at another time is another
        # event (two quakes in one town five years apart; talks "resume on February 3" and
        # "on December 7" in two strikes). Too rare in the labels to be fitted.
        if not conflict:
            total[pair] = weights.combine(signals[pair])
    return signals, total


def _centered_cosine(ea: Floats, eb: Floats, np: Any, mean: Floats | None = None) -> Floats:
    """Cosine of the two articles' sentences once their shared topic is taken out.

    The topic is the mean of every sentence vector of both articles: what all
    of them are "about" (a visit, a quake; ``mean`` when given). Subtracting it leaves what sets
    one sentence apart from the rest of the story, so two sentences meet on
    their own fact instead of on the common subject.
    """
    if mean is None:
        mean = np.vstack([ea, eb]).mean(axis=0)
    ca, cb = ea - mean, eb - mean
    ca = ca / np.maximum(np.linalg.norm(ca, axis=1, keepdims=True), 1e-9)
    cb = cb / np.maximum(np.linalg.norm(cb, axis=1, keepdims=True), 1e-9)
    return ca @ cb.T


def _margin(
    cos: Floats, np: Any, rivals_a: list[bool] | None = None, rivals_b: list[bool] | None = None
) -> Floats:
    """How far each pair's cosine stands above either sentence's next-best partner (the lower).

    Only ``rivals_a`` rows and ``rivals_b`` columns count as other partners (all by default).
    """

    def lead(m: Floats, rivals: list[bool] | None) -> Floats:
        # per row: the best other cosine is the row's best unless this column is it
        others = m if rivals is None else np.where(np.asarray(rivals)[None, :], m, -np.inf)
        if m.shape[1] < 2:
            return np.zeros_like(m)
        top2 = np.partition(others, m.shape[1] - 2, axis=1)[:, -2:]
        second, first = top2[:, :1], top2[:, 1:]
        other = np.where(others >= first, second, first)
        # no rival at all: as when a side has a single sentence
        return np.where(np.isfinite(other), m - other, 0.0)

    return np.minimum(lead(cos, rivals_b), lead(cos.T, rivals_a).T)


# Closed-class words whose order English fixes: "the of", "in and", a sentence
# ending in "the" are what shuffled words or generated filler look like.
_DETERMINERS = frozenset(
    ["the", "a", "an", "these", "those", "its", "their", "our", "my", "your", "every", "each"]
)
_PREPOSITIONS = frozenset(
    [
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "by",
        "from",
        "into",
        "over",
        "after",
        "before",
        "between",
        "against",
        "during",
        "under",
        "without",
        "through",
    ]
)
_CONJUNCTIONS = frozenset(["and", "or", "but"])
_AUXILIARIES = frozenset(["is", "was", "are", "were", "has", "have", "had", "will", "would"])
_WORDS = re.compile(r"\w+(?:['’]\w+)*")


def _misordered(text: str) -> int:
    """How many adjacent function words stand in an order English prose does not use."""
    words = [w.lower() for w in _WORDS.findall(text)]
    count = 0
    for first, second in pairwise(words):
        if first in _DETERMINERS:
            count += (
                second in _DETERMINERS
                or second in _PREPOSITIONS
                or second in _CONJUNCTIONS
                or second in _AUXILIARIES
            )
        elif first in _PREPOSITIONS:
            count += second in _PREPOSITIONS or second in _CONJUNCTIONS or second in _AUXILIARIES
        elif first in _CONJUNCTIONS:
            count += second in _CONJUNCTIONS
    if words and words[-1] in _DETERMINERS | _PREPOSITIONS | _CONJUNCTIONS:
        count += 1
    return count


# A corpus map asks the same article and sentence questions once per pair it is
# in (hundreds of pairs per article): the answers depend only on the text (and
# the corpus rarity), so they are kept. 1,530 pairs of a 100-article folder:
# corpus --json warm 5.1 s -> 1.9 s wall (7.8 -> 2.9 CPU s), same output. Bounded.
_PER_TEXT_LIMIT = 20_000
_T = TypeVar("_T")
_prose_of_text: dict[str, bool] = {}
_story_sentences_of_text: dict[str, tuple[int, ...]] = {}


def _remembered(known: dict[str, _T], article: Article, compute: Callable[[Article], _T]) -> _T:
    """``compute(article)``, kept in ``known`` by the article's text (cleared when full)."""
    if article.text not in known:
        if len(known) >= _PER_TEXT_LIMIT:
            known.clear()
        known[article.text] = compute(article)
    return known[article.text]


def is_prose(article: Article) -> bool:
    """Whether ``article`` reads as English prose (see ``_is_prose``); remembered per text."""
    return _remembered(_prose_of_text, article, _is_prose)


def _is_prose(article: Article) -> bool:
    """Whether ``article`` reads as English prose, not shuffled words, keyword lists or filler.

    A sentence model places a bag of an article's words close to the article
    itself, so word salad would "restate" every fact. Real prose (all seed and
    written articles) has nearly no function words out of order and about
    four words in ten are function words; shuffled words break the first,
    keyword lists and Latin filler the second.
    """
    words = [w.lower() for w in _WORDS.findall(article.text)]
    if len(words) < 20:
        return True  # too short to judge; the cosine floor still applies
    function_share = sum(w in STOPWORDS for w in words) / len(words)
    sentences = [s for s in article.sentences if len(s.text.split()) >= _MIN_WORDS]
    misordered = sum(_misordered(s.text) for s in sentences)
    return function_share >= 0.2 and misordered / max(len(sentences), 1) < 0.25


_NUMBER_WORDS = {w: n for n, w in enumerate(NUMBER_WORDS)}
_NUMBER_WORDS.update(
    {
        w: 10 * n
        for n, w in enumerate(
            ["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 3
        )
    }
)
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def _number(token: str) -> float | None:
    token = token.lower().replace(",", "")
    try:
        return float(token)
    except ValueError:
        pass
    if "-" in token:
        parts = [_NUMBER_WORDS.get(p) for p in token.split("-")]
        known = [p for p in parts if p is not None]
        return float(sum(known)) if len(known) == len(parts) else None
    return float(_NUMBER_WORDS[token]) if token in _NUMBER_WORDS else None


@lru_cache(maxsize=65_536)  # per sentence text (and rarity); callers only read it
def _quantities(text: str) -> dict[str, frozenset[float]]:
    """Counted things of a sentence: unit stem -> values ("twelve kilometres" is kilometr: {12}).

    Years are left to ``_years``; a number without a counted word after it says nothing here.
    """
    tokens = re.findall(r"[\w][\w,.\-]*[\w]|\w", text)
    found: dict[str, set[float]] = {}
    k = 0
    while k < len(tokens):
        value = _number(tokens[k])
        if value is None or re.fullmatch(r"1[89]\d\d|20\d\d", tokens[k]):
            k += 1
            continue
        k += 1
        while k < len(tokens) and tokens[k].lower() in _SCALES:
            value *= _SCALES[tokens[k].lower()]
            k += 1
        if k < len(tokens):
            unit = tokens[k].lower()
            if unit not in STOPWORDS and _number(unit) is None and unit.isalpha():
                found.setdefault(stem(unit), set()).add(value)
    return {unit: frozenset(values) for unit, values in found.items()}


def _mismatch(u: dict[str, frozenset[float]], v: dict[str, frozenset[float]]) -> float:
    """1 when both sentences count the same thing with different numbers ("twelve kilometres" /
    "ninety kilometres"): the same kind of fact about another case. 0 otherwise."""
    return 1.0 if any(not (u[k] & v[k]) for k in u.keys() & v.keys()) else 0.0


# Sentences embedded per call: Cancel waits at most one chunk (a long article
# took the model several seconds in one call, and Cancel could not reach it).
EMBED_CHUNK = 64


def _embedded(texts: list[str], cancelled: Callable[[], bool] | None, np: Any) -> Floats | None:
    """Unit vectors of ``texts`` in chunks, asking ``cancelled`` before each; None without a model."""
    from reader.core import embedding
    from reader.core.align import AlignmentCancelled

    try:
        if cancelled is None or len(texts) <= EMBED_CHUNK:
            if cancelled is not None and cancelled():
                raise AlignmentCancelled()
            return embedding.sentence_vectors(texts, cancelled=cancelled)
        parts = []
        for first in range(0, len(texts), EMBED_CHUNK):
            if cancelled():
                raise AlignmentCancelled()
            part = embedding.sentence_vectors(
                texts[first : first + EMBED_CHUNK], cancelled=cancelled
            )
            if part is None:
                return None
            parts.append(part)
    except embedding.Cancelled:  # waiting for another thread's vectors
        raise AlignmentCancelled() from None
    result: Floats = np.concatenate(parts)
    return result


def _eligible(article: Article, copied: Sequence[tuple[int, int]]) -> list[int]:
    """Sentences that can take a related link: story text, not yet linked, long enough to state a fact."""
    excluded: set[int] = set()
    for first, last in copied:
        excluded.update(range(first, last + 1))
    return [i for i in story_sentences(article) if i not in excluded]


def story_sentences(article: Article) -> tuple[int, ...]:
    """Sentences that could state a fact (see ``_find_story_sentences``); remembered per text."""
    return _remembered(_story_sentences_of_text, article, _find_story_sentences)


def _find_story_sentences(article: Article) -> tuple[int, ...]:
    """Sentences that could state a fact: not furniture or headings, long enough, no question.

    A question states no fact ("Could this visit revive North Korea's economy?"), so it
    takes no part either, however close its words are to a sentence that does.
    """
    excluded = set(furniture_indices(article.text, article.sentences))
    excluded |= heading_indices(article.text, article.sentences)
    return tuple(
        s.index
        for s in article.sentences
        if s.index not in excluded
        and len(s.text.split()) >= _MIN_WORDS
        and not s.text.rstrip(" \"'”’)").endswith("?")
    )


def _background_z(cos: Floats, np: Any) -> Floats:
    """Each pair's cosine as a z-score against its row and its column; the lower of the two."""
    row_mean, row_sd = cos.mean(axis=1, keepdims=True), cos.std(axis=1, keepdims=True)
    col_mean, col_sd = cos.mean(axis=0, keepdims=True), cos.std(axis=0, keepdims=True)
    # A one-sentence side has no spread; a floor keeps the z-score finite and modest.
    z_row = (cos - row_mean) / np.maximum(row_sd, 0.05)
    z_col = (cos - col_mean) / np.maximum(col_sd, 0.05)
    return np.minimum(z_row, z_col)


@lru_cache(maxsize=65_536)  # per sentence text (and rarity); callers only read it
def _word_vector(
    text: str, rarity: Callable[[str], float]
) -> tuple[dict[str, float], float, float]:
    vector: dict[str, float] = {}
    for stem_ in content_stems(text):
        vector[stem_] = vector.get(stem_, 0.0) + rarity(stem_)
    return vector, math.sqrt(sum(w * w for w in vector.values())), sum(vector.values())


@lru_cache(maxsize=65_536)  # per sentence text (and rarity); callers only read it
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


@lru_cache(maxsize=65_536)  # per sentence text (and rarity); callers only read it
def _years(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\b(1[89]\d\d|20\d\d)\b", text))


@lru_cache(maxsize=65_536)  # per sentence text; callers only read it
def _days(text: str) -> frozenset[str]:
    """The days of the month a sentence names ("March 4", "4 March")."""
    pairs = _MONTH_DAY.findall(text) + [(m, d) for d, m in _DAY_MONTH.findall(text)]
    return frozenset(f"{month.lower()} {int(day)}" for month, day in pairs)


def _conflict(u: frozenset[str], v: frozenset[str]) -> bool:
    return bool(u and v and not u & v)


_MONTH_NAMES = "|".join(MONTH_NAMES)
_MONTH_DAY = re.compile(rf"\b({_MONTH_NAMES}) (\d{{1,2}})\b(?!,? \d)")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}) ({_MONTH_NAMES})\b")


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


_CLAUSE_BREAK = re.compile(r"\s*[,;:()\u2013\u2014]\s*|\s+(?=(?:but|while|whereas|as)\b)")


@lru_cache(maxsize=8192)
def _added_clauses(text: str, source: tuple[str, ...]) -> str:
    """The clauses of a copied sentence that its copy's ``source`` does not have: what
    an outlet folded into the wire sentence it copied ("..., but this trip signifies a
    deepening of ties"). Empty when that is too short to state a fact."""
    # Remembered: a pair's anchored texts are asked when embedding ahead and when scored.
    known: set[str] = set()
    for line in source:
        known.update(content_stems(line))
    added = []
    for clause in _CLAUSE_BREAK.split(text):
        stems = content_stems(clause)
        if stems and sum(s not in known for s in stems) * 2 >= len(stems) + 1:
            added.append(clause.strip())
    result = ", ".join(c for c in added if c)
    return result if len(result.split()) >= _MIN_WORDS else ""


@dataclass(frozen=True)
class _AnchoredView:
    """One way of comparing anchored pairs: the pairs it scores and the text it shows for
    each of their sentences that the first pass does not compare (by index, per side)."""

    pairs: frozenset[tuple[int, int]]
    extra_a: dict[int, str]
    extra_b: dict[int, str]


# A corpus's related pass asks a pair's anchored views two or three times: for the texts
# to embed ahead (``anchored_texts``, by the pass and by the thread embedding ahead) and
# to score them. Kept for the last pairs asked, by what they depend on (1,000 articles:
# 29,000 computations for 10,336 pairs, a third of the pass's Python).
_VIEWS_KEPT = 512
_views_kept: OrderedDict[tuple[object, ...], tuple[Article, Article, list[_AnchoredView]]] = (
    OrderedDict()
)
_views_lock = threading.Lock()


def _anchored_views(
    a: Article,
    b: Article,
    copied: Sequence[Link],
    taken: tuple[set[int], set[int]],
    compared: tuple[Sequence[int], Sequence[int]],
    reach: int,
) -> list[_AnchoredView]:
    """The two views of the pairs a copied link supports (see ``_anchored_scores``):
    copied sentences as they stand, paired with their article's opening story sentence;
    and copied sentences by the clauses they add to their copy. ``compared`` are the
    sentences the first pass compares (their own text, vectors known)."""
    key = (
        id(a),
        id(b),
        # What of a link the views read: ``pairs`` is not part of a Link's equality.
        tuple((link.a_sentences, link.b_sentences, link.pairs) for link in copied),
        frozenset(taken[0]),
        frozenset(taken[1]),
        tuple(compared[0]),
        tuple(compared[1]),
        reach,
    )
    with _views_lock:
        kept = _views_kept.get(key)
    if kept is not None and kept[0] is a and kept[1] is b:  # not another pair at those ids
        return kept[2]
    views = _views_of(a, b, anchored_pairs(a, b, copied, taken, reach), copied, compared)
    with _views_lock:
        _views_kept[key] = (a, b, views)
        while len(_views_kept) > _VIEWS_KEPT:
            _views_kept.popitem(last=False)
    return views


def _views_of(
    a: Article,
    b: Article,
    pairs: set[tuple[int, int]],
    copied: Sequence[Link],
    compared: tuple[Sequence[int], Sequence[int]],
) -> list[_AnchoredView]:
    """``_anchored_views`` of the anchored ``pairs``, computed."""
    if not pairs:
        return []
    known = (set(compared[0]), set(compared[1]))
    extra = (
        sorted({i for i, _ in pairs} - known[0]),
        sorted({j for _, j in pairs} - known[1]),
    )
    source = _copy_sources(a, b, copied)
    opening = tuple(next(iter(story_sentences(x)), -1) for x in (a, b))
    whole = (
        {i: a.sentences[i].text for i in extra[0]},
        {j: b.sentences[j].text for j in extra[1]},
    )
    added = (
        {i: _added_clauses(text, tuple(source[0].get(i, []))) for i, text in whole[0].items()},
        {j: _added_clauses(text, tuple(source[1].get(j, []))) for j, text in whole[1].items()},
    )
    as_it_stands = frozenset(
        (i, j)
        for i, j in pairs
        if (j in whole[1] and i == opening[0]) or (i in whole[0] and j == opening[1])
    )
    by_added = frozenset((i, j) for i, j in pairs if added[0].get(i) or added[1].get(j))
    # Only the extra sentences of the pairs a view scores: no other sentence competes
    # with them (``_Frame.rivals_a``), so the others would change no score. Unless one
    # side has no sentence of its own compared: the topic (mean vector) is then that of
    # every extra sentence.
    every = not (compared[0] and compared[1])
    views = []
    for chosen, shown in ((as_it_stands, whole), (by_added, added)):
        if chosen:
            views.append(
                _AnchoredView(
                    chosen,
                    {
                        i: shown[0][i] or whole[0][i]
                        for i in extra[0]
                        if every or any(i == x for x, _ in chosen)
                    },
                    {
                        j: shown[1][j] or whole[1][j]
                        for j in extra[1]
                        if every or any(j == y for _, y in chosen)
                    },
                )
            )
    return views


def _anchored_scores(
    frame: _Frame, copied: Sequence[Link], taken: tuple[set[int], set[int]], weights: Weights
) -> dict[tuple[int, int], float]:
    """Log-odds of the pairs a copied link supports (``anchored_pairs``), in ``frame``'s terms.

    The copied sentence of such a pair competes with no other sentence for a
    partner (its copy is its partner). It is compared by the clauses it adds to
    its copy (a fact the other outlet folded into the copied sentence), and as
    it stands only with its article's opening story sentence (a standfirst or
    lede restating the lede the other outlet copied): elsewhere a sentence next
    to a copy is more often the outlet's own next fact than a restatement of the
    copy, so the copied text itself says nothing about it. The better view counts.
    """
    a, b, np = frame.a, frame.b, frame.np
    views = _anchored_views(a, b, copied, taken, (frame.ia, frame.ib), weights.anchor_reach)
    if not views:
        return {}
    best: dict[tuple[int, int], float] = {}
    for view in views:
        extra = (sorted(view.extra_a), sorted(view.extra_b))
        texts = (
            [a.sentences[i].text for i in frame.ia] + [view.extra_a[i] for i in extra[0]],
            [b.sentences[j].text for j in frame.ib] + [view.extra_b[j] for j in extra[1]],
        )
        ea, eb = _vectors_of(texts[0]), _vectors_of(texts[1])
        if ea is None or eb is None:
            return {}
        mean = frame.mean if frame.ia and frame.ib else np.vstack([ea, eb]).mean(axis=0)
        scored_view = _Frame(
            a,
            b,
            frame.ia + extra[0],
            frame.ib + extra[1],
            ea,
            eb,
            mean,
            frame.rarity,
            np,
            [True] * len(frame.ia) + [False] * len(extra[0]),
            [True] * len(frame.ib) + [False] * len(extra[1]),
            texts[0],
            texts[1],
        )
        for pair, score in _scored(scored_view, weights, only=set(view.pairs))[1].items():
            best[pair] = max(best.get(pair, -math.inf), score)
    return best


def anchored_texts(
    a: Article, b: Article, copied: Sequence[Link], weights: Weights = DEFAULT_WEIGHTS
) -> tuple[list[str], list[str]]:
    """The texts the anchored pass may embed beyond the first pass's sentences: copied
    sentences next to which a free sentence stands (as they stand, or the clauses they add
    to their copy). A superset (any sentence the first pass links leaves it smaller), for
    embedding ahead."""
    anchors = [link for link in copied if link.kind != RELATED]
    if not anchors:
        return [], []
    taken = _linked([link for link in copied if link.kind == RELATED])
    compared = (
        _eligible(a, [link.a_sentences for link in copied]),
        _eligible(b, [link.b_sentences for link in copied]),
    )
    views = _anchored_views(a, b, anchors, taken, compared, weights.anchor_reach)
    return (
        list(dict.fromkeys(text for view in views for text in view.extra_a.values())),
        list(dict.fromkeys(text for view in views for text in view.extra_b.values())),
    )


def _copy_sources(
    a: Article, b: Article, copied: Sequence[Link]
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """For each copied sentence (per side, by index), the other side's passage it is copied with."""
    source: tuple[dict[int, list[str]], dict[int, list[str]]] = ({}, {})
    for link in copied:
        texts_a = [a.sentences[i].text for i in range(link.a_sentences[0], link.a_sentences[1] + 1)]
        texts_b = [b.sentences[j].text for j in range(link.b_sentences[0], link.b_sentences[1] + 1)]
        for i in range(link.a_sentences[0], link.a_sentences[1] + 1):
            source[0].setdefault(i, []).extend(texts_b)
        for j in range(link.b_sentences[0], link.b_sentences[1] + 1):
            source[1].setdefault(j, []).extend(texts_a)
    return source


def _vectors_of(texts: list[str]) -> Floats | None:
    """Unit vectors of ``texts`` (remembered per text, see ``embedding``); None without a model."""
    from reader.core import embedding

    if not texts:
        return None
    return embedding.sentence_vectors(texts)


def anchored_pairs(
    a: Article,
    b: Article,
    copied: Sequence[Link],
    taken: tuple[set[int], set[int]] = (set(), set()),
    reach: int = 2,
) -> set[tuple[int, int]]:
    """Pairs of a free sentence and a copied one that a copied link supports:
    (index in A, index in B).

    Outlets keep a story's order around the passages they copy, as sentence
    aligners assume when they fill the gaps between sure anchors (Gale-Church,
    Moore). So a story sentence that is in no link but stands just before (or
    after) a copied passage, within ``reach`` story sentences (headings and
    furniture skipped), is paired with the other side's copied sentence at that
    edge of the passage (its first, or last, matched sentence) and the copied
    ones among the ``reach`` story sentences beyond it on the same side: a
    standfirst restating the lede the other outlet copied, a fact the other
    outlet folded into a copied sentence. Two free sentences are left to the
    first pass. Sentences in ``taken`` (already related, per side) take no part.
    """
    story = (story_sentences(a), story_sentences(b))
    in_copy = _linked(copied)
    pairs: set[tuple[int, int]] = set()
    for link in copied:
        matched = list(link.pairs) or [
            (link.a_sentences[0], link.b_sentences[0]),
            (link.a_sentences[1], link.b_sentences[1]),
        ]
        spans = (link.a_sentences, link.b_sentences)
        for side in (0, 1):
            other = 1 - side
            first, last = spans[side]
            own, theirs = story[side], story[other]  # ascending: found by bisection
            # The matched pair first on this side (the first such), and last (the last such).
            edge_before = min(matched, key=lambda pair: pair[side])[other]
            edge_after = max(reversed(matched), key=lambda pair: pair[side])[other]
            start, end = bisect_left(own, first), bisect_right(own, last)
            before, after = own[max(0, start - reach) : start], own[end : end + reach]
            end = bisect_right(theirs, edge_before)
            partners_before = theirs[max(0, end - reach - 1) : end]
            start = bisect_left(theirs, edge_after)
            partners_after = theirs[start : start + reach + 1]
            for near, partners in ((before, partners_before), (after, partners_after)):
                for x in near:
                    if x in in_copy[side] or x in taken[side]:
                        continue
                    for y in partners:
                        if y in in_copy[other] and y not in taken[other]:
                            pairs.add((x, y) if side == 0 else (y, x))
    return pairs


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


def _shared_detail_runs(
    a: Article, b: Article, run: Sequence[tuple[int, int, float]]
) -> list[tuple[int, int, int]]:
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
