"""News input: the story and its source (outlet, date, author) out of HTML, Markdown and text.

HTML pages go through trafilatura, the maintained extractor for news pages:
it keeps the story's main text and drops navigation, asides, footers, cookie
and subscription banners, scripts and related-story lists, and reads the
title, site name, author and publication date from ``<meta>``, JSON-LD and
the page (the date through htmldate). When it finds no main text, the
page's whole visible text is shown instead, with a warning.

Markdown goes through markdown-it-py (CommonMark) to plain text: each
heading a line of its own (so the aligner's subheading rule sees it),
emphasis, links and code reduced to their text, list items kept as ``- ``
lines (so the furniture rules still see a "Read more" list).

Text and Markdown may begin with front matter: YAML between ``---`` lines
with ``title``, ``outlet``, ``date``, ``author`` and ``url``. It is never
part of the shown text; bad front matter is a warning, not a failure.
Without a title there, the headline is the first line that is not a
dateline, byline or site furniture.

Every function here is pure: text in, ``Extract`` out.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from itertools import pairwise
from typing import Any

from reader.core.furniture import _PROMPT, _bare

FRONT_MATTER_KEYS = ("title", "outlet", "date", "author", "url")


@dataclass(frozen=True)
class Extract:
    """What an article file holds: the text the reader shows, and where the story comes from."""

    text: str
    title: str = ""
    outlet: str = ""
    author: str = ""
    date: str = ""  # ISO 8601 (YYYY-MM-DD) when it could be read as a date
    url: str = ""
    warnings: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "date": self.date,
            "url": self.url,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, data: Any) -> Extract | None:
        """The extract stored as ``data``, or None when it is not one (a damaged cache row)."""
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            return None
        fields = {key: data.get(key, "") for key in ("title", "outlet", "author", "date", "url")}
        warnings = data.get("warnings", [])
        if (
            not all(isinstance(v, str) for v in fields.values())
            or not isinstance(warnings, list)
            or not all(isinstance(w, str) for w in warnings)
        ):
            return None
        return cls(data["text"], **fields, warnings=tuple(warnings))


# ------------------------------------------------------------------ HTML


def extract_html(html: str) -> Extract:
    """The story of a news page and its metadata; the visible text (with a warning) when no story is found."""
    import trafilatura  # imported here: it takes ~0.3 s, and text-only folders never need it

    document = None
    try:
        document = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
        )
    except Exception:
        document = None
    extracted = getattr(document, "text", None) or ""
    # The page's visible text costs as much as the extraction: read it only when needed.
    visible = html_visible_text(html) if not extracted.strip() or _broken(extracted) else ""
    text = _paragraphs(_rejoin(extracted, visible) if visible else extracted)
    meta = Extract(
        "",
        title=_clean(getattr(document, "title", None)),
        outlet=_clean(getattr(document, "sitename", None)),
        author=_clean(getattr(document, "author", None)),
        date=_iso(getattr(document, "date", None)),
        url=_clean(getattr(document, "url", None)),
    )
    if not text.strip():
        text, h1 = _visible(html)
        if not text.strip():
            return replace(meta, text=text)
        return replace(
            meta,
            text=text,
            title=meta.title or h1 or headline(text),
            warnings=(
                "the page's main text could not be found; showing all of its visible "
                "text (menus and footers included)",
            ),
        )
    return replace(meta, text=text, title=meta.title or headline(text))


_CONTINUES = re.compile(r"^[a-z.,;:!?)\]»”’]")


def _broken(extracted: str) -> bool:
    """Whether a line of ``extracted`` seems to continue the one before (begins in lower case or with punctuation)."""
    lines = [line.strip() for line in extracted.split("\n") if line.strip()]
    return any(_CONTINUES.match(line) and not line.startswith("- ") for line in lines[1:])


def _rejoin(extracted: str, visible: str) -> str:
    """``extracted`` with lines broken at inline elements joined again.

    On short pages trafilatura's fallback breaks a paragraph at ``<b>``, ``<a>``...
    ("They met on the" / "tarmac" / "."). Two lines are one when, joined, they
    are still within one block of the page's visible text.
    """
    lines = [line.strip() for line in extracted.split("\n") if line.strip()]
    if len(lines) < 2:
        return "\n".join(lines)
    merged = [lines[0]]
    for line in lines[1:]:
        for separator in (" ", ""):
            joined = merged[-1] + separator + line
            if joined in visible:
                merged[-1] = joined
                break
        else:
            merged.append(line)
    return "\n".join(merged)


def _paragraphs(extracted: str) -> str:
    """trafilatura's lines as the reader's paragraphs: blank lines between blocks, list items kept together."""
    lines = [line.strip() for line in extracted.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    out = [lines[0]]
    for previous, line in pairwise(lines):
        out.append(("\n" if _is_item(previous) and _is_item(line) else "\n\n") + line)
    return "".join(out) + "\n"


def _is_item(line: str) -> bool:
    return line.startswith("- ")


class _VisibleText(HTMLParser):
    _HIDDEN = frozenset({"script", "style", "head", "title", "noscript", "template", "svg"})
    _BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "section",
            "article",
            "header",
            "footer",
            "blockquote",
            "tr",
            "table",
            "pre",
            "figcaption",
            "nav",
            "aside",
            "main",
            "dt",
            "dd",
            "hr",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0
        self.h1: list[str] | None = None  # the first <h1>'s text, as it is read
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1" and self.h1 is None:
            self.h1, self._in_h1 = [], True
        if tag in self._HIDDEN:
            self._hidden_depth += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False
        if tag in self._HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(re.sub(r"\s+", " ", data))
            if self._in_h1 and self.h1 is not None:
                self.h1.append(data)


def _visible(html: str) -> tuple[str, str]:
    """(the page's visible text, its first ``<h1>``'s text)."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    paragraphs = [line for line in lines if line]
    return "\n\n".join(paragraphs) + "\n", " ".join("".join(parser.h1 or ()).split())


