"""Words of a sentence, as the aligner compares them.

Two views of the same words: the surface form (lower case, one kind of
apostrophe), which difflib compares to find copied wording, and a light stem,
which the similarity measure compares so that "concerns" meets "concern" and
"strengthened" meets "strengthening" in a rewrite.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

_WORD = re.compile(r"\w+(?:['’]\w+)*")

# Month names, January first, capitalised as written.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Day names, Monday first, capitalised as written.
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Numbers as words, zero to twenty: index = value ("a fact told as 5 or as five").
NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
)

# Function words carry no topic: a shared "the" says nothing about two
# passages. Kept short on purpose; rarity weighting does the rest.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "may",
        "me",
        "might",
        "more",
        "most",
        "must",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
    ]
)


class WordSpans(NamedTuple):
    """The words of a stretch of text as three parallel lists: lowercased surfaces, and the
    start and end of each in the article text.

    What comparing wording needs, without an object per word: strings and small ints are
    not tracked by the garbage collector, while a named tuple per word (800,000 of them in
    a 16,000-sentence pair) made its collections grow aligning faster than the text.
    """

    surfaces: list[str]
    starts: list[int]
    ends: list[int]


def word_spans(texts: Iterable[tuple[str, int]]) -> WordSpans:
    """The words of each ``(text, offset)`` in turn, their offsets shifted by ``offset``."""
    spans = WordSpans([], [], [])
    surfaces, starts, ends = spans
    for text, offset in texts:
        for match in _WORD.finditer(text):
            surfaces.append(_forms(match.group())[0])
            start, end = match.span()
            starts.append(offset + start)
            ends.append(offset + end)
    return spans


def content_stems(text: str) -> list[str]:
    """Stems of the words of ``text`` that carry meaning, in order.

    The aligner's vectors need only these; making Word objects for every
    word of a corpus would cost more than the whole alignment.
    """
    stems = []
    for token in _WORD.findall(text):
        _, stem_, is_content = _forms(token)
        if is_content:
            stems.append(stem_)
    return stems


# A phrase: this many consecutive words, of which at least this many are everyday words;
# or any run of _RUN_WORDS words (a list of names and titles copied whole).
_PHRASE_WORDS = 3
_PHRASE_EVERYDAY = 2
_RUN_WORDS = 5


# A link's passages are asked again when the window's second pass aligns the pair anew.
@lru_cache(maxsize=4096)
def everyday_phrases(text: str) -> frozenset[tuple[str, ...]]:
    """The runs of words of ``text`` that, shared, say one outlet copied the other's wording.

    Three words with at least two everyday words (lowercase, not stopwords)
    among them ("engaged in animated discussions"), or five words of any
    kind ("Foreign Minister Sergei Lavrov, and"); lowercased. A name on its
    own ("St. Aldric Hospital", "the Harbour Workers' Union") and stopword
    runs ("in the city") are what any two reports of one event share,
    however each is written.
    """
    found = _WORD.findall(text)
    tokens = [t.lower() for t in found]
    everyday = [t[0].islower() and _forms(t)[2] for t in found]
    phrases = {
        tuple(tokens[k : k + _PHRASE_WORDS])
        for k in range(len(tokens) - _PHRASE_WORDS + 1)
        if sum(everyday[k : k + _PHRASE_WORDS]) >= _PHRASE_EVERYDAY
    }
    phrases.update(tuple(tokens[k : k + _RUN_WORDS]) for k in range(len(tokens) - _RUN_WORDS + 1))
    return frozenset(phrases)


@lru_cache(maxsize=262144)
def _forms(token: str) -> tuple[str, str, bool]:
    surface = token.lower().replace("’", "'")
    return surface, stem(surface), surface not in STOPWORDS


def stem(surface: str) -> str:
    """A deliberately light stem: possessives and the commonest inflections.

    Aggressive stemmers join unrelated words; for deciding whether two
    sentences tell the same thing, a light touch is enough.
    """
    word = surface
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
