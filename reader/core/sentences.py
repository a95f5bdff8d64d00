"""Split an article's text into sentences with exact character spans.

A line break always ends a unit (headlines, bylines, list items and headings
carry no final punctuation but are units of their own). Inside a line, pysbd
decides where sentences end: it knows abbreviations and quotations, which a
hand-written regular expression would get wrong.

pysbd is slow (about 0.2 ms a call and 5-8 microseconds a character) and its
cost grows with the square of the length of what it is given, so it only
sees what needs its judgement, in bounded pieces:

- a line is first cut where a sentence certainly ends: a full stop, question
  or exclamation mark after a plain word of two or more letters that is not
  an abbreviation pysbd knows, outside any quotation, brackets or dashes, and
  followed by white space and a capital letter;
- a piece with no other sentence punctuation inside is a sentence as it is;
  only the rest goes to pysbd;
- nothing longer than ``MAX_PIECE`` characters is ever one piece: a longer
  run is cut at its last sentence-like end (punctuation, space, capital),
  else at its last white space, else at the limit. So no sentence is longer
  than ``MAX_PIECE`` characters, and splitting takes time in proportion to
  the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import pysbd
from pysbd.lang.english import English

# The most characters pysbd is given at once, and so the longest sentence.
# pysbd's cost per character is lowest up to about this length (measured:
# 5-8 microseconds a character up to 2,000, 11-13 at 4,000-8,000).
MAX_PIECE = 2_000


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: ``text == article.text[start:end]``."""

    index: int
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of ``text`` in order.

    Promise: the spans are ordered, disjoint, within bounds, carry no
    surrounding whitespace, and together cover every non-whitespace
    character of ``text``; none is longer than ``MAX_PIECE`` characters.
    Time grows in proportion to the length of ``text``.
    """
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        for start, end in _line_spans(line):
            spans.append((line_start + start, line_start + end))
        line_start += len(line) + 1
    return [
        Sentence(index, start, end, text[start:end]) for index, (start, end) in enumerate(spans)
    ]


def _line_spans(line: str) -> list[tuple[int, int]]:
    if not line.strip():
        return []
    spans = []
    for piece_start, piece_end in _pieces(line):
        piece = line[piece_start:piece_end]
        if _INNER_PUNCTUATION.search(piece.rstrip()[:-1]) is None:
            starts = [0]  # nothing inside that pysbd could end a sentence at
        else:
            starts = _sentence_starts(piece)
            # a lone closing mark (pysbd given the end of a quotation cut at
            # MAX_PIECE without its start) stays with the sentence it closes
            ends = [*starts[1:], len(piece)]
            starts = [0] + [
                start
                for start, end in zip(starts[1:], ends[1:], strict=True)
                if _WORDLIKE.search(piece, start, end)
            ]
        for start, end in zip(starts, [*starts[1:], len(piece)], strict=True):
            sentence = piece[start:end]
            stripped_start = start + (len(sentence) - len(sentence.lstrip()))
            stripped_end = end - (len(sentence) - len(sentence.rstrip()))
            if stripped_end > stripped_start:
                spans.append((piece_start + stripped_start, piece_start + stripped_end))
    return spans


_WORDLIKE = re.compile(r"\w")

# Where pysbd may end a sentence inside a piece: any sentence mark, a closing
# parenthesis (it reads "1) ... 2) ..." as a list), a dash closing a quotation.
_INNER_PUNCTUATION = re.compile(r"[.!?。．！？)]|-[\"'“”]\s[A-Z]")

# A plain word of two or more letters (apostrophes and hyphens inside) ending
# in a lower-case letter, or a number of three or more digits or a percentage;
# then one sentence mark, then white space and a capital. A sentence ends
# there unless the word is an abbreviation or the mark is inside a quotation.
# A closing double quote may follow the mark, and then exactly one white space
# (pysbd keeps '"go home."  Then' with two spaces as one sentence).
_CERTAIN_END = re.compile(
    r"(?<!\S)[\"“‘(\[]?"
    r"(?P<word>[A-Za-z]+(?:['’-][A-Za-z]+)*[a-z]|\$?\d[\d,]*\d\d|\d+(?:\.\d+)?%)"
    r"(?P<mark>[.!?])(?:(?P<closer>[\"”])\s|\s+)(?=[A-Z])"
)
_ABBREVIATIONS = frozenset(English.Abbreviation.ABBREVIATIONS)
_ROMAN_NUMERALS = frozenset(
    [
        "ii",
        "iii",
        "iv",
        "vi",
        "vii",
        "viii",
        "ix",
        "xi",
        "xii",
        "xiii",
        "xiv",
        "xv",
        "xvi",
        "xvii",
        "xviii",
        "xix",
        "xx",
    ]
)
_EXCLAMATION_WORDS = frozenset({"yahoo", "yum"})

# What opens or closes a quotation, brackets or a dash pair, inside which
# pysbd keeps sentence marks (He said "I will go. You stay."). A single quote
# opens only after white space and closes only where no letter follows, so
# the apostrophes of "Russia's" and "the leaders' talks" are neither.
_QUOTING = re.compile(
    r"(?P<open>(?<!\S)['‘]|[“«(\[])|(?P<close>['’](?![A-Za-z])|[”»)\]])|(?P<toggle>\"|--)"
)
_CLOSER = {"'": "'", "‘": "’", "“": "”", "«": "»", "(": ")", "[": "]"}

# Where an over-long run is best cut: after sentence punctuation and white
# space before a capital (unless the word before is an abbreviation), else at
# white space.
# (Matches start only at the first mark of a run, and runs are taken whole:
# a long run of marks must not be scanned again from each of its characters.)
_SENTENCE_LIKE_END = re.compile(
    r"(?<![.!?…])[.!?…]++[\"'”’»)\]]*+\s+(?=[\"'“‘«(\[]?[A-Z])|(?P<cjk>[。．！？]+)"
)
_SPACE = re.compile(r"\s+")


def _pieces(line: str) -> Iterator[tuple[int, int]]:
    """Cut ``line`` at certain sentence ends, then into runs of at most MAX_PIECE."""
    start = 0
    for end in _certain_ends(line):
        yield from _bounded(line, start, end)
        start = end
    yield from _bounded(line, start, len(line))


def _certain_ends(line: str) -> Iterator[int]:
    """Offsets (after the white space) where a sentence of ``line`` surely ends."""
    quoting = list(_QUOTING.finditer(line))
    q = 0
    awaited: list[str] = []  # closing marks of the open quotations, innermost last
    toggled: set[str] = set()  # straight double quotes and dash pairs still open

    def read_quoting_before(offset: int) -> bool:
        """Follow the quoting marks before ``offset``; True if one is still open."""
        nonlocal q
        while q < len(quoting) and quoting[q].start() < offset:
            mark, kind = quoting[q].group(), quoting[q].lastgroup
            q += 1
            if kind == "open":
                # pysbd pairs an opening mark with the next closing one: a second
                # "“" before the first closes opens nothing ("““Hi.” He.” He")
                if _CLOSER[mark] not in awaited:
                    awaited.append(_CLOSER[mark])
            elif kind == "toggle":
                toggled.symmetric_difference_update({mark})
            elif mark in awaited:
                del awaited[len(awaited) - 1 - awaited[::-1].index(mark) :]
        return bool(awaited or toggled)

    for match in _CERTAIN_END.finditer(line):
        inside = read_quoting_before(match.start("mark"))
        if match.group("closer"):
            # the quotation must close here, and nothing stay open
            if not inside or read_quoting_before(match.end("closer")):
                continue
        elif inside:
            continue
        word, mark = match.group("word").lower(), match.group("mark")
        if word in _ABBREVIATIONS or word in _ROMAN_NUMERALS:
            continue
        if mark == "!" and word in _EXCLAMATION_WORDS:
            continue
        yield match.end()


def _bounded(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``line[start:end]`` in consecutive runs of at most MAX_PIECE characters."""
    while end - start > MAX_PIECE:
        limit = start + MAX_PIECE
        cut = _last_sentence_like_end(line, start, limit) or _last_space(line, start, limit)
        if cut is None:
            cut = limit
        yield start, cut
        start = cut
    if end > start:
        yield start, end


