"""An edited DOCX, read as untrusted input: its paragraphs, marks, tracked changes, comments.

A DOCX that comes back by email is checked as a base document is (`render/docx_safety.py`:
macros, objects, links that reach outside, DTDs and entities, zip bombs; the size limits of
`template/base_document.py`) before any part of it is read, and every XML part is parsed
with DTDs, entities and the network off.

What is read, in document order (tables and content controls included): each paragraph's
characters with how they are printed (bold, italic, raised as a source marker, a link's
address), whether a tracked change inserted or deleted them (and who), where briefgen's
bookmarks and each comment start and end. Bold and italic are what Word shows: a run's own
setting, else its character style's, else its paragraph style's (each style with those it
is based on), else the document's defaults, so a file that LibreOffice rewrote with
explicit settings reads the same as the one briefgen wrote.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from briefgen.errors import Problem, UserError
from briefgen.render.docx_marks import RECORD_NAMESPACE, OriginRecord, read_record
from briefgen.render.docx_safety import parse_xml, scan_docx
from briefgen.template.base_document import MAX_BYTES, MAX_PARTS, MAX_UNPACKED

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
              "application/vnd.ms-word.document.macroenabled.main+xml")
COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
# Containers whose children are read as if they stood in their place.
TRANSPARENT = frozenset(f"{{{W}}}{name}" for name in (
    "sdt", "sdtContent", "smartTag", "customXml", "fldSimple", "dir", "bdo"))
OFF = frozenset(("0", "false", "off", "none"))


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass(frozen=True)
class Revision:
    """A tracked change: `insert` or `delete` (a move counts as both), by whom and when."""

    kind: str
    author: str
    date: str


@dataclass(frozen=True)
class EditedCharacter:
    """One character of an edited paragraph, as Word shows it."""

    text: str
    bold: bool
    italic: bool
    raised: bool  # superscript or raised: a source marker
    link: str | None
    revision: Revision | None = None
    # Bold and italic before a tracked change of formatting, when there is one pending.
    formerly: tuple[bool, bool] | None = None
    # Formatting the spec's markup cannot say, set on the run itself ("underline").
    unsaid: tuple[str, ...] = ()


@dataclass
class EditedParagraph:
    """A paragraph of the edited DOCX: its characters, where briefgen's bookmarks and the
    comments start and end (as offsets into `characters`)."""

    index: int
    characters: list[EditedCharacter] = field(default_factory=list)
    mark_starts: dict[str, int] = field(default_factory=dict)
    mark_ends: dict[str, int] = field(default_factory=dict)
    comment_starts: dict[str, int] = field(default_factory=dict)
    comment_ends: dict[str, int] = field(default_factory=dict)

    def text(self) -> str:
        return "".join(character.text for character in self.characters)


@dataclass(frozen=True)
class Comment:
    identifier: str
    author: str
    date: str
    text: str


@dataclass
class EditedDocument:
    path: Path
    record: OriginRecord | None
    paragraphs: list[EditedParagraph]
    comments: dict[str, Comment]


def read_edited_docx(path: Path) -> EditedDocument:
    """The DOCX at `path`, read; `UserError` naming the file when it is not a Word document
    briefgen can read safely."""
    data = _checked_bytes(path)
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        return _Reader(path, archive).document()
    except (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile) as error:
        raise _refused(path, f"is not a Word document briefgen can read ({error})",
                       "open it in Word and save it again as \"Word Document (.docx)\"") from None


def _checked_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _refused(path, f"is {size / 1024 / 1024:.0f} MB; briefgen reads a DOCX of at "
                           f"most {MAX_BYTES // 1024 // 1024} MB",
                           "remove large pictures from it, or compress them in Word")
        data = path.read_bytes()
    except OSError as error:
        raise _refused(path, f"cannot be read ({error.strerror or error})",
                       "check the file's name and that you may read it") from None
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refused(path, "is not a Word document (.docx)",
                       "save it from Word as \"Word Document (.docx)\"") from None
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED:
        raise _refused(path, "holds too many or too large parts (a zip bomb?)",
                       "ask for the DOCX again, saved from Word as \"Word Document (.docx)\"")
    findings = scan_docx(data)
    if findings:
        raise UserError([Problem(path, "", str(finding), finding.hint)
                         for finding in findings])
    return data


def _refused(path: Path, message: str, hint: str) -> UserError:
    return UserError(Problem(path, "", message, hint))


class _Reader:
    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self.archive = archive
        self.names = set(archive.namelist())

    def document(self) -> EditedDocument:
        main = self.main_part()
        relationships = self.relationships(main)
        root = self.xml(main)
        styles_name = next((target for kind, target, _ in relationships.values()
                            if kind == STYLES), None)
        styles = _Styles(self.xml(styles_name) if styles_name in self.names else None)
        links = {identifier: target for identifier, (kind, target, _) in relationships.items()
                 if kind == HYPERLINK}
        comments_name = next((target for kind, target, _ in relationships.values()
                              if kind == COMMENTS), None)
        comments = (_comments(self.xml(comments_name)) if comments_name in self.names
                    else {})
        records = [target for kind, target, _ in relationships.values() if kind == CUSTOM_XML]
        body = root.find(_w("body"))
        paragraphs = _Paragraphs(styles, links).read(body) if body is not None else []
        return EditedDocument(self.path, self.record(records), paragraphs, comments)

    def main_part(self) -> str:
        types = self.xml("[Content_Types].xml")
        for override in types.iter("{*}Override"):
            if str(override.get("ContentType", "")).lower() in MAIN_TYPES:
                return str(override.get("PartName", "")).lstrip("/")
        raise ValueError("it has no main document part")

    def relationships(self, part: str) -> dict[str, tuple[str, str, str]]:
        """Relationship id -> (type, target part or address, target mode) of `part`."""
        folder, _, name = part.rpartition("/")
        rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
        if rels not in self.names:
            return {}
        found = {}
        for item in self.xml(rels).iter("{*}Relationship"):
            target, mode = str(item.get("Target", "")), str(item.get("TargetMode", "Internal"))
            if mode != "External":
                target = _joined(folder, target)
            found[str(item.get("Id", ""))] = (str(item.get("Type", "")), target, mode)
        return found

    def record(self, candidates: list[str]) -> OriginRecord | None:
        """briefgen's record among the custom XML parts (a part of its own namespace, in
        whichever item Word or LibreOffice saved it)."""
        names = [name for name in candidates if name in self.names]
        names += sorted(name for name in self.names if name.startswith("customXml/item")
                        and "Props" not in name and name.endswith(".xml")
                        and name not in names)
        for name in names:
            root = self.xml(name)
            if etree.QName(root).namespace == RECORD_NAMESPACE:
                try:
                    return read_record(root)
                except ValueError as error:
                    raise ValueError(f"its record of the spec is damaged: {error}") from None
        return None

    def xml(self, name: str | None) -> Any:
        if name is None:
            raise KeyError("a part is missing")
        return parse_xml(self.archive.read(name))


def _joined(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    parts = [part for part in folder.split("/") if part]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _comments(root: Any) -> dict[str, Comment]:
    found = {}
    for comment in root.iter(_w("comment")):
        identifier = str(comment.get(_w("id"), ""))
        text = " ".join("".join(node.text or "" for node in paragraph.iter(_w("t")))
                        for paragraph in comment.iter(_w("p")))
        found[identifier] = Comment(identifier, str(comment.get(_w("author"), "")),
                                    str(comment.get(_w("date"), "")), " ".join(text.split()))
    return found


class _Styles:
    """Bold and italic of paragraph and character styles, with the styles they are based
    on, and the document's defaults."""

    def __init__(self, root: Any | None) -> None:
        self.styles: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        self.defaults: dict[str, bool] = {}
        if root is None:
            return
        for style in root.iter(_w("style")):
            identifier = str(style.get(_w("styleId"), ""))
            self.styles[identifier] = style
            if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in (
                    "1", "true", "on"):
                self.default_paragraph = identifier
        defaults = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
        for name in ("b", "i"):
            value = _toggle(defaults, name) if defaults is not None else None
            self.defaults[name] = bool(value)

    def value(self, style_id: str | None, name: str) -> bool | None:
        """A style's `name` (b or i), from it or the styles it is based on; None if unset."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style = self.styles[style_id]
            properties = style.find(_w("rPr"))
            value = _toggle(properties, name) if properties is not None else None
            if value is not None:
                return value
            based = style.find(_w("basedOn"))
            style_id = str(based.get(_w("val"), "")) if based is not None else None
        return None


def _toggle(properties: Any, name: str) -> bool | None:
    element = properties.find(_w(name))
    if element is None:
        return None
    return str(element.get(_w("val"), "true")).lower() not in OFF


@dataclass
class _Context:
    link: str | None = None
    revision: Revision | None = None
    in_field_instruction: bool = False


class _Paragraphs:
    """Paragraphs of a body, in document order, with their characters and marks."""

    def __init__(self, styles: _Styles, links: dict[str, str]) -> None:
        self.styles = styles
        self.links = links
        self.paragraphs: list[EditedParagraph] = []
        self.mark_names: dict[str, str] = {}  # bookmark id -> name (briefgen's only)
        self.current: EditedParagraph | None = None
        self.paragraph_style: str | None = None
        self.fields: list[bool] = []  # for each open field: past its instruction

    def read(self, body: Any) -> list[EditedParagraph]:
        self.blocks(body)
        return self.paragraphs

    def blocks(self, parent: Any) -> None:
        for child in parent:
            tag = child.tag
            if tag == _w("p"):
                self.paragraph(child)
            elif tag in (_w("tbl"), _w("tr"), _w("tc")) or tag in TRANSPARENT:
                self.blocks(child)
            elif tag in (_w("ins"), _w("del"), _w("moveFrom"), _w("moveTo")):
                self.blocks(child)  # a tracked table row or paragraph: read its paragraphs

    def paragraph(self, element: Any) -> None:
        self.current = EditedParagraph(len(self.paragraphs))
        self.paragraphs.append(self.current)
        properties = element.find(_w("pPr"))
        style = properties.find(_w("pStyle")) if properties is not None else None
        self.paragraph_style = (str(style.get(_w("val"), "")) if style is not None
                                else self.styles.default_paragraph)
        self.inline(element, _Context())

    def inline(self, parent: Any, context: _Context) -> None:
        for child in parent:
            tag = child.tag
            if tag == _w("r"):
                self.run(child, context)
            elif tag == _w("hyperlink"):
                identifier = child.get(f"{{{R}}}id")
                link = self.links.get(str(identifier)) if identifier else None
                self.inline(child, _Context(link or context.link, context.revision))
            elif tag in (_w("ins"), _w("moveTo")):
                self.inline(child, _Context(context.link, _revision(child, "insert")))
            elif tag in (_w("del"), _w("moveFrom")):
                self.inline(child, _Context(context.link, _revision(child, "delete")))
            elif tag == _w("bookmarkStart"):
                started = str(child.get(_w("name"), ""))
                self.mark_names[str(child.get(_w("id"), ""))] = started
                self.position(self.current_paragraph().mark_starts, started)
            elif tag == _w("bookmarkEnd"):
                ended = self.mark_names.get(str(child.get(_w("id"), "")))
                if ended is not None:
                    self.position(self.current_paragraph().mark_ends, ended)
            elif tag == _w("commentRangeStart"):
                self.position(self.current_paragraph().comment_starts,
                              str(child.get(_w("id"), "")))
            elif tag == _w("commentRangeEnd"):
                self.position(self.current_paragraph().comment_ends,
                              str(child.get(_w("id"), "")))
            elif tag in TRANSPARENT:
                self.inline(child, context)

    def current_paragraph(self) -> EditedParagraph:
        assert self.current is not None
        return self.current

    def position(self, positions: dict[str, int], name: str) -> None:
        positions.setdefault(name, len(self.current_paragraph().characters))

    def run(self, run: Any, context: _Context) -> None:
        properties = run.find(_w("rPr"))
        bold, italic = self.formatting(properties)
        formerly = None
        change = properties.find(_w("rPrChange")) if properties is not None else None
        if change is not None:
            old = change.find(_w("rPr"))
            formerly = self.formatting(old)
        raised = _raised(properties)
        unsaid = _unsaid(properties, in_link=context.link is not None)
        for child in run:
            tag = child.tag
            if tag == _w("fldChar"):
                kind = child.get(_w("fldCharType"))
                if kind == "begin":
                    self.fields.append(False)
                elif kind == "separate" and self.fields:
                    self.fields[-1] = True
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if self.fields and not self.fields[-1]:
                continue  # a field's instruction, not its printed result
            text = _run_text(child)
            for character in text:
                self.current_paragraph().characters.append(EditedCharacter(
                    character, bold, italic, raised, context.link, context.revision,
                    formerly, unsaid))

    def formatting(self, properties: Any | None) -> tuple[bool, bool]:
        found = []
        style = properties.find(_w("rStyle")) if properties is not None else None
        character_style = str(style.get(_w("val"), "")) if style is not None else None
        for name in ("b", "i"):
            value = _toggle(properties, name) if properties is not None else None
            if value is None:
                value = self.styles.value(character_style, name)
            if value is None:
                value = self.styles.value(self.paragraph_style, name)
            found.append(self.styles.defaults.get(name, False) if value is None else value)
        return found[0], found[1]


def _revision(element: Any, kind: str) -> Revision:
    return Revision(kind, str(element.get(_w("author"), "")), str(element.get(_w("date"), "")))


# Run formatting a colleague may add that briefgen's markup has no word for (a link's own
# underline, which LibreOffice writes on every link, is not counted).
UNSAID = {"u": "underline", "strike": "strikethrough", "dstrike": "strikethrough",
          "highlight": "highlight", "vertAlign": "subscript"}


def _unsaid(properties: Any | None, *, in_link: bool) -> tuple[str, ...]:
    if properties is None:
        return ()
    found = []
    for name, words in UNSAID.items():
        element = properties.find(_w(name))
        if element is None:
            continue
        value = str(element.get(_w("val"), "true")).lower()
        if value in OFF or (name == "u" and in_link) or (
                name == "vertAlign" and value != "subscript"):
            continue
        found.append(words)
    return tuple(dict.fromkeys(found))


def _raised(properties: Any | None) -> bool:
    if properties is None:
        return False
    vertical = properties.find(_w("vertAlign"))
    if vertical is not None and vertical.get(_w("val")) == "superscript":
        return True
    position = properties.find(_w("position"))
    try:
        return position is not None and int(str(position.get(_w("val"), "0"))) > 0
    except ValueError:
        return False


# What a run's children print, when they are not text: a hyphen Word keeps from breaking,
# tabs and line breaks (as spaces, for comparing). Anything else (pictures, symbols from
# a symbol font, field characters) prints no words.
_RUN_CHARACTERS = {_w("noBreakHyphen"): "-", _w("tab"): "\t", _w("ptab"): "\t",
                   _w("br"): "\n", _w("cr"): "\n"}


def _run_text(child: Any) -> str:
    if child.tag in (_w("t"), _w("delText")):
        return str(child.text or "")
    return _RUN_CHARACTERS.get(child.tag, "")
