"""How long a large annotation file takes to open, and how much memory it needs.

Writes an annotation file of N tags (default 20,000, 80,000 and 160,000, about
6, 26 and 52 MB: the last as large as the audit's file in issue #10) on copies of the seeds,
every tag on the start of a real sentence so each is placed, then opens it in a fresh
process and prints the file size, the seconds spent parsing the YAML
(``parse_annotations``), the seconds to open the store (parsing plus placing
the tags), and the peak resident memory of that process. With ``--bad`` every
tag has an undeclared label instead, so each one is a problem to report.

Run: ``.venv/bin/python benchmarks/annotations_bench.py [--tags 330000] [--bad]``.
Files over the annotation size limit (``ANNOTATION_FILE_LIMIT``) are refused
by the store; the parse is still timed for them.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SIZES = (20_000, 80_000, 160_000)


def write_file(folder: Path, count: int, bad: bool) -> Path:
    """An annotation file of ``count`` tags on the seeds' sentences, as Source Reader writes it.

    One tag per sentence is written by ``dump_annotations`` (the pure-Python
    emitter is slow); the file is then made of copies of those tags, each
    with an id of its own.
    """
    from reader.core.annotation_file import ArticleEntry, dump_annotations
    from reader.core.annotation_model import DEFAULT_LABELS, Tag, context_of
    from reader.core.articles import load_corpus

    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    corpus = load_corpus(folder)
    entries = []
    for article in corpus.articles:
        tags = []
        for n, sentence in enumerate(article.sentences):
            # Up to 40 characters of each sentence: about 150 bytes a tag, as in the audit's file.
            start, end = sentence.start, min(sentence.end, sentence.start + 40)
            prefix, suffix = context_of(article.text, start, end)
            tags.append(
                Tag(
                    article_id=article.id,
                    label="rumour" if bad else DEFAULT_LABELS[n % 3].name,
                    start=start,
                    end=end,
                    quote=article.text[start:end],
                    prefix=prefix,
                    suffix=suffix,
                    note="a note",
                    annotator="bench",
                    created="2026-11-23T10:00:00Z",
                    modified="2026-11-23T10:00:00Z",
                    id=f"{n:012x}",
                )
            )
        entries.append(ArticleEntry(article.id, article.path.name, article.sha256, tuple(tags)))
    text = dump_annotations(DEFAULT_LABELS, entries).decode("utf-8")
    head, first, rest = text.partition("\narticles:\n")
    articles = ["- id:" + part for part in rest.split("- id:")[1:]]
    per_article = [
        count // len(articles) + (i < count % len(articles)) for i in range(len(articles))
    ]
    out = [head, first]
    serial = 0
    for article, wanted in zip(articles, per_article, strict=True):
        top, tags_key, body = article.partition("  tags:\n")
        blocks = ["  - label:" + block for block in body.split("  - label:")[1:]]
        out += [top, tags_key]
        for n in range(wanted):
            block = blocks[n % len(blocks)]
            out.append(re.sub(r"(?m)^    id: .*$", f"    id: b{serial:011x}", block))
            serial += 1
    path = folder / "annotations.yaml"
    path.write_text("".join(out), encoding="utf-8")
    return path


def measure(path: Path) -> dict:
    """Runs in the child process: parse, then open the store; report times and peak memory."""
    from reader.core.annotation_file import parse_annotations
    from reader.core.annotations import AnnotationError, AnnotationStore
    from reader.core.articles import load_corpus

    corpus = load_corpus(path.parent)
    raw = path.read_bytes()
    start, cpu = time.perf_counter(), time.process_time()
    parsed = parse_annotations(raw, path)
    parse_s, parse_cpu = time.perf_counter() - start, time.process_time() - cpu
    del raw
    start, cpu = time.perf_counter(), time.process_time()
    try:
        store = AnnotationStore.open(path, corpus)
        outcome = f"{len(store.all_tags())} tags, {len(store.problems)} problems"
    except AnnotationError as error:
        outcome = f"refused: {error.reason[:80]}"
    open_s, open_cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "parse_s": parse_s,
        "open_s": open_s,
        "parse_cpu": parse_cpu,
        "open_cpu": open_cpu,
        "peak_mb": peak_mb,
        "tags": sum(len(a.tags) for a in parsed.articles),
        "outcome": outcome,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tags", type=int, action="append", help="number of tags (repeatable)")
    parser.add_argument("--bad", action="store_true", help="every tag has an undeclared label")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    for count in args.tags or SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            path = write_file(Path(tmp), count, args.bad)
            size_mb = path.stat().st_size / 2**20
            result = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            numbers = json.loads(result.stdout.strip().splitlines()[-1])
            print(
                f"{count:>8,} {'bad ' if args.bad else ''}tags  {size_mb:6.1f} MB  "
                f"parse {numbers['parse_s']:6.2f} s ({numbers['parse_cpu']:5.2f} s CPU)  "
                f"open {numbers['open_s']:6.2f} s ({numbers['open_cpu']:5.2f} s CPU)  "
                f"peak {numbers['peak_mb']:6.0f} MB  ({numbers['outcome']})",
                flush=True,
            )


if __name__ == "__main__":
    main()
