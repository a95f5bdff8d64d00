"""The comparisons of a corpus as one model: what every view asks, computed once.

In the spirit of Meld's ``Differ``: ``PairLinks`` holds the links of one pair
of articles at one minimum similarity and answers the questions a view asks
of them (the link at an offset, the links of a visible range, the next and
previous link, how much of each article is linked, the links covering a
span) by bisection over sorted spans, never by rescanning the list.
``AlignmentStore`` keeps the pairs of a corpus with least-recently-used
eviction and per-article answers ("closest article", the best pair) that are
updated as each pair arrives, never recomputed over all pairs.

No Qt here: the window, the export, the CLI and the tests ask the same model.
"""

from __future__ import annotations

import bisect
import heapq
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from reader.core.align import Link
from reader.core.articles import Article

SIDES = ("a", "b")


@dataclass(frozen=True)
class PairKey:
    """One pair of articles at one minimum similarity, in canonical order."""

    a_id: str
    a_sha: str
    b_id: str
    b_sha: str
    threshold: float

    @staticmethod
    def of(a: Article, b: Article, threshold: float) -> tuple[PairKey, bool]:
        """The canonical key for (a, b) and whether a, b came in flipped order."""
        flipped = b.id < a.id
        first, second = (b, a) if flipped else (a, b)
        key = PairKey(first.id, first.sha256, second.id, second.sha256, round(float(threshold), 4))
        return key, flipped


def flip_links(links: Iterable[Link]) -> list[Link]:
    """The same links seen from the other side: A and B exchanged, sorted by the new A."""
    flipped = [
        replace(
            link,
            a_sentences=link.b_sentences,
            b_sentences=link.a_sentences,
            a_span=link.b_span,
            b_span=link.a_span,
            matches=tuple((b, a, n) for a, b, n in link.matches),
            pairs=tuple(sorted((j, i) for i, j in link.pairs)),
        )
        for link in links
    ]
    flipped.sort(key=lambda link: (link.a_span, link.b_span))
    return flipped


