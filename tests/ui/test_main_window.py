"""Opening the seeds, choosing pairs, links shown, bands, swap, similarity, settings, shortcuts."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from reader.core.align import Aligner
from reader.ui.comparison import ComparisonView
from reader.ui.main_window import MainWindow
from reader.ui.settings import Settings

LEFT, RIGHT = ComparisonView.LEFT, ComparisonView.RIGHT


def expected_links(window, left_id, right_id, threshold=None):
    corpus = window.corpus
    aligner = Aligner(corpus.articles)
    return aligner.align(
        corpus.article(left_id),
        corpus.article(right_id),
        threshold=window.threshold() if threshold is None else threshold,
    )


def test_seeds_open_with_corpus_title_and_the_pair_that_shares_most(window):
    assert window.windowTitle().replace("[*]", "") == "Source Reader — seeds"
    assert not window.isWindowModified()
    left_id, right_id = window.shown_ids()
    # In the seeds only the 003/004 pair tells the same story.
    assert {left_id[:3], right_id[:3]} == {"003", "004"}
    links = expected_links(window, left_id, right_id)
    assert len(window.comparison.links()) == len(links) > 0
    summary = window.alignment_status.summary.text()
    assert f"{len(links)} passages linked" in summary


def test_choosing_a_pair_from_the_list_shows_its_links(window, wait_for_alignment):
    dock = window.article_dock
    target = next(a for a in window.corpus.articles if a.id.startswith("001"))
    dock.select_article(target.id)
    window.action_set.open_right.trigger()
    left_id, right_id = window.shown_ids()
    assert right_id == target.id
    wait_for_alignment(window)
    assert len(window.comparison.links()) == len(expected_links(window, left_id, right_id))
    assert dock.model.index(dock.model.row_of(target.id), dock.model.PANE).data() == "R"


def test_pane_chooser_picks_the_article_and_stops_the_automatic_pair(window, wait_for_alignment):
    first = window.corpus.articles[0]
    window.comparison.articleChosen.emit(LEFT, first.id)
    assert window.shown_ids()[0] == first.id
    wait_for_alignment(window)
    assert window.shown_ids()[0] == first.id  # not replaced by the best pair again


def test_swap_exchanges_the_articles_and_mirrors_the_links(window):
    left_id, right_id = window.shown_ids()
    before = window.comparison.links()
    window.action_set.swap.trigger()
    assert window.shown_ids() == (right_id, left_id)
    after = window.comparison.links()
    assert sorted(link.a_span for link in after) == sorted(link.b_span for link in before)


def test_clicking_a_band_scrolls_both_panes_to_its_ends(window, qtbot):
    view = window.comparison
    view.pane(LEFT).set_scroll_value(0)
    view.pane(RIGHT).set_scroll_value(0)
    link_map = view.link_map()
    # A link whose band is drawn but whose ends are not both fully on screen yet.
    index = link_map.visible_links()[-1]
    point = link_map.band_center(index)
    assert point is not None
    qtbot.mouseClick(link_map, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert view.selected_link() == index
    link = view.links()[index]
    for side, span in ((LEFT, link.a_span), (RIGHT, link.b_span)):
        top, bottom = view.pane(side).span_view_y(*span)
        # The passage's start is on screen (a passage taller than the pane cannot all be).
        assert 0 <= top < view.pane(side).viewport_height()
        assert bottom <= view.pane(side).viewport_height() + 1 or top <= 40
        assert view.pane(side).outline() == span
    assert "Passage" in window.statusBar().currentMessage()


def test_next_and_previous_link_walk_the_links(window):
    view = window.comparison
    view.select_link(0)
    window.action_set.next_link.trigger()
    assert view.selected_link() == 1
    window.action_set.previous_link.trigger()
    assert view.selected_link() == 0


def test_minimum_similarity_realigns_through_the_worker(window, qtbot):
    left_id, right_id = window.shown_ids()
    strict = expected_links(window, left_id, right_id, threshold=0.8)
    with qtbot.waitSignal(
        window.linksShown, timeout=10_000, check_params_cb=lambda n: n == len(strict)
    ):
        window.similarity.setValue(80)
    assert window.threshold() == 0.8
    shown = window.comparison.links()
    assert len(shown) == len(strict) and all(link.score >= 0.8 for link in shown)
    copied = [link for link in shown if link.kind == "copied"]
    assert len(copied) < len(
        [link for link in expected_links(window, left_id, right_id, 0.35) if link.kind == "copied"]
    )
    # Back to the first threshold: answered from the cache at once.
    window.similarity.setValue(35)
    assert len(window.comparison.links()) == len(expected_links(window, left_id, right_id, 0.35))


def test_settings_remember_zoom_similarity_and_corpus(
    window, qtbot, corpus_dir, wait_for_alignment
):
    window.resize(700, 600)  # inside the offscreen screen (800x800), or restoring clamps it
    window.article_dock.hide()
    window.action_set.zoom_in.trigger()
    window.action_set.zoom_in.trigger()
    window.similarity.setValue(50)
    wait_for_alignment(window)
    assert window.close()
    again = MainWindow(Settings())
    qtbot.addWidget(again)
    assert again.comparison.zoom() == 2
    assert again.threshold() == 0.5
    # The height comes back; the width is at least the window's minimum, which
    # depends on the toolbars filled once a corpus is open.
    assert again.height() == 600 and again.width() < 900
    assert again.article_dock.isHidden() and not again.action_set.show_articles.isChecked()
    settings = Settings()
    assert settings.last_corpus() == [str(corpus_dir.resolve())]
    assert settings.recent()[0] == [str(corpus_dir.resolve())]


def test_zoom_keys_change_the_text_size(window):
    view = window.comparison
    size = view.pane(LEFT).point_size()
    window.action_set.zoom_in.trigger()
    assert view.pane(LEFT).point_size() > size
    window.action_set.zoom_out.trigger()
    window.action_set.zoom_out.trigger()
    assert view.pane(LEFT).point_size() < size


def test_find_selects_text_in_the_focused_pane(window):
    window.find_box.setText("Vostochny")
    assert window.find()
    window.find_box.setText("no such words anywhere")
    assert not window.find()
    assert "not found" in window.statusBar().currentMessage()


def test_every_action_has_text_accessible_name_and_is_listed_in_help(window, monkeypatch):
    from reader.ui import shortcuts_dialog

    shown = {}
    monkeypatch.setattr(
        shortcuts_dialog.ShortcutsDialog,
        "exec",
        lambda self: shown.setdefault("rows", self.table.rowCount()),
    )
    actions = window.action_set.all()
    assert len(actions) > 25
    for action in actions:
        assert action.text()
        assert action.property("accessibleName"), action.objectName()
        assert action in window.actions()  # on the window, so its shortcut works anywhere
    for bar in (window.toolbar, window.tag_bar):
        for action in bar.actions():
            button = bar.widgetForAction(action)
            if action.property("accessibleName"):
                assert button.accessibleName() == action.property("accessibleName")
    window.action_set.shortcuts.trigger()
    assert shown["rows"] >= len(actions)
    rows = shortcuts_dialog.shortcut_rows(actions)
    keys = dict(rows)
    assert "Ctrl+Z" in keys["Undo"] and "Ctrl+Shift+Z" in keys["Redo"]
    assert keys["Tag as context"] == "2"
    assert "F3" in keys["Find Next"] and keys["Next Linked Passage"] == "Alt+Down"


def test_standard_shortcuts_are_bound(window):
    a = window.action_set
    text = lambda action: [s.toString() for s in action.shortcuts()]  # noqa: E731
    assert "Ctrl+S" in text(a.save) and "Ctrl+Q" in text(a.quit) and "Ctrl+F" in text(a.find)
    assert "Ctrl+=" in text(a.zoom_in) and "Ctrl+-" in text(a.zoom_out)
    assert "Alt+Up" in text(a.previous_link)


def test_docks_can_be_hidden_and_shown_from_the_view_menu(window):
    window.action_set.show_articles.trigger()
    assert window.article_dock.isHidden()
    window.action_set.focus_articles.trigger()
    assert not window.article_dock.isHidden()
    assert window.action_set.show_articles.isChecked()


def test_first_start_gives_the_two_articles_most_of_the_screen(qtbot):
    # No remembered geometry: the window takes most of the screen rather than
    # Qt's default, and the docks leave the middle to the two panes.
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    available = window.screen().availableGeometry()
    assert window.width() >= min(1400, int(available.width() * 0.9)) - 1
    assert window.comparison.width() > window.article_dock.width() + window.annotations_dock.width()


def test_about_names_the_version_and_where_the_cache_lives(window, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_READER_CACHE", str(tmp_path / "cache-here"))
    text = window.about_text()
    assert "cache-here" in text
    assert re.search(r"Source Reader \d+\.\d+", text)
    monkeypatch.setenv("SOURCE_READER_CACHE", "off")
    assert "cache is off" in window.about_text()
