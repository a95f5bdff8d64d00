"""The annotation file on disk: read it strictly, write it stably and atomically.

Reading builds plain data from the YAML event stream (libyaml's parser when
PyYAML has it) with PyYAML's safe constructors, refusing what a hand-made or
hostile file could smuggle in: object tags, anchors and aliases (the
"billion laughs"). Problems that spoil the whole file raise AnnotationError;
problems with single items, a value of the wrong type among them, are
returned so the rest can be used. Messages never quote more than ~60
characters of a value. Writing produces the same bytes for the same tags
(stable key order, sorted articles and tags, UTF-8, no YAML tags or anchors)
so the file diffs well, and replaces the file only once the new version is
safely on disk.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import os
import re
import secrets
import stat
import sys
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeGuard

import yaml

from reader.core.annotation_model import (
    DEFAULT_LABELS,
    AnnotationError,
    AnnotationProblem,
    Label,
    Tag,
    is_color,
    is_timestamp,
    timestamp_from_yaml,
)
from reader.core.correction_model import (
    CORRECTION_KINDS,
    FILE_KEYS,
    Correction,
    correction_document,
    correction_sort_key,
    read_corrections,
)
from reader.core.safe_read import ARTICLE_FILE_LIMIT
from reader.core.text_utils import shorten

SCHEMA = "source-reader/annotations"
# Version 2 adds the reader's corrections (``links``, ``rejected``); a file
# without any is still written as version 1, so older readers open it.
VERSION = 2
VERSIONS = (1, 2)
DEFAULT_NAME = "annotations.yaml"
BACKUP_SUFFIX = ".bak"

_TOP_KEYS = ("schema", "version", "labels", "articles")
_TOP_KEYS_V2 = _TOP_KEYS + tuple(FILE_KEYS.values())
_ARTICLE_KEYS = ("id", "file", "sha256", "tags")
_TAG_KEYS = (
    "label",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "note",
    "annotator",
    "created",
    "modified",
    "id",
    "original_quote",
)
_TEXT_FIELDS = ("prefix", "suffix", "note", "annotator", "original_quote")
# SafeConstructor over libyaml's parser when PyYAML was built with it (ten
# times faster); the pure-Python SafeLoader otherwise.
_LOADER = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
# No offset can be larger: an article holds at most this many code points.
MAX_OFFSET = ARTICLE_FILE_LIMIT
_HEADER = b"# Source Reader annotations. Format: docs/annotations.md\n"


@dataclass(frozen=True)
class ArticleEntry:
    """One article's record: where its file is, its hash when saved, its tags."""

    id: str
    file: str
    sha256: str
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class AnnotationFile:
    """What a file holds: its labels, its articles, and the items that could not be read."""

    labels: tuple[Label, ...] = DEFAULT_LABELS
    articles: tuple[ArticleEntry, ...] = ()
    problems: tuple[AnnotationProblem, ...] = field(default=())
    corrections: tuple[Correction, ...] = ()


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


# ---------------------------------------------------------------- reading


def parse_annotations(raw: bytes, path: Path) -> AnnotationFile:
    """Read an annotation file's bytes.

    Raises AnnotationError (file, line, problem) when the file as a whole
    cannot be used: not UTF-8, not YAML, a YAML tag such as ``!!python/object``,
    a YAML anchor or alias, another schema or version, bad labels. A bad
    article or tag is left out and reported in ``problems`` with its line, so
    a person can mend it. Messages quote at most ~60 characters of a value.
    """
    try:
        raw.decode("utf-8-sig")  # checked here; the parser reads the bytes, saving two copies
    except UnicodeDecodeError as error:
        raise AnnotationError(
            path, f"is not UTF-8 text (bad byte at offset {error.start})"
        ) from None
    # A large file makes millions of small dicts and lists, none in a cycle:
    # the cyclic collector would walk them again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        builder = _Builder(raw, path)
        try:
            data = builder.document()
        except yaml.MarkedYAMLError as error:
            raise _yaml_error(path, error) from None
        except yaml.YAMLError as error:
            raise AnnotationError(path, f"is not valid YAML ({shorten(str(error), 200)})") from None
        return _Reader(path, builder.lines).read(data)
    finally:
        if collecting:
            gc.enable()


