"""source-reader corpus DIR: who shares what, as JSON and as a table of stories."""

from __future__ import annotations

import json

import pytest

from reader.cli import main
from reader.core.corpus_generator import write_corpus


@pytest.fixture(scope="module")
def stories(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return folder, write_corpus(folder, 12, seed=5, prose=False)


def test_corpus_json_has_the_documented_shape(stories, capsys):
    folder, story = stories
    assert main(["corpus", str(folder), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"articles", "pairs"}
    assert len(document["articles"]) == 12
    for article in document["articles"]:
        assert set(article) == {"path", "title", "sentences"} and article["sentences"] > 0
    paths = {article["path"] for article in document["articles"]}
    assert document["pairs"]
    for pair in document["pairs"]:
        assert set(pair) == {"a", "b", "a_share", "b_share", "links"}
        assert pair["a"] in paths and pair["b"] in paths and pair["a"] != pair["b"]
        assert 0 < pair["a_share"] <= 1 and 0 < pair["b_share"] <= 1 and pair["links"] >= 1
        # generated stories share wire copy; different stories share nothing
        assert story[pair["a"].rsplit("/", 1)[-1]] == story[pair["b"].rsplit("/", 1)[-1]]


def test_corpus_table_groups_articles_into_their_stories(stories, capsys, monkeypatch):
    folder, story = stories
    monkeypatch.setenv("COLUMNS", "160")
    assert main(["corpus", str(folder)]) == 0
    out = capsys.readouterr().out
    groups: list[set[int]] = []
    for line in out.splitlines():
        if line.startswith("Story "):
            groups.append(set())
        elif line.startswith("  ") and groups:
            name = line.split()[0]
            groups[-1].add(story[name])
            assert "closest: " in line
    assert len(groups) == len(set(story.values()))
    assert all(len(group) == 1 for group in groups)


def test_corpus_of_a_missing_folder_is_one_line_with_status_2(tmp_path, capsys):
    assert main(["corpus", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and "no such folder" in err and "Traceback" not in err


def test_threshold_is_checked(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["corpus", str(tmp_path), "--threshold", "2"])
    assert stop.value.code == 2
