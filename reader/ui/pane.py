"""One article pane of the comparison: a header (article chooser by title, outlet and
date, word count), the
read-only text with linked passages highlighted, and an overview strip.

The pane knows nothing of the other article. It draws what it is given
(passages of links, tag marks, an outlined span, a selected sentence) and maps
between character offsets and pixel positions for the link map and for
synchronized scrolling. Offsets are code points into ``Article.text``;
QTextDocument counts UTF-16 units, so the two are converted at this edge.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import cast

from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from reader.core.align import COPIED, RELATED
from reader.core.articles import Article
from reader.core.corrections import MANUAL
from reader.ui import highlight
from reader.ui.article_choices import ArticleChoiceModel, choose, use_choice_model
from reader.ui.drop_down import DropDown
from reader.ui.marks import TagMark
from reader.ui.overview import OverviewStrip

BASE_POINT_SIZE = 11
LINE_HEIGHT_PERCENT = 140
DOCUMENT_MARGIN = 14
GUTTER = 14  # extra left margin where tag marks are painted


@dataclass(frozen=True)
class Passage:
    """One end of a link as this pane draws it: ``[start, end)`` and the identical
    wording inside it as ``(start, length)`` pairs, all in code points; ``kind`` is
    the link's kind (copied wording or a related passage)."""

    start: int
    end: int
    score: float
    matches: tuple[tuple[int, int], ...] = ()
    kind: str = COPIED


def source_text(article: Article | None) -> str:
    """ "Harbour Times · 2025-03-14" above a pane: outlet and date, whichever are known."""
    if article is None:
        return ""
    return " · ".join(part for part in (article.outlet, article.date) if part)


def source_tooltip(article: Article | None) -> str:
    if article is None:
        return ""
    lines = [
        article.title,
        f"Outlet: {article.outlet or 'unknown'}",
        f"Date: {article.date or 'unknown'}",
    ]
    if article.author:
        lines.append(f"By {article.author}")
    if article.url:
        lines.append(article.url)
    return "\n".join(lines)


def kind_summary(passage: Passage) -> str:
    """What kind of link this is and how close, e.g. "Copied wording · similarity 0.84 ·
    84 % identical wording" or "Same fact in other words · similarity 0.52"."""
    if passage.kind == RELATED:
        return f"Same fact in other words · similarity {passage.score:.2f}"
    if passage.kind == MANUAL:
        return "Linked by you"
    length = max(1, passage.end - passage.start)
    copied = sum(n for _start, n in passage.matches)
    return (
        f"Copied wording · similarity {passage.score:.2f} · "
        f"{min(100, round(100 * copied / length))} % identical wording"
    )


def passage_summary(passage: Passage) -> str:
    """One line a reader understands: which kind of link, how similar, and how much
    is word for word."""
    return "Also in the other article · " + kind_summary(passage)


class _Offsets:
    """Code point <-> UTF-16 position. Identity unless the text has astral characters."""

    def __init__(self, text: str) -> None:
        self._utf16: list[int] | None = None
        if text and max(text) > "\uffff":
            self._utf16 = [0, *accumulate(2 if ord(ch) > 0xFFFF else 1 for ch in text)]

    def to_pos(self, offset: int) -> int:
        if self._utf16 is None:
            return offset
        return self._utf16[max(0, min(offset, len(self._utf16) - 1))]

    def to_offset(self, pos: int) -> int:
        if self._utf16 is None:
            return pos
        return max(0, bisect_right(self._utf16, pos) - 1)


