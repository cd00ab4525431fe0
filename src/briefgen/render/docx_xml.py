"""WordprocessingML that python-docx has no API for, in one place.

Each function says which element it writes and why python-docx cannot: the DOCX backend
(`render/docx.py`) uses python-docx for everything else. Elements are created with
python-docx's own element factory and inserted where the schema's sequence puts them, so the
result stays valid for Word's strict reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import cast

from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser
from docx.oxml.xmlchemy import BaseOxmlElement

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MARKUP_COMPATIBILITY = "http://schemas.openxmlformats.org/markup-compatibility/2006"
DECORATIVE_EXTENSION = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2017/decorative"

# The order of the children of each properties element (ECMA-376 Part 1, 17.3 and 17.4):
# Word refuses a file whose children are out of order. Only the names this module writes,
# and the ones that may already be there, are needed.
RUN_PROPERTIES = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
                  "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
                  "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz",
                  "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
                  "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")
PARAGRAPH_PROPERTIES = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
                        "widowControl", "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs",
                        "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
                        "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
                        "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
                        "mirrorIndents", "suppressOverlap", "jc", "textDirection",
                        "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
                        "cnfStyle", "rPr", "sectPr", "pPrChange")
TABLE_PROPERTIES = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd",
                    "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
                    "tblDescription", "tblPrChange")
CELL_PROPERTIES = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd",
                   "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark",
                   "headers", "cellIns", "cellDel", "cellMerge", "tcPrChange")
SETTINGS = ("writeProtection", "view", "zoom", "removePersonalInformation",
            "removeDateAndTime", "doNotDisplayPageBoundaries", "displayBackgroundShape",
            "printPostScriptOverText", "printFractionalCharacterWidth", "printFormsData",
            "embedTrueTypeFonts", "embedSystemFonts", "saveSubsetFonts", "saveFormsData",
            "mirrorMargins", "alignBordersAndEdges", "bordersDoNotSurroundHeader",
            "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors",
            "hideGrammaticalErrors", "activeWritingStyle", "proofState", "formsDesign",
            "attachedTemplate", "linkStyles", "stylePaneFormatFilter", "stylePaneSortMethod",
            "documentType", "mailMerge", "revisionView", "trackRevisions", "doNotTrackMoves",
            "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
            "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
            "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
            "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders",
            "bookFoldRevPrinting", "bookFoldPrinting", "bookFoldPrintingSheets",
            "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
            "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
            "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
            "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
            "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars",
            "noLineBreaksAfter", "noLineBreaksBefore", "savePreviewPicture",
            "doNotValidateAgainstSchema", "saveInvalidXml", "ignoreMixedContent",
            "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml", "saveXmlDataOnly",
            "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags", "alwaysMergeEmptyNamespace",
            "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr", "compat",
            "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang",
            "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
            "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
            "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
            "listSeparator")
FONT = ("altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig",
        "embedRegular", "embedBold", "embedItalic", "embedBoldItalic")
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
    element = new_element(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def replace_child(parent: BaseOxmlElement, child: BaseOxmlElement,
                  order: Sequence[str]) -> BaseOxmlElement:
    """Put `child` into `parent` in schema order, in place of one with the same name."""
    old = parent.find(child.tag)
    if old is not None:
        parent.replace(old, child)
        return child
    name = child.tag.rpartition("}")[2]
    later = set(order[order.index(name) + 1:]) if name in order else set()
    for index, existing in enumerate(parent):
        tag = existing.tag
        if isinstance(tag, str) and (tag.rpartition("}")[2] in later
                                     or not tag.startswith("{http://schemas.openxmlformats")):
            # Extension elements (w14, w15 ...) come after the standard ones.
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


# ---------------------------------------------------------------------------------------------
# Runs


def set_position(run_properties: BaseOxmlElement, half_points: int) -> None:
    """`w:position`: raises a source marker or a small qualifier by an exact amount.
    python-docx only offers superscript, whose size and height each word processor picks."""
    replace_child(run_properties, _element("w:position", val=str(half_points)), RUN_PROPERTIES)


def set_character_spacing(run_properties: BaseOxmlElement, twips: int) -> None:
    """`w:spacing`: letter spacing after every character (caps labels; the narrow space).
    python-docx has no character spacing API."""
    replace_child(run_properties, _element("w:spacing", val=str(twips)), RUN_PROPERTIES)


def set_language(properties: BaseOxmlElement, tag: str) -> None:
    """`w:lang`: the language of the words, for spelling, hyphenation and screen readers.
    python-docx has no language API."""
    replace_child(properties, _element("w:lang", val=tag), RUN_PROPERTIES)


def set_no_ligatures(run_properties: BaseOxmlElement) -> None:
    """`w14:ligatures none`: Word draws no ligatures (the PDF draws none). Written only where
    the part declares the Word 2010 namespace as ignorable, so older readers skip it."""
    root = run_properties.getroottree().getroot()
    ignorable = root.get(f"{{{MARKUP_COMPATIBILITY}}}Ignorable", "").split()
    if root.nsmap.get("w14") != W14 or "w14" not in ignorable:
        return
    element = new_element("w14:ligatures")
    element.set(f"{{{W14}}}val", "none")
    old = run_properties.find(element.tag)
    if old is not None:
        run_properties.remove(old)
    run_properties.append(element)


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
    value = "9" if level is None else str(level)  # 9: body text
    replace_child(paragraph_properties, _element("w:outlineLvl", val=value),
                  PARAGRAPH_PROPERTIES)


def set_bottom_border(paragraph_properties: BaseOxmlElement, color: str,
                      eighths: int) -> None:
    """`w:pBdr/w:bottom`: a rule drawn as a paragraph's bottom border, which stays in the
    text flow (a drawn line would float). python-docx has no paragraph border API."""
    borders = _element("w:pBdr")
    borders.append(_element("w:bottom", val="single", sz=str(eighths), space="0",
                            color=color))
    replace_child(paragraph_properties, borders, PARAGRAPH_PROPERTIES)


def set_numbering(paragraph_properties: BaseOxmlElement, number_id: int) -> None:
    """`w:numPr`: the paragraph is an item of a Word-numbered list. python-docx numbers
    paragraphs only through list styles."""
    numbering = _element("w:numPr")
    numbering.append(_element("w:ilvl", val="0"))
    numbering.append(_element("w:numId", val=str(number_id)))
    replace_child(paragraph_properties, numbering, PARAGRAPH_PROPERTIES)


def add_abstract_numbering(numbering: BaseOxmlElement, abstract_id: int, name: str,
                           indent_twips: int, label: BaseOxmlElement) -> None:
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
    tabs.append(_element("w:tab", val="num", pos=str(indent_twips)))
    paragraph.append(tabs)
    paragraph.append(_element("w:ind", left=str(indent_twips), hanging=str(indent_twips)))
    level.append(paragraph)
    level.append(label)
    definition.append(level)
    # Every w:abstractNum comes before the first w:num.
    first_list = numbering.find(qn("w:num"))
    if first_list is not None:
        first_list.addprevious(definition)
    else:
        numbering.append(definition)


# ---------------------------------------------------------------------------------------------
# Tables


def set_layout_table(table_properties: BaseOxmlElement, width_twips: int) -> None:
    """A layout table: a fixed width from the left edge, no cell margins of its own, and a
    `w:tblLook` without header row, first column or banding, so Word's accessibility checker
    and screen readers take it for layout, not data. python-docx has no API for table width,
    indent, default cell margins or look."""
    replace_child(table_properties, _element("w:tblW", w=str(width_twips), type="dxa"),
                  TABLE_PROPERTIES)
    replace_child(table_properties, _element("w:tblInd", w="0", type="dxa"), TABLE_PROPERTIES)
    margins = _element("w:tblCellMar")
    for side in SIDES:
        margins.append(_element(f"w:{side}", w="0", type="dxa"))
    replace_child(table_properties, margins, TABLE_PROPERTIES)
    replace_child(table_properties, _element(
        "w:tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0", lastColumn="0",
        noHBand="1", noVBand="1"), TABLE_PROPERTIES)


def set_position_at_foot(table_properties: BaseOxmlElement, left_twips: int) -> None:
    """`w:tblpPr`: the table floats with its foot on the bottom margin and its left edge
    `left_twips` from the page's left edge, the text flowing above it, never beside it.
    python-docx has no table-position API.

    Why measured from the page's edge and not the margin: LibreOffice makes a floating table
    as wide as the text area an ordinary one (it reasons that no text could flow beside it),
    unless its position is measured from the page's edge."""
    replace_child(table_properties, _element(
        "w:tblpPr", leftFromText="0", rightFromText="0", topFromText="0", bottomFromText="0",
        vertAnchor="margin", horzAnchor="page", tblpX=str(left_twips), tblpYSpec="bottom"),
        TABLE_PROPERTIES)
    replace_child(table_properties, _element("w:tblOverlap", val="never"), TABLE_PROPERTIES)


