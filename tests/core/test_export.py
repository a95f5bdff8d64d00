"""Export of tagged notes: Markdown with cross-article echoes, CSV, W3C JSON-LD."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from reader.core.align import Aligner
from reader.core.annotation_commands import AddTag, EditNote
from reader.core.annotations import AnnotationStore
from reader.core.articles import load_corpus
from reader.core.export import CSV_COLUMNS, export_csv, export_jsonld, export_markdown

SHARED = (
    "The central bank raised its key interest rate by half a percentage point "
    "to curb persistent inflation in housing and energy prices."
)
TEXTS = {
    "a_wire": "Central bank lifts rates\n\nMarkets slipped on Monday morning in early trading. "
    + SHARED
    + " Analysts at several lenders said further increases were likely this year.\n",
    "b_daily": "Rates go up again\n\nHomeowners face higher mortgage payments. "
    + SHARED
    + " The opposition called the move reckless and premature.\n",
    "c_blog": "Weekend gardening notes\n\nTomatoes need sun, water and patience. "
    "Prune the lower leaves once the plants are knee high.\n",
}


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    for name, text in TEXTS.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    store = AnnotationStore.open(tmp_path / "annotations.yaml", load_corpus(tmp_path))
    text = store.corpus.article("a_wire").text
    start = text.index(SHARED)
    claim = store.make_tag("a_wire", start, start + len(SHARED), "claim", annotator="Ana")
    AddTag(claim).do(store)
    EditNote(claim, "Same wording as the wire, word for word").do(store)
    opinion_start = text.index("Analysts")
    opinion_end = text.index("year.") + len("year.")
    AddTag(store.make_tag("a_wire", opinion_start, opinion_end, "opinion")).do(store)
    return store


class CountingAligner:
    def __init__(self, articles):
        self.inner = Aligner(articles)
        self.pairs = []

    def align(self, a, b, **kwargs):
        self.pairs.append((a.id, b.id))
        return self.inner.align(a, b, **kwargs)


def test_markdown_groups_by_article_then_label_and_shows_which_outlets_carry_a_claim(store):
    aligner = CountingAligner(store.corpus.articles)
    text = export_markdown(store, store.corpus, aligner)
    assert (
        text.index("## Central bank lifts rates")
        < text.index("### claim")
        < text.index("### opinion")
    )
    claim = text[text.index("### claim") : text.index("### opinion")]
    assert f"> {SHARED}" in claim
    assert "- Note: Same wording as the wire, word for word" in claim
    assert "- Annotator: Ana" in claim
    also = next(line for line in claim.splitlines() if line.startswith("- Also in:"))
    assert "Rates go up again (b_daily.txt), score " in also
    assert "gardening" not in also
    assert "Weekend gardening notes (c_blog.txt)" in next(
        line for line in claim.splitlines() if line.startswith("- Not in:")
    )
    # Two tags, two other articles: each pair is aligned once.
    assert sorted(aligner.pairs) == [("a_wire", "b_daily"), ("a_wire", "c_blog")]


def test_markdown_marks_tags_that_could_not_be_placed(store, tmp_path):
    store.save()
    (tmp_path / "a_wire.txt").unlink()
    reopened = AnnotationStore.open(tmp_path / "annotations.yaml", load_corpus(tmp_path))
    text = export_markdown(reopened, reopened.corpus)
    assert "a_wire (file not in the corpus)" in text
    assert "Not placed" in text and f"> {SHARED}" in text


def test_csv_has_the_header_and_one_row_per_tag_that_reads_back(store):
    rows = list(csv.reader(io.StringIO(export_csv(store))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 3
    claim = dict(zip(rows[0], rows[1], strict=True))
    assert claim["article"] == "a_wire" and claim["label"] == "claim"
    assert claim["quote"] == SHARED  # commas inside survive quoting
    assert claim["note"] == "Same wording as the wire, word for word"
    assert claim["status"] == "anchored" and claim["created"].endswith("Z")
    assert int(claim["end"]) - int(claim["start"]) == len(SHARED)


def test_jsonld_is_a_web_annotation_collection_with_selectors_and_bodies(store):
    document = json.loads(export_jsonld(store, store.corpus))
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    items = document["first"]["items"]
    assert document["total"] == len(items) == 2
    claim = items[0]
    assert claim["type"] == "Annotation"
    assert {"type": "TextualBody", "purpose": "tagging", "value": "claim"} in claim["body"]
    assert any(
        body["purpose"] == "commenting" and body["value"].startswith("Same wording")
        for body in claim["body"]
    )
    quote, position = claim["target"]["selector"]
    text = store.corpus.article("a_wire").text
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == SHARED
    assert text[position["start"] : position["end"]] == SHARED
    assert quote["prefix"] == text[: position["start"]][-32:]
    source = claim["target"]["source"]
    assert source["id"].startswith("file://") and source["id"].endswith("a_wire.txt")
    assert source["schema:headline"] == "Central bank lifts rates"
    assert claim["creator"]["name"] == "Ana"
    assert len(items[1]["body"]) == 1  # no note, no commenting body


def test_jsonld_gives_orphans_only_their_quote(store, tmp_path):
    store.save()
    path = tmp_path / "a_wire.txt"
    path.write_text("Central bank lifts rates\n\nThe story was withdrawn.\n", encoding="utf-8")
    reopened = AnnotationStore.open(tmp_path / "annotations.yaml", load_corpus(tmp_path))
    items = json.loads(export_jsonld(reopened, reopened.corpus))["first"]["items"]
    assert len(items) == 2
    for item in items:
        assert [s["type"] for s in item["target"]["selector"]] == ["TextQuoteSelector"]
    rows = list(csv.DictReader(io.StringIO(export_csv(reopened))))
    assert {row["status"] for row in rows} == {"orphaned"}


class RestatingAligner(CountingAligner):
    """Links of a_wire and b_daily reported as related (same fact, other words)."""

    def align(self, a, b, **kwargs):
        from dataclasses import replace

        from reader.core.align import RELATED

        links = super().align(a, b, **kwargs)
        if {a.id, b.id} == {"a_wire", "b_daily"}:
            links = [replace(link, kind=RELATED, matches=()) for link in links]
        return links


def test_markdown_says_whether_another_outlet_copies_or_restates_a_claim(store):
    copied = export_markdown(store, store.corpus, CountingAligner(store.corpus.articles))
    also = next(line for line in copied.splitlines() if line.startswith("- Also in:"))
    assert also.endswith(", copied wording") and "restated" not in also
    restated = export_markdown(store, store.corpus, RestatingAligner(store.corpus.articles))
    also = next(line for line in restated.splitlines() if line.startswith("- Also in:"))
    assert "Rates go up again (b_daily.txt), score " in also
    assert also.endswith(", restated in other words")


def _seed_store(tmp_path: Path) -> AnnotationStore:
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    for path in seeds.glob("*.txt"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return AnnotationStore.open(tmp_path / "annotations.yaml", load_corpus(tmp_path))


def _also_in_line(text: str, quote_start: str) -> str:
    block = text[text.index(f"> {quote_start}") :]
    block = block[: block.index("\n\n>") if "\n\n>" in block else len(block)]
    return next(
        (line for line in block.splitlines() if line.startswith("- Also in:")), "- Also in: none"
    )


def test_also_in_names_only_articles_that_carry_the_tagged_sentence_itself(tmp_path):
    # 003's Kirby sentence sits inside a passage 004 shares (US concerns, the
    # Kremlin's "friendly state visit"), but 004 never mentions Kirby; the
    # sentence before it is one 004 does tell.
    store = _seed_store(tmp_path)
    ids = {article.id[:3]: article.id for article in store.corpus.articles}
    text = store.corpus.article(ids["003"]).text
    four = store.corpus.article(ids["004"])
    kirby = text.index("A spokesperson from the National Security Council, John Kirby")
    kirby_end = text.index(".", text.index("growing ties")) + 1
    concerns = text.index("The United States has expressed concerns")
    AddTag(store.make_tag(ids["003"], kirby, kirby_end, "claim")).do(store)
    AddTag(store.make_tag(ids["003"], concerns, kirby - 1, "context")).do(store)
    out = export_markdown(store, store.corpus, Aligner(store.corpus.articles))
    assert four.title[:30] not in _also_in_line(out, "A spokesperson")
    assert four.title[:30] in _also_in_line(out, "The United States has expressed")
