"""WordprocessingML that python-docx has no API for, written through python-docx's own element
classes.

python-docx's classes for run, paragraph, table, cell and settings properties and for the
numbering part are extended with the children briefgen writes, each declared with the
children that follow it in the schema's sequence (ECMA-376 Part 1, 17.3-17.15), as
python-docx declares its own (`oxml/text/parfmt.py`), and registered for their tags: a
child added with `_add_x()` lands where Word's strict reader wants it. Each function says
which element it writes and why python-docx cannot; `render/docx.py` uses python-docx for
everything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any, TypeVar, cast

from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.numbering import CT_Numbering
from docx.oxml.parser import oxml_parser, register_element_cls
from docx.oxml.settings import CT_Settings
from docx.oxml.simpletypes import ST_SignedTwipsMeasure, ST_String, XsdInt
from docx.oxml.table import CT_TblPr, CT_TblWidth, CT_TcPr
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr, CT_Spacing
from docx.oxml.xmlchemy import (
    BaseOxmlElement,
    OptionalAttribute,
    RequiredAttribute,
    ZeroOrMore,
    ZeroOrOne,
)
from docx.shared import Emu, Length, Pt, Twips

from briefgen.render.ooxml import HALF_POINTS_PER_POINT, MARKUP_COMPATIBILITY, TWIPS_PER_POINT, W14

DECORATIVE_EXTENSION = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_STANDARD = "{http://schemas.openxmlformats"  # a namespace of the standard, not an extension
SIDES = ("top", "left", "bottom", "right")
LINE_BREAK = "\u2028"  # in a run's text: an explicit line break (`w:br`)
WORD_JOINER = "\u2060"
# Where a word processor may break inside a word and the PDF does not: after a dash followed
# by more of the word, before an em dash that follows a letter or figure; in a web address,
# after a slash too.
_BREAKING = frozenset("\u2010\u2012\u2013\u2014/")
_JOINED = re.compile(r"(?<=[\u2010\u2012\u2013\u2014])(?=[^\s\u2060])"
                     r"|(?<=[^\s\u2060])(?=\u2014)")
_JOINED_ADDRESS = re.compile(r"(?<=[\u2010\u2012\u2013\u2014/])(?=[^\s\u2060])"
                             r"|(?<=[^\s\u2060])(?=\u2014)")




def twips(points: float) -> Length:
    """`points` as a length of whole twips (twentieths of a point), rounded to the nearest
    as Word stores them; python-docx's `Pt` drops a fraction of an EMU first, which may round
    a half twip the other way."""
    return Twips(round(points * TWIPS_PER_POINT))


# ---------------------------------------------------------------------------------------------
# Element classes


class ST_SignedHpsMeasure(XsdInt):
    """A signed length in half points (`w:position`), from a python-docx length."""

    @classmethod
    def convert_from_xml(cls, str_value: str) -> Length:
        return Pt(int(str_value) / HALF_POINTS_PER_POINT)

    @classmethod
    def convert_to_xml(cls, value: int) -> str:
        return str(round(Emu(value).pt * HALF_POINTS_PER_POINT))


class _ExtensionsLast(BaseOxmlElement):
    """Properties whose children are inserted before their successors in the schema, and
    before any extension element (w14, w15 ...): Word writes extensions after every standard
    child, and an extension itself goes last."""

    def insert_element_before(self, elm: Any, *tagnames: str) -> Any:
        if elm.tag.startswith(_STANDARD):
            later = {qn(tagname) for tagname in tagnames}
            for child in self:
                tag = child.tag
                if isinstance(tag, str) and (tag in later or not tag.startswith(_STANDARD)):
                    child.addprevious(elm)
                    return elm
        self.append(elm)
        return elm


class RunProperties(_ExtensionsLast, CT_RPr):
    """`w:rPr`, with the character spacing, raised position, language and ligatures that
    python-docx's `CT_RPr` lacks."""

    _add_position: Callable[..., BaseOxmlElement]
    _remove_position: Callable[[], None]
    _add_spacing: Callable[..., BaseOxmlElement]
    _remove_spacing: Callable[[], None]
    _add_lang: Callable[..., BaseOxmlElement]
    _remove_lang: Callable[[], None]
    _add_ligatures: Callable[..., BaseOxmlElement]
    _remove_ligatures: Callable[[], None]

    _tag_seq = (
        "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
        "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
        "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w",
        "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
        "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
        "w:eastAsianLayout", "w:specVanish", "w:oMath",
    )
    spacing = ZeroOrOne("w:spacing", successors=_tag_seq[20:])
    position = ZeroOrOne("w:position", successors=_tag_seq[23:])
    lang = ZeroOrOne("w:lang", successors=_tag_seq[36:])
    ligatures = ZeroOrOne("w14:ligatures")  # an extension: after every standard child
    del _tag_seq


