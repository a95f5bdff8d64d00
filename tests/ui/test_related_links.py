"""Related links (the same fact in other words) in the window: drawn apart from copied
wording, named in tooltips and the status bar, visited by navigation, shown or hidden
by a remembered toggle, and counted in "Also in" and the empty-state notice.

The core's related matcher is not needed here: the aligner is wrapped so the seed
pair 001/004 gets a few related links made by hand (the "first visit in 24 years" /
"first since 2000" pair among them), and copied links come from the real aligner's
links found by words (at the loose similarity used here, two on 001/004 that share
only names, which the aligner itself calls related: the test drew them as copied).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor

from reader.core import align as core_align
from reader.core.align import COPIED, RELATED, Aligner, Link
from reader.core.articles import load_corpus
from reader.ui import workers
from reader.ui.annotations_dock import AnnotationTableModel as M
from reader.ui.comparison import ComparisonView
from reader.ui.main_window import MainWindow
from reader.ui.settings import Settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
LEFT, RIGHT = ComparisonView.LEFT, ComparisonView.RIGHT
# (sentence of 001, sentence of 004, score): facts both report in their own words.
RELATED_PAIRS = ((0, 1, 0.58), (18, 2, 0.47), (6, 15, 0.44), (4, 4, 0.41), (8, 20, 0.52))
LOOSE = 0.2  # at this similarity the real aligner links 001/004 twice by shared wording


def with_related(links, a, b):
    """``links`` of (a, b) (found by words), taken as copied, plus the hand-made related
    links of 001/004."""
    links = [replace(link, kind=COPIED) for link in links]
    ids = (a.id[:3], b.id[:3])
    if set(ids) != {"001", "004"}:
        return links
    extra = []
    for i, j, score in RELATED_PAIRS:
        if ids == ("004", "001"):
            i, j = j, i
        sa, sb = a.sentences[i], b.sentences[j]
        extra.append(
            Link(
                (i, i + 1),
                (j, j + 1),
                (sa.start, sa.end),
                (sb.start, sb.end),
                score,
                (),
                kind=RELATED,
            )
        )
    return sorted(links + extra, key=lambda link: (link.a_span, link.b_span))


@pytest.fixture
def related_aligner(monkeypatch):
    original = core_align.Aligner.align

    def align(self, a, b, *args, **kwargs):
        kwargs["sentence_model"] = False
        return with_related(original(self, a, b, *args, **kwargs), a, b)

    monkeypatch.setattr(core_align.Aligner, "align", align)


@pytest.fixture(scope="module")
def pair():
    corpus = load_corpus(SEEDS)
    a = next(x for x in corpus.articles if x.id.startswith("001"))
    b = next(x for x in corpus.articles if x.id.startswith("004"))
    links = Aligner(corpus.articles).align(a, b, threshold=LOOSE, sentence_model=False)
    return a, b, with_related(links, a, b)


@pytest.fixture
def view(qtbot, pair):
    a, b, links = pair
    widget = ComparisonView()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.set_articles(a, b)
    widget.set_links(links)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def index_of(view, kind):
    return next(i for i, link in enumerate(view.links()) if link.kind == kind)


def on_screen(view, index):
    view.set_sync_scroll(False)
    link = view.links()[index]
    view.pane(LEFT).ensure_span_visible(*link.a_span)
    view.pane(RIGHT).ensure_span_visible(*link.b_span)


def char_format(pane, offset) -> QTextCharFormat:
    cursor = QTextCursor(pane.text.document())
    cursor.setPosition(offset + 1)
    return cursor.charFormat()


# --- the comparison view ---------------------------------------------------------------------
def test_related_bands_are_hatched_with_a_dashed_edge_and_copied_bands_solid(view):
    link_map = view.link_map()
    related, copied = index_of(view, RELATED), index_of(view, COPIED)
    related_brushes, related_pen = link_map.band_style(related)
    copied_brushes, copied_pen = link_map.band_style(copied)
    assert [b.style() for b in copied_brushes] == [Qt.BrushStyle.SolidPattern]
    assert Qt.BrushStyle.BDiagPattern in [b.style() for b in related_brushes]
    assert (
        copied_pen.style() == Qt.PenStyle.SolidLine and related_pen.style() == Qt.PenStyle.DashLine
    )
    # Different hue as well as shape, and the related wash lighter than the copied one.
    assert related_brushes[0].color().rgb() != copied_brushes[0].color().rgb()
    assert related_brushes[0].color().alphaF() < copied_brushes[0].color().alphaF()


def test_painted_related_band_shows_its_hatching(view):
    link_map = view.link_map()
    related = index_of(view, RELATED)
    on_screen(view, related)
    path = link_map.band_path(related)
    assert path is not None
    image = link_map.grab().toImage()
    ratio = image.devicePixelRatio()
    rect = path.boundingRect()
    # Sample the middle column of the band, away from its edges: hatching gives it
    # strong and faint pixels where a plain wash is one even color.
    x = rect.center().x()
    inside = [
        y
        for y in range(int(rect.top()), int(rect.bottom()))
        if all(
            path.contains(QPointF(x, y + d)) and link_map.link_at(QPointF(x, y + d)) == related
            for d in (-5, 0, 5)
        )
    ]
    assert len(inside) > 10
    lightness = {image.pixelColor(int(x * ratio), int(y * ratio)).lightness() for y in inside}
    assert max(lightness) - min(lightness) > 30, lightness


def test_related_passages_have_a_dotted_underline_and_a_lighter_wash(view):
    link = view.links()[index_of(view, RELATED)]
    copied = view.links()[index_of(view, COPIED)]
    pane = view.pane(LEFT)
    related_fmt, copied_fmt = char_format(pane, link.a_span[0]), char_format(pane, copied.a_span[0])
    assert related_fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
    assert copied_fmt.underlineStyle() != QTextCharFormat.UnderlineStyle.DotLine
    assert related_fmt.background().color().rgb() != copied_fmt.background().color().rgb()


def test_tooltips_say_which_kind_of_link(view):
    related, copied = index_of(view, RELATED), index_of(view, COPIED)
    link = view.links()[related]
    assert view.pane(LEFT).tooltip_at(link.a_span[0]) == (
        f"Also in the other article · Same fact in other words · similarity {link.score:.2f}"
    )
    assert "Copied wording · similarity" in view.pane(LEFT).tooltip_at(
        view.links()[copied].a_span[0]
    )
    on_screen(view, related)
    link_map = view.link_map()
    center = link_map.band_center(related)
    assert link_map.link_at(center) == related
    assert link_map.tooltip_at(center) == (
        f"Passage {related + 1} of {len(view.links())} · Same fact in other words · similarity {link.score:.2f}"
    )


# --- the window ---------------------------------------------------------------------------------
@pytest.fixture
def loose_window(related_aligner, make_window, corpus_dir, wait_for_alignment):
    window = make_window([corpus_dir])
    window.similarity.setValue(round(LOOSE * 100))
    wait_for_alignment(window)
    ids = {a.id[:3]: a.id for a in window.corpus.articles}
    window.show_pair(ids["001"], ids["004"])
    wait_for_alignment(window)
    return window


def test_status_bar_counts_each_kind(loose_window):
    links = loose_window.comparison.links()
    copied = sum(1 for link in links if link.kind == COPIED)
    assert copied and copied < len(links)
    summary = loose_window.alignment_status.summary.text()
    assert (
        f"{len(links)} passages linked ({copied} copied · {len(RELATED_PAIRS)} related)" in summary
    )


def test_legend_shows_both_kinds_drawn_as_the_bands_are(loose_window):
    legend = loose_window.alignment_status.legend
    assert legend.isVisibleTo(loose_window)
    assert legend.labels[COPIED].text() == "copied wording"
    assert legend.labels[RELATED].text() == "same fact, other words"
    copied = legend.swatches[COPIED].pixmap().toImage()
    related = legend.swatches[RELATED].pixmap().toImage()
    assert copied != related


def test_toggle_hides_related_links_and_is_remembered(loose_window, qtbot):
    window = loose_window
    toggle = window.action_set.show_related
    assert toggle.isCheckable() and toggle.isChecked()
    assert toggle in window.toolbar.actions()
    assert (
        toggle
        in next(m for m in window.menuBar().actions() if m.text() == "&View").menu().actions()
    )
    assert not toggle.shortcut().isEmpty()
    toggle.trigger()
    assert {link.kind for link in window.comparison.links()} == {COPIED}
    assert "5 related hidden" in window.alignment_status.summary.text()
    assert "hidden" in window.alignment_status.legend.related_text()
    again = MainWindow(Settings())
    qtbot.addWidget(again)
    assert not again.action_set.show_related.isChecked()
    toggle.trigger()
    assert RELATED in {link.kind for link in window.comparison.links()}
    assert Settings().show_related()


def test_shortcut_of_the_toggle_clashes_with_no_other_command(loose_window):
    keys = {}
    for action in loose_window.action_set.all():
        for sequence in action.shortcuts():
            keys.setdefault(sequence.toString(), []).append(action.objectName())
    toggle = loose_window.action_set.show_related.shortcut().toString()
    assert keys[toggle] == ["action_show_related"]


def test_alt_down_visits_related_passages_and_says_their_kind(loose_window):
    window = loose_window
    view = window.comparison

    def walk():
        view.select_link(0)
        seen = [(view.links()[0].kind, window.statusBar().currentMessage())]
        for _ in range(len(view.links()) - 1):
            window.action_set.next_link.trigger()
            seen.append(
                (view.links()[view.selected_link()].kind, window.statusBar().currentMessage())
            )
        return seen

    seen = walk()
    assert [kind for kind, _ in seen].count(RELATED) == len(RELATED_PAIRS)
    for kind, message in seen:
        assert ("same fact in other words" if kind == RELATED else "copied wording") in message
    window.action_set.show_related.setChecked(False)
    assert {kind for kind, _ in walk()} == {COPIED}


def test_also_in_says_whether_the_other_outlet_copies_or_restates(loose_window, qtbot):
    window = loose_window
    left_id, right_id = window.shown_ids()
    assert left_id.startswith("001")
    window.comparison.select_sentence(LEFT, 0)  # "first visit ... in nearly 24 years"
    window.comparison.pane(LEFT).text.setFocus()
    qtbot.keyClick(window.comparison.pane(LEFT).text, Qt.Key.Key_1)
    also = window.annotations_dock.proxy.index(0, M.ALSO_IN).data()
    right = window.corpus.article(right_id)
    assert f"{right.title} (restated, 0.58)" in also


def test_selecting_a_passage_then_moving_the_slider_clears_the_passage_message(loose_window, qtbot):
    window = loose_window
    window.comparison.select_link(0)
    assert window.statusBar().currentMessage().startswith("Passage 1 of")
    with qtbot.waitSignal(window.linksShown, timeout=10_000):
        window.similarity.setValue(60)
    assert not window.statusBar().currentMessage().startswith("Passage")


def test_no_shared_passages_says_so_and_what_to_do(
    related_aligner, make_window, corpus_dir, wait_for_alignment
):
    window = make_window([corpus_dir])
    ids = {a.id[:3]: a.id for a in window.corpus.articles}
    window.show_pair(ids["000"], ids["001"])  # nothing in common at the default similarity
    wait_for_alignment(window)
    assert window.comparison.links() == []
    notice = window.comparison.notice_text()
    assert notice.startswith(
        f"No shared passages at similarity {window.threshold():.2f} — lower the similarity"
    )
    assert window.comparison.notice.isVisibleTo(window)
    assert "0 passages linked" not in window.alignment_status.summary.text()
    assert "No shared passages" in window.alignment_status.summary.text()
    # The notice's link lowers the similarity.
    before = window.similarity.value()
    window.comparison.notice.linkActivated.emit("looser")
    assert window.similarity.value() < before


def test_hidden_related_passages_are_offered_when_nothing_else_is_shared(
    related_aligner, make_window, corpus_dir, wait_for_alignment
):
    window = make_window([corpus_dir])
    window.action_set.show_related.setChecked(False)
    ids = {a.id[:3]: a.id for a in window.corpus.articles}
    window.show_pair(ids["001"], ids["004"])  # at 0.35 only related links
    wait_for_alignment(window)
    assert window.comparison.links() == []
    assert "show related passages" in window.comparison.notice_text()
    window.comparison.notice.linkActivated.emit("related")
    assert window.action_set.show_related.isChecked()
    assert len(window.comparison.links()) == len(RELATED_PAIRS)
    assert window.comparison.notice_text() == ""


def test_unavailable_related_links_are_explained_once(
    monkeypatch, make_window, corpus_dir, wait_for_alignment
):
    reason = "the sentence model is not installed"
    monkeypatch.setattr(workers, "related_unavailable_reason", lambda load=True: reason)
    window = make_window(None)
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    assert window.open_paths([str(corpus_dir)])
    wait_for_alignment(window)
    said = [m for m in messages if reason in m]
    # Ten pairs were aligned; the reason and how to get related links were said once.
    window.similarity.setValue(50)
    wait_for_alignment(window)
    assert len(said) == 1
    assert (
        "Related passages are off" in said[0] and "pip install 'source-reader[related]'" in said[0]
    )
    assert window.alignment_status.legend.related_text().endswith("(off)")
    assert reason in window.alignment_status.legend.labels[RELATED].toolTip()
