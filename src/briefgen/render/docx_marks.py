"""Marks in the DOCX that let a colleague's edits find their way back to the spec.

Each text the spec supplies is wrapped in a hidden bookmark (`_bg<paragraph>_<field>`: Word
lists names that start with "_" only when "Hidden bookmarks" is ticked, and shows no sign of
them in the text), and the DOCX carries a record of what it was built from, in a custom XML
part (`customXml/item1.xml`): the brief, the spec file, the version (audience) and its
language, a fingerprint of the texts, each field's path in the spec and a fingerprint of its
text there, and every paragraph's words as built, with what each word is (a field's, the
template's, a source marker). `briefgen take-back` reads both (`briefgen.edits`).

Why bookmarks and a custom XML part: both survive Word, python-docx and a LibreOffice round
trip (which rewrites the whole file). Measured with LibreOffice 7.4: a content control
(`w:sdt`) loses its tag and comes back as a placeholder, and document variables
(`w:docVars`) are dropped; custom document properties survive LibreOffice, but Word keeps
at most 255 characters of each.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from briefgen.document import Paragraph, ParagraphStyle, Span
from briefgen.render import docx_xml

MARK_PREFIX = "_bg"
RECORD_NAMESPACE = "urn:briefgen:docx-origin:1"
RECORD_FORMAT = "1"
CUSTOM_XML_PROPERTIES = ("application/vnd.openxmlformats-officedocument."
                         "customXmlProperties+xml")
DATASTORE = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
# An item id of our own (Word wants one per custom XML part; any fixed GUID will do, and a
# fixed one keeps equal input giving equal files).
ITEM_ID = "{8E5C2A61-3B7D-4F0A-9C1E-6D2B4A7F0B31}"
# Run kinds in the record: what a piece of a paragraph is.
BOLD, ITALIC, MARKER = "b", "i", "m"
START, ID, NAME = qn("w:bookmarkStart"), qn("w:id"), qn("w:name")
# Made once and copied: python-docx's element factory parses each new element.
_BOOKMARK_START = docx_xml.new_element("w:bookmarkStart")
_BOOKMARK_END = docx_xml.new_element("w:bookmarkEnd")


@dataclass(frozen=True)
class FieldSource:
    """A text of the spec as a version printed it: its path in the (merged) spec and a
    fingerprint of its text there."""

    path: tuple[str | int, ...]
    text_hash: str


@dataclass(frozen=True)
class DocxOrigin:
    """What a DOCX was built from: the brief, its spec file, the version and its language,
    a fingerprint of the texts it prints, and each printed field by its origin (the
    `Span.origin` the composer gave its words)."""

    brief_id: str
    spec_name: str
    texts_hash: str
    audience_id: str | None
    language: str
    briefgen_version: str
    fields: dict[str, FieldSource] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordedRun:
    """A piece of a paragraph as built: its text, bold and italic as printed, whether it is
    a source marker, its link, and the number of the field it belongs to (None: the
    template's words)."""

    text: str
    bold: bool = False
    italic: bool = False
    marker: bool = False
    link: str | None = None
    field: int | None = None


@dataclass(frozen=True)
class RecordedParagraph:
    number: int
    runs: tuple[RecordedRun, ...]
    caps: bool = False  # set in capitals: the words were upper-cased for the page


@dataclass(frozen=True)
class RecordedField:
    number: int
    origin: str
    source: FieldSource | None  # None: a DOCX built without knowing its spec


@dataclass(frozen=True)
class OriginRecord:
    """The record a DOCX carries (see the module docstring), as read back."""

    origin: DocxOrigin | None
    fields: dict[int, RecordedField]
    paragraphs: tuple[RecordedParagraph, ...]


_COPY = re.compile(r"_Copy_\d+$")


def mark_name(paragraph: int, field_number: int) -> str:
    """The bookmark around field `field_number`'s words in paragraph `paragraph`."""
    return f"{MARK_PREFIX}{paragraph}_{field_number}"


def parse_mark_name(name: str) -> tuple[int, int] | None:
    """(paragraph, field) of one of briefgen's bookmarks; None for any other bookmark.

    LibreOffice renames the bookmarks of a table it keeps in a frame (`_bg36_34_Copy_1`)."""
    if not name.startswith(MARK_PREFIX):
        return None
    paragraph, _, field_number = _COPY.sub("", name[len(MARK_PREFIX):]).partition("_")
    if not (paragraph.isdigit() and field_number.isdigit()):
        return None
    return int(paragraph), int(field_number)


class FieldMarks:
    """Marks each field's words in the paragraphs `render/docx.py` writes, and adds the
    record of the whole DOCX when it is finished.

    The writer calls `runs` after making the runs of each span of a paragraph, and
    `paragraph` once the paragraph is written.
    """

    def __init__(self, origin: DocxOrigin | None, word: Any) -> None:
        self.origin = origin
        self.word = word
        _drop_earlier_records(word.part)
        self.field_numbers: dict[str, int] = {}
        self.paragraphs: list[RecordedParagraph] = []
        self.pending: list[tuple[Span, list[BaseOxmlElement]]] = []
        # Bookmark ids are unique in the whole document: after those of the base document's
        # headers, footers and notes (the body starts empty).
        self.next_id = 1 + max((int(mark.get(ID, "0"))
                                for relationship in word.part.rels.values()
                                if not relationship.is_external
                                and isinstance(relationship.target_part, XmlPart)
                                for mark in relationship.target_part.element.iter(START)
                                if mark.get(ID, "").isdigit()), default=0)

    def runs(self, span: Span, runs: list[BaseOxmlElement]) -> None:
        """The runs written for `span`, in order."""
        self.pending.append((span, runs))

    def paragraph(self, paragraph: Paragraph, style: ParagraphStyle, *,
                  typed_label: bool = False) -> None:
        """Bookmarks around each field's runs, and the paragraph's entry in the record;
        `typed_label`: its label (a quotation mark) is typed before its words, with a tab,
        not numbered by Word."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        number = len(self.paragraphs)
        recorded: list[RecordedRun] = []
        if typed_label and paragraph.number:
            recorded.append(RecordedRun(paragraph.number.strip() + "\t", bold=True))
        ranges: dict[int, list[BaseOxmlElement]] = {}
        for span, runs in pending:
            field_number = self.field_number(span.origin) if span.origin else None
            recorded.append(RecordedRun(
                span.text, bold=style.bold or span.bold, italic=style.italic or span.italic,
                marker=span.superscript, link=span.link, field=field_number))
            if field_number is not None and runs:
                first_last = ranges.setdefault(field_number, [runs[0], runs[-1]])
                first_last[1] = runs[-1]
        for field_number, (first, last) in ranges.items():
            mark_id = str(self.next_id)
            self.next_id += 1
            start = copy.copy(_BOOKMARK_START)
            start.set(ID, mark_id)
            start.set(NAME, mark_name(number, field_number))
            end = copy.copy(_BOOKMARK_END)
            end.set(ID, mark_id)
            first.addprevious(start)
            last.addnext(end)
        self.paragraphs.append(RecordedParagraph(number, tuple(recorded), style.caps))

    def field_number(self, origin: str) -> int:
        return self.field_numbers.setdefault(origin, len(self.field_numbers))

    def finish(self) -> None:
        """The record, as a custom XML part of the document."""
        document_part = self.word.part
        package = document_part.package
        # An organisation's base document may carry custom XML of its own (SharePoint's
        # properties): the record takes the next free names.
        item = Part(package.next_partname("/customXml/item%d.xml"), "application/xml",
                    record_xml(self.origin, self.field_numbers, self.paragraphs), package)
        properties = Part(package.next_partname("/customXml/itemProps%d.xml"),
                          CUSTOM_XML_PROPERTIES, _item_properties(), package)
        item.relate_to(properties, RELATIONSHIP_TYPE.CUSTOM_XML_PROPS)
        document_part.relate_to(item, RELATIONSHIP_TYPE.CUSTOM_XML)


def record_xml(origin: DocxOrigin | None, field_numbers: dict[str, int],
               paragraphs: list[RecordedParagraph]) -> bytes:
    """The record as XML (see `read_record` for what comes back)."""
    root = etree.Element(_tag("origin"), nsmap={None: RECORD_NAMESPACE})
    root.set("format", RECORD_FORMAT)
    if origin is not None:
        for name, value in (("briefgen", origin.briefgen_version), ("brief", origin.brief_id),
                            ("spec", origin.spec_name), ("texts", origin.texts_hash),
                            ("audience", origin.audience_id), ("language", origin.language)):
            if value is not None:
                root.set(name, value)
    for origin_text, number in field_numbers.items():
        source = origin.fields.get(origin_text) if origin is not None else None
        element = etree.SubElement(root, _tag("field"), n=str(number), origin=origin_text)
        if source is not None:
            element.set("hash", source.text_hash)
    for paragraph in paragraphs:
        element = etree.SubElement(root, _tag("paragraph"), n=str(paragraph.number))
        if paragraph.caps:
            element.set("caps", "1")
        for run in paragraph.runs:
            _run_element(element, run)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _run_element(paragraph: Any, run: RecordedRun) -> None:
    child = etree.SubElement(paragraph, _tag("run"))
    kinds = (BOLD if run.bold else "") + (ITALIC if run.italic else "") + (
        MARKER if run.marker else "")
    if kinds:
        child.set("kind", kinds)
    if run.field is not None:
        child.set("field", str(run.field))
    if run.link:
        child.set("link", run.link)
    child.text = run.text


def read_record(root: Any) -> OriginRecord:
    """The record from its parsed XML; `ValueError` when it is not one briefgen wrote."""
    if root.tag != _tag("origin") or root.get("format") != RECORD_FORMAT:
        raise ValueError("not a record of this format")
    origin = None
    if root.get("brief") is not None:
        origin = DocxOrigin(
            brief_id=_required(root, "brief"), spec_name=_required(root, "spec"),
            texts_hash=_required(root, "texts"), audience_id=root.get("audience"),
            language=_required(root, "language"),
            briefgen_version=root.get("briefgen", ""))
    fields = [_read_field(element) for element in root.iter(_tag("field"))]
    paragraphs = tuple(_read_paragraph(element) for element in root.iter(_tag("paragraph")))
    return OriginRecord(origin, {field.number: field for field in fields}, paragraphs)


def _read_field(element: Any) -> RecordedField:
    origin_text = _required(element, "origin")
    text_hash = element.get("hash")
    source = (FieldSource(parse_field_path(origin_text), str(text_hash))
              if text_hash is not None else None)
    return RecordedField(_number(element, "n"), origin_text, source)


def _read_paragraph(element: Any) -> RecordedParagraph:
    runs = []
    for child in element.iter(_tag("run")):
        kinds = child.get("kind", "")
        field_number = child.get("field")
        runs.append(RecordedRun(
            child.text or "", bold=BOLD in kinds, italic=ITALIC in kinds,
            marker=MARKER in kinds, link=child.get("link"),
            field=int(field_number) if field_number and field_number.isdigit() else None))
    return RecordedParagraph(_number(element, "n"), tuple(runs), element.get("caps") == "1")


def _tag(name: str) -> str:
    return f"{{{RECORD_NAMESPACE}}}{name}"


def _required(element: Any, name: str) -> str:
    value = element.get(name)
    if value is None:
        raise ValueError(f"{name!r} is missing")
    return str(value)


def _number(element: Any, name: str) -> int:
    value = _required(element, name)
    if not value.isdigit() or len(value) > 6:
        raise ValueError(f"{name!r} is not a number")
    return int(value)


_PATH_PART = re.compile(r"\.?([A-Za-z_][\w-]*)|\[(\d{1,6})\]")


def parse_field_path(text: str) -> tuple[str | int, ...]:
    """`audiences[0].asks[1].detail` -> `('audiences', 0, 'asks', 1, 'detail')`, the
    inverse of `format_field_path` for the paths of a spec (keys are names and language
    tags); `ValueError` for anything else."""
    parts: list[str | int] = []
    position = 0
    while position < len(text):
        found = _PATH_PART.match(text, position)
        if found is None or (position == 0 and text.startswith(".")):
            raise ValueError(f"{text!r} is not a field's path")
        parts.append(found.group(1) if found.group(1) is not None else int(found.group(2)))
        position = found.end()
    if not parts:
        raise ValueError("a field's path is empty")
    return tuple(parts)


def _drop_earlier_records(document_part: Any) -> None:
    """Forget the record of a DOCX briefgen built before, when one is the base document."""
    for relationship in list(document_part.rels.values()):
        if relationship.reltype == RELATIONSHIP_TYPE.CUSTOM_XML and not relationship.is_external \
                and RECORD_NAMESPACE.encode() in relationship.target_part.blob[:400]:
            del document_part.rels[relationship.rId]


def _item_properties() -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<ds:datastoreItem ds:itemID="' + ITEM_ID.encode() + b'" xmlns:ds="'
            + DATASTORE.encode() + b'"><ds:schemaRefs><ds:schemaRef ds:uri="'
            + RECORD_NAMESPACE.encode() + b'"/></ds:schemaRefs></ds:datastoreItem>')
