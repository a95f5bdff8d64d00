"""Command line front end over the core.

``source-reader [PATHS...]`` opens the desktop reader (the bundled seeds when
no path is given); ``source-reader align A B`` prints the passages two
articles share; ``source-reader corpus DIR`` maps which articles of a folder
share passages; ``source-reader export`` writes tagged notes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from reader.core.align import COPIED, DEFAULT_THRESHOLD, KINDS, RELATED, Link
from reader.core.articles import Article, ArticleError, load_article, load_corpus
from reader.core.summary import summarized
from reader.core.text_utils import shorten

# One line per command: its --help description and its row in the top-level --help.
_COMMAND_HELP = {
    "align": "print the passages two articles share",
    "corpus": "map which articles of a folder share passages",
    "export": "write the tagged notes of an annotation file (its folder is the corpus)",
}
_COMMANDS = tuple(_COMMAND_HELP)

# 128 + SIGPIPE: the status a shell reports for `cat` or `grep` when the reader
# of its pipe (`| head`) went away, so `set -o pipefail` scripts see the same.
EXIT_BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command (align, corpus, export) or open the window; return the exit status.

    A reader that closes the pipe early (``source-reader align A B | head``)
    ends the command quietly with status 141, as Unix tools do, not with a
    traceback.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _COMMANDS:
        try:
            status = _run_command(argv)
            # Flush here, inside the guard: otherwise a short output sits in
            # the buffer and fails at interpreter exit, out of our reach.
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
            return EXIT_BROKEN_PIPE
        return status
    return _run_gui(argv)


def _silence_stdout() -> None:
    """Point stdout at devnull so Python's final flush finds no broken pipe (Python docs, signal module)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a real file (tests capture it): nothing will flush to a pipe


def _run_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="source-reader", description="Compare how outlets cover one event."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    align_parser = _add_command(commands, "align")
    align_parser.add_argument("a", type=Path, help="first article (.txt, .md, .html)")
    align_parser.add_argument("b", type=Path, help="second article")
    align_parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    align_parser.add_argument(
        "--threshold",
        type=_fraction,
        default=DEFAULT_THRESHOLD,
        help=f"minimum score of a link, 0 to 1 (default {DEFAULT_THRESHOLD})",
    )
    align_parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="folder whose articles set how rare each word is "
        "(default: the folder of A and B when they share one, as the window does)",
    )
    align_parser.add_argument(
        "--kind",
        choices=(COPIED, RELATED, "all"),
        default="all",
        help="copied: shared wording; related: the same fact in other words; all (default): both",
    )
    align_parser.set_defaults(handler=_align_command)

    corpus_parser = _add_command(commands, "corpus")
    corpus_parser.add_argument("folder", type=Path, help="folder of articles")
    corpus_parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    corpus_parser.add_argument(
        "--threshold",
        type=_fraction,
        default=DEFAULT_THRESHOLD,
        help=f"minimum score of a link, 0 to 1 (default {DEFAULT_THRESHOLD})",
    )
    corpus_parser.add_argument(
        "--kind",
        choices=(COPIED, RELATED, "all"),
        default="all",
        help="links that count: copied wording, related (same fact in other words), all (default)",
    )
    corpus_parser.add_argument(
        "--quiet",
        action="store_true",
        help="no progress on standard error (shown only when it is a terminal)",
    )
    corpus_parser.set_defaults(handler=_corpus_command)

    _add_export_command(commands)

    args = parser.parse_args(argv)
    return args.handler(args)


def _add_command(commands, name: str) -> argparse.ArgumentParser:
    """A subcommand whose own --help opens with the same line the top-level --help lists."""
    return commands.add_parser(name, help=_COMMAND_HELP[name], description=_COMMAND_HELP[name])


def _align_command(args: argparse.Namespace) -> int:
    from reader.core.corpus_index import pair_aligner

    try:
        a, b = load_article(args.a), load_article(args.b)
        background: list[Article] = [a, b]
        corpus_folder = args.corpus
        if corpus_folder is None and a.path.resolve().parent == b.path.resolve().parent:
            corpus_folder = a.path.parent
        if corpus_folder is not None:
            background += [
                article
                for article in load_corpus(corpus_folder).articles
                if article.path.resolve() not in (a.path.resolve(), b.path.resolve())
            ]
    except ArticleError as error:
        return _fail(str(error))
    for article in (a, b):
        for warning in summarized(article.warnings):
            print(f"warning: {article.path}: {warning}", file=sys.stderr)
    kinds = KINDS if args.kind == "all" else (args.kind,)
    # The folder's word rarity comes from the cache: only A and B get profiles.
    aligner = pair_aligner([a, b], background)
    links = aligner.align(a, b, threshold=args.threshold, kinds=kinds)
    if RELATED in kinds:
        from reader.core.embedding import unavailable_reason

        # Asked after aligning, without loading the model: with every sentence's
        # vector cached on disk the model is never loaded at all.
        reason = unavailable_reason(load=False)
        if reason is not None:
            print(f"note: {reason}", file=sys.stderr)
    if args.json:
        print(json.dumps(alignment_json(a, b, links), ensure_ascii=False, indent=2))
    else:
        print(alignment_table(a, b, links, width=shutil.get_terminal_size((100, 24)).columns))
    return 0


