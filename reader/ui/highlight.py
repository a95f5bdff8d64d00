"""Colors and text formats for linked passages, derived from the palette and the score.

One hue (teal) carries "shared with the other outlet"; its strength carries the score,
and identical wording inside a passage is drawn stronger than rewording. Everything is
a translucent wash over the palette's base color and the text keeps the palette's text
color, so light and dark system palettes both stay readable.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette, QTextCharFormat

# Hues picked for contrast against white paper and against a dark base.
_LIGHT_HUE = QColor(0, 140, 160)
_DARK_HUE = QColor(70, 200, 220)


def is_dark(palette: QPalette) -> bool:
    """True when the palette draws text light on dark."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def _hue(palette: QPalette) -> QColor:
    return QColor(_DARK_HUE if is_dark(palette) else _LIGHT_HUE)


def _clamp(score: float) -> float:
    return min(1.0, max(0.0, score))


def passage_color(palette: QPalette, score: float) -> QColor:
    """Background of a linked passage: faint for a loose paraphrase, clear for a close one."""
    color = _hue(palette)
    color.setAlphaF(0.10 + 0.22 * _clamp(score))
    return color


def match_color(palette: QPalette, score: float) -> QColor:
    """Background of wording that is identical in both articles: clearly stronger."""
    color = _hue(palette)
    color.setAlphaF(0.38 + 0.22 * _clamp(score))
    return color


def band_color(palette: QPalette, score: float, selected: bool = False) -> QColor:
    """Fill of a link-map band (and of an overview tick)."""
    color = _hue(palette)
    color.setAlphaF(0.7 if selected else 0.16 + 0.38 * _clamp(score))
    return color


def band_outline(palette: QPalette, selected: bool = False) -> QColor:
    """Edge of a link-map band; a selected link takes the palette's highlight color."""
    if selected:
        return palette.color(QPalette.ColorRole.Highlight)
    color = _hue(palette)
    color.setAlphaF(0.55)
    return color


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


def passage_format(palette: QPalette, score: float) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(passage_color(palette, score))
    return fmt


def match_format(palette: QPalette, score: float) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(match_color(palette, score))
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
