"""A folder of saved news pages, Markdown and text: the list and the panes say which outlet and when."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from reader.ui.article_list import ArticleTableModel as M

NEWS = Path(__file__).resolve().parents[1] / "data" / "news"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def news_dir(tmp_path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for name in (
        "harbour-quake.html",
        "harbour-budget.html",
        "ledger-jsonld.html",
        "bare-page.html",
        "coast-brief.md",
    ):
        shutil.copy(NEWS / name, folder)
    shutil.copy(next(SEEDS.glob("000_*.txt")), folder)
    return folder


def column(dock, which) -> list[str]:
    return [dock.proxy.index(row, which).data() for row in range(dock.proxy.rowCount())]


def test_list_shows_outlet_and_date_and_sorts_by_them(make_window, news_dir):
    window = make_window([news_dir])
    dock = window.article_dock
    model = dock.model
    assert model.headerData(M.OUTLET, Qt.Orientation.Horizontal) == "Outlet"
    assert model.headerData(M.DATE, Qt.Orientation.Horizontal) == "Date"
    assert not dock.view.isColumnHidden(M.OUTLET) and not dock.view.isColumnHidden(M.DATE)
    quake = model.row_of("harbour-quake")
    assert model.index(quake, M.OUTLET).data() == "Harbour Times"
    assert model.index(quake, M.DATE).data() == "2025-03-14"
    assert (
        model.index(quake, M.TITLE).data()
        == "Earthquake shakes Dervan coast as hundreds leave their homes"
    )
    seed = next(a.id for a in window.corpus.articles if a.id.startswith("000"))
    assert model.index(model.row_of(seed), M.TITLE).data().startswith("Putin in Pyongyang")
    assert model.index(model.row_of("bare-page"), M.OUTLET).data() == "—"

    dock.view.sortByColumn(M.DATE, Qt.SortOrder.AscendingOrder)
    assert column(dock, M.DATE) == [
        "2025-03-12",
        "2025-03-14",
        "2025-03-15",
        "2025-03-16",
        "2025-07-08",
        "—",
    ]
    dock.view.sortByColumn(M.DATE, Qt.SortOrder.DescendingOrder)
    assert column(dock, M.DATE)[1:] == [
        "2025-07-08",
        "2025-03-16",
        "2025-03-15",
        "2025-03-14",
        "2025-03-12",
    ]

    dock.view.sortByColumn(M.OUTLET, Qt.SortOrder.AscendingOrder)
    outlets = column(dock, M.OUTLET)
    assert outlets[:4] == ["Coastal Review", "Harbour Times", "Harbour Times", "Morning Ledger"]
    assert set(outlets[4:]) == {"—"}


def test_pane_header_shows_outlet_date_and_title(make_window, news_dir):
    window = make_window([news_dir])
    window.show_pair("harbour-quake", "bare-page")
    left = window.comparison.pane(window.comparison.LEFT)
    right = window.comparison.pane(window.comparison.RIGHT)
    assert left.article().id == "harbour-quake"
    assert left.source_label.text() == "Harbour Times · 2025-03-14"
    assert left.source_label.isVisible()
    assert (
        left.chooser.currentText() == "Earthquake shakes Dervan coast as hundreds leave their homes"
    )
    assert "Mara Quinlan" in left.source_label.toolTip()
    assert right.source_label.text() == ""  # a page without metadata says nothing rather than guess
