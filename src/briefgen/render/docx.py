"""DOCX backend: the same `Document`, as a Word file a colleague edits and sends on.

python-docx opens the template's base document (`render/docx_base.py`: briefgen's own, or an
organisation's letterhead, whose header, footer and theme stay) and fills its body. What Word
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
LibreOffice without Calibri or Carlito breaks lines at the same words. Raw WordprocessingML
is written only where python-docx has no API, in `docx_xml`.

Why formats are copied: python-docx's API costs about 40 microseconds a property, and a brief
sets some 1,500 (about 40 ms, twice the rest of a brief). So each distinct style, paragraph,
run and table format is made once per process through python-docx and copied where it recurs
(the copies are the same XML), and the base document is parsed once and its parts copied: a
DOCX takes about 4 ms.
"""

from __future__ import annotations

import copy
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple, cast

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.opc.part import Part, PartFactory, XmlPart
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.package import Package
from docx.shared import Pt, RGBColor
from docx.styles.style import ParagraphStyle as WordParagraphStyle
from docx.styles.style import StyleFactory
from docx.table import Table
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
from briefgen.errors import BriefgenBug, Problem, TemplateError
from briefgen.layout import (
    NARROW_SPACE,
    NARROW_SPACE_GLYPH,
    Layout,
    chart_height,
    lay_out,
)
from briefgen.render import docx_xml
from briefgen.render.docx_fonts import ALPHABETS, FONT_CONTENT_TYPE, advance, embedded_font
from briefgen.render.docx_xml import twips
from briefgen.render.ooxml import W14
from briefgen.template.base_document import (
    BaseDocument,
    docx_margins,
    load_base_document,
    shipped_base_document,
)

# The font table is plain XML to python-docx, which would keep it as bytes; as an XML part
# its entries can be added to.
PartFactory.part_type_for[CONTENT_TYPE.WML_FONT_TABLE] = XmlPart

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
ATTACHED_TEMPLATE = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                     "attachedTemplate")
SPACER_STYLE = "Brief Spacer"
ALIGNMENTS = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
LINE_BREAK = docx_xml.LINE_BREAK
NO_BREAK_SPACE = "\u00a0"
SPACES = " \u00a0" + NARROW_SPACE
STYLE, STYLE_ID, NAME, VALUE = qn("w:style"), qn("w:styleId"), qn("w:name"), qn("w:val")
# role -> Word's built-in style (as python-docx names it; "heading 1" in the file), its
# outline level (0: the top).
HEADINGS = {"H1": ("Heading 1", 0), "H2": ("Heading 2", 1)}
# Parts smaller than this are stored, not compressed: starting a compressor costs more time
# (about 70 microseconds a part) than the few hundred bytes it would save are worth.
SMALL_PART = 4096
MIN_LINE = 0.7  # points: the least height Word and LibreOffice give an exact line
BORDER = 6  # eighths of a point: a cell's thin outline (0.75 pt)
LEFT_RULE = 16  # eighths of a point: a cell's rule down its left side (2 pt)
FACES = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
         (True, True): "BoldItalic"}  # (bold, italic) -> w:embed..., in the schema's order
_EMPTY_FONT_TABLE = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     b'<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                     b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                     b'2006/relationships"/>')
_EMPTY_NUMBERING = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    b'<w:numbering xmlns:w="http://schemas.openxmlformats.org/'
                    b'wordprocessingml/2006/main"/>')


def style_display_name(name: str) -> str:
    """`stat-value` -> `Brief Stat Value`: the name a colleague sees in Word's style list."""
    return "Brief " + name.replace("-", " ").title()


def style_id(name: str) -> str:
    """`stat-value` -> `BriefStatValue`, the id python-docx gives that display name."""
    return style_display_name(name).replace(" ", "")


