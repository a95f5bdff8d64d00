"""Read a file's bytes only if it is a regular file of a sane size.

A named pipe would block the reader forever, and a link to ``/dev/zero`` or
``/dev/urandom`` would be read until memory runs out; neither is an article
or an annotation file. Every file Source Reader reads goes through
``read_regular_file`` with the limit for its kind.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Far above any real file of its kind (a news article is 5-50 KB; 10,000
# tags are about 4 MB), low enough that reading and parsing one stays within
# seconds and a few hundred MB. docs/annotations.md gives the figures.
ARTICLE_FILE_LIMIT = 32 * 2**20
ANNOTATION_FILE_LIMIT = 16 * 2**20

# O_NONBLOCK: opening a named pipe that no one writes to returns at once
# instead of waiting for a writer (it changes nothing for regular files).
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_KINDS = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISCHR, "is a character device, not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)


class NotARegularFile(Exception):
    """The file is not one to read: ``reason`` says why in a person's words."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def read_regular_file(path: Path | str, limit: int, kind: str = "file") -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises NotARegularFile when ``path`` (after following links) is a folder,
    a named pipe, a device or a socket, or holds more than ``limit`` bytes;
    the reason names the limit for ``kind`` files ("the 16 MB limit for
    annotation files"). Never blocks on a pipe and never reads more than
    ``limit + 1`` bytes. OSError (FileNotFoundError, PermissionError …)
    passes through unchanged.
    """
    path = Path(path)
    # Look before opening: opening some devices has effects of its own.
    _check(path, os.stat(path), limit, kind)
    handle = os.open(path, _OPEN_FLAGS)
    try:
        # What was opened may not be what was looked at a moment ago.
        info = os.fstat(handle)
        _check(path, info, limit, kind)
        chunks: list[bytes] = []
        total = 0
        while True:
            # Ask for the whole file at once; a file growing meanwhile is read on, up to the limit.
            chunk = os.read(handle, max(min(info.st_size - total + 1, limit + 1 - total), 1))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise NotARegularFile(path, _too_large(total, limit, kind, growing=True))
    finally:
        os.close(handle)
    return b"".join(chunks) if len(chunks) != 1 else chunks[0]


def describe_limit(limit: int, kind: str) -> str:
    """ "the 16 MB limit for annotation files"."""
    return f"the {_size(limit)} limit for {kind} files"


def _check(path: Path, info: os.stat_result, limit: int, kind: str) -> None:
    for test, reason in _KINDS:
        if test(info.st_mode):
            raise NotARegularFile(path, reason + _link_note(path))
    if not stat.S_ISREG(info.st_mode):
        raise NotARegularFile(path, "is not a regular file" + _link_note(path))
    if info.st_size > limit:
        raise NotARegularFile(path, _too_large(info.st_size, limit, kind))


def _link_note(path: Path) -> str:
    if not path.is_symlink():
        return ""
    return f" (it is a link to {os.path.realpath(path)})"


def _too_large(size: int, limit: int, kind: str, growing: bool = False) -> str:
    what = f"grew past {_size(limit)} while being read" if growing else f"is {_size(size)}"
    return f"{what}, larger than {describe_limit(limit, kind)}; it was not read"


def _size(count: int) -> str:
    if count >= 2**30:
        return f"{count / 2**30:.1f} GB"
    if count >= 2**20:
        return f"{count / 2**20:.0f} MB" if count % 2**20 == 0 else f"{count / 2**20:.1f} MB"
    return f"{count / 2**10:.0f} KB" if count >= 2**10 else f"{count} bytes"
