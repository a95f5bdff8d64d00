"""Hand-labelled article pairs: which passages tell the same thing, and how.

Label files are ``<a>__<b>.yaml`` in ``tests/data/alignment/`` (seed pairs),
``tests/data/related/`` (paraphrase-only pairs written for these tests) and
``tests/data/related/wire/`` (written wire-style pairs: one outlet copies some
sentences of the other and tells others in its own words). Each case
quotes both articles (rules at the top of
``tests/data/alignment/003_6be4897fac851f08__004_d641075c740f0b50.yaml``)
and says its ``kind``:

- ``copied``: the two passages share wording (the same wire copy, lightly edited);
- ``related``: the same fact or statement in other words.

A case without ``kind`` (label files written before kinds existed) counts as
copied, so old files keep their meaning.

``unrelated_corpus()`` gives articles that each report a different event of
the same kind (three earthquakes, two of them in one place five years apart;
two state visits): any related link between two of them is wrong.

Seed pairs 001/002 and 000/003 are held out for an independent check and
must never get a label file (a test enforces it). Written pairs whose file
says ``held_out: true`` were written after the related matcher's signals and
weights were chosen: fitting leaves them out, and reports show them apart,
so their numbers are out of sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from reader.core.articles import Article, load_article, load_corpus
from reader.core.evaluation import Case

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_LABELS = ROOT / "tests/data/alignment"
WRITTEN = ROOT / "tests/data/related"
UNRELATED = WRITTEN / "unrelated"
WIRE = WRITTEN / "wire"

COPIED = "copied"
RELATED = "related"
KINDS = (COPIED, RELATED)

# Seed pairs kept aside for an independent check: never labelled, never tuned on.
HELD_OUT = frozenset(
    {
        frozenset({"001_de25de7d48a037bb", "002_1d191d736c2cb189"}),
        frozenset({"000_8041842b6ca122a9", "003_6be4897fac851f08"}),
    }
)


class LabelError(AssertionError):
    """A label file does not match its articles; the message names the file and the case."""


@dataclass(frozen=True)
class LabelledCase:
    """One gold link: a PAN case (character ranges in A and B), its kind and why it holds."""

    case: Case
    kind: str
    why: str
    doubtful: bool = (
        False  # a borderline call (the file's top comment says why); scores can leave it out
    )


@dataclass(frozen=True)
class LabelledPair:
    """Two articles and the gold links between them (possibly filtered to one kind)."""

    name: str
    path: Path
    a: Article
    b: Article
    labelled: tuple[LabelledCase, ...]
    # "seed" (real articles from seeds/), "written" (tests/data/related/, paraphrase only)
    # or "wire" (tests/data/related/wire/, copied and related cases)
    origin: str
    held_out: bool = False  # never fitted or tuned on (``held_out: true`` in the file)

    @property
    def cases(self) -> list[Case]:
        """The PAN cases, ready for ``reader.core.evaluation.score_pairs``."""
        return [item.case for item in self.labelled]

    def of_kind(self, kind: str | None) -> LabelledPair:
        """The same pair with only the cases of ``kind`` (all cases for None)."""
        if kind is None:
            return self
        _check_kind(kind, str(self.path))
        return LabelledPair(
            self.name,
            self.path,
            self.a,
            self.b,
            tuple(c for c in self.labelled if c.kind == kind),
            self.origin,
            self.held_out,
        )

    def without_doubtful(self) -> LabelledPair:
        """The same pair with only the cases the labeller was sure of."""
        return LabelledPair(
            self.name,
            self.path,
            self.a,
            self.b,
            tuple(c for c in self.labelled if not c.doubtful),
            self.origin,
            self.held_out,
        )


def _check_kind(kind: str, where: str) -> None:
    if kind not in KINDS:
        raise LabelError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")


@lru_cache(maxsize=1)
def seed_articles() -> tuple[Article, ...]:
    """The five seed articles, loaded the way the app loads a folder."""
    return load_corpus(SEEDS).articles


@cache
def _written_article(path: Path) -> Article:
    return load_article(path)


def article_named(name: str, label_file: Path) -> Article:
    """The article a label file names: next to the label file, else a seed."""
    beside = label_file.parent / name
    if beside.exists():
        return _written_article(beside)
    stem = Path(name).stem
    for article in seed_articles():
        if article.id == stem:
            return article
    raise LabelError(f"{label_file.name}: no article {name!r} beside it or in seeds/")


def quote_range(
    article: Article, quotes: list[str], where: str, occurrence: int | None = None
) -> tuple[int, int]:
    """From the start of the sentence holding the first quote to the end of the one holding the last.

    A first quote must occur once in the file, unless the label names which
    ``occurrence`` (1-based) it means; the last quote is searched after the first.
    """
    if not quotes or not all(isinstance(q, str) and q for q in quotes):
        raise LabelError(
            f"{where}: quotes must be a non-empty list of non-empty strings, not {quotes!r}"
        )
    first = quotes[0]
    count = article.text.count(first)
    if occurrence is None:
        if count != 1:
            raise LabelError(
                f"{where}: quote {first!r} occurs {count} times in {article.path.name}"
            )
        occurrence = 1
    if not 1 <= occurrence <= count:
        raise LabelError(f"{where}: quote {first!r} occurs {count} times, not {occurrence}")
    start = -1
    for _ in range(occurrence):
        start = article.text.find(first, start + 1)
    end = start + len(first)
    if len(quotes) > 1:
        found = article.text.find(quotes[-1], start)
        if found < 0:
            raise LabelError(
                f"{where}: quote {quotes[-1]!r} not found after {first!r} in {article.path.name}"
            )
        end = found + len(quotes[-1])
    first_sentence, last_sentence = article.sentence_at(start), article.sentence_at(end - 1)
    if first_sentence is None or last_sentence is None:
        raise LabelError(
            f"{where}: quote {first!r} is not inside a sentence of {article.path.name}"
        )
    return first_sentence.start, last_sentence.end


def load_pair(path: Path) -> LabelledPair:
    """One label file with its articles. Raises LabelError naming the file and case on a bad label."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    a, b = article_named(data["a"], path), article_named(data["b"], path)
    if frozenset({a.id, b.id}) in HELD_OUT:
        raise LabelError(f"{path.name}: pair {a.id}/{b.id} is held out and must not be labelled")
    labelled = []
    for n, item in enumerate(data.get("cases") or [], 1):
        where = f"{path.name} case {n}"
        kind = item.get("kind", COPIED)
        _check_kind(kind, where)
        labelled.append(
            LabelledCase(
                Case(
                    quote_range(a, item["a"], where, item.get("a_occurrence")),
                    quote_range(b, item["b"], where, item.get("b_occurrence")),
                ),
                kind,
                str(item.get("why", "")),
                bool(item.get("doubtful", False)),
            )
        )
    origin = {SEED_LABELS: "seed", WIRE: "wire"}.get(path.parent, "written")
    held_out = data.get("held_out", False)
    if held_out not in (True, False):
        raise LabelError(f"{path.name}: held_out must be true or false, not {held_out!r}")
    return LabelledPair(path.stem, path, a, b, tuple(labelled), origin, held_out)


