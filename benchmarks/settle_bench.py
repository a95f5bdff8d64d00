"""What the window's background work costs, without the window: the steps a settle runs.

Runs, on one thread and in order, what ``reader/ui/workers.py`` runs on its worker
thread when the window opens a generated folder (``window_bench``'s, seed 1 prose):
read and split every article through the disk cache (``_PrepareJob``), build the
corpus index, its aligner and ``pairs_to_compare``; the copied pass (every candidate
pair aligned with ``wording=False, sentence_model=False``, its ``PairLinks`` and
shares built, as ``_BatchJob`` does); then the related pass (the pairs whose two
articles are prose, aligned again with the sentence model). Prints each step's wall
and CPU seconds, the machine's load, and a digest of every link found (kind, sentences,
spans, score, pairs), which must not change when the code only gets faster.

    nice .venv/bin/python benchmarks/settle_bench.py [--size 1000] [--warm] [--profile FILE]
        [--no-embed-ahead] [--model-threads N]

As the worker process does, a thread embeds ahead (``reader/core/embed_ahead.py``) and
the model runs one onnxruntime thread per call (``align_process.WORKER_MODEL_THREADS``);
``--no-embed-ahead --model-threads 2`` is the worker as it was before. CPU seconds are
the process's (both threads).

``--warm`` runs twice on one private cache and reports the second run (splits and
sentence vectors on disk; a fresh process each time, as the window is). ``--profile
FILE`` writes a cProfile of the child's steps (``python -m pstats FILE``).

Measured on 1,000 articles (10,336 candidate pairs), 2 cores shared with other work,
CPU s (wall s), main e289ee4 -> this branch, run one after the other:

    step                        cold before   cold after    warm before   warm after
    read and split               1.4 (1.5)     1.6 (1.6)     0.2 (0.2)     0.3 (0.3)
    index, aligner, candidates   1.0 (1.0)     1.4 (1.4)     0.8 (0.8)     1.0 (1.0)
    copied pass                  7.4 (7.4)    10.7 (10.8)    8.3 (8.3)     8.3 (8.3)
    related pass                69.9 (49.9)   51.1 (32.4)   14.5 (14.4)    6.3 (6.2)
    total                       79.7 (59.8)   64.8 (46.2)   23.7 (23.6)   16.0 (15.8)
    load                         1.5           2.3           1.2           1.7

At load 3.4-4 (cold): total 70.3 -> 55.6 CPU s, related pass 61.1 -> 44.7. Model
calls 2,740 -> 149 for the same 4,421 sentences; the digest of every link the same
before and after (copied 2049c3a3687355e5, related de3a3ad6630724c4).

Profiled before (cProfile, so slower), the related pass spent 38 s in the model for
4,421 sentences embedded one or two at a time, and compared every pair's words again
(``_by_words``: 46.6 s over both passes, half of it the second); after, words are
compared once per pair (the copied pass's links wait in the Aligner for the pair's
related pass) and the sentences of the pairs coming next are embedded with the pair's,
up to 512 at a time, sorted by length. The model gives the same vectors whatever
shares its batch (bit for bit), so the links are the same. The walls above move with
the neighbours' load: onnxruntime's two threads wait for each other on a loaded
machine, and the model's two threads cost more CPU s when both find a core. The
window's numbers are in ``window_bench.py``.

Embedding ahead (branch cold4). The related pass embedded 6,084 texts cold (4,435 story
sentences, 1,649 clauses and copied sentences of the anchored pass) on the one core the
copied pass had left idle before it. Now a second thread of the process embeds, while
the copied pass compares words, the story sentences of each article met (4,453 distinct
texts in the corpus: 18 more than the pass needs), then, cold, each waiting pair's
anchored texts, and keeps ahead of the related pass; the two threads never encode the
same sentence (a sentence in flight is waited for). Same digests. Before = ``--no-embed-ahead
--model-threads 2``, run one after the other, CPU s (wall s):

    step                        cold before   cold after    warm before   warm after
    read and split               1.5 (1.5)     1.3 (1.3)     0.3 (0.3)     0.3 (0.3)
    index, aligner, candidates   0.8 (0.8)     0.8 (0.8)     1.1 (1.1)     1.3 (1.3)
    copied pass                  7.5 (7.5)    16.1 (11.8)    8.6 (8.6)    11.6 (11.3)
    related pass                67.4 (43.8)   57.6 (33.7)   16.6 (16.5)   14.0 (13.8)
    total                       77.3 (53.6)   75.7 (47.6)   26.6 (26.5)   27.3 (26.8)
    load                         1.4           1.0           1.3           1.3

Under load 2.8-3 (another helper's window benchmark): cold 72.0 s wall, 77.6 CPU s
before against 61.7-63.3 s, 69.5-69.7 CPU s. Less than the second core promises: the
copied pass slows from 7.5 to 11.8 s while the model runs beside it (the threads share
the GIL between model calls, and this machine's two cores run slower both busy: the
model's CPU per sentence rises), and warm the thread reading vectors from disk during
the copied pass only moves time from the related pass to it. The model alone on 1,536
of the texts, one thread, sorted by length in chunks of 256: 217 sentences per CPU s,
162 in chunks of 64 (more padding); on all 6,084 in chunks of 512 at load 2.5-3, 168
with one onnxruntime thread and 132 with two.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def run_steps(folder: Path, profile: str | None, embed_ahead: bool, model_threads: int) -> dict:
    from reader.core import articles as core_articles
    from reader.core import related
    from reader.core.cache import default_cache
    from reader.core.comparison import PairLinks
    from reader.core.corpus_index import CorpusIndex

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    steps: dict[str, tuple[float, float]] = {}
    started = _clock()
    mark = started

    def step(name: str) -> None:
        nonlocal mark
        now = _clock()
        steps[name] = (now[0] - mark[0], now[1] - mark[1])
        mark = now

    from reader.core import embedding

    embedding._threads = model_threads
    cache = default_cache()
    paths = sorted(p for p in folder.iterdir() if p.suffix == ".txt")
    articles, stems = [], []
    for first in range(0, len(paths), 25):  # _PrepareJob.BATCH
        batch, _problems = core_articles._load_all(paths[first : first + 25])
        for article in batch:
            stats = cache.stats(article.text, core_articles.split_sentences)
            article.__dict__.setdefault("sentences", stats.sentences(article.text))
            stems.append(stats.stems)
        articles.extend(batch)
    step("read and split")
    index = CorpusIndex(articles, stems)
    aligner = index.aligner()
    if embed_ahead:  # as the worker process does (``align_process.WorkerCorpus``)
        aligner.embed_ahead_in_background(paused=lambda: False)
    candidates = index.pairs_to_compare()
    pairs = [(index.articles[c.a], index.articles[c.b]) for c in candidates]
    step("index, aligner, candidates")

    def never() -> bool:
        return False

    digest = {"copied": hashlib.sha256(), "related": hashlib.sha256()}

    def fold(name: str, links: list) -> None:
        for link in links:
            digest[name].update(
                repr(
                    (
                        link.kind,
                        link.a_sentences,
                        link.b_sentences,
                        link.a_span,
                        link.b_span,
                        link.score,
                        link.pairs,
                    )
                ).encode()
            )
        digest[name].update(b"|")

    threshold = 0.35  # the window's default slider
    counts = {"copied links": 0, "related pairs": 0, "links after related": 0}
    for a, b in pairs:
        links = aligner.align(
            a, b, threshold=threshold, cancelled=never, wording=False, sentence_model=False
        )
        pair = PairLinks(a, b, list(links), threshold, wording=False)
        pair.share("a"), pair.share("b")
        counts["copied links"] += len(links)
        fold("copied", links)
    step("copied pass")
    for a, b in pairs:
        if not (related.is_prose(a) and related.is_prose(b)):
            fold("related", [])
            continue
        counts["related pairs"] += 1
        links = aligner.align(a, b, threshold=threshold, cancelled=never, wording=False)
        pair = PairLinks(a, b, list(links), threshold, wording=False)
        pair.share("a"), pair.share("b")
        counts["links after related"] += len(links)
        fold("related", links)
    step("related pass")
    aligner.close()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    total = (mark[0] - started[0], mark[1] - started[1])
    return {
        "steps": steps,
        "total": total,
        "pairs": len(pairs),
        "counts": counts,
        "digest": {k: v.hexdigest()[:16] for k, v in digest.items()},
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--warm", action="store_true")
    parser.add_argument("--profile", metavar="FILE")
    parser.add_argument(
        "--no-embed-ahead",
        action="store_true",
        help="no thread embedding ahead (as the window's own thread aligns a small folder)",
    )
    parser.add_argument(
        "--model-threads", type=int, help="onnxruntime threads (default: the worker process's)"
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        folder, profile, ahead, threads = args.child
        print(json.dumps(run_steps(Path(folder), profile or None, ahead == "1", int(threads))))
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from reader.core.align_process import WORKER_MODEL_THREADS
    from reader.core.corpus_generator import write_corpus

    threads = args.model_threads or WORKER_MODEL_THREADS
    ahead = "0" if args.no_embed_ahead else "1"

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / f"corpus-{args.size}"
        write_corpus(folder, args.size, seed=1, prose=True)
        env = dict(os.environ, SOURCE_READER_CACHE=str(Path(tmp) / "cache"))
        runs = ["cold", "warm"] if args.warm else ["cold"]
        for n, cache in enumerate(runs):
            profile = args.profile if n == len(runs) - 1 and args.profile else ""
            child = subprocess.run(
                [sys.executable, __file__, "--child", str(folder), profile, ahead, str(threads)],
                env=env,
                capture_output=True,
                text=True,
            )
            if child.returncode:
                sys.exit(f"the steps' process failed ({child.returncode}):\n{child.stderr}")
            if n < len(runs) - 1:
                continue
            r = json.loads(child.stdout.strip().splitlines()[-1])
            print(
                f"{args.size} articles, {r['pairs']:,} candidate pairs, cache {cache}, "
                f"load {r['load']:.1f}, model threads {threads}, embed ahead {ahead == '1'}"
            )
            for name, (wall, cpu) in r["steps"].items():
                print(f"  {name:<28} {wall:7.1f} s wall {cpu:7.1f} s CPU")
            wall, cpu = r["total"]
            print(f"  {'total':<28} {wall:7.1f} s wall {cpu:7.1f} s CPU")
            print(f"  counts {r['counts']}")
            print(f"  digest {r['digest']}")


if __name__ == "__main__":
    main()