def _yaml_error(path: Path, error: yaml.MarkedYAMLError) -> AnnotationError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = ": ".join(part for part in (error.context, error.problem) if part)
    return AnnotationError(
        path, f"is not valid YAML: {shorten(problem or str(error), 200)}", line=line
    )


class _Map(dict[Any, Any]):
    """A mapping read from the file, starting on ``line``; the lines of its
    values are in the builder's ``lines`` from index ``first`` on."""

    __slots__ = ("first", "line")
    first: int
    line: int


class _Seq(list[Any]):
    """A list read from the file, starting on ``line``; the lines of its
    items are in the builder's ``lines`` from index ``first`` on."""

    __slots__ = ("first", "line")
    first: int
    line: int


class _BadScalar:
    """A value whose YAML type could not be made (``!!int abc``, February 30th).

    Kept in place of the value so the item holding it is reported, and the
    rest of the file still loads.
    """

    __slots__ = ("explicit", "tag", "text")

    def __init__(self, tag: str, text: str, explicit: bool):
        self.tag, self.text, self.explicit = tag, text, explicit

    def __repr__(self) -> str:
        shown = _shown(self.text)
        return f"!!{self.tag.rsplit(':', 1)[-1]} {shown}" if self.explicit else shown


_YAML = "tag:yaml.org,2002:"
_STR = _YAML + "str"
_MAP_TAGS = (None, "!", _YAML + "map")
_SEQ_TAGS = (None, "!", _YAML + "seq")
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
# Made by PyYAML's safe constructor (its own code for each type); everything
# else, python/object above all, is refused.
_INT = _YAML + "int"
_TIMESTAMP = _YAML + "timestamp"
_UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")
_SCALAR_TAGS = {
    _YAML + name: f"construct_yaml_{name}"
    for name in ("int", "float", "bool", "null", "timestamp", "binary")
}
# An annotation file nests five deep (articles, an article, tags, a tag).
MAX_DEPTH = 32
# A tag is 24 parser events (its mapping's start and end, 11 keys, 11 values): about 50,000
# tags, a few seconds to read. Counted as the file is read, so a file of
# tiny items under the size limit (16 MB of "- {label: a, start: 0}") is
# refused after a few seconds instead of taking minutes.
MAX_VALUES = 1_200_000
MAX_TAGS_SUPPORTED = 50_000


