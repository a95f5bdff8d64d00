"""Hostile and broken annotation and article files (issue #10).

Each must end in a short message naming the file (exit 2 in the CLI), or, for
one bad tag in an otherwise good file, a warning naming that tag while the
rest loads; the file is never changed; nothing hangs or eats the memory.

Cases that hung or exhausted memory before are run in a child process with
its address space limited to 1 GB; the child's timeout is a hang guard (a
hung child fails the test instead of the whole suite), not a timing check.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import threading
from contextlib import suppress
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.annotation_commands import AddTag
from reader.core.annotations import AnnotationError, AnnotationStore
from reader.core.articles import ArticleError, load_article, load_corpus

ARTICLE = "004_d641075c740f0b50"
OTHER = "003_6be4897fac851f08"
MEMORY_LIMIT = 1 << 30
HANG_GUARD_S = 60
needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and /dev are POSIX")


def run_limited(*args: str) -> subprocess.CompletedProcess:
    """``source-reader ARGS`` in a child process limited to 1 GB of memory."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_S,
        preexec_fn=limit_memory,
    )


def assert_short_failure(result: subprocess.CompletedProcess, *words: str) -> None:
    """Exit 2 and a message of a line or two, no traceback."""
    err = result.stderr
    assert result.returncode == 2, err[-2000:]
    assert "Traceback" not in err and 0 < len(err.strip().splitlines()) <= 2, err[-2000:]
    assert len(err) < 600, err[:600]
    for word in words:
        assert word in err, err


@pytest.fixture
def fifo(tmp_path):
    """Make a named pipe; if a reader still blocks on it after the hang guard, release it."""
    made: list[Path] = []

    def make(path: Path) -> Path:
        os.mkfifo(path)
        made.append(path)
        return path

    def release() -> None:
        for path in made:
            with suppress(OSError):  # no reader waiting: nothing to release
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    guard = threading.Timer(HANG_GUARD_S, release)
    guard.daemon = True
    guard.start()
    yield make
    guard.cancel()


def good_file(folder: Path) -> Path:
    """An annotation file with three tags on ARTICLE, written by Source Reader."""
    store = AnnotationStore.open(folder / "annotations.yaml", load_corpus(folder))
    article = store.corpus.article(ARTICLE)
    for index, label in ((2, "claim"), (4, "context"), (6, "opinion")):
        sentence = article.sentences[index]
        AddTag(store.make_tag(ARTICLE, sentence.start, sentence.end, label)).do(store)
    store.save()
    return store.path


def spoil_last_tag(path: Path, key: str, value: str) -> bytes:
    """Set ``key: value`` in the third tag by hand; returns the new bytes."""
    head, sep, tail = path.read_text(encoding="utf-8").rpartition("  - label: opinion\n")
    lines = tail.splitlines(keepends=True)
    lines = [line for line in lines if not line.startswith(f"    {key}:")]
    text = head + sep + f"    {key}: {value}\n" + "".join(lines)
    path.write_text(text, encoding="utf-8")
    return path.read_bytes()


# ------------------------------------------------------------ aliases: the billion laughs

LAUGHS = "".join(
    [f"_a: &a [{','.join(['lol'] * 9)}]\n"]
    + [
        f"_{name}: &{name} [{','.join(['*' + prev] * 9)}]\n"
        for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
    ]
)
BOMB_PLACES = {
    "schema": "{laughs}schema: *i\nversion: 1\n",
    "version": "schema: source-reader/annotations\n{laughs}version: *i\n",
    "labels": "schema: source-reader/annotations\nversion: 1\n{laughs}labels: *i\n",
    "sha256": "schema: source-reader/annotations\nversion: 1\n{laughs}articles:\n- id: {a}\n  sha256: *i\n",
    "file": "schema: source-reader/annotations\nversion: 1\n{laughs}articles:\n- id: {a}\n  file: *i\n",
    "label": "schema: source-reader/annotations\nversion: 1\n{laughs}articles:\n- id: {a}\n  tags:\n"
    "  - {{label: *i, start: 0, end: 5, quote: hello}}\n",
    "start": "schema: source-reader/annotations\nversion: 1\n{laughs}articles:\n- id: {a}\n  tags:\n"
    "  - {{label: claim, start: *i, end: 5, quote: hello}}\n",
    "note": "schema: source-reader/annotations\nversion: 1\n{laughs}articles:\n- id: {a}\n  tags:\n"
    "  - {{label: claim, start: 0, end: 5, quote: hello, note: *i}}\n",
    "created": "schema: source-reader/annotations\nversion: 1\n{laughs}articles:\n- id: {a}\n  tags:\n"
    "  - {{label: claim, start: 0, end: 5, quote: hello, created: *i}}\n",
}


