import json
from pathlib import Path

import pytest

from reader.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
A = str(SEEDS / "003_6be4897fac851f08.txt")
B = str(SEEDS / "004_d641075c740f0b50.txt")


def test_align_prints_a_table_with_scores_and_both_passages(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["align", A, B]) == 0
    out = capsys.readouterr().out
    assert "score" in out and "passage of A" in out and "passage of B" in out
    rows = [line for line in out.splitlines() if line.startswith(("copied ", "related "))]
    scores = [float(line[9:14]) for line in rows]
    assert scores and all(0 <= score <= 1 for score in scores), out
    assert all(len(line) <= 120 for line in out.splitlines()[4:])
    # passages wrap within their column instead of being cut: every linked
    # wire sentence is there to read, e.g. the last one of the story
    assert "Kumsusan" in out and "Guesthouse" in out


def test_align_json_has_the_documented_shape_and_offsets(capsys):
    assert main(["align", A, B, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"a", "b", "links"}
    assert set(document["a"]) == {"path", "title", "chars"}
    text_a = Path(A).read_text(encoding="utf-8")
    assert document["a"]["chars"] == len(text_a)
    assert document["links"]
    for link in document["links"]:
        assert set(link) == {"a", "b", "score", "a_sentences", "b_sentences", "matches", "kind"}
        assert link["kind"] in ("copied", "related")
        assert 0 <= link["score"] <= 1
        start, end = link["a"]
        assert text_a[start:end].strip() == text_a[start:end]
        for a_offset, _b_offset, length in link["matches"]:
            assert start <= a_offset < a_offset + length <= end


def test_threshold_option_limits_links(capsys):
    main(["align", A, B, "--json", "--kind", "copied", "--threshold", "0.8"])
    strict = json.loads(capsys.readouterr().out)["links"]
    main(["align", A, B, "--json", "--kind", "copied"])
    default = json.loads(capsys.readouterr().out)["links"]
    assert all(link["score"] >= 0.8 for link in strict)
    assert len(strict) < len(default)


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda tmp: tmp / "missing.txt", "missing.txt: no such file"),
        (lambda tmp: tmp, "is a folder"),
        (
            lambda tmp: (tmp / "bin.txt").write_bytes(b"\x7fELF\x00\x00\x01") and tmp / "bin.txt",
            "bin.txt: is a binary file",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_status_2(tmp_path, capsys, make, expected):
    path = make(tmp_path)
    assert main(["align", str(path), B]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert expected in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert "Traceback" not in captured.err


def test_empty_file_aligns_to_nothing(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["align", str(empty), B, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["links"] == []
