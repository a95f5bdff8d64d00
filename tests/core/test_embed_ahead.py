"""A corpus's sentences embedded ahead on a thread of their own (the worker process's
``embed_ahead``) while its pairs' words are compared: the related pass then finds their
vectors, the links are the same, and no sentence is encoded twice by the two threads."""

from __future__ import annotations

import threading

import pytest

from reader.core import embedding
from tests.core.test_corpus_passes import aligner_of, corpus, forget_vectors, model_calls

__all__ = ["model_calls"]  # the fixture, used by name

needs_model = pytest.mark.skipif(
    embedding.unavailable_reason() is not None, reason=str(embedding.unavailable_reason())
)


@needs_model
def test_sentences_embedded_ahead_leave_the_related_pass_nothing_to_embed(
    model_calls, tmp_path, monkeypatch
):
    articles, pairs = corpus()
    once = [aligner_of(articles).align(a, b, wording=False) for a, b in pairs]
    embedded_once = model_calls[1]
    forget_vectors(model_calls, tmp_path, monkeypatch, "ahead")
    aligner = aligner_of(articles)
    aligner.embed_ahead_in_background(paused=lambda: False)
    embedder = aligner._embedder
    assert embedder is not None
    for a, b in pairs:
        aligner.align(a, b, wording=False, sentence_model=False)
    assert embedder.wait_until_idle(timeout_s=120)
    ahead = list(model_calls)
    twice = [aligner.align(a, b, wording=False) for a, b in pairs]
    aligner.close()
    assert twice == once
    assert any(link.kind == "related" for links in once for link in links)
    assert ahead[1] == embedded_once, "embedded ahead: not the sentences the pass needs"
    assert model_calls == ahead, "the related pass still had sentences to embed"


@needs_model
def test_a_sentence_another_thread_is_encoding_is_waited_for_not_encoded_again(
    model_calls, monkeypatch
):
    encoded: list[str] = []
    first_inside, release, second_inside = threading.Event(), threading.Event(), threading.Event()
    real_encode = embedding.SentenceEncoder.encode

    def held_encode(self, texts):
        encoded.extend(texts)
        if not first_inside.is_set():
            first_inside.set()
            assert release.wait(60)
        else:
            second_inside.set()
        return real_encode(self, texts)

    monkeypatch.setattr(embedding.SentenceEncoder, "encode", held_encode)
    shared = ["The minister arrived in the capital on Monday.", "Talks lasted two hours."]
    own = ["Protesters gathered outside the embassy."]
    results: dict[str, object] = {}
    first = threading.Thread(
        target=lambda: results.update(first=embedding.sentence_vectors(shared))
    )
    first.start()
    assert first_inside.wait(60)
    second = threading.Thread(
        target=lambda: results.update(second=embedding.sentence_vectors(own + shared))
    )
    second.start()
    assert second_inside.wait(60), "the second thread did not encode its own sentence"
    release.set()
    first.join(60)
    second.join(60)
    assert sorted(encoded) == sorted(shared + own), "a sentence was encoded twice"
    assert (results["second"][1:] == results["first"]).all()  # type: ignore[index]


@needs_model
def test_waiting_for_another_threads_sentences_can_be_cancelled(model_calls, monkeypatch):
    inside, release = threading.Event(), threading.Event()
    real_encode = embedding.SentenceEncoder.encode

    def held_encode(self, texts):
        inside.set()
        assert release.wait(60)
        return real_encode(self, texts)

    monkeypatch.setattr(embedding.SentenceEncoder, "encode", held_encode)
    texts = ["The minister arrived in the capital on Monday."]
    first = threading.Thread(target=lambda: embedding.sentence_vectors(texts))
    first.start()
    assert inside.wait(60)
    try:
        with pytest.raises(embedding.Cancelled):
            embedding.sentence_vectors(texts, cancelled=lambda: True)
    finally:
        release.set()
        first.join(60)
    assert embedding.not_in_memory(texts) == []
