"""A generated folder of news articles grouped into stories, with known membership.

For benchmarks and tests of the corpus map. Each story has its wire copy;
each article of the story is an outlet's rewrite of it (``rewrite.rewrite``:
copied, reworded, split, merged, moved and dropped sentences, inserted
unrelated news, "Read More" lists), plus the outlet's own sentences, its
masthead, a line describing the outlet that every article of the outlet
carries, and its copyright footer. Deterministic for a seed.

By default (``prose=True``) the articles are English news prose about an
invented event per story (``news_prose``), and each outlet tells some of
the story's facts in its own words instead of copying the wire: those
sentences are what related links are for, and each article records which
of its sentences state which fact (``GeneratedArticle.facts``), so
``restated_cases`` gives the true related links of a pair. With
``independent`` some articles are written wholly in their outlet's own words
instead (every fact restated, no wire sentence), as outlets that reported
the event themselves: they share its names and numbers with the story's
other articles, not its wording. ``prose=False``
writes invented syllables instead (``rewrite._synthetic_sentence``): the
related matcher takes that for non-prose and embeds nothing, so only
copied links are exercised, quickly (for tests of the copied machinery).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from reader.core.evaluation import Case
from reader.core.news_prose import Story, in_own_words, independent_report, invent_story
from reader.core.rewrite import _synthetic_sentence, rewrite
from reader.core.sentences import split_sentences

_OUTLETS = (
    "Daily Courier",
    "Morning Ledger",
    "Harbor Times",
    "Evening Standard Post",
    "Valley Herald",
    "Capital Dispatch",
    "Northern Observer",
    "Coastal Gazette",
    "Metro Tribune",
    "Pacific Record",
    "Prairie Sentinel",
    "Union Chronicle",
    "Riverside Bulletin",
    "Summit Reporter",
    "Lakeside Journal",
    "Granite Press",
    "Frontier Wire",
    "Bay Examiner",
    "Central Monitor",
    "Highland Mail",
)


@dataclass(frozen=True)
class FactSentence:
    """A sentence of an article that states one of its story's facts."""

    fact: int  # the fact's number within the story
    start: int
    end: int
    own_words: bool  # the outlet's own phrasing (else the wire's, copied or reworded)


@dataclass(frozen=True)
class GeneratedArticle:
    name: str  # file name
    text: str
    story: int
    outlet: str
    facts: tuple[FactSentence, ...] = ()  # prose articles only
    independent: bool = False  # written wholly in the outlet's own words (no wire sentence)


# Chance that an outlet tells a fact in its own words rather than copying the wire.
_RESTATE = 0.35


def _paragraphs(rng: random.Random, sentences: int) -> str:
    paragraphs, left = [], sentences
    while left > 0:
        size = min(left, rng.randint(2, 4))
        paragraphs.append(" ".join(_synthetic_sentence(rng) for _ in range(size)))
        left -= size
    return "\n\n".join(paragraphs) + "\n"