class _Builder:
    """Python values from the YAML events of one document, without a node tree.

    Builds what ``yaml.safe_load`` would for plain data, with three
    differences that matter for a file anyone may hand us: anchors and
    aliases are refused (expanded, nine nested aliases make a billion
    items); a scalar of the wrong type (``!!int abc``) becomes a _BadScalar
    to be reported with its item instead of an exception; and each mapping
    and list remembers the line of each value, so problems are located
    without parsing the file again. Working from the event stream also
    saves the node tree: several times faster, a fraction of the memory.
    """

    def __init__(self, raw: bytes | str, path: Path):
        self.path = path
        self.loader = _LOADER(raw)
        # The line of every value, container by container (see _Map): one
        # compact array rather than a tuple of int objects per tag.
        self.lines = array("L")

    def document(self) -> Any:
        """The document's value; None for an empty file."""
        try:
            get = self.loader.get_event
            get()  # stream start
            if isinstance(self.loader.peek_event(), yaml.StreamEndEvent):
                return None
            get()  # document start
            data = self.value()
            get()  # document end
            event = get()
            if not isinstance(event, yaml.StreamEndEvent):
                raise self.refuse(
                    event, "holds a second YAML document; an annotation file is one document"
                )
            return data
        finally:
            self.loader.dispose()

    def value(self) -> Any:
        get = self.loader.get_event
        # Frames of the mappings and lists being filled: [container, pending key, lines of its values].
        stack: list[list[Any]] = []
        plain_tags: dict[str, str] = {}
        budget = MAX_VALUES
        while True:
            event = get()
            kind = type(event)
            budget -= 1
            if budget < 0:
                raise self.refuse(
                    event,
                    f"has more than {MAX_VALUES:,} values (about {MAX_TAGS_SUPPORTED:,} "
                    "tags), the limit for annotation files; it was not read",
                )
            if kind is yaml.ScalarEvent:
                if event.anchor is not None:
                    raise self.refuse_anchor(event)
                value, tag = event.value, event.tag
                if tag is None:
                    if event.implicit[0]:  # plain: 12 is a number, yes a bool …
                        # Keys and most values repeat in every tag: resolve each text once.
                        resolved = plain_tags.get(value)
                        if resolved is None:
                            resolved = _resolve_plain(value)
                            if len(value) <= 40 and len(plain_tags) < 10_000:
                                plain_tags[value] = resolved
                        if resolved is not _STR:
                            value = self.typed(value, resolved, event, explicit=False)
                elif tag != "!" and tag != _STR:  # '!': text, as quoted
                    value = self.typed(value, tag, event, explicit=True)
                line = event.start_mark.line + 1
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.anchor is not None:
                    raise self.refuse_anchor(event)
                mapping = kind is yaml.MappingStartEvent
                if event.tag not in (_MAP_TAGS if mapping else _SEQ_TAGS):
                    raise self.refuse_tag(event)
                if len(stack) >= MAX_DEPTH:
                    raise self.refuse(event, f"nests lists and mappings more than {MAX_DEPTH} deep")
                container: _Map | _Seq = _Map() if mapping else _Seq()
                container.line = event.start_mark.line + 1
                stack.append([container, _NO_KEY, []])
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value, _, lines = stack.pop()
                value.first = len(self.lines)
                self.lines.extend(lines)
                line = value.line
            elif kind is yaml.AliasEvent:
                raise self.refuse(
                    event, f"uses the YAML alias *{shorten(event.anchor, 40)}; {_NO_ALIASES}"
                )
            else:
                raise self.refuse(event, f"has an unexpected {kind.__name__}")
            if not stack:
                return value
            frame = stack[-1]
            container = frame[0]
            if type(container) is _Seq:
                container.append(value)
                frame[2].append(line)
            elif frame[1] is _NO_KEY:
                if isinstance(value, (list, dict)):
                    raise self.refuse(event, "uses a list or a mapping as a key")
                frame[1] = value
            else:
                key, frame[1] = frame[1], _NO_KEY
                if key not in container:
                    frame[2].append(line)
                container[key] = value

    def typed(self, value: str, tag: str, event: yaml.ScalarEvent, explicit: bool) -> Any:
        """A scalar of YAML type ``tag`` (not text) as PyYAML's safe constructor makes it;
        a _BadScalar when that fails."""
        if (
            tag == _INT
            and value.isascii()
            and value.isdigit()
            and value[0] != "0"
            and len(value) < 19
        ):
            return int(value)  # the offsets: nearly every number in the file
        if tag == _TIMESTAMP and _UTC_TIME.match(value):
            with suppress(ValueError):  # February 30th: the constructor below says so
                return datetime.fromisoformat(value)  # as our writer writes them, the same value
        method = _SCALAR_TAGS.get(tag)
        if method is None:
            if explicit:
                raise self.refuse_tag(event)
            return value  # a plain scalar PyYAML would give an odd type ('=', '<<'): text
        try:
            return getattr(self.loader, method)(yaml.ScalarNode(tag, value))
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, yaml.YAMLError):
            return _BadScalar(tag, value, explicit)

    def refuse(self, event: yaml.Event, reason: str) -> AnnotationError:
        mark = event.start_mark
        return AnnotationError(self.path, reason, line=mark.line + 1 if mark is not None else None)

    def refuse_anchor(self, event: yaml.NodeEvent) -> AnnotationError:
        return self.refuse(
            event, f"uses the YAML anchor &{shorten(str(event.anchor), 40)}; {_NO_ALIASES}"
        )

    def refuse_tag(self, event: yaml.ScalarEvent | yaml.CollectionStartEvent) -> AnnotationError:
        # safe_load refuses !!python/object and friends too: say so plainly.
        return self.refuse(
            event,
            f"uses the YAML tag {shorten(str(event.tag), 80)}, which is not allowed "
            "(only plain YAML data is read)",
        )


_NO_KEY = object()
_NO_ALIASES = (
    "anchors and aliases are not allowed in annotation files; write each value out in full"
)


def _resolve_plain(value: str) -> str:
    """The type YAML gives an unquoted scalar (PyYAML's rules: 12 is int, yes is bool …)."""
    for tag, pattern in _IMPLICIT.get(value[:1], ()):
        if pattern.match(value):
            return str(tag)
    return _STR


