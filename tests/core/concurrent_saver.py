"""A second Source Reader in a separate process, for the concurrent-save test.

Usage: python concurrent_saver.py FOLDER PART COUNT. Opens the folder's
annotations.yaml, prints "ready", waits for a line on stdin (the start
signal, so both processes save at the same moments), then adds COUNT tags on
every other sentence of the corpus (PART 0 or 1) and saves after each one, as
the window's autosave does. Prints the ids it added and the conflicts it saw,
as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reader.core.annotation_commands import AddTag
from reader.core.annotations import AnnotationStore
from reader.core.articles import load_corpus


def main(folder: Path, part: int, count: int) -> None:
    corpus = load_corpus(folder)
    store = AnnotationStore.open(folder / "annotations.yaml", corpus)
    sentences = [(article.id, s) for article in corpus.articles for s in article.sentences]
    mine = sentences[part::2][:count]
    print("ready", flush=True)
    sys.stdin.readline()
    added, conflicts = [], 0
    for article_id, sentence in mine:
        tag = store.make_tag(
            article_id, sentence.start, sentence.end, "claim", note=f"process {part}"
        )
        AddTag(tag).do(store)
        added.append(tag.id)
        store.save()
        conflicts += len(store.conflicts)
    print(json.dumps({"added": added, "conflicts": conflicts}), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
