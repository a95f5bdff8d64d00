"""Values of the annotation layer: labels, tags, problems and conflicts.

Kept apart from the store so the file format, anchoring, merging and export
modules can share them without importing each other. Import them from
``reader.core.annotations``, which re-exports everything here.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import Field, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol

ANCHORED = "anchored"
ORPHANED = "orphaned"
STATUSES = (ANCHORED, ORPHANED)

# How much text around a quote is kept to tell repeated passages apart
# (the W3C TextQuoteSelector's prefix and suffix).
CONTEXT_CHARS = 32

_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Label:
    """A tag category: its name, highlight color (``#rrggbb``) and keyboard key."""

    name: str
    color: str
    key: str


DEFAULT_LABELS: tuple[Label, ...] = (
    Label("claim", "#c0392b", "1"),
    Label("context", "#2471a3", "2"),
    Label("opinion", "#b9770e", "3"),
)


@dataclass(frozen=True)
class Tag:
    """One tagged passage of one article.

    ``start``/``end`` are code-point offsets into ``Article.text`` and
    ``quote == text[start:end]`` while ``status`` is ``"anchored"``. An
    ``"orphaned"`` tag could not be placed in the current text (its article
    changed beyond recognition or is missing): its offsets are those of the
    text it was made on, and it is kept and saved back unchanged.
    ``id`` names the tag across edits, saves and merges; ``created`` and
    ``modified`` are ISO 8601 UTC strings (``2026-11-23T10:00:00Z``) or "".
    ``original_quote`` is the text the reader tagged, kept when re-anchoring
    in a changed article moved the tag onto text that differs a lot from it,
    until the reader confirms the new text; "" otherwise.
    """

    article_id: str
    label: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    annotator: str = ""
    created: str = ""
    modified: str = ""
    status: str = ANCHORED
    id: str = ""
    original_quote: str = ""

    @property
    def orphaned(self) -> bool:
        return self.status == ORPHANED

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True)
class AnnotationProblem:
    """Something in an annotation file a person should look at.

    ``kind`` is ``"invalid"`` (an item that could not be loaded and must be
    mended by hand), ``"orphaned"`` (a tag kept but not placed),
    ``"missing-article"`` (tags of an article file that is not in the corpus)
    or ``"fuzzy"`` (a tag placed on text that differs from its quote).
    """

    path: Path
    reason: str
    line: int | None = None
    item: str | None = None
    kind: str = "invalid"

    def __str__(self) -> str:
        return _located(self.path, self.line, self.item, self.reason)


class AnnotationError(Exception):
    """An annotation file could not be read or written.

    The message names the file, the line or item when known, and the problem.
    """

    def __init__(
        self,
        path: Path | str,
        reason: str,
        line: int | None = None,
        item: str | None = None,
    ):
        self.path = Path(path)
        self.reason = reason
        self.line = line
        self.item = item
        super().__init__(_located(self.path, line, item, reason))


class Mergeable(Protocol):
    """What the three-way merge reads of an item: a Tag, or a link Correction.

    Both are frozen dataclasses (the merge copies one under a new id), named
    by ``id``, and described in a clash by article, label and quote.
    """

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    @property
    def id(self) -> str: ...
    @property
    def article_id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def quote(self) -> str: ...


@dataclass(frozen=True)
class Conflict:
    """The same tag was changed here and in the file on disk since it was loaded.

    Both versions are kept in the store: ``ours`` under its own id and
    ``theirs`` under a new id. Either may be None when that side removed it.
    """

    article_id: str
    ours: Mergeable | None
    theirs: Mergeable | None
    reason: str

    def __str__(self) -> str:
        return f"{self.article_id}: {self.reason}"


def _located(path: Path, line: int | None, item: str | None, reason: str) -> str:
    where = str(path)
    if line is not None:
        where += f", line {line}"
    if item:
        where += f", {item}"
    return f"{where}: {reason}"


def new_tag_id() -> str:
    return uuid.uuid4().hex[:12]


def now_timestamp() -> str:
    """The current time as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_timestamp(value: str) -> bool:
    return bool(_TIMESTAMP.match(value))


def is_color(value: str) -> bool:
    return bool(_COLOR.match(value))


def timestamp_from_yaml(value: object) -> str | None:
    """A file value as an ISO 8601 UTC string; "" for absent; None if it is not a time.

    YAML turns ``2026-11-23T10:00:00Z`` into a datetime; a quoted one stays a
    string. Both are accepted, and a time without zone is read as UTC. A time
    that cannot be said in UTC (``0001-01-01T00:00:00+01:00``) is not a time.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            try:
                value = value.astimezone(UTC).replace(tzinfo=None)
            except (OverflowError, ValueError):
                return None
        text = value.isoformat(timespec="seconds")  # strftime drops the zeros of year 0001
        if value.microsecond:
            text += f".{value.microsecond:06d}".rstrip("0")
        return text + "Z"
    if isinstance(value, date):
        return value.strftime("%Y-%m-%dT00:00:00Z")
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except (ValueError, OverflowError):
            return None
        return timestamp_from_yaml(parsed)
    return None


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix kept around ``text[start:end]``."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]
