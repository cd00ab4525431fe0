"""PDF backend (reportlab): measuring for fit, and drawing the one page.

The page is drawn straight onto a canvas with two frames: the body from the top and the
footer kept at the foot. The fonts are TrueType, embedded as subsets.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle as RLStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Table, TableStyle
from reportlab.platypus import Image as RLImage
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Spacer as RLSpacer

from briefgen.document import (
    Block,
    Document,
    Fit,
    FontFamily,
    Image,
    Measurement,
    Paragraph,
    Row,
    Rule,
    Spacer,
    Span,
    fitted_style,
    superscript_metrics,
)
from briefgen.errors import BriefgenBug

_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}


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
    pdfmetrics.registerFontFamily(family.name, normal=names[(False, False)],
                                  bold=names[(True, False)], italic=names[(False, True)],
                                  boldItalic=names[(True, True)])
    return names


class _Paragraph(RLParagraph):  # type: ignore[misc]
    """A paragraph that breaks its lines once per width and font size.

    Why: reportlab breaks the lines anew each time it asks for a size (several times for a
    paragraph in a table), and fitting asks again at every setting tried. Line breaks depend
    only on the width and the font size; a new leading or space after only changes the height.
    """

    _wrapped: tuple[float, float] | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        key = (available_width, self.style.fontSize)
        if self._wrapped != key:
            super().wrap(available_width, available_height)
            self._wrapped = key
        else:
            self.height = len(self.blPara.lines) * self.style.leading
        return self.width, self.height

    def restyle(self, style: RLStyle) -> None:
        self.style = style
        self.spaceAfter = style.spaceAfter

    language: str | None = None  # set when the words are in another language than the page

    def draw(self) -> None:
        # Marked content with /Lang tells screen readers which language the words are in
        # (PDF 1.7, 14.9.2); reportlab has no call for it, so the operators are written here.
        if self.language:
            self.canv._code.append(f"/Span <</Lang ({self.language})>> BDC")
        super().draw()
        if self.language:
            self.canv._code.append("EMC")


class _RuleFlowable(Flowable):  # type: ignore[misc]
    def __init__(self, thickness: float, color: str, space_after: float) -> None:
        super().__init__()
        self.thickness = thickness
        self.color = color
        self.spaceAfter = space_after

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.thickness

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(HexColor(self.color))
        canvas.setLineWidth(self.thickness)
        canvas.line(0, self.thickness / 2, self.width, self.thickness / 2)


def _build(blocks: tuple[Block, ...], document: Document, fit: Fit, width: float,
           cache: _ParagraphCache) -> list[Any]:
    result: list[Any] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            result.append(cache.flowable(block, document, fit, width))
        elif isinstance(block, Spacer):
            result.append(RLSpacer(0, block.height * fit.spacing))
        elif isinstance(block, Rule):
            result.append(_RuleFlowable(block.thickness, block.color,
                                        block.space_after * fit.spacing))
        elif isinstance(block, Row):
            result.append(_table(block, document, fit, cache))
        elif isinstance(block, Image):
            picture = RLImage(io.BytesIO(block.png), width=block.width, height=block.height,
                              mask="auto")
            picture.hAlign = "LEFT"
            picture.spaceAfter = block.space_after * fit.spacing
            result.append(picture)
        else:  # pragma: no cover
            raise BriefgenBug(f"unknown block {block!r}")
    return result


def _table(row: Row, document: Document, fit: Fit, cache: _ParagraphCache) -> Table:
    cells = [_build(cell.blocks, document, fit, cell.width - cell.padding[1] - cell.padding[3],
                    cache) or [RLSpacer(0, 0)] for cell in row.cells]
    table = Table([cells], colWidths=[cell.width for cell in row.cells])
    commands: list[tuple[Any, ...]] = []
    for column, cell in enumerate(row.cells):
        top, right, bottom, left = cell.padding
        where = ((column, 0), (column, 0))
        commands += [
            ("TOPPADDING", *where, top * _padding_scale(fit)),
            ("BOTTOMPADDING", *where, bottom * _padding_scale(fit)),
            ("LEFTPADDING", *where, left),
            ("RIGHTPADDING", *where, right),
            ("VALIGN", *where, cell.valign.upper()),
            # Without this the table names Helvetica, which would then sit unembedded in the PDF.
            ("FONTNAME", *where, document.fonts.name),
        ]
        if cell.background:
            commands.append(("BACKGROUND", *where, HexColor(cell.background)))
    table.setStyle(TableStyle(commands))
    table.spaceAfter = row.space_after * fit.spacing
    return table


def _padding_scale(fit: Fit) -> float:
    return 0.5 + 0.5 * fit.spacing


def _paragraph_style(paragraph: Paragraph, document: Document, fit: Fit) -> RLStyle:
    style = fitted_style(document.styles[paragraph.style], fit)
    names = register_fonts(document.fonts)
    return _rl_style(style.name, style.font_size, style.leading, style.color, style.bold,
                     style.italic, style.space_after, style.indent if paragraph.number else 0,
                     style.align, document.fonts.name, names[(True, False)])


@lru_cache(maxsize=512)
def _rl_style(name: str, size: float, leading: float, color: str, bold: bool, italic: bool,
              space_after: float, indent: float, align: str, family: str, bold_font: str
              ) -> RLStyle:
    font = family
    if bold or italic:
        font = {(True, False): f"{family}-Bold", (False, True): f"{family}-Italic",
                (True, True): f"{family}-BoldItalic"}[(bold, italic)]
    return RLStyle(
        name=name, fontName=font, fontSize=size, leading=leading, textColor=HexColor(color),
        alignment=_ALIGN[align], spaceBefore=0, spaceAfter=space_after, leftIndent=indent,
        bulletIndent=0, bulletFontName=bold_font, bulletFontSize=size,
        bulletColor=HexColor(color), splitLongWords=1, allowWidows=1, allowOrphans=1,
        embeddedHyphenation=0, uriWasteReduce=0.3,
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fragment(span: Span, document: Document, style: RLStyle) -> Any:
    """The reportlab text fragment for a span, without writing and parsing markup.

    Why: parsing paragraph markup is a third of the time reportlab spends on a paragraph.
    The fragment is a copy of the one reportlab's parser makes for the same formatting
    (parsed once per formatting), with the span's text put in; the text itself never passes
    through a parser, so nothing in it can act as markup.
    """
    model = _fragment_model(style, span.bold, span.italic, span.superscript, span.color,
                            span.link, document.link_color)
    fragment = copy.copy(model)
    fragment.text = span.text
    fragment.link = list(model.link)
    fragment.us_lines = []
    return fragment


@lru_cache(maxsize=1024)
def _fragment_model(style: RLStyle, bold: bool, italic: bool, superscript: bool,
                    color: str | None, link: str | None, link_color: str) -> Any:
    span = Span("x", bold=bold, italic=italic, superscript=superscript, link=link, color=color)
    markup = _span_markup(span, link_color, style.fontSize)
    return RLParagraph(markup, style).frags[0]


def _span_markup(span: Span, link_color: str, font_size: float) -> str:
    text = _escape(span.text)
    if span.superscript:
        size, rise = superscript_metrics(font_size)
        text = f'<super size="{size:.2f}" rise="{rise:.2f}">{text}</super>'

    if span.italic:
        text = f"<i>{text}</i>"
    if span.bold:
        text = f"<b>{text}</b>"
    if span.color:
        text = f'<font color="{span.color}">{text}</font>'
    if span.link:
        href = _escape(span.link).replace('"', "&quot;")
        text = f'<a href="{href}" color="{link_color}">{text}</a>'
    return text


def _height(flowables: list[Any], width: float) -> float:
    """Height the flowables take stacked in a frame of `width` (spaces collapse as in Frame)."""
    total = 0.0
    previous_after = 0.0
    for index, flowable in enumerate(flowables):
        _, height = flowable.wrap(width, 10_000)
        before = flowable.getSpaceBefore() if index else 0.0
        total += max(before - previous_after, 0.0) + height
        previous_after = flowable.getSpaceAfter()
        total += previous_after
    return total - previous_after


class _ParagraphCache:
    """One reportlab paragraph per document paragraph, width and font size.

    Fitting measures with these, and drawing reuses them restyled for the chosen fit, so a
    paragraph's markup is parsed and its lines broken only once per font size.
    """

    def __init__(self) -> None:
        self.paragraphs: dict[tuple[int, float, float], _Paragraph] = {}

    def flowable(self, paragraph: Paragraph, document: Document, fit: Fit, width: float
                 ) -> _Paragraph:
        style = _paragraph_style(paragraph, document, fit)
        key = (id(paragraph), style.fontSize, round(width, 3))
        flowable = self.paragraphs.get(key)
        if flowable is None:
            frags = [_fragment(span, document, style) for span in paragraph.spans if span.text]
            flowable = _Paragraph("".join(span.text for span in paragraph.spans), style,
                                  bulletText=paragraph.number, frags=frags)
            languages = {span.language for span in paragraph.spans if span.language}
            if len(languages) == 1:
                language = languages.pop()
                if re.fullmatch(r"[A-Za-z0-9-]{2,35}", language):
                    flowable.language = language
            self.paragraphs[key] = flowable
        else:
            flowable.restyle(style)
        return flowable

    def lines(self, paragraph: Paragraph, document: Document, fit: Fit, width: float) -> int:
        flowable = self.flowable(paragraph, document, fit, width)
        flowable.wrap(width, 100_000)
        return len(flowable.blPara.lines)


def _blocks_height(blocks: tuple[Block, ...], width: float, document: Document, fit: Fit,
                   counter: _ParagraphCache, heights: list[tuple[str, float]]) -> float:
    """Stacked height as reportlab lays it out: the last block's space after is not counted."""
    total = 0.0
    last_after = 0.0
    for block in blocks:
        after = 0.0
        if isinstance(block, Paragraph):
            style = fitted_style(document.styles[block.style], fit)
            height = counter.lines(block, document, fit, width) * style.leading
            heights.append((block.origin, height))
            after = style.space_after
        elif isinstance(block, Spacer):
            height = block.height * fit.spacing
        elif isinstance(block, Rule):
            height = block.thickness
            after = block.space_after * fit.spacing
        elif isinstance(block, Image):
            height = block.height
            after = block.space_after * fit.spacing
        else:
            height = max((_cell_height(cell, document, fit, counter, heights)
                          for cell in block.cells), default=0.0)
            after = block.space_after * fit.spacing
        total += height + after
        last_after = after
    return total - last_after