def _last_sentence_like_end(line: str, start: int, limit: int) -> int | None:
    last = None
    for match in _SENTENCE_LIKE_END.finditer(line, start + 1, limit):
        if match.group("cjk"):  # no abbreviations end in a CJK full stop
            last = match.end()
            continue
        # the word before the mark (a bounded look back: a run without spaces
        # must not make this quadratic)
        before = line[max(start, match.start() - 20) : match.start()].split()
        word = before[-1].lower().lstrip("\"'“‘«([").rstrip(".") if before else ""
        if len(word) > 1 and word not in _ABBREVIATIONS:
            last = match.end()
    return last


def _last_space(line: str, start: int, limit: int) -> int | None:
    last = None
    for match in _SPACE.finditer(line, start + 1, limit):
        last = match.end()
    return last


def _sentence_starts(line: str) -> list[int]:
    """Offsets in ``line`` where pysbd starts a sentence.

    pysbd returns sentence strings, not offsets (its own ``char_span`` mode
    searches for each string and misplaces repeated sentences), so each
    sentence is located from a moving cursor. Should pysbd ever return text
    that is not in the line, that boundary is dropped: the piece joins its
    neighbour rather than losing characters.
    """
    try:
        pieces = _segmenter().segment(line)
    except Exception:  # pysbd is rule based; a rule crash must not lose text
        return [0]
    starts = [0]
    cursor = 0
    for piece in pieces:
        stripped = piece.strip()
        if not stripped:
            continue
        found = line.find(stripped, cursor)
        if found < 0:
            continue
        if found > starts[-1]:
            starts.append(found)
        cursor = found + len(stripped)
    return starts
