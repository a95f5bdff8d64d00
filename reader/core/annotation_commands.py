"""Edits: undoable changes to an AnnotationStore.

Each edit is a small object with ``do(store)``, ``undo(store)`` and a
``text`` for the Edit menu ("Undo Tag as claim"), so the desktop reader can
put it on its undo stack. Tags are frozen values: an edit replaces the
tag with the same id and keeps the old value to put back. Edits name
tags by id, so they still work after a save merged in changes from disk; a
tag that has meanwhile disappeared is simply put back (undo of a removal) or
left alone (undo of an addition).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

from reader.core.anchoring import confirm_placement
from reader.core.annotation_model import Tag, now_timestamp
from reader.core.annotations import AnnotationStore
from reader.core.correction_model import LINK, Correction


class Edit(Protocol):
    """What every edit below has: the window's undo stack needs no more."""

    @property
    def text(self) -> str: ...
    def do(self, store: AnnotationStore) -> None: ...
    def undo(self, store: AnnotationStore) -> None: ...


@dataclass(frozen=True)
class AddTag:
    """Add ``tag`` (made with ``store.make_tag``)."""

    tag: Tag

    @property
    def text(self) -> str:
        return f"Tag as {self.tag.label}"

    def do(self, store: AnnotationStore) -> None:
        store.add_tag(self.tag)

    def undo(self, store: AnnotationStore) -> None:
        store.remove_tag(self.tag.id)


@dataclass(frozen=True)
class RemoveTag:
    """Remove ``tag``; undo puts back exactly this value."""

    tag: Tag

    @property
    def text(self) -> str:
        return f"Remove {self.tag.label} tag"

    def do(self, store: AnnotationStore) -> None:
        store.remove_tag(self.tag.id)

    def undo(self, store: AnnotationStore) -> None:
        store.replace_tag(self.tag)


class _ChangeTag:
    """An edit that swaps ``tag`` for ``new_tag`` and back."""

    tag: Tag

    @property
    def new_tag(self) -> Tag:
        raise NotImplementedError

    def do(self, store: AnnotationStore) -> None:
        store.replace_tag(self.new_tag)

    def undo(self, store: AnnotationStore) -> None:
        store.replace_tag(self.tag)


@dataclass(frozen=True)
class RelabelTag(_ChangeTag):
    """Give ``tag`` another label; ``modified`` is stamped when the edit is made."""

    tag: Tag
    label: str
    modified: str = field(default_factory=now_timestamp)

    @property
    def text(self) -> str:
        return f"Relabel {self.tag.label} as {self.label}"

    @property
    def new_tag(self) -> Tag:
        return replace(self.tag, label=self.label, modified=self.modified)


@dataclass(frozen=True)
class EditNote(_ChangeTag):
    """Set the note of ``tag`` to ``note``."""

    tag: Tag
    note: str
    modified: str = field(default_factory=now_timestamp)

    @property
    def text(self) -> str:
        return "Edit note" if self.tag.note else "Add note"

    @property
    def new_tag(self) -> Tag:
        return replace(self.tag, note=self.note, modified=self.modified)


@dataclass(frozen=True)
class ConfirmText(_ChangeTag):
    """Accept the text a re-anchored tag now covers as the reader's own: ``original_quote`` is dropped.

    Until then a tag moved onto text that differs a lot from what the reader
    tagged keeps that text in ``original_quote`` (see reader/core/anchoring.py).
    """

    tag: Tag
    modified: str = field(default_factory=now_timestamp)

    @property
    def text(self) -> str:
        return "Confirm tagged text"

    @property
    def new_tag(self) -> Tag:
        return replace(confirm_placement(self.tag), modified=self.modified)


@dataclass(frozen=True)
class AddCorrection:
    """Add ``correction`` (made with ``store.make_correction``): a link by hand or a rejection."""

    correction: Correction

    @property
    def text(self) -> str:
        return "Link passages" if self.correction.kind == LINK else "Reject link"

    def do(self, store: AnnotationStore) -> None:
        store.add_correction(self.correction)

    def undo(self, store: AnnotationStore) -> None:
        store.remove_correction(self.correction.id)


@dataclass(frozen=True)
class RemoveCorrection:
    """Remove ``correction`` (unlink passages linked by hand); undo puts back exactly this value."""

    correction: Correction

    @property
    def text(self) -> str:
        return "Remove link" if self.correction.kind == LINK else "Restore rejected link"

    def do(self, store: AnnotationStore) -> None:
        store.remove_correction(self.correction.id)

    def undo(self, store: AnnotationStore) -> None:
        store.replace_correction(self.correction)