@pytest.mark.parametrize("place", sorted(BOMB_PLACES))
def test_an_alias_bomb_in_any_field_is_refused_at_once(folder, place):
    path = folder / "annotations.yaml"
    path.write_text(BOMB_PLACES[place].format(laughs=LAUGHS, a=ARTICLE), encoding="utf-8")
    before = path.read_bytes()
    assert len(before) < 1000
    result = run_limited("export", str(path), "--format", "csv")
    assert_short_failure(result, str(path), "alias")
    assert path.read_bytes() == before


def test_a_harmless_alias_is_refused_too_with_its_line(folder):
    path = good_file(folder)
    text = path.read_text(encoding="utf-8").replace("annotator: ''", "annotator: &me Ana", 1)
    text = text.replace("annotator: ''", "annotator: *me", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AnnotationError) as caught:
        AnnotationStore.open(path, load_corpus(folder))
    assert caught.value.line == text.splitlines().index("    annotator: &me Ana") + 1
    assert "anchor" in caught.value.reason and "not allowed" in caught.value.reason


def test_ampersands_and_asterisks_in_text_are_not_aliases(folder):
    path = good_file(folder)
    spoil_last_tag(path, "note", "S&P 500 *rose*, &amp; so did *the Dow")
    store = AnnotationStore.open(path, load_corpus(folder))
    assert store.problems == ()
    assert [tag.note for tag in store.all_tags()][-1] == "S&P 500 *rose*, &amp; so did *the Dow"


LONG_LIST = "[" + ", ".join(["a long value"] * 20_000) + "]"


@pytest.mark.parametrize(
    "key, value",
    [
        ("start", LONG_LIST),
        ("created", LONG_LIST),
        ("note", LONG_LIST),
        ("label", "x" * 100_000),
        ("? " + "c" * 100_000 + "\n    ", "blue"),  # a key that long must be an explicit one
    ],
)
def test_a_long_bad_value_is_quoted_briefly(folder, key, value):
    path = good_file(folder)
    before = spoil_last_tag(path, key, value)
    store = AnnotationStore.open(path, load_corpus(folder))
    problems = [str(problem) for problem in store.problems]
    assert len(problems) == 1 and len(problems[0]) < 300, problems[0][:1000]
    assert "tag 3" in problems[0] and key.strip("? ")[:20] in problems[0]
    assert len(store.all_tags()) == 2 and path.read_bytes() == before


# ------------------------------------------------------------ values of the wrong type


@pytest.mark.parametrize(
    "key, value",
    [
        ("start", "!!int abc"),
        ("start", "!!float abc"),
        ("end", "!!int 99999999999999999999999999999999999999999999999999" + "9" * 5000),
        ("created", "2026-02-30T10:00:00Z"),
        ("created", "2026-01-01T10:00:00+25:00"),
        ("created", "!!timestamp garbage"),
        ("modified", "0001-01-01T00:00:00+01:00"),
        ("modified", "9999-12-31T23:59:59-01:00"),
        ("label", "!!bool maybe"),
        ("note", "!!binary 'not base64 at all'"),
    ],
)
def test_a_value_of_the_wrong_type_is_a_warning_for_its_tag_and_the_rest_loads(folder, key, value):
    path = good_file(folder)
    before = spoil_last_tag(path, key, value)
    store = AnnotationStore.open(path, load_corpus(folder))
    assert len(store.all_tags()) == 2
    problems = [str(problem) for problem in store.problems]
    assert len(problems) == 1 and store.partial
    assert (
        str(path) in problems[0]
        and f"article {ARTICLE}, tag 3" in problems[0]
        and key in problems[0]
    )
    assert len(problems[0]) < 300
    assert path.read_bytes() == before


