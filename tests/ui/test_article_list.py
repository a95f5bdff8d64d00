"""The article list: columns, filter, sorting, opening in a pane, tag counts and shares."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from reader.ui.article_list import ArticleTableModel as M
from reader.ui.comparison import ComparisonView

LEFT, RIGHT = ComparisonView.LEFT, ComparisonView.RIGHT


def row_of(dock, article_id):
    model = dock.model
    return model.row_of(article_id)


def cell(dock, article_id, column):
    return dock.model.index(row_of(dock, article_id), column).data()


def test_every_article_is_listed_with_title_file_words_and_share(window):
    dock = window.article_dock
    assert dock.proxy.rowCount() == len(window.corpus.articles) == 5
    left_id, right_id = window.shown_ids()
    left = window.corpus.article(left_id)
    assert cell(dock, left_id, M.TITLE) == left.title
    assert cell(dock, left_id, M.FILE) == left.path.name
    assert cell(dock, left_id, M.WORDS) == f"{left.word_count:,}"
    assert cell(dock, left_id, M.PANE) == "L" and cell(dock, right_id, M.PANE) == "R"
    # The shown pair (a wire story told twice) shares most; 000, residents' reactions to
    # the same visit, copies no wording but restates some facts: it shares less.
    shown = int(cell(dock, left_id, M.LINKED).split()[0])
    assert shown > 20
    reactions = next(a.id for a in window.corpus.articles if a.id.startswith("000"))
    assert 0 < int(cell(dock, reactions, M.LINKED).split()[0]) < shown


def test_an_article_on_another_story_shares_nothing(make_window, corpus_dir, wait_for_alignment):
    story = (
        Path(__file__).resolve().parents[1] / "data" / "related" / "unrelated" / "quake_dervan.txt"
    )
    shutil.copy2(story, corpus_dir / "zz_quake.txt")
    window = make_window([corpus_dir])
    dock = window.article_dock
    quake = next(a.id for a in window.corpus.articles if a.path.name == "zz_quake.txt")
    # A folder this small compares every pair, wording shared or not: the quake story was
    # compared with the shown article and shares nothing with it, nor with any other.
    wait_for_alignment(window)
    assert window.alignments.is_candidate(
        window.corpus.articles[0], next(a for a in window.corpus.articles if a.id == quake)
    )
    assert cell(dock, quake, M.LINKED) == "0 %"
    assert cell(dock, quake, M.CLOSEST) == "—"


def test_filter_box_matches_title_and_file_name(window, qtbot):
    dock = window.article_dock
    # Every seed's headline now names North Korea (000's was its dateline): filter by a rarer word.
    qtbot.keyClicks(dock.filter_box, "pyongyang")
    titles = [dock.proxy.index(r, M.TITLE).data() for r in range(dock.proxy.rowCount())]
    assert titles and all("pyongyang" in t.lower() for t in titles)
    assert len(titles) < 5
    dock.filter_box.clear()
    qtbot.keyClicks(dock.filter_box, "002_")
    assert dock.proxy.rowCount() == 1
    assert dock.proxy.index(0, M.FILE).data().startswith("002_")


def test_sorting_by_words_orders_numerically(window):
    dock = window.article_dock
    dock.view.sortByColumn(M.WORDS, Qt.SortOrder.DescendingOrder)
    counts = [
        int(dock.proxy.index(r, M.WORDS).data().replace(",", ""))
        for r in range(dock.proxy.rowCount())
    ]
    assert counts == sorted(counts, reverse=True)


def test_double_click_opens_in_the_pane_that_had_focus(window, qtbot):
    dock = window.article_dock
    target = next(a for a in window.corpus.articles if a.id.startswith("001"))
    window.comparison.pane(RIGHT).text.setFocus()
    window.comparison.focusedSideChanged.emit(RIGHT)
    dock.select_article(target.id)
    index = dock.view.currentIndex()
    rect = dock.view.visualRect(index)
    qtbot.mouseClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.shown_ids()[1] == target.id


def test_context_menu_actions_open_left_and_right(window):
    dock = window.article_dock
    first, second = window.corpus.articles[0], window.corpus.articles[1]
    dock.select_article(first.id)
    window.action_set.open_left.trigger()
    dock.select_article(second.id)
    window.action_set.open_right.trigger()
    assert window.shown_ids() == (first.id, second.id)
    # Opening the right pane's article on the left swaps the two.
    dock.select_article(second.id)
    window.action_set.open_left.trigger()
    assert window.shown_ids() == (second.id, first.id)


def test_tag_count_follows_tagging_and_undo(window, qtbot):
    left_id, _ = window.shown_ids()
    window.comparison.select_sentence(LEFT, 3)
    window.comparison.pane(LEFT).text.setFocus()
    qtbot.keyClick(window.comparison.pane(LEFT).text, Qt.Key.Key_1)
    assert cell(window.article_dock, left_id, M.TAGS) == "1"
    window.action_set.undo.trigger()
    assert cell(window.article_dock, left_id, M.TAGS) == "0"


def _articles(names_and_words):
    from reader.core.articles import Article

    return [
        Article(id=name, path=Path(f"/corpus/{name}.txt"), title=name.title(), text="word " * words)
        for name, words in names_and_words
    ]


class _CountingModel(M):
    """The article model, counting what Qt asks of it."""

    asked = 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        type(self).asked += 1
        return super().data(index, role)


def test_articles_read_later_join_a_sorted_list_in_their_place(qtbot):
    from reader.ui.article_list import ArticleListDock

    dock = ArticleListDock()
    qtbot.addWidget(dock)
    dock.model.set_articles(_articles([("b", 30), ("d", 10)]))
    dock.view.sortByColumn(M.WORDS, Qt.SortOrder.DescendingOrder)
    dock.select_article("d")
    dock.model.append_articles(_articles([("a", 20), ("c", 40), ("e", 10)]))
    shown = [dock.proxy.index(row, M.FILE).data() for row in range(dock.proxy.rowCount())]
    # By words, most first; equal counts keep the order the files were read in.
    assert shown == ["c.txt", "b.txt", "a.txt", "d.txt", "e.txt"]
    assert dock.current_article_id() == "d"  # the cursor stayed on its article
    dock.view.sortByColumn(M.FILE, Qt.SortOrder.AscendingOrder)
    shown = [dock.proxy.index(row, M.FILE).data() for row in range(dock.proxy.rowCount())]
    assert shown == ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]
    assert dock.current_article_id() == "d"


def test_a_batch_of_read_articles_joins_a_long_list_without_a_question_per_row(qtbot):
    # Sorting in Qt's proxy asked the model for two sort keys per comparison: 4,000
    # trips into Python (50-150 ms of a frozen window) for each batch of a big folder.
    from reader.ui.article_list import ArticleFilterModel

    model = _CountingModel()
    proxy = ArticleFilterModel()
    proxy.setSourceModel(model)
    proxy.sort(M.TITLE, Qt.SortOrder.AscendingOrder)
    model.append_articles(_articles([(f"article{n:04}", 10 + n % 7) for n in range(1000)]))
    _CountingModel.asked = 0
    model.append_articles(_articles([(f"article{n:04}", 10) for n in range(1000, 1050)]))
    assert proxy.rowCount() == 1050
    assert proxy.index(1049, M.FILE).data() == "article1049.txt"
    assert _CountingModel.asked < 50


def test_a_list_sorted_by_tags_follows_the_tag_counts(qtbot):
    from reader.ui.article_list import ArticleListDock

    dock = ArticleListDock()
    qtbot.addWidget(dock)
    dock.model.set_articles(_articles([("a", 10), ("b", 10), ("c", 10)]))
    dock.view.sortByColumn(M.TAGS, Qt.SortOrder.DescendingOrder)
    dock.model.set_tag_counts({"c": 2, "b": 1})
    shown = [dock.proxy.index(row, M.FILE).data() for row in range(dock.proxy.rowCount())]
    assert shown == ["c.txt", "b.txt", "a.txt"]
    dock.model.set_tag_counts({"a": 5})
    shown = [dock.proxy.index(row, M.FILE).data() for row in range(dock.proxy.rowCount())]
    assert shown == ["a.txt", "b.txt", "c.txt"]
