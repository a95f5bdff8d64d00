"""Place a saved tag in an article's current text.

Works like the W3C Web Annotation TextPositionSelector backed by a
TextQuoteSelector: offsets are trusted only while the article is the one the
tag was made on; otherwise the quote is looked for, exactly first, then with
case and spacing ignored, and then fuzzily, word by word, near where it was.
A tag that cannot be placed is returned orphaned and unchanged, never dropped.

A wrong placement is worse than an orphan: the reader sees a claim tag on a
sentence nobody tagged and the next save writes it down as theirs. So a fuzzy
placement needs most of the quote's words, in order, on whole words, and
short quotes (headings, names) are placed only when found exactly. A tag that
covered whole sentences covers whole sentences again, and when the text under
a tag changed a lot, the quote the reader chose is kept in ``original_quote``
until they confirm the new text (``confirm_placement``).

Every search is bounded (word-level comparison inside windows around the old
place, with a cap on the work), so any tag is placed or orphaned quickly,
whatever the size of the quote or the article.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from reader.core.annotation_file import AnnotationFile
from reader.core.annotation_model import (
    ANCHORED,
    CONTEXT_CHARS,
    ORPHANED,
    AnnotationProblem,
    Tag,
    context_of,
)
from reader.core.articles import Article, Corpus
from reader.core.chains import longest_increasing_chain
from reader.core.sentences import split_sentences
from reader.core.text_utils import shorten_line

UNCHANGED = "unchanged"  # same article, offsets used as they are
MOVED = "moved"  # quote found word for word, perhaps elsewhere
FUZZY = "fuzzy"  # a passage close to the quote, near the old place
LOST = "orphaned"  # not placed; the tag is kept as it was

# A quote shorter than this (characters or words) is placed only where it
# occurs exactly, up to case and spacing: "Follow us:" must not become "ollow".
SHORT_QUOTE_CHARS = 25
SHORT_QUOTE_WORDS = 4
# A fuzzy placement must hold this share of the quote's words, in order:
# enough for a reworded word or two, not for a neighbouring sentence that
# shares half its words (a headline and the lede that repeats it).
MIN_WORDS_FOUND = 0.8
# ... and the placed text must be mostly the quote's words, unless the text
# around it is the text that was around the quote (then a sentence may have
# grown by a long clause and still be the reader's sentence).
MIN_SHARE_OF_PLACED = 0.5
MIN_SHARE_OF_PLACED_IN_CONTEXT = 0.25
# When more words than this were added, removed or changed under a tag
# (more than one reworded word), the quote the reader chose is kept until
# they confirm the new text.
CONFIRM_ABOVE_WORDS = 2
# Blocks of matching words further apart than this (in words of the text)
# belong to different passages.
_MAX_GAP_WORDS = 12
# Work caps: difflib compares word lists up to this product of lengths;
# longer ones are aligned on words shared once by both (patience diff).
_DIFFLIB_WORK = 1_500_000
_GAP_WORK = 20_000
_TOTAL_GAP_WORK = 2_000_000
_ANCHOR_WORDS = 4
# Windows searched: around the old place, then around where the quote's
# context now is. Quotes longer than this are not split into sentences.
_MAX_WINDOWS = 3
_SENTENCE_QUOTE_LIMIT = 5_000
_SENTENCE_MARGIN = 600
_NORMALISED_QUOTE_LIMIT = 2_000
# Occurrences of an exact quote checked for standing as whole sentences.
_MAX_CANDIDATES = 20

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_WORD_SPLIT = re.compile(r"(\w+(?:['’]\w+)*)")


@dataclass(frozen=True)
class Placement:
    """Where a tag landed: the tag with current offsets and status, and how."""

    tag: Tag
    how: str
    ratio: float = 1.0


def anchor_tag(tag: Tag, text: str, same_article: bool) -> Placement:
    """Place ``tag`` in ``text``.

    ``same_article`` says the article's hash equals the one recorded with the
    tag. Promise: an anchored result has ``quote == text[start:end]`` and
    starts and ends where the quote did relative to words (never inside a word
    unless the quote did); an orphaned result is ``tag`` itself with status
    ``"orphaned"``. A fuzzy result that differs a lot from the quote keeps the
    reader's quote in ``original_quote``.
    """
    if (
        same_article
        and 0 <= tag.start < tag.end <= len(text)
        and text[tag.start : tag.end] == tag.quote
    ):
        return Placement(replace(tag, status=ANCHORED), UNCHANGED)
    # The text as last placed, then the text the reader chose, if it differs
    # (an edit undone brings the tag back to it).
    for quote in dict.fromkeys(q for q in (tag.quote, tag.original_quote) if q):
        probe = replace(tag, quote=quote)
        sentences = _sentence_count(probe)
        start = _best_exact(probe, text, sentences)
        if start is not None:
            return Placement(_placed(tag, text, _Found(start, start + len(quote), 1.0, 0)), MOVED)
        found = _normalised(probe, text, sentences) or _fuzzy(probe, text, sentences)
        if found is not None:
            return Placement(_placed(tag, text, found), FUZZY, found.ratio)
    return Placement(replace(tag, status=ORPHANED), LOST, 0.0)


class _Found(NamedTuple):
    start: int
    end: int
    ratio: float  # word similarity to the quote, 2 * shared / (quote + placed)
    changed: int  # words of the quote missing plus words placed that are not the quote's


def confirm_placement(tag: Tag) -> Tag:
    """The tag with its current text accepted as the reader's: ``original_quote`` cleared."""
    return replace(tag, original_quote="")


