"""A corpus aligned in two passes (links found by words of every pair, then the sentence
model's related links of every pair, as the window's background work does) finds the
same links as aligning each pair once, compares words once per pair and embeds the
same sentences in fewer, fuller calls of the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core import align as align_module
from reader.core import cache as cache_module
from reader.core import embedding
from reader.core.align import DEFAULT_THRESHOLD, Aligner, Link
from reader.core.articles import Article, article_from_text
from reader.core.corpus_generator import generate_articles
from reader.core.corpus_index import CorpusIndex

needs_model = pytest.mark.skipif(
    embedding.unavailable_reason() is not None, reason=str(embedding.unavailable_reason())
)


def corpus(count: int = 10) -> tuple[list[Article], list[tuple[Article, Article]]]:
    """Generated prose articles (two stories' worth and more) and every pair of them."""
    made = generate_articles(count, seed=5, story_sizes=(3, 5))
    articles = [article_from_text(m.text, m.name.removesuffix(".txt")) for m in made]
    pairs = [(a, b) for n, a in enumerate(articles) for b in articles[n + 1 :]]
    return articles, pairs


def aligner_of(articles: list[Article]) -> Aligner:
    """A fresh Aligner for the corpus, as the window's is built."""
    return CorpusIndex.build(articles).aligner()


def count_word_comparisons(monkeypatch) -> list[int]:
    """How many times an Aligner compares the words of a pair from now on."""
    compared = [0]
    real = Aligner._by_words

    def counting(self, *args, **kwargs):
        compared[0] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Aligner, "_by_words", counting)
    return compared


def two_passes(aligner: Aligner, pairs: list[tuple[Article, Article]]) -> list[list[Link]]:
    """The window's background passes: words first for every pair, the model's links after."""
    for a, b in pairs:
        aligner.align(a, b, wording=False, sentence_model=False)
    return [aligner.align(a, b, wording=False) for a, b in pairs]


def test_the_second_pass_compares_no_words_again_and_finds_what_one_pass_finds(monkeypatch):
    articles, pairs = corpus()
    once = [aligner_of(articles).align(a, b, wording=False) for a, b in pairs]
    compared = count_word_comparisons(monkeypatch)
    twice = two_passes(aligner_of(articles), pairs)
    assert twice == once
    assert any(once), "the generated stories share passages"
    assert compared[0] == len(pairs), "words were compared again in the second pass"


def test_a_pair_asked_again_otherwise_is_compared_again(monkeypatch):
    articles, pairs = corpus(6)
    aligner = aligner_of(articles)
    (a, b), (c, d) = pairs[0], pairs[1]
    aligner.align(a, b, wording=False, sentence_model=False)
    aligner.align(c, d, wording=False, sentence_model=False)
    compared = count_word_comparisons(monkeypatch)
    # Another threshold (and, stricter, the default's links as the model's basis), with
    # word runs, the other way round: none was kept.
    aligner.align(a, b, threshold=DEFAULT_THRESHOLD + 0.1, wording=False)
    aligner.align(a, b, wording=True)
    aligner.align(b, a, wording=False)
    assert compared[0] == 4
    aligner.align(a, b, wording=False)
    aligner.align(a, b, wording=False)  # taken once: the second time is compared again
    assert compared[0] == 5


def test_pairs_wait_at_the_last_threshold_only(monkeypatch):
    articles, pairs = corpus(6)
    aligner = aligner_of(articles)
    (a, b), (c, d) = pairs[0], pairs[1]
    aligner.align(a, b, wording=False, sentence_model=False)
    aligner.align(c, d, threshold=0.3, wording=False, sentence_model=False)  # the slider moved
    compared = count_word_comparisons(monkeypatch)
    aligner.align(a, b, wording=False)
    assert compared[0] == 1, "a pair of the last threshold's pass was still kept"
    aligner.align(c, d, threshold=0.3, wording=False)
    assert compared[0] == 1


def test_pairs_waiting_for_their_second_pass_are_bounded(monkeypatch):
    articles, pairs = corpus(6)
    aligner = aligner_of(articles)
    monkeypatch.setattr(align_module, "_PENDING_LIMIT", 2)
    for a, b in pairs[:3]:
        aligner.align(a, b, wording=False, sentence_model=False)
    compared = count_word_comparisons(monkeypatch)
    for a, b in pairs[:3]:
        aligner.align(a, b, wording=False)
    assert compared[0] == 1, "the oldest pair was dropped, the two newest kept"


@pytest.fixture
def model_calls(tmp_path, monkeypatch) -> list[int]:
    """A fresh vector cache and no vector in memory; counts ``[calls, sentences]`` of the model."""
    monkeypatch.setenv("SOURCE_READER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache_module, "_caches", {})
    embedding.use_model_files(None)
    counts = [0, 0]
    real_encode = embedding.SentenceEncoder.encode

    def encode(self, texts):
        counts[0] += 1
        counts[1] += len(texts)
        return real_encode(self, texts)

    monkeypatch.setattr(embedding.SentenceEncoder, "encode", encode)
    encoder = embedding.encoder()  # loaded (and probed) before counting
    assert encoder is not None
    counts[:] = [0, 0]
    yield counts
    embedding.use_model_files(None)


def forget_vectors(counts: list[int], tmp_path: Path, monkeypatch, name: str) -> None:
    """Another empty cache, nothing in memory; the model stays loaded; counts start again."""
    monkeypatch.setenv("SOURCE_READER_CACHE", str(tmp_path / name))
    monkeypatch.setattr(cache_module, "_caches", {})
    embedding._cache.clear()
    counts[:] = [0, 0]


@needs_model
def test_the_second_pass_embeds_the_same_sentences_in_fewer_calls(
    model_calls, tmp_path, monkeypatch
):
    articles, pairs = corpus()
    once = [aligner_of(articles).align(a, b, wording=False) for a, b in pairs]
    one_by_one = list(model_calls)
    forget_vectors(model_calls, tmp_path, monkeypatch, "again")
    twice = two_passes(aligner_of(articles), pairs)
    assert twice == once
    assert any(link.kind == "related" for links in once for link in links)
    assert model_calls[1] == one_by_one[1], "other sentences were embedded"
    assert model_calls[0] < one_by_one[0] / 3, (model_calls, one_by_one)


@needs_model
def test_embedding_ahead_stops_when_cancelled_and_the_pair_is_found_later(
    model_calls, tmp_path, monkeypatch
):
    from reader.core.align import AlignmentCancelled

    articles, pairs = corpus()
    once = [aligner_of(articles).align(a, b, wording=False) for a, b in pairs]
    forget_vectors(model_calls, tmp_path, monkeypatch, "again")
    monkeypatch.setattr("reader.core.related.EMBED_CHUNK", 4)
    aligner = aligner_of(articles)
    for a, b in pairs:
        aligner.align(a, b, wording=False, sentence_model=False)
    asked = [0]

    def cancelled() -> bool:  # lets the first chunks of sentences through, then stops
        asked[0] += 1
        return asked[0] > 3

    a, b = pairs[0]
    with pytest.raises(AlignmentCancelled):
        aligner.align(a, b, wording=False, cancelled=cancelled)
    assert 0 < model_calls[1] <= 3 * 4, "embedding ahead did not stop at the next chunk"
    assert aligner.align(a, b, wording=False) == once[0]