def _shown(value: Any) -> str:
    """A value as quoted in a message: at most ~60 characters of it, whatever it is."""
    if isinstance(value, str):
        return repr(shorten(value, 60))
    if isinstance(value, _BadScalar) or value is None or isinstance(value, (bool, float)):
        return repr(value)
    if isinstance(value, int):
        return str(value) if abs(value) < 10**18 else "a very large number"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"binary data ({len(value):,} bytes)"
    if isinstance(value, list):
        return f"a list ({len(value):,} items)"
    if isinstance(value, dict):
        return f"a mapping ({len(value):,} keys)"
    return f"a {type(value).__name__}"


def _as_text(value: Any) -> str | None:
    """Text as written, a number read as YAML (``id: 42``) as its digits; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) or (_is_int(value) and abs(value) < 10**18):
        return str(value)
    return None


class _Reader:
    def __init__(self, path: Path, lines: Sequence[int]):
        self.path = path
        self.lines = lines
        self.data: Any = None
        self.problems: list[AnnotationProblem] = []

    def line(self, *steps: str | int) -> int | None:
        """The line of the value at ``steps`` (keys and list indices) in the file."""
        node, line = self.data, getattr(self.data, "line", None)
        for step in steps:
            if isinstance(node, _Map):
                index = next((n for n, key in enumerate(node) if key == step), None)
                if index is None:
                    return None
                node, line = node[step], self.lines[node.first + index]
            elif isinstance(node, _Seq) and isinstance(step, int) and 0 <= step < len(node):
                node, line = node[step], self.lines[node.first + step]
            else:
                return None
        return line

    def fail(self, reason: str, *steps: str | int, item: str | None = None) -> AnnotationError:
        return AnnotationError(self.path, reason, line=self.line(*steps), item=item)

    def report(self, reason: str, *steps: str | int, item: str) -> None:
        self.problems.append(AnnotationProblem(self.path, reason, self.line(*steps), item))

    def read(self, data: Any) -> AnnotationFile:
        self.data = data
        if data is None:
            raise AnnotationError(
                self.path, f"is empty; an annotation file starts with 'schema: {SCHEMA}'"
            )
        if not isinstance(data, dict):
            raise self.fail(
                f"is not a Source Reader annotation file (expected a mapping with 'schema: {SCHEMA}')"
            )
        schema = data.get("schema")
        if schema != SCHEMA:
            found = "has no 'schema'" if schema is None else f"has schema {_shown(schema)}"
            raise self.fail(
                f"is not a Source Reader annotation file: it {found}, expected {SCHEMA!r}", "schema"
            )
        version = data.get("version")
        if version not in VERSIONS or isinstance(version, bool):
            raise self.fail(
                f"has version {_shown(version)}; this Source Reader reads versions 1 and {VERSION}",
                "version",
            )
        for key in data:
            if key not in (_TOP_KEYS if version == 1 else _TOP_KEYS_V2):
                self.report(f"unknown field {_shown(key)}", key, item=f"field {_shown(key)}")
        labels = self.read_labels(data.get("labels"))
        articles = self.read_articles(data.get("articles"), labels)
        corrections = (
            ()
            if version == 1
            else tuple(
                c
                for kind in CORRECTION_KINDS
                for c in read_corrections(data.get(FILE_KEYS[kind]), kind, self.report)
            )
        )
        return AnnotationFile(labels, articles, tuple(self.problems), corrections)

    def read_labels(self, value: Any) -> tuple[Label, ...]:
        # Labels decide how every tag is read, so a bad label spoils the file.
        if value is None:
            return DEFAULT_LABELS
        if not isinstance(value, list) or not value:
            raise self.fail("'labels' must be a list of {name, color, key}", "labels")
        labels: list[Label] = []
        for i, entry in enumerate(value):
            item = f"label {i + 1}"
            if not isinstance(entry, dict):
                raise self.fail("must be a mapping {name, color, key}", "labels", i, item=item)
            name, color, key = entry.get("name"), entry.get("color"), entry.get("key", "")
            if _is_int(key):
                key = _as_text(key) or key
            if not isinstance(name, str) or not name.strip():
                found = "" if name is None else f" ({_shown(name)} is not a name)"
                raise self.fail(f"has no name{found}", "labels", i, item=item)
            item = f"label {_shown(name)}"
            if not isinstance(color, str) or not is_color(color):
                raise self.fail(
                    f"color {_shown(color)} is not of the form '#rrggbb'", "labels", i, item=item
                )
            if not isinstance(key, str):
                raise self.fail(f"key {_shown(key)} is not text", "labels", i, item=item)
            if any(label.name == name for label in labels):
                raise self.fail("is declared twice", "labels", i, item=item)
            if key and any(label.key == key for label in labels):
                raise self.fail(
                    f"key {_shown(key)} is already used by another label", "labels", i, item=item
                )
            labels.append(Label(name, color, key))
        return tuple(labels)

    def read_articles(self, value: Any, labels: Sequence[Label]) -> tuple[ArticleEntry, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail("'articles' must be a list", "articles")
        declared = _declared(labels)
        entries: dict[str, ArticleEntry] = {}
        for i, entry in enumerate(value):
            item = f"article {i + 1}"
            if not isinstance(entry, dict):
                self.report(
                    "must be a mapping with id, file, sha256 and tags", "articles", i, item=item
                )
                continue
            article_id = _as_text(entry.get("id"))
            if not article_id:
                found = (
                    "" if entry.get("id") is None else f" ({_shown(entry.get('id'))} is not an id)"
                )
                self.report(f"has no id{found}", "articles", i, item=item)
                continue
            item = f"article {shorten(article_id, 60)}"
            if article_id in entries:
                self.report("is listed twice; only the first is loaded", "articles", i, item=item)
                continue
            file, sha256 = entry.get("file", f"{article_id}.txt"), entry.get("sha256", "")
            if sha256 is None or _is_int(sha256):
                sha256 = ""  # a digest YAML read as a number (only by hand) matches nothing
            if not isinstance(file, str) or not file:
                self.report(
                    f"file {_shown(file)} is not a file name", "articles", i, "file", item=item
                )
                continue
            if not isinstance(sha256, str):
                self.report(
                    f"sha256 {_shown(sha256)} is not a hex digest",
                    "articles",
                    i,
                    "sha256",
                    item=item,
                )
                continue
            for key in entry:
                if key not in _ARTICLE_KEYS:
                    self.report(f"unknown field {_shown(key)}", "articles", i, key, item=item)
            tags = self.read_tags(entry.get("tags"), article_id, i, labels, declared)
            entries[article_id] = ArticleEntry(article_id, file, sha256, tags)
        return tuple(entries.values())

    def read_tags(
        self, value: Any, article_id: str, i: int, labels: Sequence[Label], declared: str
    ) -> tuple[Tag, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.report(
                "'tags' must be a list",
                "articles",
                i,
                "tags",
                item=f"article {shorten(article_id, 60)}",
            )
            return ()
        names = {label.name for label in labels}
        tags: list[Tag] = []
        seen_ids: set[str] = set()
        for j, entry in enumerate(value):
            tag = self.read_tag(entry, article_id, (i, j), names, declared)
            if tag is None:
                continue
            if tag.id in seen_ids:
                # A copied item: keep it, as a tag of its own.
                tag = _with_id(tag, derive_tag_id(tag, salt=str(j)))
            seen_ids.add(tag.id)
            tags.append(tag)
        return tuple(tags)

    def read_tag(
        self, entry: Any, article_id: str, where: tuple[int, int], names: set[str], declared: str
    ) -> Tag | None:
        i, j = where
        item = f"article {shorten(article_id, 60)}, tag {j + 1}"
        steps = ("articles", i, "tags", j)
        if not isinstance(entry, dict):
            self.report("must be a mapping with label, start, end and quote", *steps, item=item)
            return None
        problems: list[tuple[str, Any]] = []
        label = entry.get("label")
        if not isinstance(label, str) or label not in names:
            problems.append(
                (f"label {_shown(label)} is not declared (declared: {declared})", "label")
            )
        start, end = entry.get("start"), entry.get("end")
        if not _is_int(start) or not _is_int(end):
            problems.append(
                (f"start {_shown(start)} and end {_shown(end)} must be whole numbers", "start")
            )
        elif not 0 <= start < end <= MAX_OFFSET:
            problems.append(
                (
                    f"offsets out of range: start {_shown(start)}, end {_shown(end)} "
                    "(need 0 <= start < end)",
                    "start",
                )
            )
        quote = entry.get("quote")
        if not isinstance(quote, str) or not quote:
            problems.append(("has no quote (the tagged text)", "quote"))
        texts: dict[str, str] = {}
        for key in _TEXT_FIELDS:
            value = entry.get(key, "")
            text = "" if value is None else _as_text(value)
            if text is None:
                problems.append((f"{key} {_shown(value)} is not text", key))
            texts[key] = text or ""
        times: dict[str, str] = {}
        for key in ("created", "modified"):
            stamp = timestamp_from_yaml(entry.get(key))
            if stamp is None or (stamp and not is_timestamp(stamp)):
                problems.append((f"{key} {_shown(entry.get(key))} is not an ISO 8601 time", key))
            times[key] = stamp or ""
        for key in entry:
            if key not in _TAG_KEYS:
                problems.append((f"unknown field {_shown(key)}", key))
        tag_id = _as_text(entry.get("id", ""))
        if tag_id is None:
            problems.append((f"id {_shown(entry.get('id'))} is not text", "id"))
        if problems:
            for reason, key in problems:
                self.report(reason, *steps, *((key,) if key in entry else ()), item=item)
            return None
        # no problems, so every field has its type
        assert isinstance(label, str) and isinstance(quote, str) and tag_id is not None
        assert _is_int(start) and _is_int(end)
        tag = Tag(
            article_id=article_id,
            label=label,
            start=start,
            end=end,
            quote=quote,
            prefix=texts["prefix"],
            suffix=texts["suffix"],
            note=texts["note"],
            annotator=texts["annotator"],
            created=times["created"],
            modified=times["modified"],
            id=tag_id,
            original_quote=texts["original_quote"],
        )
        return tag if tag_id else _with_id(tag, derive_tag_id(tag))


def _declared(labels: Sequence[Label]) -> str:
    names = [shorten(label.name, 30) for label in labels[:12]]
    more = f" and {len(labels) - len(names)} more" if len(labels) > len(names) else ""
    return ", ".join(names) + more


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _with_id(tag: Tag, tag_id: str) -> Tag:
    return replace(tag, id=tag_id)


def derive_tag_id(tag: Tag, salt: str = "") -> str:
    """A stable id for a tag written without one (by hand): the same item gets the same id."""
    key = "\0".join((tag.article_id, str(tag.start), str(tag.end), tag.quote, tag.created, salt))
    return "h" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:11]


# ---------------------------------------------------------------- writing


class _Timestamp(str):
    """Written as a plain YAML timestamp (``2026-11-23T10:00:00Z``), not a quoted string."""


class _FlowMap(dict[str, Any]):
    """Written on one line, as the labels are in the documented example."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # never anchors or aliases: the file is for people too


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # PyYAML writes these line breaks raw inside plain and single-quoted
    # scalars, where the reader folds them into spaces: escape them instead.
    if any(ch in value for ch in "\x85\u2028\u2029"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(
    _Timestamp,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:timestamp", str(value)),
)
_Dumper.add_representer(
    _FlowMap,
    lambda dumper, value: dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True),
)


