"""Placing a saved tag in an article whose text has changed."""

from __future__ import annotations

from dataclasses import replace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.anchoring import (
    FUZZY,
    LOST,
    MOVED,
    SHORT_QUOTE_CHARS,
    SHORT_QUOTE_WORDS,
    UNCHANGED,
    anchor_tag,
    confirm_placement,
)
from reader.core.annotation_commands import AddTag, ConfirmText
from reader.core.annotation_model import ORPHANED, Tag, context_of
from reader.core.annotations import AnnotationStore
from reader.core.articles import load_corpus
from reader.core.sentences import split_sentences
from tests.core.article_edits import (
    CLAUSES,
    DELETED,
    GROWN,
    KEPT,
    edit_article,
    grow,
    seed_text,
    sentence_tag,
)

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
    assert changed[placed.tag.start : placed.tag.end] == QUOTE
    assert placed.tag.start == tag.start + len("UPDATE: this story was revised.\n\n")


def test_deletion_before_the_quote_moves_the_offsets():
    tag = tag_on(TEXT, QUOTE)
    changed = TEXT.replace("Putin arrived in Pyongyang on Tuesday. ", "")
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == MOVED
    assert changed[placed.tag.start : placed.tag.end] == QUOTE


def test_insertion_inside_the_quote_is_found_fuzzily_and_covers_the_insertion():
    tag = tag_on(TEXT, QUOTE)
    changed = TEXT.replace("additional weapons", "additional weapons and artillery shells")
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == FUZZY
    expected = QUOTE.replace("additional weapons", "additional weapons and artillery shells")
    assert placed.tag.quote == expected
    assert changed[placed.tag.start : placed.tag.end] == expected


def test_deletion_inside_the_quote_is_found_fuzzily():
    tag = tag_on(TEXT, QUOTE)
    changed = TEXT.replace(" ongoing conflict", " conflict")
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == FUZZY
    assert (
        placed.tag.quote
        == "Concurrently, Russia seeks additional weapons for its conflict in Ukraine."
    )


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
    assert changed[placed.tag.start : placed.tag.end] == QUOTE


