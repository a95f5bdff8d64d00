"""How a folder of many articles fares: index, `align` inside it, `corpus --json`.

Generates folders of 100, 300 and 1,000 news-like articles grouped into
stories (``reader.core.corpus_generator``: English prose about an invented
event per story; outlets' rewrites of shared wire copy, facts told in their
own words, their own sentences and site furniture; deterministic for the
seed) and prints, per size:

- the time to build the corpus index (load, split/read cache, stems,
  rarity, candidate pairs) with an empty cache (cold) and again (warm),
  each in a fresh process;
- ``source-reader align A B`` of one pair inside the folder, end to end as a
  subprocess, cold and warm;
- ``source-reader corpus DIR --json`` cold, end to end, with its peak RSS,
  and how many sentences it embedded (vectors in its cache); again warm
  (sentence vectors and splits cached on disk); and cold with copied links
  only (``--kind copied``);
- the share of articles whose closest article (from that JSON) is in the
  same story;
- the stories found (single linkage over pairs that ``shares_a_story``, and
  over every linked pair as before) against the generator's: purity,
  completeness, adjusted Rand index; also from the copied-only JSON;
- related links at corpus scale (``--quality``, on by default): every pair of
  articles of one story aligned inside the folder as ``align`` does, related
  links scored against the generator's truth (sentences that state one fact
  in different words, ``corpus_generator.restated_cases``) with PAN
  measures, the truth's recall by links of either kind, and related links
  between articles of different stories among the candidate pairs (all false).

Measured on 2 cores shared with other work (load 2-3.5), prose folders, seed 8;
wall s (CPU s). "Before" is the related matcher recomputing per-text answers
for every pair (commit b2110a2, folders before b51cc98's wording fix, same
sizes within 2%), "after" keeps them (97844c1 .. b51cc98):

    articles  candidate pairs  embedded  corpus cold                 corpus warm              --kind copied
    100        1,550               604   12.6 (12.6) -> 6.6 (7.5)    7.0 (7.5) -> 2.9 (2.9)   1.5 (1.6)
    300        5,913             1,559   28.9 (36.5) -> 11.1 (19.9)  32 (29) -> 5.1 (8.3)     3.2 (5.0)
    1,000     25,359             4,695   113 (163) -> 65 (72)        88 (122) -> 30 (36)      19 (20)

align in the 1,000 folder: cold 2.1 s, warm 0.46 s; closest article in
story 0.990 / 0.980 / 0.941 (1,000 with copied links only: 0.991); related
precision on same-story pairs 0.60 / 0.54 / 0.53 (stories of one kind share
sentence skeletons, so related links also join same-kind facts of other
stories: 25,477 at 1,000), truth linked by either kind 0.94-0.95.

Stories (seed 8): 1 found of 37 at 300 and 1 of 113 at 1,000 (adjusted
Rand 0.000) under either rule, with or without related links: same-kind
stories share sentences nearly word for word (20,583 of 25,359 linked pairs
at 1,000 join two stories, most with several copied links). With
``--syllables`` 300: 33 of 33, adjusted Rand 1.000, under either rule.

After the generator's per-story wording (each story words its facts its
own way; seed 8, same sizes): candidate pairs 2,227 at 300 and 11,219 at
1,000; corpus --json cold 9.8 s (CPU 17.9) and 29 s (CPU 54), warm 3.2 s
(5.1) and 14 s (22), --kind copied 1.6 s (2.4) and 8.2 s (13); closest
article in story 1.000 / 0.998; linked pairs across stories 884 of 2,227
and 6,350 of 11,217 (5,633 that shares_a_story), so still 1 story found,
adjusted Rand 0.000; related precision 0.64 / 0.51, truth linked by either
kind 0.92 / 0.94; related links across stories 813 / 6,695.

Stories joined only through each article's two closest pairs (``StoryGroups``,
"closest partners" below; same JSON as above): 33 of 37 found at 300,
purity 0.963, completeness 1.000, adjusted Rand 0.971; 99 of 113 at 1,000,
purity 0.920, completeness 1.000, adjusted Rand 0.871.

``--independent 0.2`` replaces a fifth of the articles (the same names,
stories and outlets) with ones written wholly in their outlet's own words:
every fact restated, no wire sentence (``news_prose.independent_report``).
They share the event's names and numbers, not its wording, so past
COMPARE_ALL_UP_TO articles the shingle index missed some of their pairs; a
second pass now adds each article's few best partners by shared rare names
and numbers (``CorpusIndex.detail_pairs``). Before -> after (seed 8, 2
shared cores, load from another helper's runs: CPU s are the steadier
measure; "candidates" is ``pairs_to_compare``, recall is the share of
same-story pairs among them, "added" the pairs found by details, none of
which joins two stories in any of these folders):

    folder          candidates        added  same-story recall  corpus cold CPU s  warm CPU s  closest in story (independent)
    300              2,227 ->  2,236      9  0.993 -> 1.000     17.4 -> 18.9       6.5 -> 7.5  1.000 -> 1.000
    300, 0.2         3,262 ->  3,363    101  0.925 -> 1.000     22.3 -> 24.5       8.3 -> 9.2  0.997 -> 0.997 (1.000 -> 1.000)
    1,000           11,219 -> 11,246     27  0.994 -> 1.000     64.9 -> 61.9      30.3 -> 27.0 0.998 -> 0.998
    1,000, 0.2      15,615 -> 16,479    864  0.819 -> 0.995     81.6 -> 85.0      37.5 -> 35.9 0.984 -> 0.996 (0.950 -> 1.000)

Wall s, same order: corpus cold 17.1 -> 14.6, 22.4 -> 24.1, 61.2 -> 43.6,
75.1 -> 74.6; warm 6.3 -> 5.6, 7.8 -> 7.2, 29.3 -> 24.7, 33.4 -> 34.6 (the
neighbour's load moves these more than the pairs added do). Same-story
pairs with an independent article among the candidates: 0.779 -> 1.000 at
300, 0.520 -> 0.987 at 1,000. Stories found by closest partners
(StoryGroups) at 1,000 with 0.2 independent: 55 -> 78 of 113, adjusted
Rand 0.201 -> 0.435 (the independent articles' wording pairs join other
stories of their kind: 11,609 of 15,615 candidates cross stories); the
other folders unchanged (300: 33 of 37, 0.971; 300, 0.2: 28 of 37, 0.822;
1,000: 99 of 113, 0.871). The detail pass costs 0.08-0.09 s CPU at 300 and
0.27-0.28 s at 1,000 (``candidate_pairs`` 0.07 and 0.39 s). Where
articles name nothing (``--syllables``) the pass adds only pairs of one
outlet, sharing its masthead name, its footer's year and a capitalised
syllable: 2 of 5,077 at 1,000, 4 at 300, 24 at 160 (seed 4), a few per
article at most, as boilerplate shingles already add.

``--syllables`` generates invented words instead of prose (the generator
before prose): the related matcher takes it for non-prose and embeds
nothing, so its numbers are copied links only.

Run: ``.venv/bin/python benchmarks/corpus_bench.py [--sizes 100 300] [--independent 0.2]`` (or
``make bench-corpus``). Targets for 1,000 articles on 2 cores: align warm
< 1 s, cold < 20 s; corpus --json cold < 60 s; closest in story >= 0.95.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from reader.core.articles import article_from_text
from reader.core.comparison import PairKey, PairSummary, StoryGroups, shares_a_story
from reader.core.corpus_generator import generate_articles, write_articles

SIZES = (100, 300, 1_000)
_INDEX_SCRIPT = """
import json, sys, time
start = time.perf_counter()
from reader.core.articles import load_corpus
from reader.core.corpus_index import CorpusIndex
index = CorpusIndex.build(load_corpus(sys.argv[1]).articles)
index.rarity
pairs = index.pairs_to_compare()
seconds = time.perf_counter() - start
names = [article.path.name for article in index.articles]
by_wording = len(index.candidate_pairs())
print(json.dumps({"seconds": seconds, "by_wording": by_wording,
                  "pairs": [(names[p.a], names[p.b]) for p in pairs]}))
