"""What a Word file may carry: nothing that reaches outside it when someone opens it.

Word reaches outside a file on its own for a picture, frame or template linked by address (a
`\\\\server\\share` address hands the reader's Windows sign-in to that server) and for fields
that include a file; DDE fields start programs; macros, ActiveX controls and embedded objects
run code. `scan_docx` finds them all, in a base document when it is loaded
(`template/base_document.py`), in every DOCX before it is written (`write/`) and in each DOCX
an email draft attaches (`write/drafts.py`).
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from briefgen.errors import BriefgenBug

# Bomb limits, generous enough for a DOCX built on the largest base document briefgen takes
# (`base_document` refuses more than 2,000 parts or 64 MB unpacked, with a friendlier message).
MAX_ENTRIES = 4000
MAX_UNPACKED = 160 * 1024 * 1024
MAX_DEPTH = 1  # a chart's workbook inside the DOCX; nothing inside that
MAX_FINDINGS = 20
DOCTYPE = "declares a DOCTYPE, which Word never writes"

SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES_PART = "[Content_Types].xml"
SETTINGS_PART = "word/settings.xml"  # where Word keeps the link to a document's template
VML = "urn:schemas-microsoft-com:vml"
SPREADSHEET_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                          "http://purl.oclc.org/ooxml/spreadsheetml/main")
# A link the reader must click: shown by Word, never followed on its own.
CLICKED_LINK = re.compile(r"(https?://|mailto:)", re.IGNORECASE)
# A target or attribute that names a place: a scheme, a network path or a drive.
ADDRESS = re.compile(r"\s*([a-z][a-z0-9+.-]*:|\\\\|//|[a-z]:\\)", re.IGNORECASE)
# A file on another computer: `\\server\share`, `//server/share`, `file://server/...`.
NETWORK_PATH = re.compile(r"\s*(\\\\|//|file://(?!/))", re.IGNORECASE)
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE objects, macros, ActiveX data
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

HINT_FIELD = ("in Word, show the field codes (Alt+F9; Option+F9 on a Mac), delete this field "
              "and save; to keep a picture, insert the picture itself (Insert > Pictures)")
HINT_LINK = "insert the picture itself in Word, not a link to it, or remove it"
HINT_MACROS = "save it from Word as \"Word Document (.docx)\", which leaves macros out"
HINT_OBJECT = ("remove the embedded object or control; to keep how it looks, paste it as a "
               "picture (Paste Special > Picture)")
HINT_RESAVE = "open it in Word and save it again as \"Word Document (.docx)\""
HINT_SMALLER = "save an empty document with only the header and footer"
HINT_WEB_PAGE = "save it from Word as \"Word Document (.docx)\", not as a web page"
HINT_HYPERLINK = "make the link a web address (https://...) or a mail address, or remove it"
HINT_MAIL_MERGE = "turn the mail merge off (Mailings > Start Mail Merge > Normal Word Document)"

# Field names Word resolves by reaching outside the document, and what they would do.
OUTSIDE_FIELDS = {
    **dict.fromkeys(("INCLUDEPICTURE", "IMPORT", "INCLUDETEXT", "INCLUDE", "LINK", "RD",
                     "DATABASE"), "would fetch a file when Word updates fields"),
    **dict.fromkeys(("DDE", "DDEAUTO"), "would start another program when Word updates fields"),
    **dict.fromkeys(("EMBED", "CONTROL"), "holds an embedded object or control"),
    "MACROBUTTON": "would run a command when someone double-clicks it",
}
MACRO_WORDS = ("macroenabled", "vbaproject", "vbadata", "keymapcustomizations",
               "attachedtoolbars")
# Elements that are refused wherever they are, whatever their namespace.
OBJECT_ELEMENTS = {
    "OLEObject": ("contains an embedded or linked object (OLE)", HINT_OBJECT),
    "objectEmbed": ("contains an embedded object (OLE)", HINT_OBJECT),
    "objectLink": ("contains a linked object (OLE)", HINT_OBJECT),
    "oleObject": ("contains an embedded or linked object (OLE)", HINT_OBJECT),
    "control": ("contains an ActiveX control", HINT_OBJECT),
    "altChunk": ("imports another file into the document (altChunk)", HINT_RESAVE),
    "subDoc": ("includes another document (a master document)", HINT_RESAVE),
    "mailMerge": ("is a mail merge document, which reads its data source when opened",
                  HINT_MAIL_MERGE),
    "frameset": ("is a web page with frames, which load other pages", HINT_WEB_PAGE),
    "webVideoPr": ("contains an online video", "remove the video"),
    "ddeLink": ("asks another program for data (DDE)", HINT_OBJECT),
    "oleLink": ("contains a linked object (OLE)", HINT_OBJECT),
}
FIELD_TAGS = ("fldChar", "instrText", "delInstrText", "fldSimple")
# What a spreadsheet formula (in a chart's workbook) may not do: DDE (`cmd|'...'!A1`),
# another workbook (`[1]Sheet1!A1`), or a function that fetches or calls outside Excel.
OUTSIDE_FORMULA = re.compile(r"\||\[\d+\]|\[[^\]]*\.xl\w*\]|"
                             r"\b(WEBSERVICE|RTD|CALL|REGISTER|EXEC|IMAGE)\s*\(", re.IGNORECASE)

PART_NAMES = (  # file name pattern -> what a policy officer calls it
    (r"document\d*\.xml", "the document"), (r"header\d*\.xml", "a header"),
    (r"footer\d*\.xml", "a footer"), (r"footnotes\.xml", "the footnotes"),
    (r"endnotes\.xml", "the endnotes"), (r"comments\w*\.xml", "the comments"),
    (r"settings\.xml", "the settings"), (r"webSettings\.xml", "the web settings"),
    (r"theme\d*\.xml", "the theme"), (r"fontTable\.xml", "the font table"),
    (r"numbering\.xml", "the numbering"), (r"styles\w*\.xml", "the styles"),
)


@dataclass(frozen=True)
class Finding:
    """One thing in a Word file that reaches, or could reach, outside it.

    `part` is the part as the zip names it (`word/header1.xml`; `outer!inner` inside a
    chart's workbook), "" for the file as a whole; `hint` says what to change in Word.
    """

    part: str
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{describe_part(self.part)}: {self.message}" if self.part else self.message


def describe_part(part: str) -> str:
    """`word/header1.xml` -> `word/header1.xml (a header)`; a part of the glossary (Word's
    building blocks) says so."""
    name = part.rsplit("!", 1)[-1]
    if name.startswith("word/glossary/"):
        return f"{part} (the building blocks)"
    base = name.rsplit("/", 1)[-1]
    for pattern, words in PART_NAMES:
        if re.fullmatch(pattern, base):
            return f"{part} ({words})"
    return part


def scan_docx(data: bytes, *, attached_template_allowed: bool = False) -> list[Finding]:
    """Everything in the Word file `data` that reaches outside it; [] when there is nothing.

    Looked at, in every part of the package:

    - relationships (every `.rels` part): a target outside the file only as a link the reader
      clicks (https:, http:, mailto:), and no file imported into the text (altChunk);
    - fields: each field's instruction, put together from its pieces (a field may be split over
      runs and paragraphs) and from `w:fldSimple`, in every part: document, headers, footers,
      notes, comments, the glossary;
    - content types (an Override or a Default by extension) and the first bytes of every part
      that is not XML: macros, ActiveX, OLE objects, Office add-ins and files inside the
      file. The workbook behind a chart is the one file allowed inside, and it is scanned
      the same way;
    - XML: parsed, never searched as bytes, with DTDs, entities and the network off; a DOCTYPE is
      refused in any encoding;
    - the zip: at most `MAX_ENTRIES` parts and `MAX_UNPACKED` bytes unpacked (what is read never
      exceeds the sizes the zip declares: a part that unpacks to more fails its checksum).

    `attached_template_allowed`: a link from the settings to the Word template a document
    was made from is not a finding (a base document's: the DOCX leaves it out, see
    `render/docx.py`).
    """
    scan = _Scan(attached_template_allowed)
    scan.package(data, "", 0)
    return scan.findings[:MAX_FINDINGS]


def refuse_unsafe_docx(data: bytes, path: Path) -> None:
    """Raise `BriefgenBug` when a DOCX briefgen made carries anything `scan_docx` finds: the
    base document was checked when it was loaded, so the finding is a defect in briefgen."""
    findings = scan_docx(data)
    if findings:
        listed = "; ".join(str(finding) for finding in findings)
        raise BriefgenBug(f"{path.name} would carry what a DOCX may not: {listed}")


def parse_xml(data: bytes) -> Any:
    """An XML part's root element (lxml), parsed with DTDs, entities and the network off;
    `etree.XMLSyntaxError` when it is not XML, `ValueError` when it declares a DOCTYPE."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        # A DTD's entities may be what breaks the parse (an external one, or too many
        # expansions): say what it is.
        if _declares_doctype(data):
            raise ValueError(DOCTYPE) from None
        raise
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise ValueError(DOCTYPE)
    return root


