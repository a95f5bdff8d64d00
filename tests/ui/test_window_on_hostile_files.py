"""The window starts on hostile or broken annotation files and says what is wrong (issue #10)."""

from __future__ import annotations

import os
import re
import threading
from contextlib import suppress

import pytest

from reader.core.annotation_commands import AddTag
from reader.core.annotations import AnnotationStore
from reader.core.articles import load_corpus

ARTICLE = "004_d641075c740f0b50"
HANG_GUARD_S = 60


def write_tags(folder, spoil: str = "") -> bytes:
    """Three tags on ARTICLE; ``spoil`` replaces the third tag's 'created' line."""
    store = AnnotationStore.open(folder / "annotations.yaml", load_corpus(folder))
    article = store.corpus.article(ARTICLE)
    for index, label in ((2, "claim"), (4, "context"), (6, "opinion")):
        sentence = article.sentences[index]
        AddTag(store.make_tag(ARTICLE, sentence.start, sentence.end, label)).do(store)
    store.save()
    text = store.path.read_text(encoding="utf-8")
    if spoil:
        head, sep, tail = text.rpartition("  - label: opinion\n")
        start = tail.index("    created:")
        end = tail.index("\n", start)
        text = head + sep + tail[:start] + f"    created: {spoil}" + tail[end:]
    store.path.write_text(text, encoding="utf-8")
    return store.path.read_bytes()


@pytest.mark.parametrize(
    "spoil", ["!!timestamp garbage", "2026-02-30T10:00:00Z", "2026-01-01T10:00:00+25:00"]
)
def test_the_window_starts_on_a_tag_with_a_broken_time_and_names_it(
    make_window, corpus_dir, dialogs, spoil
):
    before = write_tags(corpus_dir, spoil)
    window = make_window([corpus_dir])
    assert window.tagging.store is not None
    assert len(window.tagging.store.all_tags()) == 2
    assert dialogs.kinds() == ["warning"]
    text = dialogs.texts()
    assert "tag 3" in text and "created" in text and "Traceback" not in text
    assert "files were skipped" not in text  # they are tags, not files
    window.close()
    assert (corpus_dir / "annotations.yaml").read_bytes() == before


def test_thousands_of_bad_tags_are_summed_up_in_one_short_dialog(make_window, corpus_dir, dialogs):
    write_tags(corpus_dir)
    path = corpus_dir / "annotations.yaml"
    text = path.read_text(encoding="utf-8")
    head, sep, tail = text.rpartition("  - label: opinion\n")
    path.write_text(
        head + sep + tail + (sep.replace("opinion", "rumour") + tail) * 3000, encoding="utf-8"
    )
    window = make_window([corpus_dir])
    assert dialogs.kinds() == ["warning"]
    lines = dialogs.texts().splitlines()
    assert len(lines) < 20 and re.search(r"and [\d,]+ more", lines[-1]), lines[-1]
    window.close()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_the_window_starts_when_the_annotation_file_is_a_named_pipe(
    make_window, corpus_dir, dialogs
):
    path = corpus_dir / "annotations.yaml"
    os.mkfifo(path)

    def release() -> (
        None
    ):  # a hang guard: unblocks a reader stuck on the pipe, so the test fails instead
        with suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    guard = threading.Timer(HANG_GUARD_S, release)
    guard.daemon = True
    guard.start()
    try:
        window = make_window([corpus_dir])
    finally:
        guard.cancel()
    assert dialogs.kinds() == ["critical"]
    assert "named pipe" in dialogs.texts() and "annotations.yaml" in dialogs.texts()
    assert window.tagging.store is None and len(window.corpus.articles) == 5
    window.close()
