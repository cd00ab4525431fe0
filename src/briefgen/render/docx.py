"""DOCX backend (python-docx): the same `Document`, as an editable Word file.

The grid is built from fixed-width tables (no floating frames, which move between word
processors), every paragraph uses a named style defined in the file, and line heights are
exact so Word and LibreOffice break pages where the PDF does. Text runs name the font's
metric twin (Calibri for Carlito), so lines also break where they do in the PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from functools import lru_cache
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from briefgen.document import (
    Block,
    Document,
    Fit,
    Paragraph,
    ParagraphStyle,
    Row,
    Rule,
    Spacer,
    fitted_style,
)
from briefgen.errors import BriefgenBug

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
          "center": WD_ALIGN_PARAGRAPH.CENTER}
_SPACER_STYLE = "Brief Spacer"


def style_display_name(name: str) -> str:
    """`stat-value` -> `Brief Stat Value`: the name a colleague sees in Word's style list."""
    return "Brief " + name.replace("-", " ").title()


def render_docx(document: Document, fit: Fit, reserve: float) -> bytes:
    """Render the document; the footer follows the body after the space the PDF leaves."""
    word = docx.Document(io.BytesIO(_base_package()))
    _set_page(word, document)
    _set_defaults(word, document)
    styles = {name: fitted_style(style, fit) for name, style in document.styles.items()}
    style_ids = {name: _define_style(word, style, document) for name, style in styles.items()}
    style_ids[_SPACER_STYLE] = _define_spacer_style(word)
    container = _Container(word, word.element.body, style_ids)
    _add_blocks(container, document.body, document, fit, styles)
    if document.footer:
        gap = document.footer_gap * fit.spacing + max(0.0, fit.slack - reserve)
        _add_spacer(container, gap)
        _add_blocks(container, document.footer, document, fit, styles)
    _set_properties(word, document)
    buffer = io.BytesIO()
    word.save(buffer)
    return _normalize_zip(buffer.getvalue(), document.metadata.date)


class _Container:
    """Where new paragraphs and tables go: the document body or a table cell."""

    def __init__(self, word: Any, element: Any, style_ids: dict[str, str], cell: Any = None
                 ) -> None:
        self.word = word
        self.element = element
        self.style_ids = style_ids  # looking styles up by name in python-docx is slow
        self.cell = cell
        self.used_first = False

    def add_paragraph(self) -> Any:
        if self.cell is not None:
            if not self.used_first:
                self.used_first = True
                return self.cell.paragraphs[0]
            return self.cell.add_paragraph()
        return self.word.add_paragraph()

    def add_table(self, columns: int, width: float) -> Any:
        if self.cell is not None:
            self.used_first = True
            return self.cell.add_table(rows=1, cols=columns)
        return self.word.add_table(rows=1, cols=columns)


def _add_blocks(container: _Container, blocks: tuple[Block, ...], document: Document, fit: Fit,
                styles: dict[str, ParagraphStyle]) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            _add_paragraph(container, block, document, styles)
        elif isinstance(block, Spacer):
            _add_spacer(container, block.height * fit.spacing)
        elif isinstance(block, Rule):
            _add_rule(container, block, fit)
        elif isinstance(block, Row):
            _add_row(container, block, document, fit, styles)
        else:  # pragma: no cover
            raise BriefgenBug(f"unknown block {block!r}")


def _add_paragraph(container: _Container, paragraph: Paragraph, document: Document,
                   styles: dict[str, ParagraphStyle]) -> None:
    style = styles[paragraph.style]
    word_paragraph = container.add_paragraph()
    word_paragraph._p.style = container.style_ids[paragraph.style]
    if paragraph.number is not None:
        number = word_paragraph.add_run(paragraph.number + "\t")
        number.bold = True
    for span in paragraph.spans:
        run = (_hyperlink_run(word_paragraph, span.link) if span.link
               else word_paragraph.add_run())
        run.text = span.text
        # A span's bold and italic add to the style's; they never switch the style's off.
        if span.bold and not style.bold:
            run.bold = True
        if span.italic and not style.italic:
            run.italic = True
        if span.superscript:
            run.font.superscript = True
        if span.link:
            run.font.color.rgb = RGBColor.from_string(document.link_color[1:])
        elif span.color:
            run.font.color.rgb = RGBColor.from_string(span.color[1:])
        if span.language:
            _set_language(run._r.get_or_add_rPr(), span.language)