class ParagraphProperties(_ExtensionsLast, CT_PPr):
    """`w:pPr`, with the borders python-docx's `CT_PPr` lacks."""

    _add_pBdr: Callable[[], BaseOxmlElement]
    _remove_pBdr: Callable[[], None]
    _add_numPr: Callable[[], Any]
    _remove_numPr: Callable[[], None]
    _add_outlineLvl: Callable[..., BaseOxmlElement]
    _remove_outlineLvl: Callable[[], None]

    _tag_seq = (
        "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
        "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
        "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
        "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
        "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
        "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
        "w:pPrChange",
    )
    pBdr = ZeroOrOne("w:pBdr", successors=_tag_seq[9:])
    del _tag_seq


class TableProperties(_ExtensionsLast, CT_TblPr):
    """`w:tblPr`, with the position, width, indent, cell margins and look python-docx's
    `CT_TblPr` lacks."""

    _add_tblpPr: Callable[[], BaseOxmlElement]
    _remove_tblpPr: Callable[[], None]
    _add_tblOverlap: Callable[[], BaseOxmlElement]
    _remove_tblOverlap: Callable[[], None]
    _add_tblW: Callable[..., BaseOxmlElement]
    _remove_tblW: Callable[[], None]
    _add_tblInd: Callable[..., BaseOxmlElement]
    _remove_tblInd: Callable[[], None]
    _add_tblCellMar: Callable[[], BaseOxmlElement]
    _remove_tblCellMar: Callable[[], None]
    _add_tblLook: Callable[[], BaseOxmlElement]
    _remove_tblLook: Callable[[], None]

    _tag_seq = (
        "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
        "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
        "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
        "w:tblDescription", "w:tblPrChange",
    )
    tblpPr = ZeroOrOne("w:tblpPr", successors=_tag_seq[2:])
    tblOverlap = ZeroOrOne("w:tblOverlap", successors=_tag_seq[3:])
    tblW = ZeroOrOne("w:tblW", successors=_tag_seq[7:])
    tblInd = ZeroOrOne("w:tblInd", successors=_tag_seq[10:])
    tblCellMar = ZeroOrOne("w:tblCellMar", successors=_tag_seq[14:])
    tblLook = ZeroOrOne("w:tblLook", successors=_tag_seq[15:])
    del _tag_seq


class CellProperties(_ExtensionsLast, CT_TcPr):
    """`w:tcPr`, with the borders, shading and margins python-docx's `CT_TcPr` lacks."""

    _add_tcBorders: Callable[[], BaseOxmlElement]
    _remove_tcBorders: Callable[[], None]
    _add_shd: Callable[[], BaseOxmlElement]
    _remove_shd: Callable[[], None]
    _add_tcMar: Callable[[], BaseOxmlElement]
    _remove_tcMar: Callable[[], None]

    _tag_seq = (
        "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
        "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
        "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
    )
    tcBorders = ZeroOrOne("w:tcBorders", successors=_tag_seq[6:])
    shd = ZeroOrOne("w:shd", successors=_tag_seq[7:])
    tcMar = ZeroOrOne("w:tcMar", successors=_tag_seq[9:])
    del _tag_seq


