"""PAN text-alignment measures over character ranges.

The PAN 2013/2014 text-alignment task scores a detector by how well the
passages it reports cover the passages a person (or a generator) marked as
the same text in two documents. Both are pairs of ranges: ``[start, end)``
in document A and ``[start, end)`` in document B.

- A detection ``r`` *detects* a case ``s`` when it overlaps ``s`` in both
  documents.
- ``s ⊓ r`` is the overlap of the two in A plus the overlap in B, or nothing
  when ``r`` does not detect ``s``.
- precision: mean over detections ``r`` of ``|∪_s (s ⊓ r)| / |r|``.
- recall: mean over cases ``s`` of ``|∪_r (s ⊓ r)| / |s|``.
- granularity: mean over detected cases of how many detections detect each
  (1 when no case is detected): a passage reported in pieces scores worse.
- plagdet: ``F1 / log2(1 + granularity)``.

Sizes count characters in both documents. Several document pairs can be
scored together (``score_pairs``): their cases and detections are pooled,
and a detection only ever detects cases of its own pair.

Conventions where PAN leaves a measure undefined (documented here because a
suite asserting minimums depends on them):

- no cases and no detections: everything is 1.0 (nothing to find, nothing
  wrongly reported);
- detections but no cases: precision 0 (every detection is wrong), recall 1;
- cases but no detections: precision 1 (nothing reported is wrong), recall 0,
  so plagdet is 0. Precision and recall are thus symmetric: each is 1 when
  its denominator set is empty.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

Range = tuple[int, int]


@dataclass(frozen=True)
class Case:
    """Two passages that are the same text: ``a`` in document A, ``b`` in B."""

    a: Range
    b: Range

    def __post_init__(self) -> None:
        for name, (start, end) in (("a", self.a), ("b", self.b)):
            if not 0 <= start <= end:
                raise ValueError(
                    f"range {name}={start, end} is not [start, end) with 0 <= start <= end"
                )

    @property
    def size(self) -> int:
        return (self.a[1] - self.a[0]) + (self.b[1] - self.b[0])


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    granularity: float
    plagdet: float

    def __str__(self) -> str:
        return (
            f"plagdet {self.plagdet:.3f}  precision {self.precision:.3f}  "
            f"recall {self.recall:.3f}  granularity {self.granularity:.3f}"
        )


class _HasSpans(Protocol):
    a_span: Range
    b_span: Range


def detections_from_links(links: Iterable[_HasSpans]) -> list[Case]:
    """The detections an aligner reported: one per link, from its character spans."""
    # copied as tuples: spans read back from JSON are lists
    return [
        Case((link.a_span[0], link.a_span[1]), (link.b_span[0], link.b_span[1])) for link in links
    ]


def score(cases: Sequence[Case], detections: Sequence[Case]) -> Scores:
    """PAN measures of ``detections`` against the true ``cases`` of one document pair."""
    return score_pairs([(cases, detections)])


def score_pairs(pairs: Iterable[tuple[Sequence[Case], Sequence[Case]]]) -> Scores:
    """PAN measures over several document pairs, cases and detections pooled."""
    precision_parts: list[float] = []
    recall_parts: list[float] = []
    detected_counts: list[int] = []
    for cases, detections in pairs:
        for detection in detections:
            precision_parts.append(
                _covered(detection, cases) / detection.size if detection.size else 0.0
            )
        for case in cases:
            recall_parts.append(_covered(case, detections) / case.size if case.size else 1.0)
            count = sum(1 for detection in detections if _detects(detection, case))
            if count:
                detected_counts.append(count)

    if not recall_parts and not precision_parts:
        return Scores(1.0, 1.0, 1.0, 1.0)
    precision = sum(precision_parts) / len(precision_parts) if precision_parts else 1.0
    recall = sum(recall_parts) / len(recall_parts) if recall_parts else 1.0
    granularity = sum(detected_counts) / len(detected_counts) if detected_counts else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, granularity, f1 / math.log2(1 + granularity))


def _overlaps(x: Range, y: Range) -> bool:
    return max(x[0], y[0]) < min(x[1], y[1])


def _detects(detection: Case, case: Case) -> bool:
    return _overlaps(detection.a, case.a) and _overlaps(detection.b, case.b)


def _covered(target: Case, others: Sequence[Case]) -> int:
    """Characters of ``target`` (both documents) inside some ``target ⊓ other``.

    The relation is symmetric, so the same routine gives a detection's share
    of true text (precision) and a case's share of detected text (recall).
    """
    a_parts, b_parts = [], []
    for other in others:
        if _detects(other, target):
            a_parts.append(_intersection(target.a, other.a))
            b_parts.append(_intersection(target.b, other.b))
    return _union_length(a_parts) + _union_length(b_parts)


def _intersection(x: Range, y: Range) -> Range:
    return max(x[0], y[0]), min(x[1], y[1])


def _union_length(ranges: list[Range]) -> int:
    total = 0
    reach = -1
    for start, end in sorted(ranges):
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total
