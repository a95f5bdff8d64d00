"""One index for the corpus: candidate pairs stay within stories and miss none that share passages."""

from __future__ import annotations

from itertools import combinations

import pytest

from reader.core.align import Aligner
from reader.core.articles import article_from_text
from reader.core.corpus_generator import generate_articles
from reader.core.corpus_index import COMPARE_ALL_UP_TO, CorpusIndex, corpus_map


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
    # Past the limit only pairs sharing wording (or rare names and numbers, which invented
    # syllables do not have) are aligned: no all-pairs work at scale.
    assert index.pairs_to_compare(compare_all_up_to=count - 1) == candidates


# -- independent reports: pairs found by shared rare names and numbers ---------


@pytest.fixture(scope="module")
def with_independent_reports():
    """A prose folder past COMPARE_ALL_UP_TO where a third of the articles were written
    wholly in their outlet's own words, and its corpus map."""
    made = generate_articles(COMPARE_ALL_UP_TO + 8, seed=0, independent=0.3)
    articles = [article_from_text(g.text, g.name[:-4], g.name) for g in made]
    index = CorpusIndex.build(articles)
    return index, made, corpus_map(index)


def test_a_story_pair_sharing_no_wording_is_compared_and_linked_in_the_corpus_map(
    with_independent_reports,
):
    index, made, found = with_independent_reports
    by_wording = index.candidate_pairs()
    compared = index.pairs_to_compare()
    # Pairs sharing wording are still aligned first, as ranked.
    assert compared[: len(by_wording)] == by_wording
    proposed = {(c.a, c.b) for c in by_wording}
    added = [(c.a, c.b) for c in compared[len(by_wording) :]]
    assert added and not proposed & set(added)
    # The pairs the shingle index missed are pairs of one story, one of them written
    # independently: their shared details are the event's, not a site's.
    assert all(made[a].story == made[b].story for a, b in added)
    assert all(made[a].independent or made[b].independent for a, b in added)
    linked = {(p.key.a_id, p.key.b_id) for p in found.pairs if p.links}
    for a, b in added:
        assert tuple(sorted((index.articles[a].id, index.articles[b].id))) in linked


def _report(title: str, outlet: str, body: str) -> str:
    return f"{title}\n\n{outlet} | World\n\n{body}\n"


# Two reports of one event in other words: they share a place, a person and a number,
# and also "World" (their mastheads) and "2025", which every article of the generated
# folder has (its copyright line).
FERRY = _report(
    "Ferry services suspended",
    "Harbour Notes",
    "The ferry to Skarvik stopped running after a storm, said Ingrid Valborg of the port"
    " office. She said 7,431 passengers had been waiting at the pier. The wind was the"
    " strongest of 2025, and the boats stayed where they were.",
)
STORM = _report(
    "Storm keeps boats in port",
    "Coast Weekly",
    "A storm closed the pier, and travellers to Skarvik waited for hours. The port office"
    " under Ingrid Valborg counted 7,431 people in the queue. Cafes near the water sold out of"
    " coffee by noon, as on no other day of 2025.",
)


def _compared_with_generated(first: str, second: str) -> tuple[bool, bool]:
    """Whether the two texts, put in a generated folder of more than COMPARE_ALL_UP_TO
    articles, are proposed by wording, and whether they are compared at all."""
    made = generate_articles(COMPARE_ALL_UP_TO + 8, seed=0, independent=0.3)
    texts = [g.text for g in made] + [first, second]
    articles = [article_from_text(text, f"a{n}", f"a{n}.txt") for n, text in enumerate(texts)]
    index = CorpusIndex.build(articles)
    pair = (len(texts) - 2, len(texts) - 1)
    by_wording = {(c.a, c.b) for c in index.candidate_pairs()}
    return pair in by_wording, pair in {(c.a, c.b) for c in index.pairs_to_compare()}


def test_reports_sharing_rare_names_and_numbers_are_compared():
    assert _compared_with_generated(FERRY, STORM) == (False, True)


def test_reports_sharing_one_rare_name_and_names_everyone_has_are_not_compared():
    # The second report now names another official and another count: the two share
    # three details still, but only one is rare (Skarvik); "World" and "2025" are in
    # every article of the folder and say nothing about the event.
    other = STORM.replace("Ingrid Valborg", "Tomas Lindgren").replace("7,431", "5,020")
    assert _compared_with_generated(FERRY, other) == (False, False)
