"""Load articles and corpora from disk.

Every offset in Source Reader is a code-point offset into ``Article.text``:
the file decoded (UTF-8 without BOM; a line that is not UTF-8 as cp1252),
newlines normalized to ``\\n``, then for HTML the story's main text, for
Markdown its rendered text, and for text and Markdown the file without its
front matter (see ``reader.core.news``). Where the story comes from (outlet,
date, author, address) is read alongside.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from reader.core.news import (
    Extract,
    extract_html,
    extract_markdown,
    extract_text,
    headline,
)
from reader.core.safe_read import ARTICLE_FILE_LIMIT, NotARegularFile, read_regular_file
from reader.core.sentences import Sentence

# re-exported: the corpus index and the tests reach it through this module
from reader.core.sentences import split_sentences as split_sentences

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


class ArticleError(Exception):
    """An article could not be read. The message names the file and the problem."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass(frozen=True)
class Article:
    id: str
    path: Path
    title: str
    text: str
    sha256: str = ""  # of the file, or of the shown text when that is not the whole file
    warnings: tuple[str, ...] = ()
    outlet: str = ""  # the site or publication, "" when unknown
    date: str = ""  # publication date, ISO (YYYY-MM-DD) when known, else as written or ""
    author: str = ""
    url: str = ""

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        # Splitting is the slow part of loading: the cache on disk remembers it per text.
        from reader.core.cache import default_cache

        return default_cache().stats(self.text, split_sentences).sentences(self.text)

    @cached_property
    def word_count(self) -> int:
        return len(_WORD.findall(self.text))

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing character ``offset``, if any."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None


@dataclass(frozen=True)
class LoadProblem:
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Corpus:
    """Articles sorted by file name, and the files that could not be loaded."""

    folder: Path | None
    articles: tuple[Article, ...]
    problems: tuple[LoadProblem, ...] = field(default=())

    @property
    def name(self) -> str:
        if self.folder is not None:
            return self.folder.name
        return ", ".join(article.path.name for article in self.articles)

    def article(self, article_id: str) -> Article:
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)


def article_from_text(text: str, article_id: str = "text", path: Path | str = "") -> Article:
    """An article made from text already in memory (tests, generated input)."""
    text = normalize_newlines(text)
    return Article(
        id=article_id,
        path=Path(path or f"{article_id}.txt"),
        title=headline(text),
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def load_article(path: Path | str) -> Article:
    """Read one article file. Raises ArticleError naming the file and the problem.

    An empty file is an article with no text (it aligns to nothing); a
    corpus lists it as a problem instead, since there is nothing to read.
    """
    path = Path(path)
    if not path.exists():
        raise ArticleError(path, "no such file")
    if path.is_dir():
        raise ArticleError(path, "is a folder, not an article file")
    try:
        raw = read_regular_file(path, ARTICLE_FILE_LIMIT, "article")
    except NotARegularFile as error:
        raise ArticleError(path, error.reason) from None
    except OSError as error:
        raise ArticleError(path, f"cannot be read ({error.strerror or error})") from None
    if _looks_binary(raw):
        raise ArticleError(path, "is a binary file, not text")
    text, warnings = _decode(raw)
    text = normalize_newlines(text)
    digest = hashlib.sha256(raw).hexdigest()
    found = _extract(path.suffix.lower(), text, digest)
    if found.text != text:
        # Offsets recorded on the old text of this file (the whole page, the raw
        # Markdown) must not be trusted on the new one: a different hash makes
        # annotations re-anchor by quote.
        digest = hashlib.sha256(found.text.encode("utf-8", "surrogatepass")).hexdigest()
    return Article(
        id=path.stem,
        path=path,
        title=found.title,
        text=found.text,
        sha256=digest,
        warnings=tuple(warnings) + found.warnings,
        outlet=found.outlet,
        date=found.date,
        author=found.author,
        url=found.url,
    )


def _extract(suffix: str, text: str, file_digest: str) -> Extract:
    if suffix in (".html", ".htm"):
        # Extracting a page takes milliseconds; the cache remembers it per file content.
        from reader.core.cache import default_cache

        return default_cache().extract(file_digest, lambda: extract_html(text))
    if suffix == ".md":
        return extract_markdown(text)
    return extract_text(text)


def load_corpus(folder: Path | str) -> Corpus:
    """Load every article file in ``folder``; bad files become problems, not errors."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ArticleError(folder, "is not a folder" if folder.exists() else "no such folder")
    paths = sorted(
        # Not only regular files: a pipe or device named like an article is
        # reported, not passed over (a dangling link, such as an editor's lock, is).
        (
            p
            for p in folder.iterdir()
            if p.suffix.lower() in ARTICLE_SUFFIXES and p.exists() and not p.is_dir()
        ),
        key=lambda p: p.name,
    )
    articles, problems = _load_all(paths)
    return Corpus(folder=folder, articles=articles, problems=problems)


def load_files(paths: Iterable[Path | str]) -> Corpus:
    """Load the given files as a corpus of their own, sorted by file name."""
    files = sorted((Path(p) for p in paths), key=lambda p: p.name)
    articles, problems = _load_all(files)
    folders = {p.parent for p in files}
    folder = folders.pop() if len(folders) == 1 else None
    return Corpus(folder=folder, articles=articles, problems=problems)


def _load_all(paths: list[Path]) -> tuple[tuple[Article, ...], tuple[LoadProblem, ...]]:
    articles, problems = [], []
    for path in paths:
        try:
            article = load_article(path)
        except ArticleError as error:
            problems.append(LoadProblem(error.path, error.reason))
            continue
        if article.text.strip():
            articles.append(article)
        else:
            html = path.suffix.lower() in (".html", ".htm")
            problems.append(LoadProblem(path, "has no visible text" if html else "is empty"))
    return tuple(articles), tuple(problems)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in (9, 10, 12, 13))


def _looks_binary(raw: bytes) -> bool:
    if b"\x00" in raw[:65536]:
        return True
    sample = raw[:4096]
    # Control characters other than tab/newline/carriage return/form feed are
    # rare in text in any encoding; a file made mostly of them is not an article.
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control > len(sample) * 0.1


_NAMED_LINES = 5  # a warning names this many bad lines, then counts the rest


def _decode(raw: bytes) -> tuple[str, list[str]]:
    """The text of ``raw``, and a warning naming the lines not read as UTF-8.

    Each line is decoded on its own: a line that is valid UTF-8 stays UTF-8,
    and only a line that is not is read as Windows-1252 (cp1252), the usual
    encoding of text pasted from a legacy editor. Decoding the whole file as
    cp1252 because of one such line would garble every other non-ASCII
    character ("Café" becomes "CafÃ©"). UTF-8 never puts CR or LF bytes
    inside a character, so splitting the bytes at line ends is safe.
    """
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark
    parts: list[str] = []
    bad: list[int] = []
    for number, line in enumerate(raw.splitlines(keepends=True), start=1):
        try:
            parts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append(line.decode("cp1252", errors="replace"))
            bad.append(number)
    named = ", ".join(str(number) for number in bad[:_NAMED_LINES])
    if len(bad) == 1:
        where = f"line {named} is"
    elif len(bad) <= _NAMED_LINES:
        where = f"lines {named} are"
    else:
        where = f"lines {named} and {len(bad) - _NAMED_LINES:,} more ({len(bad):,} lines) are"
    warning = (
        f"{where} not valid UTF-8; read as Windows-1252 (cp1252), so some characters may be wrong"
    )
    return "".join(parts), [warning]