def render_docx(document: Document, fit: Fit, base: Path | None = None) -> bytes:
    """The document as a DOCX built on the base document at `base` (briefgen's own if None).

    The footer (contact and sources) stands at the foot of the page's text area, as in the
    PDF, whatever height the body takes in a word processor; the room fitting kept free for
    the DOCX (`docx_base.docx_reserve`) lies between the two, so a layout that runs a little
    longer still keeps the page. Raises `TemplateError` when the base document cannot be
    used.
    """
    base_document = load_base_document(base if base is not None else shipped_base_document())
    try:
        word = _open(base_document.data)
    except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile, PackageNotFoundError) as error:
        # python-docx reads every part, some of which checking the base document did not.
        raise TemplateError(Problem(
            base_document.path, "", f"is not a Word document briefgen can read ({error})",
            "open it in Word and save it again as \"Word Document (.docx)\"")) from None
    layout = lay_out(document, fit)
    writer = _Writer(word, document, layout)
    writer.set_up(base_document)
    body = _Container(word.element.body, is_body=True)
    writer.blocks(document.body, body, None)
    if document.footer:
        writer.layout = layout.footer()  # the footer's gaps never open up (see the layout)
        writer.footer(document.footer, body)
    writer.finish()
    return _package(word, document.metadata.date)


# python-docx refuses a core property (title, subject, keywords ...) longer than this many
# characters (code points, not bytes: 255 Cyrillic letters are fine), as Word's dialogs do.
CORE_PROPERTY_CHARACTERS = 255


def core_property(text: str) -> str:
    """`text` as a core property: whole when it fits, else cut at its last whole word within
    the limit, with "…" (a spec may hold a 300-character title, and the subject joins the
    event's name, place and dates with the audience's name)."""
    if len(text) <= CORE_PROPERTY_CHARACTERS:
        return text
    kept = text[:CORE_PROPERTY_CHARACTERS - 1]  # room for "…"
    if not text[len(kept)].isspace():  # the last word is cut short: leave it out
        shorter = re.sub(r"\S+$", "", kept)
        if len(shorter) >= len(kept) // 2:  # unless it is half the text (a long address)
            kept = shorter
    return kept.rstrip().rstrip(",;:–—-·").rstrip() + "…"


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


class _Formats:
    """Style, paragraph and run properties made through python-docx once per process, and
    copied where the same format recurs (see the module docstring)."""

    LIMIT = 4096  # distinct formats kept; a long watch or batch keeps memory bounded

    def __init__(self) -> None:
        self.elements: dict[Hashable, BaseOxmlElement] = {}

    def get(self, key: Hashable, make: Callable[[], BaseOxmlElement]) -> BaseOxmlElement:
        """A copy of the element made for `key`, making it with `make` the first time."""
        element = self.elements.get(key)
        if element is None:
            if len(self.elements) > self.LIMIT:
                self.elements.clear()
            element = self.elements[key] = copy.copy(make())
        # copy.copy of an lxml element copies its whole subtree, and is 15 times quicker
        # than copy.deepcopy, which adds nothing for it.
        return copy.copy(element)


