"""Font subsets for the DOCX: the same glyphs and widths as the shipped faces, no layout
tables, Word's obfuscation."""

from __future__ import annotations

import io
import struct

import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from briefgen.render.docx_fonts import (
    ALPHABETS,
    DRAWN_AS,
    embedded_font,
    obfuscate,
    subset_font,
)
from tests.support import ROOT

FONTS = ROOT / "src" / "briefgen" / "fonts"
TEXT = "Ağdam, Füzuli, Şuşa: “ə” İ ı — Министерство 5\u202f% €4.25 m²"


@pytest.mark.parametrize("face", ["Regular", "Bold", "Italic", "BoldItalic"])
def test_a_subset_draws_its_characters_as_the_shipped_face_does(face: str) -> None:
    path = FONTS / f"Carlito-{face}.ttf"
    data = subset_font(str(path), set(TEXT))
    subset = TTFont(io.BytesIO(data), checkChecksums=2)  # every table's checksum is right
    whole = sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF
    assert whole == 0xB1B0AFBA  # and the file's, through head.checkSumAdjustment
    original = TTFont(path)
    kept, source = subset.getBestCmap(), original.getBestCmap()
    assert set(map(ord, TEXT)) <= set(kept)
    glyphs, source_glyphs = subset.getGlyphSet(), original.getGlyphSet()
    for code in set(map(ord, TEXT)) - {0x20} - set(DRAWN_AS):
        drawn, expected = (DecomposingRecordingPen(glyphs), DecomposingRecordingPen(source_glyphs))
        glyphs[kept[code]].draw(drawn)
        source_glyphs[source[code]].draw(expected)
        assert drawn.value == expected.value, chr(code)
        assert subset["hmtx"][kept[code]][0] == original["hmtx"][source[code]][0], chr(code)
    assert len(subset.getGlyphOrder()) < len(original.getGlyphOrder()) / 5


def test_a_subset_has_no_ligatures_or_kerning_and_draws_the_no_break_space() -> None:
    path = FONTS / "Carlito-Regular.ttf"
    subset = TTFont(io.BytesIO(subset_font(str(path), set("fit\u00a0 "))))
    assert not {"GSUB", "GPOS", "GDEF", "kern"} & set(subset.keys())
    cmap = subset.getBestCmap()
    assert subset["hmtx"][cmap[0xA0]] == subset["hmtx"][cmap[0x20]]  # as wide as a space
    # Names for Windows only: LibreOffice then draws the embedded face, not an installed one.
    assert {record.platformID for record in subset["name"].names} == {3}


@pytest.mark.parametrize("face", ["Regular", "Bold", "Italic", "BoldItalic"])
def test_a_subset_draws_the_no_break_characters_as_the_pdf_does(face: str) -> None:
    """The non-breaking hyphen is a hyphen (Carlito has no glyph for it, and LibreOffice once
    drew "NDM- UN"), the French narrow space is 1/8 em as in the PDF (Carlito's own is as wide
    as a space), and the word joiner that keeps "2026–2027" together takes no room."""
    subset = TTFont(io.BytesIO(subset_font(str(FONTS / f"Carlito-{face}.ttf"),
                                           set("-\u2010\u2011\u202f\u2060 "))))
    cmap, widths = subset.getBestCmap(), subset["hmtx"]
    em = subset["head"].unitsPerEm
    glyphs = subset.getGlyphSet()

    def outline(code: int) -> list[object]:
        pen = DecomposingRecordingPen(glyphs)
        glyphs[cmap[code]].draw(pen)
        return pen.value

    for hyphen in (0x2010, 0x2011):
        assert outline(hyphen) == outline(0x2D) and outline(hyphen)
        assert widths[cmap[hyphen]][0] == widths[cmap[0x2D]][0]
    assert widths[cmap[0x202F]][0] / em == pytest.approx(1 / 8, abs=0.005)
    assert widths[cmap[0x20]][0] / em > 0.2  # a word space stays a word space
    assert widths[cmap[0x2060]][0] == 0 and outline(0x2060) == []


def test_obfuscation_is_words_and_can_be_undone() -> None:
    font = subset_font(str(FONTS / "Carlito-Regular.ttf"), set("abc"))
    data, key = obfuscate(font)
    assert data != font and data[32:] == font[32:]
    key_bytes = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    restored = bytes(byte ^ key_bytes[index % 16] for index, byte in enumerate(data[:32]))
    assert restored + data[32:] == font
    assert key.startswith("{") and key.endswith("}") and len(key) == 38


def test_an_embedded_font_is_the_same_for_the_same_characters() -> None:
    path = str(FONTS / "Carlito-Bold.ttf")
    first = embedded_font(path, frozenset())
    embedded_font.cache_clear()
    second = embedded_font(path, frozenset())
    assert first == second
    assert embedded_font(path, frozenset("Ѣ")) != first  # one more letter, another font


def test_the_alphabets_cover_the_languages_briefgen_writes() -> None:
    for letters in ("abcdefghijklmnopqrstuvwxyz", "àâæçéèêëîïôœùûüÿ", "əğıİşçöü",
                    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"):
        assert set(letters) | set(letters.upper()) <= ALPHABETS | {"I"}, letters