def _placed(tag: Tag, text: str, found: _Found) -> Tag:
    start, end = found.start, found.end
    prefix, suffix = context_of(text, start, end)
    quote = text[start:end]
    original = tag.original_quote or tag.quote
    if _same_words(quote, original):
        original = ""  # back to the words the reader chose (an edit undone)
    elif not tag.original_quote and found.changed <= CONFIRM_ABOVE_WORDS:
        original = ""  # a small change: the reader need not confirm it
    return replace(
        tag,
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        status=ANCHORED,
        original_quote=original,
    )


# ---------------------------------------------------------------- exact


def _best_exact(tag: Tag, text: str, sentences: int) -> int | None:
    """The occurrence of the quote whose surroundings match best, then nearest the old place.

    A quote that was whole sentences is taken only where it still stands as
    such (or where its old surroundings are): a deleted heading must not land
    on the same words inside a sentence.
    """
    candidates = []
    start = text.find(tag.quote)
    while start >= 0:
        end = start + len(tag.quote)
        context = _common_suffix(
            tag.prefix, text[max(0, start - len(tag.prefix)) : start]
        ) + _common_prefix(tag.suffix, text[end : end + len(tag.suffix)])
        candidates.append((-context, abs(start - tag.start), start))
        start = text.find(tag.quote, start + 1)
    for _, _, start in sorted(candidates)[:_MAX_CANDIDATES]:
        if not sentences or _stands_as_sentences(tag, text, start, start + len(tag.quote)):
            return start
    return None


def _normalised(tag: Tag, text: str, sentences: int) -> _Found | None:
    """The quote found with case and spacing ignored, on the same word boundaries."""
    pieces = tag.quote.split()
    if not pieces or len(tag.quote) > _NORMALISED_QUOTE_LIMIT:
        return None  # a long quote with other case or spacing is found word by word
    pattern = re.compile(r"\s+".join(re.escape(piece) for piece in pieces), re.IGNORECASE)
    candidates = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if not _edges_fit(tag, text, start, end):
            continue
        context = _common_suffix(
            tag.prefix.lower(), text[max(0, start - len(tag.prefix)) : start].lower()
        ) + _common_prefix(tag.suffix.lower(), text[end : end + len(tag.suffix)].lower())
        candidates.append((-context, abs(start - tag.start), start, end))
    for _, _, start, end in sorted(candidates)[:_MAX_CANDIDATES]:
        if not sentences or _stands_as_sentences(tag, text, start, end):
            return _Found(start, end, 1.0, 0)
    return None


def _edges_fit(tag: Tag, text: str, start: int, end: int) -> bool:
    """The span cuts a word only where the quote cut one."""
    return _start_fits(tag, text, start) and _end_fits(tag, text, end)


