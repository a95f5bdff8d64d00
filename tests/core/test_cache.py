"""The cache on disk: reused when the text is the same, never trusted when damaged."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import reader.core.articles as articles_module
from reader.core import cache as cache_module
from reader.core.articles import load_corpus
from reader.core.cache import FILE_NAME, TextCache
from reader.core.sentences import split_sentences


@pytest.fixture
def private_cache(tmp_path, monkeypatch) -> Path:
    """A fresh cache folder for this test, and a count of calls to the splitter."""
    where = tmp_path / "cache"
    monkeypatch.setenv("SOURCE_READER_CACHE", str(where))
    monkeypatch.setattr(cache_module, "_caches", {})
    return where


@pytest.fixture
def splits(monkeypatch) -> list[str]:
    calls: list[str] = []

    def counting(text: str):
        calls.append(text)
        return split_sentences(text)

    monkeypatch.setattr(articles_module, "split_sentences", counting)
    return calls


def open_folder(folder: Path, monkeypatch) -> list:
    """Load and split every article as a new process would (no memory of earlier runs)."""
    monkeypatch.setattr(cache_module, "_caches", {})
    corpus = load_corpus(folder)
    return [article.sentences for article in corpus.articles]


def test_reopening_a_folder_does_not_split_again(folder, private_cache, splits, monkeypatch):
    first = open_folder(folder, monkeypatch)
    assert len(splits) == 5
    second = open_folder(folder, monkeypatch)
    assert len(splits) == 5, "the second open split again"
    assert second == first
    assert (private_cache / FILE_NAME).exists()


def test_an_edited_file_is_read_again_alone(folder, private_cache, splits, monkeypatch):
    open_folder(folder, monkeypatch)
    edited = sorted(folder.glob("*.txt"))[2]
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\nA new closing line.\n", encoding="utf-8"
    )
    sentences = open_folder(folder, monkeypatch)
    assert len(splits) == 6 and "A new closing line." in splits[-1]
    assert sentences[2][-1].text == "A new closing line."


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong_version"])
def test_a_damaged_or_outdated_cache_is_rebuilt_without_error(
    folder, private_cache, splits, monkeypatch, damage
):
    expected = open_folder(folder, monkeypatch)
    cache_module.default_cache().close()
    db = private_cache / FILE_NAME
    if damage == "garbage":
        db.write_bytes(b"this is not a database at all" * 100)
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    elif damage == "truncated":
        data = db.read_bytes()
        db.write_bytes(data[: len(data) // 3] + b"\x00garbage" * 50)
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    else:
        with sqlite3.connect(db) as connection:
            connection.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
    again = open_folder(folder, monkeypatch)
    assert again == expected
    assert len(splits) == 10, "a damaged cache was trusted instead of rebuilt"
    open_folder(folder, monkeypatch)
    assert len(splits) == 10, "the rebuilt cache is not used"


def test_a_row_whose_spans_do_not_fit_the_text_is_recomputed(
    folder, private_cache, splits, monkeypatch
):
    expected = open_folder(folder, monkeypatch)
    with sqlite3.connect(private_cache / FILE_NAME) as connection:
        connection.execute("UPDATE texts SET spans = x'0100000000000000ffffff0000000000'")
    assert open_folder(folder, monkeypatch) == expected
    assert len(splits) == 10


def test_two_processes_on_one_cache_at_once(tmp_path):
    where = tmp_path / "shared-cache"
    script = textwrap.dedent(
        f"""
        import sys
        from reader.core.cache import TextCache
        from reader.core.sentences import split_sentences
        cache = TextCache({str(where)!r} and __import__("pathlib").Path({str(where)!r}))
        for n in range(150):
            text = f"Story {{n}} begins here. It goes on for a while.\\nAnd ends {{n % 7}}."
            stats = cache.stats(text, split_sentences)
            assert len(stats.spans) == 3, stats
        print("ok")
        """
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0 and out.strip() == "ok", err
    with sqlite3.connect(where / FILE_NAME) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*) FROM texts").fetchone()[0] == 150
    reread = TextCache(where)
    assert reread.stats(
        "Story 3 begins here. It goes on for a while.\nAnd ends 3.", lambda t: []
    ).spans


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_READER_CACHE", "off")
    assert cache_module.cache_folder() is None
    assert cache_module.cache_folder(tmp_path) == tmp_path
