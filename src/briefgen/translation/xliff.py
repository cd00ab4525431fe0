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

What the export knew is kept in two attributes of briefgen's own namespace, which XLIFF 1.2
allows on `<file>` and `<trans-unit>` and tools carry through: `briefgen:export` on `<file>`
(the language it was made for, with a fingerprint of brief and language), and
`briefgen:translation` on each unit (a fingerprint of the translation the spec had then, or
`none`). The import refuses a file relabelled to another language, and never replaces a
translation the export did not know.

Reading: a translator's file is untrusted. It is parsed with expat and refused if it has a
document type declaration, so no entity can be declared, expanded or fetched (XLIFF never
needs one); the size is limited. Why not defusedxml: it wraps the same expat parser and
forbids the same things; refusing the DTD outright takes a few lines and no dependency.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from briefgen import __version__
from briefgen.errors import Location, Problem, UserError

XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
BRIEFGEN_NAMESPACE = "urn:x-briefgen:xliff"
NO_TRANSLATION = "none"  # `briefgen:translation` of a text that had no translation
MAX_XLIFF_BYTES = 5_000_000  # a brief's texts take a few dozen kilobytes
# Elements inside elements: a unit needs five or six levels (<mrk> around <g> around <g>).
MAX_NESTING = 100
# Suffixes of translation files that are not XLIFF, and what they are.
_OTHER_FORMATS = {".po": "a PO file (gettext)", ".pot": "a PO template (gettext)",
                  ".json": "a JSON file", ".csv": "a CSV file", ".tmx": "a TMX memory",
                  ".docx": "a Word document", ".xlsx": "an Excel workbook",
                  ".yaml": "a YAML file", ".yml": "a YAML file", ".txt": "a text file"}


@dataclass(frozen=True)
class ExportUnit:
    """One text for the translator. `source` is inline XML (see `placeholders.tag_source`)."""

    key: str
    source: str
    file: str  # the YAML file the text is written in, relative to the spec's folder
    line: int
    note: str
    max_length: int
    known_translation: str = NO_TRANSLATION  # `text_hash` of the translation the spec had


@dataclass(frozen=True)
class ImportUnit:
    """One `<trans-unit>` of a translator's file; `target` is None when it has none."""

    key: str
    location: Location
    source: ET.Element
    target: ET.Element | None
    known_translation: str | None = None  # as exported; None when the tool dropped it

    @property
    def has_translation(self) -> bool:
        target = self.target
        return target is not None and bool((target.text or "").strip() or len(target))


@dataclass(frozen=True)
class XliffFile:
    """What briefgen reads from a translator's file."""

    path: Path
    location: Location  # of its <file>
    original: str
    brief_id: str | None
    source_language: str
    target_language: str | None
    units: list[ImportUnit]
    export_mark: str | None = None  # `briefgen:export`; None when the tool dropped it


