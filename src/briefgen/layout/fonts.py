"""Fonts shipped with briefgen, which characters they can draw, and their registration with
reportlab for measuring and drawing.

Carlito (SIL Open Font License, see fonts/OFL.txt) is metric-compatible with Calibri: every
glyph has the same advance width. The PDF embeds Carlito; the DOCX names Calibri, which Word
has and which LibreOffice maps to Carlito, so lines break in the same places in all three.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefgen.document import FontFamily

FONT_FOLDER = Path(__file__).parent.parent / "fonts"  # briefgen/fonts/
NARROW_SPACE = "\u202f"  # French spacing before ; : ! ? and inside « »
NARROW_SPACE_GLYPH = 0x200A  # drawn with the hair space: 1/8 em, as French typesetters do


@dataclass(frozen=True)
class ShippedFamily:
    name: str
    files: tuple[str, str, str, str]  # regular, bold, italic, bold italic
    docx_name: str


SHIPPED_FAMILIES = {
    "Carlito": ShippedFamily(
        "Carlito",
        ("Carlito-Regular.ttf", "Carlito-Bold.ttf", "Carlito-Italic.ttf", "Carlito-BoldItalic.ttf"),
        "Calibri",
    ),
}


def font_family(name: str) -> FontFamily:
    shipped = SHIPPED_FAMILIES[name]
    regular, bold, italic, bold_italic = (str(FONT_FOLDER / file) for file in shipped.files)
    return FontFamily(name=shipped.name, regular=regular, bold=bold, italic=italic,
                      bold_italic=bold_italic, docx_name=shipped.docx_name)


@lru_cache(maxsize=4)
def register_fonts(family: FontFamily) -> dict[tuple[bool, bool], str]:
    """Register the family's four faces once per process; returns reportlab font names by
    (bold, italic)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = {
        (False, False): family.name,
        (True, False): f"{family.name}-Bold",
        (False, True): f"{family.name}-Italic",
        (True, True): f"{family.name}-BoldItalic",
    }
    files = {(False, False): family.regular, (True, False): family.bold,
             (False, True): family.italic, (True, True): family.bold_italic}
    for key, name in names.items():
        font = TTFont(name, files[key])
        glyphs = font.face.charToGlyph
        # The font has no no-break space glyph; draw it with the space glyph (same width).
        if 0x20 in glyphs:
            glyphs.setdefault(0xA0, glyphs[0x20])
        # Its narrow no-break space is as wide as a space; French wants about 1/8 em.
        if NARROW_SPACE_GLYPH in glyphs:
            glyphs[ord(NARROW_SPACE)] = glyphs[NARROW_SPACE_GLYPH]
            font.face.charWidths[ord(NARROW_SPACE)] = font.face.charWidths[NARROW_SPACE_GLYPH]
        pdfmetrics.registerFont(font)
    return names


@lru_cache(maxsize=8)
def font_metrics(font: str) -> tuple[float, float]:
    """Cap height and depth of descenders of a registered font, as fractions of its size."""
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(font).face
    return face.capHeight / 1000, -face.descent / 1000


@lru_cache(maxsize=8)
def covered_characters(font_path: str) -> frozenset[int]:
    """Code points the PDF can draw with the font: those its `cmap` maps to a real glyph
    (not .notdef), plus the no-break space, which reportlab draws with the space glyph.

    Why reportlab: the PDF backend loads it to embed the font, so checking text adds no
    import (reportlab.pdfbase.ttfonts takes about 60 ms to import when nothing else has
    loaded it; fontTools would add about 30 ms), and parsing the face takes about 6 ms, once
    per process and font.
    """
    from reportlab.pdfbase.ttfonts import TTFontFace

    face = TTFontFace(font_path)
    return frozenset(code for code, glyph in face.charToGlyph.items() if glyph)


def missing_characters(text: str, family: FontFamily) -> list[str]:
    """Characters of `text` that some face of `family` cannot draw (space-like ones allowed)."""
    return sorted(set(text).difference(_drawable_characters(family.regular), DRAWN_AS_SPACE))


@lru_cache(maxsize=8)
def _drawable_characters(font_path: str) -> frozenset[str]:
    return frozenset(map(chr, covered_characters(font_path)))


# Carlito has no glyph for the no-break space; the PDF draws it with the space glyph, and
# Calibri, which the DOCX names, has one.
DRAWN_AS_SPACE = "\u00a0"
