"""Fit the related-link weights (``reader.core.related.Weights``) and report honest numbers.

Every candidate sentence pair of every labelled pair (seed pairs and the
written pairs; held-out seed pairs 001/002 and 000/003 are never labelled,
so never seen; written pairs marked ``held_out`` are never fitted on and are
scored apart with the weights fitted on everything else) is a training example: positive when both sentences lie in
one gold related case. The unrelated-stories corpus adds negatives only.
A small L2-regularised logistic regression (numpy, Newton steps) fits the
coefficients. Reported precision/recall are leave-one-pair-out: each pair is
scored with weights fitted on all the other pairs, so no pair is judged by
weights that saw it. The last lines print the weights fitted on everything,
to paste into ``Weights``.

Run: ``.venv/bin/python benchmarks/fit_related.py [--features z lexical ...]``
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.core.align import Aligner
from reader.core.evaluation import detections_from_links
from reader.core.evaluation import score_pairs as pan
from reader.core.related import DEFAULT_WEIGHTS, links_from_scores, score_pairs
from tests.labelled_pairs import RELATED, labelled_pairs, seed_articles, unrelated_corpus

FEATURES = (
    "z",
    "cosine",
    "lexical",
    "details",
    "local",
    "context",
    "conflict",
    "margin",
    "mismatch",
    "centered",
)
# The signals DEFAULT_WEIGHTS gives a weight (the others are measured, weighed 0).
USED = ("centered", "lexical", "margin", "mismatch")
L2 = 1.0


def collect():
    """(name, origin, a, b, gold related cases, signals) for each pair; unrelated pairs have gold None."""
    groups = []
    for pair in labelled_pairs():
        corpus = list(seed_articles()) if pair.origin == "seed" else [pair.a, pair.b]
        aligner = Aligner(corpus)
        copied = aligner.align(pair.a, pair.b, sentence_model=False)
        signals, _ = score_pairs(pair.a, pair.b, copied, rarity=aligner._rarity.weight)
        origin = "held-out" if pair.held_out else pair.origin
        groups.append((pair.name, origin, pair.a, pair.b, pair.of_kind(RELATED).cases, signals))
    corpus = unrelated_corpus()
    aligner = Aligner(corpus)
    for a, b in combinations(corpus, 2):
        copied = aligner.align(a, b, sentence_model=False)
        signals, _ = score_pairs(a, b, copied, rarity=aligner._rarity.weight)
        groups.append((f"{a.id}/{b.id}", "unrelated", a, b, None, signals))
    return groups


def examples(group, features):
    _, _, a, b, cases, signals = group
    xs, ys = [], []
    for (i, j), s in signals.items():
        sa, sb = a.sentences[i], b.sentences[j]
        positive = bool(cases) and any(
            c.a[0] < sa.end and sa.start < c.a[1] and c.b[0] < sb.end and sb.start < c.b[1]
            for c in cases
        )
        xs.append([getattr(s, f) for f in features])
        ys.append(1.0 if positive else 0.0)
    return xs, ys


def fit(groups, features):
    xs, ys = [], []
    for g in groups:
        x, y = examples(g, features)
        xs += x
        ys += y
    x = np.hstack([np.ones((len(xs), 1)), np.array(xs).reshape(len(xs), len(features))])
    y = np.array(ys)
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], L2)
    penalty[0] = 0.0  # the intercept is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        w -= np.linalg.solve(hessian, gradient)
    return w


def weights_from(w, features, threshold, slack):
    values = dict.fromkeys(FEATURES, 0.0)
    values.update(zip(features, w[1:], strict=True))
    return replace(
        DEFAULT_WEIGHTS, intercept=float(w[0]), threshold=threshold, slack=slack, **values
    )


def links(group, weights):
    _, _, a, b, _, signals = group
    total = {
        pair: weights.combine(s) for pair, s in signals.items() if not s.conflict
    }  # as score_pairs: a veto
    return links_from_scores(a, b, total, weights)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Defaults: the signals and settings reader.core.related.Weights uses, so a bare run
    # reproduces its numbers.
    parser.add_argument("--features", nargs="*", default=list(USED), choices=FEATURES)
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_WEIGHTS.threshold,
        help="log-odds a link needs (0: p = 0.5)",
    )
    parser.add_argument(
        "--slack",
        type=float,
        default=DEFAULT_WEIGHTS.slack,
        help="second partner within this of the best",
    )
    parser.add_argument("--quiet", action="store_true", help="pooled lines only")
    args = parser.parse_args()
    features = tuple(args.features)
    every = collect()
    groups = [g for g in every if g[1] != "held-out"]
    everything = fit(groups, features)
    pooled: dict[str, list] = {}
    false_unrelated = 0
    for k, group in enumerate(every):
        if group[1] == "held-out":
            w = everything
        else:
            k = groups.index(group)
            w = fit(groups[:k] + groups[k + 1 :], features)
        found = links(group, weights_from(w, features, args.threshold, args.slack))
        name, origin, _, _, cases, _ = group
        if cases is None:
            false_unrelated += len(found)
            if found and not args.quiet:
                print(f"unrelated {name}: {len(found)} related links")
            continue
        item = (cases, detections_from_links(found))
        pooled.setdefault(origin, []).append(item)
        if not args.quiet:
            s = pan([item])
            print(
                f"{name:<48} links {len(found):>3} cases {len(cases):>3}  P {s.precision:4.2f}  R {s.recall:4.2f}"
            )
    print(
        f"features {' '.join(features)}; threshold {args.threshold}, slack {args.slack} (leave one pair out)"
    )
    for origin, items in sorted(pooled.items()):
        s = pan(items)
        print(
            f"  pooled {origin:<8} P {s.precision:4.2f}  R {s.recall:4.2f}  plagdet {s.plagdet:4.3f}"
        )
    print(f"  related links between unrelated stories: {false_unrelated}")
    w = everything
    print(
        "  fitted on every pair: intercept "
        + f"{w[0]:.3f}, "
        + ", ".join(f"{f} {v:.3f}" for f, v in zip(features, w[1:], strict=True))
    )


if __name__ == "__main__":
    main()