def _cell_height(cell: Any, document: Document, fit: Fit, counter: _ParagraphCache,
                 heights: list[tuple[str, float]]) -> float:
    top, right, bottom, left = cell.padding
    inner = _blocks_height(cell.blocks, cell.width - left - right, document, fit, counter,
                           heights)
    return float(inner + (top + bottom) * _padding_scale(fit))


def measure(document: Document, fit: Fit, counter: _ParagraphCache | None = None) -> Measurement:
    """Heights of body and footer at `fit`, without drawing."""
    counter = counter or _counter_for(document)
    width = document.page.content_width
    heights: list[tuple[str, float]] = []
    body = _blocks_height(document.body, width, document, fit, counter, heights)
    footer = _blocks_height(document.footer, width, document, fit, counter, heights)
    if document.footer:
        footer += document.footer_gap * fit.spacing
    return Measurement(body=body, footer=footer, available=document.page.content_height,
                       block_heights=heights)


_CACHES: dict[int, tuple[Document, _ParagraphCache]] = {}


def _counter_for(document: Document) -> _ParagraphCache:
    # Keyed by identity and holding the document, so an id is never reused while cached.
    entry = _CACHES.get(id(document))
    if entry is None or entry[0] is not document:
        _CACHES.clear()
        entry = (document, _ParagraphCache())
        _CACHES[id(document)] = entry
    return entry[1]


