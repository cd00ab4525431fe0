"""The Word document a DOCX starts from, checked, and the room its header and footer take.

A template folder may hold `base.docx`, an organisation's own Word document (its theme,
letterhead and footer); without one, the one-pager's is used. A base document may come from
other people, so it is read as data: refused, with what to change in Word, when it is too
large, a Word template (.dotx), or carries anything `docx_safety` finds. A letterhead taller
than the page's margin is measured here, and kept free of the brief (`docx_reserve`,
`docx_margins`).
"""

from __future__ import annotations

import io
import math
import posixpath
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from briefgen.document import PageSetup
from briefgen.errors import Problem, TemplateError
from briefgen.render.docx_safety import parse_xml, scan_docx
from briefgen.render.ooxml import (
    CONTENT_TYPES,
    EMU_PER_POINT,
    HALF_POINTS_PER_POINT,
    PACKAGE_RELATIONSHIPS,
    TWIPS_PER_POINT,
    WP,
    R,
    W,
    tag,
)
from briefgen.template.folder import BASE_DOCUMENT_FILE, Template, find_shipped_base_document

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 64 * 1024 * 1024
MAX_PARTS = 2000
# Between a letterhead and the brief, at least this much (points).
HEADER_GAP = 4.0
# A line of text is about this many times its font size tall, when set "single" in Calibri
# (Word's "auto" line height) and most office fonts; a little generous on purpose.
LINE_HEIGHT = 1.25
AVERAGE_CHARACTER = 0.5  # em: an estimate of how much of a line a letterhead's text fills
AUTO_LINE = 240  # the `w:line` of single spacing when its rule is "auto" (240ths of a line)
MAIN_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_DOCUMENT = ("application/vnd.openxmlformats-officedocument.wordprocessingml."
                     "template.main+xml")


@dataclass(frozen=True)
class Band:
    """A header or footer as the first page shows it: its distance from the page's edge and
    its estimated height, in points."""

    distance: float = 0.0
    height: float = 0.0

    @property
    def reach(self) -> float:
        """How far from the page's edge it reaches; 0 when there is nothing in it."""
        return self.distance + self.height if self.height else 0.0


@dataclass(frozen=True)
class BaseDocument:
    path: Path
    data: bytes
    header: Band
    footer: Band


def shipped_base_document() -> Path:
    """The one-pager's own base document, which holds only briefgen's styles."""
    shipped = find_shipped_base_document()
    if shipped is None:
        raise TemplateError(Problem(Path(BASE_DOCUMENT_FILE), "", "briefgen's own base "
                                    "document is missing from its installation",
                                    "reinstall briefgen"))
    return shipped


def load_base_document(path: Path) -> BaseDocument:
    """The base document at `path`, checked and measured; a `TemplateError` naming the file
    when it cannot be used."""
    try:
        status = path.stat()
    except OSError as error:
        raise _problem(path, f"cannot be read ({error.strerror or error})",
                       "put a Word document (.docx) there, or remove the file") from None
    return _load(path, status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=8)
def _load(path: Path, stamp: int, size: int) -> BaseDocument:
    del stamp  # part of the cache key only: an edited base document is read again
    resolved = path.resolve()
    if not resolved.is_relative_to(path.parent.resolve()):
        raise _problem(path, "is a link to a file outside the template's folder",
                       "copy the document into the folder")
    if size > MAX_BYTES:
        raise _problem(path, f"is {size / 1024 / 1024:.0f} MB; a base document may be at most "
                       f"{MAX_BYTES // 1024 // 1024} MB",
                       "remove large pictures from it, or compress them in Word")
    data = path.read_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise _problem(path, "is not a Word document (.docx)",
                       "save it from Word as \"Word Document (.docx)\"") from None
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED:
        raise _problem(path, "holds too many or too large parts for a base document",
                       "save an empty document with only the header and footer")
    findings = scan_docx(data, attached_template_allowed=True)
    if findings:
        raise TemplateError([Problem(path, "", str(finding), finding.hint)
                             for finding in findings])
    try:
        return _measure(path, data, archive)
    except (KeyError, etree.XMLSyntaxError, ValueError, zipfile.BadZipFile) as error:
        raise _problem(path, f"is not a Word document briefgen can read ({error})",
                       "open it in Word and save it again as \"Word Document (.docx)\"") from None


def _problem(path: Path, message: str, hint: str) -> TemplateError:
    return TemplateError(Problem(path, "", message, hint))


def _read_xml(archive: zipfile.ZipFile, name: str) -> Any:
    return parse_xml(archive.read(name))


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str, str]]:
    """Relationship id -> (type, target part name or address, target mode) of a part."""
    folder, _, name = part.rpartition("/")
    rels_name = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    if rels_name not in archive.namelist():
        return {}
    result = {}
    for item in _read_xml(archive, rels_name).iter(tag(PACKAGE_RELATIONSHIPS, "Relationship")):
        target, mode = item.get("Target", ""), item.get("TargetMode", "Internal")
        if mode != "External":
            target = (target[1:] if target.startswith("/")
                      else posixpath.normpath(posixpath.join(folder, target)))
        result[item.get("Id", "")] = (item.get("Type", ""), target, mode)
    return result


