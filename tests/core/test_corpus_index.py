"""One index for the corpus: candidate pairs stay within stories and miss none that share passages."""

from __future__ import annotations

from itertools import combinations

import pytest

from reader.core.align import Aligner
from reader.core.articles import article_from_text
from reader.core.corpus_generator import generate_articles
from reader.core.corpus_index import CorpusIndex, corpus_map


@pytest.fixture(scope="module")
def generated():
    made = generate_articles(30, seed=3, story_sizes=(2, 6), prose=False)
    articles = [article_from_text(g.text, g.name[:-4], g.name) for g in made]
    story = {a.id: g.story for a, g in zip(articles, made, strict=True)}
    return CorpusIndex.build(articles), story


def test_candidate_pairs_are_within_stories_and_find_every_pair_sharing_passages(generated):
    index, story = generated
    assert len(set(story.values())) >= 5
    candidates = {(c.a, c.b) for c in index.candidate_pairs()}
    arts = index.articles
    assert all(story[arts[a].id] == story[arts[b].id] for a, b in candidates)
    aligner = index.aligner()
    sharing = {
        (i, j)
        for i, j in combinations(range(len(arts)), 2)
        if story[arts[i].id] == story[arts[j].id] and aligner.align(arts[i], arts[j])
    }
    assert sharing and sharing <= candidates


def test_candidates_come_most_similar_first(generated):
    index, _ = generated
    scores = [c.score for c in index.candidate_pairs()]
    assert scores == sorted(scores, reverse=True)


def test_aligner_from_the_index_aligns_as_the_aligner_built_from_articles(generated):
    index, _ = generated
    a, b = index.articles[0], index.articles[1]
    assert index.aligner([a, b]).align(a, b) == Aligner(index.articles).align(a, b)


def test_corpus_map_closest_articles_are_in_the_same_story_with_or_without_workers(generated):
    index, story = generated
    serial = corpus_map(index, workers=1)
    assert serial.closest
    assert all(
        story[article] == story[closest.article_id] for article, closest in serial.closest.items()
    )
    assert corpus_map(index, workers=2) == serial
    for group in serial.stories():
        assert len({story[a.id] for a in group}) == 1


def test_a_small_corpus_compares_every_pair_wording_shared_or_not(generated):
    index, _ = generated
    count = len(index.articles)
    candidates = index.candidate_pairs()
    compared = index.pairs_to_compare()
    # Pairs sharing wording come first, as ranked; then every other pair, once.
    assert compared[: len(candidates)] == candidates
    assert sorted((p.a, p.b) for p in compared) == list(combinations(range(count), 2))
    # Past the limit only pairs sharing wording are aligned: no all-pairs work at scale.
    assert index.pairs_to_compare(compare_all_up_to=count - 1) == candidates