class Settings(_ExtensionsLast, CT_Settings):
    """`w:settings`, with the two font embedding settings python-docx's `CT_Settings`
    lacks."""

    _add_embedTrueTypeFonts: Callable[[], BaseOxmlElement]
    _remove_embedTrueTypeFonts: Callable[[], None]
    _add_saveSubsetFonts: Callable[[], BaseOxmlElement]
    _remove_saveSubsetFonts: Callable[[], None]

    _tag_seq = (
        "w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation",
        "w:removeDateAndTime", "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape",
        "w:printPostScriptOverText", "w:printFractionalCharacterWidth", "w:printFormsData",
        "w:embedTrueTypeFonts", "w:embedSystemFonts", "w:saveSubsetFonts", "w:saveFormsData",
        "w:mirrorMargins", "w:alignBordersAndEdges", "w:bordersDoNotSurroundHeader",
        "w:bordersDoNotSurroundFooter", "w:gutterAtTop", "w:hideSpellingErrors",
        "w:hideGrammaticalErrors", "w:activeWritingStyle", "w:proofState", "w:formsDesign",
        "w:attachedTemplate", "w:linkStyles", "w:stylePaneFormatFilter",
        "w:stylePaneSortMethod", "w:documentType", "w:mailMerge", "w:revisionView",
        "w:trackRevisions", "w:doNotTrackMoves", "w:doNotTrackFormatting",
        "w:documentProtection", "w:autoFormatOverride", "w:styleLockTheme",
        "w:styleLockQFSet", "w:defaultTabStop", "w:autoHyphenation",
        "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps",
        "w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle",
        "w:evenAndOddHeaders", "w:bookFoldRevPrinting", "w:bookFoldPrinting",
        "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing",
        "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery",
        "w:displayVerticalDrawingGridEvery", "w:doNotUseMarginsForDrawingGridOrigin",
        "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin", "w:doNotShadeFormData",
        "w:noPunctuationKerning", "w:characterSpacingControl", "w:printTwoOnOne",
        "w:strictFirstAndLastChars", "w:noLineBreaksAfter", "w:noLineBreaksBefore",
        "w:savePreviewPicture", "w:doNotValidateAgainstSchema", "w:saveInvalidXml",
        "w:ignoreMixedContent", "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml",
        "w:saveXmlDataOnly", "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags",
        "w:alwaysMergeEmptyNamespace", "w:updateFields", "w:hdrShapeDefaults",
        "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
        "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
        "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
        "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
        "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
    )
    embedTrueTypeFonts = ZeroOrOne("w:embedTrueTypeFonts", successors=_tag_seq[11:])
    saveSubsetFonts = ZeroOrOne("w:saveSubsetFonts", successors=_tag_seq[13:])
    del _tag_seq


class Numbering(CT_Numbering):
    """`w:numbering`, with the list definitions (`w:abstractNum`) python-docx's
    `CT_Numbering` cannot add, each before every list (`w:num`)."""

    _insert_abstractNum: Callable[[BaseOxmlElement], BaseOxmlElement]

    abstractNum = ZeroOrMore("w:abstractNum", successors=("w:num", "w:numIdMacAtCleanup"))


class CharacterSpacing(CT_Spacing):
    """`w:spacing`: in paragraph properties python-docx's `CT_Spacing`; in run properties
    letter spacing, its `w:val`."""

    val = OptionalAttribute("w:val", ST_SignedTwipsMeasure)


class TextPosition(BaseOxmlElement):
    """`w:position`: how far text is raised (or lowered), in half points."""

    val = RequiredAttribute("w:val", ST_SignedHpsMeasure)


class Language(BaseOxmlElement):
    """`w:lang`: the language of the words (`val`, for text in a Latin script)."""

    val = OptionalAttribute("w:val", ST_String)


class Ligatures(BaseOxmlElement):
    """`w14:ligatures`: which ligatures Word draws."""

    val = RequiredAttribute("w14:val", ST_String)


for _tag, _class in (("w:rPr", RunProperties), ("w:pPr", ParagraphProperties),
                     ("w:tblPr", TableProperties), ("w:tcPr", CellProperties),
                     ("w:settings", Settings), ("w:numbering", Numbering),
                     ("w:spacing", CharacterSpacing), ("w:position", TextPosition),
                     ("w:lang", Language), ("w14:ligatures", Ligatures),
                     ("w:tblW", CT_TblWidth), ("w:tblInd", CT_TblWidth)):
    register_element_cls(_tag, _class)

_Properties = TypeVar("_Properties", bound=BaseOxmlElement)


def _declared(element: BaseOxmlElement, kind: type[_Properties]) -> _Properties:
    """`element` as the class registered above for its tag."""
    if not isinstance(element, kind):  # pragma: no cover - a registration lost
        raise TypeError(f"{element.tag} is a {type(element).__name__}, not a {kind.__name__}")
    return element


