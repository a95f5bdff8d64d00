"""Aligning two articles of a folder again reuses the folder's word rarity from the cache."""

from __future__ import annotations

import sqlite3

import pytest

import reader.core.corpus_index as corpus_index_module
from reader.core import cache as cache_module
from reader.core.align import COPIED
from reader.core.articles import article_from_text
from reader.core.cache import FILE_NAME
from reader.core.corpus_generator import generate_articles
from reader.core.corpus_index import CorpusIndex, pair_aligner


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    where = tmp_path / "cache"
    monkeypatch.setenv("SOURCE_READER_CACHE", str(where))
    monkeypatch.setattr(cache_module, "_caches", {})
    return where


def folder(extra: str = ""):
    made = generate_articles(24, seed=11, story_sizes=(2, 6), prose=False)
    articles = [article_from_text(g.text, g.name[:-4], g.name) for g in made]
    if extra:
        articles.append(article_from_text(extra, "extra"))
    return articles


def links(articles):
    """Links of the first two articles of one story, as ``source-reader align`` finds them."""
    a, b = articles[0], articles[1]
    return pair_aligner([a, b], articles).align(a, b, kinds=(COPIED,))


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """How many times the whole corpus is indexed (every article's stems read and counted)."""
    calls: list[int] = []
    real = CorpusIndex.build.__func__

    def counting(cls, articles, cache=None):
        calls.append(len(articles))
        return real(cls, articles, cache)

    monkeypatch.setattr(CorpusIndex, "build", classmethod(counting))
    return calls


def test_a_second_run_reads_the_rarity_instead_of_indexing_the_folder(
    private_cache, builds, monkeypatch
):
    articles = folder()
    first = links(articles)
    expected = (
        CorpusIndex.build(articles)
        .aligner(articles[:2])
        .align(articles[0], articles[1], kinds=(COPIED,))
    )
    assert first == expected and first
    builds.clear()
    monkeypatch.setattr(cache_module, "_caches", {})  # a new process
    assert links(folder()) == first
    assert builds == []


def test_another_folder_or_an_edited_article_is_weighed_again(private_cache, builds):
    links(folder())
    builds.clear()
    links(folder(extra="One more article about something else entirely. It has two sentences."))
    assert builds == [25]


@pytest.mark.parametrize("damage", ["not json", '[1.0, {"stem": -3.0}]', '["x", {}]'])
def test_a_damaged_rarity_row_is_computed_again(private_cache, builds, monkeypatch, damage):
    first = links(folder())
    cache_module.default_cache().close()
    with sqlite3.connect(private_cache / FILE_NAME) as connection:
        connection.execute("UPDATE corpora SET value = ?", (damage,))
    monkeypatch.setattr(cache_module, "_caches", {})
    builds.clear()
    assert links(folder()) == first
    assert builds == [24]


def test_the_rarity_key_is_the_texts_in_any_order_with_their_counts():
    articles = folder()
    key = corpus_index_module._rarity_key(articles)
    assert corpus_index_module._rarity_key(list(reversed(articles))) == key
    assert corpus_index_module._rarity_key(articles + articles[:1]) != key