def generate_articles(
    n_articles: int,
    seed: int = 0,
    story_sizes: tuple[int, int] = (2, 16),
    prose: bool = True,
    independent: float = 0.0,
) -> list[GeneratedArticle]:
    """``n_articles`` articles in stories of ``story_sizes`` articles (the last may be smaller, but >= 2).

    ``independent`` (prose only): the share of articles written wholly in their
    outlet's own words (``news_prose.independent_report``), as an outlet that
    reported the event itself writes: every fact restated, no wire sentence.
    Each replaces the article of that number, story and outlet that the
    folder has without them; the other articles stay byte for byte the same.
    """
    if not 0.0 <= independent <= 1.0:
        raise ValueError(f"independent must be a share between 0 and 1, not {independent}")
    if prose:
        return _prose_articles(n_articles, seed, story_sizes, independent)
    if independent:
        raise ValueError("independent articles are prose: they restate facts in other words")
    rng = random.Random(seed)
    articles: list[GeneratedArticle] = []
    story = 0
    while len(articles) < n_articles:
        remaining = n_articles - len(articles)
        size = min(rng.randint(*story_sizes), remaining)
        if remaining - size == 1:
            size += 1  # never leave one article a story of its own
        wire = _paragraphs(rng, rng.randint(12, 30))
        headline = _synthetic_sentence(rng).rstrip(".")
        for _ in range(size):
            outlet = rng.choice(_OUTLETS)
            body = rewrite(wire, rng.randrange(2**31)).b_text.strip()
            own = _paragraphs(rng, rng.randint(2, 8)).strip().split("\n\n")
            parts = body.split("\n\n")
            for paragraph in own:
                parts.insert(rng.randint(1, len(parts)), paragraph)
            text = (
                "\n\n".join(
                    [
                        " ".join(headline.split()[: rng.randint(6, 12)]),
                        f"{outlet} | World",
                        *parts,
                        f"The {outlet} is an independent newsroom that has served its readers since {1850 + rng.randrange(3) * 50}.",
                        f"© 2025 {outlet}. All rights reserved.",
                    ]
                )
                + "\n"
            )
            number = len(articles)
            articles.append(
                GeneratedArticle(
                    f"{number:04d}_{outlet.lower().replace(' ', '-')}.txt", text, story, outlet
                )
            )
        story += 1
    return articles


def write_corpus(
    folder: Path, n_articles: int, seed: int = 0, prose: bool = True, independent: float = 0.0
) -> dict[str, int]:
    """Write the articles into ``folder``; returns each file name's story."""
    return write_articles(
        folder, generate_articles(n_articles, seed, prose=prose, independent=independent)
    )


def write_articles(folder: Path, articles: list[GeneratedArticle]) -> dict[str, int]:
    """Write ``articles`` into ``folder``; returns each file name's story."""
    folder.mkdir(parents=True, exist_ok=True)
    stories = {}
    for article in articles:
        (folder / article.name).write_text(article.text, encoding="utf-8")
        stories[article.name] = article.story
    return stories


def _story_sizes(rng: random.Random, n_articles: int, story_sizes: tuple[int, int]) -> list[int]:
    sizes: list[int] = []
    while sum(sizes) < n_articles:
        remaining = n_articles - sum(sizes)
        size = min(rng.randint(*story_sizes), remaining)
        if remaining - size == 1:
            size += 1  # never leave one article a story of its own
        sizes.append(size)
    return sizes


def _prose_articles(
    n_articles: int, seed: int, story_sizes: tuple[int, int], independent: float = 0.0
) -> list[GeneratedArticle]:
    rng = random.Random(seed)
    # Which articles are independent, and how each is written, come from generators of
    # their own: the folder's other articles are then those of the folder without them.
    chosen = set(
        random.Random(f"independent {seed}").sample(
            range(n_articles), round(independent * n_articles)
        )
    )
    articles: list[GeneratedArticle] = []
    for number, size in enumerate(_story_sizes(rng, n_articles, story_sizes)):
        story = invent_story(number, rng)
        for _ in range(size):
            outlet = rng.choice(_OUTLETS)
            article = _prose_article(story, outlet, len(articles), rng)
            if len(articles) in chosen:
                article = _independent_article(
                    story, outlet, len(articles), random.Random(f"{seed} {len(articles)}")
                )
            articles.append(article)
    return articles


