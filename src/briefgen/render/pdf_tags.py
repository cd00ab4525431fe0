"""Tagged PDF (PDF/UA-1): what each drawn thing is, in the author's reading order.

The painter (`render/pdf.py`) asks a `Tagger` which structure element each thing it draws
belongs to, and brackets its operators in marked content (`/P <</MCID 3>> BDC ... EMC`, or
`/Artifact BMC ... EMC` for decoration); once the page is drawn, the tagger writes the
structure tree, its parent tree, MarkInfo and the XMP metadata as reportlab objects.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFPage,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from briefgen.document import Group, Metadata, Paragraph, Span

HEADINGS = frozenset({"H1", "H2", "H3", "H4", "H5", "H6"})
GROUP_KINDS = {"L": "L", "BlockQuote": "BlockQuote", "Aside": "Aside", "P": "P"}
ROLE_MAP = {"Aside": "Sect"}  # PDF 2.0's Aside, as the closest PDF 1.7 grouping element
ARTIFACT = "/Artifact BMC"
END = "EMC"
# A character the layout adds (the hyphen of a cut word) is drawn, but is no text.
NOT_TEXT = "/Span <</ActualText ()>> BDC"
PRINT_FLAG = 4  # annotations print as they show
# What a span is, for marking it: (source marker, link, language when not its element's).
SpanKey = tuple[str | None, str | None, str | None]
PLAIN: SpanKey = (None, None, None)  # text that is its paragraph's own, in its language


class LinkTarget:
    """A link's annotation(s): where it goes, what it is called, where it is on the page."""

    __slots__ = ("element", "note", "rects", "texts", "url")

    def __init__(self, element: Element, url: str | None, note: str | None) -> None:
        self.element = element
        self.url = url
        self.note = note  # the source id whose note a marker points at
        self.rects: list[list[float]] = []  # one per line: x1, y1, x2, y2
        self.texts: list[str] = []

    def add(self, text: str, x1: float, y1: float, x2: float, y2: float) -> None:
        """Record drawn text; text that continues the last rectangle's line widens it."""
        self.texts.append(text)
        rects = self.rects
        if rects:
            last = rects[-1]
            if abs(last[2] - x1) < 0.01 and last[1] - 2 < y1 < last[3]:
                last[2] = x2
                last[1] = min(last[1], y1)
                last[3] = max(last[3], y2)
                return
        rects.append([x1, y1, x2, y2])


class Element(PDFObject):  # type: ignore[misc]  # reportlab has no type hints
    """A structure element; it formats itself as a StructElem when the file is written."""

    __slots__ = ("__InternalName__", "alt", "bbox", "data", "identifier", "kids", "kind",
                 "language", "parent", "reference", "statement", "target")

    def __init__(self, kind: str, parent: Element | None) -> None:
        self.kind = kind
        self.parent = parent
        self.kids: list[Element | int | PDFObjectReference] = []
        self.language: str | None = None
        self.alt: str | None = None
        self.identifier: str | None = None
        self.bbox: tuple[float, float, float, float] | None = None
        self.statement = False  # a Group(role="P"): its paragraphs' text goes here
        self.target: LinkTarget | None = None
        self.data = b""
        self.reference = ""  # "12 0 R", once it has its object number
        if parent is not None:
            parent.kids.append(self)

    def format(self, document: object) -> bytes:
        return self.data  # written by `Tagger.write`, when every object has its number


class _Raw(PDFObject):  # type: ignore[misc]
    """An object already written as PDF.

    Why: the tree's hundred-odd objects are written in one pass; reportlab's general
    formatting of dictionaries and arrays took three times as long (1.8 ms against 0.6 ms).
    """

    def __init__(self, data: bytes = b"") -> None:
        self.data = data

    def format(self, document: object) -> bytes:
        return self.data


