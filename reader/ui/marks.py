"""Values the comparison panes draw: tag marks as positioned, colored spans."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TagMark:
    """A tag as a pane draws it: ``[start, end)`` code-point offsets into the article text,
    the label's name and color (``#rrggbb``), and the annotator's note (may be empty)."""

    start: int
    end: int
    label: str
    color: str
    note: str = ""

    @property
    def tooltip(self) -> str:
        """What hovering the tagged text shows: "label — note", or just the label."""
        return f"{self.label} — {self.note}" if self.note else self.label
