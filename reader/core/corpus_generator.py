"""A generated folder of news articles grouped into stories, with known membership.

For benchmarks and tests of the corpus map. Each story has its wire copy;
each article of the story is an outlet's rewrite of it (``rewrite.rewrite``:
copied, reworded, split, merged, moved and dropped sentences, inserted
unrelated news, "Read More" lists), plus the outlet's own sentences, its
masthead, a line describing the outlet that every article of the outlet
carries, and its copyright footer. Deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from reader.core.rewrite import _synthetic_sentence, rewrite

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
class GeneratedArticle:
    name: str  # file name
    text: str
    story: int
    outlet: str


def _paragraphs(rng: random.Random, sentences: int) -> str:
    paragraphs, left = [], sentences
    while left > 0:
        size = min(left, rng.randint(2, 4))
        paragraphs.append(" ".join(_synthetic_sentence(rng) for _ in range(size)))
        left -= size
    return "\n\n".join(paragraphs) + "\n"


def generate_articles(
    n_articles: int, seed: int = 0, story_sizes: tuple[int, int] = (2, 16)
) -> list[GeneratedArticle]:
    """``n_articles`` articles in stories of ``story_sizes`` articles (the last may be smaller, but >= 2)."""
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


def write_corpus(folder: Path, n_articles: int, seed: int = 0) -> dict[str, int]:
    """Write the articles into ``folder``; returns each file name's story."""
    folder.mkdir(parents=True, exist_ok=True)
    stories = {}
    for article in generate_articles(n_articles, seed):
        (folder / article.name).write_text(article.text, encoding="utf-8")
        stories[article.name] = article.story
    return stories
