"""Sentence spans and word stems of article texts, kept on disk between runs.

Splitting into sentences (pysbd) is most of the cost of opening a folder, and
weighing words needs every article's stems; neither changes unless the text
does. So both are stored per text, keyed by the SHA-256 of the decoded text
and a fingerprint of the code that computes them (``sentences.py`` and
``words.py``): an edited file, or a new splitter, simply misses and is
computed again, alone.

The store is one SQLite file in the user's cache folder
(``platformdirs.user_cache_dir("source-reader")``), or in the folder named by
``SOURCE_READER_CACHE`` (``off`` disables it), or one given by the caller.
News pages are stored the same way: the story's text and metadata extracted
from an HTML file (``extract``), keyed by the SHA-256 of the file's bytes and
a fingerprint of the extraction code and library versions. Sentence vectors of
the related-link model (``embedding.py``) are stored per sentence text and
model identity (``vectors``, ``store_vectors``), so a warm ``align`` never
loads the model.

WAL mode and one connection per thread and process let a window and the CLI
use it at once. Nothing read from it is trusted: a file that is not a
database, or of another schema version, is rebuilt; a row whose spans do not
fit its text is recomputed; any database error makes the cache step aside
rather than fail a load.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import sqlite3
import threading
import time
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from reader.core import news as _news_module
from reader.core import sentences as _sentences_module
from reader.core import words as _words_module
from reader.core.news import Extract
from reader.core.sentences import Sentence
from reader.core.words import content_stems

ENV = "SOURCE_READER_CACHE"
SCHEMA_VERSION = 1
FILE_NAME = "articles.sqlite3"
_MEMORY_ENTRIES = 8192
_T = TypeVar("_T")
_BUSY_TIMEOUT_MS = 15_000
# SQLite answers some lock conflicts at once, without waiting in its busy handler:
# switching a new database to WAL while another connection writes it is "database
# is locked" immediately. Such an error means "try again", never "damaged": the
# cache once took it for damage and deleted the database another process was
# writing (its vectors were lost, its reads mixed two files). Pauses between tries:
_LOCKED_PAUSES_S = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 1.0, 2.0, 2.0, 3.0)
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
# SQLite's default limit on host parameters is 999 in old builds.
_IN_CHUNK = 500
# Corpora whose word rarity is kept (a folder of 1,000 articles: ~1 MB each).
_CORPORA_KEPT = 16


@dataclass(frozen=True)
class TextStats:
    """What a text costs to compute: its sentence spans and each sentence's content stems."""

    spans: tuple[tuple[int, int], ...]
    stems: tuple[tuple[str, ...], ...]

    def sentences(self, text: str) -> tuple[Sentence, ...]:
        return tuple(
            Sentence(i, start, end, text[start:end]) for i, (start, end) in enumerate(self.spans)
        )


def compute_stats(text: str, split: Callable[[str], Sequence[Sentence]]) -> TextStats:
    """Split ``text`` with ``split`` and stem each sentence (no cache)."""
    found = split(text)
    return TextStats(
        tuple((s.start, s.end) for s in found),
        tuple(tuple(content_stems(s.text)) for s in found),
    )


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def cache_folder(folder: Path | str | None = None) -> Path | None:
    """Where the cache lives: ``folder``, else ``$SOURCE_READER_CACHE``, else the platform's; None when off."""
    value = str(folder) if folder is not None else os.environ.get(ENV, "")
    if value.strip().lower() == "off":
        return None
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("source-reader"))


def _code_fingerprint() -> str:
    """Changes whenever the code that makes spans or stems changes."""
    digest = hashlib.sha256(str(SCHEMA_VERSION).encode())
    for module in (_sentences_module, _words_module):
        try:
            digest.update(Path(module.__file__ or "").read_bytes())
        except OSError:
            digest.update(module.__name__.encode())
    return digest.hexdigest()[:16]


