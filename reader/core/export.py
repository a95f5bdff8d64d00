"""Tagged notes out of Source Reader: Markdown for writing up, CSV, W3C JSON-LD.

Every function returns text; writing it somewhere is the caller's business
(the CLI's ``export`` command, the desktop reader's Export menu).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from reader.core.align import DEFAULT_THRESHOLD
from reader.core.annotation_model import ORPHANED, AnnotationError, Tag
from reader.core.annotations import AnnotationStore
from reader.core.articles import Article, ArticleError, Corpus, load_corpus
from reader.core.comparison import AlignmentStore
from reader.core.correction_model import Correction
from reader.core.corrections import MANUAL, MANUAL_NAME, apply_corrections
from reader.core.summary import summarized
from reader.core.text_utils import shorten

if TYPE_CHECKING:  # the aligner is only needed for Markdown
    from reader.core.align import Aligner, Link

FORMATS = ("markdown", "csv", "jsonld")
# The source columns come last so that readers of the older ten columns keep working.
CSV_COLUMNS = (
    "article",
    "label",
    "start",
    "end",
    "quote",
    "note",
    "annotator",
    "created",
    "modified",
    "status",
    "title",
    "outlet",
    "date",
    "author",
    "url",
)
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


@dataclass(frozen=True)
class Echo:
    """Where a tagged passage appears in another article of the corpus."""

    article: Article
    score: float
    span: tuple[int, int]  # [start, end) in ``article.text``
    kind: str = "copied"  # "copied": shares the wording; "related": restates it in other words;
    # "manual": the reader linked it by hand


class _Alignments:
    """One alignment per article pair at one threshold: taken from ``pairs`` (an
    ``AlignmentStore``) when it already holds it, else computed when first asked for."""

    def __init__(
        self,
        aligner: Aligner,
        threshold: float = DEFAULT_THRESHOLD,
        pairs: AlignmentStore | None = None,
        manual: Sequence[Correction] = (),
        rejected: Sequence[Correction] = (),
    ):
        self._aligner = aligner
        self._threshold = threshold
        self._pairs = pairs
        # The reader's corrections: links by hand added, rejected links left out.
        self._manual = tuple(manual)
        self._rejected = tuple(rejected)
        self._links: dict[tuple[str, str], list[Link]] = {}

    def links(self, a: Article, b: Article) -> list[Link]:
        key = (a.id, b.id)
        if key not in self._links:
            known = self._pairs.get(a, b, self._threshold) if self._pairs is not None else None
            if known is not None:
                self._links[key] = list(known)
            else:
                self._links[key] = self._aligner.align(a, b, threshold=self._threshold)
            self._links[key] = apply_corrections(
                self._links[key], self._manual, self._rejected, a, b
            )
        return self._links[key]


def echoes(tag: Tag, article: Article, corpus: Corpus, alignments: _Alignments) -> list[Echo]:
    """For each other article, the best-scoring linked passage that carries the tagged
    text itself (a sentence under the tag matched to one of that article, not only a
    neighbour of such a sentence); one with copied wording wins over one that only
    restates it."""
    found = []
    for other in corpus.articles:
        if other.id == article.id:
            continue
        best = None
        for link in alignments.links(article, other):
            if link.carries(article, tag.start, tag.end):
                rank = (_kind(link) != "related", link.score)
                if best is None or rank > (_kind(best) != "related", best.score):
                    best = link
        if best is not None:
            found.append(Echo(other, best.score, best.b_span, _kind(best)))
    return sorted(found, key=lambda echo: -echo.score)


def export_markdown(
    store: AnnotationStore,
    corpus: Corpus,
    aligner: Aligner | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    pairs: AlignmentStore | None = None,
) -> str:
    """Tags grouped by article, then label, each with quote, note, annotator, and
    the other articles that carry the same passage (title, score, and whether they
    copy its wording or restate it in other words) or do not.

    ``aligner`` should be built on ``corpus``; one is built if not given. Links are
    those at minimum similarity ``threshold`` (the window passes its slider's);
    ``pairs`` (an ``AlignmentStore``) lends the pairs already aligned.
    """
    tags = store.all_tags()
    lines = [f"# Tagged notes: {corpus.name}", ""]
    articles = {article.id: article for article in corpus.articles}
    lines.append(f"{len(tags)} tag{'s' if len(tags) != 1 else ''} from {store.path.name}.")
    lines.append("")
    alignments: _Alignments | None = None
    if (
        any(tag.status != ORPHANED and tag.article_id in articles for tag in tags)
        and len(articles) > 1
    ):
        if aligner is None:
            from reader.core.align import Aligner

            aligner = Aligner(corpus.articles)
        alignments = _Alignments(
            aligner, threshold, pairs, store.manual_links(), store.rejections()
        )

    for article_id in sorted({tag.article_id for tag in tags}, key=_corpus_order(corpus)):
        article = articles.get(article_id)
        heading = (
            f"{article.title} ({article.path.name})"
            if article
            else f"{article_id} (file not in the corpus)"
        )
        lines += [f"## {_inline(heading)}", ""]
        source = _source_line(article) if article else ""
        if source:
            lines += [source, ""]
        article_tags = [tag for tag in tags if tag.article_id == article_id]
        for label in _labels_in_order(store, article_tags):
            lines += [f"### {label}", ""]
            for tag in (t for t in article_tags if t.label == label):
                lines += _tag_markdown(tag, article, corpus, alignments)
    lines += _manual_links_markdown(store, articles)
    return "\n".join(lines).rstrip("\n") + "\n"


def _manual_links_markdown(store: AnnotationStore, articles: dict[str, Article]) -> list[str]:
    """Every passage pair the reader linked by hand, placed or not."""
    links = [c for c in store.corrections() if c.kind == "link"]
    if not links:
        return []
    lines = ["## Passages linked by you", ""]
    for link in links:
        for end in (link.a, link.b):
            article = articles.get(end.article_id)
            name = (
                _article_name(article)
                if article is not None
                else f"{end.article_id} (file not in the corpus)"
            )
            lines.append(f"- {name}: “{_inline(end.quote)}”")
        if link.orphaned:
            lines.append(
                "- Not placed: an article changed or is missing; these are the passages as linked."
            )
        if link.note:
            lines.append(f"- Note: {_inline(link.note)}")
        lines.append("")
    return lines


def _tag_markdown(
    tag: Tag, article: Article | None, corpus: Corpus, alignments: _Alignments | None
) -> list[str]:
    lines = [f"> {line}" if line.strip() else ">" for line in tag.quote.split("\n")]
    lines.append("")
    if tag.note:
        lines.append(f"- Note: {_inline(tag.note)}")
    if tag.annotator:
        lines.append(f"- Annotator: {_inline(tag.annotator)}")
    if tag.status == ORPHANED or article is None:
        lines.append(
            "- Not placed: the article changed or is missing; this is the quote as tagged."
        )
    elif alignments is not None:
        found = echoes(tag, article, corpus, alignments)
        if found:
            lines.append(
                "- Also in: "
                + "; ".join(
                    f"{_article_name(echo.article)}, score {echo.score:.2f}, {_how(echo)}"
                    for echo in found
                )
            )
        carried = {echo.article.id for echo in found}
        missing = [
            other for other in corpus.articles if other.id != article.id and other.id not in carried
        ]
        if missing:
            lines.append("- Not in: " + "; ".join(_article_name(other) for other in missing))
    else:
        lines.append("- Also in: no other article in the corpus")
    lines.append("")
    return lines


def _source_line(article: Article) -> str:
    """ "*Harbour Times*, 2025-03-14, by Mara Quinlan, <https://…>": where the article comes from, or ""."""
    parts = []
    if article.outlet:
        parts.append(f"*{_inline(article.outlet)}*")
    if article.date:
        parts.append(article.date)
    if article.author:
        parts.append(f"by {_inline(article.author)}")
    if article.url:
        parts.append(f"<{article.url}>")
    return ", ".join(parts)


def _kind(link: Link) -> str:
    return getattr(link, "kind", "copied")


def _how(echo: Echo) -> str:
    """Whether the other outlet copies the passage or tells the same fact in its own words."""
    if echo.kind == MANUAL:
        return MANUAL_NAME
    return "restated in other words" if echo.kind == "related" else "copied wording"


def _labels_in_order(store: AnnotationStore, tags: Sequence[Tag]) -> list[str]:
    used = {tag.label for tag in tags}
    ordered = [label.name for label in store.labels if label.name in used]
    return ordered + sorted(used - set(ordered))


def _corpus_order(corpus: Corpus) -> Callable[[str], tuple[int, str]]:
    order = {article.id: i for i, article in enumerate(corpus.articles)}
    return lambda article_id: (order.get(article_id, len(order)), article_id)


def _article_name(article: Article, limit: int = 70) -> str:
    title = shorten(_inline(article.title), limit)
    return f"{title} ({article.path.name})"


def _inline(text: str) -> str:
    return " ".join(text.split())


def export_csv(store: AnnotationStore) -> str:
    """A header row and one row per tag (orphaned ones included, see ``status``), with
    the title, outlet, date, author and address of the tag's article (empty when unknown)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for tag in store.all_tags():
        try:
            article: Article | None = store.corpus.article(tag.article_id)
        except KeyError:
            article = None
        source = (
            (article.title, article.outlet, article.date, article.author, article.url)
            if article
            else ("", "", "", "", "")
        )
        writer.writerow(
            (
                tag.article_id,
                tag.label,
                tag.start,
                tag.end,
                tag.quote,
                tag.note,
                tag.annotator,
                tag.created,
                tag.modified,
                tag.status,
                *source,
            )
        )
    return out.getvalue()


def export_jsonld(store: AnnotationStore, corpus: Corpus) -> str:
    """A W3C Web Annotation collection: one annotation per tag.

    Each target has a TextQuoteSelector (exact, prefix, suffix) and, for tags
    placed in the current text, a TextPositionSelector; the label is a
    ``tagging`` body and the note a ``commenting`` body. The target's
    ``source`` is the article file; where the article comes from (title,
    outlet, date, author, address) rides along as its schema.org metadata.
    """
    collection = store.path.resolve().as_uri()
    items = [
        _annotation(tag, collection, _source(store, corpus, tag.article_id))
        for tag in store.all_tags()
    ]
    for item, tag in zip(items, store.all_tags(), strict=True):
        try:
            about = _source_metadata(corpus.article(tag.article_id))
        except KeyError:
            continue
        if about:
            # schema.org names are declared where they are used: the collection's
            # context stays the plain Web Annotation one.
            item["target"]["source"] = {
                "@context": {"schema": "https://schema.org/"},
                "id": item["target"]["source"],
                **about,
            }
    document = {
        "@context": ANNO_CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": f"Source Reader annotations: {corpus.name}",
        "total": len(items),
        "first": {
            "id": f"{collection}#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _source(store: AnnotationStore, corpus: Corpus, article_id: str) -> str:
    try:
        return corpus.article(article_id).path.resolve().as_uri()
    except KeyError:
        return store.article_file(article_id).resolve().as_uri()


def _source_metadata(article: Article) -> dict[str, Any]:
    """What the Web Annotation model allows on a SpecificResource's source: a type and
    properties; the schema.org names say what each is."""
    about: dict[str, Any] = {"type": "Text", "format": "text/plain"}
    if article.title:
        about["schema:headline"] = article.title
    if article.outlet:
        about["schema:publisher"] = {"type": "schema:Organization", "schema:name": article.outlet}
    if article.date:
        about["schema:datePublished"] = article.date
    if article.author:
        about["schema:author"] = article.author
    if article.url:
        about["schema:url"] = article.url
    return about if len(about) > 2 else {}


def _annotation(tag: Tag, collection: str, source: str) -> dict[str, Any]:
    body = [{"type": "TextualBody", "purpose": "tagging", "value": tag.label}]
    if tag.note:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": tag.note,
                "format": "text/plain",
            }
        )
    selectors: list[dict[str, Any]] = [
        {
            "type": "TextQuoteSelector",
            "exact": tag.quote,
            "prefix": tag.prefix,
            "suffix": tag.suffix,
        }
    ]
    if tag.status != ORPHANED:
        # An orphan's offsets belong to an older text; only its quote is reliable.
        selectors.append({"type": "TextPositionSelector", "start": tag.start, "end": tag.end})
    annotation: dict[str, Any] = {
        "id": f"{collection}#tag-{tag.id}",
        "type": "Annotation",
        "motivation": "tagging",
        "body": body,
        "target": {"source": source, "selector": selectors},
    }
    if tag.annotator:
        annotation["creator"] = {"type": "Person", "name": tag.annotator}
    if tag.created:
        annotation["created"] = tag.created
    if tag.modified:
        annotation["modified"] = tag.modified
    return annotation


def is_same_file(output: Path | str, annotations: Path | str) -> bool:
    """True when writing ``output`` would overwrite ``annotations``.

    Any name of the file counts: the same path spelt differently, a symbolic
    link to it, a hard link of it (same device and inode).
    """
    try:
        return os.path.samefile(output, annotations)
    except OSError:  # either is missing: nothing to overwrite
        return False


def export_file(path: Path | str, fmt: str, warnings: TextIO | None = None) -> str:
    """Export the annotation file at ``path``; its folder is the corpus.

    Raises AnnotationError (or ArticleError for a missing folder) naming the
    file and problem. Items that could not be read, orphaned tags and missing
    articles are written to ``warnings`` (stderr by default), one per line,
    the first ten of them and then how many more;
    the readable tags are exported. Never writes to the annotation file.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    path = Path(path)
    if not path.exists():
        raise AnnotationError(path, "no such file")
    corpus = load_corpus(path.parent)
    store = AnnotationStore.open(path, corpus)
    stream = sys.stderr if warnings is None else warnings
    for line in summarized(store.problems):
        print(f"warning: {line}", file=stream)
    if fmt == "markdown":
        return export_markdown(store, corpus)
    if fmt == "csv":
        return export_csv(store)
    return export_jsonld(store, corpus)


__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "ArticleError",
    "Echo",
    "echoes",
    "export_csv",
    "export_file",
    "export_jsonld",
    "export_markdown",
    "is_same_file",
]