_FORMATS = _Formats()


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

    def __init__(self, word: Any, document: Document, layout: Layout) -> None:
        self.word = word
        self.document = document
        self.layout = layout  # the body's, then the footer's
        # Each Word style as its paragraphs use it: a style seen only in the footer as the
        # footer's layout has it, any other as the body's (a paragraph that differs from its
        # style says so in its own properties).
        footer_only = _style_names(document.footer) - _style_names(document.body)
        footer_styles = layout.footer().styles
        self.styles = {name: footer_styles[name] if name in footer_only else style
                       for name, style in layout.styles.items()}
        self.characters: dict[tuple[bool, bool], set[str]] = {}  # per face
        self.lists: dict[str, tuple[int, int]] = {}  # style -> (numId, last number)
        self.abstract_lists: dict[str, int] = {}  # style -> abstractNumId
        self.writers: dict[type, Callable[[Any, _Container, Cell | None, bool], None]] = {
            Paragraph: self.paragraph, Spacer: self.spacer_block, Rule: self.rule,
            Row: self.row, Image: self.image, Group: self.group, Chart: self.chart,
        }
        self.word_styles = word.styles.element
        self.has_w14 = self.word_styles.nsmap.get("w14") == W14
        # role -> the style that is Word's built-in heading for it: the first of its role.
        self.headings: dict[str, str] = {}
        for name, style in self.styles.items():
            if style.role in HEADINGS:
                self.headings.setdefault(style.role, name)
        self.word_style_names = {
            name: HEADINGS[style.role][0] if self.headings.get(style.role) == name
            else style_display_name(name) for name, style in self.styles.items()}
        narrow = document.fonts.regular
        self.narrow_space = advance(narrow, chr(NARROW_SPACE_GLYPH)) - advance(narrow,
                                                                               NARROW_SPACE)

    # -- the document as a whole ----------------------------------------------------------------

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
        package = word.part.package
        for relationship in list(package.rels.values()):
            # A thumbnail would show the base document's page in file browsers.
            if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
                del package.rels[relationship.rId]
        for relationship in list(word.part.rels.values()):
            # Word 2010's copy of the styles with its text effects: it would keep the base
            # document's styles, and Word 2013 and later neither need nor write it.
            if relationship.reltype == STYLES_WITH_EFFECTS:
                del word.part.rels[relationship.rId]
        self.remove_attached_template()
        self.define_styles()

    def remove_attached_template(self) -> None:
        """Drop a link to the Word template the base document was made from: Word would
        reach for that file (often on a server) each time the brief is opened."""
        settings = self.word.settings.element
        attached = settings.find(qn("w:attachedTemplate"))
        if attached is not None:
            settings.remove(attached)
        settings_part = self.word.part.part_related_by(RELATIONSHIP_TYPE.SETTINGS)
        for relationship in list(settings_part.rels.values()):
            if relationship.reltype == ATTACHED_TEMPLATE:
                del settings_part.rels[relationship.rId]

    def define_styles(self) -> None:
        """The template's fitted styles as Word paragraph styles, with their outline levels.

        The first style of each heading role (the headline's, the section headings') is
        Word's built-in "heading 1" or "heading 2" itself, restyled to the design: converters
        (mammoth, pandoc) and Word's Navigation pane know headings by those names. Another
        style of the same role is based on it; the others on Normal."""
        self.ensure_builtin_styles()
        defaults = self.word_styles.find(qn("w:docDefaults"))
        if defaults is not None:
            run_defaults = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
            if run_defaults is not None:
                docx_xml.set_language(run_defaults, self.document.metadata.language)
        styles = self.style_elements()
        ids = {name: style.get(STYLE_ID) for name, style in styles.items()}
        by_id = {style.get(STYLE_ID): style for style in styles.values()}
        for name, style in self.styles.items():
            display = self.word_style_names[name]
            for old in {styles.get(display.lower()), by_id.get(display.replace(" ", ""))}:
                if old is not None:  # the base document's, or one made from an earlier brief
                    self.word_styles.remove(old)
            level = HEADINGS[style.role][1] if style.role in HEADINGS else None
            heading = self.headings.get(style.role)
            based_on = (HEADINGS[style.role][0].replace(" ", "") if heading and heading != name
                        else ids.get("normal") or "Normal")
            key = ("style", style, display, based_on, level, self.document.fonts.docx_name,
                   self.has_w14)
            self.word_styles.append(_FORMATS.get(key, partial(
                self.fitted_style, style, display, based_on, level)))

    def style_elements(self) -> dict[str, BaseOxmlElement]:
        """The document's styles by lower-case name ("heading 1")."""
        found = {}
        for style in self.word_styles.iterchildren(STYLE):
            name = style.find(NAME)
            found[(name.get(VALUE, "") if name is not None else "").lower()] = style
        return found

    def ensure_builtin_styles(self) -> None:
        """The spacer style, from briefgen's own base document when an organisation's does
        not define it."""
        if SPACER_STYLE.lower() in self.style_elements():
            return
        shipped = docx.Document(io.BytesIO(load_base_document(shipped_base_document()).data))
        shipped_styles = {style.name.lower(): style.element for style in shipped.styles}
        self.word_styles.append(copy.copy(shipped_styles[SPACER_STYLE.lower()]))

    def fitted_style(self, style: ParagraphStyle, display: str, based_on: str,
                     level: int | None) -> BaseOxmlElement:
        """The style at the sizes the fit gave it: a copy of the style as designed, with
        python-docx setting its size, spacing and letter spacing (every audience of a brief
        has its own fit; the rest of a style is made once)."""
        design = style._replace(font_size=0.0, leading=0.0, space_after=0.0, tracking=0.0,
                                min_font_size=0.0, min_space_after=0.0, label_size=None)
        key = ("style design", design, display, based_on, level,
               self.document.fonts.docx_name, self.has_w14)
        element = _FORMATS.get(key, partial(self.make_style, style, display, based_on, level))
        word_style = cast(WordParagraphStyle, StyleFactory(element))
        word_style.font.size = Pt(style.font_size)
        paragraph = word_style.paragraph_format
        paragraph.space_after = Pt(style.space_after)
        paragraph.line_spacing = Pt(style.leading)  # exact, as in the PDF
        if style.tracking:
            docx_xml.set_character_spacing(element.get_or_add_rPr(),
                                           twips(style.tracking * style.font_size))
        return element

    def make_style(self, style: ParagraphStyle, display: str, based_on: str,
                   level: int | None) -> BaseOxmlElement:
        """One paragraph style, through python-docx's style API."""
        builtin = display in {name for name, _ in HEADINGS.values()}
        word_style = self.word.styles.add_style(display, WD_STYLE_TYPE.PARAGRAPH,
                                                builtin=builtin)
        element = word_style.element
        element.basedOn_val = based_on
        word_style.quick_style = True
        font = word_style.font
        font.name = self.document.fonts.docx_name
        font.size = Pt(style.font_size)
        font.bold = style.bold  # explicit: a heading's base style is bold
        font.italic = style.italic
        font.all_caps = True if style.caps else None  # so added text is in capitals too
        font.color.rgb = RGBColor.from_string(style.color[1:].upper())
        paragraph = word_style.paragraph_format
        paragraph.space_before = Pt(0)
        paragraph.space_after = Pt(style.space_after)
        paragraph.line_spacing = Pt(style.leading)  # exact, as in the PDF
        paragraph.alignment = ALIGNMENTS.get(style.align, WD_ALIGN_PARAGRAPH.LEFT)
        if style.indent:
            paragraph.left_indent = Pt(style.indent)
            paragraph.first_line_indent = Pt(-style.indent)
            paragraph.tab_stops.add_tab_stop(Pt(style.indent))
        if level is not None:
            docx_xml.set_outline_level(element.get_or_add_pPr(), level)
            paragraph.keep_with_next = True  # as Word's own headings
            paragraph.keep_together = True
        run_properties = element.get_or_add_rPr()
        if style.tracking:
            docx_xml.set_character_spacing(run_properties,
                                           twips(style.tracking * style.font_size))
        docx_xml.set_no_ligatures(run_properties)
        self.word_styles.remove(element)  # the caller puts a copy in its place
        return cast(BaseOxmlElement, element)

    def finish(self) -> None:
        """Properties, fonts and settings, once every block is written."""
        metadata = self.document.metadata
        properties = self.word.core_properties
        properties.title = core_property(metadata.title)
        properties.subject = core_property(metadata.subject)
        properties.author = core_property(metadata.author)
        properties.last_modified_by = core_property(metadata.author)
        properties.keywords = core_property(metadata.keywords)
        properties.language = metadata.language
        properties.category = "Briefing note"
        properties.comments = ""
        properties.revision = 1
        year, month, day = (int(part) for part in metadata.date.split("-"))
        stamp = datetime(year, month, day, tzinfo=UTC)
        properties.created = properties.modified = stamp
        self.embed_fonts()

    def embed_fonts(self) -> None:
        """Subsets of the faces the text uses, as Word's embedded fonts."""
        word_part = self.word.part
        try:
            font_table = word_part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
        except KeyError:
            font_table = XmlPart.load(PackURI("/word/fontTable.xml"),
                                      CONTENT_TYPE.WML_FONT_TABLE, _EMPTY_FONT_TABLE,
                                      word_part.package)
            word_part.relate_to(font_table, RELATIONSHIP_TYPE.FONT_TABLE)
        family = self.document.fonts
        files = {(False, False): family.regular, (True, False): family.bold,
                 (False, True): family.italic, (True, True): family.bold_italic}
        for old in font_table.element.findall(qn("w:font")):
            if old.get(qn("w:name")) == family.name:  # a base made from an earlier brief
                for embedded in old:
                    relationship_id = embedded.get(qn("r:id"))
                    if relationship_id in font_table.rels:
                        del font_table.rels[relationship_id]
        faces = []
        package = word_part.package
        # All four faces, each with the same characters in every brief, whichever the text
        # uses: LibreOffice keeps the faces the first file of a session embeds, and one that
        # adds a face later (or other glyphs under the same name) is drawn with the installed
        # Carlito, ligatures and all. All four also let a colleague make text bold or italic.
        for face, kind in FACES.items():  # in the order the font table lists them
            extra = frozenset(self.characters.get(face, set()) - ALPHABETS)
            font = embedded_font(files[face], extra)
            part = Part(package.next_partname("/word/fonts/font%d.odttf"), FONT_CONTENT_TYPE,
                        font.data, package)
            faces.append((kind, font_table.relate_to(part, RELATIONSHIP_TYPE.FONT), font.key))
        docx_xml.add_embedded_font(font_table.element, family.name, faces)
        docx_xml.embed_fonts(self.word.settings.element)

    # -- blocks ---------------------------------------------------------------------------------

    def blocks(self, blocks: tuple[Block, ...], container: _Container, cell: Cell | None) -> None:
        for index, block in enumerate(blocks):
            self.write(block, container, cell, index == len(blocks) - 1)

    def write(self, block: Block, container: _Container, cell: Cell | None, last: bool) -> None:
        """One block; `last` when it ends its column or group, so nothing follows it."""
        write = self.writers.get(type(block))
        if write is None:  # pragma: no cover
            raise BriefgenBug(f"the DOCX cannot show {block!r}")
        write(block, container, cell, last)

    def group(self, group: Group, container: _Container, cell: Cell | None, last: bool) -> None:
        """A group's blocks in place (its last block has no space after, as in the layout);
        an L group's numbered paragraphs as a Word-numbered list."""
        numbering = self.list_numbers(group) if group.role == "L" else {}
        for index, block in enumerate(group.blocks):
            block_last = index == len(group.blocks) - 1
            if isinstance(block, Paragraph) and id(block) in numbering:
                self.paragraph(block, container, cell, block_last, numbering[id(block)])
            else:
                self.write(block, container, cell, block_last)
        if group.space_after and not last:
            self.spacer(container, self.layout.after(group))

    def list_numbers(self, group: Group) -> dict[int, int]:
        """id(paragraph) -> Word numbering (numId) of the group's numbered paragraphs, when
        they count 1, 2, 3 ... (continuing a list of the same style where it left off, as
        the source notes do across columns); empty for other labels, which stay typed."""
        items = [block for block in group.blocks
                 if isinstance(block, Paragraph) and block.number is not None]
        if not items:
            return {}
        try:
            numbers = [int(item.number or "") for item in items]
        except ValueError:
            return {}
        style_names = {item.style for item in items}
        if len(style_names) != 1 or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
            return {}
        style_name = style_names.pop()
        previous = self.lists.get(style_name)
        if previous is not None and previous[1] + 1 == numbers[0]:
            number_id = previous[0]
        else:
            number_id = self.new_list(style_name, numbers[0])
        self.lists[style_name] = (number_id, numbers[-1])
        return {id(item): number_id for item in items}

    def new_list(self, style_name: str, start: int) -> int:
        """A Word list (w:num) for paragraphs of `style_name`, counting from `start`."""
        numbering = self.numbering_element()
        abstract_id = self.abstract_lists.get(style_name)
        if abstract_id is None:
            style = self.styles[style_name]
            existing = [int(item.get(qn("w:abstractNumId"), "0"))
                        for item in numbering.findall(qn("w:abstractNum"))]
            abstract_id = self.abstract_lists[style_name] = max(existing, default=-1) + 1
            label = self.run_properties(_RunLook(
                bold=True, italic=False, color=style.label_color or style.color,
                size=style.label_size or style.font_size,
                spacing=0.0 if style.tracking else None), font_name=True)
            docx_xml.add_abstract_numbering(numbering, abstract_id,
                                            style_display_name(style_name),
                                            twips(style.indent), label)
        word_list = numbering.add_num(abstract_id)
        if start != 1:
            word_list.add_lvlOverride(0).add_startOverride(start)
        return int(word_list.numId)

    def numbering_element(self) -> Any:
        word_part = self.word.part
        try:
            part = word_part.part_related_by(RELATIONSHIP_TYPE.NUMBERING)
        except KeyError:  # python-docx cannot make a numbering part; an empty one
            from docx.parts.numbering import NumberingPart

            part = NumberingPart.load(PackURI("/word/numbering.xml"),
                                      CONTENT_TYPE.WML_NUMBERING, _EMPTY_NUMBERING,
                                      word_part.package)
            word_part.relate_to(part, RELATIONSHIP_TYPE.NUMBERING)
        return part.element

    def paragraph(self, paragraph: Paragraph, container: _Container, cell: Cell | None,
                  last: bool, number_id: int | None = None) -> None:
        style = self.styles[paragraph.style]
        actual = self.layout.styles[paragraph.style]
        # The Word style the paragraph takes is made from `word_style`: the paragraph's own,
        # or the heading of its role, from which it differs in its own properties.
        word_style = self.styles[self.word_style(paragraph)]
        word_style_id = self.word_style_names[self.word_style(paragraph)].replace(" ", "")
        after = 0.0 if last else self.layout.after(paragraph)
        level = HEADINGS[paragraph.role][1] if paragraph.role in HEADINGS else None
        style_level = HEADINGS[word_style.role][1] if word_style.role in HEADINGS else None
        lines = self.pdf_lines(paragraph, cell)
        # A headline the PDF set with balanced lines keeps them by explicit line breaks, on
        # the whole width: its balanced measure left a word processor no room to differ.
        broken = lines.broken and paragraph.role == "H1" and bool(paragraph.indent_right)
        indent_right = 0.0 if broken else paragraph.indent_right
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

        element = container.paragraph()
        element.append(_FORMATS.get(key, make))
        if paragraph.number is not None and number_id is None:
            # A label that is not a list number (the quotation mark before a quote) hangs in
            # the indent, typed, with a tab, drawn as the PDF draws it: bold, upright.
            look = _RunLook(bold=True, italic=False if style.italic else None,
                            color=style.label_color, size=style.label_size,
                            spacing=0.0 if style.tracking else None)
            # Without the space the PDF sets after it ("«\u202f"): the tab takes the label to
            # the indent, where a label wider than the indent would have taken it to the
            # next tab stop.
            element.append(self.run(paragraph.number.rstrip(SPACES), look, (True, False)))
            tab = docx_xml.new_element("w:r")
            tab.append(docx_xml.new_element("w:tab"))
            element.append(tab)
        elif number_id is not None:
            self.face(True, False).update(paragraph.number or "")
        link: tuple[str, BaseOxmlElement] | None = None
        for span in lines.spans(line_breaks=broken):
            if not span.text:
                continue
            runs = self.span_runs(span, style, word_style,
                                  whole=not (span.link and lines.split_word))
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

    def pdf_lines(self, paragraph: Paragraph, cell: Cell | None) -> _PdfLines:
        """The paragraph as the PDF breaks it into lines, in `cell` (None: the page)."""
        # Measured as the layout measures it (the same sum), so its lines are found again.
        width = (cell.width - cell.padding[3] - cell.padding[1] if cell is not None
                 else self.document.page.content_width)
        laid = self.layout.laid(paragraph, width)
        return _PdfLines(paragraph.spans, [
            sum(1 for word in "".join(run.text for run in line.runs).split(" ") if word)
            for line in laid.lines])

    def word_style(self, paragraph: Paragraph) -> str:
        """The style whose Word style a paragraph takes: Word's heading for its role (its
        first style), else its own."""
        return self.headings.get(paragraph.role, paragraph.style)

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

        return _FORMATS.get(("run", look, font), make)

    def spacer_block(self, spacer: Spacer, container: _Container, cell: Cell | None,
                     last: bool) -> None:
        self.spacer(container, self.layout.spacer_height(spacer))

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

        return _FORMATS.get(("spacer", round(height, 2), round(after, 2), at_least), make)

    def rule(self, rule: Rule, container: _Container, cell: Cell | None, last: bool) -> None:
        """A rule: a hairline paragraph with a bottom border."""
        after = 0.0 if last else self.layout.after(rule)
        element = container.paragraph()
        properties = self.spacer_properties(MIN_LINE, after)
        docx_xml.set_bottom_border(properties, rule.color[1:].upper(),
                                   max(2, round(rule.thickness * 8)))
        element.append(properties)

    def image(self, image: Image, container: _Container, cell: Cell | None, last: bool) -> None:
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
        """An empty one-row layout table for `row`, made through python-docx's table API:
        fixed column widths, each cell's padding (top and bottom as the layout sets them),
        background, outline or left rule, and vertical alignment."""
        insets = tuple(self.layout.cell_insets(cell) for cell in row.cells)
        looks = tuple((cell.width, cell.padding, cell.background, cell.border, cell.border_left,
                       cell.valign) for cell in row.cells)

        def make() -> BaseOxmlElement:
            widths = [cell.width for cell in row.cells]
            element = CT_Tbl.new_tbl(1, len(widths), Pt(sum(widths)))
            table = Table(element, self.word)
            table.autofit = False
            docx_xml.set_layout_table(element.tblPr, twips(sum(widths)))
            for index, cell in enumerate(row.cells):
                table.columns[index].width = Pt(cell.width)
                word_cell = table.cell(0, index)
                word_cell.width = Pt(cell.width)
                word_cell.vertical_alignment = {
                    "middle": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
                    "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
                }.get(cell.valign, WD_CELL_VERTICAL_ALIGNMENT.TOP)
                properties = element.tr_lst[0].tc_lst[index].get_or_add_tcPr()
                _, right, _, left = cell.padding
                top, bottom = insets[index]
                sides = {side: (cell.border[1:].upper(), BORDER)
                         for side in docx_xml.SIDES if cell.border}
                if cell.border_left:
                    sides["left"] = (cell.border_left[1:].upper(), LEFT_RULE)
                if sides:
                    docx_xml.set_cell_borders(properties, [(side, *sides[side])
                                                           for side in docx_xml.SIDES
                                                           if side in sides])
                if cell.background:
                    docx_xml.set_cell_shading(properties, cell.background[1:].upper())
                docx_xml.set_cell_margins(properties, [twips(top), twips(left),
                                                       twips(bottom), twips(right)])
            return element

        return _FORMATS.get(("table", looks, tuple((round(top, 3), round(bottom, 3))
                                                   for top, bottom in insets)), make)

