"""How well and how fast tags are placed again after their article changed.

Prints:

1. Mixed edits of the seed articles (``tests/core/article_edits.py``): every
   sentence tagged, then about a fifth deleted, a fifth grown by a clause after
   the first word, a fifth reworded by one word. For each kind of edit, how
   many tags were placed on their whole sentence, on part of it, orphaned, or
   placed on other text (the one outcome that must never happen: 0 is the
   target).
2. Growing one sentence: each sentence of 40+ characters in seeds 001-004
   gets a 62-character clause after its first word; how many tags follow the
   whole sentence and how many shrink to part of it (target: 0 shrink).
3. A tag over (nearly) a whole long article whose text was edited, for
   quotes of 200 KB and 1 MB: seconds to place it, and to give up on it when
   the article was replaced by other text (best of 3 runs; the machine should
   be otherwise idle). Before the word-level search, 20 KB took 38 s on this
   text and 200 KB did not finish in 25 minutes.

Run: ``.venv/bin/python benchmarks/anchor_bench.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.core.anchoring import LOST, anchor_tag  # noqa: E402
from reader.core.rewrite import synthetic_pair  # noqa: E402
from reader.core.sentences import split_sentences  # noqa: E402
from tests.core.article_edits import (  # noqa: E402
    CLAUSES,
    DELETED,
    GROWN,
    KEPT,
    REWORDED,
    edit_article,
    grow,
    seed_text,
    sentence_tag,
)

SEED_NAMES = ("000", "001", "002", "003", "004")


def mixed_edits(rounds: int) -> None:
    outcomes: Counter[tuple[str, str]] = Counter()
    examples: list[str] = []
    for name in SEED_NAMES:
        text = seed_text(name)
        for seed in range(rounds):
            edited = edit_article(text, seed)
            for item in edited.tags:
                placed = anchor_tag(item.tag, edited.new, same_article=False)
                if placed.how == LOST:
                    outcome = "orphaned"
                elif placed.tag.span in item.expected:
                    outcome = "right"
                elif any(s < placed.tag.end and placed.tag.start < e for s, e in item.expected):
                    outcome = "partial"  # on its sentence, but not all of it
                else:
                    outcome = "elsewhere"
                    if len(examples) < 8:
                        examples.append(
                            f"  {name} seed {seed} {item.edit}: {item.tag.quote[:50]!r} -> "
                            f"{placed.tag.quote[:50]!r}"
                        )
                outcomes[item.edit, outcome] += 1
    total = sum(outcomes.values())
    elsewhere = sum(n for (_, outcome), n in outcomes.items() if outcome == "elsewhere")
    print(
        f"1. mixed edits, seeds {', '.join(SEED_NAMES)} x {rounds} rounds: {total} tags, "
        f"{elsewhere} placed on other text"
    )
    for edit in (KEPT, DELETED, GROWN, REWORDED):
        row = {
            outcome: outcomes[edit, outcome]
            for outcome in ("right", "partial", "orphaned", "elsewhere")
        }
        print(
            f"   {edit:9} right {row['right']:4}  partial {row['partial']:4}  orphaned {row['orphaned']:4}  "
            f"elsewhere {row['elsewhere']:4}"
        )
    for line in examples:
        print(line)


def growing_sentences() -> None:
    counts: Counter[str] = Counter()
    for name in SEED_NAMES[1:]:
        text = seed_text(name)
        for sentence in split_sentences(text):
            if len(sentence.text) < 40:
                continue
            new = text[: sentence.start] + grow(sentence.text, CLAUSES[0]) + text[sentence.end :]
            expected = (sentence.start, sentence.end + len(CLAUSES[0]))
            placed = anchor_tag(
                sentence_tag(text, sentence.start, sentence.end, "t"), new, same_article=False
            )
            span = placed.tag.span
            if placed.how == LOST:
                counts["orphaned"] += 1
            elif span == expected:
                counts["whole sentence"] += 1
            elif expected[0] <= span[0] and span[1] <= expected[1]:
                counts["shrunk"] += 1
            else:
                counts["other"] += 1
    total = sum(counts.values())
    print(
        f"2. one sentence grown by a 62-character clause after its first word, seeds 001-004: "
        f"{total} sentences of 40+ characters"
    )
    print(
        "   "
        + "  ".join(
            f"{key} {counts[key]}" for key in ("whole sentence", "shrunk", "orphaned", "other")
        )
    )


def long_quotes(sizes: tuple[int, ...], repeats: int) -> None:
    print("3. a tag over a whole long article, the article edited in three places")
    for size in sizes:
        text = _long_text(size, seed=1)
        tag = sentence_tag(text, 10, len(text) - 10, "t")
        changed = text
        for where in (len(text) // 5, len(text) // 2, 4 * len(text) // 5):
            changed = changed[:where] + " [inserted by an editor] " + changed[where:]
        other = _long_text(size, seed=2)
        for label, target in (("edited", changed), ("replaced", other)):
            seconds = float("inf")
            for _ in range(repeats):  # the shortest run is the least disturbed by the machine
                start = time.perf_counter()
                placed = anchor_tag(tag, target, same_article=False)
                seconds = min(seconds, time.perf_counter() - start)
            print(
                f"   {size // 1000:5} KB quote, article {label:8}: {seconds:7.2f} s, {placed.how}"
                + (f", ratio {placed.ratio:.3f}" if placed.how != LOST else "")
            )


def _long_text(size: int, seed: int) -> str:
    text = synthetic_pair(max(10, size // 80), seed).a_text
    while len(text) < size:
        text += text
    return text[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rounds", type=int, default=10, help="edited versions of each seed (default 10)"
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[200_000, 1_000_000],
        help="quote sizes in characters (default 200000 1000000)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="timed runs of each long quote, best kept (default 3)",
    )
    args = parser.parse_args()
    mixed_edits(args.rounds)
    growing_sentences()
    long_quotes(tuple(args.sizes), args.repeats)


if __name__ == "__main__":
    main()
