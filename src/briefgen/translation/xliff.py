"""The file a translator works in: XLIFF 1.2, written and read back safely.

Why XLIFF 1.2: it is the exchange format that professional tools share. Trados, memoQ and
Phrase read and write it (their own formats are 1.2 dialects), and so do OmegaT, Weblate and
translate-toolkit; XLIFF 2 support is thin and memoQ's 1.2 and 2 filters are not compatible.
Unlike PO, it marks inline markup as tags that tools lock (see `placeholders`), carries each
text's length limit (`maxwidth`) and where it comes from (`context-group`), and leaves
segmentation and translation memory to the tool.

One `<file>` per export. `original` names the spec and `product-name` the brief's id, so a
file cannot be imported into another brief. Each `<trans-unit>` is one field, its `id` the
field's stable key (`stats[mines].label`), its `<note>` what the translator needs: where the
text is, its length limit, what each tag stands for.

Reading: a translator's file is untrusted. It is parsed with expat and refused if it has a
document type declaration, so no entity can be declared, expanded or fetched (XLIFF never
needs one); the size is limited. Why not defusedxml: it wraps the same expat parser and
forbids the same things; refusing the DTD outright takes a few lines and no dependency.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from briefgen import __version__
from briefgen.errors import Location, Problem, UserError

XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
MAX_XLIFF_BYTES = 5_000_000  # a brief's texts take a few dozen kilobytes


@dataclass(frozen=True)
class ExportUnit:
    """One text for the translator. `source` is inline XML (see `placeholders.tag_source`)."""

    key: str
    source: str
    file: str  # the YAML file the text is written in, relative to the spec's folder
    line: int
    note: str
    max_length: int


@dataclass(frozen=True)
class ImportUnit:
    """One `<trans-unit>` of a translator's file; `target` is None when it has none."""

    key: str
    location: Location
    source: ET.Element
    target: ET.Element | None

    @property
    def has_translation(self) -> bool:
        target = self.target
        return target is not None and bool((target.text or "").strip() or len(target))


@dataclass(frozen=True)
class XliffFile:
    """What briefgen reads from a translator's file."""

    path: Path
    original: str
    brief_id: str | None
    source_language: str
    target_language: str | None
    units: list[ImportUnit]


def write_xliff(units: list[ExportUnit], *, original: str, brief_id: str,
                source_language: str, target_language: str, note: str) -> bytes:
    """An XLIFF 1.2 document holding `units`, UTF-8."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<xliff version="1.2" xmlns="{XLIFF_NAMESPACE}">',
        f"  <file original={quoteattr(original)} product-name={quoteattr(brief_id)} "
        f"source-language={quoteattr(source_language)} "
        f"target-language={quoteattr(target_language)} datatype=\"plaintext\" "
        'tool-id="briefgen">',
        "    <header>",
        f'      <tool tool-id="briefgen" tool-name="briefgen" tool-version="{__version__}"/>',
        f"      <note>{escape(note)}</note>",
        "    </header>",
        "    <body>",
    ]
    for unit in units:
        lines += [
            f"      <trans-unit id={quoteattr(unit.key)} resname={quoteattr(unit.key)} "
            f'maxwidth="{unit.max_length}" size-unit="char" xml:space="preserve">',
            f"        <source>{unit.source}</source>",
            '        <context-group purpose="location">',
            f'          <context context-type="sourcefile">{escape(unit.file)}</context>',
            f'          <context context-type="linenumber">{unit.line}</context>',
            "        </context-group>",
            f'        <note from="briefgen">{escape(unit.note)}</note>',
            "      </trans-unit>",
        ]
    lines += ["    </body>", "  </file>", "</xliff>", ""]
    return "\n".join(lines).encode("utf-8")


def read_xliff(path: Path) -> XliffFile:
    """Read a translator's XLIFF 1.2 file; every problem is a `UserError` at its line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(Problem(path, "", "file not found")) from None
    except OSError as error:
        raise UserError(Problem(path, "", f"cannot read file ({error.strerror})")) from None
    if len(data) > MAX_XLIFF_BYTES:
        raise UserError(Problem(path, "", f"file is {len(data):,} bytes; a brief's translation "
                                f"file is at most {MAX_XLIFF_BYTES:,}"))
    root, lines = parse_xml(data, path)

    def where(element: ET.Element) -> Location:
        return Location(path, *lines.get(element, (1, 1)))

    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if root.tag.rsplit("}", 1)[-1] != "xliff":
        raise UserError(Problem(where(root), "", f"is not an XLIFF file (its root is "
                                f"<{root.tag.rsplit('}', 1)[-1]}>)"))
    if namespace.startswith("urn:oasis:names:tc:xliff:document:2") or root.get(
            "version", "").startswith("2"):
        raise UserError(Problem(where(root), "", "is an XLIFF 2 file; briefgen reads XLIFF 1.2",
                                "export the translation from your tool as XLIFF 1.2"))
    prefix = f"{{{namespace}}}" if namespace else ""
    files = root.findall(f"{prefix}file")
    if len(files) != 1:
        raise UserError(Problem(where(root), "", f"holds {len(files)} <file> elements; "
                                "briefgen writes one per brief and language",
                                "import the file briefgen exported, translated"))
    file = files[0]
    units = []
    for unit in file.iter(f"{prefix}trans-unit"):
        source = unit.find(f"{prefix}source")
        if source is None:
            raise UserError(Problem(where(unit), unit.get("id", ""), "has no <source>",
                                    "import the file briefgen exported, translated"))
        units.append(ImportUnit(unit.get("id", ""), where(unit), source,
                                unit.find(f"{prefix}target")))
    return XliffFile(path=path, original=file.get("original", ""),
                     brief_id=file.get("product-name"),
                     source_language=file.get("source-language", ""),
                     target_language=file.get("target-language"), units=units)


def parse_xml(data: bytes, path: Path
              ) -> tuple[ET.Element, dict[ET.Element, tuple[int, int]]]:
    """The element tree of an untrusted XML document, with each element's line and column.

    A document type declaration is refused before it is read, so entities can be neither
    declared nor expanded, and nothing outside the file is ever fetched.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, tuple[int, int]] = {}

    def start(name: str, attributes: dict[str, str]) -> None:
        element = builder.start(_clark(name), {_clark(key): value
                                               for key, value in attributes.items()})
        lines[element] = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def refuse(*_: object) -> None:
        raise _Refused(parser.CurrentLineNumber)

    def refuse_entity(*_: object) -> int:
        raise _Refused(parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: builder.end(_clark(name))
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse_entity
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        raise UserError(Problem(Location(path, refused.line, 1), "",
                                "has a document type declaration (<!DOCTYPE>), which an XLIFF "
                                "file never needs; it is not read, for safety",
                                "export the file again from the translation tool")) from None
    except expat.ExpatError as error:
        raise UserError(Problem(
            Location(path, error.lineno, error.offset + 1), "",
            f"is not well-formed XML ({expat.errors.messages[error.code]})",
            "export the file again from the translation tool, or send the one it saved")
        ) from None
    return builder.close(), lines


class _Refused(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _clark(name: str) -> str:
    """expat's `uri local` as ElementTree's `{uri}local`."""
    namespace, _, local = name.rpartition(" ")
    return f"{{{namespace}}}{local}" if namespace else local