class _DoctypeSeen:
    """A parser target that only notes a DOCTYPE (lxml calls the methods it has)."""

    declared = False

    def doctype(self, *_: object) -> None:
        self.declared = True

    def close(self) -> None:
        return None


def _declares_doctype(data: bytes) -> bool:
    target = _DoctypeSeen()
    parser = etree.XMLParser(target=target, resolve_entities=False, no_network=True,
                             load_dtd=False)
    with contextlib.suppress(etree.XMLSyntaxError):
        etree.fromstring(data, parser)
    return target.declared


def _parser() -> Any:
    # A new parser each time: lxml parsers must not be shared between threads (the preview
    # builds on one), and making one costs a few microseconds.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False)


def _shown(text: str, limit: int = 80) -> str:
    """`text` for a message: one line, control characters as `?`, at most `limit` long."""
    text = re.sub(r"\s+", " ", re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "?", text)).strip()
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _attribute(element: Any, name: str) -> str | None:
    """An attribute by its local name, in whatever namespace (Word's strict files use
    another one)."""
    for key, value in element.attrib.items():
        if key == name or key.endswith("}" + name):
            return str(value)
    return None


@dataclass
class _Field:
    """A complex field while its instruction is read."""

    pieces: list[str] = field(default_factory=list)
    nested: bool = False  # a field inside its instruction
    named_by_field: bool = False  # ... before any name: the name is another field's result
    done: bool = False  # its instruction is over (after `separate`)


