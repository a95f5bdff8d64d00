"""The annotation store: the file format, opening, saving, partial and missing files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reader.core.annotation_commands import AddTag
from reader.core.annotations import (
    DEFAULT_LABELS,
    AnnotationError,
    AnnotationStore,
    Label,
    Tag,
)
from reader.core.articles import load_corpus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ARTICLE = "004_d641075c740f0b50"


def tag_sentences(
    store: AnnotationStore, article_id: str, spec: list[tuple[int, str]]
) -> list[Tag]:
    article = store.corpus.article(article_id)
    tags = []
    for index, label in spec:
        sentence = article.sentences[index]
        tag = store.make_tag(article_id, sentence.start, sentence.end, label, note=f"note {index}")
        AddTag(tag).do(store)
        tags.append(tag)
    return tags


def open_store(folder: Path) -> AnnotationStore:
    return AnnotationStore.open(folder / "annotations.yaml", load_corpus(folder))


# ------------------------------------------------------------ the file


def test_missing_file_is_an_empty_store_with_default_labels_and_nothing_written(folder):
    store = open_store(folder)
    assert store.all_tags() == ()
    assert store.labels == DEFAULT_LABELS
    assert not (folder / "annotations.yaml").exists()


def test_saved_file_follows_the_documented_schema(folder):
    store = open_store(folder)
    tag_sentences(store, ARTICLE, [(4, "claim")])
    store.save()
    text = (folder / "annotations.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert list(data) == ["schema", "version", "labels", "articles"]
    assert data["schema"] == "source-reader/annotations" and data["version"] == 1
    assert data["labels"][0] == {"name": "claim", "color": "#c0392b", "key": "1"}
    article = data["articles"][0]
    assert list(article) == ["id", "file", "sha256", "tags"]
    assert article["file"] == f"{ARTICLE}.txt"
    assert list(article["tags"][0])[:11] == [
        "label",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "note",
        "annotator",
        "created",
        "modified",
        "id",
    ]
    assert (
        article["tags"][0]["quote"]
        == "Concurrently, Russia seeks additional weapons for its ongoing conflict in Ukraine."
    )
    # Timestamps are plain ISO 8601 UTC, and nothing YAML-specific sneaks in.
    assert "created: 20" in text and "Z\n" in text
    assert "!!" not in text and "&" not in text.replace("&amp", "") and "*" not in text


def test_articles_and_tags_are_sorted_and_saving_twice_gives_the_same_bytes(folder):
    store = open_store(folder)
    tag_sentences(store, ARTICLE, [(6, "opinion"), (2, "claim")])
    tag_sentences(store, "001_de25de7d48a037bb", [(3, "context")])
    store.save()
    first = (folder / "annotations.yaml").read_bytes()
    data = yaml.safe_load(first)
    assert [a["id"] for a in data["articles"]] == ["001_de25de7d48a037bb", ARTICLE]
    starts = [t["start"] for t in data["articles"][1]["tags"]]
    assert starts == sorted(starts)
    reopened = open_store(folder)
    reopened.save(force=False)
    assert (folder / "annotations.yaml").read_bytes() == first


def test_the_documented_example_loads(folder):
    (folder / "annotations.yaml").write_text(
        "schema: source-reader/annotations\n"
        "version: 1\n"
        "labels:\n"
        '  - {name: claim, color: "#c0392b", key: "1"}\n'
        '  - {name: context, color: "#2471a3", key: "2"}\n'
        '  - {name: opinion, color: "#b9770e", key: "3"}\n'
        "articles:\n"
        f"  - id: {ARTICLE}\n"
        f"    file: {ARTICLE}.txt\n"
        "    sha256: 0000\n"
        "    tags:\n"
        "      - label: claim\n"
        "        start: 1234\n"
        "        end: 1316\n"
        '        quote: "Concurrently, Russia seeks additional weapons for its ongoing conflict in Ukraine."\n'
        '        prefix: "up to 32 characters before the quote"\n'
        '        suffix: "up to 32 characters after the quote"\n'
        '        note: "Attributed to no one"\n'
        '        annotator: ""\n'
        "        created: 2026-11-23T10:00:00Z\n"
        "        modified: 2026-11-23T10:00:00Z\n",
        encoding="utf-8",
    )
    store = open_store(folder)
    (tag,) = store.tags_for(ARTICLE)
    text = store.corpus.article(ARTICLE).text
    # The hash differs, so the quote was looked for and found.
    assert text[tag.start : tag.end] == tag.quote
    assert tag.created == "2026-11-23T10:00:00Z"
    assert tag.note == "Attributed to no one"


def test_a_research_groups_own_labels_are_kept(folder):
    store = AnnotationStore(
        folder / "annotations.yaml",
        load_corpus(folder),
        labels=(Label("fact", "#00aa00", "f"), Label("spin", "#aa0000", "s")),
    )
    tag_sentences(store, ARTICLE, [(2, "spin")])
    store.save()
    reopened = open_store(folder)
    assert [label.name for label in reopened.labels] == ["fact", "spin"]
    assert reopened.tags_for(ARTICLE)[0].label == "spin"


def test_unicode_survives_and_is_written_as_utf8(folder):
    store = open_store(folder)
    (tag,) = tag_sentences(store, ARTICLE, [(4, "claim")])
    store.replace_tag(Tag(**{**tag.__dict__, "note": "«Zitat» — 北朝鮮 😀", "annotator": "Zoë"}))
    store.save()
    raw = (folder / "annotations.yaml").read_bytes()
    assert "«Zitat» — 北朝鮮 😀".encode() in raw
    assert open_store(folder).tag(tag.id).annotator == "Zoë"


# ------------------------------------------------------------ changed and missing articles


def test_changed_article_reanchors_and_carries_new_offsets_at_next_save(folder):
    store = open_store(folder)
    (tag,) = tag_sentences(store, ARTICLE, [(4, "claim")])
    store.save()
    path = folder / f"{ARTICLE}.txt"
    path.write_text(
        "Correction appended at the top.\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8"
    )
    moved = open_store(folder)
    placed = moved.tag(tag.id)
    assert placed.start == tag.start + len("Correction appended at the top.\n\n")
    assert placed.quote == tag.quote
    moved.save()
    data = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))
    assert data["articles"][0]["tags"][0]["start"] == placed.start
    assert data["articles"][0]["sha256"] == moved.corpus.article(ARTICLE).sha256


def test_unplaceable_tag_is_kept_reported_and_saved_back_unchanged(folder):
    store = open_store(folder)
    tag_sentences(store, ARTICLE, [(4, "claim"), (6, "opinion")])
    store.save()
    before = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))["articles"][
        0
    ]
    path = folder / f"{ARTICLE}.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "Concurrently, Russia seeks additional weapons for its ongoing conflict in Ukraine.",
            "Weather: sunny.",
        ),
        encoding="utf-8",
    )
    changed = open_store(folder)
    orphans = changed.orphans()
    assert len(orphans) == 1 and orphans[0].quote.startswith("Concurrently")
    assert orphans[0] not in changed.tags_for(ARTICLE)
    assert orphans[0] in changed.tags_for(ARTICLE, include_orphaned=True)
    assert any(p.kind == "orphaned" and "Concurrently" in p.reason for p in changed.problems)
    assert not changed.partial
    changed.save()
    after = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))["articles"][0]
    orphan_before = next(t for t in before["tags"] if t["quote"].startswith("Concurrently"))
    orphan_after = next(t for t in after["tags"] if t["quote"].startswith("Concurrently"))
    assert orphan_after == orphan_before
    # The hash of the text the orphan was made on stays, so its offsets keep their meaning.
    assert after["sha256"] == before["sha256"]


def test_missing_article_file_keeps_its_tags(folder):
    store = open_store(folder)
    tag_sentences(store, ARTICLE, [(4, "claim")])
    store.save()
    saved = (folder / "annotations.yaml").read_bytes()
    (folder / f"{ARTICLE}.txt").unlink()
    store = open_store(folder)
    assert store.tags_for(ARTICLE) == ()
    assert len(store.orphans()) == 1
    assert any(p.kind == "missing-article" for p in store.problems)
    store.save()
    assert (folder / "annotations.yaml").read_bytes() == saved


# ------------------------------------------------------------ bad files


def write(folder: Path, text: str) -> Path:
    path = folder / "annotations.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def valid_file(folder: Path) -> str:
    store = open_store(folder)
    tag_sentences(store, ARTICLE, [(2, "claim"), (4, "context"), (6, "opinion")])
    store.save()
    return (folder / "annotations.yaml").read_text(encoding="utf-8")


def assert_refused(
    folder: Path, text: str, *words: str, line: int | None = None
) -> AnnotationError:
    path = write(folder, text)
    before = path.read_bytes()
    with pytest.raises(AnnotationError) as caught:
        open_store(folder)
    message = str(caught.value)
    assert str(path) in message
    for word in words:
        assert word in message
    if line is not None:
        assert caught.value.line == line and f"line {line}" in message
    assert path.read_bytes() == before
    return caught.value


def test_malformed_yaml_names_the_line(folder):
    assert_refused(
        folder,
        "schema: source-reader/annotations\nversion: 1\narticles: [\n  - id: x\n",
        "not valid YAML",
        line=4,
    )


def test_another_schema_is_refused(folder):
    assert_refused(folder, "schema: someone-else/notes\nversion: 1\n", "someone-else/notes", line=1)


def test_a_file_without_schema_is_refused(folder):
    assert_refused(folder, "- just\n- a list\n", "not a Source Reader annotation file")


def test_another_version_is_refused(folder):
    # Version 2 (corrections by the reader) is read; a later one is not.
    assert_refused(folder, "schema: source-reader/annotations\nversion: 3\n", "version 3", line=2)


def test_python_object_tag_is_refused_and_never_constructed(folder):
    error = assert_refused(
        folder,
        "schema: source-reader/annotations\nversion: 1\narticles:\n"
        "  - !!python/object/apply:os.system ['touch pwned']\n",
        "python/object/apply:os.system",
        "not allowed",
        line=4,
    )
    assert not (folder / "pwned").exists()
    assert error.reason


def test_bad_label_declaration_is_refused(folder):
    assert_refused(
        folder,
        "schema: source-reader/annotations\nversion: 1\nlabels:\n"
        "  - {name: claim, color: red, key: '1'}\n",
        "color 'red'",
        line=4,
    )


def test_empty_file_is_refused(folder):
    assert_refused(folder, "", "is empty")


def test_not_utf8_is_refused(folder):
    path = folder / "annotations.yaml"
    path.write_bytes(b"schema: source-reader/annotations\nnote: \xff\xfe\n")
    with pytest.raises(AnnotationError, match="not UTF-8"):
        open_store(folder)


def test_a_folder_in_place_of_the_file_is_refused(folder):
    (folder / "annotations.yaml").mkdir()
    with pytest.raises(AnnotationError, match="is a folder"):
        open_store(folder)


@pytest.mark.parametrize(
    "old, new, words",
    [
        (
            "label: opinion",
            "label: rumour",
            ["label 'rumour' is not declared", "claim, context, opinion"],
        ),
        ("start: ", "start: -", ["offsets out of range"]),
        ("label: opinion", "label: opinion\n    colour: blue", ["unknown field 'colour'"]),
    ],
)
def test_a_bad_tag_is_reported_with_its_line_and_the_rest_loads(folder, old, new, words):
    text = valid_file(folder)
    head, sep, tail = text.rpartition("  - label: opinion")
    bad = (
        head + sep.replace(old, new) + tail
        if old == "label: opinion"
        else head + sep + tail.replace(old, new, 1)
    )
    path = write(folder, bad)
    before = path.read_bytes()
    store = open_store(folder)
    assert len(store.all_tags()) == 2
    invalid = [p for p in store.problems if p.kind == "invalid"]
    assert len(invalid) == 1 and store.partial
    message = str(invalid[0])
    assert str(path) in message and f"article {ARTICLE}, tag 3" in message
    for word in words:
        assert word in message
    line_of_bad_item = (
        bad.splitlines().index("  - label: opinion" if "rumour" not in bad else "  - label: rumour")
        + 1
    )
    assert invalid[0].line is not None and invalid[0].line >= line_of_bad_item
    assert path.read_bytes() == before


def test_offsets_beyond_the_article_are_reported(folder):
    text = valid_file(folder)
    data = yaml.safe_load(text)
    tag = data["articles"][0]["tags"][2]
    bad = text.replace(f"start: {tag['start']}\n", "start: 99000\n").replace(
        f"end: {tag['end']}\n", "end: 99100\n"
    )
    write(folder, bad)
    store = open_store(folder)
    (problem,) = [p for p in store.problems if p.kind == "invalid"]
    assert "offsets out of range" in problem.reason
    assert len(store.all_tags()) == 2


def test_partly_valid_file_is_never_written_by_save(folder):
    text = valid_file(folder)
    path = write(folder, text.replace("label: opinion", "label: rumour"))
    before = path.read_bytes()
    store = open_store(folder)
    tag_sentences(store, ARTICLE, [(8, "claim")])
    with pytest.raises(AnnotationError, match="mend them by hand"):
        store.save()
    assert path.read_bytes() == before
    assert store.dirty and len(store.all_tags()) == 3


def test_partly_valid_file_can_be_saved_elsewhere_or_forced(folder):
    text = valid_file(folder)
    path = write(folder, text.replace("label: opinion", "label: rumour"))
    before = path.read_bytes()
    store = open_store(folder)
    store.save_as(folder / "copy.yaml")
    assert path.read_bytes() == before
    assert len(yaml.safe_load((folder / "copy.yaml").read_text())["articles"][0]["tags"]) == 2
    store = open_store(folder)
    store.save(force=True)
    assert (folder / "annotations.yaml.bak").read_bytes() == before
    assert not store.partial


# ------------------------------------------------------------ the store's own rules


def test_add_refuses_undeclared_label_and_text_that_does_not_match(folder):
    store = open_store(folder)
    article = store.corpus.article(ARTICLE)
    tag = store.make_tag(ARTICLE, 0, 10, "claim")
    with pytest.raises(ValueError, match="not declared"):
        store.add_tag(Tag(**{**tag.__dict__, "label": "rumour"}))
    with pytest.raises(ValueError, match="does not match"):
        store.add_tag(Tag(**{**tag.__dict__, "quote": article.text[1:11]}))
    assert store.all_tags() == () and not store.dirty


def test_listeners_hear_each_change_with_the_article(folder):
    store = open_store(folder)
    heard = []
    store.add_listener(heard.append)
    (tag,) = tag_sentences(store, ARTICLE, [(2, "claim")])
    store.remove_tag(tag.id)
    assert heard == [frozenset({ARTICLE})] * 2
    assert store.revision == 2 and store.dirty


def test_tag_for_sentence_prefers_exact_then_containing_then_overlap(folder):
    store = open_store(folder)
    article = store.corpus.article(ARTICLE)
    s2, s3, s4 = article.sentences[2], article.sentences[3], article.sentences[4]
    wide = store.make_tag(ARTICLE, s2.start, s3.end, "context")
    exact = store.make_tag(ARTICLE, s3.start, s3.end, "claim")
    store.add_tag(wide)
    assert store.tag_for_sentence(ARTICLE, s2.start, s2.end) == wide
    store.add_tag(exact)
    assert store.tag_for_sentence(ARTICLE, s3.start, s3.end) == exact
    assert store.tag_for_sentence(ARTICLE, s4.start, s4.end) is None


@pytest.mark.parametrize(
    "note",
    [
        "\x85",
        "a\u2028b\u2029c",
        "line\r\nbreak\rmac",
        " lead and trail ",
        "\x00\x07\t",
        "- not a list",
        "yes",
        "2026-11-23T10:00:00Z",
        "'quoted' \"twice\"",
        "# hash",
    ],
)
def test_awkward_notes_survive_a_save(folder, note):
    store = open_store(folder)
    (tag,) = tag_sentences(store, ARTICLE, [(4, "claim")])
    store.replace_tag(Tag(**{**tag.__dict__, "note": note, "annotator": note}))
    store.save()
    reopened = open_store(folder).tag(tag.id)
    assert (reopened.note, reopened.annotator) == (note, note)