# ---------------------------------------------------------------------------------------------
# Elements


@lru_cache(maxsize=256)
def _name(tag: str) -> tuple[str, dict[str, str]]:
    prefixed = NamespacePrefixedTag(tag)
    return prefixed.clark_name, prefixed.nsmap


def new_element(tag: str) -> BaseOxmlElement:
    """An empty element of python-docx's class for `tag` ("w:p"): `OxmlElement`, with the
    tag's namespace looked up once rather than on every call (measured: half the time)."""
    name, namespaces = _name(tag)
    return cast(BaseOxmlElement, oxml_parser.makeelement(name, nsmap=namespaces))


def _element(tag: str, **attributes: str) -> BaseOxmlElement:
    """A new element with `w:` attributes, in the order given."""
    return _with_attributes(new_element(tag), **attributes)


def _with_attributes(element: BaseOxmlElement, **attributes: str) -> BaseOxmlElement:
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


# ---------------------------------------------------------------------------------------------
# Runs


def set_position(run_properties: BaseOxmlElement, rise: Length) -> None:
    """`w:position`: raises a source marker or a small qualifier by an exact amount.
    python-docx only offers superscript, whose size and height each word processor picks."""
    properties = _declared(run_properties, RunProperties)
    properties._remove_position()
    properties._add_position(val=rise)


def set_character_spacing(run_properties: BaseOxmlElement, spacing: Length) -> None:
    """`w:spacing`: letter spacing after every character (caps labels; the narrow space).
    python-docx has no character spacing API."""
    properties = _declared(run_properties, RunProperties)
    properties._remove_spacing()
    properties._add_spacing(val=spacing)


def set_language(run_properties: BaseOxmlElement, tag: str) -> None:
    """`w:lang`: the language of the words, for spelling, hyphenation and screen readers.
    python-docx has no language API."""
    properties = _declared(run_properties, RunProperties)
    properties._remove_lang()
    properties._add_lang(val=tag)


def set_no_ligatures(run_properties: BaseOxmlElement) -> None:
    """`w14:ligatures none`: Word draws no ligatures (the PDF draws none). Written only where
    the part declares the Word 2010 namespace as ignorable, so older readers skip it."""
    root = run_properties.getroottree().getroot()
    ignorable = root.get(f"{{{MARKUP_COMPATIBILITY}}}Ignorable", "").split()
    if root.nsmap.get("w14") != W14 or "w14" not in ignorable:
        return
    properties = _declared(run_properties, RunProperties)
    properties._remove_ligatures()
    properties._add_ligatures(val="none")


def add_text(run: BaseOxmlElement, text: str, *, break_at_hyphens: bool,
             address: bool = False) -> None:
    """The run's text, `LINE_BREAK` as `w:br`; unless `break_at_hyphens`, each hyphen as
    `w:noBreakHyphen` and a word joiner (U+2060) where a word processor would otherwise
    break a word: after a dash ("2026–2027", "UE–PNUD"), before an em dash, and in an
    `address` (a web address) after a slash.

    Why: the PDF breaks lines only at spaces, so a word processor must not break "US-funded"
    or "2026–" / "2027" where the PDF keeps the word whole. Word's own mark for a hyphen that
    does not break is `w:noBreakHyphen` (LibreOffice reads it too); there is none for dashes
    and slashes, and LibreOffice keeps them whole with the word joiner, which the embedded
    fonts draw with no width (`docx_fonts.DRAWN_AS`). Slashes in running text are left alone,
    so that text reads back as typed. python-docx writes text only as `w:t`."""
    for line, part_of_line in enumerate(text.split(LINE_BREAK)):
        if line:
            run.append(new_element("w:br"))
        if not break_at_hyphens and not _BREAKING.isdisjoint(part_of_line):
            part_of_line = (_JOINED_ADDRESS if address else _JOINED).sub(WORD_JOINER,
                                                                          part_of_line)
        parts = [part_of_line] if break_at_hyphens else part_of_line.split("-")
        for index, part in enumerate(parts):
            if index:
                run.append(new_element("w:noBreakHyphen"))
            if part:
                element = new_element("w:t")
                element.text = part
                if part != part.strip(" "):
                    element.set(qn("xml:space"), "preserve")
                run.append(element)