def test_the_cli_prints_a_warning_for_a_tag_with_a_broken_time(folder, capsys):
    path = good_file(folder)
    before = spoil_last_tag(path, "created", "!!timestamp garbage")
    assert main(["export", str(path), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert err.count("warning:") == 1 and "created" in err and "tag 3" in err
    assert out.count("\n") == 3  # header and the two good tags
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "text, words",
    [
        ("schema: source-reader/annotations\nversion: !!int abc\n", ["version", "abc"]),
        ("schema: !!float abc\nversion: 1\n", ["schema", "abc"]),
        (
            "schema: source-reader/annotations\nversion: 1\nlabels:\n- {name: !!timestamp x, color: '#000000'}\n",
            ["label 1", "name"],
        ),
    ],
)
def test_a_wrong_type_in_a_field_of_the_whole_file_refuses_it_with_exit_2(
    folder, capsys, text, words
):
    path = folder / "annotations.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["export", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and str(path) in err
    for word in words:
        assert word in err


# ------------------------------------------------------------ files that are not regular files


@needs_posix
def test_a_named_pipe_as_annotation_file_is_refused_without_waiting(folder, fifo):
    path = fifo(folder / "annotations.yaml")
    with pytest.raises(AnnotationError, match="named pipe"):
        AnnotationStore.open(path, load_corpus(folder))
    result = run_limited("export", str(path))
    assert_short_failure(result, str(path), "named pipe", "not a regular file")


@needs_posix
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_a_device_as_annotation_file_is_refused(folder, device):
    path = folder / "annotations.yaml"
    path.symlink_to(device)
    result = run_limited("export", str(path))
    assert_short_failure(result, str(path), "not a regular file", device)
    assert path.is_symlink() and os.readlink(path) == device


def test_an_annotation_file_over_the_size_limit_is_refused_naming_the_limit(folder):
    from reader.core.safe_read import ANNOTATION_FILE_LIMIT

    path = folder / "annotations.yaml"
    with path.open("wb") as stream:
        stream.write(b"schema: source-reader/annotations\nversion: 1\n#")
        stream.truncate(ANNOTATION_FILE_LIMIT + 1)
    with pytest.raises(AnnotationError) as caught:
        AnnotationStore.open(path, load_corpus(folder))
    assert f"{ANNOTATION_FILE_LIMIT // 2**20} MB limit for annotation files" in caught.value.reason
    assert path.stat().st_size == ANNOTATION_FILE_LIMIT + 1


@needs_posix
def test_align_refuses_a_named_pipe_without_waiting(folder, fifo):
    pipe = fifo(folder / "pipe.txt")
    result = run_limited("align", str(pipe), str(folder / f"{ARTICLE}.txt"))
    assert_short_failure(result, str(pipe), "named pipe")


@needs_posix
def test_align_refuses_a_link_to_a_device(folder):
    noise = folder / "noise.txt"
    noise.symlink_to("/dev/urandom")
    result = run_limited("align", str(folder / f"{ARTICLE}.txt"), str(noise))
    assert_short_failure(result, str(noise), "not a regular file")


def test_an_article_over_the_size_limit_is_refused_naming_the_limit(tmp_path):
    from reader.core.safe_read import ARTICLE_FILE_LIMIT

    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.write(b"Headline\n\nText.\n")
        stream.truncate(ARTICLE_FILE_LIMIT + 1)
    with pytest.raises(ArticleError) as caught:
        load_article(path)
    assert f"{ARTICLE_FILE_LIMIT // 2**20} MB limit for article files" in caught.value.reason


@needs_posix
def test_a_pipe_or_device_in_a_corpus_folder_is_reported_by_name_and_the_rest_loads(folder, fifo):
    fifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    corpus = load_corpus(folder)
    assert len(corpus.articles) == 5
    reasons = {problem.path.name: problem.reason for problem in corpus.problems}
    assert set(reasons) == {"pipe.txt", "zero.txt"}
    assert "named pipe" in reasons["pipe.txt"] and "/dev/zero" in reasons["zero.txt"]


# ------------------------------------------------------------ many problems


def test_thousands_of_bad_tags_print_a_summary_not_a_line_each(folder, capsys):
    path = good_file(folder)
    head, sep, tail = path.read_text(encoding="utf-8").rpartition("  - label: opinion\n")
    bad_tag = sep.replace("opinion", "rumour") + tail.split("\n- id:")[0]
    path.write_text(head + sep + tail + "".join([bad_tag] * 2000), encoding="utf-8")
    assert main(["export", str(path), "--format", "csv"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert 3 <= len(err) <= 12, err[:20]
    assert "rumour" in err[0]
    assert re.search(r"and [\d,]+ more", err[-1]), err[-1]


def test_a_small_file_of_countless_tiny_tags_is_refused_naming_the_limit(folder):
    from reader.core.annotation_file import MAX_TAGS_SUPPORTED, MAX_VALUES, parse_annotations
    from reader.core.safe_read import ANNOTATION_FILE_LIMIT

    tiny = "  - {label: claim, start: 0, end: 7, quote: Tuesday}\n"
    count = (
        MAX_VALUES // 10 + 1
    )  # a tiny tag is ten parser events: its mapping begins and ends, 4 keys, 4 values
    raw = (
        f"schema: source-reader/annotations\nversion: 1\narticles:\n- id: {ARTICLE}\n  tags:\n"
        + tiny * count
    ).encode("utf-8")
    assert len(raw) < ANNOTATION_FILE_LIMIT
    with pytest.raises(AnnotationError) as caught:
        parse_annotations(raw, folder / "annotations.yaml")
    assert (
        f"about {MAX_TAGS_SUPPORTED:,} tags" in caught.value.reason
        and "limit" in caught.value.reason
    )
