"""Three-way merge of tags, as a property: nobody's change is lost."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from reader.core.annotation_merge import merge_labels, merge_tags
from reader.core.annotations import DEFAULT_LABELS, Label, Tag

BASE = {f"t{i}": Tag("a", "claim", i * 10, i * 10 + 5, "quote", id=f"t{i}") for i in range(6)}

# What one side may do to each base tag, plus tags it adds.
EDIT = st.sampled_from(["keep", "remove", "note", "relabel"])


def edited(edits: list[str], side: str, added: int) -> dict[str, Tag]:
    tags: dict[str, Tag] = {}
    for (tag_id, tag), edit in zip(BASE.items(), edits, strict=True):
        if edit == "keep":
            tags[tag_id] = tag
        elif edit == "note":
            tags[tag_id] = replace(tag, note=f"{side} note")
        elif edit == "relabel":
            tags[tag_id] = replace(tag, label="opinion")
    for i in range(added):
        tags[f"{side}{i}"] = Tag("a", "context", 100 + i, 105 + i, "new", id=f"{side}{i}")
    return tags


@given(
    ours_edits=st.lists(EDIT, min_size=6, max_size=6),
    theirs_edits=st.lists(EDIT, min_size=6, max_size=6),
    ours_added=st.integers(0, 2),
    theirs_added=st.integers(0, 2),
)
def test_every_change_survives_and_clashes_are_reported(
    ours_edits, theirs_edits, ours_added, theirs_added
):
    ours = edited(ours_edits, "ours", ours_added)
    theirs = edited(theirs_edits, "theirs", theirs_added)
    merged, conflicts = merge_tags(BASE, ours, theirs)
    values = set(merged.values())
    for side in (ours, theirs):
        for tag_id, tag in side.items():
            if BASE.get(tag_id) != tag:  # changed or added on this side: never lost
                assert tag in values or any(replace(t, id=tag_id) == tag for t in values)
    for tag_id, base in BASE.items():
        o, t = ours.get(tag_id), theirs.get(tag_id)
        if (o is None and t in (None, base)) or (t is None and o in (None, base)):
            assert (
                tag_id not in merged
            )  # a removal on one side, untouched on the other, is a removal
        clash = o != base and t != base and o != t
        assert clash == any(
            (c.ours or c.theirs).id == tag_id or (c.ours and c.ours.id == tag_id) for c in conflicts
        )


def test_labels_from_disk_are_taken_but_labels_in_use_are_kept():
    extra = Label("rumour", "#777777", "4")
    theirs = (*DEFAULT_LABELS[:2],)
    merged = merge_labels(DEFAULT_LABELS, DEFAULT_LABELS, theirs, used={"claim", "opinion"})
    assert [label.name for label in merged] == ["claim", "context", "opinion"]
    merged = merge_labels(DEFAULT_LABELS, DEFAULT_LABELS, (*DEFAULT_LABELS, extra), used={"claim"})
    assert merged[-1] == extra
