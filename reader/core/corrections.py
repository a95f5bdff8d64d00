"""The reader's corrections applied: links made by hand shown, rejected links hidden.

``place_corrections`` puts each end of a saved correction back into the
current text of its article with the same re-anchoring tags get
(``anchoring.anchor_tag``), so a link survives an edit of the article.
``apply_corrections`` is what every view of a pair's links goes through
(panes, link map, navigation, counts, "Also in", export).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from reader.core.align import Link
from reader.core.anchoring import LOST, anchor_tag
from reader.core.annotation_model import ANCHORED, ORPHANED, AnnotationProblem, Tag, context_of
from reader.core.articles import Article, Corpus
from reader.core.correction_model import LINK, REJECT, Correction, LinkEnd
from reader.core.text_utils import shorten_line

# The kind of a link the reader made by hand, next to align.COPIED and align.RELATED.
MANUAL = "manual"
MANUAL_NAME = "linked by you"


def make_end(article: Article, start: int, end: int) -> LinkEnd:
    """An end on ``[start, end)`` of ``article``, with its context and the article's hash.

    Raises ValueError when the span is empty or outside the text.
    """
    text = article.text
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}..{end} is outside article {article.id!r}")
    prefix, suffix = context_of(text, start, end)
    return LinkEnd(article.id, start, end, text[start:end], prefix, suffix, article.sha256)


def place_end(end: LinkEnd, article: Article | None) -> tuple[LinkEnd, str]:
    """``end`` placed in the article's current text, and how (an ``anchoring`` word).

    Promise: an anchored result has ``quote == article.text[start:end]`` and
    the article's current hash; one that cannot be placed comes back
    unchanged but ``"orphaned"``.
    """
    if article is None:
        return replace(end, status=ORPHANED), LOST
    as_tag = Tag(
        article_id=end.article_id,
        label="",
        start=end.start,
        end=end.end,
        quote=end.quote,
        prefix=end.prefix,
        suffix=end.suffix,
    )
    placement = anchor_tag(as_tag, article.text, same_article=end.sha256 == article.sha256)
    if placement.tag.status != ANCHORED:
        return replace(end, status=ORPHANED), LOST
    placed = placement.tag
    return LinkEnd(
        end.article_id,
        placed.start,
        placed.end,
        placed.quote,
        placed.prefix,
        placed.suffix,
        article.sha256,
    ), placement.how


def place_corrections(
    corrections: Iterable[Correction], corpus: Corpus, path: Path
) -> tuple[dict[str, Correction], tuple[AnnotationProblem, ...]]:
    """Every correction by id with both ends placed; one whose end is lost is kept orphaned and listed."""
    placed: dict[str, Correction] = {}
    problems: list[AnnotationProblem] = []
    for correction in corrections:
        ends = []
        for end in (correction.a, correction.b):
            try:
                article: Article | None = corpus.article(end.article_id)
            except KeyError:
                article = None
            new_end, how = place_end(end, article)
            ends.append(new_end)
            if how == LOST:
                why = (
                    f"article {end.article_id!r} is not in the corpus"
                    if article is None
                    else f"the article changed and “{shorten_line(end.quote, 60)}” was not found in it"
                )
                problems.append(
                    AnnotationProblem(
                        path,
                        f"{why}; the {correction.label} is kept but not {_applied(correction)}",
                        item=f"{_noun(correction)} {correction.id}",
                        kind="orphaned",
                    )
                )
        placed[correction.id] = replace(correction, a=ends[0], b=ends[1])
    return placed, tuple(problems)


def apply_corrections(
    links: Sequence[Link],
    manual: Iterable[Correction],
    rejected: Iterable[Correction],
    a: Article,
    b: Article,
) -> list[Link]:
    """The links of articles ``a`` and ``b`` as the reader corrected them, sorted by A.

    A computed link is dropped when a placed rejection between the two
    articles overlaps both its ends (whichever way round the rejection was
    made). Each placed manual link between them is added with kind
    ``"manual"`` and score 1, and stands in for a computed link lying
    wholly inside both its ends (the reader confirmed it: one band, not
    two). Orphaned corrections change nothing.
    """
    rejections = [ends for ends in (_ends(r, a, b, REJECT) for r in rejected) if ends is not None]
    made = [ends for ends in (_ends(m, a, b, LINK) for m in manual) if ends is not None]
    kept = [
        link
        for link in links
        if not any(
            _overlaps(link.a_span, ra.span) and _overlaps(link.b_span, rb.span)
            for ra, rb in rejections
        )
        and not any(
            _inside(link.a_span, ma.span) and _inside(link.b_span, mb.span) for ma, mb in made
        )
    ]
    kept += [manual_link(a, b, *ends) for ends in made]
    return sorted(kept, key=lambda link: (link.a_span, link.b_span))


def manual_link(a: Article, b: Article, end_a: LinkEnd, end_b: LinkEnd) -> Link:
    """The Link a view draws for a manual link's ends in ``a`` and ``b``."""
    return Link(
        _sentence_range(a, end_a.span),
        _sentence_range(b, end_b.span),
        end_a.span,
        end_b.span,
        score=1.0,
        matches=(),
        kind=MANUAL,
    )


def rejection_for(link: Link, a: Article, b: Article) -> tuple[LinkEnd, LinkEnd]:
    """The two ends a rejection of ``link`` (between ``a`` and ``b``) records."""
    return make_end(a, *link.a_span), make_end(b, *link.b_span)


def matching_manual(
    link: Link, manual: Iterable[Correction], a: Article, b: Article
) -> Correction | None:
    """The manual link drawn as ``link`` (a ``"manual"`` link of ``a`` and ``b``), if any."""
    if link.kind != MANUAL:
        return None
    for correction in manual:
        ends = _ends(correction, a, b, LINK)
        if ends is not None and (ends[0].span, ends[1].span) == (link.a_span, link.b_span):
            return correction
    return None


def _ends(
    correction: Correction, a: Article, b: Article, kind: str
) -> tuple[LinkEnd, LinkEnd] | None:
    if correction.kind != kind or correction.orphaned or a.id == b.id:
        return None
    return correction.ends_in(a.id, b.id)


def _overlaps(x: tuple[int, int], y: tuple[int, int]) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def _inside(x: tuple[int, int], y: tuple[int, int]) -> bool:
    return y[0] <= x[0] and x[1] <= y[1]


def _sentence_range(article: Article, span: tuple[int, int]) -> tuple[int, int]:
    touched = [s.index for s in article.sentences if s.start < span[1] and span[0] < s.end]
    if not touched:
        return (0, 0)
    return (touched[0], touched[-1] + 1)


def _noun(correction: Correction) -> str:
    return "link" if correction.kind == LINK else "rejected link"


def _applied(correction: Correction) -> str:
    return "shown" if correction.kind == LINK else "applied"