def measure_with_reportlab(document: Document, fit: Fit) -> Measurement:
    """The same heights taken from reportlab's own flowables (slow; for checking `measure`)."""
    width = document.page.content_width
    cache = _ParagraphCache()
    body = _build(document.body, document, fit, width, cache)
    footer = _build(document.footer, document, fit, width, cache)
    footer_height = _height(footer, width)
    if footer:
        footer_height += document.footer_gap * fit.spacing
    return Measurement(body=_height(body, width), footer=footer_height,
                       available=document.page.content_height)


def render_pdf(document: Document, fit: Fit) -> bytes:
    """Draw the document on one page; the fit must already have been found to fit."""
    names = register_fonts(document.fonts)
    page = document.page
    width = page.content_width
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

    cache = _counter_for(document)
    body = _build(document.body, document, fit, width, cache)
    footer = _build(document.footer, document, fit, width, cache)
    footer_height = _height(footer, width) if footer else 0.0
    gap = document.footer_gap * fit.spacing if footer else 0.0
    body_frame_height = page.content_height - footer_height - gap
    _fill(Frame(page.margin_left, page.margin_bottom + footer_height + gap, width,
                body_frame_height, 0, 0, 0, 0, showBoundary=0), body, canvas)
    if footer:
        _fill(Frame(page.margin_left, page.margin_bottom, width, footer_height + 0.01,
                    0, 0, 0, 0, showBoundary=0), footer, canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _fill(frame: Frame, flowables: list[Any], canvas: Canvas) -> None:
    remaining = list(flowables)
    frame.addFromList(remaining, canvas)
    if remaining:
        raise BriefgenBug("content left over after fitting: measurement and drawing disagree")


def longest_parts(measurement: Measurement, count: int = 3) -> Iterator[tuple[str, float]]:
    """The spec fields whose paragraphs take the most height, tallest first."""
    totals: dict[str, float] = {}
    for origin, height in measurement.block_heights:
        if origin and not origin.startswith("layout:"):
            totals[origin] = totals.get(origin, 0.0) + height
    yield from sorted(totals.items(), key=lambda item: -item[1])[:count]