def _measure(path: Path, data: bytes, archive: zipfile.ZipFile) -> BaseDocument:
    main = _main_part(path, archive)
    relationships = _relationships(archive, main)
    body = _read_xml(archive, main).find(_w("body"))
    section = body.find(_w("sectPr")) if body is not None else None
    styles = _Styles(archive, relationships)
    if section is None:
        return BaseDocument(path=path, data=data, header=Band(), footer=Band())
    margins = section.find(_w("pgMar"))
    title_page = section.find(_w("titlePg"))
    first_page = title_page is not None and title_page.get(_w("val"), "1") not in (
        "0", "false", "off")
    wanted = "first" if first_page else "default"
    width = (_points(section.find(_w("pgSz")), "w", 11906) - _points(margins, "left", 1440)
             - _points(margins, "right", 1440))
    bands = {}
    for kind in ("header", "footer"):
        reference = next((item for item in section.iter(_w(f"{kind}Reference"))
                          if item.get(_w("type"), "default") == wanted), None)
        if reference is not None:
            target = relationships[reference.get(tag(R, "id"), "")][1]
            bands[kind] = Band(_points(margins, kind, 720), _Measure(styles, max(
                width, 72.0)).blocks(_read_xml(archive, target)))
    return BaseDocument(path=path, data=data, header=bands.get("header", Band()),
                        footer=bands.get("footer", Band()))


def _main_part(path: Path, archive: zipfile.ZipFile) -> str:
    """The name of the document's main part; a `TemplateError` for a Word template and
    anything else that is no Word document."""
    types = _read_xml(archive, "[Content_Types].xml")
    overrides = {item.get("PartName", "").lstrip("/"): item.get("ContentType", "")
                 for item in types.iter(tag(CONTENT_TYPES, "Override"))}
    main = next((name for name, kind in overrides.items() if kind == MAIN_DOCUMENT), None)
    if main is not None:
        return str(main)
    if TEMPLATE_DOCUMENT in overrides.values():
        raise _problem(path, "is a Word template (.dotx), not a document",
                       "open it in Word (a new document from it) and save that as "
                       "\"Word Document (.docx)\"")
    raise _problem(path, "is not a Word document (.docx)",
                   "save it from Word as \"Word Document (.docx)\"")


def _w(*names: str) -> str:
    """A WordprocessingML element or attribute name (several: a path of elements)."""
    return "/".join(tag(W, name) for name in names)


def _wp(*names: str) -> str:
    """A name of DrawingML's placement of pictures in text (several: a path)."""
    return "/".join(tag(WP, name) for name in names)


def _points(element: Any, attribute: str, default_twips: float) -> float:
    """A length attribute in twentieths of a point (twips), as points."""
    value = element.get(_w(attribute)) if element is not None else None
    try:
        return float(value if value is not None else default_twips) / TWIPS_PER_POINT
    except ValueError:
        return default_twips / TWIPS_PER_POINT


class _Styles:
    """Just enough of styles.xml to know a paragraph's font size and spacing."""

    def __init__(self, archive: zipfile.ZipFile,
                 relationships: dict[str, tuple[str, str, str]]) -> None:
        self.styles: dict[str, Any] = {}
        self.defaults: list[Any] = []
        self.default_paragraph: str | None = None
        target = next((target for kind, target, _ in relationships.values()
                       if kind.endswith("/styles")), None)
        if target is None:
            return
        root = _read_xml(archive, target)
        for style in root.iter(_w("style")):
            self.styles[style.get(_w("styleId"), "")] = style
        defaults = root.find(_w("docDefaults"))
        if defaults is not None:
            self.defaults = [element for element in (defaults.find(_w("rPrDefault", "rPr")),
                                                     defaults.find(_w("pPrDefault", "pPr")))
                             if element is not None]
        self.default_paragraph = next(
            (key for key, style in self.styles.items() if style.get(_w("type")) == "paragraph"
             and style.get(_w("default")) in ("1", "true")), None)

    def chain(self, style_id: str | None) -> list[Any]:
        """The properties that apply to a paragraph of `style_id`, nearest first."""
        found: list[Any] = []
        seen: set[str] = set()
        current = style_id or self.default_paragraph
        while current and current in self.styles and current not in seen:
            seen.add(current)
            style = self.styles[current]
            found += [element for element in (style.find(_w("pPr")), style.find(_w("rPr")))
                      if element is not None]
            based = style.find(_w("basedOn"))
            current = based.get(_w("val")) if based is not None else None
        return found + self.defaults


