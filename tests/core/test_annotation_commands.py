"""Undoable tag commands, as the desktop reader's QUndoStack will drive them."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.annotation_commands import AddTag, EditNote, RelabelTag, RemoveTag
from reader.core.annotations import AnnotationStore
from reader.core.articles import load_corpus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ARTICLE = "004_d641075c740f0b50"


@pytest.fixture
def store(folder: Path) -> AnnotationStore:
    return AnnotationStore.open(folder / "annotations.yaml", load_corpus(folder))


def sentence_tag(store: AnnotationStore, index: int, label: str = "claim"):
    sentence = store.corpus.article(ARTICLE).sentences[index]
    return store.make_tag(ARTICLE, sentence.start, sentence.end, label)


def test_add_then_undo_then_redo(store):
    tag = sentence_tag(store, 4)
    command = AddTag(tag)
    command.do(store)
    assert store.tags_for(ARTICLE) == (tag,)
    command.undo(store)
    assert store.tags_for(ARTICLE) == ()
    command.do(store)
    assert store.tags_for(ARTICLE) == (tag,)
    assert command.text == "Tag as claim"


def test_relabel_stamps_modified_and_undo_restores_the_exact_tag(store):
    tag = sentence_tag(store, 4)
    AddTag(tag).do(store)
    relabel = RelabelTag(tag, "opinion", modified="2030-01-01T00:00:00Z")
    relabel.do(store)
    changed = store.tag(tag.id)
    assert changed.label == "opinion" and changed.modified == "2030-01-01T00:00:00Z"
    assert changed.created == tag.created
    assert relabel.text == "Relabel claim as opinion"
    relabel.undo(store)
    assert store.tag(tag.id) == tag


def test_relabel_to_an_undeclared_label_is_refused(store):
    tag = sentence_tag(store, 4)
    AddTag(tag).do(store)
    with pytest.raises(ValueError, match="not declared"):
        RelabelTag(tag, "rumour").do(store)
    assert store.tag(tag.id) == tag


def test_edit_note_and_undo(store):
    tag = sentence_tag(store, 4)
    AddTag(tag).do(store)
    edit = EditNote(tag, "Attributed to no one")
    assert edit.text == "Add note"
    edit.do(store)
    assert store.tag(tag.id).note == "Attributed to no one"
    edit.undo(store)
    assert store.tag(tag.id).note == ""


def test_remove_and_undo_puts_back_the_same_tag(store):
    tag = sentence_tag(store, 4)
    AddTag(tag).do(store)
    remove = RemoveTag(tag)
    remove.do(store)
    assert store.all_tags() == ()
    remove.undo(store)
    assert store.all_tags() == (tag,)


def test_a_stack_of_commands_undone_in_reverse_returns_to_the_start(store):
    first, second = sentence_tag(store, 2), sentence_tag(store, 4, "context")
    stack = [AddTag(first), AddTag(second)]
    for command in stack:
        command.do(store)
    stack += [
        EditNote(store.tag(first.id), "n"),
        RelabelTag(store.tag(second.id), "opinion"),
        RemoveTag(store.tag(first.id)),
    ]
    for command in stack[2:]:
        command.do(store)
    assert [t.label for t in store.all_tags()] == ["opinion"]
    for command in reversed(stack):
        command.undo(store)
    assert store.all_tags() == ()


def test_every_command_marks_the_store_dirty_and_notifies(store):
    heard = []
    store.add_listener(heard.append)
    tag = sentence_tag(store, 4)
    AddTag(tag).do(store)
    store.save()
    assert not store.dirty
    EditNote(tag, "x").do(store)
    assert store.dirty and len(heard) == 2
