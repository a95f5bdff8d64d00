"""How well the aligner finds what two outlets share, scored like PAN text alignment.

Ground truth comes from the rewrite generator (known splits, merges, moves,
rewording, insertions and furniture) and from hand-labeled seed pairs in
tests/data/alignment/. Minimums sit a little below what the aligner measured
when they were set (numbers in each test); a drop below them is a regression
a reader would see as missing or wrong bands between passages.
Run with ``-s`` to print the measured scores.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from reader.core.align import Aligner, Link, align
from reader.core.articles import Article, article_from_text, load_corpus
from reader.core.evaluation import Case, Scores, detections_from_links, score_pairs
from reader.core.rewrite import rewrite, synthetic_pair
from tests.labelled_pairs import label_files, load_pair

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests/data/alignment"
STORIES = yaml.safe_load((DATA / "stories.yaml").read_text(encoding="utf-8"))
SEED_003 = "003_6be4897fac851f08"
SEED_004 = "004_d641075c740f0b50"
# These tests measure the copied-wording aligner (the rewrite generator's
# truth is copied and lightly reworded text); related links are measured in
# test_related.py.
COPIED_ONLY = ("copied",)


@lru_cache(maxsize=1)
def seeds() -> tuple[Article, ...]:
    return load_corpus(SEEDS).articles


def seed(article_id: str) -> Article:
    return next(a for a in seeds() if a.id == article_id)


def story(name: str) -> str:
    lines = (SEEDS / name).read_text(encoding="utf-8").split("\n")
    return "\n\n".join(lines[n - 1] for n in STORIES[name]) + "\n"


def report(label: str, scores: Scores) -> Scores:
    print(f"\n{label}: {scores}")
    return scores


def at_least(
    scores: Scores, *, precision: float, recall: float, plagdet: float, granularity: float
) -> None:
    assert scores.precision >= precision, scores
    assert scores.recall >= recall, scores
    assert scores.plagdet >= plagdet, scores
    assert scores.granularity <= granularity, scores


# --- generated ground truth ----------------------------------------------------


def score_rewrites(name: str, seeds_: range) -> Scores:
    pairs = []
    for n in seeds_:
        truth = rewrite(story(name), n)
        a = article_from_text(truth.a_text, "source")
        b = article_from_text(truth.b_text, "rewrite")
        # the app aligns inside a corpus: the seeds give the words every outlet uses
        links = Aligner([*seeds(), a, b]).align(a, b, kinds=COPIED_ONLY)
        pairs.append((truth.cases, detections_from_links(links)))
    return score_pairs(pairs)


@pytest.mark.parametrize("name", sorted(STORIES))
def test_rewrites_of_each_seed_story_are_found(name):
    # measured (8 rewrites each): lowest precision 0.980, recall 0.985, plagdet 0.990, granularity 1.0
    scores = report(f"rewrites of {name}", score_rewrites(name, range(1, 9)))
    at_least(scores, precision=0.95, recall=0.95, plagdet=0.95, granularity=1.02)


def test_rewrites_of_all_seed_stories_together():
    pairs = []
    for name in sorted(STORIES):
        for n in range(1, 9):
            truth = rewrite(story(name), n)
            a, b = (
                article_from_text(truth.a_text, "source"),
                article_from_text(truth.b_text, "rewrite"),
            )
            pairs.append(
                (
                    truth.cases,
                    detections_from_links(Aligner([*seeds(), a, b]).align(a, b, kinds=COPIED_ONLY)),
                )
            )
    # measured: precision 0.991 recall 0.997 granularity 1.0 plagdet 0.994
    scores = report("rewrites of all seed stories", score_pairs(pairs))
    at_least(scores, precision=0.97, recall=0.98, plagdet=0.97, granularity=1.02)


def test_synthetic_rewrites_are_found_without_a_corpus():
    pairs = []
    for n in range(1, 6):
        truth = synthetic_pair(300, n)
        a, b = article_from_text(truth.a_text, "a"), article_from_text(truth.b_text, "b")
        pairs.append((truth.cases, detections_from_links(align(a, b, kinds=COPIED_ONLY))))
    # measured: precision 0.991 recall 1.0 granularity 1.0 plagdet 0.995
    scores = report("synthetic 300-sentence rewrites", score_pairs(pairs))
    at_least(scores, precision=0.97, recall=0.98, plagdet=0.97, granularity=1.02)


# --- hand-labeled seed pairs -----------------------------------------------------


def labeled(path: Path) -> tuple[Article, Article, list[Case]]:
    """A label file's two articles and all its cases, whatever their kind (copied and related)."""
    pair = load_pair(path)
    return pair.a, pair.b, pair.cases


LABELED = sorted(DATA.glob("*__*.yaml"))


def test_at_least_two_seed_pairs_are_labeled():
    assert len(LABELED) >= 2


def headline_list(text: str) -> tuple[int, int] | None:
    """The "Read More" line and the "- headline" lines after it, if the article has them."""
    match = re.search(r"^Read More\n(?:- .*\n?)*", text, re.MULTILINE)
    return match.span() if match else None