def set_cell_margins(cell_properties: BaseOxmlElement, twips: Sequence[int]) -> None:
    """`w:tcMar`: the cell's padding (top, left, bottom, right). No python-docx API."""
    margins = _element("w:tcMar")
    for side, value in zip(SIDES, twips, strict=True):
        margins.append(_element(f"w:{side}", w=str(value), type="dxa"))
    replace_child(cell_properties, margins, CELL_PROPERTIES)


def set_cell_shading(cell_properties: BaseOxmlElement, fill: str) -> None:
    """`w:shd`: the cell's background colour. No python-docx API."""
    replace_child(cell_properties, _element("w:shd", val="clear", color="auto", fill=fill),
                  CELL_PROPERTIES)


def set_cell_borders(cell_properties: BaseOxmlElement,
                     sides: Iterable[tuple[str, str, int]]) -> None:
    """`w:tcBorders`: (side, colour, width in eighths of a point) lines around the cell.
    No python-docx API."""
    borders = _element("w:tcBorders")
    for side, color, eighths in sides:
        borders.append(_element(f"w:{side}", val="single", sz=str(eighths), space="0",
                                color=color))
    replace_child(cell_properties, borders, CELL_PROPERTIES)


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
    replace_child(settings, _element("w:embedTrueTypeFonts"), SETTINGS)
    replace_child(settings, _element("w:saveSubsetFonts"), SETTINGS)
