"""``source-reader export ANNOTATIONS --format markdown|csv|jsonld [-o FILE]``."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.annotation_commands import AddTag
from reader.core.annotations import AnnotationStore
from reader.core.articles import load_corpus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ARTICLE = "004_d641075c740f0b50"


@pytest.fixture
def annotations(folder: Path) -> Path:
    store = AnnotationStore.open(folder / "annotations.yaml", load_corpus(folder))
    article = store.corpus.article(ARTICLE)
    for index, label in ((3, "claim"), (4, "context")):
        sentence = article.sentences[index]
        AddTag(store.make_tag(ARTICLE, sentence.start, sentence.end, label, note=f"n{index}")).do(
            store
        )
    store.save()
    return store.path


def test_markdown_goes_to_stdout(annotations, capsys):
    assert main(["export", str(annotations), "--format", "markdown"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Tagged notes:")
    assert "### claim" in out and "- Note: n3" in out and "- Also in:" in out
    assert err == ""


def test_csv_to_stdout_reads_back(annotations, capsys):
    assert main(["export", str(annotations), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["label"] for row in rows] == ["claim", "context"]
    assert rows[1]["quote"].startswith("Concurrently, Russia seeks")


def test_jsonld_to_a_file_with_o(annotations, tmp_path, capsys):
    target = tmp_path / "out" / "notes.jsonld"
    target.parent.mkdir()
    assert main(["export", str(annotations), "--format", "jsonld", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["total"] == 2


@pytest.mark.parametrize(
    "content",
    [
        "schema: source-reader/annotations\nversion: 1\narticles: [\n",
        "schema: other\nversion: 1\n",
        "schema: source-reader/annotations\nversion: 1\narticles:\n  - !!python/object/apply:os.system ['true']\n",
    ],
)
def test_a_bad_annotation_file_is_one_line_on_stderr_and_exit_2(annotations, capsys, content):
    annotations.write_text(content, encoding="utf-8")
    before = annotations.read_bytes()
    assert main(["export", str(annotations), "--format", "csv"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and str(annotations) in err and "Traceback" not in err
    assert annotations.read_bytes() == before


def test_a_missing_annotation_file_is_exit_2(tmp_path, capsys):
    assert main(["export", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_partly_bad_file_exports_the_readable_tags_and_warns(annotations, capsys):
    text = annotations.read_text(encoding="utf-8")
    annotations.write_text(text.replace("label: context", "label: rumour"), encoding="utf-8")
    before = annotations.read_bytes()
    assert main(["export", str(annotations), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert len(list(csv.DictReader(io.StringIO(out)))) == 1
    assert "warning:" in err and "rumour" in err
    assert annotations.read_bytes() == before


def test_refuses_to_write_the_export_over_the_annotation_file(annotations, capsys):
    before = annotations.read_bytes()
    assert main(["export", str(annotations), "-o", str(annotations)]) == 2
    assert annotations.read_bytes() == before


@pytest.mark.parametrize("alias", ["same path", "hard link", "symbolic link", "another spelling"])
def test_refuses_to_write_the_export_over_the_annotation_file_by_any_name(
    annotations, capsys, alias
):
    before = annotations.read_bytes()
    output = {
        "same path": annotations,
        "hard link": annotations.with_name("tags.csv"),
        "symbolic link": annotations.with_name("link.csv"),
        "another spelling": annotations.parent / "sub" / ".." / annotations.name,
    }[alias]
    if alias == "hard link":
        os.link(annotations, output)
    elif alias == "symbolic link":
        output.symlink_to(annotations.name)
    elif alias == "another spelling":
        (annotations.parent / "sub").mkdir()
    assert main(["export", str(annotations), "--format", "csv", "-o", str(output)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "refusing" in err and "annotation file" in err and str(output) in err
    assert annotations.read_bytes() == before
    # and the file still loads
    assert len(AnnotationStore.open(annotations, load_corpus(annotations.parent)).all_tags()) == 2