@pytest.mark.parametrize("path", label_files(), ids=lambda p: p.stem)
def test_labels_quote_the_files(path):
    a, b, cases = labeled(path)
    assert cases
    for article, ranges in ((a, [c.a for c in cases]), (b, [c.b for c in cases])):
        furniture = headline_list(article.text)
        if furniture:
            assert all(end <= furniture[0] or start >= furniture[1] for start, end in ranges)


# Measured when set (threshold DEFAULT_THRESHOLD, the seeds as corpus), against every case:
#   003/004 (shared wire copy): precision 0.948 recall 0.700 granularity 1.000 plagdet 0.805
#     (labels with kinds: 003's title "receives warm welcome", its "red carpet welcome"
#     standfirst line and "relationship has notably strengthened" are their own related cases,
#     restated rather than copied, which the copied aligner misses; before the split, 7 coarser
#     cases gave recall 0.880 plagdet 0.913.
#     The passage joined across subheadings takes in Kirby, 003 only)
#   paraphrase-only pairs (every case related): no links at all - precision 1.0 by
#     convention, recall 0.
# The paraphrase pairs guard against false links; their recall is a known gap
# (no minimum can be set on a measured 0 without being a test that cannot fail).
MINIMUMS = {
    f"{SEED_003}__{SEED_004}": dict(precision=0.92, recall=0.68, plagdet=0.78, granularity=1.1),
}
PARAPHRASE_ONLY = dict(precision=0.90, granularity=1.3)


@pytest.mark.parametrize("path", LABELED, ids=lambda p: p.stem)
def test_hand_labeled_pair(path):
    a, b, cases = labeled(path)
    links = Aligner(seeds()).align(a, b, kinds=COPIED_ONLY)
    scores = report(
        f"hand-labeled {path.stem}", score_pairs([(cases, detections_from_links(links))])
    )
    minimum = MINIMUMS.get(path.stem, PARAPHRASE_ONLY)
    at_least(scores, **{"recall": 0.0, "plagdet": 0.0, **minimum})


def test_copied_links_find_every_copied_case_of_the_wire_pair():
    # measured against the copied cases of 003/004 only: precision 0.948 recall 1.000
    # granularity 1.000 plagdet 0.973 - every miss of the aligner is a restated (related) case
    pair = load_pair(DATA / f"{SEED_003}__{SEED_004}.yaml").of_kind("copied")
    # links without a kind (the aligner before related links) are copied ones
    links = [
        link
        for link in Aligner(seeds()).align(pair.a, pair.b)
        if getattr(link, "kind", "copied") == "copied"
    ]
    scores = report(
        "copied cases of 003/004", score_pairs([(pair.cases, detections_from_links(links))])
    )
    at_least(scores, precision=0.92, recall=0.97, plagdet=0.95, granularity=1.1)


# --- what a reader would notice ------------------------------------------------------

PARAGRAPHS = [
    "The regional council met on Monday to discuss the harbour expansion plan. "
    "Councillors argued for three hours about dredging costs and fishing rights.",
    "Engineers from the port authority presented soil surveys of the eastern quay. "
    "They warned that the old sea wall would need reinforcing before any construction.",
    "A group of fishermen protested outside the chamber with banners and loud horns. "
    "Their spokesman said the dredging would destroy the mussel beds along the estuary.",
    "The mayor promised a public consultation before the final vote in November. "
    "Residents can submit written comments at the library until the end of October.",
]


def links_covering(
    links: list[Link], a_at: int | None = None, b_at: int | None = None
) -> list[Link]:
    return [
        link
        for link in links
        if (a_at is None or link.a_span[0] <= a_at < link.a_span[1])
        and (b_at is None or link.b_span[0] <= b_at < link.b_span[1])
    ]


def test_moved_paragraph_is_found_at_its_new_place():
    a = article_from_text("\n\n".join(PARAGRAPHS) + "\n", "a")
    moved = [PARAGRAPHS[0], PARAGRAPHS[2], PARAGRAPHS[3], PARAGRAPHS[1]]
    b = article_from_text("\n\n".join(moved) + "\n", "b")
    links = align(a, b)
    surveys_a = a.text.index("Engineers from the port authority")
    surveys_b = b.text.index("Engineers from the port authority")
    assert links_covering(links, a_at=surveys_a, b_at=surveys_b)
    wall_a, wall_b = a.text.index("old sea wall"), b.text.index("old sea wall")
    assert links_covering(links, a_at=wall_a, b_at=wall_b)


def test_sentence_split_in_two_links_to_both_halves():
    whole = (
        "The minister said the new bridge over the river would open in March, "
        "and the city would pay for half of the repairs to the approach roads."
    )
    a = article_from_text(f"{PARAGRAPHS[0]}\n\n{whole} {PARAGRAPHS[3]}\n", "a")
    halves = (
        "The minister said the new bridge over the river would open in March. "
        "The city would pay for half of the repairs to the approach roads."
    )
    b = article_from_text(f"{PARAGRAPHS[0]}\n\n{halves} {PARAGRAPHS[3]}\n", "b")
    links = align(a, b)
    at = a.text.index("The minister said")
    assert links_covering(links, a_at=at, b_at=b.text.index("The minister said"))
    assert links_covering(links, a_at=at, b_at=b.text.index("The city would pay"))


