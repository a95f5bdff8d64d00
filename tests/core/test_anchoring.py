"""Placing a saved tag in an article whose text has changed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.anchoring import FUZZY, LOST, MOVED, UNCHANGED, anchor_tag
from reader.core.annotation_model import ORPHANED, Tag, context_of

TEXT = (
    "Putin arrived in Pyongyang on Tuesday. "
    "North Korea, facing challenges with space technology and shortages of food, "
    "fuel, and foreign currency, looks to Russia for assistance. "
    "Concurrently, Russia seeks additional weapons for its ongoing conflict in Ukraine. "
    "The Kremlin called it a friendly state visit."
)
QUOTE = "Concurrently, Russia seeks additional weapons for its ongoing conflict in Ukraine."


def tag_on(text: str, quote: str, occurrence: int = 0) -> Tag:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    end = start + len(quote)
    prefix, suffix = context_of(text, start, end)
    return Tag("a", "claim", start, end, quote, prefix, suffix, id="t1")


def test_same_article_keeps_offsets_as_they_are():
    tag = tag_on(TEXT, QUOTE)
    placed = anchor_tag(tag, TEXT, same_article=True)
    assert placed.how == UNCHANGED
    assert placed.tag == tag


def test_insertion_before_the_quote_moves_the_offsets():
    tag = tag_on(TEXT, QUOTE)
    changed = "UPDATE: this story was revised.\n\n" + TEXT
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == MOVED
    assert changed[placed.tag.start:placed.tag.end] == QUOTE
    assert placed.tag.start == tag.start + len("UPDATE: this story was revised.\n\n")


def test_deletion_before_the_quote_moves_the_offsets():
    tag = tag_on(TEXT, QUOTE)
    changed = TEXT.replace("Putin arrived in Pyongyang on Tuesday. ", "")
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == MOVED
    assert changed[placed.tag.start:placed.tag.end] == QUOTE


def test_insertion_inside_the_quote_is_found_fuzzily_and_covers_the_insertion():
    tag = tag_on(TEXT, QUOTE)
    changed = TEXT.replace("additional weapons", "additional weapons and artillery shells")
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == FUZZY
    expected = QUOTE.replace("additional weapons", "additional weapons and artillery shells")
    assert placed.tag.quote == expected
    assert changed[placed.tag.start:placed.tag.end] == expected


def test_deletion_inside_the_quote_is_found_fuzzily():
    tag = tag_on(TEXT, QUOTE)
    changed = TEXT.replace(" for its ongoing conflict in Ukraine", "")
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == FUZZY
    assert placed.tag.quote == "Concurrently, Russia seeks additional weapons."


def test_deleted_first_word_does_not_pull_in_the_previous_sentence():
    tag = tag_on(TEXT, QUOTE)
    changed = TEXT.replace("Concurrently, Russia", "Russia")
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.tag.quote.startswith("Russia seeks")


def test_duplicated_sentence_is_told_apart_by_prefix_and_suffix():
    text = (
        "Intro line.\nThe talks ended without agreement. Officials left at noon.\n"
        "Analysis.\nThe talks ended without agreement. Nobody expected more.\n"
    )
    second = tag_on(text, "The talks ended without agreement.", occurrence=1)
    # The article grows in front, so the old offset alone would point nearer the first copy.
    changed = "A" * 40 + "\n" + text
    placed = anchor_tag(second, changed, same_article=False)
    assert placed.tag.suffix.startswith(" Nobody expected more.")
    assert placed.tag.start == changed.index("Analysis.") + len("Analysis.\n")


def test_duplicated_sentence_without_context_goes_to_the_nearest():
    text = "Same sentence here. x\n" * 3
    tag = Tag("a", "claim", 22, 41, "Same sentence here.", id="t")
    changed = "yy" + text
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.tag.start == 24


def test_text_gone_leaves_the_tag_orphaned_and_unchanged():
    tag = tag_on(TEXT, QUOTE)
    changed = "A completely different article about the weather in Lisbon.\n" * 5
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == LOST
    assert placed.tag.status == ORPHANED
    assert (placed.tag.start, placed.tag.end, placed.tag.quote) == (tag.start, tag.end, tag.quote)


def test_same_hash_but_quote_not_at_offsets_is_searched_for():
    tag = tag_on(TEXT, QUOTE)
    shifted = Tag(**{**tag.__dict__, "start": tag.start - 3, "end": tag.end - 3})
    placed = anchor_tag(shifted, TEXT, same_article=True)
    assert (placed.tag.start, placed.tag.end) == (tag.start, tag.end)


@settings(max_examples=60, deadline=None)
@given(
    before=st.text(alphabet="abc .\n", max_size=300),
    after=st.text(alphabet="abc .\n", max_size=300),
    where=st.integers(min_value=0, max_value=len(TEXT)),
)
def test_edits_outside_the_quote_always_find_it_word_for_word(before, after, where):
    tag = tag_on(TEXT, QUOTE)
    # An insertion anywhere outside the quote, plus text added at both ends.
    if tag.start < where < tag.end:
        where = tag.end
    changed = before + TEXT[:where] + "zz" + TEXT[where:] + after
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == MOVED
    assert changed[placed.tag.start:placed.tag.end] == QUOTE


def test_a_tag_over_a_whole_edited_article_still_finds_its_passage():
    from pathlib import Path

    from reader.core.articles import load_article

    text = load_article(Path(__file__).resolve().parents[2] / "seeds" / "002_1d191d736c2cb189.txt").text
    tag = tag_on(text, text[10:-10])
    changed = text
    for where in (len(text) // 5, len(text) // 2, 4 * len(text) // 5):
        changed = changed[:where] + " [inserted by an editor] " + changed[where:]
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == FUZZY
    assert placed.tag.start == 10 and placed.tag.end == len(changed) - 10