def hyperlink(relationship_id: str) -> BaseOxmlElement:
    """`w:hyperlink` to an external address: python-docx reads hyperlinks but cannot add one."""
    element = new_element("w:hyperlink")
    element.set(qn("r:id"), relationship_id)
    element.set(qn("w:history"), "1")
    return element


# ---------------------------------------------------------------------------------------------
# Paragraphs


def set_outline_level(paragraph_properties: BaseOxmlElement, level: int | None) -> None:
    """`w:outlineLvl` (0 = top level; None = body text): what Word's Navigation pane, its
    accessibility checker, screen readers and PDF export read as headings. python-docx has
    no outline-level API."""
    properties = _declared(paragraph_properties, ParagraphProperties)
    properties._remove_outlineLvl()
    properties._add_outlineLvl(val=9 if level is None else level)  # 9: body text


def set_bottom_border(paragraph_properties: BaseOxmlElement, color: str,
                      eighths: int) -> None:
    """`w:pBdr/w:bottom`: a rule drawn as a paragraph's bottom border, which stays in the
    text flow (a drawn line would float). python-docx has no paragraph border API."""
    properties = _declared(paragraph_properties, ParagraphProperties)
    properties._remove_pBdr()
    properties._add_pBdr().append(_element("w:bottom", val="single", sz=str(eighths),
                                           space="0", color=color))


def set_numbering(paragraph_properties: BaseOxmlElement, number_id: int) -> None:
    """`w:numPr`: the paragraph is an item of a Word-numbered list. python-docx numbers
    paragraphs only through list styles."""
    properties = _declared(paragraph_properties, ParagraphProperties)
    properties._remove_numPr()
    numbering = properties._add_numPr()
    numbering._add_ilvl(val=0)
    numbering._add_numId(val=number_id)


def add_abstract_numbering(numbering: BaseOxmlElement, abstract_id: int, name: str,
                           indent: Length, label: BaseOxmlElement) -> None:
    """`w:abstractNum`: a one-level decimal list ("1", "2" ...) whose label hangs in the
    indent, in the run properties `label`. python-docx cannot define numbering."""
    definition = _element("w:abstractNum", abstractNumId=str(abstract_id))
    definition.append(_element("w:multiLevelType", val="singleLevel"))
    definition.append(_element("w:name", val=name))
    level = _element("w:lvl", ilvl="0")
    for tag, value in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:suff", "tab"),
                       ("w:lvlText", "%1"), ("w:lvlJc", "left")):
        level.append(_element(tag, val=value))
    paragraph = _element("w:pPr")
    tabs = _element("w:tabs")
    tabs.append(_element("w:tab", val="num", pos=str(indent.twips)))
    paragraph.append(tabs)
    paragraph.append(_element("w:ind", left=str(indent.twips), hanging=str(indent.twips)))
    level.append(paragraph)
    level.append(label)
    definition.append(level)
    _declared(numbering, Numbering)._insert_abstractNum(definition)


# ---------------------------------------------------------------------------------------------
# Tables


def set_layout_table(table_properties: BaseOxmlElement, width: Length) -> None:
    """A layout table: a fixed width from the left edge, no cell margins of its own, and a
    `w:tblLook` without header row, first column or banding, so Word's accessibility checker
    and screen readers take it for layout, not data. python-docx has no API for table width,
    indent, default cell margins or look."""
    properties = _declared(table_properties, TableProperties)
    properties._remove_tblW()
    properties._add_tblW(w=width.twips, type="dxa")
    properties._remove_tblInd()
    properties._add_tblInd(w=0, type="dxa")
    properties._remove_tblCellMar()
    margins = properties._add_tblCellMar()
    for side in SIDES:
        margins.append(_element(f"w:{side}", w="0", type="dxa"))
    properties._remove_tblLook()
    _with_attributes(properties._add_tblLook(), val="0000", firstRow="0", lastRow="0",
                     firstColumn="0", lastColumn="0", noHBand="1", noVBand="1")