def _extract_fingerprint() -> str:
    """Changes whenever the code or a library that extracts news pages changes."""
    digest = hashlib.sha256(str(SCHEMA_VERSION).encode())
    try:
        digest.update(Path(_news_module.__file__ or "").read_bytes())
    except OSError:
        digest.update(_news_module.__name__.encode())
    from importlib import metadata

    for package in ("trafilatura", "htmldate", "justext", "lxml", "markdown-it-py"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    return digest.hexdigest()[:16]


class _PerThread:
    """Each thread's own database connection (sqlite3 connections are per thread), kept by
    the operating system's thread: not a threading.local, which lives in the Python thread
    state, and a thread of Qt's pool gets a new one for each job. The window opened a
    connection per batch of pairs (about 1,700 for a 1,000-article folder, each a write
    transaction to check the schema), and left each to the garbage collector to close."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # thread id -> (the process that opened it: a fork must open its own, the connection)
        self._connections: dict[int, tuple[int, sqlite3.Connection | None]] = {}

    def get(self) -> tuple[int | None, sqlite3.Connection | None]:
        with self._lock:
            return self._connections.get(threading.get_ident(), (None, None))

    def set(self, connection: sqlite3.Connection | None) -> None:
        with self._lock:
            self._connections[threading.get_ident()] = (os.getpid(), connection)


class TextCache:
    """Sentence spans and stems per text, in memory and in one SQLite file.

    ``folder`` None keeps everything in memory only.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME if folder is not None else None
        self.fingerprint = _code_fingerprint()
        self._memory: OrderedDict[str, TextStats] = OrderedDict()
        self._extracts: OrderedDict[str, Extract] = OrderedDict()
        self._extract_code: str | None = None
        self._memory_lock = threading.Lock()
        self._local = _PerThread()
        self._disabled = self.path is None

    # -- the one call loaders make ---------------------------------------------
    def stats(self, text: str, split: Callable[[str], Sequence[Sentence]]) -> TextStats:
        """The spans and stems of ``text``: remembered, stored, or computed with ``split`` and stored."""
        digest = text_digest(text)
        with self._memory_lock:
            known = self._memory.get(digest)
            if known is not None:
                self._memory.move_to_end(digest)
                return known
        stats = self._read(digest, text)
        if stats is None:
            stats = compute_stats(text, split)
            self._write(digest, stats)
        self._remember(digest, stats)
        return stats

    def stats_many(
        self,
        texts: Sequence[str],
        split: Callable[[str], Sequence[Sentence]],
        workers: int | None = None,
    ) -> list[TextStats]:
        """``stats`` of each text; the texts not yet known are split in ``workers`` processes (cold start)."""
        workers = workers if workers is not None else (os.cpu_count() or 1)
        missing = [text for text in dict.fromkeys(texts) if not self._known(text)]
        if workers > 1 and len(missing) >= 16 and "fork" in multiprocessing.get_all_start_methods():
            global _FORKED_SPLIT
            _FORKED_SPLIT = split
            try:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    computed = pool.map(_compute_forked, missing, chunksize=4)
            finally:
                _FORKED_SPLIT = None
            for text, stats in zip(missing, computed, strict=True):
                digest = text_digest(text)
                self._write(digest, stats)
                self._remember(digest, stats)
        return [self.stats(text, split) for text in texts]

    def extract(self, file_digest: str, compute: Callable[[], Extract]) -> Extract:
        """The story extracted from the file whose bytes hash to ``file_digest``: remembered,
        stored, or ``compute()``d and stored."""
        with self._memory_lock:
            known = self._extracts.get(file_digest)
            if known is not None:
                self._extracts.move_to_end(file_digest)
                return known
        if self._extract_code is None:
            self._extract_code = _extract_fingerprint()
        found = self._read_extract(file_digest)
        if found is None:
            found = compute()
            self._write_extract(file_digest, found)
        with self._memory_lock:
            self._extracts[file_digest] = found
            while len(self._extracts) > _MEMORY_ENTRIES:
                self._extracts.popitem(last=False)
        return found

    def _read_extract(self, file_digest: str) -> Extract | None:
        row = self._attempt(
            lambda connection: connection.execute(
                "SELECT value FROM extracts WHERE digest = ? AND code = ?",
                (file_digest, self._extract_code),
            ).fetchone(),
            None,
        )
        if row is None:
            return None
        try:
            return Extract.from_json(json.loads(row[0]))
        except (ValueError, TypeError):
            return None  # a damaged row is extracted again

    def _write_extract(self, file_digest: str, found: Extract) -> None:
        row = (file_digest, self._extract_code, json.dumps(found.as_json(), ensure_ascii=False))
        self._attempt(
            lambda connection: connection.execute(
                "INSERT OR REPLACE INTO extracts VALUES (?, ?, ?)", row
            ),
            None,
        )

    def _known(self, text: str) -> bool:
        digest = text_digest(text)
        with self._memory_lock:
            if digest in self._memory:
                return True
        stats = self._read(digest, text)
        if stats is not None:
            self._remember(digest, stats)
        return stats is not None

    def _remember(self, digest: str, stats: TextStats) -> None:
        with self._memory_lock:
            self._memory[digest] = stats
            while len(self._memory) > _MEMORY_ENTRIES:
                self._memory.popitem(last=False)

    # -- sentence vectors ----------------------------------------------------------
    def vectors(self, model: str, digests: Sequence[bytes], size: int) -> dict[bytes, bytes]:
        """The stored vectors (``size`` bytes each) of ``digests`` under ``model``.

        Only rows that pass their checksum and have the right size come back:
        a damaged row is simply missing, so the caller computes it again.
        """
        if not digests:
            return {}
        wanted = list(dict.fromkeys(digests))

        def read(connection: sqlite3.Connection) -> dict[bytes, bytes]:
            found: dict[bytes, bytes] = {}
            for start in range(0, len(wanted), _IN_CHUNK):
                chunk = wanted[start : start + _IN_CHUNK]
                rows = connection.execute(
                    "SELECT digest, value, crc FROM vectors WHERE model = ? AND digest IN"
                    f" ({','.join('?' * len(chunk))})",
                    (model, *chunk),
                ).fetchall()
                for digest, value, crc in rows:
                    if (
                        isinstance(value, bytes)
                        and isinstance(digest, bytes)
                        and len(value) == size
                        and crc == _vector_check(digest, value)
                    ):
                        found[digest] = value
            return found

        return self._attempt(read, {})

    def store_vectors(self, model: str, rows: Sequence[tuple[bytes, bytes]]) -> None:
        """Store ``(digest, vector bytes)`` rows under ``model``, in one transaction."""
        if not rows:
            return
        values = [(model, digest, value, _vector_check(digest, value)) for digest, value in rows]

        def store(connection: sqlite3.Connection) -> None:
            with _transaction(connection):
                connection.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", values)

        self._attempt(store, None)

    # -- values of a whole corpus ------------------------------------------------------
    def corpus_value(self, key: str) -> str | None:
        """The text stored under ``key`` for a corpus (its word rarity), or None."""
        row = self._attempt(
            lambda connection: connection.execute(
                "SELECT value FROM corpora WHERE key = ?", (key,)
            ).fetchone(),
            None,
        )
        return row[0] if row is not None and isinstance(row[0], str) else None

    def store_corpus_value(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``; only the most recent few corpora are kept."""

        def store(connection: sqlite3.Connection) -> None:
            with _transaction(connection):
                connection.execute(
                    "INSERT OR REPLACE INTO corpora VALUES (?, ?, strftime('%s', 'now'))",
                    (key, value),
                )
                connection.execute(
                    "DELETE FROM corpora WHERE key NOT IN"
                    " (SELECT key FROM corpora ORDER BY stored DESC LIMIT ?)",
                    (_CORPORA_KEPT,),
                )

        self._attempt(store, None)

    # -- the database ------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection | None:
        if self._disabled:
            return None
        pid, connection = self._local.get()
        if pid == os.getpid() and connection is not None:
            return connection
        try:
            connection = self._open()
        except (sqlite3.Error, OSError):
            connection = None
            self._disabled = True  # a cache that cannot be opened steps aside
        self._local.set(connection)
        return connection

    def _open(self) -> sqlite3.Connection:
        assert self.path is not None and self.folder is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        for pause in (*_LOCKED_PAUSES_S, None):
            try:
                return self._open_checked()
            except sqlite3.DatabaseError as error:
                if _is_busy(error):
                    if pause is None:
                        raise  # still busy after ~10 s: step aside, delete nothing
                    time.sleep(pause)
                    continue
                # Not a database, or damaged: start a new one rather than trust it.
                self._remove_files()
                return self._open_checked()
        raise AssertionError("unreachable")

    def _open_checked(self) -> sqlite3.Connection:
        assert self.path is not None
        connection = sqlite3.connect(
            self.path,
            timeout=_BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
                row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if row is None or row[0] != str(SCHEMA_VERSION):
                    connection.execute("DROP TABLE IF EXISTS texts")
                    connection.execute("DROP TABLE IF EXISTS extracts")
                    connection.execute("DROP TABLE IF EXISTS vectors")
                    connection.execute("DROP TABLE IF EXISTS corpora")
                    connection.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
                    )
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS texts ("
                    " digest TEXT NOT NULL, code TEXT NOT NULL, spans BLOB NOT NULL, stems TEXT NOT NULL,"
                    " PRIMARY KEY (digest, code))"
                )
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS extracts ("
                    " digest TEXT NOT NULL, code TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (digest, code))"
                )
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS corpora ("
                    " key TEXT PRIMARY KEY, value TEXT NOT NULL, stored INTEGER NOT NULL)"
                )
                # A checksum per row: a vector damaged on disk still looks like numbers.
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS vectors ("
                    " model TEXT NOT NULL, digest BLOB NOT NULL, value BLOB NOT NULL,"
                    " crc INTEGER NOT NULL, PRIMARY KEY (model, digest)) WITHOUT ROWID"
                )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("SELECT count(*) FROM texts WHERE digest = ''").fetchone()
        except BaseException:
            connection.close()
            raise
        return connection

    def _remove_files(self) -> None:
        assert self.path is not None
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(self.path) + suffix).unlink()

    def _read(self, digest: str, text: str) -> TextStats | None:
        row = self._attempt(
            lambda connection: connection.execute(
                "SELECT spans, stems FROM texts WHERE digest = ? AND code = ?",
                (digest, self.fingerprint),
            ).fetchone(),
            None,
        )
        if row is None:
            return None
        return _decode(row[0], row[1], len(text))

    def _write(self, digest: str, stats: TextStats) -> None:
        flat = array("q", [offset for span in stats.spans for offset in span])
        stems = "\n".join(" ".join(sentence) for sentence in stats.stems)
        row = (digest, self.fingerprint, flat.tobytes(), stems)
        self._attempt(
            lambda connection: connection.execute(
                "INSERT OR REPLACE INTO texts VALUES (?, ?, ?, ?)", row
            ),
            None,
        )

    def _attempt(self, work: Callable[[sqlite3.Connection], _T], failed: _T) -> _T:
        """``work(connection)``, tried again while another process holds a lock; ``failed``
        when there is no database or it fails otherwise (then the cache steps aside)."""
        connection = self._connection()
        if connection is None:
            return failed
        for pause in (*_LOCKED_PAUSES_S, None):
            try:
                return work(connection)
            except sqlite3.Error as error:
                if pause is None or not _is_busy(error):
                    break
                time.sleep(pause)
        self._step_aside()
        return failed

    def _step_aside(self) -> None:
        """A database error mid-run: work without the disk for the rest of this process."""
        self._disabled = True

    def close(self) -> None:
        pid, connection = self._local.get()
        if connection is not None and pid == os.getpid():
            connection.close()
            self._local.set(None)


def _is_busy(error: sqlite3.Error) -> bool:
    """Whether ``error`` says another connection holds a lock (try again), not damage."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return isinstance(error, sqlite3.OperationalError) and "locked" in str(error)


@contextlib.contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken at once (BEGIN IMMEDIATE), rolled back on any error."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _decode(spans_blob: bytes, stems_text: str, length: int) -> TextStats | None:
    """Spans and stems from a row, or None when they cannot belong to a text of ``length``."""
    try:
        flat = array("q")
        flat.frombytes(spans_blob)
    except (ValueError, TypeError):
        return None
    if len(flat) % 2:
        return None
    spans = tuple((flat[k], flat[k + 1]) for k in range(0, len(flat), 2))
    previous_end = 0
    for start, end in spans:
        if not previous_end <= start < end <= length:
            return None
        previous_end = end
    stems = tuple(tuple(line.split()) for line in stems_text.split("\n")) if spans else ()
    if len(stems) != len(spans):
        return None
    return TextStats(spans, stems)


def _vector_check(digest: bytes, value: bytes) -> int:
    """A row's checksum: of its key and its value, so a value under another key fails too."""
    return zlib.crc32(value, zlib.crc32(digest))


# The splitter forked workers inherit (a function need not be picklable then).
_FORKED_SPLIT: Callable[[str], Sequence[Sentence]] | None = None


def _compute_forked(text: str) -> TextStats:
    assert _FORKED_SPLIT is not None
    return compute_stats(text, _FORKED_SPLIT)


_caches: dict[Path | None, TextCache] = {}
_caches_lock = threading.Lock()


def default_cache(folder: Path | str | None = None) -> TextCache:
    """The process's cache for ``folder`` (default: ``cache_folder()``, read now, so tests can point it elsewhere)."""
    where = cache_folder(folder)
    with _caches_lock:
        cache = _caches.get(where)
        if cache is None:
            cache = _caches[where] = TextCache(where)
        return cache
