"""Files and errors: export, bad annotation files, failed saves, unreadable articles, drops, quitting."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reader.core.annotations import AnnotationError, AnnotationStore
from reader.core.articles import load_corpus
from reader.ui.comparison import ComparisonView

LEFT = ComparisonView.LEFT


def tag_first_sentences(window, qtbot, label_key=Qt.Key.Key_1):
    window.comparison.select_sentence(LEFT, 3)
    window.comparison.pane(LEFT).text.setFocus()
    qtbot.keyClick(window.comparison.pane(LEFT).text, label_key)
    return window.comparison.articles()[0]


def test_export_writes_markdown_with_the_tagged_quote(window, qtbot, tmp_path, monkeypatch):
    article = tag_first_sentences(window, qtbot)
    quote = article.sentences[3].text
    target = tmp_path / "out" / "notes.md"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(target), "Markdown (*.md)")),
    )
    window.action_set.export.trigger()
    text = target.read_text(encoding="utf-8")
    assert quote in text and "claim" in text.lower()


def _csv_rows(text: str) -> list[tuple[str, str]]:
    return [(row["label"], row["quote"]) for row in csv.DictReader(io.StringIO(text))]


def _jsonld_items(text: str) -> list[tuple[str, str]]:
    document = json.loads(text)
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    items = []
    for item in document["first"]["items"]:
        label = next(b["value"] for b in item["body"] if b["purpose"] == "tagging")
        quote = next(
            s["exact"] for s in item["target"]["selector"] if s["type"] == "TextQuoteSelector"
        )
        items.append((label, quote))
    return items


def test_export_as_csv_and_json_ld_by_the_chosen_type(window, qtbot, tmp_path, monkeypatch):
    article = tag_first_sentences(window, qtbot)
    quote = article.sentences[3].text
    # Each file holds the one tag made, not merely a header or an empty collection.
    for name, chosen, check in (
        ("notes", "CSV (*.csv)", lambda t: _csv_rows(t) == [("claim", quote)]),
        ("notes", "JSON-LD (*.jsonld)", lambda t: _jsonld_items(t) == [("claim", quote)]),
    ):
        target = tmp_path / name
        monkeypatch.setattr(
            QFileDialog,
            "getSaveFileName",
            staticmethod(lambda *a, t=target, c=chosen, **k: (str(t), c)),
        )
        window.action_set.export.trigger()
        suffix = ".csv" if chosen.startswith("CSV") else ".jsonld"
        assert check(target.with_suffix(suffix).read_text(encoding="utf-8"))


def test_export_failure_shows_a_message_not_a_traceback(
    window, qtbot, tmp_path, monkeypatch, dialogs
):
    tag_first_sentences(window, qtbot)
    target = tmp_path / "missing-folder" / "notes.md"
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(target), "Markdown (*.md)")),
    )
    window.action_set.export.trigger()
    assert dialogs.kinds() == ["critical"]
    assert "notes.md" in dialogs.texts() and "Traceback" not in dialogs.texts()


def test_a_corrupt_annotation_file_is_reported_and_left_untouched(
    make_window, corpus_dir, qtbot, dialogs
):
    path = corpus_dir / "annotations.yaml"
    corrupt = b"schema: source-reader/annotations\nversion: 1\nlabels: [\n  - {name: claim\n"
    path.write_bytes(corrupt)
    window = make_window([corpus_dir])
    assert dialogs.kinds() == ["critical"]
    assert "annotations.yaml" in dialogs.texts()
    # The articles are still there to read; tagging is off, so nothing can overwrite the file.
    assert len(window.comparison.links()) > 0
    tag_first_sentences(window, qtbot, Qt.Key.Key_2)
    assert "Tags are off" in window.statusBar().currentMessage()
    window.close()
    assert path.read_bytes() == corrupt


def test_a_failed_save_shows_the_core_message_and_keeps_the_tags(
    window, qtbot, monkeypatch, dialogs
):
    article = tag_first_sentences(window, qtbot)
    store = window.tagging.store

    def refuse(force=False):
        raise AnnotationError(store.path, "cannot save: disk is full")

    monkeypatch.setattr(store, "save", refuse)
    qtbot.keyClick(
        window.comparison.pane(LEFT).text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )
    assert dialogs.kinds() == ["critical"]
    assert "disk is full" in dialogs.texts()
    assert [t.label for t in store.tags_for(article.id)] == ["claim"]
    assert window.isWindowModified()


def test_quitting_with_tags_that_cannot_be_saved_asks_first(window, qtbot, monkeypatch, dialogs):
    tag_first_sentences(window, qtbot)
    store = window.tagging.store
    monkeypatch.setattr(
        store,
        "save",
        lambda force=False: (_ for _ in ()).throw(
            AnnotationError(store.path, "cannot save: read-only")
        ),
    )
    dialogs.answer = QMessageBox.StandardButton.Cancel
    assert not window.close()
    assert window.isVisible() and dialogs.kinds() == ["question"]
    assert "read-only" in dialogs.texts()
    dialogs.answer = QMessageBox.StandardButton.Discard
    assert window.close()


def test_quitting_saves_pending_tags(window, qtbot, corpus_dir):
    tag_first_sentences(window, qtbot)
    assert not (corpus_dir / "annotations.yaml").exists()
    assert window.close()
    assert "claim" in (corpus_dir / "annotations.yaml").read_text(encoding="utf-8")


def test_an_unreadable_article_is_reported_and_the_rest_open(make_window, corpus_dir, dialogs):
    (corpus_dir / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00" * 20)
    window = make_window([corpus_dir])
    assert dialogs.kinds() == ["warning"]
    assert "broken.txt" in dialogs.texts() and "binary" in dialogs.texts()
    assert len(window.corpus.articles) == 5


def test_a_folder_without_articles_is_an_error_and_keeps_the_open_corpus(window, tmp_path, dialogs):
    empty = tmp_path / "empty"
    empty.mkdir()
    before = window.corpus
    assert not window.open_paths([empty])
    assert dialogs.kinds() == ["critical"]
    assert window.corpus is before


def test_dropping_files_opens_them(window, qtbot, corpus_dir):
    files = sorted(corpus_dir.glob("00[01]*.txt"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.corpusOpened, timeout=5000):
        window.dropEvent(event)
    assert [a.path.name for a in window.corpus.articles] == [p.name for p in files]
    assert set(window.shown_ids()) == {p.stem for p in files}


def test_open_folder_and_recent_menu(window, qtbot, tmp_path, corpus_dir, monkeypatch):
    other = tmp_path / "other"
    other.mkdir()
    for p in sorted(corpus_dir.glob("00[234]*.txt")):
        (other / p.name).write_bytes(p.read_bytes())
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(other))
    )
    window.action_set.open_folder.trigger()
    assert window.windowTitle().replace("[*]", "") == "Source Reader — other"
    window._fill_recent_menu()
    entries = [a.text() for a in window.recent_menu.actions()]
    assert entries[:2] == [str(other.resolve()), str(corpus_dir.resolve())]
    window.recent_menu.actions()[1].trigger()
    assert window.corpus.folder == Path(str(corpus_dir.resolve()))


def test_a_read_only_annotation_file_turns_saving_off_and_says_why(
    make_window, corpus_dir, qtbot, dialogs
):
    path = corpus_dir / "annotations.yaml"
    store = AnnotationStore.open(path, load_corpus(corpus_dir))
    article = store.corpus.articles[0]
    sentence = article.sentences[3]
    store.add_tag(store.make_tag(article.id, sentence.start, sentence.end, "claim"))
    store.save()
    path.chmod(0o444)  # the reader's "do not change this" (tests run as root: mode bits decide)
    before = path.read_bytes()

    window = make_window([corpus_dir])
    assert "Saving is off" in window.statusBar().currentMessage()
    assert "read-only" in window.statusBar().currentMessage()
    article = window.comparison.articles()[0]
    assert len(window.tagging.store.all_tags()) == 1
    window.comparison.select_sentence(LEFT, 5)
    qtbot.keyClick(window.comparison.pane(LEFT).text, Qt.Key.Key_2)
    qtbot.keyClick(
        window.comparison.pane(LEFT).text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )
    assert dialogs.kinds() == ["critical"]
    assert "read-only" in dialogs.texts() and "saving is off" in dialogs.texts()
    assert "Traceback" not in dialogs.texts()
    assert path.read_bytes() == before
    assert [t.label for t in window.tagging.store.tags_for(article.id)] == ["context"]
    assert len(window.tagging.store.all_tags()) == 2
    assert window.isWindowModified()

    # Autosave keeps failing the same way: the status bar says so, no dialog after every tag.
    window.comparison.select_sentence(LEFT, 7)
    qtbot.keyClick(window.comparison.pane(LEFT).text, Qt.Key.Key_3)
    window._autosave_now()
    assert dialogs.kinds() == ["critical"]
    assert "read-only" in window.statusBar().currentMessage()
    assert path.read_bytes() == before

    assert not window.alignments.is_busy(), "alignment restarted"
    dialogs.answer = QMessageBox.StandardButton.Discard
    assert window.close()
    assert dialogs.kinds() == ["critical", "question"]
    assert path.read_bytes() == before


def test_exporting_over_the_annotation_file_is_refused(
    window, qtbot, corpus_dir, monkeypatch, dialogs
):
    tag_first_sentences(window, qtbot)
    assert window.save()
    path = corpus_dir / "annotations.yaml"
    before = path.read_bytes()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "CSV (*.csv)"))
    )
    window.action_set.export.trigger()
    assert dialogs.kinds() == ["critical"] and "annotation file itself" in dialogs.texts()
    assert path.read_bytes() == before
