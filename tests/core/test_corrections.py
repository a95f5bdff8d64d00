"""Corrections by the reader (issue #7): links made by hand and rejected suggestions.

Saved in the annotation file (version 2), placed again after an edit like
tags, undoable, merged on concurrent saves, and applied to every view of a
pair's links through one pure function.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reader.core.align import COPIED, Aligner, Link
from reader.core.annotation_commands import AddCorrection, AddTag, RemoveCorrection
from reader.core.annotation_file import dump_annotations, parse_annotations
from reader.core.annotations import AnnotationStore
from reader.core.articles import article_from_text, load_corpus
from reader.core.correction_model import LINK, REJECT, Correction, LinkEnd
from reader.core.corrections import MANUAL, apply_corrections, rejection_for
from reader.core.export import export_markdown

A = "001_de25de7d48a037bb"  # "… his first visit to North Korea in nearly 24 years"
B = "004_d641075c740f0b50"  # "Putin’s visit to Pyongyang, his first since 2000, …"
WIRE_A, WIRE_B = "003_6be4897fac851f08", B


def open_store(folder: Path) -> AnnotationStore:
    return AnnotationStore.open(folder / "annotations.yaml", load_corpus(folder))


def link_sentences(
    store: AnnotationStore, a_index: int, b_index: int, kind: str = LINK
) -> Correction:
    a = store.corpus.article(A).sentences[a_index]
    b = store.corpus.article(B).sentences[b_index]
    correction = store.make_correction(kind, A, (a.start, a.end), B, (b.start, b.end))
    AddCorrection(correction).do(store)
    return correction


def shown_links(store: AnnotationStore, a_id: str, b_id: str, computed=()) -> list[Link]:
    a, b = store.corpus.article(a_id), store.corpus.article(b_id)
    return apply_corrections(list(computed), store.manual_links(), store.rejections(), a, b)


# ------------------------------------------------------------ surviving save, reload and edits


def test_manual_link_survives_save_reload_and_a_sentence_inserted_before_it(folder):
    store = open_store(folder)
    link_sentences(store, 0, 1)
    store.save()
    a_sentence = store.corpus.article(A).sentences[0].text

    path = folder / f"{A}.txt"
    path.write_text(
        "An editor's note added at the top. " + path.read_text(encoding="utf-8"), encoding="utf-8"
    )

    reopened = open_store(folder)
    [link] = shown_links(reopened, A, B)
    a = reopened.corpus.article(A)
    assert link.kind == MANUAL
    assert a.text[link.a_span[0] : link.a_span[1]] == a_sentence
    assert link.a_span[0] > 0  # moved with the text, not left at the old offsets
    assert reopened.problems == ()
    # Seen from the other pane order too, the same two passages are linked.
    [reverse] = shown_links(reopened, B, A)
    assert (reverse.a_span, reverse.b_span) == (link.b_span, link.a_span)


def test_a_link_whose_passage_was_deleted_is_kept_as_an_orphan_and_listed(folder):
    store = open_store(folder)
    link_sentences(store, 4, 3)
    store.save()
    a = store.corpus.article(A)
    sentence = a.sentences[4]
    (folder / f"{A}.txt").write_text(
        a.text[: sentence.start] + a.text[sentence.end :], encoding="utf-8"
    )

    reopened = open_store(folder)
    assert shown_links(reopened, A, B) == []
    assert [c.orphaned for c in reopened.corrections()] == [True]
    assert any(p.kind == "orphaned" and "link" in p.item for p in reopened.problems)
    # Kept in the file when saving something else.
    reopened.save_as(folder / "again.yaml")
    data = yaml.safe_load((folder / "again.yaml").read_text(encoding="utf-8"))
    assert len(data["links"]) == 1 and data["links"][0]["a"]["quote"] == sentence.text


def test_rejection_hides_the_suggested_link_after_reload(folder):
    store = open_store(folder)
    a, b = store.corpus.article(WIRE_A), store.corpus.article(WIRE_B)
    computed = Aligner(store.corpus.articles).align(a, b, kinds=(COPIED,))
    assert len(computed) >= 2
    rejected = computed[0]
    ends = rejection_for(rejected, a, b)
    AddCorrection(store.make_correction(REJECT, a.id, ends[0].span, b.id, ends[1].span)).do(store)
    store.save()

    reopened = open_store(folder)
    shown = shown_links(reopened, WIRE_A, WIRE_B, computed)
    assert rejected not in shown
    assert shown == computed[1:]
    # Whichever pane each article is in.
    swapped = [
        Link(
            link.b_sentences, link.a_sentences, link.b_span, link.a_span, link.score, (), link.kind
        )
        for link in computed
    ]
    assert len(shown_links(reopened, WIRE_B, WIRE_A, swapped)) == len(computed) - 1


# ------------------------------------------------------------ the file


def test_saved_links_follow_the_documented_version_2_schema(folder):
    store = open_store(folder)
    link_sentences(store, 0, 1)
    link_sentences(store, 7, 4, kind=REJECT)
    store.save()
    data = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert list(data) == ["schema", "version", "labels", "articles", "links", "rejected"]
    [link] = data["links"]
    assert list(link) == ["id", "a", "b", "note", "annotator", "created"]
    assert list(link["a"]) == ["article", "start", "end", "quote", "prefix", "suffix", "sha256"]
    a = store.corpus.article(A)
    assert link["a"]["article"] == A and link["a"]["sha256"] == a.sha256
    assert link["a"]["quote"] == a.sentences[0].text
    assert len(data["rejected"]) == 1


def test_a_version_1_file_loads_unchanged_and_is_still_written_as_version_1(folder):
    store = open_store(folder)
    sentence = store.corpus.article(B).sentences[4]
    AddTag(store.make_tag(B, sentence.start, sentence.end, "claim", note="n")).do(store)
    store.save()
    raw = (folder / "annotations.yaml").read_bytes()
    assert b"\nversion: 1\n" in raw and b"links" not in raw

    reopened = open_store(folder)
    assert [t.quote for t in reopened.all_tags()] == [sentence.text]
    assert reopened.corrections() == () and reopened.problems == ()
    parsed = parse_annotations(raw, folder / "annotations.yaml")
    assert dump_annotations(parsed.labels, parsed.articles, parsed.corrections) == raw


def test_links_in_a_version_1_file_are_an_unknown_field(folder):
    raw = b"schema: source-reader/annotations\nversion: 1\nlinks: []\n"
    parsed = parse_annotations(raw, folder / "annotations.yaml")
    assert parsed.corrections == ()
    assert [p.reason for p in parsed.problems] == ["unknown field 'links'"]


def test_a_bad_link_is_reported_with_its_line_and_the_others_load(folder):
    text = (
        "schema: source-reader/annotations\nversion: 2\nlinks:\n"
        "- a: {article: x, start: 0, end: 5, quote: Hello}\n"
        "  b: {article: y, start: 3, end: 9, quote: there!}\n"
        "- a: {article: x, start: 9, end: 5, quote: Hello}\n"
        "  b: {article: y, start: 3, end: 9, quote: there!}\n"
    )
    parsed = parse_annotations(text.encode(), folder / "annotations.yaml")
    assert len(parsed.corrections) == 1 and parsed.corrections[0].id  # an id is derived
    [problem] = parsed.problems
    assert (
        problem.line == 6 and "offsets out of range" in problem.reason and problem.item == "link 2"
    )


def test_a_newer_version_is_refused_with_a_clear_message(folder):
    from reader.core.annotation_model import AnnotationError

    with pytest.raises(
        AnnotationError, match="version 3; this Source Reader reads versions 1 and 2"
    ):
        parse_annotations(b"schema: source-reader/annotations\nversion: 3\n", folder / "a.yaml")


# ------------------------------------------------------------ undo, merge


def test_link_and_rejection_undo_and_redo(folder):
    store = open_store(folder)
    sentence_a, sentence_b = (
        store.corpus.article(A).sentences[0],
        store.corpus.article(B).sentences[1],
    )
    command = AddCorrection(
        store.make_correction(
            LINK, A, (sentence_a.start, sentence_a.end), B, (sentence_b.start, sentence_b.end)
        )
    )
    command.do(store)
    assert len(shown_links(store, A, B)) == 1 and store.dirty and command.text == "Link passages"
    command.undo(store)
    assert shown_links(store, A, B) == []
    command.do(store)
    assert len(shown_links(store, A, B)) == 1
    remove = RemoveCorrection(command.correction)
    remove.do(store)
    assert shown_links(store, A, B) == []
    remove.undo(store)
    assert store.manual_links() == (command.correction,)


def test_two_stores_saving_the_same_file_keep_each_others_links(folder):
    first, second = open_store(folder), open_store(folder)
    link_sentences(first, 0, 1)
    link_sentences(second, 7, 4)
    link_sentences(second, 5, 4, kind=REJECT)
    first.save()
    second.save()
    reopened = open_store(folder)
    assert len(reopened.manual_links()) == 2 and len(reopened.rejections()) == 1
    # The first store learns the other's links at its next save, and removing one of
    # its own then is not undone by the merge.
    RemoveCorrection(first.manual_links()[0]).do(first)
    first.save()
    assert len(open_store(folder).manual_links()) == 1


# ------------------------------------------------------------ applying, pure


def _end(article, start, end):
    return LinkEnd(article.id, start, end, article.text[start:end])


def test_apply_corrections_adds_manual_links_and_drops_only_rejected_overlaps():
    a = article_from_text("One fact here. Another fact there. A third one.", "a")
    b = article_from_text("The first fact. Something else. Third.", "b")
    computed = [
        Link((0, 1), (0, 1), (0, 14), (0, 15), 0.5, ()),
        Link((2, 3), (2, 3), (35, 47), (32, 38), 0.4, ()),
    ]
    reject = Correction(REJECT, _end(b, 2, 9), _end(a, 3, 8), id="r")  # made with the panes swapped
    manual = Correction(LINK, _end(a, 15, 34), _end(b, 16, 31), id="m")
    orphan = Correction(LINK, _end(a, 0, 3), LinkEnd("b", 0, 3, "The", status="orphaned"), id="o")
    other_pair = Correction(REJECT, _end(a, 35, 47), LinkEnd("c", 0, 5, "Third"), id="x")

    shown = apply_corrections(computed, [manual, orphan], [reject, other_pair], a, b)

    assert [(link.a_span, link.kind) for link in shown] == [((15, 34), MANUAL), ((35, 47), COPIED)]
    # A computed link inside both ends of a manual one gives way to it (one band, not two).
    inside = Link((1, 2), (1, 2), (15, 33), (16, 31), 0.3, (), "related")
    assert apply_corrections([inside], [manual], [], a, b) == [shown[0]]
    assert (
        shown[0].a_sentences == (1, 2) and shown[0].b_sentences == (1, 2) and shown[0].score == 1.0
    )


# ------------------------------------------------------------ export


def test_markdown_export_lists_manual_links_and_uses_them_for_also_in(folder):
    store = open_store(folder)
    sentence = store.corpus.article(A).sentences[0]
    AddTag(store.make_tag(A, sentence.start, sentence.end, "claim")).do(store)
    link_sentences(store, 0, 1)
    text = export_markdown(store, store.corpus, threshold=0.9)
    assert "linked by you" in text
    assert "## Passages linked by you" in text
    assert store.corpus.article(B).sentences[1].text[:40] in text


def test_markdown_export_leaves_out_a_rejected_link(folder):
    store = open_store(folder)
    a, b = store.corpus.article(WIRE_A), store.corpus.article(WIRE_B)
    aligner = Aligner(store.corpus.articles)
    computed = aligner.align(a, b, kinds=(COPIED,))
    link = computed[0]
    sentence = a.sentences[link.a_sentences[0]]
    AddTag(store.make_tag(a.id, sentence.start, sentence.end, "claim")).do(store)
    before = export_markdown(store, store.corpus, aligner)
    ends = rejection_for(link, a, b)
    AddCorrection(store.make_correction(REJECT, a.id, ends[0].span, b.id, ends[1].span)).do(store)
    after = export_markdown(store, store.corpus, aligner)

    def also_in(text):
        return next(
            line
            for line in text.splitlines()
            if line.startswith("- Also in:") or line.startswith("- Not in:")
        )

    assert b.title[:30] in also_in(before)
    assert b.title[:30] not in next(
        (line for line in after.splitlines() if line.startswith("- Also in:")), ""
    )


def test_a_link_follows_its_sentence_when_a_word_in_it_is_reworded(folder):
    store = open_store(folder)
    link_sentences(store, 0, 1)
    store.save()
    path = folder / f"{A}.txt"
    text = path.read_text(encoding="utf-8")
    first = store.corpus.article(A).sentences[0].text
    assert "arrived in" in first
    path.write_text(
        "Intro line.\n\n" + text.replace("arrived in", "landed in", 1), encoding="utf-8"
    )

    reopened = open_store(folder)
    [link] = shown_links(reopened, A, B)
    a = reopened.corpus.article(A)
    assert a.text[link.a_span[0] : link.a_span[1]] == first.replace("arrived in", "landed in")
