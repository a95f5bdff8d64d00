"""Corrections by the reader: passages linked by hand, and suggested links rejected.

Values and their form in the annotation file (version 2, see
docs/annotations.md). Each correction holds its two ends the way a tag holds
its passage (offsets, quote, prefix and suffix, the article's hash), so the
ends are placed again in an edited article just like tags are
(``reader.core.corrections.place_corrections``). Kept apart from the store
and from anchoring so the file reader can use it without import cycles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeGuard

from reader.core.annotation_model import ANCHORED, ORPHANED, is_timestamp, timestamp_from_yaml
from reader.core.safe_read import ARTICLE_FILE_LIMIT
from reader.core.text_utils import shorten

LINK = "link"  # the reader says these two passages tell the same thing
REJECT = "reject"  # the reader says a suggested link between them is wrong
CORRECTION_KINDS = (LINK, REJECT)

# Top-level lists of a version-2 file, by kind.
FILE_KEYS = {LINK: "links", REJECT: "rejected"}
_CORRECTION_KEYS = ("id", "a", "b", "note", "annotator", "created")
_END_KEYS = ("article", "start", "end", "quote", "prefix", "suffix", "sha256")


@dataclass(frozen=True)
class LinkEnd:
    """One end of a correction: ``[start, end)`` of an article, placed like a tag.

    ``quote == text[start:end]`` while ``status`` is ``"anchored"``; an
    ``"orphaned"`` end keeps the offsets, quote and ``sha256`` of the text it
    was made on.
    """

    article_id: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    sha256: str = ""
    status: str = ANCHORED

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def orphaned(self) -> bool:
        return self.status == ORPHANED


@dataclass(frozen=True)
class Correction:
    """A link made by hand (``kind == "link"``) or a suggested link rejected (``"reject"``).

    ``id`` names it across saves and merges. A correction with an orphaned
    end is kept and saved back, but neither shown nor applied.
    """

    kind: str
    a: LinkEnd
    b: LinkEnd
    id: str = ""
    note: str = ""
    annotator: str = ""
    created: str = ""

    @property
    def orphaned(self) -> bool:
        return self.a.orphaned or self.b.orphaned

    @property
    def status(self) -> str:
        return ORPHANED if self.orphaned else ANCHORED

    # What the tag merge (annotation_merge.merge_tags) reads to describe a clash.
    @property
    def article_id(self) -> str:
        return self.a.article_id

    @property
    def label(self) -> str:
        return "linked by you" if self.kind == LINK else "rejected link"

    @property
    def quote(self) -> str:
        return f"{self.a.quote} ↔ {self.b.quote}"

    def ends_in(self, a_id: str, b_id: str) -> tuple[LinkEnd, LinkEnd] | None:
        """The ends as (end in article ``a_id``, end in ``b_id``), whichever way round it was made."""
        if (self.a.article_id, self.b.article_id) == (a_id, b_id):
            return self.a, self.b
        if (self.b.article_id, self.a.article_id) == (a_id, b_id):
            return self.b, self.a
        return None


def derive_correction_id(correction: Correction, salt: str = "") -> str:
    """A stable id for a correction written without one (by hand)."""
    parts = [correction.kind]
    for end in (correction.a, correction.b):
        parts += [end.article_id, str(end.start), str(end.end), end.quote]
    parts += [correction.created, salt]
    return "c" + hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:11]


# ---------------------------------------------------------------- the file

Report = Callable[..., None]  # report(reason, *steps, item=...) as annotation_file._Reader.report


def read_corrections(value: Any, kind: str, report: Report) -> tuple[Correction, ...]:
    """The corrections of one top-level list (``links`` or ``rejected``) of a parsed file.

    A bad item is left out and reported (with its steps in the file, so the
    reader can name the line); the others are kept.
    """
    key = FILE_KEYS[kind]
    if value is None:
        return ()
    if not isinstance(value, list):
        report(f"'{key}' must be a list", key, item=f"field {key!r}")
        return ()
    found: list[Correction] = []
    seen: set[str] = set()
    for i, entry in enumerate(value):
        correction = _read_correction(entry, kind, key, i, report)
        if correction is None:
            continue
        if correction.id in seen:  # a copied item: keep it as one of its own
            correction = replace(correction, id=derive_correction_id(correction, salt=str(i)))
        seen.add(correction.id)
        found.append(correction)
    return tuple(found)


def _read_correction(entry: Any, kind: str, key: str, i: int, report: Report) -> Correction | None:
    noun = "link" if kind == LINK else "rejected link"
    item = f"{noun} {i + 1}"
    if not isinstance(entry, dict):
        report("must be a mapping with a and b", key, i, item=item)
        return None
    problems: list[tuple[str, tuple[str, ...]]] = []
    ends: list[LinkEnd | None] = []
    for side in ("a", "b"):
        end, end_problems = _read_end(entry.get(side), side)
        problems += [(reason, (side, *steps)) for reason, steps in end_problems]
        ends.append(end)
    texts: dict[str, str] = {}
    for field_name in ("note", "annotator", "id"):
        text = entry.get(field_name, "")
        if text is None:
            text = ""
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            problems.append((f"{field_name} {_shown(text)} is not text", (field_name,)))
            text = ""
        texts[field_name] = text
    created = timestamp_from_yaml(entry.get("created"))
    if created is None or (created and not is_timestamp(created)):
        problems.append(
            (f"created {_shown(entry.get('created'))} is not an ISO 8601 time", ("created",))
        )
    for field_name in entry:
        if field_name not in _CORRECTION_KEYS:
            problems.append((f"unknown field {_shown(field_name)}", (field_name,)))
    if problems:
        for reason, steps in problems:
            report(reason, key, i, *steps, item=item)
        return None
    a_end, b_end = ends
    assert a_end is not None and b_end is not None  # an end not read left a problem
    correction = Correction(
        kind,
        a_end,
        b_end,
        id=texts["id"],
        note=texts["note"],
        annotator=texts["annotator"],
        created=created or "",
    )
    return correction if correction.id else replace(correction, id=derive_correction_id(correction))


def _read_end(value: Any, side: str) -> tuple[LinkEnd | None, list[tuple[str, tuple[str, ...]]]]:
    if not isinstance(value, dict):
        return None, [(f"end {side!r} must be a mapping with article, start, end and quote", ())]
    problems: list[tuple[str, tuple[str, ...]]] = []
    article = value.get("article")
    if isinstance(article, (int, float)) and not isinstance(article, bool):
        article = str(article)
    if not isinstance(article, str) or not article:
        problems.append((f"end {side!r} has no article id", ()))
    start, end = value.get("start"), value.get("end")
    if not _is_int(start) or not _is_int(end):
        problems.append(
            (
                f"end {side!r}: start {_shown(start)} and end {_shown(end)} must be whole numbers",
                ("start",),
            )
        )
    elif not 0 <= start < end <= ARTICLE_FILE_LIMIT:
        problems.append(
            (f"end {side!r}: offsets out of range: start {start}, end {end}", ("start",))
        )
    quote = value.get("quote")
    if not isinstance(quote, str) or not quote:
        problems.append((f"end {side!r} has no quote (the linked text)", ("quote",)))
    texts: dict[str, str] = {}
    for field_name in ("prefix", "suffix", "sha256"):
        text = value.get(field_name, "")
        if text is None or (field_name == "sha256" and _is_int(text)):
            text = ""
        if not isinstance(text, str):
            problems.append(
                (f"end {side!r}: {field_name} {_shown(text)} is not text", (field_name,))
            )
            text = ""
        texts[field_name] = text
    for field_name in value:
        if field_name not in _END_KEYS:
            problems.append((f"end {side!r}: unknown field {_shown(field_name)}", (field_name,)))
    if problems:
        return None, problems
    # no problems, so every field has its type
    assert isinstance(article, str) and isinstance(quote, str) and _is_int(start) and _is_int(end)
    return LinkEnd(
        article, start, end, quote, texts["prefix"], texts["suffix"], texts["sha256"]
    ), []


def _shown(value: Any, limit: int = 60) -> str:
    """A value as quoted in a message, at most about ``limit`` characters of it (a hostile file's
    values may be huge)."""
    return shorten(repr(value), limit)


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def correction_sort_key(correction: Correction) -> tuple[str, int, str, int, str]:
    return (
        correction.a.article_id,
        correction.a.start,
        correction.b.article_id,
        correction.b.start,
        correction.id,
    )


def correction_document(correction: Correction, timestamp: Callable[[str], Any]) -> dict[str, Any]:
    """The item as written in the file; ``timestamp`` wraps a time so it is written unquoted."""
    return {
        "id": correction.id,
        "a": _end_document(correction.a),
        "b": _end_document(correction.b),
        "note": correction.note,
        "annotator": correction.annotator,
        "created": timestamp(correction.created)
        if is_timestamp(correction.created)
        else correction.created,
    }


def _end_document(end: LinkEnd) -> dict[str, Any]:
    return {
        "article": end.article_id,
        "start": end.start,
        "end": end.end,
        "quote": end.quote,
        "prefix": end.prefix,
        "suffix": end.suffix,
        "sha256": end.sha256,
    }