def _start_fits(tag: Tag, text: str, start: int) -> bool:
    cut = bool(tag.prefix) and tag.prefix[-1].isalnum() and tag.quote[:1].isalnum()
    return (
        cut
        or start <= 0
        or start >= len(text)
        or not (text[start - 1].isalnum() and text[start].isalnum())
    )


def _end_fits(tag: Tag, text: str, end: int) -> bool:
    cut = bool(tag.suffix) and tag.suffix[0].isalnum() and tag.quote[-1:].isalnum()
    return (
        cut or end <= 0 or end >= len(text) or not (text[end - 1].isalnum() and text[end].isalnum())
    )


def _common_prefix(a: str, b: str) -> int:
    n = 0
    # the shorter string ends the common prefix
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


# ---------------------------------------------------------------- fuzzy


class _Words(NamedTuple):
    """Words of a stretch of text: normalised forms and their spans."""

    norms: list[str]
    starts: list[int]
    ends: list[int]


def _words(text: str, lo: int = 0, hi: int | None = None) -> _Words:
    hi = len(text) if hi is None else hi
    piece = text[lo:hi]
    lowered = piece.lower().replace("’", "'")
    if len(lowered) != len(piece):  # a few letters grow when lowered (İ): go word by word
        matches = list(_WORD.finditer(piece))
        return _Words(
            [m.group().lower().replace("’", "'") for m in matches],
            [m.start() + lo for m in matches],
            [m.end() + lo for m in matches],
        )
    # Splitting on words gives separators and words in turn; their running
    # lengths are the words' offsets. All of it runs in C, which matters for
    # a quote of a megabyte.
    parts = _WORD_SPLIT.split(lowered)
    norms = parts[1::2]
    offsets = list(accumulate(map(len, parts), initial=lo))
    return _Words(norms, offsets[1::2][: len(norms)], offsets[2::2][: len(norms)])


def _same_words(a: str, b: str) -> bool:
    """The same text up to case and spacing."""
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def _norm_words(text: str) -> list[str]:
    return [word.lower().replace("’", "'") for word in _WORD.findall(text)]


class _Block(NamedTuple):
    i: int  # first word in the text window
    j: int  # first word in the quote
    size: int


def _fuzzy(tag: Tag, text: str, sentences: int) -> _Found | None:
    """The passage most like the quote near where it was, if like enough.

    Word by word: a high share of the quote's words, in order, whole words.
    """
    quote = tag.quote
    quote_words = _words(quote)
    if len(quote.strip()) < SHORT_QUOTE_CHARS or len(quote_words.norms) < SHORT_QUOTE_WORDS:
        return None
    for lo, hi in _windows(tag, text):
        found = _place_in_window(tag, quote_words, text, lo, hi, sentences)
        if found is not None:
            return found
    return None


