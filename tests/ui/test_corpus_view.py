"""The window on a generated corpus of stories: the corpus map (stories, heat map), the
Closest column, a big folder filling the list while the event loop keeps running, and
export at the slider's threshold."""

from __future__ import annotations

import gc
import re
from itertools import pairwise

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from reader.core.corpus_generator import write_corpus
from reader.ui.article_list import ArticleTableModel as M
from reader.ui.comparison import ComparisonView
from tests.ui.test_background_alignment import Ticker, ticked_throughout

LEFT = ComparisonView.LEFT


@pytest.fixture
def stories_dir(tmp_path):
    folder = tmp_path / "stories"
    membership = write_corpus(folder, 24, seed=3, prose=False)
    return folder, {name.rsplit(".", 1)[0]: story for name, story in membership.items()}


@pytest.fixture
def story_window(make_window, stories_dir, qtbot):
    folder, _ = stories_dir
    window = make_window([folder])
    window._refresh_corpus_answers()
    return window


def test_corpus_map_lists_the_generated_stories_and_draws_their_heat_map(story_window, stories_dir):
    _, story_of = stories_dir
    dock = story_window.corpus_dock
    groups = [
        dock.stories.articles_of(dock.stories.index(row, 0))
        for row in range(dock.stories.story_count())
    ]
    # The stories found are the stories generated: one group per story, each article in its own.
    found = sorted(sorted(a.id for a in group) for group in groups)
    expected: dict[int, list[str]] = {}
    for article_id, story in story_of.items():
        expected.setdefault(story, []).append(article_id)
    assert found == sorted(sorted(ids) for ids in expected.values())
    # Choosing a story draws its heat map: a cell per pair, hot within the story.
    dock.select_story(0)
    matrix = dock.matrix
    assert matrix.rowCount() == matrix.columnCount() == len(groups[0])
    shares = [
        matrix.share(r, c)
        for r in range(matrix.rowCount())
        for c in range(matrix.columnCount())
        if r != c
    ]
    assert shares and all(share is not None and share > 0.2 for share in shares)
    assert re.fullmatch(r"\d+", matrix.index(0, 1).data())


def test_double_clicking_a_heat_map_cell_opens_that_pair_side_by_side(story_window, qtbot):
    view = story_window.corpus_dock.heat_view
    index = story_window.corpus_dock.matrix.index(2, 0)
    row_id, column_id = index.data(Qt.ItemDataRole.UserRole + 2)
    assert {row_id, column_id} != set(story_window.shown_ids())
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert story_window.shown_ids() == (row_id, column_id)


