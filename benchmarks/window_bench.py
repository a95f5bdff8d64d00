"""The window on generated corpora: time to first paint, to the full list, to settle, and peak RSS.

For each size a fresh process opens a generated folder in the real MainWindow
(offscreen), with a private disk cache (cold, then warm), and prints:
- first paint: from creating the window to its first painted frame with the folder opening;
- listed: until every article is in the list;
- copied: until every candidate pair's copied links are in (the corpus map's stories,
  closest articles and heat map are then complete for copied wording);
- settled: until the background work (reading, indexing, aligning candidate pairs, then
  their related links where both articles are prose) is idle;
- longest stall of the event loop (a 10 ms timer's longest gap) while it worked, and how
  many gaps were over 100 ms;
- peak resident memory, the machine's load and the window process's CPU seconds (wall
  times on a shared machine stretch with the load; CPU seconds much less).

    nice .venv/bin/python benchmarks/window_bench.py [--sizes 100 300 1000] [--screenshot docs/corpus-view.png]

The folders are generated English prose (``corpus_generator``), so the window also finds
related links and embeds sentences; ``--syllables`` generates the invented words, which
the related matcher takes for non-prose (copied links only).

Measured for 1,000 syllable articles (seed 1, 5,200 candidate pairs, 111 stories) on 2
cores shared with other work:

    code    cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB  load  CPU s
    before  cold      0.12      2.42         -       34.8       250      78     463   0.7     36
    before  warm      0.08      1.15         -       36.5       477      84     481   0.8     38
    before  cold      0.07      2.55         -       32.9       509       6     463   2.8     31
    before  warm      0.14      0.83         -       33.0       219      10     482   3.1     32
    after   cold      0.13      2.37      20.4       22.0        69       0     463   2.0     21
    after   warm      0.13      0.72      21.3       23.1       129       6     484   2.5     20
    after   cold      0.12      2.23      22.7       24.4       132       1     463   2.2     25
    after   warm      0.11      0.91      18.4       19.8       246       7     481   2.5     19

The stalls were the GUI thread waiting for the GIL: each return from Qt into Python (a
model's data(), a delegate's painting) waits up to one switch interval while the worker
aligns, and a repaint is hundreds of them. They are worst on an idle machine, where the
worker always runs (78-84 stalls before); under load the worker is often descheduled and
the OS, not the GIL, makes the gaps. "after": switch interval 1 ms -> 20 us, background
pairs without word runs, shares measured on the worker, one dataChanged per refresh.

On prose folders (seed 1, copied and related links; 1,000 articles, 24,769 candidate
pairs, one story: same-kind stories of the prose generator share sentence skeletons, and
one link between two stories joins them), before and after the two-pass background
alignment, the story-choice and the garbage-collector fixes:

    code    cache  paint s  listed s  copied s  settled s  stall ms  >100ms  RSS MB  load  CPU s
    before  cold      0.09      1.85         -      128.6       693      22     419   2.7    134
    before  warm      0.14      0.92         -       78.3       594      19     432   2.7     74
    after   cold      0.15      2.67      29.0      110.1       250       9     432   2.0    123
    after   warm      0.12      0.89      26.8       73.1       346      17     436   2.9     62

Not at target (0.1 s). Sampled stalls left there: the progress bar repainting the list
while files are read, full garbage collections, and the GUI thread waiting for the GIL
with no Python frame of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_window(folder: Path, screenshot: str | None) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import resource

    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from reader.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    started = time.perf_counter()
    window = MainWindow()
    window.resize(1700, 1000)
    painted: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter() - started)
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    gaps = {"last": time.perf_counter(), "longest": 0.0, "over_100ms": 0}

    def tick() -> None:
        now = time.perf_counter()
        gaps["longest"] = max(gaps["longest"], now - gaps["last"])
        gaps["over_100ms"] += now - gaps["last"] > 0.1
        gaps["last"] = now

    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(tick)
    window.show()
    window.open_paths([folder])
    ticker.start()
    total = len([p for p in folder.iterdir() if p.suffix == ".txt"])
    listed = settled = copied = None
    deadline = started + 900
    while time.perf_counter() < deadline:
        app.processEvents()
        now = time.perf_counter() - started
        if listed is None and window.article_dock.model.rowCount() >= total:
            listed = now
        if copied is None and window.corpus is not None and window.alignments.copied_settled():
            copied = now
        if window.corpus is not None and not window.alignments.is_busy():
            settled = now
            break
        time.sleep(0.002)
    ticker.stop()
    for _ in range(50):
        app.processEvents()
    window._refresh_corpus_answers()
    if screenshot:
        # Room for the list's Closest column and a story's heat map beside the two articles.
        window.resizeDocks(
            [window.article_dock, window.annotations_dock], [640, 180], Qt.Orientation.Horizontal
        )
        window.resizeDocks(
            [window.article_dock, window.corpus_dock], [330, 560], Qt.Orientation.Vertical
        )
        window.corpus_dock.select_story(0)
        stories = window.corpus_dock.stories.story_count()
        app.processEvents()
        window.grab().save(screenshot)
    else:
        stories = window.corpus_dock.stories.story_count()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_mb = usage.ru_maxrss / 1024
    result = {
        "first_paint_s": painted[0] if painted else None,
        "listed_s": listed,
        "copied_s": copied,
        "settled_s": settled,
        "longest_stall_s": gaps["longest"],
        "stalls_over_100ms": gaps["over_100ms"],
        "peak_rss_mb": rss_mb,
        # Other processes on a shared machine stretch every wall-clock number here.
        "load_1min": os.getloadavg()[0],
        "cpu_s": usage.ru_utime + usage.ru_stime,  # all threads; what a quiet machine would wait
        "stories": stories,
        "pairs": len(window.alignments.store.summaries(window.threshold())),
    }
    window.alignments.cancel()
    window.alignments.wait_for_done(10_000)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument(
        "--screenshot", help="save the window on the 300-article folder (or the first size) here"
    )
    parser.add_argument(
        "--syllables",
        action="store_true",
        help="invented words, not prose: copied links only (the folders measured before prose)",
    )
    parser.add_argument(
        "--child", nargs=2, metavar=("FOLDER", "SCREENSHOT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_window(Path(args.child[0]), args.child[1] or None)))
        return

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from reader.core.corpus_generator import write_corpus

    shot_size = 300 if 300 in args.sizes else args.sizes[0]
    print(
        f"{'articles':>8} {'cache':>5} {'paint s':>8} {'listed s':>9} {'copied s':>9} {'settled s':>10} "
        f"{'stall ms':>9} {'>100ms':>7} {'RSS MB':>7} {'pairs':>6} {'stories':>7} {'load':>5} {'CPU s':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            folder = Path(tmp) / f"corpus-{size}"
            write_corpus(folder, size, seed=1, prose=not args.syllables)
            env = dict(
                os.environ,
                SOURCE_READER_CACHE=str(Path(tmp) / f"cache-{size}"),
                QT_QPA_PLATFORM="offscreen",
            )
            for cache in ("cold", "warm"):
                shot = (
                    args.screenshot
                    if (args.screenshot and size == shot_size and cache == "warm")
                    else ""
                )
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(folder), shot],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                r = json.loads(out.strip().splitlines()[-1])
                print(
                    f"{size:>8} {cache:>5} {r['first_paint_s']:>8.2f} {r['listed_s'] or 0:>9.2f} "
                    f"{r['copied_s'] or float('nan'):>9.1f} "
                    f"{r['settled_s'] or float('nan'):>10.1f} {r['longest_stall_s'] * 1000:>9.0f} "
                    f"{r['stalls_over_100ms']:>7} "
                    f"{r['peak_rss_mb']:>7.0f} {r['pairs']:>6} {r['stories']:>7} {r['load_1min']:>5.1f} "
                    f"{r['cpu_s']:>6.0f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
