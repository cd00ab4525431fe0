"""PDF backend: draws the laid-out page (`briefgen.layout`) on a reportlab canvas."""

from __future__ import annotations

import copy
import hashlib
import io
import re
from functools import lru_cache
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfgen.canvas import Canvas

from briefgen.document import (
    Block,
    Cell,
    Document,
    Fit,
    Group,
    Image,
    Paragraph,
    Row,
    Rule,
    Spacer,
)
from briefgen.errors import BriefgenBug
from briefgen.layout import TOLERANCE, Layout, padding_scale, register_fonts

_LANGUAGE_TAG = re.compile(r"[A-Za-z0-9-]{2,35}")
LEFT_RULE = 2.0  # thickness of a cell's left rule


def warm_up() -> None:
    """Load the shipped fonts, for processes that start before they are needed."""
    from briefgen.fonts import SHIPPED_FAMILIES, font_family

    for name in SHIPPED_FAMILIES:
        register_fonts(font_family(name))


@lru_cache(maxsize=64)
def _color(hex_color: str) -> Color:
    return HexColor(hex_color)


class _Painter:
    """Draws blocks top-down at the heights the layout gives them."""

    def __init__(self, canvas: Canvas, layout: Layout) -> None:
        self.canvas = canvas
        self.layout = layout
        self.bold_font = register_fonts(layout.document.fonts)[(True, False)]

    def blocks(self, blocks: tuple[Block, ...], x: float, top: float, width: float,
               cell: Cell | None = None) -> float:
        """Draw from `top` down; returns where the last block ends."""
        y = top
        after = 0.0
        for block in blocks:
            height, after = self.layout.block_height(block, width)
            if isinstance(block, Spacer):
                height = self.layout.spacer_height(block, cell)
            self.block(block, x, y, width, height, cell)
            y -= height + after
        return y + after

    def block(self, block: Block, x: float, top: float, width: float, height: float,
              cell: Cell | None) -> None:
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
        elif isinstance(block, Group):
            self.blocks(block.blocks, x, top, width, cell)
        elif isinstance(block, Row):
            self.row(block, x, top, width, height)

    def row(self, row: Row, x: float, top: float, width: float, height: float) -> None:
        canvas = self.canvas
        scale = padding_scale(self.layout.fit)
        left_edge = x + (width - sum(cell.width for cell in row.cells)) / 2  # centred, as tables
        for cell in row.cells:
            pad_top, pad_right, _, pad_left = cell.padding
            if cell.background or cell.border:
                canvas.setFillColor(_color(cell.background or "#FFFFFF"))
                if cell.border:
                    canvas.setStrokeColor(_color(cell.border))
                    canvas.setLineWidth(0.75)
                canvas.rect(left_edge, top - height, cell.width, height,
                            stroke=1 if cell.border else 0, fill=1 if cell.background else 0)
            if cell.border_left:
                canvas.setStrokeColor(_color(cell.border_left))
                canvas.setLineWidth(LEFT_RULE)
                canvas.line(left_edge + LEFT_RULE / 2, top, left_edge + LEFT_RULE / 2,
                            top - height)
            inner_width = cell.width - pad_left - pad_right
            free = height - self.layout.cell_height(cell)
            offset = {"middle": free / 2, "bottom": free}.get(cell.valign, 0.0)
            self.blocks(cell.blocks, left_edge + pad_left, top - pad_top * scale - offset,
                        inner_width, cell)
            left_edge += cell.width

    def paragraph(self, paragraph: Paragraph, x: float, top: float, width: float) -> None:
        style = self.layout.styles[paragraph.style]
        laid = self.layout.laid(paragraph, width)
        if not laid.lines:
            return
        canvas = self.canvas
        text = canvas.beginText()
        baseline = top - style.font_size
        current: tuple[str, float, str, float, float] | None = None
        if paragraph.number is not None:
            text.setTextOrigin(x, baseline)
            text.setFont(self.bold_font, style.label_size or style.font_size)
            text.setFillColor(_color(style.label_color or style.color))
            text.setRise(0)  # the text state keeps the last paragraph's superscript rise
            text.setCharSpace(0)
            text.textOut(paragraph.number)
            current = (self.bold_font, style.label_size or style.font_size,
                       style.label_color or style.color, 0.0, 0.0)
        links: list[tuple[str, float, float, float, float]] = []
        for line in laid.lines:
            left = x + laid.indent + _align_offset(style.align, laid.text_width - line.width)
            text.setTextOrigin(left, baseline)
            for run in line.runs:
                run_format = run.format
                wanted = (run_format.font, run_format.size, run_format.color, run_format.rise,
                          run_format.tracking)
                if wanted != current:
                    if current is None or current[:2] != wanted[:2]:
                        text.setFont(run_format.font, run_format.size)
                    if current is None or current[2] != wanted[2]:
                        text.setFillColor(_color(run_format.color))
                    if current is None or current[3] != wanted[3]:
                        text.setRise(run_format.rise)
                    if current is None or current[4] != wanted[4]:
                        text.setCharSpace(run_format.tracking)
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

    layout = Layout(document, fit)
    painter = _Painter(canvas, layout)
    top = page.height - page.margin_top
    body_end = painter.blocks(document.body, page.margin_left, top, page.content_width)
    footer_height = layout.footer_height()
    if document.footer:
        footer_top = page.margin_bottom + footer_height - layout.footer_gap()
        painter.layout = layout.footer()
        painter.blocks(document.footer, page.margin_left, footer_top, page.content_width)
    if body_end < page.margin_bottom + footer_height - TOLERANCE:
        raise BriefgenBug("the body runs into the footer: the fit was not checked")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