def _prose_article(story: Story, outlet: str, number: int, rng: random.Random) -> GeneratedArticle:
    """One outlet's article: the wire's facts rewritten, some facts in its own words, its own lines."""
    own_words = {f for f in range(len(story.facts)) if rng.random() < _RESTATE}
    wire_facts = [f for f in range(len(story.facts)) if f not in own_words]
    wire_lines = [story.facts[f][0] for f in wire_facts]
    wire = "\n\n".join(" ".join(wire_lines[k : k + 2]) for k in range(0, len(wire_lines), 2))
    body = rewrite(wire + "\n", rng.randrange(2**31)).b_text.strip() if wire_lines else ""
    parts = [part for part in body.split("\n\n") if part]
    restated = {f: in_own_words(rng.choice(story.facts[f][1:]), rng) for f in sorted(own_words)}
    own_lines = rng.sample(story.own, rng.randint(1, 3))
    extra = [*restated.values(), *own_lines]
    rng.shuffle(extra)
    for k in range(0, len(extra), 2):
        parts.insert(rng.randint(1 if parts else 0, len(parts)), " ".join(extra[k : k + 2]))
    text = (
        "\n\n".join(
            [
                rng.choice(story.headlines),
                f"{outlet} | World",
                *parts,
                f"The {outlet} is an independent newsroom that has served its readers since {1850 + rng.randrange(3) * 50}.",
                f"© 2025 {outlet}. All rights reserved.",
            ]
        )
        + "\n"
    )
    facts = []
    for f, sentence in restated.items():
        start = text.index(sentence)
        facts.append(FactSentence(f, start, start + len(sentence), True))
    facts.extend(_wire_fact_sentences(text, [story.facts[f][0] for f in wire_facts], wire_facts))
    name = f"{number:04d}_{outlet.lower().replace(' ', '-')}.txt"
    return GeneratedArticle(
        name, text, story.number, outlet, tuple(sorted(facts, key=lambda s: s.start))
    )


def _independent_article(
    story: Story, outlet: str, number: int, rng: random.Random
) -> GeneratedArticle:
    """One outlet's article written from its own reporting: every fact in its own words,
    in the story's order, among its own lines; the outlet's masthead and footer as usual."""
    report = independent_report(story, rng)
    lines = list(report.facts)
    for line in report.own:
        lines.insert(rng.randint(1, len(lines)), line)
    parts = [" ".join(lines[k : k + 2]) for k in range(0, len(lines), 2)]
    text = (
        "\n\n".join(
            [
                report.headline,
                f"{outlet} | World",
                *parts,
                f"The {outlet} is an independent newsroom that has served its readers since {1850 + rng.randrange(3) * 50}.",
                f"© 2025 {outlet}. All rights reserved.",
            ]
        )
        + "\n"
    )
    facts, body_start = [], text.index(" | World")
    for f, sentence in enumerate(report.facts):
        start = text.index(sentence, body_start)
        facts.append(FactSentence(f, start, start + len(sentence), True))
    name = f"{number:04d}_{outlet.lower().replace(' ', '-')}.txt"
    return GeneratedArticle(name, text, story.number, outlet, tuple(facts), independent=True)


_WORD = re.compile(r"\w+")


def _wire_fact_sentences(text: str, lines: list[str], facts: list[int]) -> list[FactSentence]:
    """The sentences of ``text`` that render a wire line (copied, reworded, split or merged):
    most of their words are the line's. The headline and masthead are not counted."""
    words = [set(_WORD.findall(line.lower())) for line in lines]
    body_start = text.index(" | World") if " | World" in text else 0
    found = []
    for sentence in split_sentences(text):
        if sentence.start < body_start:
            continue
        mine = set(_WORD.findall(sentence.text.lower()))
        if len(mine) < 4 or not words:
            continue
        for k, line in enumerate(words):
            shared = len(mine & line)
            # mostly this line's words (a reworded or split one), or most of the line (merged)
            if shared >= 0.6 * len(mine) or shared >= 0.6 * len(line):
                found.append(FactSentence(facts[k], sentence.start, sentence.end, False))
    return found


def restated_cases(a: GeneratedArticle, b: GeneratedArticle) -> list[Case]:
    """The true related links of ``a`` and ``b``: their sentences of one fact, told in other words.

    Each pair of their sentences that state one fact in different text: an
    outlet's own phrasing against another's or the wire's, and also a reworded
    or split wire sentence against the wire's (light rewording the copied
    aligner usually takes). Two identical sentences are copied wording, not a
    related link. A fact sentence restated within a restated one is counted.
    """
    if a.story != b.story:
        return []
    cases = []
    for x in a.facts:
        for y in b.facts:
            if x.fact != y.fact:
                continue
            if a.text[x.start : x.end] == b.text[y.start : y.end]:
                continue
            cases.append(Case((x.start, x.end), (y.start, y.end)))
    return cases