class _PdfLines:
    """A paragraph's spans and the number of words on each line the PDF sets, to make the
    DOCX break where the PDF does.

    Why: a word processor fills lines with the same widths (the same font, no kerning), yet a
    fraction of a point decides whether a last word fits, so it may break a line one word
    earlier or later. The PDF never ends a paragraph on a lone short word ("2020 / года"):
    where its last line holds two or more words, the DOCX joins the last two with a no-break
    space, so that a line broken one word earlier carries both down, as the PDF does."""

    def __init__(self, spans: tuple[Span, ...], words_per_line: list[int]) -> None:
        self.source = spans
        self.words_per_line = words_per_line
        self.gaps: list[tuple[int, int]] = []  # between words: (start, end) of the spaces
        self.split_word = False
        if len(words_per_line) > 1:  # one line: nothing to follow
            text = "".join(span.text for span in spans)
            offset = len(text) - len(text.lstrip(" "))
            self.gaps = [(match.start() + offset, match.end() + offset)
                         for match in re.finditer(" +", text.strip(" "))]
            # The PDF cuts a word wider than its line (a long address) after a slash or
            # hyphen: its lines then hold more pieces than the text has words.
            self.split_word = sum(words_per_line) != len(self.gaps) + 1
        self.broken = len(words_per_line) > 1 and not self.split_word

    def spans(self, *, line_breaks: bool) -> tuple[Span, ...]:
        """The spans with an explicit line break at each of the PDF's line ends
        (`line_breaks`), or with the last two words joined when the PDF's last line holds
        both."""
        if not self.broken:
            return self.source
        replaced: dict[int, str] = {}
        if line_breaks:
            ends = itertools.accumulate(self.words_per_line[:-1])
            for start, end in (self.gaps[count - 1] for count in ends):
                # The space stays before the break: a reader of the bare text (a search,
                # a copy) still finds two words.
                replaced |= {start: " " + LINE_BREAK} | dict.fromkeys(range(start + 1, end), "")
        elif self.words_per_line[-1] > 1:
            start, end = self.gaps[-1]
            replaced = dict.fromkeys(range(start, end), NO_BREAK_SPACE)
        spans, offset = [], 0
        for span in self.source:
            end = offset + len(span.text)
            inside = [(at - offset, new) for at, new in replaced.items() if offset <= at < end]
            if inside:
                characters = list(span.text)
                for at, new in inside:
                    characters[at] = new
                span = span._replace(text="".join(characters))
            spans.append(span)
            offset = end
        return tuple(spans)


