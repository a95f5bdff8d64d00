"""News input: saved web pages and Markdown show the story, titled, with its outlet, date and author."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import reader.core.articles as articles_module
from reader.core import cache as cache_module
from reader.core.align import COPIED, Aligner
from reader.core.annotation_commands import AddTag
from reader.core.annotations import AnnotationStore
from reader.core.articles import Corpus, load_article, load_corpus
from reader.core.export import export_csv, export_jsonld, export_markdown
from reader.core.news import html_visible_text

NEWS = Path(__file__).resolve().parents[1] / "data" / "news"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Text of the fixtures' menus, banners, asides and footers: none of it is story.
FURNITURE = (
    "cookie",
    "Accept all",
    "Home",
    "World",
    "Sport",
    "Subscribe today",
    "Related stories",
    "Minister resigns",
    "Most read",
    "Celebrity chef",
    "All rights reserved",
    "Privacy policy",
    "Follow us",
    "dataLayer",
    "gtag",
    "querySelectorAll",
    "position:fixed",
    "Trending now",
    "Sign up",
    "inbox every morning",
    "Advertise",
    "Front page",
    "Contact the editor",
)


def paragraphs(article) -> list[str]:
    return [p for p in article.text.split("\n") if p.strip()]


def assert_no_furniture(text: str) -> None:
    leaked = [phrase for phrase in FURNITURE if phrase in text]
    assert not leaked, f"site furniture in the story: {leaked}"


# ---------------------------------------------------------------- HTML


def test_news_page_shows_only_its_story_with_title_outlet_date_and_author():
    article = load_article(NEWS / "harbour-quake.html")
    assert_no_furniture(article.text)
    lines = paragraphs(article)
    assert lines[0] == "Earthquake shakes Dervan coast as hundreds leave their homes"
    assert lines[1].startswith("A strong earthquake struck the Dervan coast")
    assert "Ferries suspended" in lines  # the subheading is a line of its own
    assert lines[-1].startswith("Schools across the district stayed closed")
    # <title> is "Quake shakes Dervan coast | Harbour Times"; the headline is the page's own.
    assert article.title == "Earthquake shakes Dervan coast as hundreds leave their homes"
    assert (article.outlet, article.date, article.author) == (
        "Harbour Times",
        "2025-03-14",
        "Mara Quinlan",
    )
    assert article.warnings == ()


def test_json_ld_gives_the_headline_publisher_author_and_date():
    article = load_article(NEWS / "ledger-jsonld.html")
    assert_no_furniture(article.text)
    assert (
        article.title == "Dervan quake: port town counts the cost"
    )  # not the <title> "Morning Ledger - World news…"
    assert (article.outlet, article.date, article.author) == (
        "Morning Ledger",
        "2025-03-15",
        "Jonas Ekdahl",
    )
    assert paragraphs(article)[-1].startswith("Economists said the closure of the port")


def test_page_without_metadata_is_titled_by_its_heading_and_has_no_outlet_or_date():
    article = load_article(NEWS / "bare-page.html")
    assert_no_furniture(article.text)
    assert article.title == "Volunteers rebuild the Eller lighthouse steps"  # <title> is "News"
    assert (article.outlet, article.date, article.author) == ("", "", "")
    assert len(paragraphs(article)) == 4


def test_inline_markup_does_not_break_a_sentence_of_a_short_page(tmp_path):
    path = tmp_path / "short.html"
    path.write_text(
        "<html><body><h1>Kim &amp; Putin</h1><p>They met on the <b>tarmac</b> and "
        "<a href='/x'>talked</a>.</p><p>Then talks.</p></body></html>",
        encoding="utf-8",
    )
    article = load_article(path)
    assert [s.text for s in article.sentences] == [
        "Kim & Putin",
        "They met on the tarmac and talked.",
        "Then talks.",
    ]


def test_page_where_no_story_is_found_shows_its_visible_text_with_a_warning(tmp_path, monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    monkeypatch.setattr(cache_module, "_caches", {})
    monkeypatch.setenv("SOURCE_READER_CACHE", "off")
    article = load_article(NEWS / "bare-page.html")
    assert "Front page" in article.text and "Volunteers rebuild" in article.text
    assert article.title == "Volunteers rebuild the Eller lighthouse steps"  # not the menu line
    assert len(article.warnings) == 1 and "main text could not be found" in article.warnings[0]


def test_two_stories_of_one_site_share_no_link_through_their_menus_and_footers():
    quake, budget = (
        load_article(NEWS / "harbour-quake.html"),
        load_article(NEWS / "harbour-budget.html"),
    )
    aligner = Aligner([quake, budget])
    assert aligner.align(quake, budget, kinds=(COPIED,)) == []
    assert aligner.align(quake, budget) == []


def test_a_page_is_extracted_once_per_content(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_READER_CACHE", str(tmp_path / "cache"))
    calls = []
    real = articles_module.extract_html

    def counting(html):
        calls.append(html)
        return real(html)

    monkeypatch.setattr(articles_module, "extract_html", counting)
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(NEWS / "harbour-quake.html", folder)
    shutil.copy(NEWS / "harbour-budget.html", folder)
    monkeypatch.setattr(cache_module, "_caches", {})
    first = load_corpus(folder)
    monkeypatch.setattr(cache_module, "_caches", {})  # a new process: only the disk remembers
    second = load_corpus(folder)
    assert len(calls) == 2
    assert [(a.text, a.title, a.outlet, a.date) for a in first.articles] == [
        (a.text, a.title, a.outlet, a.date) for a in second.articles
    ]
    page = folder / "harbour-budget.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("1.2 million", "1.3 million"), encoding="utf-8"
    )
    monkeypatch.setattr(cache_module, "_caches", {})
    assert "1.3 million" in load_corpus(folder).article("harbour-budget").text
    assert len(calls) == 3  # only the edited page again


# ---------------------------------------------------------------- Markdown and text


def test_markdown_is_shown_as_text_with_its_front_matter_as_metadata():
    article = load_article(NEWS / "coast-brief.md")
    for markup in ("#", "**", "*harbour", "](", "[", "`", "---", "title:", "outlet:"):
        assert markup not in article.text, markup
    lines = paragraphs(article)
    assert lines[:3] == [
        "After the quake: what the Dervan coast needs now",
        "The earthquake of 14 March exposed how fragile the harbour wall at Port Eller has "
        "become, and how much the islands depend on a single ferry route.",
        "The harbour",
    ]
    assert "The islands" in lines
    assert (
        "According to the regional seismic office, the tremor measured magnitude 6.1."
        in article.text
    )
    assert "- Ferries were suspended for three days.\n- A navy landing craft" in article.text
    assert (article.title, article.outlet, article.date, article.author, article.url) == (
        "After the quake: what the Dervan coast needs now",
        "Coastal Review",
        "2025-03-16",
        "Lena Moor",
        "https://coastal-review.example/after-the-quake",
    )
    for sentence in article.sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text


def test_markdown_headings_are_subheadings_for_the_aligner():
    from reader.core.furniture import heading_indices

    article = load_article(NEWS / "coast-brief.md")
    headings = {article.sentences[i].text for i in heading_indices(article.text, article.sentences)}
    assert {"The harbour", "The islands"} <= headings


def test_headline_skips_dateline_and_byline_which_give_date_and_author():
    article = load_article(NEWS / "plain-notes.md")
    assert article.title == "Fishermen wait for the port to reopen"
    assert (article.date, article.author) == ("2025-03-15", "Ana Petrov")
    assert "Dario Vel" in article.text and "**" not in article.text


def test_seed_000_is_titled_by_its_headline_not_its_dateline():
    article = load_article(next(SEEDS.glob("000_*.txt")))
    assert article.title == "Putin in Pyongyang: Could This Visit Revive North Korea’s Economy?"
    assert article.date == "2025-07-08"
    assert article.text.startswith("Tuesday, July 8, 2025")  # the text itself is untouched


def test_bad_front_matter_is_a_warning_and_the_article_still_loads(tmp_path):
    shutil.copy(NEWS / "bad-front-matter.md", tmp_path)
    corpus = load_corpus(tmp_path)
    assert corpus.problems == ()
    article = corpus.article("bad-front-matter")
    assert article.title == "Night ferry returns to the islands"
    assert article.outlet == "" and "unclosed" not in article.text
    assert len(article.warnings) == 1
    assert "front matter is not valid YAML" in article.warnings[0] and "line" in article.warnings[0]


def test_front_matter_in_a_text_file_is_metadata_not_text(tmp_path):
    path = tmp_path / "wire.txt"
    path.write_text(
        "---\noutlet: Wire Service\ndate: 2025-07-09\n---\nPutin leaves Pyongyang\n\nHe flew on.\n",
        encoding="utf-8",
    )
    article = load_article(path)
    assert article.text == "Putin leaves Pyongyang\n\nHe flew on.\n"
    assert (article.title, article.outlet, article.date) == (
        "Putin leaves Pyongyang",
        "Wire Service",
        "2025-07-09",
    )


def test_menu_and_byline_lines_do_not_title_a_text_article(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_text(
        "Home | World | Sport | Business\nBy Jo Park, Seoul\nUpdated 10:32 GMT, 8 July 2025\n\n"
        "Kim hosts Putin at state banquet\n\nThe two leaders toasted.\n",
        encoding="utf-8",
    )
    article = load_article(path)
    assert article.title == "Kim hosts Putin at state banquet"
    assert (article.author, article.date) == ("Jo Park", "2025-07-08")


# ---------------------------------------------------------------- annotations made before


def test_tags_made_on_the_old_text_of_a_page_find_their_passages_in_the_new_text(tmp_path):
    shutil.copy(NEWS / "harbour-quake.html", tmp_path)
    raw = (tmp_path / "harbour-quake.html").read_bytes()
    new = load_article(tmp_path / "harbour-quake.html")
    # The page as the reader showed it before: all visible text, hashed by the file's bytes.
    old = replace(
        new, text=html_visible_text(raw.decode("utf-8")), sha256=hashlib.sha256(raw).hexdigest()
    )
    path = tmp_path / "annotations.yaml"
    store = AnnotationStore.open(path, Corpus(tmp_path, (old,)))
    quotes = [
        "Two aftershocks followed within the hour, the stronger of them at magnitude 4.8.",
        "Schools across the district stayed closed and the regional government opened three sports "
        "halls as shelters for families whose houses were judged unsafe by the building inspectors.",
    ]
    for quote in quotes:
        start = old.text.index(quote)
        AddTag(store.make_tag(old.id, start, start + len(quote), "claim")).do(store)
    store.save()
    assert old.text.index(quotes[1]) + len(quotes[1]) > len(
        new.text
    )  # beyond the end of the new text

    reopened = AnnotationStore.open(path, load_corpus(tmp_path))
    article = reopened.corpus.article("harbour-quake")
    placed = reopened.tags_for("harbour-quake")
    assert sorted(tag.quote for tag in placed) == sorted(quotes)
    for tag in placed:
        assert article.text[tag.start : tag.end] == tag.quote
    assert not [p for p in reopened.problems if "out of range" in str(p) or "orphan" in str(p)]


# ---------------------------------------------------------------- exports


@pytest.fixture
def news_store(tmp_path) -> AnnotationStore:
    for name in ("harbour-quake.html", "ledger-jsonld.html"):
        shutil.copy(NEWS / name, tmp_path)
    store = AnnotationStore.open(tmp_path / "annotations.yaml", load_corpus(tmp_path))
    text = store.corpus.article("harbour-quake").text
    quote = "Two aftershocks followed within the hour, the stronger of them at magnitude 4.8."
    start = text.index(quote)
    AddTag(store.make_tag("harbour-quake", start, start + len(quote), "claim")).do(store)
    return store


def test_exports_say_where_each_tagged_article_comes_from(news_store):
    markdown = export_markdown(news_store, news_store.corpus)
    section = markdown[markdown.index("## Earthquake shakes Dervan coast") :]
    assert section.split("\n")[2] == "*Harbour Times*, 2025-03-14, by Mara Quinlan"

    row = next(csv.DictReader(io.StringIO(export_csv(news_store))))
    assert (row["title"], row["outlet"], row["date"], row["author"]) == (
        "Earthquake shakes Dervan coast as hundreds leave their homes",
        "Harbour Times",
        "2025-03-14",
        "Mara Quinlan",
    )

    item = json.loads(export_jsonld(news_store, news_store.corpus))["first"]["items"][0]
    source = item["target"]["source"]
    assert source["id"].endswith("harbour-quake.html")
    assert source["schema:publisher"]["schema:name"] == "Harbour Times"
    assert source["schema:datePublished"] == "2025-03-14"
    assert source["schema:headline"].startswith("Earthquake shakes")
