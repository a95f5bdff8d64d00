"""PAN text-alignment measures, checked against small examples computed by hand."""

import math

import pytest

from reader.core.evaluation import Case, Scores, detections_from_links, score, score_pairs


def case(a, b):
    return Case(tuple(a), tuple(b))


def close(scores: Scores, precision, recall, granularity, plagdet):
    assert scores.precision == pytest.approx(precision)
    assert scores.recall == pytest.approx(recall)
    assert scores.granularity == pytest.approx(granularity)
    assert scores.plagdet == pytest.approx(plagdet)


def test_exact_detection_scores_one():
    s = case((0, 10), (0, 10))
    close(score([s], [s]), 1, 1, 1, 1)


def test_shifted_detection_counts_characters_in_both_documents():
    # overlap 5 chars in A, 10 in B: 15 of the case's 20 and of the detection's 20
    close(score([case((0, 10), (0, 10))], [case((5, 15), (0, 10))]), 0.75, 0.75, 1, 0.75)


def test_passage_reported_in_two_pieces_is_penalised_by_granularity():
    truth = [case((0, 10), (0, 10))]
    pieces = [case((0, 5), (0, 5)), case((5, 10), (5, 10))]
    close(score(truth, pieces), 1, 1, 2, 1 / math.log2(3))


def test_overlap_in_one_document_only_detects_nothing():
    close(score([case((0, 10), (0, 10))], [case((0, 10), (20, 30))]), 0, 0, 1, 0)


def test_missed_case_halves_recall():
    found, missed = case((0, 10), (0, 10)), case((50, 60), (50, 60))
    f1 = 2 * 1 * 0.5 / 1.5
    close(score([found, missed], [found]), 1, 0.5, 1, f1)


def test_detection_spanning_two_cases_loses_precision_for_the_gap():
    truth = [case((0, 10), (0, 10)), case((20, 30), (20, 30))]
    # 40 of the detection's 60 characters are true text
    close(score(truth, [case((0, 30), (0, 30))]), 40 / 60, 1, 1, 0.8)


def test_overlapping_detections_are_not_counted_twice():
    truth = [case((0, 10), (0, 10))]
    both = [case((0, 8), (0, 8)), case((4, 10), (4, 10))]
    close(score(truth, both), 1, 1, 2, 1 / math.log2(3))


def test_pairs_are_scored_apart_and_pooled():
    # the same ranges in another document pair detect nothing there
    s = case((0, 10), (0, 10))
    pooled = score_pairs([([s], [s]), ([s], [case((40, 50), (40, 50))])])
    close(pooled, 0.5, 0.5, 1, 0.5)


def test_conventions_where_pan_is_undefined():
    close(score([], []), 1, 1, 1, 1)
    close(score([], [case((0, 5), (0, 5))]), 0, 1, 1, 0)
    close(score([case((0, 5), (0, 5))], []), 1, 0, 1, 0)


def test_ranges_must_be_ordered():
    with pytest.raises(ValueError):
        Case((5, 2), (0, 1))


def test_links_become_detections_by_their_spans():
    class Link:
        a_span = (3, 9)
        b_span = (10, 20)

    assert detections_from_links([Link()]) == [Case((3, 9), (10, 20))]


def test_scores_print_readably():
    assert str(Scores(1, 0.5, 1, 0.6667)) == (
        "plagdet 0.667  precision 1.000  recall 0.500  granularity 1.000"
    )