def test_a_tag_over_a_whole_edited_article_still_finds_its_passage():
    from pathlib import Path

    from reader.core.articles import load_article

    text = load_article(
        Path(__file__).resolve().parents[2] / "seeds" / "002_1d191d736c2cb189.txt"
    ).text
    tag = tag_on(text, text[10:-10])
    changed = text
    for where in (len(text) // 5, len(text) // 2, 4 * len(text) // 5):
        changed = changed[:where] + " [inserted by an editor] " + changed[where:]
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == FUZZY
    assert placed.tag.start == 10 and placed.tag.end == len(changed) - 10


# ------------------------------------------------------------ re-anchoring a reader can trust
#
# Tags on whole sentences of the seed articles, then the articles edited the
# way a publisher edits them (tests/core/article_edits.py): every tag must be
# placed on its own sentence or orphaned, never on other text.

SEED_NAMES = ("000", "001", "002", "003", "004")


def _short_quote(quote: str) -> bool:
    return len(quote) < SHORT_QUOTE_CHARS or len(quote.split()) < SHORT_QUOTE_WORDS


def _outcome(item, placed) -> str:
    if placed.how == LOST:
        return "orphaned"
    return "right" if placed.tag.span in item.expected else "elsewhere"


@pytest.mark.parametrize("name", SEED_NAMES)
@pytest.mark.parametrize("seed", range(5))
def test_after_mixed_edits_every_tag_is_on_its_sentence_or_orphaned(name, seed):
    edited = edit_article(seed_text(name), seed)
    wrong = []
    for item in edited.tags:
        placed = anchor_tag(item.tag, edited.new, same_article=False)
        outcome = _outcome(item, placed)
        # A grown sentence is followed, unless it is a short quote (a
        # heading), which is placed only where found exactly.
        must_follow = item.edit == KEPT or (item.edit == GROWN and not _short_quote(item.tag.quote))
        if outcome == "elsewhere" or (must_follow and outcome != "right"):
            wrong.append(f"{item.edit} {item.tag.quote!r} -> {outcome} {placed.tag.quote!r}")
        if outcome == "right":
            assert placed.tag.quote == edited.new[placed.tag.start : placed.tag.end]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_deleted_sentence_is_orphaned(name):
    text = seed_text(name)
    for sentence in split_sentences(text):
        edited = edit_article(text, 0, edits={sentence.index: DELETED})
        item = edited.tags[sentence.index]
        placed = anchor_tag(item.tag, edited.new, same_article=False)
        if not item.expected:
            assert placed.how == LOST, f"{item.tag.quote!r} landed on {placed.tag.quote!r}"
            assert placed.tag == replace(item.tag, status=ORPHANED)


@pytest.mark.parametrize("name", ("001", "002", "003", "004"))
def test_a_grown_sentence_keeps_its_whole_tag_and_the_original_quote(name):
    text = seed_text(name)
    for sentence in split_sentences(text):
        if len(sentence.text) < 40 or text.count(sentence.text) > 1:
            continue  # a sentence printed twice may rightly go to its unchanged copy
        changed = text[: sentence.start] + grow(sentence.text, CLAUSES[0]) + text[sentence.end :]
        tag = sentence_tag(text, sentence.start, sentence.end, "t")
        placed = anchor_tag(tag, changed, same_article=False)
        assert placed.how == FUZZY, sentence.text
        assert placed.tag.span == (sentence.start, sentence.end + len(CLAUSES[0])), sentence.text
        assert placed.tag.quote == grow(sentence.text, CLAUSES[0])
        assert placed.tag.original_quote == sentence.text


def test_the_audits_headline_does_not_land_on_the_body_sentence_like_it():
    text = seed_text("000")
    headline = "S&P and Nasdaq Hit New Highs Ahead of July 4th Holiday"
    start = text.index(headline)
    tag = sentence_tag(text, start, start + len(headline), "t")
    changed = text.replace(headline + "\n\n", "")
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == LOST, placed.tag.quote


@pytest.mark.parametrize(
    "changed_to", ["Following our coverage:", "Unfollow us at once:", "Share this:"]
)
def test_a_short_heading_is_found_exactly_or_orphaned_never_inside_a_word(changed_to):
    text = seed_text("003")
    start = text.index("Follow us:")
    tag = sentence_tag(text, start, start + len("Follow us:"), "t")
    changed = text.replace("Follow us:", changed_to)
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == LOST, placed.tag.quote


def test_a_short_heading_in_other_case_and_spacing_is_still_found():
    text = seed_text("003")
    start = text.index("Follow us:")
    tag = sentence_tag(text, start, start + len("Follow us:"), "t")
    changed = text.replace("Follow us:", "FOLLOW  us:")
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.tag.quote == "FOLLOW  us:"
    assert placed.tag.start == start


def test_a_slightly_reworded_sentence_is_followed_without_keeping_an_original():
    tag = tag_on(TEXT, QUOTE)
    changed = TEXT.replace("additional weapons", "extra weapons")
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == FUZZY
    assert placed.tag.quote == QUOTE.replace("additional", "extra")
    assert placed.tag.original_quote == ""


def test_a_sentence_that_lost_most_of_its_words_is_orphaned():
    tag = tag_on(TEXT, QUOTE)
    changed = TEXT.replace(" for its ongoing conflict in Ukraine", "")
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == LOST


def test_a_tag_on_two_sentences_follows_both_when_the_first_grows():
    first = (
        "North Korea, facing challenges with space technology and shortages of food, "
        "fuel, and foreign currency, looks to Russia for assistance."
    )
    quote = first + " " + QUOTE
    tag = tag_on(TEXT, quote)
    grown = grow(first, CLAUSES[1])
    changed = TEXT.replace(first, grown)
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.tag.quote == grown + " " + QUOTE
    assert placed.tag.original_quote == quote


def test_a_tag_on_part_of_a_sentence_is_not_stretched_to_the_sentence():
    part = "facing challenges with space technology and shortages of food"
    tag = tag_on(TEXT, part)
    changed = TEXT.replace("space technology", "space and missile technology")
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.tag.quote == part.replace("space technology", "space and missile technology")


def test_an_original_quote_survives_later_placements_until_confirmed():
    tag = tag_on(TEXT, QUOTE)
    grown = grow(QUOTE, CLAUSES[2])
    once = anchor_tag(tag, TEXT.replace(QUOTE, grown), same_article=False).tag
    twice = anchor_tag(once, "Breaking.\n" + TEXT.replace(QUOTE, grown), same_article=False).tag
    assert twice.quote == grown and twice.original_quote == QUOTE
    confirmed = confirm_placement(twice)
    assert confirmed.quote == grown and confirmed.original_quote == ""
    # An edit undone brings the tag back to what the reader chose: nothing left to confirm.
    back = anchor_tag(twice, TEXT, same_article=False).tag
    assert back.quote == QUOTE and back.original_quote == ""


def test_the_original_quote_is_saved_and_loaded_with_the_tag(folder):
    article_id = "004_d641075c740f0b50"
    store = AnnotationStore.open(folder / "annotations.yaml", load_corpus(folder))
    sentence = store.corpus.article(article_id).sentences[4]
    tag = store.make_tag(article_id, sentence.start, sentence.end, "claim")
    AddTag(tag).do(store)
    store.save()
    plain = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))
    assert "original_quote" not in plain["articles"][0]["tags"][0]  # version-1 files as before

    path = folder / f"{article_id}.txt"
    path.write_text(
        path.read_text(encoding="utf-8").replace(sentence.text, grow(sentence.text)),
        encoding="utf-8",
    )
    moved = AnnotationStore.open(folder / "annotations.yaml", load_corpus(folder))
    assert moved.tag(tag.id).quote == grow(sentence.text)
    assert moved.tag(tag.id).original_quote == sentence.text
    moved.save()
    saved = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))["articles"][
        0
    ]["tags"][0]
    assert saved["quote"] == grow(sentence.text)
    assert saved["original_quote"] == sentence.text
    again = AnnotationStore.open(folder / "annotations.yaml", load_corpus(folder))
    assert again.tag(tag.id) == moved.tag(tag.id)
    assert not again.problems

    confirm = ConfirmText(again.tag(tag.id))
    confirm.do(again)
    assert again.tag(tag.id).original_quote == "" and again.tag(tag.id).quote == grow(sentence.text)
    confirm.undo(again)
    assert again.tag(tag.id).original_quote == sentence.text
    confirm.do(again)
    again.save()
    saved = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))["articles"][
        0
    ]["tags"][0]
    assert "original_quote" not in saved and saved["quote"] == grow(sentence.text)


def _long_article(words: int, seed: int) -> str:
    import random

    rng = random.Random(seed)
    vocabulary = [f"w{rng.randrange(10**6)}" for _ in range(5000)]
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(
            " ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 25))).capitalize() + "."
        )
    return " ".join(sentences)


def test_a_long_quote_in_an_edited_article_is_placed_and_in_another_article_orphaned():
    text = _long_article(10_000, seed=1)
    tag = tag_on(text, text[10:-10])
    changed = text
    for where in (len(text) // 5, len(text) // 2, 4 * len(text) // 5):
        changed = changed[:where] + " [inserted by an editor] " + changed[where:]
    placed = anchor_tag(tag, changed, same_article=False)
    assert placed.how == FUZZY
    assert placed.tag.span == (10, len(changed) - 10)
    other = anchor_tag(tag, _long_article(10_000, seed=2), same_article=False)
    assert other.how == LOST