def tag_sort_key(tag: Tag) -> tuple[int, int, str, str]:
    return (tag.start, tag.end, tag.label, tag.id)


def dump_annotations(
    labels: Sequence[Label],
    articles: Iterable[ArticleEntry],
    corrections: Iterable[Correction] = (),
) -> bytes:
    """The file's bytes: articles sorted by id, tags by offset, keys in schema order.

    Version 2, with ``links`` and ``rejected``, only when there are corrections;
    otherwise the version-1 form, byte for byte as before.
    """
    corrections = sorted(corrections, key=correction_sort_key)
    document = {
        "schema": SCHEMA,
        "version": VERSION if corrections else 1,
        "labels": [_FlowMap(name=label.name, color=label.color, key=label.key) for label in labels],
        "articles": [
            {
                "id": entry.id,
                "file": entry.file,
                "sha256": entry.sha256,
                "tags": [_tag_document(tag) for tag in sorted(entry.tags, key=tag_sort_key)],
            }
            for entry in sorted(articles, key=lambda entry: entry.id)
            if entry.tags
        ],
    }
    for kind in CORRECTION_KINDS if corrections else ():
        document[FILE_KEYS[kind]] = [
            correction_document(c, _Timestamp) for c in corrections if c.kind == kind
        ]
    text = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        encoding=None,
    )
    return _HEADER + text.encode("utf-8")


