"""The brief's paragraph styles as Word styles, and the formats the DOCX copies where they recur.

Each style of `template.yaml` is a Word paragraph style at the sizes the fit gave it ("Brief
Body", "Brief Ask" ...), except that the first style of each heading role is Word's built-in
"heading 1" or "heading 2" itself, restyled to the design: converters (mammoth, pandoc) and
Word's Navigation pane know headings by those names.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, Hashable
from functools import partial
from typing import Any, cast

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.styles.style import ParagraphStyle as WordParagraphStyle
from docx.styles.style import StyleFactory

from briefgen.document import Block, Document, Group, Paragraph, ParagraphStyle, Row
from briefgen.layout import Layout
from briefgen.render import docx_xml
from briefgen.render.docx_xml import twips
from briefgen.render.ooxml import W14
from briefgen.template.base_document import load_base_document, shipped_base_document

SPACER_STYLE = "Brief Spacer"
ALIGNMENTS = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
STYLE, STYLE_ID, NAME, VALUE = qn("w:style"), qn("w:styleId"), qn("w:name"), qn("w:val")
# role -> Word's built-in style (as python-docx names it; "heading 1" in the file), its
# outline level (0: the top).
HEADINGS = {"H1": ("Heading 1", 0), "H2": ("Heading 2", 1)}


def style_display_name(name: str) -> str:
    """`stat-value` -> `Brief Stat Value`: the name a colleague sees in Word's style list."""
    return "Brief " + name.replace("-", " ").title()


def style_id(name: str) -> str:
    """`stat-value` -> `BriefStatValue`, the id python-docx gives that display name."""
    return style_display_name(name).replace(" ", "")


def outline_level(role: str) -> int | None:
    """The outline level of paragraphs of `role` (None: body text)."""
    return HEADINGS[role][1] if role in HEADINGS else None


class FormatCache:
    """Style, paragraph, run and table properties made through python-docx once per process,
    and copied where the same format recurs.

    Why: python-docx's API costs about 40 microseconds a property, and a brief sets some
    1,500 (about 40 ms, twice the rest of a brief); the copies are the same XML."""

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


FORMATS = FormatCache()


class WordStyles:
    """The document's paragraph styles as Word has them: each style's fitted sizes, the Word
    style its paragraphs take, and the definitions written into the document."""

    def __init__(self, word: Any, document: Document, layout: Layout) -> None:
        self.word = word
        self.document = document
        # Each Word style as its paragraphs use it: a style seen only in the footer as the
        # footer's layout has it, any other as the body's (a paragraph that differs from its
        # style says so in its own properties).
        footer_only = style_names(document.footer) - style_names(document.body)
        footer_styles = layout.footer().styles
        self.fitted = {name: footer_styles[name] if name in footer_only else style
                       for name, style in layout.styles.items()}
        self.element = word.styles.element
        self.has_w14 = self.element.nsmap.get("w14") == W14
        # role -> the style that is Word's built-in heading for it: the first of its role.
        self.headings: dict[str, str] = {}
        for name, style in self.fitted.items():
            if style.role in HEADINGS:
                self.headings.setdefault(style.role, name)
        self.names = {
            name: HEADINGS[style.role][0] if self.headings.get(style.role) == name
            else style_display_name(name) for name, style in self.fitted.items()}

    def source_of(self, paragraph: Paragraph) -> str:
        """The style whose Word style a paragraph takes: Word's heading for its role (its
        first style), else its own."""
        return self.headings.get(paragraph.role, paragraph.style)

    def word_style_id(self, name: str) -> str:
        """The id of the Word style made from style `name`."""
        return self.names[name].replace(" ", "")

    def define(self) -> None:
        """The template's fitted styles as Word paragraph styles, with their outline levels:
        a heading role's other styles are based on its heading; the others on Normal."""
        self.ensure_spacer_style()
        defaults = self.element.find(qn("w:docDefaults"))
        if defaults is not None:
            run_defaults = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
            if run_defaults is not None:
                docx_xml.set_language(run_defaults, self.document.metadata.language)
        styles = self.by_name()
        ids = {name: style.get(STYLE_ID) for name, style in styles.items()}
        by_id = {style.get(STYLE_ID): style for style in styles.values()}
        for name, style in self.fitted.items():
            display = self.names[name]
            for old in {styles.get(display.lower()), by_id.get(display.replace(" ", ""))}:
                if old is not None:  # the base document's, or one made from an earlier brief
                    self.element.remove(old)
            level = outline_level(style.role)
            heading = self.headings.get(style.role)
            based_on = (HEADINGS[style.role][0].replace(" ", "") if heading and heading != name
                        else ids.get("normal") or "Normal")
            key = ("style", style, display, based_on, level, self.document.fonts.docx_name,
                   self.has_w14)
            self.element.append(FORMATS.get(key, partial(
                self.fitted_style, style, display, based_on, level)))

    def by_name(self) -> dict[str, BaseOxmlElement]:
        """The document's styles by lower-case name ("heading 1")."""
        found = {}
        for style in self.element.iterchildren(STYLE):
            name = style.find(NAME)
            found[(name.get(VALUE, "") if name is not None else "").lower()] = style
        return found

    def ensure_spacer_style(self) -> None:
        """The spacer style, from briefgen's own base document when an organisation's does
        not define it."""
        if SPACER_STYLE.lower() in self.by_name():
            return
        shipped = docx.Document(io.BytesIO(load_base_document(shipped_base_document()).data))
        shipped_styles = {style.name.lower(): style.element for style in shipped.styles}
        self.element.append(copy.copy(shipped_styles[SPACER_STYLE.lower()]))

    def fitted_style(self, style: ParagraphStyle, display: str, based_on: str,
                     level: int | None) -> BaseOxmlElement:
        """The style at the sizes the fit gave it: a copy of the style as designed, with
        python-docx setting its size, spacing and letter spacing (every audience of a brief
        has its own fit; the rest of a style is made once)."""
        design = style._replace(font_size=0.0, leading=0.0, space_after=0.0, tracking=0.0,
                                min_font_size=0.0, min_space_after=0.0, label_size=None)
        key = ("style design", design, display, based_on, level,
               self.document.fonts.docx_name, self.has_w14)
        element = FORMATS.get(key, partial(self.make_style, style, display, based_on, level))
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
        self.element.remove(element)  # the caller puts a copy in its place
        return cast(BaseOxmlElement, element)


def style_names(blocks: tuple[Block, ...]) -> set[str]:
    """The paragraph styles used among `blocks`, inside rows and groups too."""
    names: set[str] = set()
    for block in blocks:
        match block:
            case Paragraph():
                names.add(block.style)
            case Group():
                names |= style_names(block.blocks)
            case Row():
                for cell in block.cells:
                    names |= style_names(cell.blocks)
    return names