@lru_cache(maxsize=4)
def _parsed(data: bytes) -> Any:
    """The base document's package, parsed by python-docx once per process."""
    return docx.Document(io.BytesIO(data)).part.package


def _open(data: bytes) -> Any:
    """A fresh python-docx document from the base document's bytes: a copy of each part of
    the package parsed once, related as in the original (what python-docx's own reader
    does, without reading the zip and parsing the XML again: a sixth of the time)."""
    original = _parsed(data)
    package = Package()
    parts: dict[Part, Part] = {}
    for part in original.iter_parts():
        if isinstance(part, XmlPart):
            parts[part] = type(part)(part.partname, part.content_type, copy.copy(part.element),
                                     package)
        else:
            parts[part] = type(part).load(part.partname, part.content_type, part.blob, package)
    pairs: list[tuple[Any, Any]] = [(original, package), *parts.items()]
    for source, copied in pairs:
        for relationship in source.rels.values():
            target = (relationship.target_ref if relationship.is_external
                      else parts[relationship.target_part])
            copied.load_rel(relationship.reltype, target, relationship.rId,
                            relationship.is_external)
    package.after_unmarshal()  # type: ignore[no-untyped-call]
    return package.main_document_part.document


def _paragraph_element() -> CT_P:
    return cast(CT_P, docx_xml.new_element("w:p"))