"""
_QUALITY_SCRIPT = """
import sys
from reader.core.align import RELATED, Aligner
from reader.core.articles import load_corpus
from reader.core.corpus_generator import generate_articles, restated_cases
from reader.core.corpus_index import CorpusIndex
from reader.core.evaluation import detections_from_links, score_pairs
folder, n, seed, prose = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
made = {m.name: m for m in generate_articles(n, seed, prose=prose, independent=float(sys.argv[5]))}
index = CorpusIndex.build(load_corpus(folder).articles)
aligner = index.aligner()
related, every, cross, pairs = [], [], 0, 0
for c in index.pairs_to_compare():
    a, b = index.articles[c.a], index.articles[c.b]
    x, y = made[a.path.name], made[b.path.name]
    if x.story != y.story:
        cross += len(aligner.align(a, b, kinds=(RELATED,), wording=False))
        continue
    pairs += 1
    links = aligner.align(a, b, wording=False)
    gold = restated_cases(x, y)
    related.append((gold, detections_from_links([l for l in links if l.kind == RELATED])))
    every.append((gold, detections_from_links(links)))
r, e = score_pairs(related), score_pairs(every)
print(pairs, sum(len(g) for g, _ in related), sum(len(d) for _, d in related),
      r.precision, r.recall, e.recall, cross)
