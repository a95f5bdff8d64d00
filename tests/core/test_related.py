"""Related links: the same fact in other words, measured on labelled pairs.

Run with ``-s`` for the precision/recall table per pair and per kind.
Seed pairs 001/002 and 000/003 are held out: never labelled, never tuned on.
"""

from __future__ import annotations

import shutil

import pytest

from reader.core import embedding
from reader.core.align import COPIED, RELATED, Aligner
from reader.core.articles import article_from_text
from reader.core.evaluation import detections_from_links, score_pairs
from tests.core.test_alignment_quality import DATA, SEED_003, SEED_004, labeled, seed, seeds

needs_model = pytest.mark.skipif(
    embedding.unavailable_reason() is not None, reason=str(embedding.unavailable_reason())
)
PARAPHRASE = [p for p in sorted(DATA.glob("*__*.yaml")) if p.stem != f"{SEED_003}__{SEED_004}"]
WIRE = DATA / f"{SEED_003}__{SEED_004}.yaml"


def table_row(name, kind, scores):
    print(
        f"\n{name:<45} {kind:<8} P {scores.precision:.3f}  R {scores.recall:.3f}  "
        f"gran {scores.granularity:.2f}  plagdet {scores.plagdet:.3f}"
    )


@needs_model
def test_related_links_on_paraphrase_only_pairs():
    aligner = Aligner(seeds())
    pooled_related = []
    for path in PARAPHRASE:
        a, b, cases = labeled(path)
        links = aligner.align(a, b)
        related = [link for link in links if link.kind == RELATED]
        for kind, chosen in (
            (COPIED, [link for link in links if link.kind == COPIED]),
            (RELATED, related),
            ("all", links),
        ):
            table_row(path.stem, kind, score_pairs([(cases, detections_from_links(chosen))]))
        pooled_related.append((cases, detections_from_links(related)))
    scores = score_pairs(pooled_related)
    table_row("paraphrase pairs pooled", RELATED, scores)
    # Measured (7 seed paraphrase pairs pooled): precision 0.60, recall 0.65 (was 0.37 / 0.53
    # before the topic was taken out of the cosine). In sample: leave one pair out
    # (benchmarks/fit_related.py) gives 0.58 / 0.57 on the seed pairs, see README.
    assert scores.recall >= 0.5, scores
    assert scores.precision >= 0.6, scores


@needs_model
def test_pairs_written_in_other_words_get_related_links_not_copied_ones():
    # Our written pairs tell the same facts with no wording in common but names: a link
    # that shares "St. Aldric Hospital" and single words is the same fact in other words.
    from tests.labelled_pairs import labelled_pairs

    pooled, copied = [], 0
    for pair in labelled_pairs(origin="written"):
        if pair.held_out:
            continue
        links = Aligner([pair.a, pair.b]).align(pair.a, pair.b)
        copied += sum(link.kind == COPIED for link in links)
        related = [link for link in links if link.kind == RELATED]
        pooled.append((pair.cases, detections_from_links(related)))
    scores = score_pairs(pooled)
    table_row("written pairs pooled", RELATED, scores)
    # Measured: precision 0.94, recall 0.62 (0.91 / 0.30 when links sharing only names
    # were called copied); issue #7 asks 0.6 / 0.5 on paraphrase-only pairs.
    assert copied == 0
    assert scores.precision >= 0.6, scores
    assert scores.recall >= 0.5, scores


@needs_model
def test_wire_pair_copied_links_keep_their_plagdet():
    from tests.labelled_pairs import load_pair

    pair = load_pair(WIRE).of_kind(COPIED)
    a, b, cases = pair.a, pair.b, pair.cases
    links = Aligner(seeds()).align(a, b, kinds=(COPIED,))
    scores = score_pairs([(cases, detections_from_links(links))])
    table_row(WIRE.stem, COPIED, scores)
    assert scores.plagdet >= 0.91, scores


@needs_model
def test_wire_pair_keeps_its_plagdet_with_both_kinds_counted():
    a, b, cases = labeled(WIRE)
    links = Aligner(seeds()).align(a, b)
    scores = score_pairs([(cases, detections_from_links(links))])
    table_row(WIRE.stem, "all", scores)
    # Measured: plagdet 0.932 (P 0.97, R 0.90); 0.805 before anchored pairs (related.py):
    # the 3 related cases restate, in 003's title, standfirst and "notably strengthened"
    # sentence, what 004 tells in sentences copied from 003's lede. The title stays out
    # (a heading); the other two are found next to the copied lede.
    assert scores.plagdet >= 0.91, scores


@needs_model
def test_first_visit_in_24_years_links_to_first_since_2000():
    a, b = seed("001_de25de7d48a037bb"), seed(SEED_004)
    links = [link for link in Aligner(seeds()).align(a, b) if link.kind == RELATED]
    at_a = a.text.index("marking his first visit")
    at_b = b.text.index("his first since 2000")
    assert any(
        link.a_span[0] <= at_a < link.a_span[1] and link.b_span[0] <= at_b < link.b_span[1]
        for link in links
    ), links