def _corpus_command(args: argparse.Namespace) -> int:
    from reader.core.corpus_index import CorpusIndex, corpus_map

    try:
        corpus = load_corpus(args.folder)
    except ArticleError as error:
        return _fail(str(error))
    for problem in corpus.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if not corpus.articles:
        return _fail(f"{args.folder}: no articles to compare (.txt, .md, .html)")
    progress = None if args.quiet or not sys.stderr.isatty() else _Progress(sys.stderr)
    if progress is not None:
        progress.say(f"reading {len(corpus.articles):,} articles")
    index = CorpusIndex.build(corpus.articles)
    kinds = KINDS if args.kind == "all" else (args.kind,)
    found = corpus_map(index, threshold=args.threshold, progress=progress, kinds=kinds)
    if RELATED in kinds:
        from reader.core.embedding import unavailable_reason

        reason = unavailable_reason(load=False)
        if reason is not None:
            if progress is not None:
                progress.done()
            print(f"note: {reason}", file=sys.stderr)
    if progress is not None:
        progress.done()
    if args.json:
        print(json.dumps(corpus_json(found), ensure_ascii=False, indent=2))
    else:
        print(corpus_table(found, width=shutil.get_terminal_size((100, 24)).columns))
    return 0


_PROGRESS_STEPS = {
    "copied": "finding copied passages: pair {done:,} of {total:,}",
    "embedding": "embedding sentences for related links: {done:,} of {total:,}",
    "related": "finding related passages: pair {done:,} of {total:,}",
}


