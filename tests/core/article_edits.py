"""Edit an article the way its publisher would, and know where each tagged sentence went.

Test data for re-anchoring: tags are made on whole sentences of a text (as the
reader makes them), then the text is edited sentence by sentence — some
sentences deleted, some grown by a clause inserted after their first word,
some reworded by one word — and each tag carries the truth: the span its
sentence has in the new text, or None when the sentence is gone and the tag
must be orphaned.

Everything is deterministic given the seed (``random.Random(seed)``).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from reader.core.annotation_model import Tag, context_of
from reader.core.articles import load_article
from reader.core.sentences import split_sentences

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

KEPT, DELETED, GROWN, REWORDED = "kept", "deleted", "grown", "reworded"

# Clauses of 62 characters (with their commas and leading space), as an
# editor adds attribution or detail after a sentence's first word.
CLAUSES = (
    ", according to two officials who spoke to reporters on Monday,",
    ", as several regional analysts told reporters late on Tuesday,",
    ", in a move that surprised many diplomats in the region today,",
)
# One word swapped for another: a light rewording.
REPLACEMENTS = ("reportedly", "notably", "apparently", "formally", "officially")
_WORD = re.compile(r"[A-Za-z]{4,}")


@dataclass(frozen=True)
class EditedTag:
    """A tag made on the old text, what happened to its sentence, and where it is now.

    ``expected`` holds the acceptable spans in the new text; empty means the
    sentence is gone and the tag must be orphaned.
    """

    tag: Tag
    edit: str
    expected: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class EditedArticle:
    old: str
    new: str
    tags: tuple[EditedTag, ...]


def seed_text(name: str) -> str:
    """The text of the seed article whose file name starts with ``name`` ("001")."""
    return load_article(next(SEEDS.glob(f"{name}_*.txt"))).text


def sentence_tag(text: str, start: int, end: int, tag_id: str) -> Tag:
    prefix, suffix = context_of(text, start, end)
    return Tag("a", "claim", start, end, text[start:end], prefix, suffix, id=tag_id)


def grow(sentence: str, clause: str = CLAUSES[0]) -> str:
    """The sentence with ``clause`` inserted after its first word."""
    first = len(sentence.split(None, 1)[0])
    return sentence[:first] + clause + sentence[first:]


def reword(sentence: str, rng: random.Random) -> str | None:
    """The sentence with one word (not the first) replaced; None if it has no such word."""
    words = [m for m in _WORD.finditer(sentence) if m.start() > 0]
    if not words:
        return None
    word = rng.choice(words)
    replacement = rng.choice([r for r in REPLACEMENTS if r != word.group().lower()])
    return sentence[: word.start()] + replacement + sentence[word.end() :]


def edit_article(
    text: str,
    seed: int,
    deleted: float = 0.2,
    grown: float = 0.2,
    reworded: float = 0.2,
    edits: dict[int, str] | None = None,
) -> EditedArticle:
    """Tag every sentence of ``text``, then edit the text.

    Each sentence is deleted, grown or reworded with the given chances (or as
    ``edits`` says, by sentence index), else kept. The whitespace between
    sentences is kept; a deleted sentence takes the whitespace before it, or
    after it when it opened a paragraph.
    """
    rng = random.Random(seed)
    sentences = split_sentences(text)
    parts: list[str] = []
    position = 0
    cursor = 0
    placed: list[tuple[Tag, str, tuple[int, int] | None]] = []
    drop_gap = False
    for k, sentence in enumerate(sentences):
        gap = "" if drop_gap else text[cursor : sentence.start]
        drop_gap = False
        cursor = sentence.end
        tag = sentence_tag(text, sentence.start, sentence.end, f"s{sentence.index}")
        if edits is not None:
            edit = edits.get(sentence.index, KEPT)
        else:
            roll = rng.random()
            edit = (
                DELETED
                if roll < deleted
                else GROWN
                if roll < deleted + grown
                else REWORDED
                if roll < deleted + grown + reworded
                else KEPT
            )
        new = sentence.text
        if edit == DELETED:
            placed.append((tag, edit, None))
            after = text[sentence.end : sentences[k + 1].start] if k + 1 < len(sentences) else "\n"
            if "\n" in gap and "\n" not in after:
                # The first sentence of a paragraph: the paragraph now starts
                # with the next one, where it did.
                parts.append(gap)
                position += len(gap)
                drop_gap = True
            continue
        if edit == GROWN:
            new = grow(sentence.text, rng.choice(CLAUSES))
        elif edit == REWORDED:
            new = reword(sentence.text, rng) or sentence.text
            if new == sentence.text:
                edit = KEPT
        parts.append(gap)
        position += len(gap)
        placed.append((tag, edit, (position, position + len(new))))
        parts.append(new)
        position += len(new)
    parts.append(text[cursor:])
    new_text = "".join(parts)
    # A sentence that occurs more than once (a standfirst repeating the lede,
    # a headline listed twice) may rightly be found at any copy left in the
    # new text, edited or not.
    copies: dict[str, list[tuple[int, int]]] = {}
    for tag, _, span in placed:
        if span:
            copies.setdefault(tag.quote, []).append(span)
    tags = []
    for tag, edit, _ in placed:
        expected = set(copies.get(tag.quote, []))
        if edit in (DELETED, KEPT):
            expected.update(_occurrences(new_text, tag.quote))
        tags.append(EditedTag(tag, edit, tuple(sorted(expected))))
    return EditedArticle(text, new_text, tuple(tags))


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    found = []
    start = text.find(quote)
    while start >= 0:
        found.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return found
