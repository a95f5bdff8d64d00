"""Colors and text formats for linked passages, derived from the palette, the score
and the kind of link.

Teal carries "copied wording shared with the other outlet"; its strength carries the
score, and identical wording inside a passage is drawn stronger than rewording. Violet
carries "the same fact in other words" (a related link): a lighter wash with a dotted
underline in the text, a hatched band with a dashed edge in the link map, so the two
kinds differ in shape as well as in hue (readable without color vision). Everything
is a translucent wash over the palette's base color and the text keeps the palette's
text color, so light and dark system palettes both stay readable.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen, QPixmap, QTextCharFormat

from reader.core.align import COPIED, RELATED
from reader.core.corrections import MANUAL, MANUAL_NAME

# Hues picked for contrast against white paper and against a dark base.
_LIGHT_HUE = QColor(0, 140, 160)
_DARK_HUE = QColor(70, 200, 220)
_LIGHT_RELATED_HUE = QColor(130, 70, 180)
_DARK_RELATED_HUE = QColor(190, 150, 240)
# Links the reader made by hand: green, drawn with a dotted edge.
_LIGHT_MANUAL_HUE = QColor(40, 140, 60)
_DARK_MANUAL_HUE = QColor(120, 210, 130)

# What each kind of link means to a reader: legend, tooltips and status bar say this.
KIND_NAMES = {COPIED: "copied wording", RELATED: "same fact, other words", MANUAL: MANUAL_NAME}


def is_dark(palette: QPalette) -> bool:
    """True when the palette draws text light on dark."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def _hue(palette: QPalette, kind: str = COPIED) -> QColor:
    if kind == RELATED:
        return QColor(_DARK_RELATED_HUE if is_dark(palette) else _LIGHT_RELATED_HUE)
    if kind == MANUAL:
        return QColor(_DARK_MANUAL_HUE if is_dark(palette) else _LIGHT_MANUAL_HUE)
    return QColor(_DARK_HUE if is_dark(palette) else _LIGHT_HUE)


def _clamp(score: float) -> float:
    return min(1.0, max(0.0, score))


def passage_color(palette: QPalette, score: float, kind: str = COPIED) -> QColor:
    """Background of a linked passage: faint for a loose paraphrase, clear for a close one;
    a related passage (same fact, other words) always lighter than a copied one."""
    color = _hue(palette, kind)
    if kind == MANUAL:
        color.setAlphaF(0.16)  # the score of a hand-made link is no measure: one even wash
    else:
        color.setAlphaF(
            0.07 + 0.10 * _clamp(score) if kind == RELATED else 0.10 + 0.22 * _clamp(score)
        )
    return color


def match_color(palette: QPalette, score: float, kind: str = COPIED) -> QColor:
    """Background of wording that is identical in both articles (for a related link, the
    shared details such as names and numbers): clearly stronger."""
    color = _hue(palette, kind)
    color.setAlphaF((0.22 if kind == RELATED else 0.38) + 0.22 * _clamp(score))
    return color


def band_color(
    palette: QPalette, score: float, selected: bool = False, kind: str = COPIED
) -> QColor:
    """Fill of a link-map band (and of an overview tick); related bands are lighter."""
    color = _hue(palette, kind)
    if kind == RELATED:
        color.setAlphaF(0.45 if selected else 0.10 + 0.12 * _clamp(score))
    elif kind == MANUAL:
        color.setAlphaF(0.6 if selected else 0.3)
    else:
        color.setAlphaF(0.7 if selected else 0.16 + 0.38 * _clamp(score))
    return color


def band_outline(palette: QPalette, selected: bool = False, kind: str = COPIED) -> QColor:
    """Edge of a link-map band; a selected link takes the palette's highlight color."""
    if selected:
        return palette.color(QPalette.ColorRole.Highlight)
    color = _hue(palette, kind)
    color.setAlphaF(0.8 if kind == RELATED else 0.55)
    return color


def band_brushes(
    palette: QPalette, score: float, kind: str = COPIED, selected: bool = False
) -> list[QBrush]:
    """Brushes a band is filled with, in order: a copied band is one solid wash, a
    related band a light wash under diagonal hatching."""
    brushes = [QBrush(band_color(palette, score, selected, kind))]
    if kind == RELATED:
        hatch = _hue(palette, kind)
        hatch.setAlphaF(0.85 if selected else 0.6)
        brushes.append(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
    return brushes


def band_pen(palette: QPalette, kind: str = COPIED, selected: bool = False) -> QPen:
    """Edge of a band: solid for copied wording, dashed for a related link."""
    pen = QPen(band_outline(palette, selected, kind), 2.0 if selected else 1.0)
    if kind == RELATED:
        pen.setStyle(Qt.PenStyle.DashLine)
    elif kind == MANUAL:
        pen.setStyle(Qt.PenStyle.DotLine)
        pen.setWidthF(2.0)
    return pen


def legend_pixmap(palette: QPalette, kind: str, size: int = 14) -> QPixmap:
    """A small square drawn exactly as a band of ``kind`` is, for the legend."""
    ratio = 2.0
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.scale(ratio, ratio)
    rect = QRectF(1.5, 1.5, size - 3, size - 3)
    base = QColor(palette.color(QPalette.ColorRole.Base))
    painter.fillRect(rect, base)
    for brush in band_brushes(palette, 0.8, kind):
        painter.fillRect(rect, brush)
    pen = band_pen(palette, kind)
    pen.setWidthF(1.2)
    painter.setPen(pen)
    painter.drawRect(rect)
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def selection_outline(palette: QPalette) -> QColor:
    """Frame around both ends of the selected link."""
    return palette.color(QPalette.ColorRole.Highlight)


def sentence_fill(palette: QPalette) -> QColor:
    """Subtle wash behind the selected sentence."""
    color = QColor(palette.color(QPalette.ColorRole.Highlight))
    color.setAlphaF(0.16)
    return color


def tag_color(color: str, palette: QPalette) -> QColor:
    """A label color, lightened on a dark palette so it stays visible."""
    qcolor = QColor(color)
    if not qcolor.isValid():
        qcolor = palette.color(QPalette.ColorRole.Highlight)
    if is_dark(palette) and qcolor.lightness() < 110:
        qcolor = qcolor.lighter(160)
    return qcolor


def passage_format(palette: QPalette, score: float, kind: str = COPIED) -> QTextCharFormat:
    """A linked passage in the text; a related one also gets a dotted underline."""
    fmt = QTextCharFormat()
    fmt.setBackground(passage_color(palette, score, kind))
    if kind == RELATED:
        fmt.merge(related_underline_format(palette))
    return fmt


def related_underline_format(palette: QPalette) -> QTextCharFormat:
    """The dotted underline that marks a related passage (restored when a tag goes)."""
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    fmt.setUnderlineColor(_hue(palette, RELATED))
    return fmt


def match_format(palette: QPalette, score: float, kind: str = COPIED) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(match_color(palette, score, kind))
    return fmt


def tag_format(color: QColor) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    fmt.setUnderlineColor(color)
    return fmt


def no_tag_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.NoUnderline)
    return fmt