"""


def embedded_sentences(cache: Path) -> int:
    """How many sentence vectors the runs with ``cache`` stored (each sentence embedded once)."""
    import sqlite3

    try:
        with sqlite3.connect(cache / "articles.sqlite3") as db:
            return int(db.execute("SELECT count(*) FROM vectors").fetchone()[0])
    except sqlite3.Error:
        return 0


def run(command: list[str], cache: Path) -> tuple[float, str, int]:
    """Wall seconds, standard output and peak RSS (KiB) of one process."""
    global _last_cpu
    env = dict(os.environ, SOURCE_READER_CACHE=str(cache))
    cpu_start = _children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    out, err = process.communicate()
    elapsed = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{err}")
    rss = _peak_rss_of_children()
    _last_cpu = _children_cpu() - cpu_start
    return elapsed, out, rss


# CPU seconds (user + system) of the last run and its worker processes: on a
# shared machine the wall time says as much about the neighbours as about us.
_last_cpu = 0.0


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_of_children() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def closest_in_story(
    document: dict, story: dict[str, int], among: set[str] | None = None
) -> tuple[float, int]:
    """Share of articles (of those named in ``among``, default all) whose closest article
    (largest share of it linked) is in its story; and how many have a closest article."""
    best: dict[str, tuple[float, str]] = {}
    for pair in document["pairs"]:
        for me, other, share in (
            (pair["a"], pair["b"], pair["a_share"]),
            (pair["b"], pair["a"], pair["b_share"]),
        ):
            if me not in best or (share, other) > best[me]:
                best[me] = (share, other)
    paths = [
        article["path"]
        for article in document["articles"]
        if among is None or Path(article["path"]).name in among
    ]
    right = sum(
        1
        for path in paths
        if path in best and story[Path(best[path][1]).name] == story[Path(path).name]
    )
    return right / max(1, len(paths)), sum(path in best for path in paths)


def story_quality(
    document: dict, story: dict[str, int], joins: Callable[[dict], bool]
) -> tuple[int, float, float, float]:
    """Stories found (pairs for which ``joins`` is true, single linkage) against the true ones:
    (stories found, purity, completeness, adjusted Rand index).

    Purity: share of articles in the true story most of their found story belongs to;
    completeness: share of articles in the found story most of their true story is in."""
    names = [Path(article["path"]).name for article in document["articles"]]
    parent = {name: name for name in names}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in document["pairs"]:
        if joins(pair):
            parent[find(Path(pair["a"]).name)] = find(Path(pair["b"]).name)
    found = [find(name) for name in names]
    truth = [story[name] for name in names]

    def majority(keys: list, values: list) -> int:
        grouped: dict = defaultdict(list)
        for key, value in zip(keys, values, strict=True):
            grouped[key].append(value)
        return sum(Counter(members).most_common(1)[0][1] for members in grouped.values())

    def pairs_within(counts: Counter) -> float:
        return sum(c * (c - 1) / 2 for c in counts.values())

    both = pairs_within(Counter(zip(truth, found, strict=True)))
    true_pairs, found_pairs = pairs_within(Counter(truth)), pairs_within(Counter(found))
    expected = true_pairs * found_pairs / (len(names) * (len(names) - 1) / 2)
    most = (true_pairs + found_pairs) / 2
    rand = (both - expected) / (most - expected) if most != expected else 1.0
    return (
        len(set(found)),
        majority(found, truth) / len(names),
        majority(truth, found) / len(names),
        rand,
    )


def any_link(pair: dict) -> bool:
    return pair["links"] > 0


def substantive(pair: dict) -> bool:
    return shares_a_story(pair["links"], pair["a_share"], pair["b_share"])


def in_one_story(document: dict) -> Callable[[dict], bool]:
    """Whether a pair's articles are in one story as the product groups them (``StoryGroups``:
    more than a stray link, and among the closest pairs of one of its articles)."""
    paths = [article["path"] for article in document["articles"]]
    groups = StoryGroups([article_from_text("", path, path) for path in paths])
    for pair in document["pairs"]:
        a, b = sorted((pair["a"], pair["b"]))
        shares = (
            (pair["a_share"], pair["b_share"])
            if a == pair["a"]
            else (pair["b_share"], pair["a_share"])
        )
        groups.add(PairSummary(PairKey(a, "", b, "", 0.0), *shares, pair["links"]))
    story_of = {article.id: n for n, group in enumerate(groups.groups()) for article in group}
    return lambda pair: story_of[pair["a"]] == story_of[pair["b"]]


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def candidates_report(pairs: list[list[str]], by_wording: int, story: dict[str, int]) -> str:
    """How many pairs are compared, how many of the same-story pairs are among them, and
    how many join two stories (of those found by wording, and of those added after them)."""
    size: Counter[int] = Counter(story.values())
    same_story = sum(count * (count - 1) // 2 for count in size.values())
    within = [story[a] == story[b] for a, b in pairs]
    added = within[by_wording:]
    return (
        f"{len(pairs):,} pairs to compare ({by_wording:,} by wording, {len(added):,} by shared"
        f" details), same-story pairs among them {sum(within) / max(1, same_story):.3f};"
        f" across stories {within[:by_wording].count(False):,} by wording,"
        f" {added.count(False):,} by details"
    )


def bench(n: int, root: Path, seed: int, prose: bool, quality: bool, independent: float) -> None:
    folder = root / f"corpus-{n}"
    start = time.perf_counter()
    made = generate_articles(n, seed, prose=prose, independent=independent)
    story = write_articles(folder, made)
    on_their_own = {article.name for article in made if article.independent}
    print(
        f"\n{n} articles in {len(set(story.values()))} stories, {len(on_their_own)} written"
        f" independently (generated in {time.perf_counter() - start:.1f} s)"
    )
    cli = [sys.executable, "-m", "reader"]
    by_story: dict[int, list[str]] = defaultdict(list)
    for name, number in sorted(story.items()):
        by_story[number].append(name)
    a, b = next(names for names in by_story.values() if len(names) >= 2)[:2]

    caches = {name: root / f"cache-{n}-{name}" for name in ("index", "align", "corpus", "copied")}
    for cache in caches.values():
        shutil.rmtree(cache, ignore_errors=True)

    for label in ("cold", "warm"):
        wall, out, _ = run([sys.executable, "-c", _INDEX_SCRIPT, str(folder)], caches["index"])
        found = json.loads(out)
        print(
            f"  index build {label}:        {found['seconds']:7.2f} s in process ({wall:.2f} s with start-up,"
            f" CPU {_last_cpu:.2f} s)"
        )
    print(f"  candidates: {candidates_report(found['pairs'], found['by_wording'], story)}")

    for label, limit in (("cold", 20.0), ("warm", 1.0)):
        wall, _, _ = run(
            [*cli, "align", str(folder / a), str(folder / b), "--json"], caches["align"]
        )
        target = f"   target < {limit:g} s: {verdict(wall < limit)}" if n == 1_000 else ""
        print(f"  align A B in folder {label}: {wall:7.2f} s (CPU {_last_cpu:.2f} s){target}")

    wall, out, rss = run([*cli, "corpus", str(folder), "--json"], caches["corpus"])
    document = json.loads(out)
    target = f"   target < 60 s: {verdict(wall < 60)}" if n == 1_000 else ""
    print(
        f"  corpus --json cold:        {wall:7.2f} s (CPU {_last_cpu:.1f} s),"
        f" {len(document['pairs'])} pairs with links,"
        f" {embedded_sentences(caches['corpus']):,} sentences embedded{target}"
    )
    wall, _, _ = run([*cli, "corpus", str(folder), "--json"], caches["corpus"])
    print(
        f"  corpus --json warm:        {wall:7.2f} s (CPU {_last_cpu:.1f} s; vectors and splits cached)"
    )
    wall, copied_out, _ = run(
        [*cli, "corpus", str(folder), "--json", "--kind", "copied"], caches["copied"]
    )
    print(
        f"  corpus --json --kind copied cold: {wall:7.2f} s (CPU {_last_cpu:.1f} s; no sentence model)"
    )
    share, with_partner = closest_in_story(document, story)
    print(
        f"  closest article in story:  {share:7.3f} ({with_partner} of {n} have a closest article)"
        f"   target >= 0.95: {verdict(share >= 0.95)}"
    )
    if on_their_own:
        share, with_partner = closest_in_story(document, story, on_their_own)
        print(
            f"  closest article in story, independent articles: {share:.3f}"
            f" ({with_partner} of {len(on_their_own)} have a closest article)"
        )
    for label, found in (("", document), (" copied only", json.loads(copied_out))):
        across = [
            pair
            for pair in found["pairs"]
            if story[Path(pair["a"]).name] != story[Path(pair["b"]).name]
        ]
        print(
            f"  linked pairs across stories{label}: {len(across):,} of {len(found['pairs']):,}"
            f" ({sum(map(substantive, across)):,} that shares_a_story)"
        )
    for label, found, joins in (
        ("any link (old rule)", document, any_link),
        ("shares_a_story (old rule)", document, substantive),
        ("closest partners (StoryGroups)", document, in_one_story(document)),
        ("copied only, any link", json.loads(copied_out), any_link),
        ("copied only, shares_a_story", json.loads(copied_out), substantive),
        (
            "copied only, closest partners",
            json.loads(copied_out),
            in_one_story(json.loads(copied_out)),
        ),
    ):
        count, purity, completeness, rand = story_quality(found, story, joins)
        print(
            f"  stories, {label + ':':32s} {count:4d} found of {len(set(story.values()))},"
            f" purity {purity:.3f}, completeness {completeness:.3f}, adjusted Rand {rand:.3f}"
        )
    print(f"  peak RSS of any run so far: {rss / 1024:6.0f} MiB")
    if quality:
        wall, out, _ = run(
            [
                sys.executable,
                "-c",
                _QUALITY_SCRIPT,
                str(folder),
                str(n),
                str(seed),
                str(int(prose)),
                str(independent),
            ],
            caches["corpus"],
        )
        pairs, gold, found, precision, recall, any_recall, cross = out.split()
        print(
            f"  related links, {pairs} same-story candidate pairs ({wall:.0f} s, vectors cached):"
            f" {found} found, {gold} true; precision {float(precision):.2f}, recall"
            f" {float(recall):.2f}; truth linked by either kind {float(any_recall):.2f};"
            f" {cross} related links across stories"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--syllables", action="store_true", help="invented words, not prose (copied links only)"
    )
    parser.add_argument(
        "--no-quality", action="store_true", help="skip scoring related links against the truth"
    )
    parser.add_argument(
        "--keep", type=Path, default=None, help="generate into this folder and keep it"
    )
    parser.add_argument(
        "--independent",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of articles written wholly in the outlet's own words (e.g. 0.2)",
    )
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    root = args.keep or Path(tempfile.mkdtemp(prefix="corpus-bench-"))
    try:
        for n in args.sizes:
            bench(n, root, args.seed, not args.syllables, not args.no_quality, args.independent)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