def _tag_document(tag: Tag) -> dict[str, Any]:
    return {
        "label": tag.label,
        "start": tag.start,
        "end": tag.end,
        "quote": tag.quote,
        "prefix": tag.prefix,
        "suffix": tag.suffix,
        "note": tag.note,
        "annotator": tag.annotator,
        "created": _Timestamp(tag.created) if is_timestamp(tag.created) else tag.created,
        "modified": _Timestamp(tag.modified) if is_timestamp(tag.modified) else tag.modified,
        "id": tag.id,
        # Only while a re-anchored tag awaits the reader's confirmation, so
        # other files keep the version-1 form byte for byte.
        **({"original_quote": tag.original_quote} if tag.original_quote else {}),
    }


# ---------------------------------------------------------------- replacing the file on disk

LOCK_TIMEOUT_SECONDS = 10.0
_TEMP_SUFFIX = ".tmp"
_TEMP_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"


@dataclass(frozen=True)
class FileState:
    """Which version of a file was read: enough to notice that it was replaced or rewritten."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, status: os.stat_result) -> FileState:
        return cls(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


class FileChanged(Exception):
    """The file was replaced by a writer that does not take the lock while a save was staged."""


def save_target(path: Path) -> Path:
    """The file a save of ``path`` really writes: ``path``, or where its symbolic link leads.

    Saving writes through a link, so the link stays and the file it names is
    the one that changes.
    """
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@contextmanager
def save_lock(target: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the advisory lock of ``target`` for one read-merge-replace.

    The lock is ``.<name>.lock`` beside the file (kept, never removed: removing
    it would let two savers lock two different files). Every save by Source
    Reader takes it, in any process, so two saves never interleave. Waits
    while other saves keep changing the file; once it has not changed for
    ``timeout`` seconds (LOCK_TIMEOUT_SECONDS) with the lock still held (a
    hung program), raises TimeoutError. Raises OSError when the lock file
    cannot be made (a read-only folder).
    """
    lock_path = target.with_name(f".{target.name}.lock")
    try:
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except PermissionError:
        # Someone else's lock file: locking needs only a descriptor, not write access.
        handle = os.open(lock_path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        patience = LOCK_TIMEOUT_SECONDS if timeout is None else timeout
        deadline, seen = time.monotonic() + patience, file_state(target)
        while not _try_lock(handle):
            # A program saving in a loop may win the lock again and again
            # (flock is not fair): while its saves land, it is alive; wait on.
            now, state = time.monotonic(), file_state(target)
            if state != seen:
                deadline, seen = now + patience, state
            elif now >= deadline:
                raise TimeoutError(
                    errno.ETIMEDOUT,
                    f"another program has been saving this file for over {patience:g} s",
                )
            time.sleep(0.005)
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        os.close(handle)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: int) -> bool:
        os.lseek(handle, 0, os.SEEK_SET)
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: int) -> None:
        os.lseek(handle, 0, os.SEEK_SET)
        with suppress(OSError):
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)