def _windows(tag: Tag, text: str) -> list[tuple[int, int]]:
    """Stretches of text to search: around the old place first, then around the quote's old context."""
    radius = max(2000, len(tag.quote) // 2)
    length = len(tag.quote)
    centres = [min(max(tag.start, 0), len(text))]
    # If much was inserted or removed before the passage, its old offset is
    # far off; the text that surrounded it may still be there, word for word.
    prefix, suffix = tag.prefix.strip(), tag.suffix.strip()
    if len(prefix) >= CONTEXT_CHARS // 2:
        centres += [at + len(prefix) for at in _find_all(text, prefix, 2)]
    if len(suffix) >= CONTEXT_CHARS // 2:
        centres += [max(0, at - length) for at in _find_all(text, suffix, 2)]
    windows: list[tuple[int, int]] = []
    for centre in centres:
        lo, hi = max(0, centre - radius), min(len(text), centre + length + radius)
        if any(
            a <= max(0, centre - radius // 2) and min(len(text), centre + length + radius // 2) <= b
            for a, b in windows
        ):
            continue  # already searched around there
        windows.append((lo, hi))
        if len(windows) == _MAX_WINDOWS:
            break
    return windows


def _find_all(text: str, needle: str, most: int) -> list[int]:
    found: list[int] = []
    at = text.find(needle)
    while at >= 0 and len(found) < most:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _place_in_window(
    tag: Tag, quote_words: _Words, text: str, lo: int, hi: int, sentences: int
) -> _Found | None:
    window = _words(text, lo, hi)
    if not window.norms:
        return None
    cluster = _densest_cluster(_align(window.norms, quote_words.norms))
    if not cluster:
        return None
    # Only the passage's own matches count from here on: strays elsewhere
    # in the window say nothing about it.
    blocks = _widened(cluster, window.norms, quote_words.norms)
    first, last = blocks[0], blocks[-1]
    start = window.starts[first.i]
    end = window.ends[last.i + last.size - 1]
    quote = tag.quote
    start = _take_head(tag, text, start, quote[: quote_words.starts[first.j]])
    end = _take_tail(tag, text, end, quote[quote_words.ends[last.j + last.size - 1] :])
    if sentences:
        snapped = _snap_to_sentences(text, start, end, sentences, window, blocks)
        if snapped is None:
            return None
        # Where the old surroundings are still next to the passage, its edge
        # is there; elsewhere it is the edge of the sentence.
        start = start if _prefix_agrees(tag, text, start, strict=True) else snapped[0]
        end = end if _suffix_agrees(tag, text, end, strict=True) else snapped[1]
    # Judge the passage as placed: the quote's words it holds, in order.
    matched = 0
    for block in blocks:
        first_word, last_word = window.starts[block.i], window.ends[block.i + block.size - 1]
        if start <= first_word and last_word <= end:
            matched += block.size
        elif first_word < end and start < last_word:
            matched += sum(
                1
                for k in range(block.i, block.i + block.size)
                if start <= window.starts[k] and window.ends[k] <= end
            )
    placed_words = (
        len(_WORD.findall(text, start, end))
        if not (lo <= start and end <= hi)
        else bisect.bisect_right(window.ends, end) - bisect.bisect_left(window.starts, start)
    )
    found_share = matched / len(quote_words.norms)
    placed_share = matched / max(1, placed_words)
    if found_share < MIN_WORDS_FOUND or placed_share < MIN_SHARE_OF_PLACED_IN_CONTEXT:
        return None
    if placed_share < MIN_SHARE_OF_PLACED and not _context_agrees(tag, text, start, end):
        return None
    total = len(quote_words.norms) + placed_words
    return _Found(start, end, 2 * matched / total, total - 2 * matched)


def _align(text_words: list[str], quote_words: list[str]) -> list[_Block]:
    """Blocks of words equal in both lists, in order in both. Bounded work."""
    if len(text_words) * len(quote_words) <= _DIFFLIB_WORK:
        matcher = SequenceMatcher(None, text_words, quote_words, autojunk=False)
        return [_Block(b.a, b.b, b.size) for b in matcher.get_matching_blocks() if b.size]
    return _patience(text_words, quote_words)


def _patience(a: list[str], b: list[str]) -> list[_Block]:
    """Align long word lists on runs of words that occur once in each (patience diff).

    Runs of ``_ANCHOR_WORDS`` words unique in both lists are matched, the
    longest chain of them in order in both kept, each grown while the words
    go on agreeing, and the short gaps between them compared with difflib,
    within a total budget. Near-linear in the lengths.
    """
    k = _ANCHOR_WORDS
    # each shifted copy is shorter by one word: zip stops at the last whole run
    runs_b = list(zip(*(b[shift:] for shift in range(k)), strict=False))
    count_b = Counter(runs_b)
    # Every other run of the quote is enough to find the passage; growing
    # each anchor below fills in the words between.
    wanted = {runs_b[j]: j for j in range(0, len(runs_b), 2 * k) if count_b[runs_b[j]] == 1}
    runs_a = list(zip(*(a[shift:] for shift in range(k)), strict=False))
    count_a = Counter(runs_a)
    where_a = {run: i for i, run in enumerate(runs_a)}
    pairs = sorted(
        (wanted[run], where_a[run]) for run in wanted.keys() & where_a.keys() if count_a[run] == 1
    )
    # in quote order, rising in text order too: (i, j) of each run in the chain
    chain = longest_increasing_chain((j, i, (i, j)) for j, i in pairs)
    blocks: list[_Block] = []
    end_a = end_b = 0
    for i, j in chain:
        if i < end_a or j < end_b:
            continue  # inside the block before
        start_i, start_j = i, j
        while start_i > end_a and start_j > end_b and a[start_i - 1] == b[start_j - 1]:
            start_i, start_j = start_i - 1, start_j - 1
        stop_i, stop_j = i, j
        while (
            a[stop_i : stop_i + 64] == b[stop_j : stop_j + 64]
            and stop_i + 64 <= len(a)
            and stop_j + 64 <= len(b)
        ):
            stop_i, stop_j = stop_i + 64, stop_j + 64  # long identical stretches, compared in C
        while stop_i < len(a) and stop_j < len(b) and a[stop_i] == b[stop_j]:
            stop_i, stop_j = stop_i + 1, stop_j + 1
        blocks.append(_Block(start_i, start_j, stop_i - start_i))
        end_a, end_b = stop_i, stop_j
    # Words changed between the anchors: compare each short gap in full.
    filled: list[_Block] = []
    budget = _TOTAL_GAP_WORK
    previous = _Block(0, 0, 0)
    for block in [*blocks, _Block(len(a), len(b), 0)]:
        gap_a = (previous.i + previous.size, block.i)
        gap_b = (previous.j + previous.size, block.j)
        work = (gap_a[1] - gap_a[0]) * (gap_b[1] - gap_b[0])
        if 0 < work <= min(_GAP_WORK, budget) and previous.size and block.size:
            budget -= work
            matcher = SequenceMatcher(
                None, a[gap_a[0] : gap_a[1]], b[gap_b[0] : gap_b[1]], autojunk=False
            )
            filled += [
                _Block(gap_a[0] + m.a, gap_b[0] + m.b, m.size)
                for m in matcher.get_matching_blocks()
                if m.size
            ]
        if block.size:
            filled.append(block)
        previous = block
    return filled


def _densest_cluster(blocks: list[_Block]) -> list[_Block]:
    """The run of blocks lying close together in the text that matches most words.

    Stray matches ("the", "in") far from the passage form runs of their own.
    """
    runs: list[list[_Block]] = []
    for block in blocks:
        if runs:
            previous = runs[-1][-1]
            if block.i - (previous.i + previous.size) <= _MAX_GAP_WORDS:
                runs[-1].append(block)
                continue
        runs.append([block])
    if not runs:
        return []
    return max(runs, key=lambda run: sum(block.size for block in run))


def _widened(cluster: list[_Block], text_words: list[str], quote_words: list[str]) -> list[_Block]:
    """The cluster with the quote's words before and after it matched right next to it.

    difflib takes the first of equal candidates, so a quote's first words
    ("Putin's", or a name a headline above repeats) may have been matched
    further up the window instead of just before the passage; they are
    matched again here, nearest first, within a few words.
    """
    first, last = cluster[0], cluster[-1]
    before: list[_Block] = []
    if 0 < first.j <= _MAX_GAP_WORDS:  # a few words, not a missing half of the quote
        lo = max(0, first.i - first.j - _MAX_GAP_WORDS)
        # Backwards, so that of equal candidates the nearest wins.
        matcher = SequenceMatcher(
            None, text_words[lo : first.i][::-1], quote_words[: first.j][::-1], autojunk=False
        )
        before = sorted(
            _Block(first.i - m.a - m.size, first.j - m.b - m.size, m.size)
            for m in matcher.get_matching_blocks()
            if m.size
        )
    after: list[_Block] = []
    tail_i, tail_j = last.i + last.size, last.j + last.size
    if 0 < len(quote_words) - tail_j <= _MAX_GAP_WORDS:
        hi = min(len(text_words), tail_i + (len(quote_words) - tail_j) + _MAX_GAP_WORDS)
        matcher = SequenceMatcher(None, text_words[tail_i:hi], quote_words[tail_j:], autojunk=False)
        after = [
            _Block(tail_i + m.a, tail_j + m.b, m.size)
            for m in matcher.get_matching_blocks()
            if m.size
        ]
    return before + list(cluster) + after


def _take_head(tag: Tag, text: str, start: int, head: str) -> int:
    """Move ``start`` back over what the quote had before its first found word, where the text has it too.

    A quote's opening quotation mark, or the part of a word it began inside,
    is not a word of its own, yet belongs to the placed passage.
    """
    common = _common_suffix(head, text[max(0, start - len(head)) : start])
    for candidate in range(start - common, start):
        if not text[candidate].isspace() and _start_fits(tag, text, candidate):
            return candidate
    return start


def _take_tail(tag: Tag, text: str, end: int, tail: str) -> int:
    """Move ``end`` on over what the quote had after its last found word (a full stop), where the text has it."""
    common = _common_prefix(tail, text[end : end + len(tail)])
    for candidate in range(end + common, end, -1):
        if not text[candidate - 1].isspace() and _end_fits(tag, text, candidate):
            return candidate
    return end


# ---------------------------------------------------------------- whole sentences


def _sentence_count(tag: Tag) -> int:
    """How many whole sentences the quote was, in the text it was made on; 0 if not whole sentences."""
    quote = tag.quote
    if not quote or len(quote) > _SENTENCE_QUOTE_LIMIT or quote != quote.strip():
        return 0
    # The context was cut at a fixed length: drop its cut word, which may
    # also hold half a quotation and mislead the splitter.
    prefix = tag.prefix if len(tag.prefix) < CONTEXT_CHARS else re.sub(r"^\S*\s", "", tag.prefix)
    suffix = tag.suffix if len(tag.suffix) < CONTEXT_CHARS else re.sub(r"\s\S*$", "", tag.suffix)
    spans = split_sentences(prefix + quote + suffix)
    start, end = len(prefix), len(prefix) + len(quote)
    starts = (
        not prefix.strip()
        or "\n" in prefix[len(prefix.rstrip()) :]
        or start in {s.start for s in spans}
        or (_ENDS_SENTENCE.search(prefix) and _STARTS_SENTENCE.match(quote))
    )
    ends = (
        not suffix.strip()
        or "\n" in suffix[: len(suffix) - len(suffix.lstrip())]
        or end in {s.end for s in spans}
        or (_ENDS_SENTENCE.search(quote) and suffix[:1].isspace())
    )
    if not (starts and ends):
        return 0
    return max(1, len(split_sentences(quote)))


_ENDS_SENTENCE = re.compile(r"[.!?…][\"”’')\]]*\s*$")
_STARTS_SENTENCE = re.compile(r"[\"“‘'(\[]*[A-Z0-9]")


def _snap_to_sentences(
    text: str, start: int, end: int, count: int, window: _Words, blocks: list[_Block]
) -> tuple[int, int] | None:
    """The run of ``count`` sentences of ``text`` holding the found words; None if there is none.

    A tag on a whole sentence stays on the whole sentence when a clause is
    inserted after its first word (the found words are then only its tail).
    """
    margin = _SENTENCE_MARGIN
    while True:
        lo, hi = max(0, start - margin), min(len(text), end + margin)
        sentences = [
            s for s in split_sentences(text[lo:hi]) if s.end + lo > start and s.start + lo < end
        ]
        cut = sentences and (
            (sentences[0].start == 0 and lo > 0) or (sentences[-1].end + lo == hi < len(text))
        )
        if not cut:
            break
        if margin > _SENTENCE_MARGIN:
            return start, end  # a sentence of thousands of characters: its edges stay unknown
        margin *= 4  # a sentence longer than the margin: look further
    if not sentences:
        return None
    found = [window.starts[b.i + k] for b in blocks for k in range(b.size)]
    held = [sum(1 for at in found if s.start + lo <= at < s.end + lo) for s in sentences]
    # Words that spilled into a neighbour (the quote's last words now opening
    # the next sentence) do not make the neighbour part of the tag.
    while len(sentences) > count:
        drop = 0 if held[0] <= held[-1] else -1
        sentences.pop(drop)
        held.pop(drop)
    return sentences[0].start + lo, sentences[-1].end + lo


def _stands_as_sentences(tag: Tag, text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is whole sentences, or sits where the quote sat (its old surroundings)."""
    if _context_agrees(tag, text, start, end):
        return True
    lo, hi = max(0, start - _SENTENCE_MARGIN), min(len(text), end + _SENTENCE_MARGIN)
    spans = split_sentences(text[lo:hi])
    return start - lo in {s.start for s in spans} and end - lo in {s.end for s in spans}


def _context_agrees(tag: Tag, text: str, start: int, end: int) -> bool:
    """The words just before or just after the placed text are those that were around the quote."""
    return _prefix_agrees(tag, text, start) or _suffix_agrees(tag, text, end)


def _prefix_agrees(tag: Tag, text: str, start: int, strict: bool = False) -> bool:
    before = _norm_words(text[max(0, start - 3 * CONTEXT_CHARS) : start])
    if not tag.prefix.strip():
        return not before and not text[:start].strip()  # both at the start of the article
    prefix = _norm_words(tag.prefix)
    if len(tag.prefix) >= CONTEXT_CHARS and tag.prefix[0].isalnum():
        prefix = prefix[1:]  # the context was cut at a fixed length, perhaps inside a word
    return _words_agree(prefix[-3:], before[-3:], strict)


def _suffix_agrees(tag: Tag, text: str, end: int, strict: bool = False) -> bool:
    after = _norm_words(text[end : end + 3 * CONTEXT_CHARS])
    if not tag.suffix.strip():
        return not after and not text[end:].strip()  # both at the end of the article
    suffix = _norm_words(tag.suffix)
    if len(tag.suffix) >= CONTEXT_CHARS and tag.suffix[-1].isalnum():
        suffix = suffix[:-1]
    return _words_agree(suffix[:3], after[:3], strict)


def _words_agree(context: list[str], found: list[str], strict: bool) -> bool:
    # Strictly: the same words. Else all but one of up to three words, in
    # order: the neighbouring sentence may have been reworded too.
    if len(context) < 2:
        return False
    if strict:
        return context == found
    same = sum(
        block.size
        for block in SequenceMatcher(None, context, found, autojunk=False).get_matching_blocks()
    )
    return same >= max(2, len(context) - 1)


# ---------------------------------------------------------------- a whole file


@dataclass(frozen=True)
class PlacedFile:
    """A file's tags placed in the corpus: by id, with each article's recorded file and hash."""

    tags: dict[str, Tag]
    records: dict[str, tuple[str, str]]  # article id -> (file, sha256) as in the file
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
                problems.append(
                    AnnotationProblem(
                        path,
                        f"file {entry.file!r} is not in the corpus; its {len(entry.tags)} tag(s) are kept "
                        "but not shown",
                        item=f"article {entry.id}",
                        kind="missing-article",
                    )
                )
            for tag in entry.tags:
                tags[tag.id] = replace(tag, status=ORPHANED)
            continue
        same = entry.sha256 == article.sha256
        for tag in entry.tags:
            item = f"article {entry.id}, tag {tag.label} at {tag.start}..{tag.end}"
            if same and tag.end > len(article.text):
                problems.append(
                    AnnotationProblem(
                        path,
                        f"offsets out of range: the article has {len(article.text)} characters",
                        item=item,
                    )
                )
                continue
            placement = anchor_tag(tag, article.text, same)
            tags[tag.id] = placement.tag
            if placement.how == LOST:
                problems.append(
                    AnnotationProblem(
                        path,
                        f"the article changed and “{shorten_line(tag.quote, 60)}” was not found in it; "
                        "the tag is kept but not shown",
                        item=item,
                        kind="orphaned",
                    )
                )
            elif placement.how == FUZZY:
                kept = (
                    " (the original is kept until you confirm the change)"
                    if placement.tag.original_quote
                    else ""
                )
                problems.append(
                    AnnotationProblem(
                        path,
                        f"the article changed; the tag now covers “{shorten_line(placement.tag.quote, 60)}” "
                        f"(was “{shorten_line(tag.quote, 60)}”){kept}",
                        item=item,
                        kind="fuzzy",
                    )
                )
    return PlacedFile(tags, records, tuple(problems))