class ArticleText(QTextEdit):
    """The read-only text of one article, with margin marks and outlines painted over it."""

    clicked = Signal(int)  # code-point offset under a plain click (no drag selection)
    contextRequested = Signal(int, QPoint)  # offset, global position
    focusReceived = Signal()
    sentenceStepRequested = Signal(int)  # Up = -1, Down = +1
    widthChanged = Signal()

    def __init__(self, pane: ArticlePane) -> None:
        super().__init__(pane)
        self._pane = pane
        self._press: QPoint | None = None
        self.setReadOnly(True)
        # Mouse selection, Ctrl+C and Ctrl+A work; no keyboard caret, whose blinking would
        # suggest the article can be edited (Up/Down move the sentence selection instead).
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.document().setUndoRedoEnabled(False)

    # --- events -----------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        # A drag that selected text is the reader copying a quote, not choosing a sentence.
        moved = (event.position().toPoint() - press).manhattanLength() > 4
        if moved and self.textCursor().hasSelection():
            return
        self.clicked.emit(self._pane.offset_at(event.position().toPoint()))

    def contextMenuEvent(self, event) -> None:
        self.contextRequested.emit(self._pane.offset_at(event.pos()), event.globalPos())

    def keyPressEvent(self, event) -> None:
        if event.modifiers() == Qt.KeyboardModifier.NoModifier and event.key() in (
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
        ):
            self.sentenceStepRequested.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.focusReceived.emit()

    def resizeEvent(self, event) -> None:
        rewrapped = event.oldSize().width() != event.size().width()
        # New line breaks move every line: what was at the top must stay there.
        place = self._pane.reading_position() if rewrapped else None
        super().resizeEvent(event)
        if rewrapped:
            self.widthChanged.emit()
            self._pane.keep_reading_position(place)

    def viewportEvent(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            text = self._pane.tooltip_at(self._pane.offset_at(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._pane.paint_overlay(painter, event.rect())
        painter.end()


class ArticlePane(QWidget):
    """Header, text and overview strip of one side of the comparison."""

    articleChosen = Signal(str)
    offsetClicked = Signal(int)
    contextRequested = Signal(int, QPoint)
    focusReceived = Signal()
    sentenceStepRequested = Signal(int)
    scrolled = Signal()
    geometryChanged = Signal()  # line breaks moved: cached positions are stale

    def __init__(self, side: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self._article: Article | None = None
        self._offsets = _Offsets("")
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._passages: list[Passage] = []
        self._passage_starts: list[int] = []
        self._passage_reach: list[int] = []
        self._marks: list[TagMark] = []
        self._outline: tuple[int, int] | None = None
        self._selected_sentence = -1
        self._formatted = False  # whether any char format was applied since the text was set
        self._zoom = 0
        self._keeping_place = False  # keep_reading_position is scrolling
        self._block_cache: dict[int, tuple[float, tuple[float, ...], float]] = {}
        self._format_cache: dict[tuple[str, int, str], QTextCharFormat] = {}

        self.chooser = DropDown(self)
        self.chooser.setAccessibleName(f"Article in the {side} pane")
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.chooser.setMinimumContentsLength(8)  # two panes fit beside the docks at 800 px
        self.chooser.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.chooser.activated.connect(self._on_chosen)
        self._choices = ArticleChoiceModel(parent=self)
        use_choice_model(self.chooser, self._choices)
        # Which outlet said it, and when: the first thing a reader comparing sources asks.
        self.source_label = QLabel(self)
        self.source_label.setObjectName("ArticleSource")
        self.source_label.setAccessibleName(f"Outlet and date of the {side} article")
        self.source_label.setTextFormat(Qt.TextFormat.PlainText)
        self.source_label.setMinimumWidth(1)  # clipped (tooltip has it) before the pane widens
        self.word_count_label = QLabel(self)
        self.word_count_label.setAccessibleName(f"Word count of the {side} article")
        self.word_count_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.word_count_label.setMinimumWidth(1)

        self.text = ArticleText(self)
        self.text.setAccessibleName(f"Text of the {side} article")
        self.setFocusProxy(self.text)  # focusing the pane means reading its text
        self.overview = OverviewStrip(self)
        self.overview.setAccessibleName(f"Overview of the {side} article")
        self.overview.jumpRequested.connect(self.center_on_fraction)

        header = QHBoxLayout()
        header.setContentsMargins(4, 2, 4, 2)
        header.addWidget(self.chooser, 1)
        header.addWidget(self.source_label)
        header.addSpacing(8)
        header.addWidget(self.word_count_label)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        # The strips sit on the outer edges so the link map touches both texts.
        if side == "left":
            body.addWidget(self.overview)
            body.addWidget(self.text, 1)
        else:
            body.addWidget(self.text, 1)
            body.addWidget(self.overview)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addLayout(header)
        outer.addLayout(body, 1)

        self.text.clicked.connect(self.offsetClicked)
        self.text.contextRequested.connect(self.contextRequested)
        self.text.focusReceived.connect(self.focusReceived)
        self.text.sentenceStepRequested.connect(self.sentenceStepRequested)
        self.text.widthChanged.connect(self._layout_changed)
        self.text.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.text.verticalScrollBar().rangeChanged.connect(lambda *_: self.overview.update())
        self._apply_font()
        # An empty document of the pane's own kind now: PySide makes the Python enums it
        # uses on first touch (~0.1 s), which otherwise lands in the event-loop turn that
        # opens a thousand-article corpus and draws its first pair.
        self.text.setDocument(self._new_document(""))

    # --- article and header -------------------------------------------------------------
    def set_choices(self, choices: Sequence[tuple[str, str]]) -> None:
        """Fill the header chooser with (article id, title) pairs; keeps the current article.

        One model reset, whatever the number of articles (see ``article_choices``)."""
        blocked = self.chooser.blockSignals(True)
        self._choices.set_choices(choices)
        self.chooser.blockSignals(blocked)
        self._sync_chooser()

    def _sync_chooser(self) -> None:
        choose(self.chooser, self._choices, self._article.id if self._article else None)

    def _on_chosen(self, index: int) -> None:
        article_id = self.chooser.itemData(index)
        if article_id is not None:
            self.articleChosen.emit(str(article_id))

    def article(self) -> Article | None:
        return self._article

    def set_article(self, article: Article | None) -> None:
        """Show ``article`` (or nothing); drops passages, marks and selections."""
        if article is self._article:
            return
        self._article = article
        text = article.text if article else ""
        self._offsets = _Offsets(text)
        sentences = article.sentences if article else ()
        self._starts = [s.start for s in sentences]
        self._ends = [s.end for s in sentences]
        self._passages, self._marks = [], []
        self._passage_starts, self._passage_reach = [], []
        self._outline, self._selected_sentence = None, -1
        self._formatted = False
        self.text.setDocument(self._new_document(text))
        self.word_count_label.setText(f"{article.word_count:,} words" if article else "")
        self.source_label.setText(source_text(article))
        self.source_label.setToolTip(source_tooltip(article))
        self._sync_chooser()
        self._layout_changed()

    def _new_document(self, text: str) -> QTextDocument:
        """A document holding ``text`` with the pane's line height and margins.

        Built before it is shown: formatting a document the view has already laid
        out would lay out the whole article twice (a second or more at 16,000
        sentences)."""
        document = QTextDocument(self.text)
        document.setUndoRedoEnabled(False)
        document.setDefaultFont(self.text.font())
        document.setDocumentMargin(DOCUMENT_MARGIN)
        root = document.rootFrame()
        frame_format = root.frameFormat()
        frame_format.setLeftMargin(DOCUMENT_MARGIN + GUTTER)
        root.setFrameFormat(frame_format)
        block_format = QTextBlockFormat()
        block_format.setLineHeight(
            LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        )
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        cursor.setBlockFormat(block_format)
        cursor.insertText(text)  # new blocks inherit the line height
        cursor.endEditBlock()
        old = self.text.document()
        if old.parent() is self.text:
            old.deleteLater()
        return document

    # --- what is drawn --------------------------------------------------------------------
    def set_passages(self, passages: Sequence[Passage]) -> None:
        """Highlight linked passages (background by score, identical wording stronger)."""
        passages = sorted(passages, key=lambda p: (p.start, p.end))
        if not passages and not self._passages and not self._formatted:
            return  # a fresh document has nothing to clear
        self._passages = passages
        # Starts and the running furthest end: the passage under an offset is a bisection.
        self._passage_starts = [p.start for p in passages]
        self._passage_reach = list(accumulate((p.end for p in passages), max))
        self._apply_formats()

    def passages(self) -> list[Passage]:
        return list(self._passages)

    def set_tag_marks(self, marks: Sequence[TagMark]) -> None:
        """Underline tagged spans in their label color and mark them in the margin."""
        old = self._marks
        self._marks = sorted(marks, key=lambda m: (m.start, m.end))
        cursor = QTextCursor(self.text.document())
        cursor.beginEditBlock()
        clear = highlight.no_tag_format()
        dotted = highlight.related_underline_format(self.palette())
        related = [p for p in self._passages if p.kind == RELATED]
        for mark in old:
            self._merge(cursor, mark.start, mark.end, clear)
            # The removed tag's underline had replaced a related passage's dotted one.
            for passage in related:
                if passage.start < mark.end and mark.start < passage.end:
                    self._merge(
                        cursor, max(passage.start, mark.start), min(passage.end, mark.end), dotted
                    )
        self._merge_tags(cursor)
        cursor.endEditBlock()
        self._formatted = self._formatted or bool(self._marks)
        self.overview.invalidate()
        self.text.viewport().update()

    def tag_marks(self) -> list[TagMark]:
        return list(self._marks)

    def set_outline(self, span: tuple[int, int] | None) -> None:
        """Frame ``[start, end)`` (an end of the selected link), or nothing."""
        self._outline = span
        self.text.viewport().update()

    def outline(self) -> tuple[int, int] | None:
        return self._outline

    def selected_span(self) -> tuple[int, int] | None:
        """The text the reader selected with the mouse, ``[start, end)`` in code points, or None."""
        cursor = self.text.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._offsets.to_offset(cursor.selectionStart())
        end = self._offsets.to_offset(cursor.selectionEnd())
        return (start, end) if start < end else None

    def select_text(self, start: int, end: int) -> None:
        """Select ``[start, end)`` (code points) as a mouse drag would."""
        cursor = self.text.textCursor()
        cursor.setPosition(self._offsets.to_pos(start))
        cursor.setPosition(self._offsets.to_pos(end), QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)

    def set_selected_sentence(self, index: int) -> None:
        self._selected_sentence = index
        self.text.viewport().update()

    def selected_sentence(self) -> int:
        return self._selected_sentence

    def _apply_formats(self) -> None:
        # One edit block: the document relayouts once, not once per passage.
        document = self.text.document()
        cursor = QTextCursor(document)
        cursor.beginEditBlock()  # first: inside an edit block cursor moves lay nothing out
        if self._formatted:
            cursor.setPosition(document.characterCount() - 1, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(QTextCharFormat())
        self._formatted = bool(self._passages or self._marks)
        palette = self.palette()
        for passage in self._passages:
            self._merge(
                cursor,
                passage.start,
                passage.end,
                self._format("p", passage.score, palette, passage.kind),
            )
        for passage in self._passages:
            fmt = self._format("m", passage.score, palette, passage.kind)
            for start, length in passage.matches:
                self._merge(cursor, start, start + length, fmt)
        self._merge_tags(cursor)
        cursor.endEditBlock()
        self.overview.invalidate()
        self.text.viewport().update()

    def _format(
        self, part: str, score: float, palette: QPalette, kind: str = COPIED
    ) -> QTextCharFormat:
        # Scores are bucketed so thousands of links share a few dozen formats.
        key = (part, round(score * 40), kind)
        fmt = self._format_cache.get(key)
        if fmt is None:
            bucket = key[1] / 40
            fmt = (highlight.passage_format if part == "p" else highlight.match_format)(
                palette, bucket, kind
            )
            self._format_cache[key] = fmt
        return fmt

    def _merge_tags(self, cursor: QTextCursor) -> None:
        palette = self.palette()
        for mark in self._marks:
            self._merge(
                cursor,
                mark.start,
                mark.end,
                highlight.tag_format(highlight.tag_color(mark.color, palette)),
            )

    def _merge(self, cursor: QTextCursor, start: int, end: int, fmt: QTextCharFormat) -> None:
        # Spans come from another article's alignment in a race with article changes;
        # one out of range must not reach Qt, which would warn and ignore it anyway.
        last = self.text.document().characterCount() - 1
        cursor.setPosition(min(self._offsets.to_pos(start), last))
        cursor.setPosition(min(self._offsets.to_pos(end), last), QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._format_cache.clear()
            self._apply_formats()

    # --- zoom -------------------------------------------------------------------------------
    def set_zoom(self, steps: int) -> None:
        place = self.reading_position()
        self._zoom = steps
        self._apply_font()
        self._layout_changed()
        self.keep_reading_position(place)

    def _apply_font(self) -> None:
        font = QFont("Serif")
        font.setStyleHint(QFont.StyleHint.Serif)
        font.setPointSizeF(max(5.0, BASE_POINT_SIZE + self._zoom))
        self.text.setFont(font)

    def point_size(self) -> float:
        return self.text.font().pointSizeF()

    # --- sentences and offsets ------------------------------------------------------------------
    def sentence_count(self) -> int:
        return len(self._starts)

    def sentence_span(self, index: int) -> tuple[int, int]:
        return self._starts[index], self._ends[index]

    def sentence_index_at(self, offset: int) -> int:
        """The sentence at ``offset``, or the one ending just before it on the same line;
        -1 on a blank line or before the first sentence."""
        index = bisect_right(self._starts, offset) - 1
        if index < 0 or self._article is None:
            return -1
        if (
            offset <= self._ends[index]
            or "\n" not in self._article.text[self._ends[index] : offset]
        ):
            return index
        return -1

    def offset_at(self, viewport_point: QPoint) -> int:
        """Code-point offset of the character position nearest a viewport point."""
        return self._offsets.to_offset(self.text.cursorForPosition(viewport_point).position())

    def tooltip_at(self, offset: int) -> str:
        """ "label — note" of the tag under ``offset``; else, on a linked passage, how
        close the other article's version is; else ""."""
        for mark in self._marks:
            if mark.start <= offset < mark.end:
                return mark.tooltip
        first = bisect_right(self._passage_reach, offset)
        for position in range(first, bisect_right(self._passage_starts, offset)):
            if offset < self._passages[position].end:
                return passage_summary(self._passages[position])
        return ""

    def visible_offsets(self) -> tuple[int, int]:
        """First and last code-point offsets currently on screen."""
        viewport = self.text.viewport()
        top = self.offset_at(QPoint(0, 0))
        bottom = self.offset_at(QPoint(viewport.width() - 1, viewport.height() - 1))
        return top, bottom

    # --- geometry -------------------------------------------------------------------------------------
    def _layout_changed(self) -> None:
        self._block_cache.clear()
        self.overview.invalidate()
        self.geometryChanged.emit()

    def _block_geometry(self, block) -> tuple[float, tuple[float, ...], float]:
        """(top, line tops relative to the block, height) of a block, cached per block."""
        number = block.blockNumber()
        cached = self._block_cache.get(number)
        if cached is None:
            rect = self.text.document().documentLayout().blockBoundingRect(block)
            layout = block.layout()
            lines = tuple(layout.lineAt(i).y() for i in range(layout.lineCount()))
            cached = (rect.top(), lines or (0.0,), rect.height())
            self._block_cache[number] = cached
        return cached

    def _y_of(self, pos: int, bottom: bool) -> float:
        block = self.text.document().findBlock(pos)
        if not block.isValid():
            return self.document_height()
        top, lines, height = self._block_geometry(block)
        layout = block.layout()
        line = layout.lineForTextPosition(pos - block.position()) if layout.lineCount() else None
        index = line.lineNumber() if line is not None and line.isValid() else 0
        if not bottom:
            return top + lines[index]
        return top + (lines[index + 1] if index + 1 < len(lines) else height)

    def span_doc_y(self, start: int, end: int) -> tuple[float, float]:
        """Top of the line holding ``start`` and bottom of the line holding ``end - 1``,
        in document pixels."""
        first = self._offsets.to_pos(start)
        last = self._offsets.to_pos(max(start, end - 1))
        return self._y_of(first, False), self._y_of(last, True)

    def span_view_y(self, start: int, end: int) -> tuple[float, float]:
        """Like span_doc_y, in viewport pixels (negative or beyond the height when off screen)."""
        top, bottom = self.span_doc_y(start, end)
        scroll = self.scroll_value()
        return top - scroll, bottom - scroll

    def document_height(self) -> float:
        """Height of the whole laid-out article in pixels (lays it out if needed)."""
        document = self.text.document()
        self._block_geometry(document.lastBlock())  # forces layout to the end
        height = document.documentLayout().documentSize().height()
        # QTextEdit adjusts its scroll range on a timer after layout; positions computed
        # now must be reachable now, so the range is brought up to date here.
        bar = self.text.verticalScrollBar()
        maximum = max(0, int(height) - self.viewport_height())
        if bar.maximum() != maximum and self.text.isVisible():
            bar.setRange(0, maximum)
        return height

    def scroll_value(self) -> int:
        return self.text.verticalScrollBar().value()

    def set_scroll_value(self, value: float) -> None:
        bar = self.text.verticalScrollBar()
        bar.setValue(round(max(bar.minimum(), min(bar.maximum(), value))))

    def viewport_height(self) -> int:
        return self.text.viewport().height()

    def visible_doc_range(self) -> tuple[float, float]:
        value = self.scroll_value()
        return float(value), float(value + self.viewport_height())

    def is_span_visible(self, start: int, end: int) -> bool:
        """True when the span's first line and last line are both on screen."""
        top, bottom = self.span_view_y(start, end)
        return top >= -1 and bottom <= self.viewport_height() + 1

    def ensure_span_visible(self, start: int, end: int) -> None:
        """Scroll as little as needed: nothing if the span is on screen, else center it
        (or show its beginning when it is taller than the view)."""
        top, bottom = self.span_doc_y(start, end)
        value, height, margin = self.scroll_value(), self.viewport_height(), 12
        if top >= value and bottom <= value + height:
            return
        if bottom - top + 2 * margin < height:
            self.set_scroll_value((top + bottom) / 2 - height / 2)
        else:
            self.set_scroll_value(top - margin)

    def center_on_fraction(self, fraction: float) -> None:
        """Scroll so the point ``fraction`` of the article's height is in the middle."""
        self.set_scroll_value(fraction * self.document_height() - self.viewport_height() / 2)

    def reading_position(self) -> tuple[int, float] | None:
        """Where the reader is: the document position of the text at the top of the
        view and how far (0..1) down its line the top edge is; None at the very top."""
        if self._article is None or self.scroll_value() <= 0:
            return None
        pos = self.text.cursorForPosition(QPoint(0, 0)).position()
        top, bottom = self._y_of(pos, False), self._y_of(pos, True)
        into = (self.scroll_value() - top) / (bottom - top) if bottom > top else 0.0
        return pos, min(max(into, 0.0), 1.0)

    def keep_reading_position(self, place: tuple[int, float] | None) -> None:
        """After the lines moved (new width or text size), scroll so the text that was at
        the top (``reading_position()`` taken before) is at the top again. The other pane
        keeps its own place, so this is not passed on to the synchronized scrolling."""
        if place is None or self._article is None:
            return
        self._block_cache.clear()
        pos, into = place
        top, bottom = self._y_of(pos, False), self._y_of(pos, True)
        self.document_height()  # the scroll range must reach the new place now
        self._keeping_place = True
        try:
            self.set_scroll_value(top + into * (bottom - top))
        finally:
            self._keeping_place = False

    def _on_scrolled(self, _value: int) -> None:
        self.overview.update()
        if not self._keeping_place:
            self.scrolled.emit()

    # --- painting ---------------------------------------------------------------------------------------
    def _line_rects(self, start: int, end: int) -> list[QRectF]:
        """Rectangles of ``[start, end)`` line by line, in viewport pixels."""
        document = self.text.document()
        first, last = self._offsets.to_pos(start), self._offsets.to_pos(end)
        scroll = self.scroll_value()
        rects: list[QRectF] = []
        block = document.findBlock(first)
        while block.isValid() and block.position() < last:
            top, lines, height = self._block_geometry(block)
            layout = block.layout()
            rect = document.documentLayout().blockBoundingRect(block)
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                line_start = block.position() + line.textStart()
                line_end = line_start + line.textLength()
                if line_end <= first or line_start >= last:
                    continue
                # PySide6's stub says object; it returns (x, cursor position)
                x1 = cast(
                    "tuple[float, int]", line.cursorToX(max(first, line_start) - block.position())
                )[0]
                x2 = cast(
                    "tuple[float, int]", line.cursorToX(min(last, line_end) - block.position())
                )[0]
                y1 = top + lines[i] - scroll
                y2 = top + (lines[i + 1] if i + 1 < len(lines) else height) - scroll
                rects.append(QRectF(rect.left() + x1, y1, x2 - x1, y2 - y1))
            block = block.next()
        return rects

    def paint_overlay(self, painter: QPainter, clip) -> None:
        """Draw margin marks, the selected sentence and the selected link's outline."""
        if self._article is None:
            return
        palette = self.palette()
        height = self.viewport_height()
        top_offset, bottom_offset = self.visible_offsets()
        # Tag marks in the left margin, only those on screen.
        for mark in self._marks:
            if mark.end < top_offset or mark.start > bottom_offset:
                continue
            y1, y2 = self.span_view_y(mark.start, mark.end)
            painter.fillRect(
                QRectF(DOCUMENT_MARGIN - 6, y1 + 2, 5, max(4.0, y2 - y1 - 4)),
                highlight.tag_color(mark.color, palette),
            )
        if 0 <= self._selected_sentence < len(self._starts):
            start, end = self.sentence_span(self._selected_sentence)
            if end >= top_offset and start <= bottom_offset:
                path = QPainterPath()
                path.setFillRule(Qt.FillRule.WindingFill)
                for rect in self._line_rects(start, end):
                    path.addRect(rect.adjusted(-2, 0, 2, 0))
                painter.fillPath(path.simplified(), highlight.sentence_fill(palette))
                outline = QColor(highlight.selection_outline(palette))
                outline.setAlphaF(0.55)
                painter.setPen(QPen(outline, 1))
                painter.drawPath(path.simplified())
        if self._outline is not None:
            start, end = self._outline
            y1, y2 = self.span_view_y(start, end)
            if y2 >= 0 and y1 <= height:
                # The frame follows the text, so words before or after the passage on
                # its first and last lines are visibly outside it.
                rects = self._line_rects(start, end)
                left = DOCUMENT_MARGIN + GUTTER - 4.0
                right = self.text.viewport().width() - DOCUMENT_MARGIN + 4.0
                path = QPainterPath()
                path.setFillRule(Qt.FillRule.WindingFill)  # overlapping lines merge, no holes
                for i, rect in enumerate(rects):
                    # The shape of a text selection: the first line from the passage's
                    # first word, the last line up to its last word, full lines between.
                    last = i == len(rects) - 1
                    x1 = rect.left() - 3 if i == 0 else left
                    x2 = rect.right() + 3 if last else right
                    bottom = rect.bottom() + 1 if last else max(rect.bottom(), rects[i + 1].top())
                    path.addRect(QRectF(x1, rect.top() - 1, x2 - x1, bottom - rect.top() + 1))
                pen = QPen(highlight.selection_outline(palette), 2)
                pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(path.simplified())

    # --- overview source -------------------------------------------------------------------------------
    def overview_items(
        self,
    ) -> tuple[float, list[tuple[float, float, QColor]], list[tuple[float, float, QColor]]]:
        """Document height, link ticks and tag ticks (document pixels) for the strip."""
        palette = self.palette()
        links = []
        for passage in self._passages:
            y1, y2 = self.span_doc_y(passage.start, passage.end)
            links.append((y1, y2, highlight.band_color(palette, passage.score, kind=passage.kind)))
        tags = []
        for mark in self._marks:
            y1, y2 = self.span_doc_y(mark.start, mark.end)
            tags.append((y1, y2, highlight.tag_color(mark.color, palette)))
        return self.document_height(), links, tags