def html_visible_text(html: str) -> str:
    """The text a browser would show, one block element per paragraph (menus and footers included)."""
    return _visible(html)[0]


# ------------------------------------------------------------------ Markdown and text


def extract_markdown(source: str) -> Extract:
    """A Markdown article as plain text, with its front matter's metadata and a headline."""
    meta, body, warnings = split_front_matter(source)
    return _with_meta(markdown_text(body), meta, warnings)


def extract_text(source: str) -> Extract:
    """A text article: the file minus any front matter, with its metadata and a headline."""
    meta, body, warnings = split_front_matter(source)
    return _with_meta(body, meta, warnings)


def _with_meta(text: str, meta: dict[str, str], warnings: tuple[str, ...]) -> Extract:
    date = meta.get("date", "")
    byline = _byline_author(text)
    return Extract(
        text,
        title=meta.get("title") or headline(text),
        outlet=meta.get("outlet", ""),
        author=meta.get("author") or byline,
        date=(_iso(date) or date) if date else dateline_date(text),
        url=meta.get("url", ""),
        warnings=warnings,
    )


def markdown_text(source: str) -> str:
    """Markdown rendered to the text a reader sees: one paragraph per block, list items on lines of their own."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    blocks: list[tuple[str, bool]] = []  # (text, is a list item)
    lists: list[list[int | None]] = []  # per open list: the next number (None: bullets)
    item_prefix: str | None = None
    cells: list[str] = []
    in_cell = False
    for token in tokens:
        kind = token.type
        if kind in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = kind.endswith("_open")
        elif kind == "bullet_list_open":
            lists.append([None])
        elif kind == "ordered_list_open":
            lists.append([int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            number = lists[-1][0] if lists else None
            item_prefix = "- " if number is None else f"{number}. "
            if number is not None:
                lists[-1][0] = number + 1
        elif kind == "inline" and token.children is not None:
            text = _inline_text(token.children).strip()
            if in_cell:
                cells.append(text)
                continue
            if text:
                if item_prefix is not None:
                    blocks.append((item_prefix + text, True))
                    item_prefix = None
                else:
                    blocks.append((text, bool(lists)))
        elif kind in ("fence", "code_block"):
            code = token.content.strip("\n")
            if code.strip():
                blocks.append((code, False))
        elif kind == "html_block":
            shown = html_visible_text(token.content).strip()
            if shown:
                blocks.append((shown, False))
        elif kind == "tr_close":
            if any(cells):
                blocks.append((" | ".join(cells), False))
            cells = []
    out: list[str] = []
    for i, (text, item) in enumerate(blocks):
        if i:
            out.append("\n" if item and blocks[i - 1][1] else "\n\n")
        out.append(text)
    return "".join(out) + "\n" if out else ""


def _inline_text(children: list[Any]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        # images, raw inline HTML, emphasis and link markers add no text
    return "".join(parts)


_FENCE = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(source: str) -> tuple[dict[str, str], str, tuple[str, ...]]:
    """(metadata, text without the front matter, warnings) of ``source``.

    Front matter is YAML between a first line ``---`` and the next ``---``
    (or ``...``) line. The block is never shown; keys other than
    ``title``, ``outlet``, ``date``, ``author`` and ``url`` are ignored.
    """
    import yaml

    match = _FENCE.match(source)
    if match is None:
        return {}, source, ()
    body = source[match.end() :].lstrip("\n")
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        return (
            {},
            body,
            (f"front matter is not valid YAML{where}; its title, outlet and date are ignored",),
        )
    if data is None:
        return {}, body, ()
    if not isinstance(data, dict):
        return {}, body, ("front matter is not a mapping of keys to values; it is ignored",)
    meta: dict[str, str] = {}
    warnings: list[str] = []
    for key in FRONT_MATTER_KEYS:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, (_dt.date, _dt.datetime)):
            meta[key] = value.isoformat()[:10] if key == "date" else value.isoformat()
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            meta[key] = " ".join(str(value).split())
        elif key == "author" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            meta[key] = "; ".join(value)
        else:
            warnings.append(f"front matter {key!r} is not text; it is ignored")
    return meta, body, tuple(warnings)


# ------------------------------------------------------------------ headline, dateline, byline

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_NUMBER = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?"
_DATE_FORMS = (
    re.compile(
        rf"(?P<month>{_MONTHS})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})", re.I
    ),
    re.compile(
        rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTHS})\.?,?\s+(?P<year>\d{{4}})", re.I
    ),
    re.compile(r"(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})"),
)
_YEAR_DIGITS = re.compile(r"\d{4}")
_TIME = re.compile(
    r"\b\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,4}|UTC[+-]?\d*|GMT[+-]?\d*))?", re.I
)
_DATE_WORDS = re.compile(
    r"\b(?:published|updated|posted|last|modified|on|at|am|pm|a\.m|p\.m|"
    r"utc|gmt|cet|cest|est|edt|pst|pdt|bst|kst|ist|" + _WEEKDAY + r")\b",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:by|written\s+by|words\s+by|reporting\s+by|von|par|por|di)\s+(?P<name>[^\W\d_][^|•·]*)",
    re.I,
)
_NAV_SEPARATOR = re.compile(r"\s[|›»>/]\s")


def _find_date(line: str) -> tuple[str, re.Match[str]] | None:
    for form in _DATE_FORMS:
        found = form.search(line)
        if found is None:
            continue
        parts = found.groupdict()
        month = (
            int(parts["mnum"])
            if parts.get("mnum")
            else _MONTH_NUMBER.get(parts["month"].lower().rstrip("."), 0)
        )
        try:
            day = _dt.date(int(parts["year"]), month, int(parts["day"]))
        except ValueError:
            continue
        return day.isoformat(), found
    return None


def _is_dateline(line: str) -> str | None:
    """The ISO date when ``line`` is only a date (with weekday, time, "Updated"...), else None."""
    # Checked first because they are cheap: every form of date has a four-digit year.
    if len(line) > 80 or _YEAR_DIGITS.search(line) is None:
        return None
    found = _find_date(line)
    if found is None:
        return None
    iso, match = found
    rest = line[: match.start()] + " " + line[match.end() :]
    rest = _TIME.sub(" ", rest)
    rest = _DATE_WORDS.sub(" ", rest)
    return iso if not re.sub(r"[\W_]+", "", rest) else None


def _is_byline(line: str) -> bool:
    return _BYLINE.match(line) is not None and len(line.split()) <= 12


def _is_furniture(line: str) -> bool:
    bare = _bare(line)
    if not bare or _PROMPT.match(bare):
        return True
    segments = [s for s in _NAV_SEPARATOR.split(line) if s.strip()]
    # "Home | World | Sport" or "News › World › Europe": a menu or breadcrumb, not a headline.
    return len(segments) >= 3 and all(len(s.split()) <= 3 for s in segments)


def _lines(text: str, limit: int = 12) -> list[str]:
    found = []
    for line in text.split("\n"):
        if line.strip():
            found.append(line.strip())
            if len(found) >= limit:
                break
    return found


def headline(text: str) -> str:
    """The article's title: its first line that is not a dateline, byline or site furniture.

    Falls back to the first line when every early line is one of those.
    """
    lines = _lines(text)
    for line in lines:
        if _is_dateline(line) or _is_byline(line) or _is_furniture(line):
            continue
        return line
    return lines[0] if lines else ""


def dateline_date(text: str) -> str:
    """The ISO date of a dateline among the article's first lines, or ""."""
    for line in _lines(text, 6):
        iso = _is_dateline(line)
        if iso:
            return iso
    return ""


def _byline_author(text: str) -> str:
    for line in _lines(text, 6):
        if _is_byline(line):
            name = _BYLINE.match(line).group("name")  # type: ignore[union-attr]
            return re.split(r",|\s[-–—]\s", name)[0].strip()
    return ""


def _clean(value: Any) -> str:
    return " ".join(str(value).split()) if value else ""


def _iso(value: Any) -> str:
    """``value`` as YYYY-MM-DD when it begins with an ISO date or is a written date, else ""."""
    if not value:
        return ""
    text = str(value).strip()
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if found:
        try:
            return _dt.date(*(int(g) for g in found.groups())).isoformat()
        except ValueError:
            return ""
    written = _find_date(text)
    return written[0] if written else ""


__all__ = [
    "Extract",
    "dateline_date",
    "extract_html",
    "extract_markdown",
    "extract_text",
    "headline",
    "html_visible_text",
    "markdown_text",
    "split_front_matter",
]