UNRELATED_A = (
    "The city council approved a new budget for public libraries on Tuesday evening.\n\n"
    "Under the plan, three branches will extend their opening hours to ten at night.\n\n"
    "The head librarian said the money would also pay for two hundred new laptops.\n\n"
    "Opposition members argued that the parks department had been left short of funds.\n\n"
    "The budget passed by nine votes to four after a debate of almost five hours.\n"
)
UNRELATED_B = (
    "Heavy rain flooded low-lying farmland along the river valley over the weekend.\n\n"
    "Farmers said the wheat harvest in the region could fall by a third this year.\n\n"
    "Emergency crews used boats to reach a village cut off by the rising water.\n\n"
    "The weather service expects more storms to cross the coast by Thursday.\n\n"
    "Insurers warned that claims for crop damage would take months to settle.\n"
)


@needs_model
def test_articles_about_unrelated_events_get_no_related_links():
    a, b = article_from_text(UNRELATED_A, "budget"), article_from_text(UNRELATED_B, "flood")
    assert Aligner([*seeds(), a, b]).align(a, b) == []


@needs_model
def test_read_more_headlines_get_no_related_links():
    b = seed(SEED_004)
    start, end = b.text.index("Read More"), b.text.index("Ahead of his arrival")
    aligner = Aligner(seeds())
    for other in seeds():
        if other.id != b.id:
            for link in aligner.align(other, b, kinds=(RELATED,)):
                assert not (link.b_span[0] < end and link.b_span[1] > start), (other.id, link)


def test_kinds_choose_what_align_returns():
    a, b = seed(SEED_003), seed(SEED_004)
    aligner = Aligner(seeds())
    assert all(link.kind == COPIED for link in aligner.align(a, b, kinds=(COPIED,)))
    assert all(link.kind == RELATED for link in aligner.align(a, b, kinds=(RELATED,)))
    with pytest.raises(ValueError, match="unknown link kind"):
        aligner.align(a, b, kinds=("similar",))


@pytest.fixture
def restore_model():
    yield
    embedding.use_model_files(None)


@needs_model
def test_truncated_model_file_gives_one_message_and_copied_links_only(
    tmp_path, restore_model, capsys
):
    files = embedding.default_files()
    truncated = tmp_path / "model.onnx"
    truncated.write_bytes(files.model.read_bytes()[:100_000])
    embedding.use_model_files(embedding.ModelFiles(truncated, files.tokenizer))
    reason = embedding.unavailable_reason()
    assert (
        reason is not None
        and "truncated" in reason
        and str(truncated) in reason
        and "\n" not in reason
    )
    a, b = seed(SEED_003), seed(SEED_004)
    links = Aligner(seeds()).align(a, b)
    assert links and all(link.kind == COPIED for link in links)


@needs_model
def test_wrong_files_and_missing_files_are_reported_not_raised(tmp_path, restore_model):
    files = embedding.default_files()
    wrong = tmp_path / "tokenizer.json"
    shutil.copy(files.model, tmp_path / "model.onnx")
    wrong.write_text("{not json", encoding="utf-8")
    embedding.use_model_files(embedding.ModelFiles(tmp_path / "model.onnx", wrong))
    assert "not a tokenizer file" in embedding.unavailable_reason()
    embedding.use_model_files(embedding.ModelFiles(tmp_path / "gone.onnx", files.tokenizer))
    assert "no such file" in embedding.unavailable_reason()
    assert embedding.sentence_vectors(["Any sentence at all."]) is None


