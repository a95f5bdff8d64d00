"""Precision/recall of related and copied links on every labelled pair, per pair and per kind.

Gold comes from tests/labelled_pairs.py (seed pairs, written paraphrase
pairs and written wire pairs, where one outlet copies some sentences; held-out
pairs 001/002 and 000/003 are not labelled; written pairs marked ``held_out``
were never tuned on and pool apart). Each kind of
link is scored against the cases of its own kind, and "all" against all.
Also counts related links among the unrelated-stories corpus (gold: none).

Run: ``.venv/bin/python benchmarks/related_quality.py``
"""

from __future__ import annotations

import sys
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.core import embedding
from reader.core.align import COPIED, RELATED, Aligner
from reader.core.evaluation import detections_from_links, score_pairs
from tests.labelled_pairs import labelled_pairs, seed_articles, unrelated_corpus


def main() -> None:
    if embedding.unavailable_reason():
        print(embedding.unavailable_reason())
        return
    print(
        f"{'pair':<48} {'kind':<8} {'links':>5} {'cases':>5}  {'P':>5}  {'R':>5}  {'gran':>4}  plagdet"
    )
    pooled: dict[tuple[str, str], list] = {}
    for pair in labelled_pairs():
        corpus = list(seed_articles()) if pair.origin == "seed" else [pair.a, pair.b]
        links = Aligner(corpus).align(pair.a, pair.b)
        for kind in (COPIED, RELATED, "all"):
            chosen = links if kind == "all" else [link for link in links if link.kind == kind]
            gold = pair if kind == "all" else pair.of_kind(kind)
            item = (gold.cases, detections_from_links(chosen))
            origin = f"{pair.origin} (held out)" if pair.held_out else pair.origin
            pooled.setdefault((origin, kind), []).append(item)
            s = score_pairs([item])
            print(
                f"{pair.name:<48} {kind:<8} {len(chosen):>5} {len(gold.cases):>5}  {s.precision:5.2f}  "
                f"{s.recall:5.2f}  {s.granularity:4.2f}  {s.plagdet:5.3f}"
            )
    print()
    for (origin, kind), items in sorted(pooled.items()):
        s = score_pairs(items)
        print(
            f"pooled {origin:<41} {kind:<8} {'':>11}  {s.precision:5.2f}  {s.recall:5.2f}  "
            f"{s.granularity:4.2f}  {s.plagdet:5.3f}"
        )
    unrelated = unrelated_corpus()
    aligner = Aligner(unrelated)
    found = [
        (x.id, y.id, len(aligner.align(x, y, kinds=(RELATED,))))
        for x, y in combinations(unrelated, 2)
    ]
    print(
        f"\nunrelated stories: {sum(n for *_, n in found)} related links over {len(found)} pairs "
        + ", ".join(f"{a}/{b}: {n}" for a, b, n in found if n)
    )


if __name__ == "__main__":
    main()