def test_closest_column_names_an_article_of_the_same_story_and_its_share(
    story_window, stories_dir, qtbot, wait_for_alignment
):
    _, story_of = stories_dir
    window = story_window
    model = window.article_dock.model
    assert model.headerData(M.CLOSEST, Qt.Orientation.Horizontal) == "Closest"
    assert "other pane" in model.headerData(
        M.LINKED, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    titles = {a.id: a.title for a in window.corpus.articles}
    for article in window.corpus.articles[:6]:
        text = model.index(model.row_of(article.id), M.CLOSEST).data()
        percent, shown_title = re.fullmatch(r"(\d+) % (.+)", text).groups()
        closest = window.alignments.store.closest(article.id, window.threshold())
        assert story_of[closest.article_id] == story_of[article.id]
        assert titles[closest.article_id].startswith(shown_title.rstrip("…"))
        # The share is the one the list's "Linked" column says once the two face each other.
        window.show_pair(article.id, closest.article_id)
        wait_for_alignment(window)
        assert model.index(model.row_of(article.id), M.LINKED).data() == f"{percent} %"


def test_a_big_folder_fills_the_list_progressively_while_the_event_loop_keeps_running(
    make_window, tmp_path, qtbot
):
    folder = tmp_path / "big"
    write_corpus(folder, 220, seed=5, prose=False)
    window = make_window(None)
    counts: list[int] = []
    window.article_dock.model.rowsInserted.connect(
        lambda *_: counts.append(window.article_dock.model.rowCount())
    )
    ticker = Ticker()
    ticks_at_rows: list[int] = []
    window.article_dock.model.rowsInserted.connect(ticker.count_at(ticks_at_rows))
    ticks_at_pairs: list[int] = []
    window.alignments.alignedMany.connect(ticker.count_at(ticks_at_pairs))
    gc.collect()
    gc.freeze()
    try:
        ticker.start()
        assert window.open_paths([folder])  # returns at once: reading goes on in the background
        assert window.article_dock.model.rowCount() < 220
        assert window.alignment_status.cancel.isVisibleTo(window)
        qtbot.waitUntil(lambda: window.article_dock.model.rowCount() == 220, timeout=120_000)
        # Then the candidate pairs align in the background; the list shows closest articles as they come.
        qtbot.waitUntil(
            lambda: (
                window.corpus is not None
                and len(window.alignments.store.summaries(window.threshold())) > 50
            ),
            timeout=120_000,
        )
        ticker.timer.stop()
    finally:
        gc.unfreeze()
    assert len(counts) >= 4 and counts == sorted(counts), counts
    # The event loop ran while the articles were read and while the pairs aligned: its
    # timer fired between the list's first rows, its middle ones and its last, and
    # between the pairs' results (counted, not timed: a loaded machine is slower, not wrong).
    assert ticked_throughout(ticks_at_rows), ticks_at_rows
    assert ticked_throughout(ticks_at_pairs), ticks_at_pairs
    # Only candidate pairs, never all 24,090 of them; Cancel stops the rest.
    assert window.alignments.pending() < 220 * 219 // 2 // 4
    with qtbot.waitSignal(window.alignments.cancelled, timeout=10_000):
        window.alignment_status.cancel.click()
    qtbot.waitUntil(lambda: not window.alignments.is_busy(), timeout=30_000)


def test_export_says_also_in_at_the_sliders_threshold(
    window, qtbot, tmp_path, monkeypatch, wait_for_alignment
):
    links = window.comparison.links()
    weak = next(link for link in links if 0.36 <= link.score < 0.8 and link.kind == "copied")
    strict = min(90, int(weak.score * 100) // 5 * 5 + 5)
    window.comparison.select_sentence(LEFT, weak.a_sentences[0])
    window.comparison.pane(LEFT).text.setFocus()
    qtbot.keyClick(window.comparison.pane(LEFT).text, Qt.Key.Key_1)
    window.similarity.setValue(strict)
    wait_for_alignment(window)
    target = tmp_path / "notes.md"
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(target), "Markdown (*.md)")),
    )
    window.action_set.export.trigger()
    also = [
        line
        for line in target.read_text(encoding="utf-8").splitlines()
        if line.startswith("- Also in:")
    ]
    scores = [float(s) for line in also for s in re.findall(r"score (\d\.\d\d)", line)]
    assert all(score >= strict / 100 for score in scores), (strict, also)


def test_a_story_of_many_articles_is_chosen_without_comparing_whole_articles(qtbot, monkeypatch):
    # A prose folder of 1,000 generated articles joined into one story; choosing it once
    # compared every article with every other by value (text and all): 0.3-0.8 s stalls.
    from reader.core.articles import Article, article_from_text
    from reader.core.comparison import PairKey, PairSummary
    from reader.ui.corpus_view import CorpusDock

    articles = [
        article_from_text(f"Story text number {n}. It goes on.", f"a{n:03d}") for n in range(300)
    ]
    dock = CorpusDock()
    qtbot.addWidget(dock)
    dock.set_corpus(articles)
    compared = []
    real_eq = Article.__eq__
    monkeypatch.setattr(
        Article, "__eq__", lambda self, other: compared.append(1) or real_eq(self, other)
    )
    dock.add_pairs(
        PairSummary(PairKey.of(a, b, 0.35)[0], 0.5, 0.5, 1) for a, b in pairwise(articles)
    )
    assert dock.stories.story_count() == 1
    assert len(compared) < len(articles), len(compared)
