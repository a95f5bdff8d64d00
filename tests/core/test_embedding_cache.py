"""Sentence vectors kept on disk: a second run finds them and never loads the model."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pytest

from reader.core import cache as cache_module
from reader.core import embedding
from reader.core.align import RELATED, Aligner
from reader.core.cache import FILE_NAME, TextCache
from tests.core.test_alignment_quality import seeds

needs_model = pytest.mark.skipif(
    embedding.unavailable_reason() is not None, reason=str(embedding.unavailable_reason())
)
SEED_A, SEED_B = "001_de25de7d48a037bb", "004_d641075c740f0b50"


@pytest.fixture
def private_cache(tmp_path, monkeypatch) -> Path:
    """A fresh cache folder, and a process that has loaded no model and remembers no vector."""
    where = tmp_path / "cache"
    monkeypatch.setenv("SOURCE_READER_CACHE", str(where))
    monkeypatch.setattr(cache_module, "_caches", {})
    embedding.use_model_files(None)
    yield where
    embedding.use_model_files(None)


def new_process(monkeypatch) -> list[int]:
    """Forget the loaded model and every vector in memory, as a new process would; count the
    encoders built and sentences encoded from now on (``[encoders, sentences]``)."""
    monkeypatch.setattr(cache_module, "_caches", {})
    embedding.use_model_files(None)
    counts = [0, 0]
    real_init, real_encode = embedding.SentenceEncoder.__init__, embedding.SentenceEncoder.encode

    def init(self, files):
        counts[0] += 1
        real_init(self, files)
        counts[1] = 0  # the probe sentence of a load is not the caller's work

    def encode(self, texts):
        counts[1] += len(texts)
        return real_encode(self, texts)

    monkeypatch.setattr(embedding.SentenceEncoder, "__init__", init)
    monkeypatch.setattr(embedding.SentenceEncoder, "encode", encode)
    return counts


def related(corpus=None):
    corpus = corpus or seeds()
    a = next(x for x in corpus if x.id == SEED_A)
    b = next(x for x in corpus if x.id == SEED_B)
    return Aligner(corpus).align(a, b, kinds=(RELATED,))


@needs_model
def test_a_warm_run_gives_the_same_links_without_loading_the_model(private_cache, monkeypatch):
    cold_counts = new_process(monkeypatch)
    cold = related()
    assert cold, "the seed pair has related links"
    assert cold_counts[0] == 1 and cold_counts[1] > 0
    warm_counts = new_process(monkeypatch)
    warm = related()
    assert warm == cold
    assert warm_counts == [0, 0], "the warm run built the encoder or encoded a sentence"


@needs_model
@pytest.mark.parametrize("damage", ["flipped_byte", "short", "not_a_unit_vector", "other_key"])
def test_a_damaged_vector_row_is_computed_again(private_cache, monkeypatch, damage):
    new_process(monkeypatch)
    cold = related()
    cache_module.default_cache().close()
    with sqlite3.connect(private_cache / FILE_NAME) as connection:
        rows = connection.execute("SELECT model, digest, value FROM vectors").fetchall()
        assert len(rows) > 2
        model, digest, value = rows[0]
        if damage == "flipped_byte":
            value = value[:100] + bytes([value[100] ^ 0x40]) + value[101:]
            crc = zlib.crc32(rows[0][2], zlib.crc32(digest))  # the old checksum
        elif damage == "short":
            value = value[:-4]
            crc = zlib.crc32(value, zlib.crc32(digest))
        elif damage == "not_a_unit_vector":
            value = bytes(len(value))  # all zeros, with a checksum that fits
            crc = zlib.crc32(value, zlib.crc32(digest))
        else:  # another sentence's vector, checksum and all, under this key
            value, crc = rows[1][2], zlib.crc32(rows[1][2], zlib.crc32(rows[1][1]))
        connection.execute(
            "UPDATE vectors SET value = ?, crc = ? WHERE model = ? AND digest = ?",
            (value, crc, model, digest),
        )
    counts = new_process(monkeypatch)
    assert related() == cold
    assert counts == [1, 1], "exactly the damaged sentence is encoded again"


@needs_model
def test_another_model_does_not_reuse_the_vectors(private_cache, monkeypatch, tmp_path):
    new_process(monkeypatch)
    related()
    files = embedding.default_files()
    tokenizer = tmp_path / "tokenizer.json"
    tokenizer.write_text(files.tokenizer.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    before = embedding.model_identity()
    counts = new_process(monkeypatch)
    embedding.use_model_files(embedding.ModelFiles(files.model, tokenizer))
    assert embedding.model_identity() != before
    related()
    assert counts[0] == 1 and counts[1] > 0


@needs_model
def test_a_warm_cli_align_never_imports_the_model_runtime(tmp_path):
    """End to end in fresh processes, as a user runs it twice."""
    seeds_folder = Path(__file__).resolve().parents[2] / "seeds"
    script = textwrap.dedent(
        f"""
        import sys
        from reader.cli import main
        code = main(["align", {str(seeds_folder / (SEED_A + ".txt"))!r},
                     {str(seeds_folder / (SEED_B + ".txt"))!r}, "--json"])
        print("onnxruntime" in sys.modules, file=sys.stderr)
        sys.exit(code)
        """
    )
    env = {**__import__("os").environ, "SOURCE_READER_CACHE": str(tmp_path / "cache")}
    outputs = []
    for _ in range(2):
        run = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
        )
        assert run.returncode == 0, run.stderr
        outputs.append((run.stdout, run.stderr.strip().splitlines()[-1]))
    (cold, cold_loaded), (warm, warm_loaded) = outputs
    assert '"kind": "related"' in cold
    assert warm == cold
    assert (cold_loaded, warm_loaded) == ("True", "False")


def test_two_processes_store_vectors_at_once(tmp_path):
    where = tmp_path / "shared-cache"
    script = textwrap.dedent(
        f"""
        import hashlib
        from pathlib import Path
        from reader.core.cache import TextCache
        cache = TextCache(Path({str(where)!r}))
        for n in range(60):
            rows = [(hashlib.sha256(f"{{n}}-{{k}}".encode()).digest()[:16], bytes([k % 256]) * 1536)
                    for k in range(50)]
            cache.store_vectors("model-x", rows)
            found = cache.vectors("model-x", [d for d, _ in rows], 1536)
            assert len(found) == 50, len(found)
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
        assert connection.execute("SELECT count(*) FROM vectors").fetchone()[0] == 3000
    assert len(TextCache(where).vectors("model-x", [b"nope"], 1536)) == 0


