"""The fonts a DOCX carries: subsets of the shipped faces, in Word's embedded-font format.

A DOCX names Calibri, the metric twin of the shipped Carlito, and carries a subset of each
Carlito face (its licence allows embedding), so that a word processor with neither font still
lays the page out with the right widths. The subsets are cut here rather than with fontTools
(why: the README, "Why these libraries"); the tests read them back with fontTools.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from briefgen.layout import NARROW_SPACE_GLYPH

FONT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
PRINTABLE_ASCII = frozenset(chr(code) for code in range(0x20, 0x7F))
# Whole alphabets of the languages briefgen writes in, whatever the text uses: LibreOffice
# (through fontconfig) draws a text with a font only if the font covers the alphabet of the
# text's language, a colleague may correct a word in any of them, and LibreOffice keeps the
# first embedded font of a name for its session, so every brief carries the same set.
# Letters: Latin-1 Supplement and Latin Extended-A, Azerbaijani schwa, Cyrillic. Punctuation:
# dashes, quotes, ellipsis, bullet, the fixed-width and narrow spaces, non-breaking hyphen,
# word joiner, per mille, guillemets, euro and numero signs.
ALPHABETS = PRINTABLE_ASCII | frozenset(
    chr(code) for code in (*range(0xA0, 0x180), 0x18F, 0x259, *range(0x400, 0x460),
                           *range(0x2002, 0x200B), 0x2010, 0x2011, *range(0x2013, 0x2015),
                           *range(0x2018, 0x201F), 0x2020, 0x2021, 0x2022, 0x2026, 0x202F,
                           0x2030, 0x2039, 0x203A, 0x2060, 0x20AC, 0x2116))
# Character -> the character whose glyph draws it in the subset, as the PDF draws it: Carlito
# has no glyph for the no-break space, the non-breaking hyphens or the word joiner, and its
# narrow no-break space is as wide as a space where the PDF sets the French fine space at
# 1/8 em with the hair space's glyph. LibreOffice draws them with these glyphs (measured:
# U+202F at 0.125 em instead of 0.23); Word, which draws with the installed Calibri, gets the
# narrow space's width from the run's letter spacing (`render/docx.py`).
DRAWN_AS = {0x00A0: 0x0020, 0x2010: 0x002D, 0x2011: 0x002D, 0x202F: NARROW_SPACE_GLYPH,
            0x2060: 0xFEFF}
# Tables not carried: the OpenType layout tables (without GSUB no word processor draws the
# "ti"/"fi" ligatures the PDF does not draw, and without GPOS and kern none kerns, so lines
# break at the same words as in the PDF), the digital signature (a subset is no longer the
# signed font) and device tables indexed by the old glyph numbers.
_LEFT_OUT = frozenset({"GSUB", "GPOS", "GDEF", "kern", "BASE", "JSTF", "MATH", "DSIG", "hdmx",
                       "LTSH", "VDMX"})
_REWRITTEN = frozenset({"glyf", "loca", "hmtx", "hhea", "maxp", "head", "post", "cmap"})

# Composite glyph flags (OpenType 'glyf' table).
_ARGS_ARE_WORDS = 0x0001
_HAVE_SCALE = 0x0008
_MORE_COMPONENTS = 0x0020
_HAVE_XY_SCALE = 0x0040
_HAVE_TWO_BY_TWO = 0x0080


@dataclass(frozen=True)
class EmbeddedFont:
    """One face, subset and obfuscated, ready to be a font part of the DOCX."""

    data: bytes  # the obfuscated font file
    key: str  # the GUID it was obfuscated with, "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}"


class _Face:
    """The tables of one font file, read once per process."""

    def __init__(self, path: str) -> None:
        with open(path, "rb") as file:
            data = file.read()
        count = struct.unpack_from(">H", data, 4)[0]
        self.tables: dict[str, bytes] = {}
        for index in range(count):
            tag, _, offset, length = struct.unpack_from(">4sLLL", data, 12 + 16 * index)
            self.tables[tag.decode("latin-1")] = data[offset:offset + length]
        # Names for Windows only (platform 3), as fonts made for embedding have them.
        # Measured: LibreOffice takes an embedded face whose names include the old Macintosh
        # records for the installed font of that name, and draws the installed Carlito's
        # ligatures; with Windows names only it draws the embedded face.
        self.tables["name"] = _windows_names(self.tables["name"])
        self.units_per_em = struct.unpack(">H", self.tables["head"][18:20])[0]
        glyphs = struct.unpack(">H", self.tables["maxp"][4:6])[0]
        self.character_map = _read_character_map(self.tables["cmap"])
        loca = self.tables["loca"]
        if struct.unpack(">h", self.tables["head"][50:52])[0]:
            self.offsets = struct.unpack(f">{glyphs + 1}L", loca[:4 * (glyphs + 1)])
        else:
            short = struct.unpack(f">{glyphs + 1}H", loca[:2 * (glyphs + 1)])
            self.offsets = tuple(2 * offset for offset in short)
        self.long_metrics = struct.unpack(">H", self.tables["hhea"][34:36])[0]

    def glyph(self, number: int) -> bytes:
        glyphs: bytes = self.tables["glyf"]
        return glyphs[self.offsets[number]:self.offsets[number + 1]]

    def metrics(self, number: int) -> tuple[int, int]:
        """Advance width and left side bearing of a glyph, in font units."""
        hmtx = self.tables["hmtx"]
        if number < self.long_metrics:
            advance, bearing = struct.unpack_from(">Hh", hmtx, 4 * number)
            return advance, bearing
        advance = struct.unpack_from(">H", hmtx, 4 * (self.long_metrics - 1))[0]
        bearing = struct.unpack_from(">h", hmtx, 4 * self.long_metrics
                                     + 2 * (number - self.long_metrics))[0]
        return advance, bearing


def _windows_names(table: bytes) -> bytes:
    """A 'name' table with only its Windows records (platform 3), in format 0."""
    _, count, storage = struct.unpack_from(">HHH", table)
    kept, strings = [], b""
    for index in range(count):
        platform, encoding, language, name, length, offset = struct.unpack_from(
            ">HHHHHH", table, 6 + 12 * index)
        if platform == 3:
            kept.append(struct.pack(">HHHHHH", platform, encoding, language, name, length,
                                    len(strings)))
            strings += table[storage + offset:storage + offset + length]
    return struct.pack(">HHH", 0, len(kept), 6 + 12 * len(kept)) + b"".join(kept) + strings


@lru_cache(maxsize=8)
def _face(path: str) -> _Face:
    return _Face(path)


def advance(path: str, character: str) -> float:
    """Width of `character` in the font at `path`, in em (0 when the font lacks it)."""
    face = _face(path)
    number = face.character_map.get(ord(character))
    return face.metrics(number)[0] / face.units_per_em if number is not None else 0.0


def _components(glyph: bytes) -> Iterable[tuple[int, int]]:
    """(offset of the glyph number, glyph number) of each component of a composite glyph."""
    if len(glyph) < 10 or struct.unpack_from(">h", glyph)[0] >= 0:
        return
    offset = 10
    while True:
        flags, number = struct.unpack_from(">HH", glyph, offset)
        yield offset + 2, number
        offset += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
        if flags & _HAVE_SCALE:
            offset += 2
        elif flags & _HAVE_XY_SCALE:
            offset += 4
        elif flags & _HAVE_TWO_BY_TWO:
            offset += 8
        if not flags & _MORE_COMPONENTS:
            return


@lru_cache(maxsize=32)
def embedded_font(path: str, characters: frozenset[str]) -> EmbeddedFont:
    """The face at `path` cut down to `ALPHABETS` and `characters`, obfuscated.

    Equal input gives equal bytes and the same key, so the DOCX is reproducible."""
    data = subset_font(path, characters | ALPHABETS)
    return EmbeddedFont(*obfuscate(data))


def subset_font(path: str, characters: Iterable[str]) -> bytes:
    """A TrueType font with only the glyphs that draw `characters` (and .notdef), those of
    `DRAWN_AS` with their stand-in's glyph.

    Glyphs are copied as bytes (composite glyphs get their components' new numbers), the
    metrics and glyph locations rewritten, the character map written in its most common form
    (format 4), and the table directory given its checksums: about 1 ms a face."""
    face = _face(path)
    codes = {ord(character) for character in characters}
    mapping: dict[int, int] = {}
    for code in codes:
        if code in face.character_map and code <= 0xFFFF:
            mapping[code] = face.character_map[code]
    for code, drawn_as in DRAWN_AS.items():
        if code in codes and drawn_as in face.character_map:
            mapping[code] = face.character_map[drawn_as]
    kept = {0, *mapping.values()}
    waiting = list(kept)
    while waiting:
        for _, number in _components(face.glyph(waiting.pop())):
            if number not in kept:
                kept.add(number)
                waiting.append(number)
    order = sorted(kept)
    renumbered = {old: new for new, old in enumerate(order)}

    glyphs: list[bytes] = []
    offsets: list[int] = [0]
    metrics: list[int] = []
    for old in order:
        glyph = bytearray(face.glyph(old))
        for offset, number in list(_components(bytes(glyph))):
            struct.pack_into(">H", glyph, offset, renumbered[number])
        glyph += b"\0" * (-len(glyph) % 4)
        glyphs.append(bytes(glyph))
        offsets.append(offsets[-1] + len(glyph))
        metrics.extend(face.metrics(old))
    count = len(order)

    def patched(tag: str, offset: int, fmt: str, value: int) -> bytes:
        data = bytearray(face.tables[tag])
        struct.pack_into(fmt, data, offset, value)
        return bytes(data)

    tables = {tag: data for tag, data in face.tables.items()
              if tag not in _LEFT_OUT and tag not in _REWRITTEN}
    head = patched("head", 50, ">h", 1)  # long glyph offsets
    tables |= {
        "glyf": b"".join(glyphs),
        "loca": struct.pack(f">{count + 1}L", *offsets),
        "hmtx": struct.pack(">" + "Hh" * count, *metrics),
        "hhea": patched("hhea", 34, ">H", count),
        "maxp": patched("maxp", 4, ">H", count),
        "head": head[:8] + b"\0\0\0\0" + head[12:],  # set once the file is assembled
        # Version 3: no glyph names, which only PostScript printing of the font would use.
        "post": struct.pack(">L", 0x00030000) + face.tables["post"][4:32],
        "cmap": _character_map_table({code: renumbered[number]
                                      for code, number in mapping.items()}),
    }
    return _font_file(tables)


def _read_character_map(table: bytes) -> dict[int, int]:
    """Code point -> glyph number, from the best Unicode subtable of a 'cmap' table (format 12
    for all of Unicode, else format 4 for its first 65,536 code points)."""
    count = struct.unpack_from(">H", table, 2)[0]
    subtables = {}
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", table, 4 + 8 * index)
        subtables[(platform, encoding, struct.unpack_from(">H", table, offset)[0])] = offset
    for key in ((3, 10, 12), (0, 4, 12), (3, 1, 4), (0, 3, 4)):
        if key in subtables:
            offset = subtables[key]
            break
    else:
        raise ValueError("the font has no Unicode character map")
    mapping: dict[int, int] = {}
    if key[2] == 12:
        groups = struct.unpack_from(">L", table, offset + 12)[0]
        for group in range(groups):
            first, last, glyph = struct.unpack_from(">LLL", table, offset + 16 + 12 * group)
            for code in range(first, last + 1):
                mapping[code] = glyph + code - first
        return mapping
    segments = struct.unpack_from(">H", table, offset + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", table, offset + 14)
    starts = struct.unpack_from(f">{segments}H", table, offset + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", table, offset + 16 + 4 * segments)
    ranges_at = offset + 16 + 6 * segments
    ranges = struct.unpack_from(f">{segments}H", table, ranges_at)
    for segment in range(segments):
        for code in range(starts[segment], ends[segment] + 1):
            if code == 0xFFFF:
                continue
            if ranges[segment]:
                at = (ranges_at + 2 * segment + ranges[segment]
                      + 2 * (code - starts[segment]))
                glyph = struct.unpack_from(">H", table, at)[0]
                glyph = (glyph + deltas[segment]) % 0x10000 if glyph else 0
            else:
                glyph = (code + deltas[segment]) % 0x10000
            if glyph:
                mapping[code] = glyph
    return mapping


def _character_map_table(mapping: dict[int, int]) -> bytes:
    """A 'cmap' table with one Windows Unicode subtable, format 4: runs of consecutive code
    points drawn by consecutive glyphs are one segment each."""
    segments: list[list[int]] = []  # [first, last, delta]
    for code in sorted(mapping):
        delta = (mapping[code] - code) % 0x10000
        if segments and code == segments[-1][1] + 1 and delta == segments[-1][2]:
            segments[-1][1] = code
        else:
            segments.append([code, code, delta])
    segments.append([0xFFFF, 0xFFFF, 1])  # the required last segment
    count = len(segments)
    power = 1 << (count.bit_length() - 1)
    subtable = struct.pack(">HHHHHHH", 4, 16 + 8 * count, 0, 2 * count, 2 * power,
                           power.bit_length() - 1, 2 * (count - power))
    subtable += struct.pack(f">{count}H", *(segment[1] for segment in segments)) + b"\0\0"
    subtable += struct.pack(f">{count}H", *(segment[0] for segment in segments))
    subtable += struct.pack(f">{count}H", *(segment[2] for segment in segments))
    subtable += b"\0\0" * count  # no glyph index arrays
    return struct.pack(">HHHHL", 0, 1, 3, 1, 12) + subtable


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(padded) // 4}L", padded)
    return sum(words) & 0xFFFFFFFF


def _font_file(tables: dict[str, bytes]) -> bytes:
    """A TrueType file of `tables`: the directory with each table's checksum, the tables in
    tag order on 4-byte boundaries, and the whole file's checksum in 'head'."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">LHHHH", 0x00010000, count, 16 * power, power.bit_length() - 1,
                         16 * (count - power))
    offset = 12 + 16 * count
    directory, bodies, head_at = [], [], 0
    for tag in tags:
        data = tables[tag]
        if tag == "head":
            head_at = offset
        directory.append(struct.pack(">4sLLL", tag.encode("latin-1"), _checksum(data), offset,
                                     len(data)))
        bodies.append(data + b"\0" * (-len(data) % 4))
        offset += len(bodies[-1])
    font = bytearray(header + b"".join(directory) + b"".join(bodies))
    struct.pack_into(">L", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


def obfuscate(font: bytes) -> tuple[bytes, str]:
    """The font in Word's embedded-font form and its key (ECMA-376 Part 1, 17.8.1).

    The first 32 bytes are XORed with the key GUID's 16 bytes in reverse order of its hex
    digits. The key is derived from the font, so equal fonts get equal keys."""
    key = uuid.UUID(bytes=hashlib.sha256(font).digest()[:16])
    text = "{" + str(key).upper() + "}"
    key_bytes = bytes.fromhex(key.hex)[::-1]
    head = bytes(byte ^ key_bytes[index % 16] for index, byte in enumerate(font[:32]))
    return head + font[32:], text
