"""Fonts shipped with briefgen, and which characters they can draw.

Carlito (SIL Open Font License, see fonts/OFL.txt) is metric-compatible with Calibri: every
glyph has the same advance width. The PDF embeds Carlito; the DOCX names Calibri, which Word
has and which LibreOffice maps to Carlito, so lines break in the same places in all three.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefgen.document import FontFamily

FONT_FOLDER = Path(__file__).parent / "fonts"


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


@lru_cache(maxsize=8)
def covered_characters(font_path: str) -> frozenset[int]:
    """Code points the font maps to a glyph, read from its `cmap` table.

    Why not fontTools or reportlab: reading one table is ~40 lines and avoids parsing the whole
    font (or importing reportlab) just to check text before anything is rendered.
    """
    data = Path(font_path).read_bytes()
    num_tables = struct.unpack_from(">H", data, 4)[0]
    cmap_offset = None
    for index in range(num_tables):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        if tag == b"cmap":
            cmap_offset = offset
    if cmap_offset is None:
        return frozenset()
    count = struct.unpack_from(">H", data, cmap_offset + 2)[0]
    best = None
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap_offset + 4 + 8 * index)
        table = cmap_offset + offset
        table_format = struct.unpack_from(">H", data, table)[0]
        if (platform, encoding) in {(3, 10), (0, 4), (0, 6)} and table_format == 12:
            best = (12, table)
            break
        if (platform, encoding) in {(3, 1), (0, 3)} and table_format == 4 and best is None:
            best = (4, table)
    if best is None:
        return frozenset()
    table_format, table = best
    points: set[int] = set()
    if table_format == 12:
        groups = struct.unpack_from(">I", data, table + 12)[0]
        for group in range(groups):
            start, end, glyph = struct.unpack_from(">III", data, table + 16 + 12 * group)
            if glyph or start:
                points.update(range(start, end + 1))
        return frozenset(points)
    segments = struct.unpack_from(">H", data, table + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, table + 14)
    starts = struct.unpack_from(f">{segments}H", data, table + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, table + 16 + 4 * segments)
    range_offsets_at = table + 16 + 6 * segments
    range_offsets = struct.unpack_from(f">{segments}H", data, range_offsets_at)
    for segment in range(segments):
        start, end = starts[segment], ends[segment]
        if start == 0xFFFF:
            continue
        for code in range(start, end + 1):
            if range_offsets[segment] == 0:
                glyph = (code + deltas[segment]) & 0xFFFF
            else:
                address = (range_offsets_at + 2 * segment + range_offsets[segment]
                           + 2 * (code - start))
                glyph = struct.unpack_from(">H", data, address)[0]
                if glyph:
                    glyph = (glyph + deltas[segment]) & 0xFFFF
            if glyph:
                points.add(code)
    return frozenset(points)


def missing_characters(text: str, family: FontFamily) -> list[str]:
    """Characters of `text` that some face of `family` cannot draw (space-like ones allowed)."""
    return sorted(set(text).difference(_drawable_characters(family.regular), DRAWN_AS_SPACE))


@lru_cache(maxsize=8)
def _drawable_characters(font_path: str) -> frozenset[str]:
    return frozenset(map(chr, covered_characters(font_path)))


# Carlito has no glyph for the no-break space; the PDF backend draws it with the space glyph.
DRAWN_AS_SPACE = "\u00a0"
