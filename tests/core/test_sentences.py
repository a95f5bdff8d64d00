import re
from pathlib import Path
from unittest import mock

import pysbd
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import sentences as sentences_module
from reader.core.sentences import MAX_PIECE, split_sentences

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def texts(sentences):
    return [s.text for s in sentences]


def test_line_break_ends_headline_byline_and_list_items():
    text = "Putin arrives in Pyongyang\nBy Jane Doe\n- first item\n- second item\nBody starts here. It goes on."
    assert texts(split_sentences(text)) == [
        "Putin arrives in Pyongyang",
        "By Jane Doe",
        "- first item",
        "- second item",
        "Body starts here.",
        "It goes on.",
    ]


def test_abbreviations_do_not_split_a_sentence():
    text = "Mr. Kim met the U.S. envoy at 3 p.m. on Jan. 5, i.e. before the talks. Then he left."
    assert texts(split_sentences(text)) == [
        "Mr. Kim met the U.S. envoy at 3 p.m. on Jan. 5, i.e. before the talks.",
        "Then he left.",
    ]


def test_quotation_with_inner_full_stops_stays_one_sentence():
    text = 'He said "I will go. You stay." Then he left.'
    assert texts(split_sentences(text)) == ['He said "I will go. You stay."', "Then he left."]


def test_spans_point_at_the_text_without_surrounding_whitespace():
    text = "  First one.   Second one.  \n\n   Third line  \n"
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
    assert texts(split_sentences(text)) == ["First one.", "Second one.", "Third line"]


def test_a_repeated_sentence_gets_its_own_offsets():
    text = "The visit matters. Other words here. The visit matters."
    starts = [s.start for s in split_sentences(text)]
    assert starts == [0, 19, 37]


def test_a_long_line_without_full_stops_is_cut_between_words_into_bounded_sentences():
    words = ["Putin", "arrived", "in", "Pyongyang,", "where", "crowds", "waved", "flags"]
    text = " ".join(words[i % len(words)] for i in range(5_000))  # 30 KB, one line
    sentences = split_sentences(text)
    assert len(sentences) > 1
    for sentence in sentences:
        assert len(sentence.text) <= MAX_PIECE
        assert sentence.start == 0 or text[sentence.start - 1] == " "
        assert sentence.end == len(text) or text[sentence.end] == " "
    assert " ".join(s.text for s in sentences) == text


def test_a_long_quotation_is_cut_where_its_sentences_end():
    body = " ".join(f"The envoy spoke about point number {k} of the plan." for k in range(150))
    text = f'The statement read: "{body}" Then the envoy left.'
    sentences = split_sentences(text)
    assert len(sentences) > 2
    for sentence in sentences:
        assert len(sentence.text) <= MAX_PIECE
        assert sentence.text.endswith((".", '."'))
    # pysbd sees the end of the quotation without its opening mark, so the
    # closing mark may stay with the next sentence: no text is lost either way
    assert sentences[-1].text.endswith("Then the envoy left.")


def test_news_paragraphs_joined_into_one_long_line_split_as_they_did_apart():
    paragraphs = [
        line.strip()
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().endswith(".")
    ]
    line = " ".join(paragraphs * 3)
    assert len(line) > 10 * MAX_PIECE
    apart = [s.text for paragraph in paragraphs * 3 for s in split_sentences(paragraph)]
    assert texts(split_sentences(line)) == apart


_alphabet = st.sampled_from(
    [*list("abc XYZ.?!\n\t\"'’(),:;-0123"), "Mr.", "U.S.", "p.m.", " ", "\u00a0", "é"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_alphabet, max_size=80).map("".join))
def test_sentences_are_ordered_disjoint_in_bounds_and_cover_all_text(text):
    sentences = split_sentences(text)
    previous_end = 0
    covered = set()
    for index, sentence in enumerate(sentences):
        assert sentence.index == index
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert text[sentence.start : sentence.end] == sentence.text
        previous_end = sentence.end
        covered.update(range(sentence.start, sentence.end))
    for offset, char in enumerate(text):
        if not char.isspace():
            assert offset in covered, f"character {char!r} at {offset} is in no sentence"


_long_alphabet = st.sampled_from(
    [
        *list("abc XYZ.?!\t\"'’(),:;-0123"),
        "Mr.",
        "U.S.",
        " went home. ",
        " Then ",
        "\u00a0",
        "é",
        "“",
        "”",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_long_alphabet, max_size=200).map("".join))
def test_long_lines_keep_the_span_promises_and_the_length_bound(text):
    # a small bound makes every generated line a long line
    with mock.patch.object(sentences_module, "MAX_PIECE", 25):
        sentences = split_sentences(text)
    previous_end = 0
    covered = 0
    for index, sentence in enumerate(sentences):
        assert sentence.index == index
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert text[sentence.start : sentence.end] == sentence.text == sentence.text.strip()
        assert len(sentence.text) <= 25
        previous_end = sentence.end
        covered += sum(not char.isspace() for char in sentence.text)
    assert covered == sum(not char.isspace() for char in text)


def pysbd_alone(line):
    """Spans of the sentences pysbd finds in the whole line, located from a moving
    cursor; a piece without a letter or digit (a stray closing mark) joins the one before."""
    spans = []
    cursor = 0
    for piece in pysbd.Segmenter(language="en", clean=False).segment(line):
        piece = piece.strip()
        start = line.find(piece, cursor) if piece else -1
        if start < 0:
            continue
        cursor = start + len(piece)
        if spans and not re.search(r"\w", piece):
            spans[-1] = (spans[-1][0], cursor)
        else:
            spans.append((start, cursor))
    return spans


_news_alphabet = st.sampled_from(
    [
        "He",
        "went",
        "home",
        "Then",
        "left",
        "Kim",
        "ii",
        "Inc",
        "no",
        "said",
        "a",
        "B",
        "3",
        "12",
        "2000",
        "5%",
        "13.5%",
        "$1,000",
        "Mr.",
        "U.S.",
        "p.m.",
        "e.g.",
        "No.1",
        "...",
        ". ",
        "! ",
        "? ",
        " ",
        "  ",
        ", ",
        '"',
        "“",
        "”",
        "‘",
        "’",
        "'",
        "(",
        ")",
        "--",
        "-",
        '." ',
        ".” ",
        "“Hi.” ",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_news_alphabet, max_size=40).map("".join))
def test_the_shortcut_finds_the_sentences_pysbd_finds_in_the_whole_line(text):
    # pysbd only sees the pieces it must judge; the sentences must not change
    assert [(s.start, s.end) for s in split_sentences(text)] == pysbd_alone(text)