class _Progress:
    """One line on a terminal, rewritten as a long ``corpus`` run goes (at most ten times a second)."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self._last = 0.0
        self._width = 0

    def __call__(self, step: str, done: int, total: int) -> None:
        import time

        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        self.say(
            _PROGRESS_STEPS.get(step, step + " {done:,} of {total:,}").format(
                done=done, total=total
            )
        )

    def say(self, text: str) -> None:
        self._stream.write("\r" + text.ljust(self._width))
        self._width = len(text)
        self._stream.flush()

    def done(self) -> None:
        self._stream.write("\r" + " " * self._width + "\r")
        self._stream.flush()


def corpus_json(found) -> dict:
    """The ``corpus --json`` document: every article, and each pair with at least one link."""
    path_of = {article.id: str(article.path) for article in found.articles}
    return {
        "articles": [
            {"path": str(article.path), "title": article.title, "sentences": len(article.sentences)}
            for article in found.articles
        ],
        "pairs": [
            {
                "a": path_of[pair.key.a_id],
                "b": path_of[pair.key.b_id],
                "a_share": round(pair.a_share, 4),
                "b_share": round(pair.b_share, 4),
                "links": pair.links,
            }
            for pair in sorted(
                found.pairs, key=lambda p: (path_of[p.key.a_id], path_of[p.key.b_id])
            )
        ],
    }


def corpus_table(found, width: int = 100) -> str:
    """Stories (articles joined by shared passages), each article with its closest article."""
    width = max(width, 40)
    name_of = {article.id: article.path.name for article in found.articles}
    stories = found.stories()
    together = [story for story in stories if len(story) > 1]
    alone = [story[0] for story in stories if len(story) == 1]
    lines = [
        f"{len(found.articles)} articles, {len(found.pairs)} pairs sharing passages, "
        f"{len(together)} stor{'y' if len(together) == 1 else 'ies'}",
    ]
    for number, story in enumerate(together, 1):
        lines += ["", f"Story {number}: {len(story)} articles"]
        for article in story:
            closest = found.closest.get(article.id)
            tail = (
                f"closest: {name_of[closest.article_id]} ({round(closest.share * 100)} % shared)"
                if closest
                else ""
            )
            lines.append(
                shorten(f"  {article.path.name}  {article.title}", width - len(tail) - 2).ljust(
                    max(0, width - len(tail) - 2)
                )
                + "  "
                + tail
                if tail
                else shorten(f"  {article.path.name}", width)
            )
    if alone:
        lines += ["", f"Sharing no passage with any other article: {len(alone)}"]
        lines += [shorten(f"  {article.path.name}  {article.title}", width) for article in alone]
    return "\n".join(line.rstrip() for line in lines)


def alignment_json(a: Article, b: Article, links: Sequence[Link]) -> dict:
    """The ``--json`` document: offsets are code points into the decoded texts."""

    def side(article: Article) -> dict:
        return {"path": str(article.path), "title": article.title, "chars": len(article.text)}

    return {
        "a": side(a),
        "b": side(b),
        "links": [
            {
                "a": list(link.a_span),
                "b": list(link.b_span),
                "score": link.score,
                "a_sentences": list(link.a_sentences),
                "b_sentences": list(link.b_sentences),
                "matches": [list(match) for match in link.matches],
                "kind": link.kind,
            }
            for link in links
        ],
    }


def alignment_table(a: Article, b: Article, links: Sequence[Link], width: int = 100) -> str:
    """A table a person reads in a terminal: kind, score, passage of A, passage of B.

    Passages are wrapped within their column rather than cut, so a passage
    of several sentences shows all it links.
    """
    width = max(width, 48)
    column = (width - 18) // 2
    counts = {kind: sum(1 for link in links if link.kind == kind) for kind in KINDS}
    lines = [
        f"A: {shorten(a.title, width - 3)}",
        f"   {a.path.name}",
        f"B: {shorten(b.title, width - 3)}",
        f"   {b.path.name}",
        f"{len(links)} linked passage{'s' if len(links) != 1 else ''}"
        f" ({counts[COPIED]} copied, {counts[RELATED]} related)",
        "",
        f"{'kind':<7}  {'score':>5}  {'passage of A':<{column}}  passage of B",
        f"{'-' * 7}  {'-' * 5}  {'-' * column}  {'-' * column}",
    ]
    for number, link in enumerate(links):
        left = textwrap.wrap(_one_line(a.text[link.a_span[0] : link.a_span[1]]), column) or [""]
        right = textwrap.wrap(_one_line(b.text[link.b_span[0] : link.b_span[1]]), column) or [""]
        if number:
            lines.append("")
        for row in range(max(len(left), len(right))):
            kind = f"{link.kind:<7}" if row == 0 else " " * 7
            score = f"{link.score:5.2f}" if row == 0 else " " * 5
            cell_a = left[row] if row < len(left) else ""
            cell_b = right[row] if row < len(right) else ""
            lines.append(f"{kind}  {score}  {cell_a:<{column}}  {cell_b}".rstrip())
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {value}")
    return number


def _fail(message: str) -> int:
    print(f"source-reader: {message}", file=sys.stderr)
    return 2


def _add_export_command(commands) -> None:
    """The export command; its logic lives in reader.core.export."""
    from reader.core.export import FORMATS

    export_parser = _add_command(commands, "export")
    export_parser.add_argument(
        "annotations", type=Path, help="annotation file, e.g. corpus/annotations.yaml"
    )
    export_parser.add_argument(
        "--format",
        choices=FORMATS,
        default="markdown",
        help="markdown (default), csv or jsonld (W3C Web Annotation)",
    )
    export_parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="write to this file instead of standard output",
    )
    export_parser.set_defaults(handler=_export_command)


def _export_command(args: argparse.Namespace) -> int:
    from reader.core.annotations import AnnotationError
    from reader.core.export import export_file, is_same_file

    if args.output is not None and is_same_file(args.output, args.annotations):
        return _fail(
            f"{args.output}: refusing to write the export over the annotation file "
            f"{args.annotations} (it is the same file; choose another output)"
        )
    try:
        text = export_file(args.annotations, args.format)
    except (AnnotationError, ArticleError) as error:
        return _fail(str(error))
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        return _fail(f"{args.output}: cannot write ({error.strerror or error})")
    return 0


def _run_gui(argv: list[str]) -> int:
    width = max(len(name) for name in _COMMANDS) + 2
    parser = argparse.ArgumentParser(
        prog="source-reader",
        usage="%(prog)s [-h] [--screenshot FILE] [paths ...]\n       %(prog)s COMMAND [options]",
        description="Open the desktop reader on a folder or files (default: the bundled seeds),\n"
        "or run one of the commands below.",
        epilog="commands:\n"
        + "".join(f"  {name:<{width}}{line}\n" for name, line in _COMMAND_HELP.items())
        + "\nsource-reader COMMAND --help shows a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", help="a corpus folder or article files")
    parser.add_argument(
        "--screenshot", metavar="FILE", help="render the window at 1400x900 to a PNG and exit"
    )
    args = parser.parse_args(argv)
    for path in args.paths:
        if not Path(path).exists():
            return _fail(f"{path}: no such file or folder")
    from reader.ui import app  # Qt is loaded only for the window

    if args.screenshot:
        return app.save_screenshot(args.screenshot, args.paths)
    return app.run_gui(args.paths)
