"""News pages: how much of a page is story, and how fast pages load.

Prints, for each HTML fixture in tests/data/news (pages written to look like
real news sites: cookie banner, menu, subscription strip, related and
most-read lists, footer, scripts), the words the reader shows with the old
visible-text path (html.parser) and with trafilatura, and how many of them
are site furniture (words of the menus, lists and footers the fixture
marks); then the links between two pages of one site with different stories
(the quake and the budget) under each path.

Then the speed: ``--pages`` generated pages of ~50 KB (a story of ~40
paragraphs inside a heavy site template) extracted cold (no cache: pages/s),
and a folder of them loaded with ``load_corpus`` cold (empty cache) and warm
(the cache on disk, a new process's memory).

Run: ``nice .venv/bin/python benchmarks/news_bench.py [--pages 1000]``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT / "tests" / "data" / "news"
sys.path.insert(0, str(ROOT))

from reader.core.articles import Article, load_article  # noqa: E402
from reader.core.news import extract_html, html_visible_text  # noqa: E402

_WORD = re.compile(r"\w+")
# Phrases that only site furniture of the fixtures contains.
FURNITURE = (
    "cookie",
    "Accept all",
    "Manage preferences",
    "Subscribe today",
    "Related stories",
    "Most read",
    "All rights reserved",
    "Privacy policy",
    "Follow us",
    "Search the",
    "Trending now",
    "Sign in",
    "Sign up",
    "inbox every morning",
    "Advertise",
    "Front page",
    "Contact the editor",
    "Home",
    "Celebrity chef",
    "Minister resigns",
    "Tariff row",
    "cup final",
    "Ten things",
)


def furniture_words(text: str) -> int:
    count = 0
    for paragraph in text.split("\n"):
        if any(phrase in paragraph for phrase in FURNITURE):
            count += len(_WORD.findall(paragraph))
    return count


def quality() -> None:
    print("page                      words old  new   furniture old  new")
    for path in sorted(NEWS.glob("*.html")):
        html = path.read_text(encoding="utf-8")
        old, new = html_visible_text(html), extract_html(html).text
        print(
            f"{path.name:26}{len(_WORD.findall(old)):>8} {len(_WORD.findall(new)):>4}"
            f"{furniture_words(old):>14} {furniture_words(new):>4}"
        )
    from reader.core.align import COPIED, Aligner

    quake, budget = (
        load_article(NEWS / "harbour-quake.html"),
        load_article(NEWS / "harbour-budget.html"),
    )
    for name, a, b in (
        ("old", _as_old(quake), _as_old(budget)),
        ("new", quake, budget),
    ):
        aligner = Aligner([a, b])
        copied = aligner.align(a, b, kinds=(COPIED,))
        both = aligner.align(a, b)
        print(
            f"links quake/budget ({name}): copied {len(copied)}, copied+related {len(both)}"
            + "".join(f"\n    {a.text[link.a_span[0] : link.a_span[1]][:60]!r}" for link in both)
        )


def _as_old(article: Article) -> Article:
    from dataclasses import replace

    text = html_visible_text(article.path.read_text(encoding="utf-8"))
    return replace(article, id=article.id + "-old", text=text, sha256="old-" + article.sha256)


def make_page(rng: random.Random, number: int) -> str:
    words = [
        "harbour",
        "council",
        "ferry",
        "islands",
        "engineers",
        "wall",
        "budget",
        "library",
        "quake",
        "port",
        "town",
        "residents",
        "minister",
        "said",
        "on",
        "Tuesday",
        "that",
        "the",
        "regional",
        "government",
        "would",
        "spend",
        "more",
        "money",
        "on",
        "roads",
        "schools",
        "and",
        "hospitals",
        "after",
        "weeks",
        "of",
        "debate",
        "among",
        "councillors",
    ]
    paragraphs = []
    for _ in range(40):
        sentence_count = rng.randint(2, 4)
        sentences = [
            " ".join(rng.choice(words) for _ in range(rng.randint(12, 22))).capitalize() + "."
            for _ in range(sentence_count)
        ]
        paragraphs.append("<p>" + " ".join(sentences) + "</p>")
    menu = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(60))
    related = "".join(
        f'<li><a href="/story/{i}">Another story headline number {i} from the site</a></li>'
        for i in range(40)
    )
    script = (
        "<script>"
        + "var tracking = {"
        + ",".join(f'k{i}: "{i * 7919}"' for i in range(700))
        + "};</script>"
    )
    return (
        f"<!DOCTYPE html><html><head><title>Story {number} | Bench Gazette</title>"
        f'<meta property="og:site_name" content="Bench Gazette">'
        f'<meta property="article:published_time" content="2025-0{1 + number % 9}-1{number % 10}T08:00:00Z">'
        f"{script}<style>{'.c{color:red}' * 300}</style></head><body>"
        f'<div class="cookie-banner">We use cookies. <button>Accept</button></div>'
        f"<header><nav><ul>{menu}</ul></nav></header><main><article>"
        f"<h1>Story number {number}: council debates the harbour</h1>"
        f'<p class="byline">By Bench Writer</p>{"".join(paragraphs)}</article>'
        f'<aside class="related"><h3>Related stories</h3><ul>{related}</ul></aside></main>'
        f"<footer><p>© 2025 Bench Gazette. All rights reserved.</p><ul>{menu}</ul></footer>"
        f"{script}</body></html>"
    )


def speed(count: int) -> None:
    rng = random.Random(9)
    pages = [make_page(rng, n) for n in range(count)]
    size = sum(len(p.encode()) for p in pages) / count
    started = time.perf_counter()
    for page in pages:
        extract_html(page)
    elapsed = time.perf_counter() - started
    print(
        f"extract {count} pages of {size / 1000:.0f} KB, no cache: {elapsed:.1f} s, {count / elapsed:.0f} pages/s"
    )
    started = time.perf_counter()
    for page in pages[:200]:
        html_visible_text(page)
    elapsed = time.perf_counter() - started
    print(f"  (old html.parser visible text: {200 / elapsed:.0f} pages/s)")
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as cache:
        for n, page in enumerate(pages):
            Path(folder, f"{n:04d}.html").write_text(page, encoding="utf-8")
        code = (
            "import sys, time; from reader.core.articles import load_corpus; t = time.perf_counter(); "
            "c = load_corpus(sys.argv[1]); print(f'{len(c.articles)} {time.perf_counter() - t:.2f}')"
        )
        env = {**os.environ, "SOURCE_READER_CACHE": cache}
        for label in ("cold (empty cache)", "warm (cache on disk)"):
            out = subprocess.run(
                [sys.executable, "-c", code, folder],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            loaded, seconds = int(out[0]), float(out[1])
            print(
                f"load_corpus of {loaded} pages, {label}: {seconds:.2f} s, {loaded / seconds:.0f} pages/s"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    quality()
    print()
    speed(args.pages)


if __name__ == "__main__":
    main()
