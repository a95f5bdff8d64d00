"""Text shortened for a message, a list row or a dialog: one rule everywhere.

A shortened text ends in "…" and is never longer than the limit asked for,
so a column or a message keeps its width whatever a file holds.
"""

from __future__ import annotations

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters; else its first characters,
    trailing spaces dropped, and "…", ``limit`` characters at most in all."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + ELLIPSIS


def shorten_line(text: str, limit: int) -> str:
    """``text`` on one line (every run of spaces and line breaks one space), shortened."""
    return shorten(" ".join(text.split()), limit)