class _Fields:
    """The complex fields of a part while it is read, each handed to `judge` once its
    instruction is complete (or the part ends); simple fields and stray instructions at
    once."""

    def __init__(self, judge: Callable[[_Field], None]) -> None:
        self.judge = judge
        self.open: list[_Field] = []

    def read(self, local: str, element: Any) -> None:
        if local == "fldChar":
            self.character(_attribute(element, "fldCharType"))
        elif local == "fldSimple":
            self.judge(_Field([_attribute(element, "instr") or ""]))
        else:  # instrText, delInstrText
            self.instruction(element.text or "")

    def character(self, kind: str | None) -> None:
        """A field's begin, separate or end mark."""
        fields = self.open
        if kind == "begin":
            if fields and not fields[-1].done:
                fields[-1].nested = True
                fields[-1].named_by_field |= not "".join(fields[-1].pieces).strip()
            fields.append(_Field())
        elif kind == "separate" and fields and not fields[-1].done:
            self.judge(fields[-1])
            fields[-1].done = True
        elif kind == "end" and fields:
            ended = fields.pop()
            if not ended.done:
                self.judge(ended)

    def instruction(self, text: str) -> None:
        if self.open and not self.open[-1].done:
            self.open[-1].pieces.append(text)
        else:  # an instruction outside any field: judged on its own
            self.judge(_Field([text]))

    def finish(self) -> None:
        for unfinished in self.open:
            if not unfinished.done:
                self.judge(unfinished)


