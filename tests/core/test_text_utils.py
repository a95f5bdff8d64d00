"""Shortened text: never longer than asked, marked with "…", a prefix of the text."""

from hypothesis import given
from hypothesis import strategies as st

from reader.core.text_utils import ELLIPSIS, shorten, shorten_line


@given(st.text(), st.integers(1, 80))
def test_a_shortened_text_fits_and_begins_as_the_text_does(text, limit):
    short = shorten(text, limit)
    assert len(short) <= limit
    if len(text) <= limit:
        assert short == text
    else:
        assert short.endswith(ELLIPSIS)
        assert text.startswith(short[:-1])


def test_no_space_is_left_before_the_ellipsis():
    assert shorten("Putin arrives in Pyongyang", 7) == "Putin…"


def test_shorten_line_puts_the_text_on_one_line_first():
    assert shorten_line("first line\n  second   line", 80) == "first line second line"
    assert shorten_line("first line\n  second   line", 12) == "first line…"
