"""PDF backend: draws the laid-out page (`briefgen.layout`) on a reportlab canvas, as a tagged
PDF/UA-1 file (the structure: `render.pdf_tags`)."""

from __future__ import annotations

import copy
import hashlib
import io
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from briefgen.document import (
    Block,
    Cell,
    Chart,
    Document,
    Fit,
    Group,
    Image,
    Paragraph,
    ParagraphStyle,
    Row,
    Rule,
    Span,
)
from briefgen.errors import BriefgenBug
from briefgen.layout import TOLERANCE, Layout, Run, register_fonts, text_width
from briefgen.render.pdf_chart import draw_chart_block
from briefgen.render.pdf_tags import (
    ARTIFACT,
    END,
    NOT_TEXT,
    PLAIN,
    Element,
    LinkTarget,
    SpanKey,
    Tagger,
)

LEFT_RULE = 2.0  # thickness of a cell's left rule


@lru_cache(maxsize=64)
def _color(hex_color: str) -> Color:
    return HexColor(hex_color)


class _Painter:
    """Draws blocks top-down at the heights the layout gives them, and tags what it draws
    (see `render.pdf_tags`): the drawing order is the model's, which is the reading order.

    reportlab has no call for marked content: its operators (`ARTIFACT`, the BDC from
    `Tagger.begin`, `END`) are appended to the canvas's code around what they mark."""

    def __init__(self, canvas: Canvas, layout: Layout, tags: Tagger) -> None:
        self.canvas = canvas
        self.layout = layout
        self.tags = tags
        self.bold_font = register_fonts(layout.document.fonts)[(True, False)]

    def blocks(self, blocks: tuple[Block, ...], x: float, top: float, width: float,
               items: bool = False) -> float:
        """Draw from `top` down; returns where the last block ends. `items`: each block is
        an item of the list being drawn."""
        y = top
        after = 0.0
        for block in blocks:
            height, after = self.layout.block_height(block, width)
            if items:
                self.item(block, x, y, width, height)
            else:
                self.block(block, x, y, width, height)
            y -= height + after
        return y + after

    def item(self, block: Block, x: float, top: float, width: float, height: float) -> None:
        """A block that is an item of a list: a numbered paragraph is its own label and
        body; anything else a body."""
        self.tags.open("LI")
        body = not isinstance(block, Paragraph)
        if body:
            self.tags.open("LBody")
        self.block(block, x, top, width, height)
        if body:
            self.tags.close()
        self.tags.close()

    def block(self, block: Block, x: float, top: float, width: float, height: float) -> None:
        match block:
            case Paragraph():
                self.paragraph(block, x, top, width)
            case Rule():
                self.rule(block, x, top, width)
            case Image():
                self.image(block, x, top)
            case Chart():
                self.begin_figure(block.description, (x, top - height, x + width, top))
                draw_chart_block(self.canvas, block, self.layout, x, top, width, height)
                self.canvas._code.append(END)
            case Group():
                self.tags.open_group(block)
                self.blocks(block.blocks, x, top, width, items=block.role == "L")
                self.tags.close()
            case Row():
                self.row(block, x, top, width, height)

    def rule(self, rule: Rule, x: float, top: float, width: float) -> None:
        canvas = self.canvas
        canvas._code.append(ARTIFACT)
        canvas.setStrokeColor(_color(rule.color))
        canvas.setLineWidth(rule.thickness)
        middle = top - rule.thickness / 2
        canvas.line(x, middle, x + width, middle)
        canvas._code.append(END)

    def image(self, image: Image, x: float, top: float) -> None:
        bottom = top - image.height
        self.begin_figure(image.description, (x, bottom, x + image.width, top))
        if image.code:
            _draw_code(self.canvas, image.code, x, bottom, image.width)
        else:
            _draw_picture(self.canvas, image.png, x, bottom, image.width, image.height)
        self.canvas._code.append(END)

    def begin_figure(self, description: str, box: tuple[float, float, float, float]) -> None:
        """Start a picture (the logo, a chart): a Figure with its description and bounding box,
        or decoration when it has no description. End it with `END` once drawn."""
        if description.strip():
            self.canvas._code.append(self.tags.begin(self.tags.figure(description, box)))
        else:
            self.canvas._code.append(ARTIFACT)

    def row(self, row: Row, x: float, top: float, width: float, height: float) -> None:
        left_edge = x + (width - sum(cell.width for cell in row.cells)) / 2  # centred, as tables
        # One list set in several columns (the source notes) is one list to a reader.
        joined = _list_across_columns(row)
        if joined is not None:
            self.tags.open_group(joined)
        for cell in row.cells:
            self.cell_frame(cell, left_edge, top, height)
            _, pad_right, _, pad_left = cell.padding
            inner_width = cell.width - pad_left - pad_right
            free = height - self.layout.cell_height(cell)
            offset = {"middle": free / 2, "bottom": free}.get(cell.valign, 0.0)
            inner_top = top - self.layout.cell_insets(cell)[0] - offset
            if joined is not None and cell.blocks:
                group = cell.blocks[0]
                assert isinstance(group, Group)
                self.blocks(group.blocks, left_edge + pad_left, inner_top, inner_width,
                            items=True)
            else:
                self.blocks(cell.blocks, left_edge + pad_left, inner_top, inner_width)
            left_edge += cell.width
        if joined is not None:
            self.tags.close()

    def cell_frame(self, cell: Cell, left: float, top: float, height: float) -> None:
        """A cell's background, outline and left rule, as decoration."""
        if not (cell.background or cell.border or cell.border_left):
            return
        canvas = self.canvas
        canvas._code.append(ARTIFACT)
        if cell.background or cell.border:
            canvas.setFillColor(_color(cell.background or "#FFFFFF"))
            if cell.border:
                canvas.setStrokeColor(_color(cell.border))
                canvas.setLineWidth(0.75)
            canvas.rect(left, top - height, cell.width, height,
                        stroke=1 if cell.border else 0, fill=1 if cell.background else 0)
        if cell.border_left:
            canvas.setStrokeColor(_color(cell.border_left))
            canvas.setLineWidth(LEFT_RULE)
            canvas.line(left + LEFT_RULE / 2, top, left + LEFT_RULE / 2, top - height)
        canvas._code.append(END)

    def paragraph(self, paragraph: Paragraph, x: float, top: float, width: float) -> None:
        style = self.layout.styles[paragraph.style]
        laid = self.layout.laid(paragraph, width)
        if not laid.lines:
            return
        tags = self.tags
        label_element, element = tags.paragraph_elements(paragraph)
        tags.remember_note(paragraph, x, top)
        text = self.canvas.beginText()
        marks = _MarkedText(tags, element, tags.span_keys(paragraph.spans, element), text)
        text_format = _TextFormat(text)
        baseline = top - style.font_size
        if paragraph.number is not None:
            text.setTextOrigin(x, baseline)
            self.label(paragraph.number, style, label_element, marks, text_format)
        source = _SourceText(paragraph.spans)
        last_line = len(laid.lines) - 1
        for number, line in enumerate(laid.lines):
            source.skip_spaces()  # the space a line break swallowed
            left = x + laid.indent + _align_offset(style.align, laid.text_width - line.width)
            marks.flush()
            text.setTextOrigin(left, baseline)
            for run in line.runs:
                text_format.set(run.format.font, run.format.size, run.format.color,
                                run.format.rise, run.format.tracking, marks.flush)
                left = self.run_text(run, source, marks, left, baseline)
            if number < last_line and source.at_space():
                # The space the line break took, drawn (invisible) at the end of the line with
                # what it belongs to, so the words stay apart for anyone reading them out.
                marks.add(" ", marks.keys[source.span_index()])
            baseline -= style.leading
        if element.statement and marks.open is not None:
            marks.add(" ", marks.open)  # a figure and its label are one statement: "5% of"
        marks.close()
        self.canvas.drawText(text)

    def label(self, number: str, style: ParagraphStyle, label_element: Element | None,
              marks: _MarkedText, text_format: _TextFormat) -> None:
        """A numbered paragraph's number, in the hanging indent: bold, upright."""
        text_format.set(self.bold_font, style.label_size or style.font_size,
                        style.label_color or style.color, 0, 0, marks.flush)
        if label_element is not None:
            marks.code.append(self.tags.begin(label_element))
            marks.text.textOut(number)
            marks.code.append(END)
        else:  # a number that is not a list's label (a hanging quotation mark) is text
            marks.add(number, PLAIN)

    def run_text(self, run: Run, source: _SourceText, marks: _MarkedText, left: float,
                 baseline: float) -> float:
        """Draw a run from `left`, each piece marked as the span it comes from; returns where
        it ends."""
        run_format = run.format
        parts = source.parts(run.text)
        for part, index in parts:
            part_width = run.width if len(parts) == 1 else text_width(part, run_format)
            if index < 0:  # drawn, but not the author's text: a cut word's hyphen
                marks.add_not_text(part)
            else:
                target = marks.add(part, marks.keys[index])
                if target is not None:
                    target.add(part, left, baseline - 0.25 * run_format.size,
                               left + part_width,
                               baseline + run_format.rise + 0.85 * run_format.size)
            left += part_width
        return left


