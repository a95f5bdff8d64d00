"""The labelled pairs are honest data: quotes land where they say, every case has a kind,
held-out pairs stay unlabelled, written pairs share facts but not wording."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest
import yaml

from reader.core.articles import article_from_text
from tests.labelled_pairs import (
    COPIED,
    HELD_OUT,
    KINDS,
    RELATED,
    SEED_LABELS,
    WRITTEN,
    LabelError,
    label_files,
    labelled_pairs,
    load_pair,
    quote_range,
    unrelated_corpus,
)

CASE_KEYS = {"why", "kind", "a", "b", "a_occurrence", "b_occurrence", "doubtful"}


def all_label_yaml() -> list[Path]:
    """Every YAML under the label folders, whatever its name (a misnamed file must not hide)."""
    return sorted(p for folder in (SEED_LABELS, WRITTEN) for p in folder.rglob("*.y*ml"))


@pytest.mark.parametrize("path", label_files(), ids=lambda p: p.stem)
def test_every_case_says_its_kind_and_why(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["cases"], f"{path.name}: no cases"
    for n, item in enumerate(data["cases"], 1):
        assert item.get("kind") in KINDS, f"{path.name} case {n}: kind {item.get('kind')!r}"
        assert item.get("why"), f"{path.name} case {n}: no why"
        # a misspelt key ("doubtfull", "b_occurence") would silently change the gold
        assert set(item) <= CASE_KEYS, f"{path.name} case {n}: unknown {set(item) - CASE_KEYS}"
        assert item.get("doubtful", False) in (True, False), f"{path.name} case {n}: doubtful"


@pytest.mark.parametrize("path", label_files(), ids=lambda p: p.stem)
def test_every_quote_is_found_exactly_where_said(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pair = load_pair(path)
    assert path.stem == f"{pair.a.id}__{pair.b.id}", "a label file is named after its two articles"
    for item, labelled in zip(data["cases"], pair.labelled, strict=True):
        for side, article, (start, end) in (
            ("a", pair.a, labelled.case.a),
            ("b", pair.b, labelled.case.b),
        ):
            quotes = item[side]
            first, last = article.sentence_at(start), article.sentence_at(end - 1)
            # the passage is whole sentences: from the one holding the first quote ...
            assert (start, end) == (first.start, last.end)
            at = article.text.find(quotes[0], start)
            assert first.start <= at < first.end, (path.name, quotes[0])
            # ... to the one holding the last quote
            at = article.text.rfind(quotes[-1], start, end)
            assert at >= 0 and last.start < at + len(quotes[-1]) <= last.end, (
                path.name,
                quotes[-1],
            )


def test_a_misplaced_quote_is_refused_with_file_and_case_named():
    article = article_from_text("Alpha met Beta on Monday. They agreed on a treaty.\n", "x")
    with pytest.raises(LabelError, match=r"labels\.yaml case 3: quote 'Gamma' occurs 0 times"):
        quote_range(article, ["Gamma"], "labels.yaml case 3")
    with pytest.raises(LabelError, match="not found after"):
        quote_range(article, ["They agreed", "Alpha"], "labels.yaml case 1")
    assert quote_range(article, ["met Beta", "a treaty"], "ok") == (
        0,
        len(article.text.rstrip("\n")),
    )


def test_held_out_pairs_are_never_labelled():
    # 001/002 and 000/003 are kept aside for an independent check of the related matcher
    held_out_names = [{a, b} for a, b in (tuple(pair) for pair in HELD_OUT)]
    for path in all_label_yaml():
        text = path.read_text(encoding="utf-8")
        for names in held_out_names:
            short = {name[:3] for name in names}
            assert not all(name in path.name for name in names), path
            assert not all(f"{s}_" in path.name for s in short), path
            data = yaml.safe_load(text)
            if isinstance(data, dict) and "a" in data and "b" in data:
                ids = {Path(str(data["a"])).stem, Path(str(data["b"])).stem}
                assert ids != names, f"{path.name} labels held-out pair {sorted(names)}"


def test_the_loader_refuses_a_held_out_pair(tmp_path):
    path = tmp_path / "001_de25de7d48a037bb__002_1d191d736c2cb189.yaml"
    path.write_text(
        "a: 001_de25de7d48a037bb.txt\nb: 002_1d191d736c2cb189.txt\ncases: []\n", encoding="utf-8"
    )
    with pytest.raises(LabelError, match="held out"):
        load_pair(path)


def test_kind_filter_keeps_every_pair_and_splits_the_cases():
    everything = labelled_pairs()
    copied, related = labelled_pairs(COPIED), labelled_pairs(RELATED)
    assert [p.name for p in copied] == [p.name for p in related] == [p.name for p in everything]
    for whole, c, r in zip(everything, copied, related, strict=True):
        assert sorted(map(repr, c.cases + r.cases)) == sorted(map(repr, whole.cases))
        assert {x.kind for x in c.labelled} <= {COPIED} and {x.kind for x in r.labelled} <= {
            RELATED
        }
    assert any(p.cases for p in copied) and any(p.cases for p in related)
    with pytest.raises(LabelError):
        labelled_pairs("similar")


def test_doubtful_cases_can_be_left_out():
    everything, sure = labelled_pairs(), labelled_pairs(doubtful=False)
    doubtful = [c for p in everything for c in p.labelled if c.doubtful]
    assert doubtful, "borderline calls are marked, not hidden"
    assert sum(len(p.cases) for p in sure) == sum(len(p.cases) for p in everything) - len(doubtful)
    assert not [c for p in sure for c in p.labelled if c.doubtful]


def test_a_case_without_kind_counts_as_copied(tmp_path):
    path = tmp_path / "003_6be4897fac851f08__004_d641075c740f0b50.yaml"
    path.write_text(
        "a: 003_6be4897fac851f08.txt\nb: 004_d641075c740f0b50.txt\ncases:\n"
        '  - a: ["Putin commended Kim"]\n    b: ["Putin praised Kim"]\n',
        encoding="utf-8",
    )
    pair = load_pair(path)
    assert [c.kind for c in pair.labelled] == [COPIED]


# --- pairs written for these tests ---------------------------------------------------

WORD = re.compile(r"\w+(?:['’]\w+)*")


def names_in(text: str) -> set[str]:
    """Words written with a capital inside a sentence (a capital after a full stop proves nothing)."""
    names = set()
    for match in WORD.finditer(text):
        before = text[: match.start()].rstrip(" \"“'‘(")
        if match.group()[:1].isupper() and before and before[-1] not in ".!?;:\n":
            names.add(match.group().lower())
    return names


def shared_phrases(a: str, b: str, n: int = 3) -> set[tuple[str, ...]]:
    """Runs of ``n`` words both texts use, leaving out runs that hold a name or a number."""
    names = names_in(a) | names_in(b)

    def runs(text: str) -> set[tuple[str, ...]]:
        words = [w.lower() for w in WORD.findall(text)]
        return {
            tuple(words[i : i + n])
            for i in range(len(words) - n + 1)
            if not any(w in names or any(c.isdigit() for c in w) for w in words[i : i + n])
        }

    return runs(a) & runs(b)


def test_shared_phrases_finds_copied_wording():
    assert shared_phrases("Crews laid booms after the leak.", "Later, crews laid booms again.") == {
        ("crews", "laid", "booms")
    }
    assert not shared_phrases("Mayor Ilse Korvan spoke.", "Then Mayor Ilse Korvan left.")


WRITTEN_PAIRS = labelled_pairs(origin="written")


def test_at_least_three_written_pairs_with_related_cases_only():
    assert len(WRITTEN_PAIRS) >= 3
    for pair in WRITTEN_PAIRS:
        assert len(pair.cases) >= 5 and {c.kind for c in pair.labelled} == {RELATED}, pair.name


@pytest.mark.parametrize("pair", WRITTEN_PAIRS, ids=lambda p: p.name)
def test_written_pairs_share_facts_not_wording(pair):
    assert shared_phrases(pair.a.text, pair.b.text) == set()
    for article in (pair.a, pair.b):
        assert 11 <= len(article.sentences) <= 21, (
            article.id,
            len(article.sentences),
        )  # headline + 10-20
        # some sentences only one side has: a matcher must leave them unlinked
        side = [c.a if article is pair.a else c.b for c in pair.cases]
        alone = [
            s
            for s in article.sentences[1:]
            if not any(start < s.end and s.start < end for start, end in side)
        ]
        assert len(alone) >= 2, article.id


def test_unrelated_corpus_is_different_events_on_shared_topics():
    corpus = unrelated_corpus()
    assert len(corpus) >= 4
    assert len({article.title for article in corpus}) == len(corpus)
    topic = {
        "earthquake",
        "quake",
        "magnitude",
        "epicentre",
        "depth",
        "visit",
        "trip",
        "president",
        "signed",
    }
    for article in corpus:
        words = {w.lower() for w in WORD.findall(article.text)}
        # each story shares topic words with another one, so only facts can tell them apart
        others = [
            o
            for o in corpus
            if o is not article
            and len(topic & words & {w.lower() for w in WORD.findall(o.text)}) >= 2
        ]
        assert others, article.id
    for a, b in combinations(corpus, 2):
        assert not shared_phrases(a.text, b.text), (a.id, b.id)


# --- what the aligner makes of them ------------------------------------------------------


def test_stories_about_different_events_get_no_links_of_any_kind():
    # gold for the unrelated corpus: no link at all between two different events,
    # however many topic words (magnitude, epicentre, state visit, president) they share
    from reader.core.align import Aligner

    corpus = unrelated_corpus()
    aligner = Aligner(corpus)
    for a, b in combinations(corpus, 2):
        assert aligner.align(a, b) == [], (a.id, b.id)
