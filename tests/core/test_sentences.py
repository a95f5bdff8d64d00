from hypothesis import given, settings, strategies as st

from reader.core.sentences import split_sentences


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


_alphabet = st.sampled_from(list("abc XYZ.?!\n\t\"'’(),:;-0123") + ["Mr.", "U.S.", "p.m.", " ", "\u00a0", "é"])


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