def _list_across_columns(row: Row) -> Group | None:
    """The first of the lists a row's cells hold, when each filled cell holds one list and
    nothing else (the source notes in two columns); else None."""
    lists = [cell.blocks[0] for cell in row.cells if cell.blocks]
    joined = len(lists) > 1 and all(
        len(cell.blocks) == 1 for cell in row.cells if cell.blocks) and all(
        isinstance(block, Group) and block.role == "L" for block in lists)
    return lists[0] if joined and isinstance(lists[0], Group) else None


class _TextFormat:
    """The text object's font, size, colour, rise and letter spacing: each set only when it
    changes, after what is pending in the old format is drawn."""

    def __init__(self, text: PDFTextObject) -> None:
        self.text = text
        self.current: tuple[str, float, str, float, float] | None = None

    def set(self, font: str, size: float, color: str, rise: float, tracking: float,
            flush: Callable[[], None]) -> None:
        wanted = (font, size, color, rise, tracking)
        current = self.current
        if wanted == current:
            return
        flush()
        text = self.text
        if current is None or current[:2] != wanted[:2]:
            text.setFont(font, size)
        if current is None or current[2] != color:
            text.setFillColor(_color(color))
        if current is None or current[3] != rise:
            text.setRise(rise)  # the text state keeps the last paragraph's superscript rise
        if current is None or current[4] != tracking:
            text.setCharSpace(tracking)
        self.current = wanted