def _hyperlink_run(paragraph: Any, url: str) -> Any:
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relationship)
    paragraph._p.append(hyperlink)
    run = paragraph.add_run()
    hyperlink.append(run._r)
    return run


def _add_spacer(container: _Container, height: float) -> None:
    paragraph = container.add_paragraph()
    paragraph._p.style = container.style_ids[_SPACER_STYLE]
    paragraph.paragraph_format.line_spacing = Pt(max(height, 0.7))


def _add_rule(container: _Container, rule: Rule, fit: Fit) -> None:
    paragraph = container.add_paragraph()
    paragraph._p.style = container.style_ids[_SPACER_STYLE]
    paragraph.paragraph_format.line_spacing = Pt(0.7)
    paragraph.paragraph_format.space_after = Pt(rule.space_after * fit.spacing)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(max(2, round(rule.thickness * 8))))
    bottom.set(qn("w:space"), "0")
    bottom.set(qn("w:color"), rule.color[1:].upper())
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _add_row(container: _Container, row: Row, document: Document, fit: Fit,
             styles: dict[str, ParagraphStyle]) -> None:
    total = sum(cell.width for cell in row.cells)
    table = container.add_table(len(row.cells), total)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    properties = table._tbl.tblPr
    _set_child(properties, "w:tblW", {"w:w": str(_twips(total)), "w:type": "dxa"})
    _set_child(properties, "w:tblLayout", {"w:type": "fixed"})
    _set_child(properties, "w:tblInd", {"w:w": "0", "w:type": "dxa"})
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)
    grid = table._tbl.tblGrid
    for column, cell in zip(grid.findall(qn("w:gridCol")), row.cells, strict=True):
        column.set(qn("w:w"), str(_twips(cell.width)))
    padding_scale = 0.5 + 0.5 * fit.spacing
    for word_cell, cell in zip(table.rows[0].cells, row.cells, strict=True):
        cell_properties = word_cell._tc.get_or_add_tcPr()
        _set_child(cell_properties, "w:tcW", {"w:w": str(_twips(cell.width)), "w:type": "dxa"})
        top, right, bottom, left = cell.padding
        cell_margins = OxmlElement("w:tcMar")
        for side, value in (("top", top * padding_scale), ("left", left),
                            ("bottom", bottom * padding_scale), ("right", right)):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(_twips(value)))
            margin.set(qn("w:type"), "dxa")
            cell_margins.append(margin)
        cell_properties.append(cell_margins)
        if cell.background:
            _set_child(cell_properties, "w:shd", {"w:val": "clear", "w:color": "auto",
                                                  "w:fill": cell.background[1:].upper()})
        _set_child(cell_properties, "w:vAlign", {"w:val": "top" if cell.valign == "top"
                                                 else cell.valign})
        inner = _Container(container.word, word_cell._tc, container.style_ids, word_cell)
        if cell.blocks:
            _add_blocks(inner, cell.blocks, document, fit, styles)
            # As in the PDF, the last paragraph's space after does not add to the cell height.
            last = word_cell.paragraphs[-1]
            if isinstance(cell.blocks[-1], Paragraph):
                last.paragraph_format.space_after = Pt(0)
        else:
            _add_spacer(inner, 0.7)
    if row.space_after:
        _add_spacer(container, row.space_after * fit.spacing)


def _set_child(parent: Any, tag: str, attributes: dict[str, str]) -> None:
    existing = parent.find(qn(tag))
    if existing is not None:
        parent.remove(existing)
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(key), value)
    parent.append(element)


def _twips(points: float) -> int:
    return round(points * 20)


