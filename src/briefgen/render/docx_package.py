"""The DOCX as a package: the base document opened (parsed once a process), what it should
not pass on removed, properties and embedded fonts added, and the zip written with fixed
times, so equal input gives equal files."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import docx
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.opc.part import Part, PartFactory, XmlPart
from docx.oxml.ns import qn
from docx.package import Package

from briefgen.document import FontFamily, Metadata
from briefgen.errors import Problem, TemplateError
from briefgen.render import docx_xml
from briefgen.render.docx_fonts import ALPHABETS, FONT_CONTENT_TYPE, embedded_font
from briefgen.render.ooxml import CONTENT_TYPES, R, W
from briefgen.template.base_document import BaseDocument

# The font table is plain XML to python-docx, which would keep it as bytes; as an XML part
# its entries can be added to.
PartFactory.part_type_for[CONTENT_TYPE.WML_FONT_TABLE] = XmlPart

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
ATTACHED_TEMPLATE = f"{R}/attachedTemplate"
# Parts smaller than this are stored, not compressed: starting a compressor costs more time
# (about 70 microseconds a part) than the few hundred bytes it would save are worth.
SMALL_PART = 4096
FACES = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
         (True, True): "BoldItalic"}  # (bold, italic) -> w:embed..., in the schema's order
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EMPTY_FONT_TABLE = f'{_XML_DECLARATION}<w:fonts xmlns:w="{W}" xmlns:r="{R}"/>'.encode()
EMPTY_NUMBERING = f'{_XML_DECLARATION}<w:numbering xmlns:w="{W}"/>'.encode()


def open_base_document(base: BaseDocument) -> Any:
    """A fresh python-docx document made from the base document; `TemplateError` when
    python-docx cannot read it."""
    try:
        return _open(base.data)
    except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile, PackageNotFoundError) as error:
        # python-docx reads every part, some of which checking the base document did not.
        raise TemplateError(Problem(
            base.path, "", f"is not a Word document briefgen can read ({error})",
            "open it in Word and save it again as \"Word Document (.docx)\"")) from None


def remove_leftovers(word: Any) -> None:
    """What the base document should not pass on to the brief: its page's thumbnail, Word
    2010's copy of its styles, and the link to the Word template it was made from."""
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
    # Word would reach for the template (often on a server) each time the brief is opened.
    settings = word.settings.element
    attached = settings.find(qn("w:attachedTemplate"))
    if attached is not None:
        settings.remove(attached)
    settings_part = word.part.part_related_by(RELATIONSHIP_TYPE.SETTINGS)
    for relationship in list(settings_part.rels.values()):
        if relationship.reltype == ATTACHED_TEMPLATE:
            del settings_part.rels[relationship.rId]


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


def set_properties(word: Any, metadata: Metadata) -> None:
    """The document's core properties, from the brief's metadata, dated by the brief."""
    properties = word.core_properties
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


def embed_fonts(word: Any, family: FontFamily, characters: dict[tuple[bool, bool], set[str]]
                ) -> None:
    """Subsets of the family's faces, as Word's embedded fonts: each with the alphabets, and
    the other `characters` the text uses in that face (by bold, italic)."""
    word_part = word.part
    try:
        font_table = word_part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    except KeyError:
        font_table = XmlPart.load(PackURI("/word/fontTable.xml"),
                                  CONTENT_TYPE.WML_FONT_TABLE, EMPTY_FONT_TABLE,
                                  word_part.package)
        word_part.relate_to(font_table, RELATIONSHIP_TYPE.FONT_TABLE)
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
        extra = frozenset(characters.get(face, set()) - ALPHABETS)
        font = embedded_font(files[face], extra)
        part = Part(package.next_partname("/word/fonts/font%d.odttf"), FONT_CONTENT_TYPE,
                    font.data, package)
        faces.append((kind, font_table.relate_to(part, RELATIONSHIP_TYPE.FONT), font.key))
    docx_xml.add_embedded_font(font_table.element, family.name, faces)
    docx_xml.embed_fonts(word.settings.element)


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


def package_bytes(word: Any, date: str) -> bytes:
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
        f'{_XML_DECLARATION}<Types xmlns="{CONTENT_TYPES}">'
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
