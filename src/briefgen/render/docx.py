"""DOCX backend: the same `Document`, as a Word file a colleague edits and sends on.

python-docx opens the template's base document (`template/base_document.py`: briefgen's own,
or an organisation's letterhead, whose header, footer and theme stay) and fills its body. What Word
sees is the brief's structure: the headline is in Word's built-in "heading 1" style and the
section headings in "heading 2" (restyled to the brief's look; converters such as mammoth and
pandoc know headings only by those names), the asks and the source notes are Word-numbered
lists, pictures carry alternative text or are marked decorative, and the grid is made of
layout tables (fixed widths, no header rows, no banding). Text is never in text boxes or
frames, so editing cannot move it off the page; the footer (contact and sources) is a table
floating on the bottom margin, in the reading order where it is written.

The page matches the PDF: every paragraph uses a named style made from the template's fitted
styles, line heights are exact, spacers and cell padding come from the same layout
(`briefgen.layout`), and the file carries subsets of the fonts it uses (`docx_fonts`), so
LibreOffice without Calibri or Carlito breaks lines at the same words. What python-docx has
no API for is written through its own element classes, in `docx_xml`. Each distinct format is
made once per process and copied where it recurs (`docx_styles.FormatCache`), and the base
document is parsed once and its parts copied (`docx_package`): a DOCX takes about 4 ms.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, NamedTuple, cast

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run as WordRun

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
    Spacer,
    Span,
    superscript_metrics,
)
from briefgen.errors import BriefgenBug
from briefgen.layout import NARROW_SPACE, NARROW_SPACE_GLYPH, Layout, chart_height, lay_out
from briefgen.render import docx_xml
from briefgen.render.docx_fonts import advance
from briefgen.render.docx_lines import PdfLines
from briefgen.render.docx_lists import WordLists
from briefgen.render.docx_marks import DocxOrigin, FieldMarks
from briefgen.render.docx_package import (
    embed_fonts,
    open_base_document,
    package_bytes,
    remove_leftovers,
    set_properties,
)
from briefgen.render.docx_styles import (
    ALIGNMENTS,
    FORMATS,
    WordStyles,
    outline_level,
    style_id,
)
from briefgen.render.docx_tables import layout_table
from briefgen.render.docx_xml import LINE_BREAK, twips
from briefgen.template.base_document import (
    BaseDocument,
    docx_margins,
    load_base_document,
    shipped_base_document,
)

SPACES = " \u00a0" + NARROW_SPACE
MIN_LINE = 0.7  # points: the least height Word and LibreOffice give an exact line


def render_docx(document: Document, fit: Fit, base: Path | None = None,
                origin: DocxOrigin | None = None) -> bytes:
    """The document as a DOCX built on the base document at `base` (briefgen's own if None).

    Each field's words are marked, and the DOCX records what it was built from (`origin`),
    so that a colleague's edits can come back to the spec (`docx_marks`).

    The footer (contact and sources) stands at the foot of the page's text area, as in the
    PDF, whatever height the body takes in a word processor; the room fitting kept free for
    the DOCX (`base_document.docx_reserve`) lies between the two, so a layout that runs a
    little longer still keeps the page. Raises `TemplateError` when the base document cannot
    be used.
    """
    base_document = load_base_document(base if base is not None else shipped_base_document())
    word = open_base_document(base_document)
    layout = lay_out(document, fit)
    writer = _Writer(word, document, layout, FieldMarks(origin, word))
    writer.set_up(base_document)
    body = _Container(word.element.body, is_body=True)
    writer.blocks(document.body, body, None)
    if document.footer:
        writer.layout = layout.footer()  # the footer's gaps never open up (see the layout)
        writer.footer(document.footer, body)
    set_properties(word, document.metadata)
    embed_fonts(word, document.fonts, writer.characters)
    writer.marks.finish()
    return package_bytes(word, document.metadata.date)


class _Container:
    """Where blocks go: the document's body (before its section properties) or a cell.

    A cell python-docx makes already holds an empty paragraph, and a table python-docx puts
    in a cell is followed by one (a cell must end with a paragraph): that `spare` paragraph
    takes the next paragraph-like block, or ends up as a hairline spacer.
    """

    def __init__(self, element: BaseOxmlElement, *, is_body: bool = False,
                 spare: BaseOxmlElement | None = None) -> None:
        self.element = element
        self.is_body = is_body
        self.spare = spare
        self.last_was_table = False

    def add(self, element: BaseOxmlElement) -> None:
        section = self.element.find(qn("w:sectPr")) if self.is_body else None
        if section is not None:
            section.addprevious(element)
        else:
            self.element.append(element)
        self.last_was_table = element.tag == qn("w:tbl")

    def paragraph(self) -> BaseOxmlElement:
        """A new empty paragraph at the end: the spare one if there is one."""
        if self.spare is not None:
            paragraph, self.spare = self.spare, None
            self.last_was_table = False
            return paragraph
        paragraph = docx_xml.new_element("w:p")
        self.add(paragraph)
        return paragraph


class _RunLook(NamedTuple):
    """What a run sets on top of its paragraph's style."""

    bold: bool | None = None  # None: as the style
    italic: bool | None = None
    color: str | None = None
    size: float | None = None  # points
    rise: float = 0.0  # points
    spacing: float | None = None  # points after every character
    language: str | None = None
    caps: bool | None = None


class _Writer:
    """Appends blocks to a python-docx document, in the layout's measures."""

    def __init__(self, word: Any, document: Document, layout: Layout,
                 marks: FieldMarks) -> None:
        self.word = word
        self.marks = marks
        self.document = document
        self.layout = layout  # the body's, then the footer's
        self.word_styles = WordStyles(word, document, layout)
        self.styles = self.word_styles.fitted
        self.characters: dict[tuple[bool, bool], set[str]] = {}  # per face (bold, italic)
        self.lists = WordLists(word, self.styles, self.list_label)
        narrow = document.fonts.regular
        self.narrow_space = advance(narrow, chr(NARROW_SPACE_GLYPH)) - advance(narrow,
                                                                               NARROW_SPACE)

    def set_up(self, base: BaseDocument) -> None:
        """Page, styles and the base document's leftovers, before any block is written."""
        word = self.word
        word.element.body.clear_content()
        page = self.document.page
        top, bottom = docx_margins(base, page)
        section = word.sections[-1]
        section.page_width, section.page_height = Pt(page.width), Pt(page.height)
        section.top_margin, section.bottom_margin = Pt(top), Pt(bottom)
        section.left_margin, section.right_margin = Pt(page.margin_left), Pt(page.margin_right)
        section.gutter = Pt(0)
        remove_leftovers(word)
        self.word_styles.define()

    # -- blocks ---------------------------------------------------------------------------------

    def blocks(self, blocks: tuple[Block, ...], container: _Container, cell: Cell | None) -> None:
        for index, block in enumerate(blocks):
            self.write(block, container, cell, index == len(blocks) - 1)

    def write(self, block: Block, container: _Container, cell: Cell | None, last: bool) -> None:
        """One block; `last` when it ends its column or group, so nothing follows it."""
        match block:
            case Paragraph():
                self.paragraph(block, container, cell, last)
            case Spacer():
                self.spacer(container, self.layout.spacer_height(block))
            case Rule():
                self.rule(block, container, last)
            case Row():
                self.row(block, container, cell, last)
            case Image():
                self.image(block, container, last)
            case Group():
                self.group(block, container, cell, last)
            case Chart():
                self.chart(block, container, cell, last)
            case _:  # pragma: no cover
                raise BriefgenBug(f"the DOCX cannot show {block!r}")

    def group(self, group: Group, container: _Container, cell: Cell | None, last: bool) -> None:
        """A group's blocks in place (its last block has no space after, as in the layout);
        an L group's numbered paragraphs as a Word-numbered list."""
        numbering = self.lists.numbers(group) if group.role == "L" else {}
        for index, block in enumerate(group.blocks):
            block_last = index == len(group.blocks) - 1
            if isinstance(block, Paragraph) and id(block) in numbering:
                self.paragraph(block, container, cell, block_last, numbering[id(block)])
            else:
                self.write(block, container, cell, block_last)
        if group.space_after and not last:
            self.spacer(container, self.layout.after(group))

    def list_label(self, style: ParagraphStyle) -> BaseOxmlElement:
        """The run properties of a Word list's numbers in paragraphs of `style`: bold and
        upright, as the PDF draws them."""
        return self.run_properties(_RunLook(
            bold=True, italic=False, color=style.label_color or style.color,
            size=style.label_size or style.font_size,
            spacing=0.0 if style.tracking else None), font_name=True)

    def paragraph(self, paragraph: Paragraph, container: _Container, cell: Cell | None,
                  last: bool, number_id: int | None = None) -> None:
        """A paragraph in its Word style, with the properties in which it differs from it,
        its label, and its runs; `number_id`: the Word list it is an item of."""
        lines = self.pdf_lines(paragraph, cell)
        # A headline the PDF set with balanced lines keeps them by explicit line breaks, on
        # the whole width: its balanced measure left a word processor no room to differ.
        broken = lines.broken and paragraph.role == "H1" and bool(paragraph.indent_right)
        element = container.paragraph()
        element.append(self.paragraph_properties(
            paragraph, 0.0 if last else self.layout.after(paragraph),
            0.0 if broken else paragraph.indent_right, number_id))
        self.label(paragraph, number_id, element)
        self.paragraph_runs(paragraph, lines, element, line_breaks=broken)
        self.marks.paragraph(paragraph, self.styles[paragraph.style],
                             typed_label=number_id is None)

    def paragraph_properties(self, paragraph: Paragraph, after: float, indent_right: float,
                             number_id: int | None) -> BaseOxmlElement:
        """The paragraph's properties: its Word style, and where it differs from it."""
        style = self.styles[paragraph.style]
        actual = self.layout.styles[paragraph.style]
        # The Word style the paragraph takes is made from `word_style`: the paragraph's own,
        # or the heading of its role, from which it differs in its own properties.
        source = self.word_styles.source_of(paragraph)
        word_style = self.styles[source]
        word_style_id = self.word_styles.word_style_id(source)
        level = outline_level(paragraph.role)
        style_level = outline_level(word_style.role)
        align = style.align if style.align != word_style.align else None
        indent = style.indent if style.indent != word_style.indent else None
        key = ("paragraph", word_style_id, after if after != word_style.space_after else None,
               actual.leading if actual.leading != word_style.leading else None,
               indent_right, paragraph.indent_left, level if level != style_level else "as style",
               number_id, align, indent)

        def make() -> BaseOxmlElement:
            element = _paragraph_element()
            element.style = word_style_id
            properties = WordParagraph(element, self.word).paragraph_format
            if after != word_style.space_after:
                # As in the layout, the last block of a column adds no space after it.
                properties.space_after = Pt(after)
            if actual.leading != word_style.leading:
                properties.line_spacing = Pt(actual.leading)
            if indent_right:
                properties.right_indent = Pt(indent_right)
            if align is not None:
                properties.alignment = ALIGNMENTS.get(align, WD_ALIGN_PARAGRAPH.LEFT)
            if indent is not None:
                properties.left_indent = Pt(indent + paragraph.indent_left)
                properties.first_line_indent = Pt(-indent)
            elif paragraph.indent_left:
                properties.left_indent = Pt(paragraph.indent_left)
            if level != style_level:
                docx_xml.set_outline_level(element.get_or_add_pPr(), level)
            if number_id is not None:
                docx_xml.set_numbering(element.get_or_add_pPr(), number_id)
            return element.get_or_add_pPr()

        return FORMATS.get(key, make)

    def label(self, paragraph: Paragraph, number_id: int | None, element: BaseOxmlElement
              ) -> None:
        """A numbered paragraph's label: Word's list number when it is an item of a Word
        list (`number_id`), else typed in the hanging indent."""
        if number_id is not None:
            self.face(True, False).update(paragraph.number or "")
            return
        if paragraph.number is None:
            return
        # A label that is not a list number (the quotation mark before a quote) hangs in the
        # indent, typed, with a tab, drawn as the PDF draws it: bold, upright.
        style = self.styles[paragraph.style]
        look = _RunLook(bold=True, italic=False if style.italic else None,
                        color=style.label_color, size=style.label_size,
                        spacing=0.0 if style.tracking else None)
        # Without the space the PDF sets after it ("«\u202f"): the tab takes the label to the
        # indent, where a label wider than the indent would have taken it to the next tab
        # stop.
        element.append(self.run(paragraph.number.rstrip(SPACES), look, (True, False)))
        tab = docx_xml.new_element("w:r")
        tab.append(docx_xml.new_element("w:tab"))
        element.append(tab)

    def paragraph_runs(self, paragraph: Paragraph, lines: PdfLines, element: BaseOxmlElement,
                       *, line_breaks: bool) -> None:
        """The paragraph's text as runs in `element` (`w:p`), span by span, a link's runs
        inside its `w:hyperlink`; `line_breaks`: at the PDF's line ends."""
        style = self.styles[paragraph.style]
        word_style = self.styles[self.word_styles.source_of(paragraph)]
        link: tuple[str, BaseOxmlElement] | None = None
        for span in lines.spans(line_breaks=line_breaks):
            if not span.text:
                continue
            runs = self.span_runs(span, style, word_style,
                                  whole=not (span.link and lines.split_word))
            self.marks.runs(span, runs)
            if span.link:
                if link is None or link[0] != span.link:
                    relationship_id = self.word.part.relate_to(
                        span.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
                    link = (span.link, docx_xml.hyperlink(relationship_id))
                    element.append(link[1])
                for run in runs:
                    link[1].append(run)
            else:
                link = None
                for run in runs:
                    element.append(run)

    def pdf_lines(self, paragraph: Paragraph, cell: Cell | None) -> PdfLines:
        """The paragraph as the PDF breaks it into lines, in `cell` (None: the page)."""
        # Measured as the layout measures it (the same sum), so its lines are found again.
        width = (cell.width - cell.padding[3] - cell.padding[1] if cell is not None
                 else self.document.page.content_width)
        laid = self.layout.laid(paragraph, width)
        return PdfLines(paragraph.spans, [
            sum(1 for word in "".join(run.text for run in line.runs).split(" ") if word)
            for line in laid.lines])

    def span_runs(self, span: Span, style: ParagraphStyle, word_style: ParagraphStyle, *,
                  whole: bool = True) -> list[BaseOxmlElement]:
        """The runs of one span of a paragraph in `style`, in the layout's sizes, saying how
        they differ from the paragraph's Word style (made from `word_style`); a narrow
        no-break space is a run of its own, condensed to the width the PDF gives it (about
        1/8 em). `whole`: its words break only at spaces, as in the PDF
        (`docx_xml.add_text`)."""
        size, rise = style.font_size * span.scale, 0.0
        if span.superscript:
            size, rise = superscript_metrics(style.font_size)
        color = (self.document.link_color if span.link else span.color
                 or (style.color if style.color != word_style.color else None))
        bold = style.bold or span.bold
        italic = style.italic or span.italic
        differs = abs(size - word_style.font_size) > 1e-6
        tracking = style.tracking * size
        spacing = (tracking if abs(tracking - word_style.tracking * word_style.font_size) > 1e-6
                   else None)
        look = _RunLook(bold=bold if bold != word_style.bold else None,
                        italic=italic if italic != word_style.italic else None, color=color,
                        size=size if differs else None, rise=rise, spacing=spacing,
                        language=span.language,
                        caps=style.caps if style.caps != word_style.caps else None)
        face = (bold, italic)
        runs = []
        pieces = span.text.split(NARROW_SPACE)
        for index, piece in enumerate(pieces):
            if index:
                condensed = look._replace(
                    spacing=(style.tracking + self.narrow_space) * size)
                runs.append(self.run(NARROW_SPACE, condensed, face))
            if piece:
                runs.append(self.run(piece, look, face, break_at_hyphens=not whole,
                                     address=bool(span.link)))
        return runs

    def face(self, bold: bool, italic: bool) -> set[str]:
        return self.characters.setdefault((bold, italic), set())

    def run(self, text: str, look: _RunLook, face: tuple[bool, bool], *,
            break_at_hyphens: bool = False, address: bool = False) -> BaseOxmlElement:
        """A run of `text` in its paragraph's style with `look` on top, drawn in `face`
        (bold, italic); `address`: the text of a link (`docx_xml.add_text`)."""
        run = docx_xml.new_element("w:r")
        if look != _RunLook():
            run.append(self.run_properties(look))
        docx_xml.add_text(run, text, break_at_hyphens=break_at_hyphens, address=address)
        self.face(*face).update(text.replace(LINE_BREAK, ""))
        return run

    def run_properties(self, look: _RunLook, *, font_name: bool = False) -> BaseOxmlElement:
        """Run properties for `look`, through python-docx's font API (raw XML for what it
        lacks: position, character spacing, language)."""
        font = self.document.fonts.docx_name if font_name else None

        def make() -> BaseOxmlElement:
            element = cast(CT_R, docx_xml.new_element("w:r"))
            word_font = WordRun(element, self.word).font
            if font:
                word_font.name = font
            if look.bold is not None:
                word_font.bold = look.bold
            if look.italic is not None:
                word_font.italic = look.italic
            if look.caps is not None:
                word_font.all_caps = look.caps
            if look.color:
                word_font.color.rgb = RGBColor.from_string(look.color[1:].upper())
            if look.size is not None:
                word_font.size = Pt(round(look.size * 2) / 2)
            properties = element.get_or_add_rPr()
            if look.rise:
                docx_xml.set_position(properties, Pt(look.rise))
            if look.spacing is not None:
                docx_xml.set_character_spacing(properties, twips(look.spacing))
            if look.language:
                docx_xml.set_language(properties, look.language)
            return properties

        return FORMATS.get(("run", look, font), make)

    def spacer(self, container: _Container, height: float) -> None:
        """An empty paragraph of exactly `height` points (at least a hairline)."""
        element = container.paragraph()
        element.append(self.spacer_properties(height))

    def spacer_properties(self, height: float, after: float = 0.0,
                          *, at_least: bool = False) -> BaseOxmlElement:
        def make() -> BaseOxmlElement:
            element = _paragraph_element()
            element.style = style_id("spacer")
            properties = WordParagraph(element, self.word).paragraph_format
            properties.space_after = Pt(after)
            properties.line_spacing = Pt(max(height, MIN_LINE))
            if at_least:
                # "At least": an exact line height clips a picture's top in LibreOffice.
                properties.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
            return element.get_or_add_pPr()

        return FORMATS.get(("spacer", round(height, 2), round(after, 2), at_least), make)

    def rule(self, rule: Rule, container: _Container, last: bool) -> None:
        """A rule: a hairline paragraph with a bottom border."""
        after = 0.0 if last else self.layout.after(rule)
        element = container.paragraph()
        properties = self.spacer_properties(MIN_LINE, after)
        docx_xml.set_bottom_border(properties, rule.color[1:].upper(),
                                   max(2, round(rule.thickness * 8)))
        element.append(properties)

    def image(self, image: Image, container: _Container, last: bool) -> None:
        """A picture in its own paragraph, as tall as in the PDF, with its description as
        alternative text (or marked decorative without one)."""
        after = 0.0 if last else self.layout.after(image)
        element = container.paragraph()
        element.append(self.spacer_properties(image.height, after, at_least=True))
        run_element = docx_xml.new_element("w:r")
        element.append(run_element)
        run = WordRun(run_element, WordParagraph(element, self.word))
        run.add_picture(io.BytesIO(image.png), width=Pt(image.width), height=Pt(image.height))
        inline = run_element.find(f"{qn('w:drawing')}/{qn('wp:inline')}")
        docx_xml.describe_picture(inline, image.description)

    def chart(self, chart: Chart, container: _Container, cell: Cell | None, last: bool) -> None:
        """A native Word chart (`docx_chart`) in its own paragraph, as wide as its column and
        as tall as the layout makes it, its description as alternative text."""
        from briefgen.render.docx_chart import add_chart

        height = chart_height(chart, self.layout.fit)
        width = (cell.width - cell.padding[1] - cell.padding[3] if cell is not None
                 else self.document.page.content_width)
        after = 0.0 if last else self.layout.after(chart)
        element = container.paragraph()
        element.append(self.spacer_properties(height, after, at_least=True))
        element.append(add_chart(self.word.part, chart, width, height,
                                 self.layout.styles[chart.style],
                                 self.document.fonts.docx_name, self.document.metadata.date))

    def row(self, row: Row, container: _Container, cell: Cell | None, last: bool) -> None:
        """A row as a one-row layout table of fixed-width cells."""
        spare = container.spare
        if spare is not None:
            container.spare = None
            if spare.getprevious() is None or spare.getprevious().tag == qn("w:tcPr"):
                spare.getparent().remove(spare)  # a cell may start with a table
            else:
                # Two tables in a row would merge into one: the spare paragraph stays between.
                spare.append(self.spacer_properties(MIN_LINE))
        elif container.last_was_table:
            self.spacer(container, MIN_LINE)
        element = self.table(row)
        container.add(element)
        self.cells(row, element)
        if row.space_after and not last:
            self.spacer(container, self.layout.after(row))
        elif cell is not None:
            # A cell must end with a paragraph (python-docx's cell tables are followed by
            # one too): the next block takes it, or it stays as a hairline.
            spare = docx_xml.new_element("w:p")
            container.add(spare)
            container.spare = spare
            container.last_was_table = False

    def cells(self, row: Row, element: BaseOxmlElement) -> None:
        """The blocks of each of the row's cells, into the cells of its table `element`."""
        cells = element.find(qn("w:tr")).iterchildren(qn("w:tc"))
        for inner, cell_element in zip(row.cells, cells, strict=True):
            # python-docx's new cell holds an empty paragraph: the first paragraph-like block
            # takes it.
            content = _Container(cell_element, spare=cell_element.find(qn("w:p")))
            self.blocks(inner.blocks, content, inner)
            if content.spare is not None:  # an empty cell, or one ending with a table
                content.spare.append(self.spacer_properties(MIN_LINE))

    def footer(self, blocks: tuple[Block, ...], body: _Container) -> None:
        """The footer's blocks in a one-cell layout table standing at the foot of the text
        area (a floating table, `docx_xml.set_position_at_foot`), as the PDF draws them.

        Why a floating table: the body's height differs a little from word processor to word
        processor, so a footer that followed it would float above the foot (or run onto a
        second page); the section's own footer would hold the sources where Word's PDF export
        marks them as page furniture and converters (mammoth, pandoc) drop them; and Word
        places a frame (`w:framePr`) around paragraphs only, not the sources' two columns. A
        floating table stays in the reading order where it is written, and Word and
        LibreOffice both place it by its position."""
        row = Row((Cell(blocks, self.document.page.content_width),))
        if body.last_was_table:
            self.spacer(body, MIN_LINE)  # two tables in a row would merge into one
        element = self.table(row)
        docx_xml.set_position_at_foot(element.find(qn("w:tblPr")),
                                      twips(self.document.page.margin_left))
        body.add(element)
        self.cells(row, element)
        self.spacer(body, MIN_LINE)  # the paragraph a floating table is anchored to

    def table(self, row: Row) -> BaseOxmlElement:
        """An empty one-row layout table for `row`, its cells padded as the layout sets them."""
        return layout_table(self.word, row,
                            tuple(self.layout.cell_insets(cell) for cell in row.cells))


def _paragraph_element() -> CT_P:
    return cast(CT_P, docx_xml.new_element("w:p"))