def write_xliff(units: list[ExportUnit], *, original: str, brief_id: str,
                source_language: str, target_language: str, note: str,
                export_mark: str) -> bytes:
    """An XLIFF 1.2 document holding `units`, UTF-8."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<xliff version="1.2" xmlns="{XLIFF_NAMESPACE}" '
        f'xmlns:briefgen="{BRIEFGEN_NAMESPACE}">',
        f"  <file original={quoteattr(original)} product-name={quoteattr(brief_id)} "
        f"source-language={quoteattr(source_language)} "
        f"target-language={quoteattr(target_language)} datatype=\"plaintext\" "
        f'tool-id="briefgen" briefgen:export={quoteattr(export_mark)}>',
        "    <header>",
        f'      <tool tool-id="briefgen" tool-name="briefgen" tool-version="{__version__}"/>',
        f"      <note>{escape(note)}</note>",
        "    </header>",
        "    <body>",
    ]
    for unit in units:
        lines += [
            f"      <trans-unit id={quoteattr(unit.key)} resname={quoteattr(unit.key)} "
            f'maxwidth="{unit.max_length}" size-unit="char" xml:space="preserve" '
            f"briefgen:translation={quoteattr(unit.known_translation)}>",
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
    _refuse_other_formats(data, path)
    root, lines = parse_xml(data, path)

    def where(element: ET.Element) -> Location:
        return Location(path, *lines.get(element, (1, 1)))

    file, prefix = _file_element(root, where)
    return XliffFile(path=path, location=where(file), original=file.get("original", ""),
                     brief_id=file.get("product-name"),
                     source_language=file.get("source-language", ""),
                     target_language=file.get("target-language"),
                     units=_import_units(file, prefix, where),
                     export_mark=file.get(f"{{{BRIEFGEN_NAMESPACE}}}export"))


def _file_element(root: ET.Element, where: Callable[[ET.Element], Location]
                  ) -> tuple[ET.Element, str]:
    """The one `<file>` of an XLIFF 1.2 document, and the `{namespace}` of its elements."""
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
    return files[0], prefix


def _import_units(file: ET.Element, prefix: str, where: Callable[[ET.Element], Location]
                  ) -> list[ImportUnit]:
    units = []
    for unit in file.iter(f"{prefix}trans-unit"):
        source = unit.find(f"{prefix}source")
        if source is None:
            raise UserError(Problem(where(unit), unit.get("id", ""), "has no <source>",
                                    "import the file briefgen exported, translated"))
        units.append(ImportUnit(unit.get("id", ""), where(unit), source,
                                unit.find(f"{prefix}target"),
                                unit.get(f"{{{BRIEFGEN_NAMESPACE}}}translation")))
    return units


def parse_xml(data: bytes, path: Path
              ) -> tuple[ET.Element, dict[ET.Element, tuple[int, int]]]:
    """The element tree of an untrusted XML document, with each element's line and column.

    A document type declaration is refused before it is read, so entities can be neither
    declared nor expanded, and nothing outside the file is ever fetched. Elements nested
    deeper than `MAX_NESTING` are refused where they start, so that no later walk of the
    tree can run out of stack.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, tuple[int, int]] = {}
    depth = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_NESTING:
            raise _Refused(Problem(
                Location(path, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1), "",
                f"has elements nested more than {MAX_NESTING} deep; a translation file needs "
                "a few levels", "export the file again from the translation tool"))
        element = builder.start(_clark(name), {_clark(key): value
                                               for key, value in attributes.items()})
        lines[element] = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1
        builder.end(_clark(name))

    def refuse(*_: object) -> None:
        raise _Refused(Problem(
            Location(path, parser.CurrentLineNumber, 1), "",
            "has a document type declaration (<!DOCTYPE>), which an XLIFF file never needs; "
            "it is not read, for safety", "export the file again from the translation tool"))

    def refuse_entity(*_: object) -> int:
        refuse()
        return 0

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse_entity
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        raise UserError(refused.problem) from None
    except expat.ExpatError as error:
        raise UserError(Problem(
            Location(path, error.lineno, error.offset + 1), "",
            f"is not well-formed XML ({expat.errors.messages[error.code]})",
            "export the file again from the translation tool, or send the one it saved")
        ) from None
    except (LookupError, ValueError):
        # expat asks Python for an encoding it does not know itself; an unknown or a
        # multi-byte one (UTF-7, Shift JIS) ends here.
        declared = _DECLARED_ENCODING.search(data[:200])
        if declared is None:
            raise
        name = declared.group(1).decode("ascii", "replace")
        raise UserError(Problem(
            Location(path, 1, declared.start(1) + 1), "",
            f"is written in the encoding {name!r}, which briefgen cannot read",
            "save or export it as UTF-8, which every translation tool offers")) from None
    return builder.close(), lines


_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


def _refuse_other_formats(data: bytes, path: Path) -> None:
    """A file that is not XML at all, and is named as another format, is said to be one."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return
    kind = _OTHER_FORMATS.get(path.suffix.lower())
    if kind is None:
        return
    raise UserError(Problem(path, "", f"is {kind}: briefgen reads XLIFF 1.2 files (.xlf)",
                            "in the translation tool, export or save the translation as XLIFF "
                            "1.2, from the .xlf file `briefgen translate export` wrote"))


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _clark(name: str) -> str:
    """expat's `uri local` as ElementTree's `{uri}local`."""
    namespace, _, local = name.rpartition(" ")
    return f"{{{namespace}}}{local}" if namespace else local