def label_files() -> list[Path]:
    """Every label file, seed pairs first."""
    return (
        sorted(SEED_LABELS.glob("*__*.yaml"))
        + sorted(WRITTEN.glob("*__*.yaml"))
        + sorted(WIRE.glob("*__*.yaml"))
    )


def labelled_pairs(
    kind: str | None = None,
    origin: str | None = None,
    *,
    doubtful: bool = True,
    held_out: bool | None = None,
) -> list[LabelledPair]:
    """Every labelled pair, its cases filtered to ``kind`` ("copied", "related" or None for all).

    A pair keeps its place when it has no case of ``kind``: then any link of
    that kind found in it is a false one. ``origin`` picks "seed", "written"
    or "wire" pairs (None: all). ``doubtful=False`` leaves out borderline
    cases (marked ``doubtful: true`` in the file). ``held_out`` picks pairs
    never tuned on (True) or the others (False); None: both.
    """
    pairs = [load_pair(path).of_kind(kind) for path in label_files()]
    if not doubtful:
        pairs = [pair.without_doubtful() for pair in pairs]
    return [
        pair
        for pair in pairs
        if (origin is None or pair.origin == origin)
        and (held_out is None or pair.held_out == held_out)
    ]


def unrelated_corpus() -> list[Article]:
    """Articles that each report a different event in a shared domain: gold is no related link at all."""
    return [_written_article(path) for path in sorted(UNRELATED.glob("*.txt"))]