def test_cli_says_once_how_to_get_related_links(tmp_path, restore_model, capsys):
    from reader.cli import main

    embedding.use_model_files(embedding.ModelFiles(tmp_path / "gone.onnx", tmp_path / "gone.json"))
    a, b = seed(SEED_003), seed(SEED_004)
    assert main(["align", str(a.path), str(b.path)]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("Related links are off") == 1
    assert "related" not in {line.split()[0] for line in captured.out.splitlines() if line.strip()}


def test_a_year_conflict_vetoes_a_related_link():
    # Two quakes in one town five years apart read alike to the model; the years tell them apart.
    import numpy as np

    from reader.core.related import related_links

    a = article_from_text(
        "A strong earthquake struck the town of Oskel in March 2019, officials said.\n\n"
        "Rescue teams searched the rubble of collapsed homes through the night.\n",
        "a",
    )
    b = article_from_text(
        "A strong earthquake struck the town of Oskel in March 2024, officials said.\n\n"
        "Farmers in the valley worried about the wheat harvest this coming year.\n",
        "b",
    )
    from dataclasses import replace

    from reader.core.related import DEFAULT_WEIGHTS

    same = np.eye(3, dtype=np.float32)
    vectors = (same[[0, 1]], same[[0, 2]])  # the quake sentences identical, the others unlike
    # one link is all these two-sentence stories can have: let one link count
    lone = replace(DEFAULT_WEIGHTS, corroboration=1)
    assert related_links(a, b, vectors=vectors, weights=lone) == []
    c = article_from_text(b.text.replace("2024", "2019"), "c")
    assert [link.a_sentences for link in related_links(a, c, vectors=vectors, weights=lone)] == [
        (0, 0)
    ]


def test_a_day_conflict_vetoes_a_related_link():
    # Two strikes' talks "resume on February 3" and "on December 7": the same kind of fact,
    # another event. The same day written the other way round ("3 February") still links.
    from dataclasses import replace

    import numpy as np

    from reader.core.related import DEFAULT_WEIGHTS, related_links

    def two(first: str, name: str):
        return article_from_text(
            first + "\n\nThe workers gathered outside the gates of the plant at dawn.\n", name
        )

    a = two(
        "Talks between the union and the company will resume on February 3, the ministry said.", "a"
    )
    b = two("The ministry said the union and the company would meet again on December 7.", "b")
    c = two("The ministry said the union and the company would meet again on 3 February.", "c")
    same = np.eye(3, dtype=np.float32)
    vectors = (same[[0, 1]], same[[0, 2]])  # the talks sentences identical, the others unlike
    lone = replace(DEFAULT_WEIGHTS, corroboration=1)
    assert related_links(a, b, vectors=vectors, weights=lone) == []
    assert [link.a_sentences for link in related_links(a, c, vectors=vectors, weights=lone)] == [
        (0, 0)
    ]


def test_a_stricter_similarity_never_turns_copied_wording_into_related_links():
    a, b = seed(SEED_003), seed(SEED_004)
    aligner = Aligner(seeds())
    lenient = aligner.align(a, b)
    copied_sentences = {
        i
        for link in lenient
        if link.kind == COPIED
        for i in range(link.a_sentences[0], link.a_sentences[1] + 1)
    }
    strict = aligner.align(a, b, threshold=0.8)
    assert len(strict) <= len(lenient)
    for link in strict:
        if link.kind == RELATED:
            assert not copied_sentences & set(range(link.a_sentences[0], link.a_sentences[1] + 1))


def shuffled_words(text: str, seed: int, *, across_sentences: bool) -> str:
    """Nonsense with an article's own words: shuffled in each sentence, or across the whole text."""
    import random
    import re

    rng = random.Random(seed)
    if across_sentences:
        words = text.split()
        rng.shuffle(words)
        return "\n\n".join(
            " ".join(words[k : k + 18]).capitalize() + "." for k in range(0, len(words), 18)
        )
    sentences = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        words = sentence.rstrip(".!?").split()
        rng.shuffle(words)
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut "
    "labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco "
    "laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in "
    "voluptate velit esse cillum dolore eu fugiat nulla pariatur.\n\n"
) * 3


@needs_model
@pytest.mark.parametrize(
    "make, other",
    [
        (lambda: shuffled_words(seed(SEED_004).text, 7, across_sentences=True), SEED_003),
        (
            lambda: shuffled_words(seed("001_de25de7d48a037bb").text, 7, across_sentences=True),
            SEED_004,
        ),
        (lambda: shuffled_words(seed(SEED_004).text, 7, across_sentences=False), SEED_003),
        (lambda: LOREM, SEED_004),
    ],
    ids=["004 shuffled", "001 shuffled", "004 shuffled in each sentence", "lorem ipsum"],
)
def test_nonsense_gets_no_related_links(make, other):
    # a bag of a story's words sits close to the story in the sentence model; it states no fact
    nonsense = article_from_text(make(), "nonsense")
    real = seed(other)
    assert Aligner([*seeds(), nonsense]).align(real, nonsense, kinds=(RELATED,)) == []


def test_every_real_article_reads_as_prose():
    # the nonsense gate must never cost a real article its related links
    from reader.core.related import is_prose
    from tests.labelled_pairs import labelled_pairs, unrelated_corpus

    written = [x for pair in labelled_pairs(origin="written") for x in (pair.a, pair.b)]
    for article in [*seeds(), *written, *unrelated_corpus()]:
        assert is_prose(article), article.id
    for text in (LOREM, shuffled_words(seed(SEED_004).text, 1, across_sentences=True)):
        assert not is_prose(article_from_text(text, "x"))


@needs_model
def test_the_seed_corpus_map_lists_a_pair_that_shares_facts_but_no_wording():
    from reader.core.corpus_index import CorpusIndex, corpus_map

    # 000 (an analysis piece) and 004 (a wire story) share no rare wording, so the
    # shingle index never proposes them; in a folder of five the map compares every pair.
    articles = seeds()
    found = corpus_map(CorpusIndex.build(articles), workers=1)
    names = {(p.key.a_id[:3], p.key.b_id[:3]): p.links for p in found.pairs}
    assert names.get(("000", "004"), 0) > 0, names