class Tagger:
    """The structure of one page, built while it is drawn.

    What the model's parts become (see `briefgen.document`):

    - a paragraph: its role, `H1`, `H2` or `P`;
    - `Group(role="L")`: `L`, each block in it an `LI`; a numbered paragraph's number is the
      item's `Lbl` and its text the `LBody`; a source note (`Paragraph.note`) is a `Note` with
      an `/ID` inside the `LBody`, holding its number as its own `Lbl`, which is where
      screen readers and checkers look for a note's label. Lists split into the columns of one
      row (the source notes) are one list;
    - `Group(role="BlockQuote")`: `BlockQuote`; `Group(role="Aside")`: `Aside`, role-mapped to
      `Sect` (PDF 1.7 has no Aside); `Group(role="P")`: one `P` for all its paragraphs, so a key
      figure and its label are read as one statement;
    - a span with `reference` (a source marker): `Reference` holding a `Link` to its note, with
      the link annotation (`OBJR`) described by the note's text; a span with `link`: `Link` with
      its annotation, whose `/Contents` is the printed text (or the whole address when the
      printed one is shortened); words in another language: `/Lang` on their element, or a
      `Span` with `/Lang`; in a paragraph with any of these, its own text between them is in
      `Span`s, so that every piece of text has one element and the elements are in reading order;
    - an image with a description: `Figure` with `/Alt` and its bounding box; without one, and
      rules, cell backgrounds and borders: artifacts;
    - a hyphen the layout adds where it cuts a long word is drawn with an empty `/ActualText`,
      and the space a line break swallows is drawn at the end of the line (invisible): the
      structure's text is the author's text, word for word.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self.root = Element("Document", None)
        self.stack: list[Element] = [self.root]
        self.owners: list[Element] = []  # the element of each marked-content id (MCID)
        self.links: list[LinkTarget] = []
        # Where each source note is drawn and what it says, for the markers that point there.
        self.notes: dict[str, tuple[float, float, str]] = {}
        self.annotated: list[Element] = []  # the Link element of each annotation, in order
        self.annotations: list[tuple[_Raw, bytes, bool]] = []  # each with its action, and
        # whether that is a destination on this page

    # -- building -----------------------------------------------------------------------------

    def add(self, kind: str, parent: Element | None = None) -> Element:
        return Element(kind, parent if parent is not None else self.stack[-1])

    def open(self, kind: str) -> Element:
        element = Element(kind, self.stack[-1])
        self.stack.append(element)
        return element

    def close(self) -> None:
        self.stack.pop()

    def begin(self, element: Element) -> str:
        """The operator that starts the next marked content, owned by `element`."""
        mcid = len(self.owners)
        self.owners.append(element)
        element.kids.append(mcid)
        return f"/{element.kind} <</MCID {mcid}>> BDC"

    def open_group(self, group: Group) -> Element:
        element = self.open(GROUP_KINDS.get(group.role, "Div"))
        element.statement = group.role == "P"
        if group.language and group.language != self.language_of(element.parent):
            element.language = group.language
        return element

    def figure(self, description: str, bbox: tuple[float, float, float, float]) -> Element:
        element = self.add("Figure")
        element.alt = description
        element.bbox = bbox
        return element

    def language_of(self, element: Element | None) -> str:
        while element is not None:
            if element.language:
                return element.language
            element = element.parent
        return self.language

    def paragraph_elements(self, paragraph: Paragraph) -> tuple[Element | None, Element]:
        """The elements a paragraph's number (None: drawn as part of its text) and its text
        are marked as."""
        top = self.stack[-1]
        numbered = paragraph.number is not None
        if top.kind == "LI":
            if numbered and not top.kids:
                if paragraph.note is not None:
                    note = self.note(paragraph, self.add("LBody", top))
                    return self.add("Lbl", note), note
                return self.add("Lbl", top), self.add("LBody", top)
            return None, self.add("LBody", top)
        if top.statement:
            return None, top
        if paragraph.note is not None:
            note = self.note(paragraph, top)
            return (self.add("Lbl", note) if numbered else None), note
        return None, self.add(paragraph.role if paragraph.role in HEADINGS else "P", top)

    def note(self, paragraph: Paragraph, parent: Element) -> Element:
        note = self.add("Note", parent)
        note.identifier = f"note-{paragraph.note}"
        return note

    def remember_note(self, paragraph: Paragraph, x: float, top: float) -> None:
        """Where a source note is drawn, for the markers that link to it."""
        if paragraph.note is None:
            return
        words = "".join(span.text for span in paragraph.spans if not span.link).strip()
        self.notes[paragraph.note] = (x, top, f"{paragraph.number or ''} {words}".strip())

    def span_keys(self, spans: tuple[Span, ...], element: Element) -> list[SpanKey]:
        """What each span is, as (source marker, link, language when not the element's).

        A paragraph in another language as a whole gets `/Lang` on its own element.
        """
        container = self.language_of(element)
        page = self.language
        languages = [span.language or page for span in spans]
        if not element.kids and not element.statement:
            written = {language for language, span in zip(languages, spans, strict=True)
                       if span.text.strip()}
            if len(written) == 1:
                (only,) = written
                if only != container:
                    element.language = container = only
        return [(span.reference, None if span.reference else span.link,
                 None if language == container else language)
                for span, language in zip(spans, languages, strict=True)]

    def context_element(self, element: Element, key: SpanKey, mixed: bool) -> Element:
        """The element marked content of kind `key` (see `span_keys`) belongs to. `mixed`:
        the paragraph has links, markers or other languages in it; then its own text is in
        `Span`s beside them, so every piece of it has one element, in reading order."""
        reference, link, language = key
        if reference is not None:
            outer = self.add("Reference", element)
            outer.language = language
            inner = self.add("Link", outer)
            inner.target = LinkTarget(inner, None, reference)
            self.links.append(inner.target)
            return inner
        if link is None and language is None and not mixed:
            return element
        inner = self.add("Link" if link else "Span", element)
        inner.language = language
        if link:
            inner.target = LinkTarget(inner, link, None)
            self.links.append(inner.target)
        return inner

    # -- writing ------------------------------------------------------------------------------

    def annotate(self, canvas: Canvas) -> None:
        """Add the link annotations, in reading order; before the page is finished."""
        document = canvas._doc
        for target in self.links:
            if target.note is not None:
                note = self.notes.get(target.note)
                if note is None:
                    continue
                x, top, description = note
                # The page has no object number yet: `write` puts it in front.
                action = b" /XYZ %.2f %.2f 0]" % (x, top)
            else:
                url = target.url or ""
                printed = "".join(target.texts).strip()
                description = printed if printed and "…" not in printed else (
                    url.removeprefix("mailto:"))
                action = b"/A << /S /URI /URI " + PDFString(url).format(document) + b" >>"
            contents = PDFString(description).format(document)
            for x1, y1, x2, y2 in target.rects:
                self.annotated.append(target.element)
                key = len(self.annotated)  # its entry in the parent tree
                name = f"Link{key}"
                # reportlab's link calls return no reference to the annotation they add,
                # which the structure tree needs (OBJR): add it under a known name.
                annotation = _Raw(
                    b"<< /Type /Annot /Subtype /Link /Rect [%.2f %.2f %.2f %.2f] /Border [0 0 0]"
                    b" /F %d /StructParent %d /Contents %s "
                    % (x1, y1, x2, y2, PRINT_FLAG, key, contents))
                canvas._addAnnotation(annotation, name)
                self.annotations.append((annotation, action, target.note is not None))
                target.element.kids.append(document.refAnnotation(name))

    def write(self, canvas: Canvas, metadata: Metadata) -> None:
        """Write the structure tree, MarkInfo, XMP metadata and the page's entries; after
        `showPage`, before `save`."""
        document = canvas._doc
        _prune(self.root)
        tree = _Raw()
        document.Reference(tree, "StructTreeRoot")
        elements = self.numbered_elements(document)
        numbers = document.idToObjectNumberAndVersion
        tree_reference = "{} {} R".format(*numbers["StructTreeRoot"])
        page = "{} {} R".format(*numbers[document.Pages.pages[-1].__InternalName__])
        for annotation, action, on_page in self.annotations:
            if on_page:
                action = b"/Dest [" + page.encode("ascii") + action
            annotation.data += action + b" >>"
        for element in elements:
            element.data = _element_data(element, page, tree_reference, document)
        tree.data = self.tree_data(elements, document)
        catalog = document.Catalog
        catalog.StructTreeRoot = tree
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        catalog.Metadata = PDFStream(
            PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
            content=xmp_metadata(metadata), filters=None)
        page_object = document.Pages.pages[-1]
        page_object.StructParents = 0
        page_object.Tabs = PDFName("S")  # tab through links in structure order
        # The page dictionary writes only the keys it lists; these two are not among them.
        page_object.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]

    def numbered_elements(self, document: Any) -> list[Element]:
        """Every element, registered with the document so that it has its object number,
        depth first in reading order (object numbers follow it)."""
        elements: list[Element] = []
        pending = [self.root]
        numbers = document.idToObjectNumberAndVersion
        while pending:
            element = pending.pop()
            name = f"StructElem{len(elements)}"
            document.Reference(element, name)
            element.reference = "{} {} R".format(*numbers[name])
            elements.append(element)
            pending.extend(reversed([kid for kid in element.kids if isinstance(kid, Element)]))
        return elements

    def tree_data(self, elements: list[Element], document: Any) -> bytes:
        """The StructTreeRoot: the tree's root, the parent tree (of marked content and of
        annotations), the role map and the tree of element ids."""
        parents = " ".join(owner.reference for owner in self.owners)
        nums = " ".join(f"{key} {element.reference}"
                        for key, element in enumerate(self.annotated, start=1))
        text = (f"<< /Type /StructTreeRoot /K {self.root.reference}"
                f" /ParentTree << /Nums [0 [{parents}] {nums}] >>"
                f" /ParentTreeNextKey {len(self.annotated) + 1}")
        kinds = {element.kind for element in elements}
        role_map = " ".join(f"/{kind} /{ROLE_MAP[kind]}" for kind in sorted(kinds & ROLE_MAP.keys()))
        if role_map:
            text += f" /RoleMap << {role_map} >>"
        data = text.encode("ascii")
        # A name tree of the element ids (required when elements have an /ID), sorted by key.
        ids = sorted((PDFString(element.identifier).format(document), element.reference)
                     for element in elements if element.identifier is not None)
        if ids:
            data += b" /IDTree << /Names [" + b" ".join(
                key + b" " + reference.encode("ascii") for key, reference in ids) + b"] >>"
        return data + b" >>"


def _element_data(element: Element, page: str, tree_reference: str, document: Any) -> bytes:
    """An element as a StructElem dictionary: its kind, parent, kids (marked content, child
    elements, annotations), page when it has content on it, and its attributes."""
    numbers = document.idToObjectNumberAndVersion
    parent = element.parent.reference if element.parent else tree_reference
    kids: list[str] = []
    on_page = False
    for kid in element.kids:
        if isinstance(kid, Element):
            kids.append(kid.reference)
        elif isinstance(kid, int):
            kids.append(str(kid))
            on_page = True
        else:
            kids.append("<< /Type /OBJR /Obj {} {} R >>".format(*numbers[kid.name]))
            on_page = True
    # Only elements with marked content or annotations name their page.
    text = (f"<< /S /{element.kind} /P {parent}{f' /Pg {page}' if on_page else ''}"
            + (f" /K {kids[0]}" if len(kids) == 1 else f" /K [{' '.join(kids)}]"))
    if element.bbox is not None:
        box = " ".join(f"{value:.2f}" for value in element.bbox)
        text += f" /A << /O /Layout /BBox [{box}] >>"
    data = text.encode("ascii")
    for key, value in ((b"Alt", element.alt), (b"Lang", element.language),
                       (b"ID", element.identifier)):
        if value is not None:
            data += b" /" + key + b" " + PDFString(value).format(document)
    return data + b" >>"


def _prune(element: Element) -> bool:
    """Drop elements with nothing in them (a heading left empty); True when `element` is."""
    kept: list[Element | int | PDFObjectReference] = []
    for kid in element.kids:
        if isinstance(kid, Element) and _prune(kid):
            continue
        kept.append(kid)
    element.kids = kept
    return not kept and element.alt is None


def xmp_metadata(metadata: Metadata) -> bytes:
    """The XMP packet: the Info dictionary's entries again, and the PDF/UA identification.

    PDF/UA-1 reads the title from `dc:title`, which must agree with the Info title.
    """
    moment = f"{metadata.date}T00:00:00Z"
    title, author, subject, keywords = (escape(text) for text in (
        metadata.title, metadata.author, metadata.subject, metadata.keywords))
    # dc:subject holds the keywords one by one, as photo and document libraries read them.
    separator = ";" if ";" in metadata.keywords else ","
    tags = "".join(f"<rdf:li>{escape(tag.strip())}</rdf:li>"
                   for tag in metadata.keywords.split(separator) if tag.strip())
    keyword_bag = f"<dc:subject><rdf:Bag>{tags}</rdf:Bag></dc:subject>\n" if tags else ""
    language = escape(metadata.language)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        '<dc:format>application/pdf</dc:format>\n'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt>'
        '</dc:title>\n'
        f'<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt>'
        '</dc:description>\n'
        f'<dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>\n'
        f'{keyword_bag}'
        f'<pdf:Keywords>{keywords}</pdf:Keywords>\n'
        '<pdf:Producer>briefgen (reportlab)</pdf:Producer>\n'
        '<xmp:CreatorTool>briefgen</xmp:CreatorTool>\n'
        f'<xmp:CreateDate>{moment}</xmp:CreateDate>\n'
        f'<xmp:ModifyDate>{moment}</xmp:ModifyDate>\n'
        '<pdfuaid:part>1</pdfuaid:part>\n'
        '</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="r"?>')
    return packet.encode("utf-8")
