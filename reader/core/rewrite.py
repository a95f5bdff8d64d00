"""Rewrite an article the way another outlet would, and know the truth.

Ground truth for the aligner: from a source text A, make the text B of an
imagined second outlet with operations whose effect is known, and record
which passage of A became which passage of B as character ranges
(``evaluation.Case``):

- verbatim copy of sentence runs (wire copy);
- light rewording (synonyms from a small table, "said" -> "stated", a
  dropped adjective) and heavier paraphrase (every synonym and adjective
  change at once, and the two halves of the sentence swapped around a comma);
- one sentence split in two, two adjacent sentences merged into one;
- a paragraph moved elsewhere;
- sentences deleted (unmatched in A), unrelated sentences inserted
  (unmatched in B);
- site furniture ("Follow us:", "Read More" with unrelated headlines,
  "Leave a Reply") that must match nothing.

Cases are maximal: source sentences that follow one another in B form one
case (the range of the run in A, the range of its rewrite in B), because the
aligner joins consecutive linked sentences into one passage. A move, a
deletion, an insertion or furniture ends a run.

A sentence that occurs twice in A (a standfirst repeating the lede) is
truly matched by the rewrite of either copy: each rewrite of one copy is
also a case with the other copy.

Everything is deterministic given the seed (``random.Random(seed)``).
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from reader.core.evaluation import Case
from reader.core.sentences import split_sentences


@dataclass(frozen=True)
class Rewrite:
    """Source text, its rewrite, and the true cases between them."""

    a_text: str
    b_text: str
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class _Source:
    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Piece:
    """A unit of B: the source sentences it renders (None for unmatched text)."""

    text: str
    first: int | None = None
    last: int | None = None
    own_line: bool = False  # a list item or furniture line, not running text


# Operation rates per source sentence; the rest is copied verbatim.
_DELETE, _MERGE, _SPLIT, _REWORD, _PARAPHRASE, _INSERT = 0.07, 0.08, 0.08, 0.2, 0.1, 0.05

SYNONYMS = {
    "said": "stated",
    "says": "states",
    "told": "informed",
    "visit": "trip",
    "trip": "visit",
    "leader": "head",
    "leaders": "heads",
    "meeting": "talks",
    "agreement": "deal",
    "warned": "cautioned",
    "began": "started",
    "help": "assist",
    "big": "large",
    "large": "big",
    "important": "significant",
    "significant": "important",
    "expected": "anticipated",
    "announced": "declared",
    "country": "nation",
    "countries": "nations",
    "nations": "countries",
    "nation": "country",
    "support": "backing",
    "relationship": "relations",
    "concerns": "worries",
    "concern": "worry",
    "shortage": "lack",
    "seeking": "looking for",
    "arrived": "landed",
    "described": "called",
    "include": "feature",
    "includes": "features",
    "suggest": "indicate",
    "showed": "revealed",
    "however": "yet",
    "residents": "locals",
}
ADJECTIVES = (
    "new",
    "recent",
    "full-scale",
    "notably",
    "several",
    "deep",
    "growing",
    "ongoing",
    "official",
    "key",
    "major",
    "senior",
    "strict",
    "severe",
    "formal",
    "historic",
    "high-stakes",
    "crucial",
    "dramatically",
    "additional",
    "animated",
    "continued",
)
UNRELATED_SENTENCES = (
    "Heavy rain is expected across the southern coast through the weekend, forecasters warned.",
    "The city council approved a budget for new bicycle lanes on Tuesday evening.",
    "Shares in the chipmaker rose sharply after quarterly earnings beat estimates.",
    "The home side secured a late equaliser in front of a sold-out stadium.",
    "A new exhibition of early photography opens at the national gallery next month.",
    "Commuters faced delays after a signal failure near the central station.",
    "The bakery chain plans to open forty stores before the end of the year.",
    "Scientists recorded the warmest ocean temperatures since measurements began.",
    "The festival organisers said ticket sales had doubled compared with last year.",
    "Farmers reported a strong harvest of apples despite a dry spring.",
    "The airline announced a new direct route to Lisbon starting in April.",
    "Local schools will close early on Friday for teacher training.",
)
HEADLINES = (
    "Stocks close higher as tech rally extends into a third day",
    "Ten recipes for a quick weeknight dinner",
    "Storm warning issued for coastal towns ahead of the weekend",
    "Champions league draw pairs old rivals in the quarter-finals",
    "How to cut your energy bill this winter",
    "Film star announces surprise engagement at festival premiere",
    "Central bank holds rates steady amid cooling inflation",
    "New smartphone leaks show a thinner design and bigger battery",
    "Marathon runner breaks course record in blistering heat",
    "Housing prices dip for the first time in two years",
)
FURNITURE_LINES = ("Follow us:", "Share this article", "Sign up for our newsletter")


def rewrite(text: str, seed: int) -> Rewrite:
    """Rewrite ``text`` (A, unchanged) into another outlet's B with known truth.

    Each non-empty line of ``text`` is a paragraph; its sentences come from
    ``split_sentences``.
    """
    rng = random.Random(seed)
    paragraphs: dict[int, list[_Source]] = {}
    line_of = _line_numbers(text)
    for sentence in split_sentences(text):
        source = _Source(sentence.index, sentence.text, sentence.start, sentence.end)
        paragraphs.setdefault(line_of(sentence.start), []).append(source)
    return _rewrite(text, list(paragraphs.values()), rng, _unrelated_news)


def synthetic_pair(n_sentences: int, seed: int) -> Rewrite:
    """A synthetic article of ``n_sentences`` sentences and its rewrite.

    Words follow a Zipf-like law over a large invented vocabulary, so, like
    real text, a longer article uses more distinct words. B is A rewritten
    with the same operations as ``rewrite`` (and about as many sentences).
    """
    rng = random.Random(seed)
    paragraphs: list[list[_Source]] = []
    parts: list[str] = []
    position = 0
    index = 0
    while index < n_sentences:
        size = min(rng.randint(2, 6), n_sentences - index)
        paragraph = []
        for k in range(size):
            sentence = _synthetic_sentence(rng)
            if k:
                parts.append(" ")
                position += 1
            paragraph.append(_Source(index, sentence, position, position + len(sentence)))
            parts.append(sentence)
            position += len(sentence)
            index += 1
        paragraphs.append(paragraph)
        if index < n_sentences:
            parts.append("\n\n")
            position += 2
    a_text = "".join(parts) + "\n"
    return _rewrite(a_text, paragraphs, rng, _synthetic_sentence)


# --- the rewriting itself -------------------------------------------------


def _rewrite(
    a_text: str,
    paragraphs: list[list[_Source]],
    rng: random.Random,
    unrelated: Callable[[random.Random], str],
) -> Rewrite:
    out: list[list[_Piece]] = []
    for paragraph in paragraphs:
        pieces: list[_Piece] = []
        k = 0
        while k < len(paragraph):
            source = paragraph[k]
            roll = rng.random()
            if roll < _DELETE:
                k += 1
                continue
            roll -= _DELETE
            if roll < _MERGE and k + 1 < len(paragraph) and _mergeable(source.text):
                following = paragraph[k + 1]
                pieces.append(
                    _Piece(_merge(source.text, following.text), source.index, following.index)
                )
                k += 2
            else:
                roll -= _MERGE
                halves = _split(source.text) if roll < _SPLIT else None
                if halves:
                    pieces.extend(_Piece(half, source.index, source.index) for half in halves)
                elif roll < _SPLIT + _REWORD:
                    pieces.append(_Piece(_reword(source.text, rng), source.index, source.index))
                elif roll < _SPLIT + _REWORD + _PARAPHRASE:
                    pieces.append(_Piece(_paraphrase(source.text, rng), source.index, source.index))
                else:
                    pieces.append(_Piece(source.text, source.index, source.index))
                k += 1
            if rng.random() < _INSERT:
                pieces.append(_Piece(unrelated(rng)))
        if pieces:
            out.append(pieces)

    _move_paragraphs(out, rng)
    _add_furniture(out, rng)
    b_text, b_spans = _assemble(out)
    sources = {s.index: s for paragraph in paragraphs for s in paragraph}
    return Rewrite(a_text, b_text, tuple(_cases(out, b_spans, sources)))


def _move_paragraphs(out: list[list[_Piece]], rng: random.Random) -> None:
    """Move about one paragraph in twenty (at least one) to another place."""
    if len(out) < 3:
        return
    for _ in range(max(1, len(out) // 20)):
        origin = rng.randrange(len(out))
        paragraph = out.pop(origin)
        target = rng.randrange(len(out) + 1)
        while target == origin:  # a move must move
            target = rng.randrange(len(out) + 1)
        out.insert(target, paragraph)


def _add_furniture(out: list[list[_Piece]], rng: random.Random) -> None:
    out.insert(min(1, len(out)), [_Piece(rng.choice(FURNITURE_LINES))])
    headlines = [_Piece("- " + h, own_line=True) for h in rng.sample(HEADLINES, 5)]
    out.insert(rng.randint(1, len(out)), [_Piece("Read More", own_line=True), *headlines])
    out.append([_Piece("Leave a Reply")])


def _assemble(out: list[list[_Piece]]) -> tuple[str, dict[int, tuple[int, int]]]:
    """B's text and each piece's span, keyed by ``id(piece)``."""
    parts: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    position = 0
    for p, paragraph in enumerate(out):
        if p:
            parts.append("\n\n")
            position += 2
        for k, piece in enumerate(paragraph):
            if k:
                parts.append("\n" if piece.own_line or paragraph[k - 1].own_line else " ")
                position += 1
            spans[id(piece)] = (position, position + len(piece.text))
            parts.append(piece.text)
            position += len(piece.text)
    return "".join(parts) + "\n", spans


def _cases(
    out: list[list[_Piece]], b_spans: dict[int, tuple[int, int]], sources: dict[int, _Source]
) -> list[Case]:
    cases: list[Case] = []
    run: list[_Piece] = []

    def close_run() -> None:
        if run:
            first, last = run[0].first, run[-1].last
            assert first is not None and last is not None  # only source pieces make a run
            a = (sources[first].start, sources[last].end)
            b = (b_spans[id(run[0])][0], b_spans[id(run[-1])][1])
            cases.append(Case(a, b))
            run.clear()

    for piece in itertools.chain.from_iterable(out):
        if piece.first is None:
            close_run()
            continue
        # the next source sentence continues the run; so does the second half of a split
        last = run[-1].last if run else None
        if last is not None and piece.first not in (last + 1, last):
            close_run()
        run.append(piece)
    close_run()
    return cases + _twin_cases(out, b_spans, sources)


def _twin_cases(
    out: list[list[_Piece]], b_spans: dict[int, tuple[int, int]], sources: dict[int, _Source]
) -> list[Case]:
    """Cases pairing each rewrite of a repeated sentence with its other copies in A."""
    copies: dict[str, list[_Source]] = {}
    for source in sources.values():
        copies.setdefault(source.text, []).append(source)
    cases = []
    pieces = list(itertools.chain.from_iterable(out))
    k = 0
    while k < len(pieces):
        piece = pieces[k]
        end = k + 1
        # both halves of a split sentence render it together
        while end < len(pieces) and pieces[end].first == piece.first == pieces[end].last:
            end += 1
        if piece.first is not None and piece.first == piece.last:
            for twin in copies[sources[piece.first].text]:
                if twin.index != piece.first:
                    b = (b_spans[id(piece)][0], b_spans[id(pieces[end - 1])][1])
                    cases.append(Case((twin.start, twin.end), b))
        k = end
    return cases


# --- sentence operations --------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_LOWER_STARTS = {
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "It",
    "He",
    "She",
    "They",
    "We",
    "In",
    "On",
    "At",
}


def _reword(text: str, rng: random.Random, most: int = 3) -> str:
    """Up to ``most`` light changes: synonyms, a dropped adjective, or a dropped word."""
    edits: list[tuple[int, int, str]] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        lower = word.lower()
        if lower in SYNONYMS:
            replacement = SYNONYMS[lower]
            if word[0].isupper():
                replacement = replacement[0].upper() + replacement[1:]
            edits.append((match.start(), match.end(), replacement))
        elif lower in ADJECTIVES and match.start() > 0:
            # take the space before it too, so no double space is left
            edits.append((match.start() - 1, match.end(), ""))
    if not edits:
        words = [m for m in _TOKEN.finditer(text) if m.start() > 0 and len(m.group()) > 3]
        if not words:
            return text
        drop = rng.choice(words)
        edits = [(drop.start() - 1, drop.end(), "")]
    chosen = sorted(rng.sample(edits, min(len(edits), rng.randint(1, most))), reverse=True)
    for start, end, replacement in chosen:
        text = text[:start] + replacement + text[end:]
    return text


def _paraphrase(text: str, rng: random.Random) -> str:
    """Every light change at once, then the halves swapped around a comma."""
    text = _reword(text, rng, most=len(text))
    halves = _split(text)
    if not halves:
        return text
    first, second = halves
    head, _, rest = first.partition(" ")
    if head in _LOWER_STARTS:
        first = head.lower() + " " + rest
    return second[:-1].rstrip(",;") + ", " + first if second.endswith(".") else text


def _split(text: str) -> tuple[str, str] | None:
    """Split at the ", and"/", but"/"; "/", " nearest the middle, or None."""
    middle = len(text) / 2
    best = None
    for match in re.finditer(r"(,\s+(?:and|but)\s+|;\s+|,\s+)", text):
        left, right = text[: match.start()], text[match.end() :]
        if len(left.split()) < 4 or len(right.split()) < 4:
            continue
        if not right[0].isalpha():
            continue
        if best is None or abs(match.start() - middle) < abs(best[0] - middle):
            best = (match.start(), left, right)
    if best is None:
        return None
    _, left, right = best
    return left.rstrip(",;") + ".", right[0].upper() + right[1:]


def _mergeable(text: str) -> bool:
    return text.endswith(".") and not text.endswith("..")


def _merge(first: str, second: str) -> str:
    head, _, rest = second.partition(" ")
    if head in _LOWER_STARTS or head.endswith(","):
        second = head.lower() + " " + rest
    return first[:-1] + ", and " + second


# --- unrelated and synthetic text ------------------------------------------


def _unrelated_news(rng: random.Random) -> str:
    return rng.choice(UNRELATED_SENTENCES)


_VOCABULARY = 200_000
_ZIPF_EXPONENT = 1.07
_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"
_SYLLABLES = [c + v for c in _CONSONANTS for v in _VOWELS]


@lru_cache(maxsize=1)
def _zipf_cumulative() -> list[float]:
    return list(
        itertools.accumulate(1 / (rank + 1) ** _ZIPF_EXPONENT for rank in range(_VOCABULARY))
    )


def _word(rank: int) -> str:
    """The invented word of a frequency rank: frequent words are short."""
    syllables = []
    rank += 1
    while rank:
        rank, digit = divmod(rank - 1, len(_SYLLABLES))
        syllables.append(_SYLLABLES[digit])
    return "".join(syllables)


def _synthetic_sentence(rng: random.Random) -> str:
    cumulative = _zipf_cumulative()
    total = cumulative[-1]
    ranks = [
        bisect.bisect_left(cumulative, rng.random() * total) for _ in range(rng.randint(8, 26))
    ]
    words = [_word(rank) for rank in ranks]
    # A long final word keeps the segmenter from taking the full stop for an abbreviation.
    while len(words[-1]) < 6:
        words[-1] = _word(bisect.bisect_left(cumulative, rng.random() * total))
    if len(words) > 12 and rng.random() < 0.4:
        cut = len(words) // 2
        words[cut - 1] += ","
        words.insert(cut, "and")
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def _line_numbers(text: str) -> Callable[[int], int]:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return lambda offset: bisect.bisect_right(starts, offset) - 1