def test_a_cache_opened_while_another_process_writes_waits_and_deletes_nothing(
    tmp_path, monkeypatch
):
    # Another process is creating the shared database: it holds a write lock on a new
    # file. SQLite answers the switch to WAL "database is locked" at once (no busy
    # wait); the cache once took that for damage and deleted the other's database.
    where = tmp_path / "shared-cache"
    where.mkdir()
    other = sqlite3.connect(where / FILE_NAME, isolation_level=None)
    other.execute("CREATE TABLE probe (x)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO probe VALUES (1)")
    waited: list[float] = []

    def pause(seconds: float) -> None:  # the cache's pause before trying again
        waited.append(seconds)
        if other.in_transaction:
            other.execute("COMMIT")  # the other process is done

    monkeypatch.setattr(time, "sleep", pause)
    cache = TextCache(where)
    rows = [(bytes([k]) * 16, bytes([k]) * 1536) for k in range(50)]
    cache.store_vectors("model-x", rows)
    assert waited  # the lock was met, and waited out
    assert len(cache.vectors("model-x", [d for d, _ in rows], 1536)) == 50
    # The other process's write is still in the one database both use.
    other.close()
    with sqlite3.connect(where / FILE_NAME) as connection:
        assert connection.execute("SELECT count(*) FROM probe").fetchone()[0] == 1
        assert connection.execute("SELECT count(*) FROM vectors").fetchone()[0] == 50


def test_a_write_meeting_a_lock_is_tried_again_not_dropped(tmp_path, monkeypatch):
    where = tmp_path / "shared-cache"
    cache = TextCache(where)
    connection = cache._connection()
    assert connection is not None
    connection.execute("PRAGMA busy_timeout = 0")  # the lock is met at once, not waited in SQLite
    other = sqlite3.connect(where / FILE_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing
    monkeypatch.setattr(
        time, "sleep", lambda seconds: other.execute("COMMIT") if other.in_transaction else None
    )
    cache.store_vectors("model-x", [(b"x" * 16, b"y" * 1536)])
    other.close()
    assert cache.vectors("model-x", [b"x" * 16], 1536) == {b"x" * 16: b"y" * 1536}


@needs_model
def test_vectors_embedded_in_worker_processes_are_the_models_and_are_stored(
    private_cache, monkeypatch
):
    from reader.core.articles import article_from_text
    from reader.core.corpus_generator import generate_articles

    texts = []
    for made in generate_articles(6, seed=2, prose=False):
        texts += [s.text for s in article_from_text(made.text, made.name).sentences]
    texts = list(dict.fromkeys(texts))[:40]
    monkeypatch.setattr(embedding, "_STORE_EVERY", 8)  # small enough to fork for 40 sentences
    monkeypatch.setattr(embedding, "_FORK_CHUNK", 8)
    counts = new_process(monkeypatch)
    assert embedding.embed_in_processes(texts, workers=2)
    assert counts == [0, 0], "the parent process encoded, not its workers"
    forked = embedding.sentence_vectors(texts)
    assert counts == [0, 0]
    in_process = embedding.encoder().encode(texts)
    assert float((forked * in_process).sum(axis=1).min()) > 1 - 1e-5
    counts = new_process(monkeypatch)
    assert (embedding.sentence_vectors(texts) == forked).all() and counts == [0, 0]
