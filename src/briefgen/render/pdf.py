"""PDF backend: lays the page out itself and draws it on a reportlab canvas.

Why not reportlab's platypus (paragraphs, tables, frames): the document model is a plain
stack of paragraphs, grid rows, rules and pictures, and laying that out here is short. It
lets fitting break a paragraph's lines once per font size and then only add up heights, it
measures each word once per process (widths scale with the size), and it keeps platypus,
a tenth of a second of every start, out of the import.

Layout rules, shared by measuring and drawing so a fitted page never overflows when drawn:
a paragraph is `lines x leading` tall, its first baseline one font size below its top; blocks
stack with their space after, except the last of a column; a row is as tall as its tallest
cell plus padding. Lines break greedily at spaces (never at a no-break space); a word wider
than the whole line is split between characters.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from briefgen.document import (
    Block,
    Cell,
    Document,
    Fit,
    FontFamily,
    Image,
    Measurement,
    Paragraph,
    ParagraphStyle,
    Row,
    Rule,
    Spacer,
    fitted_style,
    superscript_metrics,
)
from briefgen.errors import BriefgenBug

# Measuring and drawing add the same widths in the same order, so a line that fits when
# measured fits when drawn; the tolerance only absorbs rounding in the comparison itself.
_TOLERANCE = 1e-6
_LANGUAGE_TAG = re.compile(r"[A-Za-z0-9-]{2,35}")


@lru_cache(maxsize=4)
def register_fonts(family: FontFamily) -> dict[tuple[bool, bool], str]:
    """Register the family's four faces once per process; returns reportlab font names."""
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
        # The font has no no-break space glyph; draw it with the space glyph (same width).
        space_glyph = font.face.charToGlyph.get(0x20)
        if space_glyph is not None:
            font.face.charToGlyph.setdefault(0xA0, space_glyph)
        pdfmetrics.registerFont(font)
    return names


def warm_up() -> None:
    """Load the shipped fonts, for processes that start before they are needed."""
    from briefgen.fonts import SHIPPED_FAMILIES, font_family

    for name in SHIPPED_FAMILIES:
        register_fonts(font_family(name))


class _Format(NamedTuple):
    """How a piece of text is drawn: the same format twice on a line is one run."""

    font: str
    size: float
    rise: float
    color: str
    link: str | None


class _Run(NamedTuple):
    format: _Format
    text: str
    width: float


@dataclass(slots=True)
class _Word:
    """Text between two break opportunities; it may change format inside ("382²,")."""

    space: _Format | None  # format of the space before it (None at the start)
    pieces: list[_Run]
    width: float


@dataclass(slots=True)
class _Line:
    runs: list[_Run]
    width: float


@dataclass(slots=True)
class _LaidParagraph:
    lines: list[_Line]
    text_width: float
    indent: float


_ADVANCES: dict[tuple[str, str], float] = {}


def _advance(text: str, font: str) -> float:
    """Width of `text` at 1000 pt: widths scale with size, so each word is measured once."""
    key = (text, font)
    advance = _ADVANCES.get(key)
    if advance is None:
        if len(_ADVANCES) > 200_000:  # a long-running watch or batch keeps memory bounded
            _ADVANCES.clear()
        advance = _ADVANCES[key] = pdfmetrics.getFont(font).stringWidth(text, 1000)
    return advance


def _run(text: str, run_format: _Format) -> _Run:
    return _Run(run_format, text, _advance(text, run_format.font) * run_format.size / 1000)


def _formats(paragraph: Paragraph, style: ParagraphStyle, document: Document
             ) -> Iterator[tuple[_Format, str]]:
    names = register_fonts(document.fonts)
    for span in paragraph.spans:
        if not span.text:
            continue
        size, rise = style.font_size, 0.0
        if span.superscript:
            size, rise = superscript_metrics(style.font_size)
        color = span.color or (document.link_color if span.link else style.color)
        font = names[(style.bold or span.bold, style.italic or span.italic)]
        yield _Format(font, size, rise, color, span.link), span.text


def _words(paragraph: Paragraph, style: ParagraphStyle, document: Document) -> list[_Word]:
    words: list[_Word] = []
    current: _Word | None = None
    space: _Format | None = None
    advances = _ADVANCES
    for run_format, text in _formats(paragraph, style, document):
        font, scale = run_format.font, run_format.size / 1000
        for index, part in enumerate(text.split(" ")):
            if index:
                if current is not None:
                    words.append(current)
                    current = None
                space = run_format
            if part:
                advance = advances.get((part, font))
                if advance is None:
                    advance = _advance(part, font)
                piece = _Run(run_format, part, advance * scale)
                if current is None:
                    current = _Word(space, [piece], piece.width)
                else:
                    current.pieces.append(piece)
                    current.width += piece.width
    if current is not None:
        words.append(current)
    return words