def linked_share(article: Article, spans: Iterable[tuple[int, int]]) -> float:
    """The share (0..1) of the article's sentence characters inside any of ``spans``."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    total = covered = 0
    first = 0  # merged spans and sentences are both in text order: one sweep
    for sentence in article.sentences:
        total += sentence.end - sentence.start
        while first < len(merged) and merged[first][1] <= sentence.start:
            first += 1
        for start, end in merged[first:]:
            if start >= sentence.end:
                break
            covered += max(0, min(end, sentence.end) - max(start, sentence.start))
    return covered / total if total else 0.0


class _SideIndex:
    """The links' spans on one side, sorted by start, with a running maximum of ends.

    The running maximum is what makes "which links reach past offset x"
    a bisection even when passages of one side overlap.
    """

    def __init__(self, links: Sequence[Link], side: str) -> None:
        spans = [(getattr(link, f"{side}_span"), n) for n, link in enumerate(links)]
        spans.sort()
        self.order = [n for _, n in spans]
        self.starts = [span[0] for span, _ in spans]
        self.ends = [span[1] for span, _ in spans]
        self.reach: list[int] = []
        furthest = -1
        for end in self.ends:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def overlapping(self, start: int, end: int) -> Iterator[int]:
        """Positions (in start order) of spans meeting [start, end); an empty range meets a span containing it."""
        first = bisect.bisect_right(self.reach, start)
        stop = (
            bisect.bisect_left(self.starts, end)
            if end > start
            else bisect.bisect_right(self.starts, start)
        )
        for position in range(first, stop):
            if self.ends[position] > start:
                yield position


class PairLinks:
    """The links of one pair of articles at one threshold, and every question asked of them.

    ``side`` is ``"a"`` or ``"b"``; offsets are code points into that
    article's text. Answers come in text order of the side asked about.
    """

    def __init__(
        self,
        a: Article | None,
        b: Article | None,
        links: Sequence[Link],
        threshold: float,
        *,
        wording: bool = True,
        shares: tuple[float, float] | None = None,
    ) -> None:
        # No articles (None, None, ()) is the views' empty pair, before any pair is shown.
        self.a, self.b, self.threshold = a, b, threshold
        # False: aligned with ``Aligner.align(wording=False)``, copied links without their
        # identical word runs (a background pair: which passages link is all the corpus needs).
        self.wording = wording
        self.links: tuple[Link, ...] = tuple(
            sorted(links, key=lambda link: (link.a_span, link.b_span))
        )
        # Built when first asked: most pairs of a corpus are only summarized, never shown.
        self._side_indexes: dict[str, _SideIndex] = {}
        # ``shares``: the share of A and of B the links cover, measured where the links
        # were found (another thread or process), so that filing the pair costs nothing.
        self._shares: dict[str, float] = (
            {} if shares is None else dict(zip(SIDES, shares, strict=True))
        )
        self._flipped: PairLinks | None = None

    def __len__(self) -> int:
        return len(self.links)

    def __iter__(self) -> Iterator[Link]:
        return iter(self.links)

    def __bool__(self) -> bool:
        return bool(self.links)

    def flipped(self) -> PairLinks:
        """The same pair seen from B: A and B exchanged (made once, then kept)."""
        if self._flipped is None:
            other = PairLinks(
                self.b, self.a, flip_links(self.links), self.threshold, wording=self.wording
            )
            other._flipped = self
            other._shares = {"a": self._shares["b"]} if "b" in self._shares else {}
            if "a" in self._shares:
                other._shares["b"] = self._shares["a"]
            self._flipped = other
        return self._flipped

    def at(self, side: str, offset: int) -> Link | None:
        """The first link (in text order of ``side``) whose passage contains ``offset``."""
        found = self.in_range(side, offset, offset + 1)
        return found[0] if found else None

    def in_range(self, side: str, start: int, end: int) -> list[Link]:
        """The links whose passage on ``side`` meets [start, end): what a visible range shows."""
        index = self._side(side)
        return [self.links[index.order[p]] for p in index.overlapping(start, end)]

    def positions_in_range(self, side: str, start: int, end: int) -> list[int]:
        """Like ``in_range``, as positions in ``links`` (ascending): views number links by them."""
        index = self._side(side)
        return sorted(index.order[p] for p in index.overlapping(start, end))

    def covering(self, side: str, start: int, end: int) -> list[Link]:
        """The links whose passage on ``side`` contains all of [start, end)."""
        index = self._side(side)
        return [
            self.links[index.order[p]]
            for p in index.overlapping(start, max(end, start + 1))
            if index.starts[p] <= start and index.ends[p] >= end
        ]

    def next_link(self, side: str, offset: int) -> Link | None:
        """The first link whose passage on ``side`` starts after ``offset``."""
        index = self._side(side)
        position = bisect.bisect_right(index.starts, offset)
        return self.links[index.order[position]] if position < len(index.starts) else None

    def previous_link(self, side: str, offset: int) -> Link | None:
        """The last link whose passage on ``side`` starts before ``offset``, not counting one containing it."""
        index = self._side(side)
        current = self.at(side, offset)
        if current is not None:
            offset = getattr(current, f"{side}_span")[0]
        position = bisect.bisect_left(index.starts, offset)
        return self.links[index.order[position - 1]] if position > 0 else None

    def locate(self, side: str, offset: int) -> tuple[Link | None, Link | None, Link | None]:
        """(link at offset, previous link, next link), as Meld's ``locate_chunk``.

        With a link at the offset, next and previous are counted from its start,
        so "next" never answers the link the reader is already in.
        """
        current = self.at(side, offset)
        anchor = offset if current is None else getattr(current, f"{side}_span")[0]
        return current, self.previous_link(side, anchor), self.next_link(side, anchor)

    def _side(self, side: str) -> _SideIndex:
        index = self._side_indexes.get(_check(side))
        if index is None:
            index = self._side_indexes[side] = _SideIndex(self.links, side)
        return index

    def share(self, side: str) -> float:
        """Share (0..1) of the article on ``side`` that some link of this pair covers."""
        if side not in self._shares:
            article = self.a if _check(side) == "a" else self.b
            if article is None:
                return 0.0
            self._shares[side] = linked_share(
                article, [getattr(link, f"{side}_span") for link in self.links]
            )
        return self._shares[side]


def _check(side: str) -> str:
    if side not in SIDES:
        raise ValueError(f"side must be 'a' or 'b', not {side!r}")
    return side


@dataclass(frozen=True)
class PairSummary:
    """What the corpus map keeps of an aligned pair even after its links are evicted."""

    key: PairKey
    a_share: float
    b_share: float
    links: int

    @property
    def mean_share(self) -> float:
        return (self.a_share + self.b_share) / 2


@dataclass(frozen=True)
class Closest:
    """The article that tells most of another one: ``share`` of that one is linked to it."""

    article_id: str
    share: float


class AlignmentStore:
    """The aligned pairs of a corpus, with least-recently-used eviction of their links.

    Links are kept for at most ``max_pairs`` pairs and ``max_links`` links in
    all (either may be None for no bound); evicting a pair drops its links
    but not its summary, so the per-article answers stay those of every pair
    aligned so far. Each arriving pair updates them in time proportional to
    its own links, whatever the number of pairs.
    """

    def __init__(self, max_pairs: int | None = 2_000, max_links: int | None = 200_000) -> None:
        self.max_pairs, self.max_links = max_pairs, max_links
        self._pairs: OrderedDict[PairKey, PairLinks] = OrderedDict()
        self._link_count = 0
        self._summaries: dict[PairKey, PairSummary] = {}
        # threshold -> article id -> partner id -> (share of the article, links)
        self._partners: dict[float, dict[str, dict[str, tuple[float, int]]]] = {}
        self._closest: dict[float, dict[str, Closest]] = {}
        self._best: dict[float, PairSummary] = {}
        # threshold -> a heap of the linked pairs' ranks as they arrived (a pair aligned again
        # leaves its old rank behind, passed over when it comes to the top): when the best
        # pair itself changes, the next best is at the top, where a scan of all summaries
        # was 40-110 ms of the event loop on a thousand-article corpus.
        self._ranked: dict[float, list[tuple[float, int, str, str, int, PairKey]]] = {}
        self._arrivals = 0

    # -- storing ------------------------------------------------------------
    def put(
        self,
        a: Article,
        b: Article,
        links: Sequence[Link],
        threshold: float,
        *,
        wording: bool = True,
    ) -> PairLinks:
        """Keep the links of (a, b) (oriented as given) and update the corpus answers.

        ``wording=False``: the copied links come without their identical word runs
        (background alignment); such a pair never replaces one kept with them.
        """
        key, flipped = PairKey.of(a, b, threshold)
        first, second = (b, a) if flipped else (a, b)
        pair = PairLinks(
            first, second, flip_links(links) if flipped else links, key.threshold, wording=wording
        )
        kept = self.keep(pair)
        return kept.flipped() if flipped else kept

    def keep(self, pair: PairLinks) -> PairLinks:
        """Keep ``pair`` (its articles in canonical order, ``PairKey.of``), built elsewhere:
        a worker thread builds it and measures its shares, the store only files it.
        Returns what is kept (a pair kept with word runs wins over one without)."""
        assert pair.a is not None and pair.b is not None
        key, flipped = PairKey.of(pair.a, pair.b, pair.threshold)
        if flipped:
            raise ValueError("keep() takes a pair in canonical order (PairKey.of)")
        kept = self._pairs.get(key)
        if kept is not None and kept.wording and not pair.wording:
            # The same passages, found again without the word runs: keep the fuller answer.
            self._pairs.move_to_end(key)
            return kept
        old = self._pairs.pop(key, None)
        if old is not None:
            self._link_count -= len(old)
        self._pairs[key] = pair
        self._link_count += len(pair)
        self._summarize(key, pair)
        self._evict()
        return pair

    def record(
        self, a: Article, b: Article, threshold: float, a_share: float, b_share: float, links: int
    ) -> None:
        """Update the corpus answers with a pair summarized elsewhere (another process), keeping no links."""
        key, flipped = PairKey.of(a, b, threshold)
        if flipped:
            a_share, b_share = b_share, a_share
        self._summarize(key, None, PairSummary(key, a_share, b_share, links))

    def _summarize(
        self, key: PairKey, pair: PairLinks | None, summary: PairSummary | None = None
    ) -> None:
        if summary is None:
            assert pair is not None
            summary = PairSummary(key, pair.share("a"), pair.share("b"), len(pair))
        previous = self._summaries.get(key)
        self._summaries[key] = summary
        partners = self._partners.setdefault(key.threshold, {})
        closest = self._closest.setdefault(key.threshold, {})
        for article_id, partner_id, share in (
            (key.a_id, key.b_id, summary.a_share),
            (key.b_id, key.a_id, summary.b_share),
        ):
            partners.setdefault(article_id, {})[partner_id] = (share, summary.links)
            known = closest.get(article_id)
            if previous is not None and known is not None and known.article_id == partner_id:
                # the very pair that was closest changed: look again, for this article only
                self._reclose(key.threshold, article_id)
            elif share > 0 and (known is None or _better(share, partner_id, known)):
                closest[article_id] = Closest(partner_id, share)
        if summary.links:
            self._arrivals += 1
            heapq.heappush(
                self._ranked.setdefault(key.threshold, []),
                (*_rank(summary), self._arrivals, key),
            )
        best = self._best.get(key.threshold)
        if previous is not None and best is not None and best.key == key:
            self._rebest(key.threshold)
        elif summary.links and (best is None or _rank(summary) < _rank(best)):
            self._best[key.threshold] = summary

    def _reclose(self, threshold: float, article_id: str) -> None:
        closest = self._closest[threshold]
        closest.pop(article_id, None)
        for partner_id, (share, _) in self._partners[threshold].get(article_id, {}).items():
            known = closest.get(article_id)
            if share > 0 and (known is None or _better(share, partner_id, known)):
                closest[article_id] = Closest(partner_id, share)

    def _evict(self) -> None:
        while self._pairs and (
            (self.max_pairs is not None and len(self._pairs) > self.max_pairs)
            or (
                self.max_links is not None
                and self._link_count > self.max_links
                and len(self._pairs) > 1
            )
        ):
            _, pair = self._pairs.popitem(last=False)
            self._link_count -= len(pair)

    def forget_article(self, article_id: str) -> None:
        """Drop every pair with ``article_id`` (its file changed) and mend the answers that used them."""
        doomed = [key for key in self._summaries if article_id in (key.a_id, key.b_id)]
        thresholds = {key.threshold for key in doomed}
        for key in doomed:
            pair = self._pairs.pop(key, None)
            if pair is not None:
                self._link_count -= len(pair)
            del self._summaries[key]
            partners = self._partners[key.threshold]
            other = key.b_id if key.a_id == article_id else key.a_id
            partners.get(other, {}).pop(article_id, None)
            partners.pop(article_id, None)
            self._closest[key.threshold].pop(article_id, None)
            closest = self._closest[key.threshold].get(other)
            if closest is not None and closest.article_id == article_id:
                self._reclose(key.threshold, other)
        for threshold in thresholds:
            self._rebest(threshold)

    def _rebest(self, threshold: float) -> None:
        # Only when the best pair itself changed or went: the best rank still current.
        ranked = self._ranked.get(threshold, [])
        while ranked:
            *rank, _, key = ranked[0]
            summary = self._summaries.get(key)
            if summary is not None and summary.links and _rank(summary) == tuple(rank):
                self._best[threshold] = summary
                return
            heapq.heappop(ranked)
        self._best.pop(threshold, None)

    def clear(self) -> None:
        """Forget everything (a new corpus)."""
        self.__init__(self.max_pairs, self.max_links)  # type: ignore[misc]

    # -- asking -------------------------------------------------------------
    def get(
        self, a: Article, b: Article, threshold: float, *, wording: bool = False
    ) -> PairLinks | None:
        """The links of (a, b) oriented as asked, if kept; asking makes the pair recently used.

        ``wording=True`` answers only a pair whose copied links carry their identical
        word runs (what a view marks word by word); None for one aligned without them.
        """
        key, flipped = PairKey.of(a, b, threshold)
        pair = self._pairs.get(key)
        if pair is None or (wording and not pair.wording):
            return None
        self._pairs.move_to_end(key)
        return pair.flipped() if flipped else pair

    def __contains__(self, key: PairKey) -> bool:
        return key in self._pairs

    def has_wording(self, key: PairKey) -> bool:
        """Whether the pair ``key`` is kept with the identical word runs of its copied links."""
        pair = self._pairs.get(key)
        return pair is not None and pair.wording

    def __len__(self) -> int:
        return len(self._pairs)

    @property
    def link_count(self) -> int:
        """Links currently kept, over all pairs."""
        return self._link_count

    def summary(self, a: Article, b: Article, threshold: float) -> PairSummary | None:
        """Shares and link count of (a, b) in canonical order, kept even after eviction."""
        return self._summaries.get(PairKey.of(a, b, threshold)[0])

    def summary_of(self, key: PairKey) -> PairSummary | None:
        """The summary of the pair ``key`` names, kept even after eviction."""
        return self._summaries.get(key)

    def summaries(self, threshold: float) -> list[PairSummary]:
        """Every aligned pair at ``threshold``, in canonical order of its articles."""
        threshold = round(float(threshold), 4)
        return [s for s in self._summaries.values() if s.key.threshold == threshold]

    def closest(self, article_id: str, threshold: float) -> Closest | None:
        """The aligned article that links the largest share of ``article_id``, if any links it."""
        return self._closest.get(round(float(threshold), 4), {}).get(article_id)

    def partners(self, article_id: str, threshold: float) -> dict[str, float]:
        """Share of ``article_id`` linked to each aligned partner."""
        known = self._partners.get(round(float(threshold), 4), {}).get(article_id, {})
        return {partner: share for partner, (share, _) in known.items()}

    def best_pair(self, threshold: float) -> tuple[str, str] | None:
        """The pair with the largest mean linked share (ties: more links, then ids), if any is linked."""
        best = self._best.get(round(float(threshold), 4))
        return None if best is None else (best.key.a_id, best.key.b_id)


def _better(share: float, partner_id: str, known: Closest) -> bool:
    # Ties go to the smaller id, so the answer does not depend on arrival order.
    return share > known.share or (share == known.share and partner_id < known.article_id)


def _rank(summary: PairSummary) -> tuple[float, int, str, str]:
    # Smallest first: the largest mean share, then the most links, then the alphabetically
    # first pair, so the answer does not depend on arrival order.
    return (-summary.mean_share, -summary.links, summary.key.a_id, summary.key.b_id)


# A story is a union over pairs, so one pair too many merges two stories whole.
# A pair joins a story only on more than one stray passage: on generated prose
# folders every pair of one story had at least 2 links, while the pairs with a
# single link all joined different stories (a site's byline or a stock
# sentence, linking at most 24 % of either article). One passage that tells a large
# part of an article (a copied paragraph) is still enough.
STORY_MIN_LINKS = 2
STORY_MIN_SHARE = 0.3
# Even such pairs join different stories when the stories are of one kind (two
# strikes state the same kinds of fact in the same words): on generated prose
# folders of 300 and 1,000 articles thousands of pairs across stories had 2 or
# more links, and single linkage over them made one story of everything. An
# article's own story tells it most, though: a pair joins only if it is among the
# STORY_PARTNERS closest pairs (by mean share) of one of its two articles. Two
# was measured best (300 articles, 37 stories: adjusted Rand 0.000 -> 0.971; one
# partner splits stories, 0.595; three merges some again, 0.710); every article
# with a partner still joins its closest, so one event is never split into loners.
STORY_PARTNERS = 2


def shares_a_story(links: int, a_share: float, b_share: float) -> bool:
    """Whether a pair with ``links`` links, linking ``a_share`` of A and ``b_share`` of B,
    is more than a stray link, so may put its two articles in one story (``StoryGroups``)."""
    return links >= STORY_MIN_LINKS or (links > 0 and max(a_share, b_share) >= STORY_MIN_SHARE)


# How far a partner is, nearest first: the pair's mean share (negated), then the partner's
# id, so that among equal shares the alphabetically first partner wins whatever order
# pairs came in (as ``_rank`` orders pairs).
_Distance = tuple[float, str]


class StoryGroups:
    """Articles joined by shared passages, kept up to date one aligned pair at a time.

    A pair that ``shares_a_story`` joins its two articles if it is among the
    ``STORY_PARTNERS`` closest such pairs of either article. Each arriving pair
    costs a look at its two articles' partners; ``groups`` joins the articles'
    closest partners (a pass over the articles, not the pairs) and is asked only
    when ``add`` says the closest partners changed. ``CorpusMap.stories`` is the
    same groups for all pairs at once.
    """

    def __init__(self, articles: Sequence[Article]) -> None:
        self._articles = {article.id: article for article in articles}
        self._order = {article_id: n for n, article_id in enumerate(self._articles)}
        # article id -> partner id -> distance (computed once per pair)
        self._partners: dict[str, dict[str, _Distance]] = {i: {} for i in self._articles}
        self._closest: dict[str, list[str]] = {i: [] for i in self._articles}
        # The groups as last asked (article id -> the ids of its group, in corpus order), and
        # the articles whose closest partners changed since: asking again regroups only the
        # groups they were and are in. Regrouping all articles on every change was 10-40 ms
        # of the event loop each time the window refreshed its corpus map.
        self._group_of: dict[str, list[str]] = {i: [i] for i in self._articles}
        self._changed: set[str] = set()
        self._listed: list[list[str]] | None = None
        self._names: dict[str, str] = {}  # file names, which order groups of one size

    def add(self, summary: PairSummary) -> bool:
        """Take an aligned pair (a pair aligned again replaces its summary); True if the closest
        partners of either article changed, so the groups may have."""
        a_id, b_id = summary.key.a_id, summary.key.b_id
        if a_id not in self._partners or b_id not in self._partners or a_id == b_id:
            return False
        evidence = shares_a_story(summary.links, summary.a_share, summary.b_share)
        changed = False
        for me, other in ((a_id, b_id), (b_id, a_id)):
            partners = self._partners[me]
            current = self._closest[me]
            if evidence:
                distance = (-summary.mean_share, other)
                partners[other] = distance
                if (
                    other not in current
                    and len(current) == STORY_PARTNERS
                    and distance > partners[current[-1]]
                ):
                    continue  # not among the closest: they stand (most pairs, on a big corpus)
            elif partners.pop(other, None) is None or other not in current:
                continue
            # A pass over the article's partners only when its closest may change: on every
            # pair it was most of the GUI thread's corpus refresh (1,000 articles, 20,560 pairs).
            closest = heapq.nsmallest(STORY_PARTNERS, partners, key=partners.__getitem__)
            if closest != self._closest[me]:
                self._closest[me] = closest
                self._changed.add(me)
                changed = True
        return changed

    def groups(self) -> list[list[Article]]:
        """Groups (largest first, ties by first file name), articles in corpus order; loners one by one."""
        if self._changed or self._listed is None:
            self._regroup()
        assert self._listed is not None
        return [[self._articles[i] for i in group] for group in self._listed]

    def _regroup(self) -> None:
        # The groups an article whose closest partners changed was in, or is now joined to
        # (and so on): every other group keeps its articles, as each article's partners
        # lie in its own group.
        affected: set[str] = set()
        pending = list(self._changed)
        while pending:
            article_id = pending.pop()
            if article_id in affected:
                continue
            group = self._group_of[article_id]
            affected.update(group)
            pending.extend(o for i in group for o in self._closest[i] if o not in affected)
        self._changed.clear()
        parent = {article_id: article_id for article_id in affected}

        def find(article_id: str) -> str:
            while parent[article_id] != article_id:
                parent[article_id] = parent[parent[article_id]]
                article_id = parent[article_id]
            return article_id

        for me in affected:
            for other in self._closest[me]:
                parent[find(me)] = find(other)
        regrouped: dict[str, list[str]] = {}
        for article_id in sorted(affected, key=self._order.__getitem__):
            regrouped.setdefault(find(article_id), []).append(article_id)
        for group in regrouped.values():
            for article_id in group:
                self._group_of[article_id] = group
        distinct = {id(group): group for group in self._group_of.values()}.values()
        names = self._names
        for group in distinct:
            if group[0] not in names:
                names[group[0]] = self._articles[group[0]].path.name
        self._listed = sorted(distinct, key=lambda group: (-len(group), names[group[0]]))
