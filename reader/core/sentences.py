"""Split an article's text into sentences with exact character spans.

A line break always ends a unit (headlines, bylines, list items and headings
carry no final punctuation but are units of their own). Inside a line, pysbd
decides where sentences end: it knows abbreviations and quotations, which a
hand-written regular expression would get wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pysbd


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
    character of ``text``.
    """
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        for start, end in _line_spans(line):
            spans.append((line_start + start, line_start + end))
        line_start += len(line) + 1
    return [
        Sentence(index, start, end, text[start:end])
        for index, (start, end) in enumerate(spans)
    ]


def _line_spans(line: str) -> list[tuple[int, int]]:
    if not line.strip():
        return []
    boundaries = _sentence_starts(line)
    spans = []
    for start, end in zip(boundaries, boundaries[1:] + [len(line)]):
        piece = line[start:end]
        stripped_start = start + (len(piece) - len(piece.lstrip()))
        stripped_end = end - (len(piece) - len(piece.rstrip()))
        if stripped_end > stripped_start:
            spans.append((stripped_start, stripped_end))
    return spans


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
