"""source-reader corpus says what it is doing on a terminal, and nothing otherwise."""

from __future__ import annotations

import io
import json
import sys

import pytest

from reader.cli import main
from reader.core.corpus_generator import write_corpus


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def stories(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 10, seed=7, prose=False)
    return folder


def run(argv, monkeypatch, stderr) -> tuple[str, str]:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", stderr)
    assert main(argv) == 0
    return out.getvalue(), stderr.getvalue()


def test_progress_goes_to_a_terminal_and_leaves_the_output_alone(stories, monkeypatch):
    out, err = run(["corpus", str(stories), "--json", "--kind", "copied"], monkeypatch, Terminal())
    assert "reading 10 articles" in err and "finding copied passages: pair" in err
    assert err.endswith("\r"), "the progress line is cleared at the end"
    assert json.loads(out)["pairs"]


def test_no_progress_when_quiet_or_not_a_terminal(stories, monkeypatch):
    for argv, stderr in (
        (["corpus", str(stories), "--kind", "copied", "--quiet"], Terminal()),
        (["corpus", str(stories), "--kind", "copied"], io.StringIO()),
    ):
        out, err = run(argv, monkeypatch, stderr)
        assert err == "" and "Story 1" in out


def test_kind_copied_counts_only_copied_links(stories, monkeypatch):
    copied, _ = run(
        ["corpus", str(stories), "--json", "--kind", "copied"], monkeypatch, io.StringIO()
    )
    both, _ = run(["corpus", str(stories), "--json"], monkeypatch, io.StringIO())
    copied_links = {(p["a"], p["b"]): p["links"] for p in json.loads(copied)["pairs"]}
    all_links = {(p["a"], p["b"]): p["links"] for p in json.loads(both)["pairs"]}
    assert copied_links and all(all_links[key] >= n for key, n in copied_links.items())