def set_position_at_foot(table_properties: BaseOxmlElement, left: Length) -> None:
    """`w:tblpPr`: the table floats with its foot on the bottom margin and its left edge
    `left` from the page's left edge, the text flowing above it, never beside it.
    python-docx has no table-position API.

    Why measured from the page's edge and not the margin: LibreOffice makes a floating table
    as wide as the text area an ordinary one (it reasons that no text could flow beside it),
    unless its position is measured from the page's edge."""
    properties = _declared(table_properties, TableProperties)
    properties._remove_tblpPr()
    _with_attributes(properties._add_tblpPr(), leftFromText="0", rightFromText="0",
                     topFromText="0", bottomFromText="0", vertAnchor="margin",
                     horzAnchor="page", tblpX=str(left.twips), tblpYSpec="bottom")
    properties._remove_tblOverlap()
    _with_attributes(properties._add_tblOverlap(), val="never")


def set_cell_margins(cell_properties: BaseOxmlElement, margins: Sequence[Length]) -> None:
    """`w:tcMar`: the cell's padding (top, left, bottom, right). No python-docx API."""
    properties = _declared(cell_properties, CellProperties)
    properties._remove_tcMar()
    element = properties._add_tcMar()
    for side, margin in zip(SIDES, margins, strict=True):
        element.append(_element(f"w:{side}", w=str(margin.twips), type="dxa"))


def set_cell_shading(cell_properties: BaseOxmlElement, fill: str) -> None:
    """`w:shd`: the cell's background colour. No python-docx API."""
    properties = _declared(cell_properties, CellProperties)
    properties._remove_shd()
    _with_attributes(properties._add_shd(), val="clear", color="auto", fill=fill)


def set_cell_borders(cell_properties: BaseOxmlElement,
                     sides: Iterable[tuple[str, str, int]]) -> None:
    """`w:tcBorders`: (side, colour, width in eighths of a point) lines around the cell.
    No python-docx API."""
    properties = _declared(cell_properties, CellProperties)
    properties._remove_tcBorders()
    borders = properties._add_tcBorders()
    for side, color, eighths in sides:
        borders.append(_element(f"w:{side}", val="single", sz=str(eighths), space="0",
                                color=color))


# ---------------------------------------------------------------------------------------------
# Pictures


def describe_picture(inline: BaseOxmlElement, description: str) -> None:
    """The picture's alternative text (`descr` on `wp:docPr` and `pic:cNvPr`), or, without
    one, Word 2019's mark that it is decorative, so the accessibility checker and screen
    readers pass it over. python-docx has no alt-text API."""
    properties = inline.find(qn("wp:docPr"))
    picture = inline.find(".//" + qn("pic:cNvPr"))
    for element in (properties, picture):
        if element is not None:
            element.set("descr", description)
    if description or properties is None:
        return
    extensions = new_element("a:extLst")
    extension = new_element("a:ext")
    extension.set("uri", DECORATIVE_EXTENSION)
    decorative = extension.makeelement(f"{{{DECORATIVE_NAMESPACE}}}decorative",
                                       nsmap={"adec": DECORATIVE_NAMESPACE})
    decorative.set("val", "1")
    extension.append(decorative)
    extensions.append(extension)
    properties.append(extensions)


# ---------------------------------------------------------------------------------------------
# Fonts and settings


def add_embedded_font(font_table: BaseOxmlElement, name: str,
                      faces: Iterable[tuple[str, str, str]]) -> None:
    """A `w:font` entry with `w:embedRegular` (`Bold`, `Italic`, `BoldItalic`): kind,
    relationship id and obfuscation key of each embedded face. python-docx has no
    font-table API."""
    for old in font_table.findall(qn("w:font")):
        if old.get(qn("w:name")) == name:
            font_table.remove(old)
    font = _element("w:font", name=name)
    font.append(_element("w:charset", val="00"))
    font.append(_element("w:family", val="swiss"))
    font.append(_element("w:pitch", val="variable"))
    for kind, relationship_id, key in faces:
        embedded = _element(f"w:embed{kind}", fontKey=key)
        embedded.set(qn("r:id"), relationship_id)
        font.append(embedded)
    font_table.append(font)


def embed_fonts(settings: BaseOxmlElement) -> None:
    """`w:embedTrueTypeFonts` and `w:saveSubsetFonts`: tell Word the file carries its fonts
    and to keep carrying subsets when it saves. No python-docx API."""
    properties = _declared(settings, Settings)
    properties._remove_embedTrueTypeFonts()
    properties._add_embedTrueTypeFonts()
    properties._remove_saveSubsetFonts()
    properties._add_saveSubsetFonts()
