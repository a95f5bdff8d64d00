"""Saving: atomic replacement, backups, failures that change nothing, merges with edits on disk."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reader.core import annotation_file
from reader.core.annotation_commands import AddTag, EditNote, RelabelTag, RemoveTag
from reader.core.annotations import AnnotationError, AnnotationStore, Tag
from reader.core.articles import load_corpus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ARTICLE = "004_d641075c740f0b50"


def open_store(folder: Path) -> AnnotationStore:
    return AnnotationStore.open(folder / "annotations.yaml", load_corpus(folder))


def add(store: AnnotationStore, index: int, label: str = "claim", article_id: str = ARTICLE) -> Tag:
    sentence = store.corpus.article(article_id).sentences[index]
    tag = store.make_tag(article_id, sentence.start, sentence.end, label)
    AddTag(tag).do(store)
    return tag


@pytest.fixture
def saved(folder: Path) -> tuple[AnnotationStore, bytes]:
    """A store with two saved tags, and the file's bytes."""
    store = open_store(folder)
    add(store, 2)
    add(store, 4, "context")
    store.save()
    return store, (folder / "annotations.yaml").read_bytes()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ------------------------------------------------------------ atomic save and backup


def test_save_keeps_the_previous_version_as_bak(folder, saved):
    store, first = saved
    add(store, 6, "opinion")
    store.save()
    assert (folder / "annotations.yaml.bak").read_bytes() == first
    assert (
        len(yaml.safe_load((folder / "annotations.yaml").read_bytes())["articles"][0]["tags"]) == 3
    )
    assert not store.dirty
    assert leftovers(folder) == []


def test_save_writes_through_a_fsynced_temporary_file_in_the_same_folder(
    folder, saved, monkeypatch
):
    store, _ = saved
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])

    def replace(src, dst):
        events.append(("replace", Path(src).parent == folder, Path(dst).name))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    add(store, 6)
    store.save()
    assert events.index("fsync") < events.index(("replace", True, "annotations.yaml"))
    assert ("replace", True, "annotations.yaml.bak") in events


