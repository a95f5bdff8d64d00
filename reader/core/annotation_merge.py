"""Three-way merge of tags: what was loaded, what is in memory, what is on disk now.

Used when the annotation file changed on disk since it was opened (another
editor, another Source Reader). Changes that touch different tags are all
kept; when both sides changed the same tag differently, both versions are
kept and the clash is reported, so no one's work disappears.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from reader.core.annotation_model import Conflict, Label, Mergeable, new_tag_id
from reader.core.text_utils import shorten

# Tags, or link corrections: they merge by id the same way.
Item = TypeVar("Item", bound=Mergeable)


def merge_tags(
    base: Mapping[str, Item],
    ours: Mapping[str, Item],
    theirs: Mapping[str, Item],
) -> tuple[dict[str, Item], list[Conflict]]:
    """Tags (or corrections) by id after merging, and the conflicts.

    Promise: every tag present on either side that the other side did not
    knowingly remove is in the result; a tag changed on both sides appears
    twice (ours under its id, theirs under a new id).
    """
    merged: dict[str, Item] = {}
    conflicts: list[Conflict] = []
    for tag_id in _ids_in_order(base, ours, theirs):
        b, o, t = base.get(tag_id), ours.get(tag_id), theirs.get(tag_id)
        if o == t or t == b:
            chosen = o
        elif o == b:
            chosen = t
        elif o is None:
            assert t is not None  # both None is o == t, the first case
            chosen = t
            conflicts.append(
                Conflict(
                    t.article_id,
                    None,
                    t,
                    f"tag {_describe(t)} was removed here but changed in the file on disk; "
                    "the changed version is kept",
                )
            )
        elif t is None:
            chosen = o
            conflicts.append(
                Conflict(
                    o.article_id,
                    o,
                    None,
                    f"tag {_describe(o)} was changed here but removed in the file on disk; "
                    "this version is kept",
                )
            )
        else:
            chosen = o
            copy = replace(t, id=_fresh_id(tag_id, base, ours, theirs, merged))
            merged[copy.id] = copy
            conflicts.append(
                Conflict(
                    o.article_id,
                    o,
                    copy,
                    f"tag {_describe(o)} was changed both here and in the file on disk; "
                    "both versions are kept",
                )
            )
        if chosen is not None:
            merged[chosen.id] = chosen
    return merged, conflicts


def merge_labels(
    base: Sequence[Label], ours: Sequence[Label], theirs: Sequence[Label], used: set[str]
) -> tuple[Label, ...]:
    """The label list after a merge; labels still used by a tag are never lost."""
    chosen = list(theirs if tuple(ours) == tuple(base) else ours)
    names = {label.name for label in chosen}
    for label in (*ours, *theirs):
        if label.name in used and label.name not in names:
            chosen.append(label)
            names.add(label.name)
    return tuple(chosen)


def _ids_in_order(*sides: Mapping[str, Mergeable]) -> list[str]:
    seen: dict[str, None] = {}
    for side in sides:
        for tag_id in side:
            seen.setdefault(tag_id, None)
    return list(seen)


def _fresh_id(tag_id: str, *taken: Mapping[str, Mergeable]) -> str:
    while True:
        candidate = new_tag_id()
        if candidate != tag_id and not any(candidate in side for side in taken):
            return candidate


def _describe(tag: Mergeable) -> str:
    quote = shorten(tag.quote, 40)
    return f"“{quote}” ({tag.label})"