class _SourceText:
    """A paragraph's spans' text, followed as its runs are drawn (see `_source_parts`)."""

    def __init__(self, spans: tuple[Span, ...]) -> None:
        self.source = "".join(span.text for span in spans)
        self.ends = list(accumulate(len(span.text) for span in spans))
        self.position = 0

    def skip_spaces(self) -> None:
        while self.source.startswith(" ", self.position):
            self.position += 1

    def at_space(self) -> bool:
        return self.source.startswith(" ", self.position)

    def span_index(self) -> int:
        """The index of the span the text at the current position belongs to."""
        return bisect_right(self.ends, self.position)

    def parts(self, drawn: str) -> list[tuple[str, int]]:
        """The text `drawn` next, cut where its spans begin and end (see `_source_parts`)."""
        parts, self.position = _source_parts(drawn, self.source, self.ends, self.position)
        return parts


class _MarkedText:
    """One paragraph's text, drawn as marked content of the elements it belongs to.

    Text of one kind (see `Tagger.span_keys`) in one format is drawn with one text operator;
    a change of kind ends the marked content and starts the next. reportlab has no call for
    marked content: the BDC and EMC operators go into the text object's code between its text
    operators.
    """

    def __init__(self, tags: Tagger, element: Element, keys: list[SpanKey],
                 text: PDFTextObject) -> None:
        self.tags = tags
        self.element = element
        self.keys = keys  # what each span of the paragraph is
        self.text = text
        self.code: list[str] = text._code
        self.mixed = any(key != PLAIN for key in keys)
        self.open: SpanKey | None = None
        self.target: LinkTarget | None = None
        self.pending: list[str] = []

    def add(self, piece: str, key: SpanKey) -> LinkTarget | None:
        """Draw `piece` as content of kind `key`; returns the link it belongs to, if any."""
        if key != self.open:
            self.close()
            marked = self.tags.context_element(self.element, key, self.mixed)
            self.code.append(self.tags.begin(marked))
            self.open, self.target = key, marked.target
        self.pending.append(piece)
        return self.target

    def add_not_text(self, piece: str) -> None:
        """Draw `piece`, which is not the author's text: an empty /ActualText replaces it."""
        self.add("", self.open or PLAIN)
        self.flush()
        self.code.append(NOT_TEXT)
        self.text.textOut(piece)
        self.code.append(END)

    def flush(self) -> None:
        """Draw what is pending, before the text's position or format changes."""
        if self.pending:
            self.text.textOut("".join(self.pending))
            self.pending.clear()

    def close(self) -> None:
        self.flush()
        if self.open is not None:
            self.code.append(END)
            self.open = None


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