def test_read_more_headlines_of_004_link_to_nothing():
    b = seed(SEED_004)
    start = b.text.index("Read More")
    end = b.text.index("Ahead of his arrival")
    aligner = Aligner(seeds())
    for other in seeds():
        if other.id == b.id:
            continue
        for links, side in (
            (aligner.align(other, b), "b_span"),
            (aligner.align(b, other), "a_span"),
        ):
            touching = [
                link
                for link in links
                if getattr(link, side)[0] < end and getattr(link, side)[1] > start
            ]
            assert not touching, (other.id, touching)


def test_words_every_article_uses_do_not_link_unrelated_sentences():
    # Putin, North Korea, Pyongyang, Kim, Russia are in every seed: common, not evidence.
    a = article_from_text(
        "Putin and North Korea discussed railway freight tariffs with Kim in Pyongyang.\n\n"
        "The delegation toured a textile factory on the outskirts of the capital.\n",
        "a",
    )
    b = article_from_text(
        "Schoolchildren in Pyongyang waved flags for Putin, Kim and North Korea's Russian guests.\n\n"
        "Meteorologists predicted heavy monsoon rain over the eastern mountains.\n",
        "b",
    )
    assert Aligner([*seeds(), a, b]).align(a, b) == []


def test_cli_links_the_shared_wire_story_of_003_and_004():
    """The promise of the issue: `source-reader align seeds/003… seeds/004…`."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "reader",
            "align",
            str(SEEDS / f"{SEED_003}.txt"),
            str(SEEDS / f"{SEED_004}.txt"),
            "--json",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    links = json.loads(result.stdout)["links"]
    a, b = seed(SEED_003).text, seed(SEED_004).text

    def linked(a_words: str, b_words: str) -> bool:
        a_at, b_at = a.index(a_words), b.index(b_words)
        return any(
            link["a"][0] <= a_at < link["a"][1] and link["b"][0] <= b_at < link["b"][1]
            for link in links
        )

    assert linked("delegation includes", "delegation includes")
    assert linked("Kumsusan guesthouse", "Kumsusan Guesthouse")
    assert linked("parade in Kim Il Sung Square", "parade in Kim Il Sung Square")
    assert linked("friendly state visit", "friendly state visit")
    assert linked("seeking assistance with space technology", "space technology and shortages")
    assert linked("requires food, fuel", "food, fuel, and foreign currency")
    headlines = b.index("Read More"), b.index("Ahead of his arrival")
    assert not [
        link for link in links if link["b"][0] < headlines[1] and link["b"][1] > headlines[0]
    ]


# Two aligner failures these measures found (fixed in the aligner since):
# verbatim sentences lost when a deletion and an insertion sit between them,
# and a sentence only one outlet has swallowed into the passage around it.
@pytest.mark.parametrize("name", sorted(STORIES))
def test_every_verbatim_copied_sentence_is_linked_to_its_copy(name):
    for n in range(1, 9):
        truth = rewrite(story(name), n)
        a, b = article_from_text(truth.a_text, "source"), article_from_text(truth.b_text, "rewrite")
        links = Aligner([*seeds(), a, b]).align(a, b, kinds=COPIED_ONLY)
        b_sentences = {s.text: s for s in b.sentences}
        for sentence in a.sentences:
            copy = b_sentences.get(sentence.text)
            if copy is None or len(sentence.text.split()) < 8 or a.text.count(sentence.text) > 1:
                continue
            assert links_covering(links, a_at=sentence.start, b_at=copy.start), (n, sentence.text)


def test_sentence_only_one_outlet_has_stays_unlinked_between_copied_ones():
    shared_before = (
        "The regional council met on Monday to discuss the harbour expansion plan.\n\n"
        "Engineers from the port authority presented soil surveys of the eastern quay. "
    )
    shared_after = (
        "Fishermen warned that dredging would destroy the mussel beds along the estuary.\n\n"
        "Residents can submit written comments at the library until the end of October.\n"
    )
    a = article_from_text(
        shared_before + "The mayor thanked the volunteers who cleaned the beach "
        "last spring. " + shared_after,
        "a",
    )
    b = article_from_text(
        shared_before + "Shares in the chipmaker rose sharply after quarterly "
        "earnings beat estimates. " + shared_after,
        "b",
    )
    links = align(a, b)
    assert links_covering(links, a_at=a.text.index("Engineers"), b_at=b.text.index("Engineers"))
    assert links_covering(links, a_at=a.text.index("Fishermen"), b_at=b.text.index("Fishermen"))
    assert not links_covering(links, a_at=a.text.index("The mayor thanked"))
    assert not links_covering(links, b_at=b.text.index("Shares in the chipmaker"))
