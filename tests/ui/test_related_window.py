"""The window with the real sentence model: related links found off the GUI thread and
shown; without the model, copied links only and one plain message."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core import embedding
from reader.core.align import COPIED, RELATED


def show(window, wait_for_alignment, first, second):
    ids = {a.id[:3]: a.id for a in window.corpus.articles}
    window.show_pair(ids[first], ids[second])
    wait_for_alignment(window)


def test_first_visit_in_24_years_is_linked_to_first_since_2000(window, wait_for_alignment):
    show(window, wait_for_alignment, "001", "004")
    links = window.comparison.links()
    related = [link for link in links if link.kind == RELATED]
    assert related
    a, b = window.comparison.articles()
    pairs = {
        (a.text[link.a_span[0] : link.a_span[1]], b.text[link.b_span[0] : link.b_span[1]])
        for link in related
    }
    assert any(
        "nearly 24 years" in left and "first since 2000" in right for left, right in pairs
    ), pairs
    copied = len(links) - len(related)
    assert f"{len(links)} passages linked ({copied} copied · {len(related)} related)" in (
        window.alignment_status.summary.text()
    )
    assert not window.alignment_status.legend.related_text().endswith("(off)")


def test_hiding_related_links_hides_their_drawing_not_their_finding(window, wait_for_alignment):
    show(window, wait_for_alignment, "001", "004")
    found = [link for link in window.comparison.links() if link.kind == RELATED]
    window.action_set.show_related.setChecked(False)
    assert all(link.kind == COPIED for link in window.comparison.links())
    assert f"{len(found)} related hidden" in window.alignment_status.summary.text()
    window.action_set.show_related.setChecked(True)
    assert [link for link in window.comparison.links() if link.kind == RELATED] == found


@pytest.fixture
def no_model():
    embedding.use_model_files(
        embedding.ModelFiles(Path("/nonexistent/model.onnx"), Path("/nonexistent/t.json"))
    )
    yield
    embedding.use_model_files(None)


def test_without_the_model_the_window_links_copied_wording_and_says_why_once(
    no_model, make_window, corpus_dir, wait_for_alignment
):
    window = make_window(None)
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    assert window.open_paths([str(corpus_dir)])
    wait_for_alignment(window)
    links = window.comparison.links()
    assert links and all(link.kind == COPIED for link in links)
    show(window, wait_for_alignment, "001", "004")
    said = [m for m in messages if "Related passages are off" in m]
    assert len(said) == 1 and "/nonexistent/" in said[0]
    assert window.alignment_status.legend.related_text().endswith("(off)")