def _style_names(blocks: tuple[Block, ...]) -> set[str]:
    """The paragraph styles used among `blocks`, inside rows and groups too."""
    names: set[str] = set()
    for block in blocks:
        if isinstance(block, Paragraph):
            names.add(block.style)
        elif isinstance(block, Group):
            names |= _style_names(block.blocks)
        elif isinstance(block, Row):
            for cell in block.cells:
                names |= _style_names(cell.blocks)
    return names


def _package(word: Any, date: str) -> bytes:
    """The package as zip bytes with fixed entry times, so equal input gives equal files."""
    package = word.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    year, month, day = (int(piece) for piece in date.split("-"))
    stamp = (max(year, 1980), month, day, 0, 0, 0)
    overrides = "".join(
        f'<Override PartName="{part.partname}" ContentType="{part.content_type}"/>'
        for part in sorted(parts, key=lambda part: str(part.partname)))
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>')
    entries: list[tuple[str, bytes]] = [("[Content_Types].xml", content_types.encode("utf-8")),
                                        ("_rels/.rels", _xml_bytes(package.rels.xml))]
    fonts: list[tuple[str, bytes]] = []
    for part in parts:
        if part.content_type == FONT_CONTENT_TYPE:
            fonts.append((part.partname.membername, part.blob))
        else:
            entries.append((part.partname.membername, part.blob))
        if len(part.rels):
            entries.append((part.partname.rels_uri.membername, _xml_bytes(part.rels.xml)))
    # The fonts are the same in brief after brief: compressed once (4-6 ms a brief saved),
    # and the other parts appended to that zip.
    output = io.BytesIO(_zipped_fonts(tuple(fonts), stamp))
    with zipfile.ZipFile(output, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(_entry(name, stamp, compressed=len(data) > SMALL_PART), data)
    return output.getvalue()


@lru_cache(maxsize=8)
def _zipped_fonts(fonts: tuple[tuple[str, bytes], ...], stamp: tuple[int, ...]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in fonts:
            archive.writestr(_entry(name, stamp), data)
    return output.getvalue()


def _entry(name: str, stamp: tuple[int, ...], *, compressed: bool = True) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    entry.compress_type = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    entry.external_attr = 0o644 << 16
    return entry


def _xml_bytes(xml: str | bytes) -> bytes:
    return xml.encode("utf-8") if isinstance(xml, str) else xml
