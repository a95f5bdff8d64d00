"""Claim / context / opinion tags of one corpus, kept in ``annotations.yaml``.

The store holds the tags in memory, places them in the current text of each
article when the file is opened, and saves them back atomically, merging
with whatever another editor wrote in the meantime. It imports no Qt; the
desktop reader drives it through the commands in
``reader.core.annotation_commands`` and listens for changes with
``add_listener``. The file format is described in docs/annotations.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from reader.core.anchoring import place_file
from reader.core.annotation_file import (
    DEFAULT_NAME,
    ArticleEntry,
    FileChanged,
    FileState,
    describe_os_error,
    digest,
    dump_annotations,
    file_state,
    parse_annotations,
    read_for_save,
    remove_stale_temporaries,
    save_lock,
    save_target,
    tag_sort_key,
    why_not_writable,
    write_atomically,
)
from reader.core.annotation_merge import merge_labels, merge_tags
from reader.core.annotation_model import (
    ANCHORED,
    DEFAULT_LABELS,
    ORPHANED,
    AnnotationError,
    AnnotationProblem,
    Conflict,
    Label,
    Tag,
    context_of,
    is_timestamp,
    new_tag_id,
    now_timestamp,
)
from reader.core.articles import Article, Corpus
from reader.core.correction_model import LINK, REJECT, Correction, correction_sort_key
from reader.core.corrections import make_end, place_corrections
from reader.core.safe_read import ANNOTATION_FILE_LIMIT, NotARegularFile, read_regular_file

__all__ = [
    "ANCHORED",
    "DEFAULT_LABELS",
    "DEFAULT_NAME",
    "ORPHANED",
    "AnnotationError",
    "AnnotationProblem",
    "AnnotationStore",
    "Conflict",
    "Label",
    "Tag",
]

Listener = Callable[[frozenset[str]], None]
# Saves that find the file replaced by a program not taking the lock, in a row.
_MERGE_ATTEMPTS = 5

# What a save merges: tags by id, labels, article records by id, the clashes,
# corrections by id; and what it wrote (the same, with the file's bytes).
_Merged = tuple[
    dict[str, Tag],
    tuple[Label, ...],
    dict[str, tuple[str, str]],
    list[Conflict],
    dict[str, Correction],
]
_Written = tuple[
    dict[str, Tag],
    tuple[Label, ...],
    dict[str, tuple[str, str]],
    list[Conflict],
    bytes,
    dict[str, Correction],
]


class AnnotationStore:
    """The annotations of one corpus, in memory.

    Open with ``AnnotationStore.open(path, corpus)``. Change tags through the
    edits of reader.core.annotation_commands (or ``add_tag`` / ``replace_tag``
    / ``remove_tag``); every change bumps ``revision``, sets ``dirty`` and
    calls the listeners with the ids of the articles it touched.
    """

    def __init__(self, path: Path | str, corpus: Corpus, labels: Iterable[Label] = DEFAULT_LABELS):
        self.path = Path(path)
        self.corpus = corpus
        self._labels: tuple[Label, ...] = tuple(labels)
        self._tags: dict[str, Tag] = {}
        self._records: dict[str, tuple[str, str]] = {}
        # What the file held when loaded or last saved: the base of a merge.
        self._base_raw: bytes | None = None
        self._base_tags: dict[str, Tag] = {}
        self._base_labels: tuple[Label, ...] = self._labels
        self.problems: tuple[AnnotationProblem, ...] = ()
        self.conflicts: tuple[Conflict, ...] = ()
        self.dirty = False
        self.revision = 0
        self._listeners: list[Listener] = []
        self._index: tuple[tuple[int, int], dict[str, tuple[Tag, ...]]] = ((-1, 0), {})
        # The reader's corrections (links by hand, rejected links), by id.
        self._corrections: dict[str, Correction] = {}
        self._base_corrections: dict[str, Correction] = {}

    # ------------------------------------------------------------ opening

    @staticmethod
    def default_path(corpus: Corpus) -> Path:
        """``annotations.yaml`` in the corpus folder."""
        if corpus.folder is None:
            raise ValueError("a corpus of loose files has no folder; choose an annotation file")
        return corpus.folder / DEFAULT_NAME

    @classmethod
    def open(cls, path: Path | str, corpus: Corpus) -> AnnotationStore:
        """Load the annotation file at ``path`` for ``corpus``; never writes.

        A missing file gives an empty store with the default labels. A file
        that cannot be used raises AnnotationError. Bad items, orphaned tags
        and missing articles are listed in ``problems``; if any item could not
        be read at all, ``partial`` is true and ``save()`` refuses to
        overwrite the file (see docs/annotations.md).
        """
        store = cls(path, corpus)
        path = store.path
        if path.is_dir():
            raise AnnotationError(path, "is a folder, not an annotation file")
        try:
            raw = read_regular_file(path, ANNOTATION_FILE_LIMIT, "annotation")
        except FileNotFoundError:
            return store
        except NotARegularFile as error:
            raise AnnotationError(path, error.reason) from None
        except OSError as error:
            raise AnnotationError(path, f"cannot be read ({error.strerror or error})") from None
        parsed = parse_annotations(raw, path)
        placed = place_file(parsed, corpus, path)
        store._labels = store._base_labels = parsed.labels
        store._tags = dict(placed.tags)
        store._base_tags = dict(placed.tags)
        store._records = dict(placed.records)
        store._base_raw = raw
        corrections, correction_problems = place_corrections(parsed.corrections, corpus, path)
        store._corrections = corrections
        store._base_corrections = dict(corrections)
        store.problems = parsed.problems + placed.problems + correction_problems
        return store

    # ------------------------------------------------------------ reading

    @property
    def labels(self) -> tuple[Label, ...]:
        return self._labels

    def label(self, name: str) -> Label | None:
        return next((label for label in self._labels if label.name == name), None)

    @property
    def partial(self) -> bool:
        """True when items of the file could not be read; saving would drop them."""
        return any(problem.kind == "invalid" for problem in self.problems)

    def why_saving_is_off(self) -> str | None:
        """Why ``save()`` would refuse to replace the file (it is read-only), or None.

        Asked of the file now, so making it writable turns saving back on.
        """
        return why_not_writable(save_target(self.path))

    def tag(self, tag_id: str) -> Tag | None:
        return self._tags.get(tag_id)

    def tags_for(self, article_id: str, include_orphaned: bool = False) -> tuple[Tag, ...]:
        """The article's tags sorted by offset; orphaned ones (not placed) only when asked."""
        # The reader asks on every repaint; sort once per revision, not per call.
        if self._index[0] != (self.revision, id(self._tags)):
            index: dict[str, list[Tag]] = {}
            for tag in sorted(self._tags.values(), key=tag_sort_key):
                index.setdefault(tag.article_id, []).append(tag)
            self._index = ((self.revision, id(self._tags)), {k: tuple(v) for k, v in index.items()})
        tags = self._index[1].get(article_id, ())
        return tags if include_orphaned else tuple(tag for tag in tags if tag.status == ANCHORED)

    def all_tags(self) -> tuple[Tag, ...]:
        """Every tag, orphaned ones included, sorted by article id then offset."""
        return tuple(
            sorted(self._tags.values(), key=lambda tag: (tag.article_id, tag_sort_key(tag)))
        )

    def orphans(self) -> tuple[Tag, ...]:
        return tuple(tag for tag in self.all_tags() if tag.status == ORPHANED)

    def article_file(self, article_id: str) -> Path:
        """The article's file: from the corpus, else as recorded in the annotation file."""
        try:
            return self.corpus.article(article_id).path
        except KeyError:
            recorded = self._records.get(article_id, ("", ""))[0]
            return self.path.parent / (recorded or f"{article_id}.txt")

    def tag_for_sentence(self, article_id: str, start: int, end: int) -> Tag | None:
        """The placed tag for the text ``[start, end)``.

        The tag with exactly that span, else one containing it, else the one
        overlapping it most; None if no tag touches it.
        """
        best: tuple[int, int, Tag] | None = None
        for tag in self.tags_for(article_id):
            overlap = min(end, tag.end) - max(start, tag.start)
            if overlap <= 0:
                continue
            rank = (
                0
                if (tag.start, tag.end) == (start, end)
                else 1
                if tag.start <= start and end <= tag.end
                else 2
            )
            key = (rank, -overlap, tag)
            if best is None or key[:2] < best[:2]:
                best = key
        return None if best is None else best[2]

    # ------------------------------------------------------------ corrections

    def corrections(self, include_orphaned: bool = True) -> tuple[Correction, ...]:
        """Every correction, sorted by its first end's article and offset."""
        found = sorted(self._corrections.values(), key=correction_sort_key)
        return tuple(c for c in found if include_orphaned or not c.orphaned)

    def manual_links(self) -> tuple[Correction, ...]:
        """The placed links the reader made by hand."""
        return tuple(c for c in self.corrections(include_orphaned=False) if c.kind == LINK)

    def rejections(self) -> tuple[Correction, ...]:
        """The placed rejections of suggested links."""
        return tuple(c for c in self.corrections(include_orphaned=False) if c.kind == REJECT)

    def correction(self, correction_id: str) -> Correction | None:
        return self._corrections.get(correction_id)

    def make_correction(
        self,
        kind: str,
        a_id: str,
        a_span: tuple[int, int],
        b_id: str,
        b_span: tuple[int, int],
        note: str = "",
        annotator: str = "",
    ) -> Correction:
        """A new link by hand (``kind="link"``) or rejection (``"reject"``) of two passages, not yet added.

        Raises ValueError when a span is outside its article or both ends are
        in the same article.
        """
        if a_id == b_id:
            raise ValueError("both passages are in the same article; link passages of two articles")
        return Correction(
            kind,
            make_end(self._article(a_id), *a_span),
            make_end(self._article(b_id), *b_span),
            id=new_tag_id(),
            note=note,
            annotator=annotator,
            created=now_timestamp(),
        )

    def add_correction(self, correction: Correction) -> None:
        """Add a correction. Raises ValueError if its id is taken."""
        if correction.id in self._corrections:
            raise ValueError(f"a link with id {correction.id!r} already exists")
        self._corrections[correction.id] = correction
        self._changed({correction.a.article_id, correction.b.article_id})

    def remove_correction(self, correction_id: str) -> Correction | None:
        """Remove the correction with this id; returns it, or None if it was already gone."""
        correction = self._corrections.pop(correction_id, None)
        if correction is not None:
            self._changed({correction.a.article_id, correction.b.article_id})
        return correction

    def replace_correction(self, correction: Correction) -> None:
        """Put ``correction`` in place of the one with the same id (added if that one is gone)."""
        old = self._corrections.get(correction.id)
        self._corrections[correction.id] = correction
        touched = {correction.a.article_id, correction.b.article_id}
        self._changed(touched | ({old.a.article_id, old.b.article_id} if old else set()))

    # ------------------------------------------------------------ changing

    def make_tag(
        self, article_id: str, start: int, end: int, label: str, note: str = "", annotator: str = ""
    ) -> Tag:
        """A new tag on ``[start, end)`` of the article (not yet added), stamped now."""
        text = self._article(article_id).text
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {start}..{end} is outside article {article_id!r}")
        prefix, suffix = context_of(text, start, end)
        stamp = now_timestamp()
        return Tag(
            article_id=article_id,
            label=label,
            start=start,
            end=end,
            quote=text[start:end],
            prefix=prefix,
            suffix=suffix,
            note=note,
            annotator=annotator,
            created=stamp,
            modified=stamp,
            id=new_tag_id(),
        )

    def add_tag(self, tag: Tag) -> None:
        """Add a placed tag. Raises ValueError if its label is undeclared,
        its id is taken, or it does not match the article's text."""
        if tag.id in self._tags:
            raise ValueError(f"a tag with id {tag.id!r} already exists")
        self._check(tag)
        self._tags[tag.id] = tag
        self._changed({tag.article_id})

    def replace_tag(self, tag: Tag) -> None:
        """Put ``tag`` in place of the tag with the same id (added if that one is gone)."""
        old = self._tags.get(tag.id)
        # A tag already in place (perhaps orphaned) keeps its span: only
        # what changed needs checking against the text.
        self._check(
            tag,
            against_text=old is None
            or (old.status, old.span, old.quote) != (tag.status, tag.span, tag.quote),
        )
        self._tags[tag.id] = tag
        self._changed({tag.article_id} | ({old.article_id} if old else set()))

    def remove_tag(self, tag_id: str) -> Tag | None:
        """Remove the tag with this id; returns it, or None if it was already gone."""
        tag = self._tags.pop(tag_id, None)
        if tag is not None:
            self._changed({tag.article_id})
        return tag

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(article_ids)`` after every change (edits, merges on save)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _check(self, tag: Tag, against_text: bool = True) -> None:
        if not tag.id:
            raise ValueError("a tag needs an id (use make_tag)")
        if self.label(tag.label) is None:
            raise ValueError(f"label {tag.label!r} is not declared")
        for stamp in (tag.created, tag.modified):
            if stamp and not is_timestamp(stamp):
                raise ValueError(f"{stamp!r} is not an ISO 8601 UTC time like 2026-11-23T10:00:00Z")
        if tag.status == ORPHANED or not against_text:
            return  # an orphan may come back through undo; its offsets are old ones
        text = self._article(tag.article_id).text
        if not 0 <= tag.start < tag.end <= len(text) or text[tag.start : tag.end] != tag.quote:
            raise ValueError(
                f"tag {tag.start}..{tag.end} does not match the text of {tag.article_id!r}"
            )

    def _article(self, article_id: str) -> Article:
        try:
            return self.corpus.article(article_id)
        except KeyError:
            raise ValueError(f"no article {article_id!r} in the corpus") from None

    def _changed(self, article_ids: set[str]) -> None:
        self.dirty = True
        self._notify(article_ids)

    def _notify(self, article_ids: set[str]) -> None:
        self.revision += 1
        for listener in list(self._listeners):
            listener(frozenset(article_ids))

    # ------------------------------------------------------------ saving

    def save(self, force: bool = False) -> None:
        """Write the tags to ``path`` atomically, merging with changes made on disk.

        If the file changed since it was loaded, tags changed on one side only
        are merged; a tag changed on both sides is kept in both versions and
        listed in ``conflicts``. Raises AnnotationError, leaving memory and
        disk as they were, when the file cannot be written, when it changed
        on disk and cannot be read, or when it was only partly loaded (unless
        ``force``, which drops the unreadable items; the old file stays in
        ``annotations.yaml.bak``).
        """
        if self.partial and not force:
            count = sum(1 for problem in self.problems if problem.kind == "invalid")
            raise AnnotationError(
                self.path,
                f"not saved: {count} item(s) of this file could not be read (see the problems list) "
                "and saving would drop them; mend them by hand and reopen the file, or save to another file",
            )
        self._write(self.path, merge=True)

    def save_as(self, path: Path | str) -> None:
        """Write the tags to another file (replacing it, keeping a .bak) and use it from now on."""
        self._write(Path(path), merge=False)

    def _write(self, path: Path, merge: bool) -> None:
        if path.is_dir():
            raise AnnotationError(path, "cannot save: it is a folder, not a file")
        target = save_target(path)
        try:
            # One save at a time per file, across processes: read, merge and
            # replace are one step, so no save lands unseen between them.
            with save_lock(target):
                remove_stale_temporaries(target)
                written = self._write_locked(path, target, merge)
        except OSError as error:
            raise AnnotationError(path, f"cannot save: {describe_os_error(error)}") from None
        tags, labels, records, conflicts, data, corrections = written

        # Only now, with the file safely written, does memory change.
        touched = {tag.article_id for tag in set(tags.values()) ^ set(self._tags.values())}
        touched |= {
            end.article_id
            for c in set(corrections.values()) ^ set(self._corrections.values())
            for end in (c.a, c.b)
        }
        self.path = path
        self._tags = tags
        self._corrections = corrections
        self._base_corrections = dict(corrections)
        self._labels = self._base_labels = labels
        self._records = records
        self._base_tags = dict(tags)
        self._base_raw = data
        self.conflicts = tuple(conflicts)
        self.problems = tuple(problem for problem in self.problems if problem.kind != "invalid")
        self.dirty = False
        if touched or conflicts:
            self._notify(touched)

    def _write_locked(self, path: Path, target: Path, merge: bool) -> _Written:
        refusal = why_not_writable(target)
        if refusal is not None:
            raise AnnotationError(path, f"cannot save: {refusal}")
        # A program that does not take the lock (an editor) may still replace
        # the file meanwhile: then read and merge again rather than overwrite it.
        for _ in range(_MERGE_ATTEMPTS):
            on_disk, state = read_for_save(target)
            tags, labels, records = dict(self._tags), self._labels, dict(self._records)
            conflicts: list[Conflict] = []
            corrections = dict(self._corrections)
            if (
                merge
                and on_disk is not None
                and (self._base_raw is None or digest(on_disk) != digest(self._base_raw))
            ):
                tags, labels, records, conflicts, corrections = self._merge_with(on_disk, path)
            data = dump_annotations(
                labels, self._entries(tags, records, path), corrections.values()
            )
            try:
                write_atomically(
                    target,
                    data,
                    previous=on_disk,
                    unchanged=partial(_still_in_state, target, state),
                )
            except FileChanged:
                continue
            return tags, labels, records, conflicts, data, corrections
        raise AnnotationError(
            path, "not saved: the file kept changing on disk while saving; try again"
        )

    def _merge_with(self, on_disk: bytes, path: Path) -> _Merged:
        try:
            theirs_file = parse_annotations(on_disk, path)
        except AnnotationError as error:
            raise AnnotationError(
                path,
                f"not saved: the file was changed on disk since it was opened and can no longer "
                f"be read ({error}); mend it or save to another file",
            ) from None
        if any(problem.kind == "invalid" for problem in theirs_file.problems):
            first = next(problem for problem in theirs_file.problems if problem.kind == "invalid")
            raise AnnotationError(
                path,
                f"not saved: the file was changed on disk since it was opened and now has items "
                f"that cannot be read (first: {first}); mend them or save to another file",
            )
        theirs = place_file(theirs_file, self.corpus, path)
        tags, conflicts = merge_tags(self._base_tags, self._tags, theirs.tags)
        labels = merge_labels(
            self._base_labels,
            self._labels,
            theirs_file.labels,
            {tag.label for tag in tags.values()},
        )
        records = {**self._records, **theirs.records}
        # Corrections merge by id exactly as tags do: one side's new links are
        # never dropped by the other's save.
        their_corrections, _ = place_corrections(theirs_file.corrections, self.corpus, path)
        corrections, correction_conflicts = merge_tags(
            self._base_corrections, self._corrections, their_corrections
        )
        return tags, labels, records, conflicts + correction_conflicts, corrections

    def _entries(
        self, tags: dict[str, Tag], records: dict[str, tuple[str, str]], path: Path
    ) -> list[ArticleEntry]:
        by_article: dict[str, list[Tag]] = {}
        for tag in tags.values():
            by_article.setdefault(tag.article_id, []).append(tag)
        entries = []
        for article_id, article_tags in by_article.items():
            recorded_file, recorded_sha = records.get(article_id, ("", ""))
            try:
                article = self.corpus.article(article_id)
            except KeyError:
                article = None
            file = recorded_file or f"{article_id}.txt"
            if article is not None and not recorded_file:
                file = _relative(article.path, path.parent)
            # Orphans keep the offsets of the text they were made on, so the
            # hash of that text stays until every tag is placed again.
            if article is None or any(tag.status == ORPHANED for tag in article_tags):
                sha = recorded_sha
            else:
                sha = article.sha256
            entries.append(ArticleEntry(article_id, file, sha, tuple(article_tags)))
        return entries


def _still_in_state(target: Path, state: FileState | None) -> bool:
    """Whether the file is still the version read before merging (None: still absent)."""
    return file_state(target) == state


def _relative(article_path: Path, folder: Path) -> str:
    try:
        return article_path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return article_path.name