def _draw_code(canvas: Canvas, modules: tuple[tuple[bool, ...], ...], x: float, y: float,
               side: float) -> None:
    """A QR code as vectors: one filled path of its dark modules' rows, in black, inside a
    square of `side` that keeps the quiet zone around them white."""
    from briefgen.resolve.qr import QUIET_ZONE, dark_runs

    module = side / (len(modules) + 2 * QUIET_ZONE)
    path = canvas.beginPath()
    for row, column, length in dark_runs(modules):
        path.rect(x + (column + QUIET_ZONE) * module,
                  y + side - (row + QUIET_ZONE + 1) * module, length * module, module)
    canvas.setFillColor(_color("#000000"))
    canvas.drawPath(path, stroke=0, fill=1)


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


def _source_parts(drawn: str, source: str, ends: list[int], position: int
                  ) -> tuple[list[tuple[str, int]], int]:
    """A run's text cut where the spans it was set from begin and end: (text, span index)
    pieces, -1 for the hyphen the layout adds; and the position in the spans' text after it.

    The layout draws the spans' text with the spaces at line breaks left out and, in a word
    cut across lines, a hyphen added: the run's text is found at `position` in `source`
    (the spans' texts joined; `ends` where each span ends) except where such a hyphen is.
    """
    if not drawn:
        return [], position
    if source.startswith(drawn, position):
        end = position + len(drawn)
        index = bisect_right(ends, position)
        if ends[index] >= end:
            return [(drawn, index)], end
        parts: list[tuple[str, int]] = []
        start = position
        while start < end:
            stop = min(ends[index], end)
            if stop > start:
                parts.append((source[start:stop], index))
            start = stop
            index += 1
        return parts, end
    # Character by character, keeping each with its span. Spaces the layout set as one (two
    # spans' spaces meeting) are passed over.
    pieces: list[tuple[str, int]] = []
    for char in drawn:
        if not source.startswith(char, position) and pieces and pieces[-1][0].endswith(" "):
            while source.startswith(" ", position):
                position += 1
        if char == "-" and not source.startswith(char, position):
            index = -1  # the hyphen the layout adds to a word it cuts
        else:  # the author's, even should it differ (nothing is hidden from readers)
            index = bisect_right(ends, min(position, len(source) - 1))
            position += 1
        if pieces and pieces[-1][1] == index:
            pieces[-1] = (pieces[-1][0] + char, index)
        else:
            pieces.append((char, index))
    return pieces, position


def render_pdf(document: Document, fit: Fit) -> bytes:
    """Draw the document on one page; the fit must already have been found to fit."""
    names = register_fonts(document.fonts)
    page = document.page
    buffer = io.BytesIO()
    metadata = document.metadata
    canvas = Canvas(buffer, pagesize=(page.width, page.height), invariant=1,
                    pageCompression=1, initialFontName=names[(False, False)],
                    initialFontSize=10, lang=metadata.language, pdfVersion=(1, 7))
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
    tags = Tagger(metadata.language)
    painter = _Painter(canvas, layout, tags)
    top = page.height - page.margin_top
    body_end = painter.blocks(document.body, page.margin_left, top, page.content_width)
    footer_height = layout.footer_height()
    if document.footer:
        footer_top = page.margin_bottom + footer_height - layout.footer_gap()
        painter.layout = layout.footer()
        painter.blocks(document.footer, page.margin_left, footer_top, page.content_width)
    if body_end < page.margin_bottom + footer_height - TOLERANCE:
        raise BriefgenBug("the body runs into the footer: the fit was not checked")
    tags.annotate(canvas)
    canvas.showPage()
    tags.write(canvas, metadata)
    canvas.save()
    return buffer.getvalue()
