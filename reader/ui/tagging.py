"""Keyboard tagging: the annotation store of the open corpus, changed through undoable edits.

The window's tag actions land here. Each change is a core edit
(AddTag, RemoveTag, RelabelTag, EditNote) applied through ``undo.apply_and_push``
so Ctrl+Z takes it back; the store's listener tells the window to redraw marks,
the annotations dock and the title's ``*``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from reader.core.align import DEFAULT_THRESHOLD
from reader.core.annotation_commands import AddTag, Edit, EditNote, RelabelTag, RemoveTag
from reader.core.annotation_model import Tag
from reader.core.annotations import AnnotationError, AnnotationStore
from reader.core.articles import Article, Corpus
from reader.core.text_utils import shorten_line
from reader.ui import errors, note_dialog
from reader.ui.marks import TagMark
from reader.ui.undo import apply_and_push

if TYPE_CHECKING:
    from reader.core.align import Aligner
    from reader.core.comparison import AlignmentStore
    from reader.core.sentences import Sentence
    from reader.ui.main_window import MainWindow


class Tagging(QObject):
    """Tags of the open corpus: open, change, save, export."""

    changed = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.store: AnnotationStore | None = None
        self.unavailable_reason = "No articles are open."
        a = window.action_set
        a.tag_group.triggered.connect(lambda action: self.tag_selected(str(action.data())))
        a.remove_tag.triggered.connect(self.remove_selected)
        a.edit_note.triggered.connect(self.edit_note)
        window.comparison.sentenceSelected.connect(lambda *_: self._update_actions())

    # ------------------------------------------------------------------ opening
    def open(self, corpus: Corpus) -> None:
        """Open the corpus's annotation file. A bad file is reported and left untouched:
        tagging stays off for this corpus, so nothing can overwrite it."""
        if self.store is not None:
            self.store.remove_listener(self._store_changed)
        self.store = None
        try:
            path = AnnotationStore.default_path(corpus)
            self.store = AnnotationStore.open(path, corpus)
        except ValueError as error:
            self.unavailable_reason = f"Tags are off: {error}."
        except AnnotationError as error:
            self.unavailable_reason = "Tags are off: the annotation file could not be read."
            errors.show_error(self._window, "Annotation file not read", error)
        if self.store is not None:
            self.store.add_listener(self._store_changed)
            invalid = [p for p in self.store.problems if p.kind != "fuzzy"]
            if invalid:
                errors.show_problems(
                    self._window,
                    "Some tags need attention",
                    invalid,
                    intro="These items of the annotation file need attention:",
                )
            labels = self.store.labels
            # Tagging stays on (tags live in memory and can be exported); say
            # before the first save fails that it will.
            saving_off = self.store.why_saving_is_off()
            if saving_off:
                self._window.statusBar().showMessage(f"Saving is off: {saving_off}.", 15000)
        else:
            labels = ()
            self._window.statusBar().showMessage(self.unavailable_reason, 10000)
        self._window.action_set.set_labels(labels)
        self._window._fill_tag_menu()
        self._update_actions()
        self.refresh_marks()

    def dirty(self) -> bool:
        return bool(self.store is not None and self.store.dirty)

    # ------------------------------------------------------------------ changing
    def selected(self) -> tuple[str, Article, Sentence] | None:
        """(side, article, sentence) of the comparison view's selected sentence."""
        chosen = self._window.comparison.selected_sentence()
        if chosen is None:
            return None
        side, index = chosen
        left, right = self._window.comparison.articles()
        article = left if side == self._window.comparison.LEFT else right
        if article is None or not 0 <= index < len(article.sentences):
            return None
        return side, article, article.sentences[index]

    def selected_tag(self) -> Tag | None:
        chosen = self.selected()
        if chosen is None or self.store is None:
            return None
        _, article, sentence = chosen
        return self.store.tag_for_sentence(article.id, sentence.start, sentence.end)

    def tag_selected(self, label: str) -> None:
        """Tag the selected sentence with ``label`` (relabel an existing tag)."""
        chosen = self.selected()
        if chosen is None or self.store is None:
            self._explain()
            return
        _, article, sentence = chosen
        existing = self.store.tag_for_sentence(article.id, sentence.start, sentence.end)
        if existing is not None and existing.label == label:
            return
        edit: Edit
        if existing is not None:
            edit = RelabelTag(existing, label)
        else:
            edit = AddTag(self.store.make_tag(article.id, sentence.start, sentence.end, label))
        self._apply(edit)

    def remove_selected(self) -> None:
        tag = self.selected_tag()
        if tag is None:
            self._explain("The selected sentence has no tag.")
            return
        self._apply(RemoveTag(tag))

    def edit_note(self) -> None:
        tag = self.selected_tag()
        if tag is None:
            self._explain("Tag the sentence first (1, 2, 3), then press N for a note.")
            return
        note, ok = note_dialog.ask_note(
            self._window,
            "Note",
            f"Note on this {tag.label}:\n“{shorten_line(tag.quote, 80)}”",
            tag.note,
        )
        if ok and note != tag.note:
            self._apply(EditNote(tag, note.strip()))

    def _apply(self, edit: Edit) -> None:
        if self.store is None:
            return
        try:
            apply_and_push(self._window.undo_stack, self.store, edit, self._after_change)
        except (ValueError, AnnotationError) as error:
            errors.show_error(self._window, "Tag not changed", error)

    def _after_change(self) -> None:
        self._update_actions()

    def _store_changed(self, _article_ids: frozenset[str]) -> None:
        self.refresh_marks()
        self._update_actions()  # an undo or a merge from disk may add or drop the selected tag
        self.changed.emit()

    def _explain(self, message: str = "") -> None:
        if self.store is None:
            message = self.unavailable_reason
        elif not message:
            message = "Click a sentence first, then press a tag key."
        self._window.statusBar().showMessage(message, 5000)

    def _update_actions(self) -> None:
        """Tag actions are enabled only when they can act: a sentence is selected
        (and, to remove a tag or write its note, that sentence has a tag)."""
        has_store = self.store is not None
        can_tag = has_store and self.selected() is not None
        has_tag = can_tag and self.selected_tag() is not None
        for action in self._window.action_set.tag_actions():
            action.setEnabled(can_tag)
        self._window.action_set.remove_tag.setEnabled(has_tag)
        self._window.action_set.edit_note.setEnabled(has_tag)
        self._window.action_set.save.setEnabled(has_store)
        self._window.action_set.export.setEnabled(has_store)

    # ------------------------------------------------------------------ showing
    def refresh_marks(self) -> None:
        """Give each pane the marks of its article's placed tags."""
        view = self._window.comparison
        for side, article in zip((view.LEFT, view.RIGHT), view.articles(), strict=True):
            marks: list[TagMark] = []
            if article is not None and self.store is not None:
                for tag in self.store.tags_for(article.id):
                    label = self.store.label(tag.label)
                    color = label.color if label is not None else "#888888"
                    marks.append(TagMark(tag.start, tag.end, tag.label, color, tag.note))
            view.set_tag_marks(side, marks)

    # ------------------------------------------------------------------ files
    def save(self) -> AnnotationError | None:
        """Save now; the error (memory unchanged) or None."""
        if self.store is None or not self.store.dirty:
            return None
        try:
            self.store.save()
        except AnnotationError as error:
            return error
        if self.store.conflicts:
            errors.show_warning(
                self._window,
                "Tags changed in two places",
                "The annotation file was changed elsewhere too; both versions were kept:\n\n"
                + "\n".join(str(c) for c in self.store.conflicts[:10]),
            )
        self.changed.emit()
        return None

    def export(
        self,
        path: Path,
        chosen_filter: str,
        aligner: Aligner | None,
        threshold: float | None = None,
        pairs: AlignmentStore | None = None,
    ) -> Exception | None:
        """Write notes as Markdown, CSV or JSON-LD (by the filter chosen, else the suffix);
        "Also in" uses links at ``threshold`` (the slider's), the aligned ``pairs`` first."""
        from reader.core import export

        if self.store is None:
            return AnnotationError(path, "no tags to export: " + self.unavailable_reason)
        kind = _export_kind(path, chosen_filter)
        if not path.suffix:
            path = path.with_suffix({"markdown": ".md", "csv": ".csv", "jsonld": ".jsonld"}[kind])
        if export.is_same_file(path, self.store.path):
            return AnnotationError(
                path,
                "not exported: this is the annotation file itself, and the "
                "export would replace the tags; choose another file",
            )
        try:
            if kind == "csv":
                text = export.export_csv(self.store)
            elif kind == "jsonld":
                text = export.export_jsonld(self.store, self.store.corpus)
            else:
                text = export.export_markdown(
                    self.store,
                    self.store.corpus,
                    aligner,
                    DEFAULT_THRESHOLD if threshold is None else threshold,
                    pairs=pairs,
                )
            path.write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            return OSError(f"{path}: cannot be written ({error.strerror or error})")
        except (ValueError, AnnotationError) as error:
            return error
        return None


def _export_kind(path: Path, chosen_filter: str) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv" or (not suffix and chosen_filter.startswith("CSV")):
        return "csv"
    if suffix in (".jsonld", ".json") or (not suffix and chosen_filter.startswith("JSON")):
        return "jsonld"
    return "markdown"