class _Measure:
    """Estimated heights of header or footer content, in points: generous rather than short,
    since a brief that leaves a little room is better than one that spills onto a page 2."""

    def __init__(self, styles: _Styles, width: float) -> None:
        self.styles = styles
        self.width = width

    def blocks(self, container: Any) -> float:
        height = 0.0
        for child in container:
            if child.tag == _w("p"):
                height += self.paragraph(child)
            elif child.tag == _w("tbl"):
                height += self.table(child)
            elif child.tag == _w("sdt"):
                content = child.find(_w("sdtContent"))
                height += self.blocks(content) if content is not None else 0.0
        return height

    def table(self, table: Any) -> float:
        height = 0.0
        for row in table.iter(_w("tr")):
            cells = [self.blocks(cell) for cell in row.findall(_w("tc"))]
            row_height = max(cells, default=0.0)
            rule = row.find(_w("trPr", "trHeight"))
            if rule is not None:
                fixed = _points(rule, "val", 0)
                exact = rule.get(_w("hRule")) == "exact"
                row_height = fixed if exact else max(row_height, fixed)
            height += row_height
        return height

    def paragraph(self, paragraph: Any) -> float:
        """A paragraph's height: its lines, spacing before and after, and how far a floating
        picture or shape in front of the text reaches down."""
        properties = paragraph.find(_w("pPr"))
        style = properties.find(_w("pStyle")) if properties is not None else None
        chain = ([properties] if properties is not None else []) + self.styles.chain(
            style.get(_w("val")) if style is not None else None)
        size = _largest_size(paragraph, chain)
        spacing = [found for element in chain
                   if (found := element.find(_w("spacing"))) is not None]
        height = (_spacing(spacing, "before") + self.lines(paragraph, size)
                  * _line_height(paragraph, size, spacing) + _spacing(spacing, "after"))
        return max([height, *_anchored_reach(paragraph)])

    def lines(self, paragraph: Any, size: float) -> int:
        """How many lines the paragraph takes: one per line break at least, and as many as
        its text would fill at an average character width."""
        text = "".join(element.text or "" for element in paragraph.iter(_w("t")))
        breaks = sum(1 for item in paragraph.iter() if item.tag in (_w("br"), _w("cr")))
        return max(1, breaks + 1, math.ceil(len(text) * AVERAGE_CHARACTER * size / self.width))


def _largest_size(paragraph: Any, chain: list[Any]) -> float:
    """The largest font size in the paragraph, in points (its style's when its runs set
    none)."""
    sizes = [float(size.get(_w("val"), "0")) / HALF_POINTS_PER_POINT
             for size in paragraph.iter(_w("sz"))]
    for element in chain:
        size = element.find(_w("sz")) if element.tag == _w("rPr") else None
        if size is not None:
            sizes.append(float(size.get(_w("val"), "22")) / HALF_POINTS_PER_POINT)
            break
    return max(sizes, default=11.0)


def _line_height(paragraph: Any, size: float, spacing: list[Any]) -> float:
    """The height of one of the paragraph's lines: as its nearest line spacing says (exact,
    at least, or a multiple of single spacing), and tall enough for a picture in the text
    unless exact."""
    line, rule = float(AUTO_LINE), "auto"
    for element in spacing:
        if element.get(_w("line")) is not None:
            line = float(element.get(_w("line"), str(AUTO_LINE)))
            rule = element.get(_w("lineRule"), "auto")
            break
    pictures = [float(extent.get("cy", "0")) / EMU_PER_POINT
                for inline in paragraph.iter(_wp("inline"))
                for extent in inline.iter(_wp("extent"))]
    natural = size * LINE_HEIGHT
    if rule == "exact":
        return line / TWIPS_PER_POINT
    if rule == "atLeast":
        line_height = max(line / TWIPS_PER_POINT, natural)
    else:
        line_height = natural * line / AUTO_LINE
    return max(line_height, max(pictures) + size * 0.25) if pictures else line_height


def _spacing(spacing: list[Any], side: str) -> float:
    """The space `before` or `after` the paragraph, from its nearest spacing that sets it."""
    return next((_points(element, side, 0) for element in spacing
                 if element.get(_w(side)) is not None), 0.0)


def _anchored_reach(paragraph: Any) -> list[float]:
    """How far down each floating picture or shape in front of the text reaches; one behind
    the text (a background) takes no room."""
    reach = []
    for anchor in paragraph.iter(_wp("anchor")):
        if anchor.get("behindDoc") in ("1", "true"):
            continue
        offset = anchor.find(_wp("positionV", "posOffset"))
        extent = anchor.find(_wp("extent"))
        if extent is not None:
            top = float(offset.text or 0) / EMU_PER_POINT if offset is not None else 0.0
            reach.append(top + float(extent.get("cy", "0")) / EMU_PER_POINT)
    return reach


def docx_margins(base: BaseDocument, page: PageSetup) -> tuple[float, float]:
    """The DOCX's top and bottom margins: the page's, or below the base document's header
    and above its footer, with a small gap, where those reach further."""
    top = max(page.margin_top, base.header.reach + HEADER_GAP if base.header.reach else 0.0)
    bottom = max(page.margin_bottom,
                 base.footer.reach + HEADER_GAP if base.footer.reach else 0.0)
    return top, bottom


def docx_reserve(template: Template, page: PageSetup) -> float:
    """The height fitting keeps free for the DOCX: the template's reserve for word processors
    whose layout runs a little longer, plus the room the base document's header and footer
    take beyond the page's margins."""
    base = load_base_document(template.base_document)
    top, bottom = docx_margins(base, page)
    return (template.design.fit.docx_reserve + top - page.margin_top
            + bottom - page.margin_bottom)
