"""How long sentence splitting takes on long lines and large articles.

Prints the seconds ``reader.core.sentences.split_sentences`` takes on:

- ``nostop-100k``: a 100 KB line of words and commas without a full stop;
- ``nostop-1m``: the same, 1 MB;
- ``oneline-300k``: 300 KB of ordinary news sentences (the seeds) on one line;
- ``article-5m`` / ``article-20m``: the seeds repeated into a 5 MB / 20 MB
  article of ordinary paragraphs;
- ``synthetic-4000``: one 4,000-sentence synthetic article (as in align_bench).

CPU time is printed beside wall time: on a shared machine it is the steadier
figure. Run: ``.venv/bin/python benchmarks/split_bench.py [CASE ...]`` (default: all).
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from reader.core.articles import load_article
from reader.core.rewrite import synthetic_pair
from reader.core.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def _seed_text() -> str:
    return "\n\n".join(load_article(path).text.strip() for path in sorted(SEEDS.glob("*.txt")))


def _words_without_stops(size: int) -> str:
    words = re.findall(r"[A-Za-z’']+", _seed_text())
    rng = random.Random(size)
    parts: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(words) + ("," if rng.random() < 0.08 else "")
        parts.append(word)
        length += len(word) + 1
    return " ".join(parts)[:size]


def _one_line(size: int) -> str:
    line = re.sub(r"\s+", " ", _seed_text())
    return ((line + " ") * (size // len(line) + 1))[:size]


def _article(size: int) -> str:
    text = _seed_text() + "\n\n"
    return (text * (size // len(text) + 1))[:size]


CASES: dict[str, Callable[[], str]] = {
    "nostop-100k": lambda: _words_without_stops(100_000),
    "nostop-1m": lambda: _words_without_stops(1_000_000),
    "oneline-300k": lambda: _one_line(300_000),
    "article-5m": lambda: _article(5_000_000),
    "article-20m": lambda: _article(20_000_000),
    "synthetic-4000": lambda: synthetic_pair(4_000, seed=4_000).a_text,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "cases",
        nargs="*",
        metavar="CASE",
        help="which inputs to split: " + ", ".join(CASES) + " (default: all)",
    )
    args = parser.parse_args()
    unknown = [name for name in args.cases if name not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}; choose from {', '.join(CASES)}")
    for name in args.cases or CASES:
        text = CASES[name]()
        start, cpu_start = time.perf_counter(), time.process_time()
        sentences = split_sentences(text)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        print(
            f"{name:15} {len(text):>11,} chars {len(sentences):>9,} sentences"
            f" {seconds:9.3f} s wall {cpu:9.3f} s CPU",
            flush=True,
        )


if __name__ == "__main__":
    main()
