"""The names and numbers of a text: what independent reports of one event share.

Two outlets that each reported an event themselves share no wording, so the
shingle index of ``corpus_index`` never pairs them; they share its details:
the people, places and organisations named, the numbers and years. A detail
here is a name (a run of capitalised words, "Oscar Holler", "Bramler
Holdings"; a single capitalised word only where it does not open the
sentence, as any word may) or a number (digits, or a small number written as
a word: "12" and "twelve" are one detail). Day and month names are left out:
every report has a date, and two sharing "Tuesday" says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from reader.core.words import DAY_NAMES, MONTH_NAMES, NUMBER_WORDS, STOPWORDS, stem

# What may be a detail, from a word's start: a number ("1,200", "2.5"), a number word, or a
# word that does not start with a lower-case letter (checked again with ``str.isupper``:
# other scripts). Most words of a text are lower-case, and the pattern skips them itself.
_NUMBER_OF_WORD = {word: str(value) for value, word in enumerate(NUMBER_WORDS)}
_CANDIDATE = re.compile(
    r"\b(?:\d+(?:[.,]\d+)*|(?:" + "|".join(NUMBER_WORDS) + r")\b|(?![a-zß-ÿ])[^\W\d_][\w'’-]*)"
)
_FIRST_WORD = re.compile(r"\w")
_CALENDAR = frozenset(name.lower() for name in (*DAY_NAMES, *MONTH_NAMES))


def details(sentences: Iterable[str]) -> set[str]:
    """The details of a text's ``sentences``: names lower-cased and lightly stemmed
    ("Thornia's" is "thornia"), numbers as digits with a leading "#"."""
    found: set[str] = set()
    for sentence in sentences:
        first = _FIRST_WORD.search(sentence)
        opening = first.start() if first else -1
        run: list[str] = []  # the words of the name being read
        run_opens = False  # whether the run began with the sentence's first word
        run_end = -1
        for match in _CANDIDATE.finditer(sentence):
            number, name_word = _token_kind(match.group())
            # A name goes on only over a space: "Holler, Lorovia" and "Holler of Lorovia"
            # are two names.
            if run and sentence[run_end : match.start()] != " ":
                _add_name(found, run, run_opens)
                run = []
            if name_word is not None:
                if not run:
                    run_opens = match.start() == opening
                run.append(name_word)
                run_end = match.end()
                continue
            if number is not None:
                found.add(number)
            if run:
                _add_name(found, run, run_opens)
                run = []
        if run:
            _add_name(found, run, run_opens)
    return found


@lru_cache(maxsize=65536)
def _token_kind(token: str) -> tuple[str | None, str | None]:
    """(the number ``token`` is, or None; the word of a name it is, or None)."""
    lower = token.lower()
    if token[0].isdigit():
        return "#" + token.replace(",", ""), None
    if lower in _NUMBER_OF_WORD:
        return "#" + _NUMBER_OF_WORD[lower], None
    if token[0].isupper() and lower not in STOPWORDS and lower not in _CALENDAR:
        return None, stem(lower)
    return None, None


def _add_name(found: set[str], run: list[str], opens_sentence: bool) -> None:
    # One capitalised word opening a sentence is any word ("Officials said"); two or
    # more in a row are a name wherever they stand ("Oscar Holler touched down").
    if len(run) > 1 or not opens_sentence:
        found.add(" ".join(run))