def file_state(target: Path) -> FileState | None:
    """Which version of the file is there now; None when there is none."""
    try:
        return FileState.of(os.stat(target))
    except FileNotFoundError:
        return None


def read_for_save(target: Path) -> tuple[bytes | None, FileState | None]:
    """The file's bytes and which version they are; (None, None) when there is no file yet."""
    try:
        with open(target, "rb") as stream:
            state = FileState.of(os.fstat(stream.fileno()))
            return stream.read(), state
    except FileNotFoundError:
        return None, None


def why_not_writable(target: Path) -> str | None:
    """Why saving must not replace ``target``, or None when it may.

    A file without write permission is the reader's "do not change this";
    the folder being writable would let a rename replace it anyway, so this
    asks the file itself. The mode bits decide even for root, who may write
    anything: the same file behaves the same for every user.
    """
    try:
        status = os.stat(target)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return "it is not a regular file, so it is not replaced"
    if not status.st_mode & 0o222:
        return (
            f"the file is read-only (mode {stat.S_IMODE(status.st_mode):04o}), so saving is off "
            "and it is left as it is; make it writable (chmod u+w) or save to another file"
        )
    if not os.access(target, os.W_OK):
        return (
            "you have no permission to write this file, so saving is off and it is left as it is; "
            "ask its owner, or save to another file"
        )
    return None


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Delete the temporary files killed saves of ``target`` left beside it; returns them.

    Only our own names (``.<name>.XXXXXXXX.tmp`` and ``.<name>.bak.XXXXXXXX.tmp``)
    are touched. Call while holding ``save_lock(target)``: every live save
    holds it while its temporary file exists, so any such file found then is
    a leftover.
    """
    pattern = re.compile(
        re.escape(f".{target.name}.") + r"(?:bak\.)?[a-z0-9_]{8}" + re.escape(_TEMP_SUFFIX)
    )
    removed = []
    with suppress(OSError):
        for entry in os.scandir(target.parent):
            if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                with suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def write_atomically(
    path: Path, data: bytes, previous: bytes | None, unchanged: Callable[[], bool] | None = None
) -> None:
    """Replace ``path`` with ``data``; keep ``previous`` as ``<name>.bak``.

    Each file is written to a temporary file in the same folder, flushed and
    fsynced, then moved over the old one with ``os.replace``, so a crash or a
    full disk leaves either the old file or the new one, never a torn one.
    The new version is on disk before the backup is touched. Both keep the
    mode (and, where allowed, the owner and group) of the file they replace;
    a new file gets the mode the umask gives (0644 with umask 022), as any
    program's new file does. ``path`` must not be a symbolic link (see
    ``save_target``). With ``unchanged``, asks it once all is staged, just
    before replacing; if it says False, writes nothing and raises FileChanged.
    Raises OSError.
    """
    try:
        current = os.stat(path)
    except FileNotFoundError:
        current = None
    staged = [_stage(path, data, current)]
    try:
        if previous is not None:
            backup = path.with_name(path.name + BACKUP_SUFFIX)
            staged.append(_stage(backup, previous, current))
        if unchanged is not None and not unchanged():
            raise FileChanged(path)
        if previous is not None:
            os.replace(staged[-1], backup)
        os.replace(staged[0], path)
    except BaseException:
        for name in staged:
            with suppress(OSError):
                os.unlink(name)
        raise
    _sync_folder(path.parent)


def _stage(target: Path, data: bytes, like: os.stat_result | None) -> str:
    handle, name = _new_temporary(target, like)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        with suppress(OSError):
            os.unlink(name)
        raise
    return name


def _new_temporary(target: Path, like: os.stat_result | None) -> tuple[int, str]:
    """An open, empty temporary file beside ``target`` with the mode ``like`` has.

    Without ``like`` it is created 0666 so the umask decides, as for any new
    file; with it, created 0600 and given ``like``'s owner and mode before any
    data goes in.
    """
    flags = (
        os.O_WRONLY
        | os.O_CREAT
        | os.O_EXCL
        | getattr(os, "O_BINARY", 0)
        | getattr(os, "O_CLOEXEC", 0)
    )
    for _ in range(100):
        suffix = "".join(secrets.choice(_TEMP_LETTERS) for _ in range(8))
        name = str(target.with_name(f".{target.name}.{suffix}{_TEMP_SUFFIX}"))
        try:
            handle = os.open(name, flags, 0o600 if like is not None else 0o666)
        except FileExistsError:
            continue
        if like is not None:
            try:
                _copy_owner_and_mode(handle, name, like)
            except BaseException:
                os.close(handle)
                with suppress(OSError):
                    os.unlink(name)
                raise
        return handle, name
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(target.parent))


def _copy_owner_and_mode(handle: int, name: str, like: os.stat_result) -> None:
    if hasattr(os, "fchown") and (like.st_uid, like.st_gid) != (os.geteuid(), os.getegid()):
        # A group-shared file stays in its group; only root may also keep its owner.
        with suppress(OSError):
            os.fchown(handle, like.st_uid, like.st_gid)
        with suppress(OSError):
            os.fchown(handle, -1, like.st_gid)
    mode = stat.S_IMODE(like.st_mode)
    if hasattr(os, "fchmod"):
        os.fchmod(handle, mode)
    else:  # pragma: no cover - Windows before Python 3.13
        os.chmod(name, mode)


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open folders.
    with suppress(OSError, AttributeError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def describe_os_error(error: OSError) -> str:
    """A person's words for why a save failed."""
    code = error.errno
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"the folder is read-only or not writable ({error.strerror})"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "the disk is full"
    if code == errno.EISDIR:
        return "it is a folder, not a file"
    if code == errno.ENOENT:
        return "its folder does not exist"
    return error.strerror or str(error)