def break_lines(paragraph: Paragraph, style: ParagraphStyle, document: Document,
                width: float) -> _LaidParagraph:
    """The paragraph's lines at `width`, greedily filled."""
    indent = style.indent if paragraph.number else 0.0
    available = width - indent
    limit = available + _TOLERANCE
    lines: list[_Line] = []
    pieces: list[_Run] = []  # the line being filled, merged into runs when it is done
    used = 0.0
    for word in _words(paragraph, style, document):
        if pieces and word.space is not None:
            space = _run(" ", word.space)
            if used + space.width + word.width <= limit:
                pieces.append(space)
                pieces += word.pieces
                used += space.width + word.width
                continue
        if pieces:
            lines.append(_Line(_merged(pieces), used))
        pieces, used = list(word.pieces), word.width
        if word.width > limit:
            chunks = _split_long_word(word, available)
            lines += [_Line(_merged(chunk), sum(run.width for run in chunk))
                      for chunk in chunks[:-1]]
            pieces = chunks[-1]
            used = sum(run.width for run in pieces)
    if pieces:
        lines.append(_Line(_merged(pieces), used))
    return _LaidParagraph(lines, available, indent)


def _merged(pieces: list[_Run]) -> list[_Run]:
    """Neighbouring pieces in the same format as one run each."""
    runs: list[_Run] = []
    run_format = pieces[0].format
    texts: list[str] = []
    width = 0.0
    for piece in pieces:
        piece_format = piece.format
        if piece_format is not run_format and piece_format != run_format:
            runs.append(_Run(run_format, "".join(texts), width))
            run_format, texts, width = piece_format, [], 0.0
        texts.append(piece.text)
        width += piece.width
    runs.append(_Run(run_format, "".join(texts), width))
    return runs


def _split_long_word(word: _Word, available: float) -> list[list[_Run]]:
    """A word wider than the line (a long web address), cut after a slash or hyphen where
    one falls on the line, else between characters; each chunk as one piece per character."""
    glyphs = [_run(char, piece.format) for piece in word.pieces for char in piece.text]
    chunks: list[list[_Run]] = []
    start = 0
    while start < len(glyphs):
        end, used = start, 0.0
        while end < len(glyphs) and (end == start
                                      or used + glyphs[end].width <= available + _TOLERANCE):
            used += glyphs[end].width
            end += 1
        if end < len(glyphs):
            breaks = [index + 1 for index in range(start, end)
                      if glyphs[index].text in "/-"]
            end = breaks[-1] if breaks else end
        chunks.append(glyphs[start:end])
        start = end
    return chunks