@pytest.mark.parametrize("fault", ["write", "fsync", "replace"])
def test_a_failing_write_leaves_the_old_file_byte_for_byte_and_memory_intact(
    folder, saved, monkeypatch, fault
):
    store, before = saved
    added = add(store, 6, "opinion")
    disk_full = OSError(errno.ENOSPC, "No space left on device")

    def fail(*args, **kwargs):
        raise disk_full

    if fault == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, stream):
                self.stream = stream

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.stream.close()

            def write(self, data):
                self.stream.write(data[: len(data) // 2])
                self.stream.flush()
                raise disk_full

        monkeypatch.setattr(os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    else:
        monkeypatch.setattr(os, fault, fail)
    with pytest.raises(AnnotationError) as caught:
        store.save()
    assert "disk is full" in str(caught.value) and str(folder / "annotations.yaml") in str(
        caught.value
    )
    monkeypatch.undo()
    assert (folder / "annotations.yaml").read_bytes() == before
    assert leftovers(folder) == []
    assert store.dirty and store.tag(added.id) == added
    store.save()  # and once the disk has room again, the tags are saved
    assert added.id in (folder / "annotations.yaml").read_text(encoding="utf-8")


def test_read_only_folder_is_a_clear_error(folder, saved, monkeypatch):
    # Tests run as root, where chmod does not stop writes: simulate the refusal.
    store, before = saved
    add(store, 6)

    real_open = os.open

    def refuse_new_files(name, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_new_files)
    with pytest.raises(AnnotationError, match="read-only or not writable"):
        store.save()
    monkeypatch.undo()
    assert (folder / "annotations.yaml").read_bytes() == before
    assert store.dirty


def test_a_folder_at_the_save_path_is_a_clear_error(folder):
    store = open_store(folder)
    add(store, 2)
    target = folder / "notes.yaml"
    target.mkdir()
    with pytest.raises(AnnotationError, match="is a folder"):
        store.save_as(target)
    assert list(target.iterdir()) == []
    assert store.path == folder / "annotations.yaml" and store.dirty


def test_save_as_moves_the_store_to_the_new_file(folder, saved):
    store, before = saved
    add(store, 6)
    store.save_as(folder / "elsewhere.yaml")
    assert store.path == folder / "elsewhere.yaml"
    assert (folder / "annotations.yaml").read_bytes() == before
    assert len(open_store(folder).all_tags()) == 2
    assert len(AnnotationStore.open(folder / "elsewhere.yaml", store.corpus).all_tags()) == 3


# ------------------------------------------------------------ changes on disk since loading


def test_disjoint_changes_on_disk_and_in_memory_are_merged(folder, saved):
    ours, _ = saved
    theirs = open_store(folder)
    first, second = sorted(theirs.all_tags(), key=lambda t: t.start)
    EditNote(first, "their note").do(theirs)
    their_new = add(theirs, 8, "opinion")
    theirs.save()

    our_new = add(ours, 6, "opinion", article_id=ARTICLE)
    RelabelTag(ours.tag(second.id), "opinion").do(ours)
    heard = []
    ours.add_listener(heard.append)
    ours.save()

    assert ours.conflicts == ()
    merged = open_store(folder)
    assert merged.tag(first.id).note == "their note"
    assert merged.tag(second.id).label == "opinion"
    assert merged.tag(their_new.id) is not None and merged.tag(our_new.id) is not None
    assert len(merged.all_tags()) == 4
    # Memory now holds what was written, and the UI hears about the merged-in tags.
    assert set(ours.all_tags()) == set(merged.all_tags())
    assert heard and ARTICLE in heard[-1]


def test_removal_on_disk_is_merged(folder, saved):
    ours, _ = saved
    theirs = open_store(folder)
    gone = theirs.all_tags()[0]
    RemoveTag(gone).do(theirs)
    theirs.save()
    add(ours, 6)
    ours.save()
    assert open_store(folder).tag(gone.id) is None
    assert ours.tag(gone.id) is None


def test_same_tag_changed_on_both_sides_keeps_both_versions_and_reports(folder, saved):
    ours, _ = saved
    tag = ours.all_tags()[0]
    theirs = open_store(folder)
    EditNote(theirs.tag(tag.id), "theirs says").do(theirs)
    theirs.save()
    EditNote(tag, "ours says").do(ours)
    ours.save()
    (conflict,) = ours.conflicts
    assert conflict.ours.note == "ours says" and conflict.theirs.note == "theirs says"
    assert "both" in conflict.reason
    notes = sorted(t.note for t in open_store(folder).all_tags() if t.start == tag.start)
    assert notes == ["ours says", "theirs says"]


def test_changed_here_removed_there_keeps_the_change_and_reports(folder, saved):
    ours, _ = saved
    tag = ours.all_tags()[0]
    theirs = open_store(folder)
    RemoveTag(theirs.tag(tag.id)).do(theirs)
    theirs.save()
    EditNote(tag, "still needed").do(ours)
    ours.save()
    (conflict,) = ours.conflicts
    assert conflict.theirs is None and "removed" in conflict.reason
    assert open_store(folder).tag(tag.id).note == "still needed"


def test_file_created_by_someone_else_after_opening_is_merged_not_overwritten(folder):
    ours = open_store(folder)
    theirs = open_store(folder)
    their_tag = add(theirs, 2)
    theirs.save()
    our_tag = add(ours, 4)
    ours.save()
    reopened = open_store(folder)
    assert reopened.tag(their_tag.id) and reopened.tag(our_tag.id)


def test_file_broken_on_disk_since_loading_is_not_overwritten(folder, saved):
    ours, _ = saved
    path = folder / "annotations.yaml"
    path.write_text(
        "schema: source-reader/annotations\nversion: 1\narticles: [\n", encoding="utf-8"
    )
    broken = path.read_bytes()
    add(ours, 6)
    with pytest.raises(AnnotationError, match="changed on disk"):
        ours.save()
    assert path.read_bytes() == broken
    assert ours.dirty


def test_relabel_on_both_sides_to_the_same_label_is_no_conflict(folder, saved):
    ours, _ = saved
    tag = ours.all_tags()[0]
    theirs = open_store(folder)
    RelabelTag(theirs.tag(tag.id), "opinion", modified="2030-01-01T00:00:00Z").do(theirs)
    theirs.save()
    RelabelTag(tag, "opinion", modified="2030-01-01T00:00:00Z").do(ours)
    ours.save()
    assert ours.conflicts == ()
    assert [t.label for t in open_store(folder).all_tags()].count("opinion") == 1


def test_saving_over_a_path_that_became_a_folder_fails_and_keeps_memory(folder, saved):
    store, _ = saved
    add(store, 6)
    path = folder / "annotations.yaml"
    path.unlink()
    path.mkdir()
    with pytest.raises(AnnotationError, match="is a folder"):
        store.save()
    assert store.dirty and len(store.all_tags()) == 3


# ------------------------------------------------------------ the file's mode, links, read-only files


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mode", [0o664, 0o640, 0o644], ids=oct)
def test_save_keeps_the_mode_of_the_file_for_it_and_its_backup(folder, saved, mode):
    store, _ = saved
    path = folder / "annotations.yaml"
    path.chmod(mode)
    add(store, 6)
    store.save()
    assert mode_of(path) == mode
    assert mode_of(folder / "annotations.yaml.bak") == mode


@pytest.mark.parametrize(
    "umask, expected", [(0o022, 0o644), (0o002, 0o664)], ids=["umask022", "umask002"]
)
def test_a_new_annotation_file_gets_the_mode_the_umask_gives(folder, umask, expected):
    store = open_store(folder)
    add(store, 2)
    previous = os.umask(umask)
    try:
        store.save()
    finally:
        os.umask(previous)
    assert mode_of(folder / "annotations.yaml") == expected


def test_a_linked_annotation_file_is_written_through_the_link(folder, tmp_path_factory):
    shared = tmp_path_factory.mktemp("shared") / "notes.yaml"
    store = open_store(folder)
    add(store, 2)
    store.save()
    (folder / "annotations.yaml").rename(shared)
    link = folder / "annotations.yaml"
    link.symlink_to(shared)

    store = open_store(folder)
    assert len(store.all_tags()) == 1
    add(store, 4)
    store.save()
    assert link.is_symlink() and link.resolve() == shared
    assert len(yaml.safe_load(shared.read_bytes())["articles"][0]["tags"]) == 2
    assert (shared.parent / "notes.yaml.bak").exists()  # the backup is kept beside the real file
    assert leftovers(folder) == [] and leftovers(shared.parent) == []
    assert len(open_store(folder).all_tags()) == 2


def test_a_read_only_annotation_file_is_left_alone_and_the_reason_given(folder, saved):
    # Tests run as root, where chmod does not stop writes: the mode bits decide, for everyone.
    store, before = saved
    path = folder / "annotations.yaml"
    path.chmod(0o444)
    added = add(store, 6)
    with pytest.raises(AnnotationError, match="read-only") as caught:
        store.save()
    assert "saving is off" in str(caught.value) and str(path) in str(caught.value)
    assert "read-only" in store.why_saving_is_off()
    assert path.read_bytes() == before and mode_of(path) == 0o444
    assert not (folder / "annotations.yaml.bak").exists()
    assert store.dirty and store.tag(added.id) == added
    path.chmod(0o644)  # made writable again, the tags are saved
    assert store.why_saving_is_off() is None
    store.save()
    assert added.id in path.read_text(encoding="utf-8")


def test_a_read_only_target_of_a_link_is_left_alone(folder, saved):
    store, before = saved
    path = folder / "annotations.yaml"
    real = folder / "real.yaml"
    path.rename(real)
    path.symlink_to(real.name)
    real.chmod(0o444)
    add(store, 6)
    with pytest.raises(AnnotationError, match="read-only"):
        store.save()
    assert real.read_bytes() == before and path.is_symlink()


# ------------------------------------------------------------ leftovers of killed saves

KILLED_SAVE = """
import os, signal, sys
from pathlib import Path
from reader.core.annotations import AnnotationStore
from reader.core.articles import load_corpus

folder = Path(sys.argv[1])
corpus = load_corpus(folder)
store = AnnotationStore.open(folder / "annotations.yaml", corpus)
article = corpus.articles[int(sys.argv[2])]
sentence = article.sentences[0]
store.add_tag(store.make_tag(article.id, sentence.start, sentence.end, "claim"))
os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)  # killed with the new version staged
store.save()
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs SIGKILL")
def test_the_next_save_removes_temporary_files_of_killed_saves(folder, saved):
    store, before = saved
    for run in range(3):
        killed = subprocess.run(
            [sys.executable, "-c", KILLED_SAVE, str(folder), str(run)], capture_output=True
        )
        assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert leftovers(folder)  # each killed save leaves its staged file (and removes older ones)
    assert (folder / "annotations.yaml").read_bytes() == before  # crash safety as before
    strangers = [".notes.yaml.abcdefgh.tmp", "draft.tmp", ".annotations.yaml.mine.tmp"]
    for name in strangers:
        (folder / name).write_text("not ours")
    add(store, 6)
    store.save()
    assert leftovers(folder) == sorted(strangers)


def test_a_leftover_backup_temporary_is_removed_too(folder, saved):
    store, _ = saved
    (folder / ".annotations.yaml.bak.k1ll_d00.tmp").write_bytes(b"half a backup")
    add(store, 6)
    store.save()
    assert leftovers(folder) == []


# ------------------------------------------------------------ one save at a time


def test_a_save_waits_for_another_save_and_gives_up_with_a_message(folder, saved, monkeypatch):
    store, before = saved
    added = add(store, 6)
    monkeypatch.setattr(annotation_file, "LOCK_TIMEOUT_SECONDS", 0.2)
    with (
        annotation_file.save_lock(folder / "annotations.yaml"),
        pytest.raises(AnnotationError, match="another program has been saving"),
    ):
        store.save()
    assert (folder / "annotations.yaml").read_bytes() == before
    assert store.dirty and store.tag(added.id) == added
    store.save()
    assert added.id in (folder / "annotations.yaml").read_text(encoding="utf-8")


def test_a_file_replaced_by_an_editor_during_the_save_is_merged_not_overwritten(
    folder, saved, monkeypatch
):
    # An editor does not take Source Reader's lock: its version lands while ours is being staged.
    ours, _ = saved
    theirs = open_store(folder)
    their_tag = add(theirs, 8, "opinion")
    theirs.save_as(folder / "their-version.yaml")
    path = folder / "annotations.yaml"
    real_fsync = os.fsync
    landed = []

    def editor_saves_meanwhile(fd):
        real_fsync(fd)
        if not landed:
            landed.append(True)
            os.replace(folder / "their-version.yaml", path)

    monkeypatch.setattr(os, "fsync", editor_saves_meanwhile)
    our_tag = add(ours, 6)
    ours.save()
    monkeypatch.undo()
    saved_now = open_store(folder)
    assert saved_now.tag(their_tag.id) is not None and saved_now.tag(our_tag.id) is not None
    assert len(saved_now.all_tags()) == 4 and ours.conflicts == ()