@dataclass
class _Scan:
    attached_template_allowed: bool
    findings: list[Finding] = field(default_factory=list)
    entries_left: int = MAX_ENTRIES
    bytes_left: int = MAX_UNPACKED
    reported: set[tuple[str, str]] = field(default_factory=set)

    def add(self, part: str, message: str, hint: str) -> None:
        if (part, message) not in self.reported:
            self.reported.add((part, message))
            self.findings.append(Finding(part, message, hint))

    # -- the zip ------------------------------------------------------------------------------

    def package(self, data: bytes, prefix: str, depth: int) -> None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            entries = [entry for entry in archive.infolist() if not entry.is_dir()]
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
            self.add(prefix, "is not a Word document (.docx)" if not prefix else "is damaged",
                     "save it from Word as \"Word Document (.docx)\"")
            return
        self.entries_left -= len(entries)
        self.bytes_left -= sum(entry.file_size for entry in entries)
        if self.entries_left < 0 or self.bytes_left < 0:
            self.add(prefix, "holds too many or too large parts", HINT_SMALLER)
            return
        defaults, overrides = self.content_types(archive, prefix)
        for entry in entries:
            name = entry.filename
            if name == CONTENT_TYPES_PART:
                continue
            part = f"{prefix}!{name}" if prefix else name
            extension = name.rpartition(".")[2].lower() if "." in name else ""
            content_type = overrides.get("/" + name.lower().lstrip("/"),
                                         defaults.get(extension, "")).lower()
            if self.judge_content_type(part, name, content_type):
                continue
            if entry.flag_bits & 0x1:
                self.add(part, "is encrypted", HINT_RESAVE)
                continue
            try:
                if name.endswith((".xml", ".rels")) or content_type.endswith("xml"):
                    self.xml_part(part, name, archive.read(entry), depth)
                else:
                    self.binary_part(part, archive, entry, content_type, depth)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError,
                    ValueError) as error:
                self.add(part, f"is damaged ({_shown(str(error))})", HINT_RESAVE)

    def content_types(self, archive: zipfile.ZipFile, prefix: str
                      ) -> tuple[dict[str, str], dict[str, str]]:
        """Content types by extension (Defaults) and by part name (Overrides), lower case."""
        part = f"{prefix}!{CONTENT_TYPES_PART}" if prefix else CONTENT_TYPES_PART
        try:
            root = parse_xml(archive.read(CONTENT_TYPES_PART))
        except KeyError:
            self.add(prefix, "is not a Word document (it lists no content types)",
                     "save it from Word as \"Word Document (.docx)\"")
            return {}, {}
        except (etree.XMLSyntaxError, ValueError, zipfile.BadZipFile, OSError) as error:
            self.add(part, f"cannot be read ({_shown(str(error))})", HINT_RESAVE)
            return {}, {}
        defaults = {str(item.get("Extension", "")).lower(): str(item.get("ContentType", ""))
                    for item in root.iter("{*}Default")}
        overrides = {str(item.get("PartName", "")).lower(): str(item.get("ContentType", ""))
                     for item in root.iter("{*}Override")}
        return defaults, overrides

    def judge_content_type(self, part: str, name: str, content_type: str) -> bool:
        """Report macros, ActiveX, OLE objects and add-ins by their type or name; True if
        found."""
        lowered = name.lower()
        if any(word in content_type for word in MACRO_WORDS) or lowered.endswith(
                "vbaproject.bin"):
            self.add(part, "contains macros", HINT_MACROS)
        elif "activex" in content_type or "/activex/" in f"/{lowered}":
            self.add(part, "contains an ActiveX control", HINT_OBJECT)
        elif "oleobject" in content_type:
            self.add(part, "contains an embedded object (OLE)", HINT_OBJECT)
        elif "webextension" in content_type or "/webextensions/" in f"/{lowered}":
            self.add(part, "contains an Office add-in, which Word loads from the internet",
                     "remove the add-in from the document (Insert > My Add-ins)")
        else:
            return False
        return True

    def binary_part(self, part: str, archive: zipfile.ZipFile, entry: zipfile.ZipInfo,
                    content_type: str, depth: int) -> None:
        with archive.open(entry) as stream:
            head = stream.read(8)
        if head == CFB_SIGNATURE:
            # Word keeps macros, ActiveX data and OLE objects in this format.
            self.add(part, "contains an embedded object, control or macros", HINT_OBJECT)
        elif head[:4] in ZIP_SIGNATURES:
            if content_type == SPREADSHEET and depth < MAX_DEPTH:
                self.package(archive.read(entry), part, depth + 1)  # a chart's workbook
            else:
                self.add(part, "is another file inside the document", HINT_OBJECT)

    # -- XML parts ----------------------------------------------------------------------------

    def xml_part(self, part: str, name: str, data: bytes, depth: int) -> None:
        try:
            root = parse_xml(data)
        except ValueError as error:
            self.add(part, str(error), HINT_RESAVE)
            return
        except etree.XMLSyntaxError as error:
            self.add(part, f"cannot be read ({_shown(str(error))})", HINT_RESAVE)
            return
        if name.endswith(".rels"):
            self.relationships(part, name, root)
            return
        self.elements(part, root)

    def relationships(self, part: str, name: str, root: Any) -> None:
        # The part the relationships belong to: word/_rels/header1.xml.rels -> word/header1.xml
        folder, _, file = name.rpartition("_rels/")
        source = folder + file.removesuffix(".rels")
        package = part.rpartition("!")[0]
        owner = f"{package}!{source}" if package and source else package or source
        for relationship in root.iter("{*}Relationship"):
            kind = str(relationship.get("Type", "")).rsplit("/", 1)[-1]
            target = str(relationship.get("Target", ""))
            external = relationship.get("TargetMode", "Internal") != "Internal"
            # Macros, controls and objects are found as parts (by type, name or bytes); an
            # imported file (altChunk) may be of any type, so it is found by its relationship.
            if kind == "aFChunk":
                self.add(owner, "imports another file into the document (altChunk)",
                         HINT_RESAVE)
            if not external:
                if ADDRESS.match(target):
                    self.add(owner, f"refers to {_shown(target)} outside the document",
                             HINT_RESAVE)
                continue
            if kind == "hyperlink":
                if not CLICKED_LINK.match(target):
                    self.add(owner, f"links to {_shown(target)}, which is not a web or mail "
                             "address", HINT_HYPERLINK)
            elif kind == "attachedTemplate":
                if not (self.attached_template_allowed and owner == SETTINGS_PART):
                    self.add(owner, f"is attached to the Word template {_shown(target)}, "
                             "which Word looks for when the document is opened", HINT_RESAVE)
            elif kind in ("image", "thumbnail"):
                self.add(owner, f"shows a picture from outside the document ({_shown(target)})"
                         ", which Word fetches when the document is opened", HINT_LINK)
            elif kind == "frame":
                self.add(owner, f"shows the page {_shown(target)} in a frame, which Word "
                         "fetches when the document is opened", HINT_WEB_PAGE)
            else:
                self.add(owner, f"refers to {_shown(target)} outside the document ({kind})",
                         HINT_LINK)

    def elements(self, part: str, root: Any) -> None:
        """Fields, objects, VML addresses and formulas, in one pass in document order."""
        tags = [*(f"{{*}}{tag}" for tag in (*FIELD_TAGS, *OBJECT_ELEMENTS)),
                f"{{{VML}}}*", *(f"{{{namespace}}}f" for namespace in SPREADSHEET_NAMESPACES)]
        fields = _Fields(lambda found: self.judge_field(part, found))
        for element in root.iter(*tags):
            tag = etree.QName(element)
            local = tag.localname
            if local in FIELD_TAGS:
                fields.read(local, element)
            elif tag.namespace == VML:
                self.vml(part, element)
            elif local == "f" and tag.namespace in SPREADSHEET_NAMESPACES:
                if OUTSIDE_FORMULA.search(element.text or ""):
                    self.add(part, f"has a formula that reaches outside the workbook "
                             f"({_shown(element.text or '')})", HINT_OBJECT)
            elif local in OBJECT_ELEMENTS:
                self.add(part, *OBJECT_ELEMENTS[local])
        fields.finish()

    def judge_field(self, part: str, found: _Field) -> None:
        instruction = "".join(found.pieces)
        shown = _shown(instruction)
        if found.named_by_field:
            self.add(part, f"has a field whose name another field makes ({shown} …), a way "
                     "to hide what it does", HINT_FIELD)
            return
        name_match = re.match(r"\s*([A-Za-z]+)", instruction)
        if name_match is None:
            return
        name = name_match.group(1).upper()
        if name in OUTSIDE_FIELDS:
            self.add(part, f"field {shown} {OUTSIDE_FIELDS[name]}", HINT_FIELD)
        elif name == "HYPERLINK":
            address = _hyperlink_address(instruction[name_match.end():])
            if found.nested:
                self.add(part, f"field {shown} takes its address from another field",
                         HINT_FIELD)
            elif address is not None and not CLICKED_LINK.match(address):
                self.add(part, f"field {shown} links to {_shown(address)}, which is not a web "
                         "or mail address", HINT_HYPERLINK)

    def vml(self, part: str, element: Any) -> None:
        """An old-style (VML) shape's picture or fill that Word would load from an address,
        and a link to another computer. Why not every `href`: Word records where a pasted
        picture came from (`o:href="file:///C:/.../clip_image001.png"`, `cid:...`) in
        ordinary documents, and does not go there."""
        for key, value in element.attrib.items():
            local = str(key).rpartition("}")[2]
            if local == "src" and ADDRESS.match(value):
                self.add(part, f"shows a picture from outside the document ({_shown(value)})",
                         HINT_LINK)
            elif local in ("href", "althref") and NETWORK_PATH.match(value):
                self.add(part, f"links to {_shown(value)} on another computer", HINT_LINK)


def _hyperlink_address(arguments: str) -> str | None:
    """The address of a HYPERLINK field (its first argument that is not a switch or a
    switch's value); None when it has none (a link to a bookmark, `\\l`)."""
    tokens: list[tuple[str, str]] = re.findall(r'"([^"]*)"|(\S+)', arguments)
    skip_next = False
    for quoted, bare in tokens:
        if skip_next:
            skip_next = False
            continue
        if bare.startswith("\\") and len(bare) == 2:
            skip_next = bare.lower() in ("\\l", "\\o", "\\t")
            continue
        token = bare or quoted
        if token:
            return token.replace("\\\\", "\\")
    return None
