"""Place a saved tag in an article's current text.

Works like the W3C Web Annotation TextPositionSelector backed by a
TextQuoteSelector: offsets are trusted only while the article is the one the
tag was made on; otherwise the quote is looked for, exactly first and then
fuzzily near where it was. A tag that cannot be placed is returned orphaned
and unchanged, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from reader.core.annotation_file import AnnotationFile
from reader.core.annotation_model import ANCHORED, ORPHANED, AnnotationProblem, Tag, context_of
from reader.core.articles import Article, Corpus

UNCHANGED = "unchanged"   # same article, offsets used as they are
MOVED = "moved"           # quote found word for word, perhaps elsewhere
FUZZY = "fuzzy"           # a passage close to the quote, near the old place
LOST = "orphaned"         # not placed; the tag is kept as it was

# A fuzzy match must share this much with the quote (difflib ratio): enough
# for an inserted clause or a reworded word, not for a different sentence.
FUZZY_MIN_RATIO = 0.6
# Matching blocks shorter than this are coincidences ("the ", "ing ").
_MIN_BLOCK = 4
# How many blocks at each end of a match may be dropped when choosing its bounds.
_EDGE_BLOCKS = 8


@dataclass(frozen=True)
class Placement:
    """Where a tag landed: the tag with current offsets and status, and how."""

    tag: Tag
    how: str
    ratio: float = 1.0


def anchor_tag(tag: Tag, text: str, same_article: bool) -> Placement:
    """Place ``tag`` in ``text``.

    ``same_article`` says the article's hash equals the one recorded with the
    tag. Promise: an anchored result has ``quote == text[start:end]``; an
    orphaned result is ``tag`` itself with status ``"orphaned"``.
    """
    if same_article and 0 <= tag.start < tag.end <= len(text) \
            and text[tag.start:tag.end] == tag.quote:
        return Placement(replace(tag, status=ANCHORED), UNCHANGED)
    if tag.quote:
        start = _best_exact(tag, text)
        if start is not None:
            return Placement(_placed(tag, text, start, start + len(tag.quote)), MOVED)
        found = _fuzzy(tag, text)
        if found is not None:
            start, end, ratio = found
            return Placement(_placed(tag, text, start, end), FUZZY, ratio)
    return Placement(replace(tag, status=ORPHANED), LOST, 0.0)


def _placed(tag: Tag, text: str, start: int, end: int) -> Tag:
    prefix, suffix = context_of(text, start, end)
    return replace(tag, start=start, end=end, quote=text[start:end],
                   prefix=prefix, suffix=suffix, status=ANCHORED)


def _best_exact(tag: Tag, text: str) -> int | None:
    """The occurrence of the quote whose surroundings match best, then nearest the old place."""
    best: tuple[int, int, int] | None = None
    start = text.find(tag.quote)
    while start >= 0:
        end = start + len(tag.quote)
        context = _common_suffix(tag.prefix, text[max(0, start - len(tag.prefix)):start]) \
            + _common_prefix(tag.suffix, text[end:end + len(tag.suffix)])
        key = (-context, abs(start - tag.start), start)
        if best is None or key < best:
            best = key
        start = text.find(tag.quote, start + 1)
    return None if best is None else best[2]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _fuzzy(tag: Tag, text: str) -> tuple[int, int, float] | None:
    """The passage near the old place most like the quote, if it is like enough."""
    quote = tag.quote
    radius = max(2000, 4 * len(quote))
    centre = min(max(tag.start, 0), len(text))
    lo = max(0, centre - radius)
    hi = min(len(text), centre + len(quote) + radius)
    window = text[lo:hi]
    if not window.strip():
        return None
    matcher = SequenceMatcher(None, window, quote, autojunk=False)
    all_blocks = [b for b in matcher.get_matching_blocks() if b.size]
    big = [b for b in all_blocks if b.size >= min(_MIN_BLOCK, len(quote))]
    cluster = _with_edges(_densest_cluster(big, len(quote)), all_blocks)
    if not cluster:
        return None
    # The passage may begin or end at any block near the cluster's ends (an
    # edit can drop the quote's first words, and stray matches can precede
    # it), so those boundaries are candidates. Each is scored with difflib's
    # ratio, 2 * matched / (passage + quote), counting the matches already
    # found, so a long quote costs one alignment, not one per candidate.
    starts, ends = set(), set()
    for block in cluster[:_EDGE_BLOCKS]:
        starts.update((max(0, block.a - block.b), block.a))
    for block in cluster[-_EDGE_BLOCKS:]:
        tail = len(quote) - (block.b + block.size)
        ends.update((block.a + block.size, min(len(window), block.a + block.size + tail)))
    inside = [b for b in all_blocks if cluster[0].a <= b.a and b.a + b.size <= cluster[-1].a + cluster[-1].size]
    best: tuple[float, int, int] | None = None
    for s, e in sorted({_trim(window, s, e, quote) for s in starts for e in ends if e > s}):
        if e <= s:
            continue
        matched = sum(max(0, min(e, b.a + b.size) - max(s, b.a)) for b in inside)
        ratio = 2 * matched / ((e - s) + len(quote))
        if best is None or ratio > best[0]:
            best = (ratio, s, e)
    if best is None or best[0] < FUZZY_MIN_RATIO:
        return None
    ratio, s, e = best
    s, e = _take_punctuation(window, s, e, quote)
    return lo + s, lo + e, ratio


def _take_punctuation(window: str, start: int, end: int, quote: str) -> tuple[int, int]:
    # difflib rarely aligns a lone full stop or quotation mark, yet a quote
    # that ended a sentence should still end it after an edit.
    for _ in range(3):
        if end < len(window) and _is_mark(window[end]) and window[end] in quote[-3:]:
            end += 1
    for _ in range(3):
        if start > 0 and _is_mark(window[start - 1]) and window[start - 1] in quote[:3]:
            start -= 1
    return start, end


def _is_mark(ch: str) -> bool:
    return not ch.isalnum() and not ch.isspace()


def _with_edges(cluster: list, blocks: list) -> list:
    """The cluster plus short matches touching its ends (a final full stop)."""
    if not cluster:
        return cluster
    cluster = list(cluster)
    for block in blocks:
        last = cluster[-1]
        if block.a >= last.a + last.size and block.a - (last.a + last.size) <= 2 and block.b > last.b:
            cluster.append(block)
    for block in reversed(blocks):
        first = cluster[0]
        if block.a + block.size <= first.a and first.a - (block.a + block.size) <= 2 and block.b < first.b:
            cluster.insert(0, block)
    return cluster


def _densest_cluster(blocks: list, quote_length: int) -> list:
    """The run of matching blocks that lie close together and cover most of the quote.

    difflib aligns the quote against the whole window, so a few stray blocks
    may land far from the passage; the passage is where the blocks crowd.
    """
    gap_allowed = max(16, quote_length // 2)
    clusters: list[list] = []
    for block in blocks:
        if clusters:
            previous = clusters[-1][-1]
            if block.a - (previous.a + previous.size) <= gap_allowed:
                clusters[-1].append(block)
                continue
        clusters.append([block])
    if not clusters:
        return []
    return max(clusters, key=lambda c: sum(b.size for b in c))


def _trim(window: str, start: int, end: int, quote: str) -> tuple[int, int]:
    # A quote that starts and ends on a visible character should not grow
    # leading or trailing whitespace from the text around it.
    if quote[:1] and not quote[0].isspace():
        while start < end and window[start].isspace():
            start += 1
    if quote[-1:] and not quote[-1].isspace():
        while end > start and window[end - 1].isspace():
            end -= 1
    return start, end


@dataclass(frozen=True)
class PlacedFile:
    """A file's tags placed in the corpus: by id, with each article's recorded file and hash."""

    tags: dict[str, Tag]
    records: dict[str, tuple[str, str]]   # article id -> (file, sha256) as in the file
    problems: tuple[AnnotationProblem, ...]


def place_file(parsed: AnnotationFile, corpus: Corpus, path: Path) -> PlacedFile:
    """Place every tag of a parsed file in the corpus's current texts."""
    tags: dict[str, Tag] = {}
    records: dict[str, tuple[str, str]] = {}
    problems: list[AnnotationProblem] = []
    for entry in parsed.articles:
        records[entry.id] = (entry.file, entry.sha256)
        try:
            article: Article | None = corpus.article(entry.id)
        except KeyError:
            article = None
        if article is None:
            if entry.tags:
                problems.append(AnnotationProblem(
                    path, f"file {entry.file!r} is not in the corpus; its {len(entry.tags)} tag(s) are kept "
                          "but not shown", item=f"article {entry.id}", kind="missing-article"))
            for tag in entry.tags:
                tags[tag.id] = replace(tag, status=ORPHANED)
            continue
        same = entry.sha256 == article.sha256
        for tag in entry.tags:
            item = f"article {entry.id}, tag {tag.label} at {tag.start}..{tag.end}"
            if same and tag.end > len(article.text):
                problems.append(AnnotationProblem(
                    path, f"offsets out of range: the article has {len(article.text)} characters",
                    item=item))
                continue
            placement = anchor_tag(tag, article.text, same)
            tags[tag.id] = placement.tag
            if placement.how == LOST:
                problems.append(AnnotationProblem(
                    path, f"the article changed and “{_short(tag.quote)}” was not found in it; "
                          "the tag is kept but not shown", item=item, kind="orphaned"))
            elif placement.how == FUZZY:
                problems.append(AnnotationProblem(
                    path, f"the article changed; the tag now covers “{_short(placement.tag.quote)}” "
                          f"(was “{_short(tag.quote)}”)", item=item, kind="fuzzy"))
    return PlacedFile(tags, records, tuple(problems))


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