class _LayoutCache:
    """Each paragraph's lines per font size and width, for one document.

    Fitting measures many settings; only a new font size breaks lines again, and drawing
    reuses the lines of the chosen fit.
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self.paragraphs: dict[tuple[int, float, float], _LaidParagraph] = {}

    def laid(self, paragraph: Paragraph, style: ParagraphStyle, width: float
             ) -> _LaidParagraph:
        key = (id(paragraph), style.font_size, width)
        laid = self.paragraphs.get(key)
        if laid is None:
            laid = self.paragraphs[key] = break_lines(paragraph, style, self.document, width)
        return laid


def _padding_scale(fit: Fit) -> float:
    return 0.5 + 0.5 * fit.spacing


class _Layout:
    """Heights of blocks at one fit; drawing uses the same numbers."""

    def __init__(self, document: Document, fit: Fit, cache: _LayoutCache) -> None:
        self.document = document
        self.fit = fit
        self.cache = cache
        self.styles = {name: fitted_style(style, fit) for name, style in document.styles.items()}
        self.heights: list[tuple[str, float]] = []

    def block_height(self, block: Block, width: float) -> tuple[float, float]:
        """Height of a block and the space after it."""
        spacing = self.fit.spacing
        if isinstance(block, Paragraph):
            style = self.styles[block.style]
            height = len(self.cache.laid(block, style, width).lines) * style.leading
            self.heights.append((block.origin, height))
            return height, style.space_after
        if isinstance(block, Spacer):
            return block.height * spacing, 0.0
        if isinstance(block, Rule):
            return block.thickness, block.space_after * spacing
        if isinstance(block, Image):
            return block.height, block.space_after * spacing
        if isinstance(block, Row):
            height = max((self.cell_height(cell) for cell in block.cells), default=0.0)
            return height, block.space_after * spacing
        raise BriefgenBug(f"unknown block {block!r}")  # pragma: no cover

    def blocks_height(self, blocks: tuple[Block, ...], width: float) -> float:
        total = after = 0.0
        for block in blocks:
            height, after = self.block_height(block, width)
            total += height + after
        return total - after

    def cell_height(self, cell: Cell) -> float:
        top, right, bottom, left = cell.padding
        inner = self.blocks_height(cell.blocks, cell.width - left - right)
        return inner + (top + bottom) * _padding_scale(self.fit)

    def footer_height(self) -> float:
        footer = self.document.footer
        if not footer:
            return 0.0
        return (self.blocks_height(footer, self.document.page.content_width)
                + self.document.footer_gap * self.fit.spacing)


def measure(document: Document, fit: Fit) -> Measurement:
    """Heights of body and footer at `fit`, without drawing."""
    layout = _Layout(document, fit, _cache_for(document))
    body = layout.blocks_height(document.body, document.page.content_width)
    footer = layout.footer_height()
    return Measurement(body=body, footer=footer, available=document.page.content_height,
                       block_heights=layout.heights)


_CACHES: dict[int, _LayoutCache] = {}


def _cache_for(document: Document) -> _LayoutCache:
    # Keyed by identity and holding the document, so an id is never reused while cached.
    cache = _CACHES.get(id(document))
    if cache is None or cache.document is not document:
        _CACHES.clear()
        cache = _CACHES[id(document)] = _LayoutCache(document)
    return cache


@lru_cache(maxsize=64)
def _color(hex_color: str) -> Color:
    return HexColor(hex_color)


class _Painter:
    """Draws blocks top-down at the heights `_Layout` gives them."""

    def __init__(self, canvas: Canvas, layout: _Layout) -> None:
        self.canvas = canvas
        self.layout = layout
        self.bold_font = register_fonts(layout.document.fonts)[(True, False)]

    def blocks(self, blocks: tuple[Block, ...], x: float, top: float, width: float) -> float:
        """Draw from `top` down; returns where the last block ends."""
        y = top
        after = 0.0
        for block in blocks:
            height, after = self.layout.block_height(block, width)
            self.block(block, x, y, width, height)
            y -= height + after
        return y + after

    def block(self, block: Block, x: float, top: float, width: float, height: float) -> None:
        canvas = self.canvas
        if isinstance(block, Paragraph):
            self.paragraph(block, x, top, width)
        elif isinstance(block, Rule):
            canvas.setStrokeColor(_color(block.color))
            canvas.setLineWidth(block.thickness)
            middle = top - block.thickness / 2
            canvas.line(x, middle, x + width, middle)
        elif isinstance(block, Image):
            _draw_picture(canvas, block.png, x, top - block.height, block.width, block.height)
        elif isinstance(block, Row):
            self.row(block, x, top, width, height)

    def row(self, row: Row, x: float, top: float, width: float, height: float) -> None:
        canvas = self.canvas
        scale = _padding_scale(self.layout.fit)
        left_edge = x + (width - sum(cell.width for cell in row.cells)) / 2  # centred, as tables
        for cell in row.cells:
            pad_top, pad_right, _, pad_left = cell.padding
            if cell.background:
                canvas.setFillColor(_color(cell.background))
                canvas.rect(left_edge, top - height, cell.width, height, stroke=0, fill=1)
            inner_width = cell.width - pad_left - pad_right
            free = height - self.layout.cell_height(cell)
            offset = {"top": 0.0, "middle": free / 2, "bottom": free}[cell.valign]
            self.blocks(cell.blocks, left_edge + pad_left, top - pad_top * scale - offset,
                        inner_width)
            left_edge += cell.width

    def paragraph(self, paragraph: Paragraph, x: float, top: float, width: float) -> None:
        style = self.layout.styles[paragraph.style]
        laid = self.layout.cache.laid(paragraph, style, width)
        if not laid.lines and not paragraph.number:
            return
        canvas = self.canvas
        text = canvas.beginText()
        baseline = top - style.font_size
        current: tuple[str, float, str, float] | None = None
        if paragraph.number:
            text.setTextOrigin(x, baseline)
            text.setFont(self.bold_font, style.font_size)
            text.setFillColor(_color(style.color))
            text.setRise(0)  # the text state keeps the last paragraph's superscript rise
            text.textOut(paragraph.number)
            current = (self.bold_font, style.font_size, style.color, 0.0)
        links: list[tuple[str, float, float, float, float]] = []
        for line in laid.lines:
            left = x + laid.indent + _align_offset(style.align, laid.text_width - line.width)
            text.setTextOrigin(left, baseline)
            for run in line.runs:
                run_format = run.format
                wanted = (run_format.font, run_format.size, run_format.color, run_format.rise)
                if wanted != current:
                    if current is None or current[:2] != wanted[:2]:
                        text.setFont(run_format.font, run_format.size)
                    if current is None or current[2] != wanted[2]:
                        text.setFillColor(_color(run_format.color))
                    if current is None or current[3] != wanted[3]:
                        text.setRise(run_format.rise)
                    current = wanted
                text.textOut(run.text)
                if run_format.link:
                    rect = (left, baseline - 0.25 * run_format.size, left + run.width,
                            baseline + run_format.rise + 0.85 * run_format.size)
                    if links and links[-1][0] == run_format.link and links[-1][3] == rect[0]:
                        previous = links.pop()
                        rect = (previous[1], min(previous[2], rect[1]), rect[2],
                                max(previous[4], rect[3]))
                    links.append((run_format.link, *rect))
                left += run.width
            baseline -= style.leading
        language = _single_language(paragraph)
        if language:
            # Marked content with /Lang tells screen readers which language the words are in
            # (PDF 1.7, 14.9.2); reportlab has no call for it, so the operators are written here.
            canvas._code.append(f"/Span <</Lang ({language})>> BDC")
        canvas.drawText(text)
        if language:
            canvas._code.append("EMC")
        for url, x1, y1, x2, y2 in links:
            canvas.linkURL(url, (x1, y1, x2, y2), relative=0, thickness=0)


def _draw_picture(canvas: Canvas, png: bytes, x: float, y: float, width: float,
                  height: float) -> None:
    """`canvas.drawImage`, with the image objects made once per process (see below)."""
    image, soft_mask = _picture_objects(png)
    document = canvas._doc
    name = document.getXObjectName(image.name)
    if name not in document.idToObject:
        # Copies: registering marks an object as belonging to one document.
        image = copy.copy(image)
        document.Reference(image, name)
        document.addForm(image.name, image)
        if soft_mask is not None:
            document.Reference(copy.copy(soft_mask), document.getXObjectName(soft_mask.name))
    canvas._currentPageHasImages = 1
    canvas._formsinuse.append(image.name)  # lists it in the page's resources
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    canvas._code.append(f"/{name} Do")
    canvas.restoreState()


@lru_cache(maxsize=8)
def _picture_objects(png: bytes) -> tuple[Any, Any]:
    """The PDF image and transparency mask of a picture, encoded once per process.

    Why: decoding and recompressing the logo costs ~3 ms a brief, and every brief of a batch
    carries the same logo. The objects are only read when a PDF is written, never changed.
    """
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfdoc import PDFImageXObject, PDFObjectReference, xObjectName

    name = "img" + hashlib.sha256(png).hexdigest()[:32]
    image = PDFImageXObject(name, ImageReader(io.BytesIO(png)), mask="auto")
    image.name = name
    soft_mask = getattr(image, "_smask", None)
    if soft_mask is not None:
        del image._smask
        image.smask = PDFObjectReference(xObjectName(soft_mask.name))
    return image, soft_mask


def _align_offset(align: str, free: float) -> float:
    if align == "right":
        return free
    if align == "center":
        return free / 2
    return 0.0


def _single_language(paragraph: Paragraph) -> str | None:
    languages = {span.language for span in paragraph.spans if span.language}
    if len(languages) == 1:
        language = languages.pop()
        if _LANGUAGE_TAG.fullmatch(language):
            return language
    return None


def render_pdf(document: Document, fit: Fit) -> bytes:
    """Draw the document on one page; the fit must already have been found to fit."""
    names = register_fonts(document.fonts)
    page = document.page
    buffer = io.BytesIO()
    metadata = document.metadata
    canvas = Canvas(buffer, pagesize=(page.width, page.height), invariant=1,
                    pageCompression=1, initialFontName=names[(False, False)],
                    initialFontSize=10, lang=metadata.language)
    canvas.setTitle(metadata.title)
    canvas.setAuthor(metadata.author)
    canvas.setSubject(metadata.subject)
    canvas.setKeywords(metadata.keywords)
    canvas.setCreator("briefgen")
    canvas.setProducer("briefgen (reportlab)")
    stamp = "D:" + metadata.date.replace("-", "") + "000000Z"
    canvas.setDateFormatter(lambda *_: stamp)
    canvas.setViewerPreference("DisplayDocTitle", "true")

    layout = _Layout(document, fit, _cache_for(document))
    painter = _Painter(canvas, layout)
    top = page.height - page.margin_top
    body_end = painter.blocks(document.body, page.margin_left, top, page.content_width)
    footer_height = layout.footer_height()
    if document.footer:
        footer_top = page.margin_bottom + footer_height - document.footer_gap * fit.spacing
        painter.blocks(document.footer, page.margin_left, footer_top, page.content_width)
    if body_end < page.margin_bottom + footer_height - _TOLERANCE:
        raise BriefgenBug("the body runs into the footer: the fit was not checked")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()