def _set_page(word: Any, document: Document) -> None:
    page = document.page
    section = word.sections[0]
    section.page_width = Pt(page.width)
    section.page_height = Pt(page.height)
    section.top_margin = Pt(page.margin_top)
    section.bottom_margin = Pt(page.margin_bottom)
    section.left_margin = Pt(page.margin_left)
    section.right_margin = Pt(page.margin_right)
    section.header_distance = Pt(0)
    section.footer_distance = Pt(0)


def _set_language(rpr: Any, language: str) -> None:
    _set_child(rpr, "w:lang", {"w:val": language, "w:eastAsia": language, "w:bidi": language})


def _set_defaults(word: Any, document: Document) -> None:
    normal = word.styles["Normal"]
    normal.font.name = document.fonts.docx_name
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), document.fonts.docx_name)
    _set_language(rpr, document.metadata.language)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.widow_control = False
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        default_rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if default_rpr is not None:
            _set_language(default_rpr, document.metadata.language)
            default_fonts = default_rpr.find(qn("w:rFonts"))
            if default_fonts is not None:
                for attribute in list(default_fonts.attrib):
                    del default_fonts.attrib[attribute]
                for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                    default_fonts.set(qn(attribute), document.fonts.docx_name)


def _define_style(word: Any, style: ParagraphStyle, document: Document) -> str:
    word_style = word.styles.add_style(style_display_name(style.name), WD_STYLE_TYPE.PARAGRAPH)
    word_style.base_style = word.styles["Normal"]
    word_style.quick_style = True
    font = word_style.font
    font.name = document.fonts.docx_name
    font.size = Pt(style.font_size)
    font.bold = style.bold
    font.italic = style.italic
    font.color.rgb = RGBColor.from_string(style.color[1:])
    paragraph_format = word_style.paragraph_format
    paragraph_format.alignment = _ALIGN[style.align]
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(style.space_after)
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(style.leading)
    paragraph_format.widow_control = False
    if style.indent:
        paragraph_format.left_indent = Pt(style.indent)
        paragraph_format.first_line_indent = Pt(-style.indent)
        paragraph_format.tab_stops.add_tab_stop(Pt(style.indent))
    return str(word_style.style_id)


def _define_spacer_style(word: Any) -> str:
    spacer = word.styles.add_style(_SPACER_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    spacer.base_style = word.styles["Normal"]
    spacer.hidden = True
    spacer.font.size = Pt(1)
    spacer.paragraph_format.space_before = Pt(0)
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacer.paragraph_format.line_spacing = Pt(1)
    return str(spacer.style_id)


def _set_properties(word: Any, document: Document) -> None:
    metadata = document.metadata
    properties = word.core_properties
    stamp = dt.datetime.fromisoformat(metadata.date)
    properties.title = metadata.title
    properties.author = metadata.author
    properties.subject = metadata.subject
    properties.keywords = metadata.keywords
    properties.language = metadata.language
    properties.last_modified_by = metadata.author
    properties.comments = ""
    properties.category = "Briefing note"
    properties.revision = 1
    properties.created = stamp
    properties.modified = stamp
    properties.last_printed = stamp


_KEPT_STYLES = {"Normal", "Default Paragraph Font", "Normal Table", "No List"}
_DROPPED_PARTS = {"thumbnail", "stylesWithEffects", "customXml", "webSettings"}


@lru_cache(maxsize=1)
def _base_package() -> bytes:
    """python-docx's default document, trimmed to what a brief uses.

    Why: its 200 unused styles and a second copy of them (stylesWithEffects) make every file
    larger and every render slower; the thumbnail shows a blank page in file browsers.
    """
    word = docx.Document()
    for owner in (word.part.package, word.part):
        for relationship_id, relationship in list(owner.rels.items()):
            if relationship.reltype.rsplit("/", 1)[-1] in _DROPPED_PARTS:
                owner.rels.pop(relationship_id)
    styles = word.styles.element
    for style in styles.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is None or name.get(qn("w:val")) not in _KEPT_STYLES:
            styles.remove(style)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _normalize_zip(data: bytes, date: str) -> bytes:
    """Rewrite the zip with fixed entry times so equal input gives byte-identical files."""
    year, month, day = (int(part) for part in date.split("-"))
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(max(year, 1980), month, day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return output.getvalue()
