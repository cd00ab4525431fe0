"""Tagged PDF (PDF/UA-1): the structure tree as a screen reader walks it, read back with pypdf,
and two independent PDF/UA checkers (outloud and pdfua) on every PDF the session builds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject

from briefgen.document import Block, Document, Group, Paragraph, Row
from tests.support import (
    SPEC_FILES,
    BuiltBriefs,
    expected_versions,
    localized,
    require_tool,
    run_tool,
    spec_data,
)

VERSIONS = [(name, audience_id) for name in ("example", "full", "minimal")
            for audience_id, _, _ in expected_versions(name)]
VERSION_IDS = [f"{name}-{audience_id or 'generic'}" for name, audience_id in VERSIONS]


# ---------------------------------------------------------------------------------------------
# Reading a tagged PDF back: marked content by MCID, structure elements in reading order


INLINE = {"Span", "Link", "Reference", "Quote", "Code"}


@dataclass
class Element:
    """A structure element as read from the file, with the text of its marked content."""

    kind: str
    attributes: DictionaryObject
    parent: Element | None = None
    kids: list[Element | str] = field(default_factory=list)  # elements and MCID texts, in order
    mcids: list[int] = field(default_factory=list)
    annotations: dict[int, DictionaryObject] = field(default_factory=dict)  # by object number

    def walk(self) -> Iterator[Element]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk()

    def text(self) -> str:
        """Its text as a reader hears it: marked content in order, children included; blocks
        (paragraphs, list labels and bodies) apart, inline elements (links, spans) in the
        flow of their text; a figure's alternative text instead of what it draws."""
        if self.kind == "Figure" and self.get("/Alt") is not None:
            return str(self.get("/Alt"))
        parts = [kid if isinstance(kid, str) else kid.text() for kid in self.kids]
        separate = any(isinstance(kid, Element) and kid.kind not in INLINE
                       for kid in self.kids)
        return (" " if separate else "").join(parts)

    def get(self, key: str) -> str | None:
        value = self.attributes.get(key)
        return None if value is None else str(value)


@dataclass
class Tagged:
    root: Element
    marked: dict[int, str]  # MCID -> text
    origins: dict[int, tuple[float, float]]  # MCID -> where its text starts (x, baseline)
    untagged: list[str]  # text drawn outside marked content and artifacts
    unmarked_drawings: list[str]  # painting operators outside marked content and artifacts
    artifact_text: list[str]
    reader: PdfReader

    def elements(self, kind: str | None = None) -> list[Element]:
        return [element for element in self.root.walk() if kind is None or element.kind == kind]


def _unicode_maps(page: DictionaryObject) -> dict[str, dict[int, str]]:
    """Each font's ToUnicode CMap (the bfchar form reportlab writes) as a code -> text map."""
    maps = {}
    for name, font in page["/Resources"]["/Font"].items():
        data = font.get_object()["/ToUnicode"].get_object().get_data().decode("latin-1")
        table = {}
        for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
            for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                table[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
        maps[name] = table
    return maps


PAINTING = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"Do", b"sh"}


def read_tagged(path: Path) -> Tagged:
    """The page's marked content and structure tree; /ActualText replaces what it covers."""
    reader = PdfReader(path)
    page = reader.pages[0]
    maps = _unicode_maps(page)
    marked: dict[int, str] = {}
    origins: dict[int, tuple[float, float]] = {}
    origin = (0.0, 0.0)
    untagged: list[str] = []
    unmarked: list[str] = []
    artifact_text: list[str] = []
    stack: list[tuple[str, object]] = []
    font: dict[int, str] = {}
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"BDC":
            properties = operands[1]
            if "/MCID" in properties:
                stack.append(("mcid", int(properties["/MCID"])))
            elif "/ActualText" in properties:
                stack.append(("actual", str(properties["/ActualText"])))
            else:
                stack.append(("other", None))
        elif operator == b"BMC":
            stack.append(("artifact" if operands[0] == "/Artifact" else "other", None))
        elif operator == b"EMC":
            stack.pop()
        elif operator == b"Tf":
            font = maps[operands[0]]
        elif operator == b"Tm":
            origin = (float(operands[4]), float(operands[5]))
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            strings = operands[0] if operator == b"TJ" else operands[-1:]
            text = "".join(font[code] for string in strings if not isinstance(string, float | int)
                           for code in string.original_bytes)
            kinds = [kind for kind, _ in stack]
            if "actual" in kinds:
                text = str(next(value for kind, value in reversed(stack) if kind == "actual"))
            mcid = next((value for kind, value in reversed(stack) if kind == "mcid"), None)
            if "artifact" in kinds:
                artifact_text.append(text)
            elif mcid is None:
                untagged.append(text)
            else:
                marked[int(mcid)] = marked.get(int(mcid), "") + text  # type: ignore[call-overload]
                origins.setdefault(int(mcid), origin)  # type: ignore[call-overload]
        elif operator in PAINTING and not any(kind in ("mcid", "artifact") for kind, _ in stack):
            unmarked.append(operator.decode())

    def element(node: DictionaryObject, parent: Element | None) -> Element:
        node = node.get_object()
        built = Element(str(node["/S"]).removeprefix("/"), node, parent)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if isinstance(kid, int):
                built.kids.append(marked.get(kid, ""))
                built.mcids.append(kid)
            elif "/S" in kid.get_object():
                built.kids.append(element(kid, built))
            elif kid.get_object().get("/Type") == "/OBJR":
                annotation = kid.get_object().raw_get("/Obj")
                built.annotations[annotation.idnum] = annotation.get_object()
        return built

    root = element(reader.trailer["/Root"]["/StructTreeRoot"]["/K"], None)
    return Tagged(root, marked, origins, untagged, unmarked, artifact_text, reader)


def words(text: str) -> list[str]:
    return text.split()


@pytest.fixture(scope="module")
def tagged(built_briefs: BuiltBriefs) -> dict[tuple[str, str | None], Tagged]:
    return {key: read_tagged(built.pdf) for key, built in built_briefs.versions.items()}


# ---------------------------------------------------------------------------------------------
# The independent checkers


@pytest.mark.parametrize(("name", "audience_id"), VERSIONS, ids=VERSION_IDS)
def test_outloud_finds_nothing(built_briefs: BuiltBriefs, name: str,
                               audience_id: str | None) -> None:
    """outloud: about 90 rules, PDF/UA-1 conformance plus checks of what a reader hears
    (reading order against painting order, words no element announces, notes, links)."""
    outloud = pytest.importorskip("outloud")
    result = outloud.check(str(built_briefs.versions[(name, audience_id)].pdf))
    assert result.error is None, result.error
    crashed = [run.rule for run in result.runs if run.status == "crashed"]
    assert not crashed, crashed
    assert [(finding.rule, finding.severity, finding.message) for finding in result.findings
            if finding.severity in ("error", "warning")] == []
    assert result.stats["tagged"] and result.stats["elements"] > 5


@pytest.mark.parametrize(("name", "audience_id"), VERSIONS, ids=VERSION_IDS)
def test_pdfua_finds_nothing(built_briefs: BuiltBriefs, name: str,
                             audience_id: str | None) -> None:
    """pdfua: the machine-checkable PDF/UA-1 subset it implements (structure tree, marked
    content, language, figure and link descriptions, headings, title, identification)."""
    pdfua = pytest.importorskip("pdfua")
    report = pdfua.validate(str(built_briefs.versions[(name, audience_id)].pdf))
    findings = [finding for outcome in report.outcomes for finding in outcome.findings]
    assert [(finding.rule_id, finding.severity.name, finding.message)
            for finding in findings] == []
    assert report.exit_code == 0


@pytest.mark.tools
def test_pdfinfo_says_tagged(built_briefs: BuiltBriefs) -> None:
    for key, built in built_briefs.versions.items():
        result = run_tool("pdfinfo", built.pdf)
        assert re.search(r"^Tagged:\s+yes$", result.stdout, re.M), (key, result.stdout)


@pytest.mark.tools
def test_every_font_maps_to_unicode(built_briefs: BuiltBriefs) -> None:
    """Every font embedded and with a Unicode map, so the words (source markers included)
    can be read out and copied."""
    require_tool("pdffonts")
    for key, built in built_briefs.versions.items():
        lines = run_tool("pdffonts", built.pdf).stdout.splitlines()[2:]
        assert lines, key
        for line in lines:
            emb, _, uni = line.split()[-5:-2]
            assert (emb, uni) == ("yes", "yes"), (key, line)


# ---------------------------------------------------------------------------------------------
# Reading order and text


def model_words(document: Document) -> list[str]:
    """The page's words in the author's order, from the document model: blocks in order, rows
    left to right, each paragraph's number first (a list's number as a word of its own), a
    picture's description where it is."""
    found: list[str] = []

    def visit(blocks: tuple[Block, ...], in_list: bool) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                text = "".join(span.text for span in block.spans)
                if block.number is not None:
                    text = block.number + (" " if in_list else "") + text
                found.extend(words(text))
            elif isinstance(block, Group):
                visit(block.blocks, block.role == "L")
            elif isinstance(block, Row):
                for cell in block.cells:
                    visit(cell.blocks, in_list)
            elif getattr(block, "description", ""):  # a picture: the logo, a chart
                found.extend(words(block.description))  # type: ignore[union-attr]

    visit(document.body, False)
    visit(document.footer, False)
    return found


def prepared_documents(name: str) -> dict[str | None, Document]:
    """Each version's document as the build lays it out (the command's own path)."""
    from briefgen.engine.build import prepare_brief
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec
    from briefgen.template import load_template

    document = load_spec(SPEC_FILES[name])
    spec = validate_spec(document)
    template = load_template(spec.brief.template, document.path)
    indexes: list[int | None] = list(range(len(spec.audiences))) or [None]
    return {(spec.audiences[index].id if index is not None else None):
            prepare_brief(spec, template, document, index).document for index in indexes}


@pytest.mark.parametrize("name", ["example", "full", "minimal"])
def test_the_structure_reads_the_page_word_for_word_in_the_authors_order(
        tagged: dict[tuple[str, str | None], Tagged], name: str) -> None:
    """What a screen reader reads, element by element, is every word of the page in the
    model's order, and nothing else: no word lost to a line break, none glued to the next,
    no hyphen a cut word got from the layout."""
    for audience_id, document in prepared_documents(name).items():
        read = tagged[(name, audience_id)]
        assert words(read.root.text()) == model_words(document), (name, audience_id)
        assert read.untagged == [], read.untagged
        assert "".join(read.artifact_text).strip() == ""


def test_nothing_is_drawn_outside_the_structure_or_decoration(
        tagged: dict[tuple[str, str | None], Tagged]) -> None:
    """Every shape and picture is either content of an element or an artifact."""
    for key, read in tagged.items():
        assert read.unmarked_drawings == [], key


EXAMPLE_AUDIENCES = [audience_id for audience_id, _, _ in expected_versions("example")]


@pytest.mark.parametrize("audience_id", EXAMPLE_AUDIENCES)
def test_reading_order_of_the_parts(tagged: dict[tuple[str, str | None], Tagged],
                                    audience_id: str) -> None:
    """Masthead (organisation, meeting, date), audience line, headline, deck, bottom line and
    the delegation's line, asks, the main column's sections, then the key figures and the
    quote, then contact and sources: the author's order, not the columns' painting order.
    Landmarks come from the spec's YAML; their order from the structure tree."""
    data = spec_data("example")
    brief = data["brief"]
    audience = next(item for item in data["audiences"] if item["id"] == audience_id)
    language = audience.get("language") or brief["language"]
    # Block-level elements in tree order, with their words (case-folded: headings are caps).
    blocks = [(element.kind, " ".join(element.text().split()).casefold())
              for element in tagged[("example", audience_id)].elements()
              if element.kind in ("P", "H1", "H2", "LBody", "Note", "Aside", "BlockQuote")]

    def where(kind: str, start: object = "", has: object = "") -> int:
        start_words, has_words = (" ".join(str(localized(value, language)).split()[:3])
                                  .casefold() for value in (start, has))
        found = [index for index, (element_kind, text) in enumerate(blocks)
                 if element_kind == kind and text.startswith(start_words)
                 and has_words in text]
        assert found, (kind, start_words, has_words, blocks)
        return found[0]

    landmarks = {
        "organisation": where("P", brief["from"]["organization"]),
        "meeting": where("P", brief["event"]["name"]),
        "date": where("P", has=str(brief["date"].year)),
        "audience line": where("P", has=audience["name"]),
        "headline": where("H1", brief["title"]),
        "deck": where("P", has=str(localized(brief["title"], language)).split()[-1]),
        "bottom line": where("P", has=data["summary"]),
        "delegation's line": where("P", audience["intro"]),
        "asks": where("LBody", (audience.get("asks") or data["asks"])[0]["headline"]),
        "sections": where("H2", data["sections"][0]["heading"]),
        "key figures": where("Aside"),
        "quote": where("BlockQuote"),
        "contact": where("P", has=brief["from"]["name"]),
        "sources": where("Note"),
    }
    assert sorted(landmarks, key=landmarks.__getitem__) == list(landmarks), landmarks


def test_headings_navigate_the_page(tagged: dict[tuple[str, str | None], Tagged]) -> None:
    """One H1, the headline, first; every section, box and the sources an H2 after it."""
    for key, read in tagged.items():
        headings = [element for element in read.elements() if element.kind in ("H1", "H2")]
        assert [element.kind for element in headings][:1] == ["H1"], key
        assert [element.kind for element in headings].count("H1") == 1, key
        assert all(element.text().strip() for element in headings), key


def test_lists_have_items_with_their_numbers(tagged: dict[tuple[str, str | None], Tagged]
                                             ) -> None:
    """The asks and the source notes are lists; each item's number is its label, and the
    notes split over two columns are one list."""
    data = spec_data("example")
    for audience_id in EXAMPLE_AUDIENCES:
        read = tagged[("example", audience_id)]
        lists = read.elements("L")
        assert len(lists) == 3, audience_id  # the asks, the chart's key, the notes
        asks, key, notes = lists
        key_items = [kid for kid in key.kids if isinstance(kid, Element)]
        assert [next(kid for kid in item.kids if isinstance(kid, Element)).text()
                for item in key_items] == ["●", "●"]  # each part's colour dot is its label
        audience = next(item for item in data["audiences"] if item["id"] == audience_id)
        ask_items = [kid for kid in asks.kids if isinstance(kid, Element)]
        assert len(ask_items) == len(audience.get("asks") or data["asks"])
        for number, item in enumerate(ask_items, start=1):
            assert [kid.kind for kid in item.kids if isinstance(kid, Element)] == ["Lbl", "LBody"]
            label = next(kid for kid in item.kids if isinstance(kid, Element))
            assert label.text() == str(number)
        note_items = [kid for kid in notes.kids if isinstance(kid, Element)]
        assert [item.kind for item in note_items] == ["LI"] * len(note_items)
        labels = [note.kids[0].text() for note in notes.walk() if note.kind == "Note"
                  if isinstance(note.kids[0], Element) and note.kids[0].kind == "Lbl"]
        assert labels == [str(number) for number in range(1, len(note_items) + 1)]


def test_source_markers_point_at_their_notes(tagged: dict[tuple[str, str | None], Tagged]
                                             ) -> None:
    """A marker is a Reference holding a link to its note: the link's destination is where
    the note with the marker's number begins, and its description is that note's text."""
    for key, read in tagged.items():
        notes = read.elements("Note")
        assert len({note.get("/ID") for note in notes}) == len(notes), key  # ids are unique
        labels = {note.kids[0].text(): note for note in notes
                  if isinstance(note.kids[0], Element) and note.kids[0].kind == "Lbl"}
        assert len(labels) == len(notes), key  # each note has its number as its label
        references = read.elements("Reference")
        assert references or key[0] == "minimal", key
        for reference in references:
            (link,) = [kid for kid in reference.kids if isinstance(kid, Element)]
            assert link.kind == "Link" and link.annotations, key
            number = link.text()
            note = labels[number]
            label = note.kids[0]
            assert isinstance(label, Element)
            x, baseline = read.origins[label.mcids[0]]
            for annotation in link.annotations.values():
                _, view, left, top, _ = annotation["/Dest"]
                assert view == "/XYZ" and abs(float(left) - x) < 0.5, key
                assert 0 < float(top) - baseline < 12, key  # the top of the note's first line
                description = " ".join(str(annotation["/Contents"]).split())
                assert description.startswith(f"{number} "), key
                assert " ".join(note.text().split()[1:4]) in description, key


def test_every_link_is_a_link_element_with_a_description(
        tagged: dict[tuple[str, str | None], Tagged]) -> None:
    """Every annotation is owned by a Link element, both ways (the element's OBJR and the
    parent tree's entry for the annotation); it says what it is, prints, and the page is
    tabbed through in structure order."""
    for key, read in tagged.items():
        page = read.reader.pages[0]
        assert page["/Tabs"] == "/S", key
        owned = {number: element for element in read.elements("Link")
                 for number in element.annotations}
        parent_tree = read.reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
        parents = dict(zip(parent_tree[::2], parent_tree[1::2], strict=True))
        listed = page.get("/Annots") or []
        assert sorted(annotation.idnum for annotation in listed) == sorted(owned), key
        for reference in listed:
            annotation = reference.get_object()
            assert " ".join(str(annotation.get("/Contents") or "").split()), key
            assert int(annotation["/F"]) & 4, key  # printed as shown
            parent = parents[annotation["/StructParent"]]
            assert parent.get_object()["/S"] == "/Link", key
            element = owned[reference.idnum]
            assert element.attributes.indirect_reference.idnum == parent.idnum, key


def test_a_key_figure_is_read_as_one_statement(
        tagged: dict[tuple[str, str | None], Tagged]) -> None:
    """Its qualifier in words, not a sign a screen reader calls "tilde"."""
    read = tagged[("example", "us")]
    statements = [" ".join(element.text().split()) for element in read.elements("P")]
    assert "about 1.5 million landmines still in the ground" in statements
    french = tagged[("example", "ch")]
    statements = [" ".join(element.text().split()) for element in french.elements("P")]
    assert "plus de 13 % du territoire azerbaïdjanais contaminé" in statements


def test_a_key_figure_s_source_line_reads_its_note_number_as_a_link_to_the_note(
        tagged: dict[tuple[str, str | None], Tagged]) -> None:
    """"Government of Azerbaijan, January 2025, note 5": the number is a reference that
    leads to the note, in the page's language ("прим. 4" in Russian)."""
    for key, words in ((("example", "us"), "note"), (("example", "region"), "прим.")):
        texts = [" ".join(element.text().split()) for element in tagged[key].elements("P")]
        lines = [text for text in texts if re.fullmatch(rf".+, {re.escape(words)} \d", text)]
        assert len(lines) >= 3, texts
        references = [" ".join(element.text().split())
                      for element in tagged[key].elements("Reference")]
        assert all(line[-1] in references for line in lines), (lines, references)


def test_boxes_and_quotes_are_grouped(tagged: dict[tuple[str, str | None], Tagged]) -> None:
    """The key figures and the quote are boxes (Aside, mapped to Sect for PDF 1.7 readers);
    the quote is a BlockQuote with its attribution."""
    read = tagged[("example", "eu")]
    role_map = read.reader.trailer["/Root"]["/StructTreeRoot"]["/RoleMap"]
    assert role_map["/Aside"] == "/Sect"
    boxes = read.elements("Aside")
    assert [box.kids[0].kind for box in boxes if isinstance(box.kids[0], Element)] == ["H2", "H2"]
    (quote,) = read.elements("BlockQuote")
    said, by = (kid for kid in quote.kids if isinstance(kid, Element))
    assert said.text().startswith("“I have never had regrets")
    assert by.text().startswith("— Aytan Ismayilova")


def test_the_logo_is_a_figure_with_alternative_text_and_decoration_is_not_read(
        tagged: dict[tuple[str, str | None], Tagged]) -> None:
    data = spec_data("example")
    for audience_id, language, _ in expected_versions("example"):
        read = tagged[("example", audience_id)]
        figure, *charts = read.elements("Figure")  # the logo comes first, then any chart
        assert figure.get("/Alt") == localized(data["brief"]["from"]["organization"], language)
        assert all(chart.get("/Alt") for chart in charts)
        box = figure.attributes["/A"]["/BBox"]
        assert float(box[2]) - float(box[0]) > 10 and float(box[3]) - float(box[1]) > 10
    content = read.reader.pages[0].get_contents().get_data()
    assert content.count(b"/Artifact BMC") >= 4  # rules, the panel, the box, the left rule


def test_the_sources_qr_code_is_a_figure_described_in_the_page_s_language(
        tagged: dict[tuple[str, str | None], Tagged]) -> None:
    address = spec_data("example")["brief"]["sources_url"].removeprefix("https://")
    described = {"en": "QR code:", "fr": "Code QR :", "ru": "QR-код:"}
    for audience_id, language, _ in expected_versions("example"):
        code = tagged[("example", audience_id)].elements("Figure")[-1]  # the footer's
        assert code.get("/Alt") == f"{described[language.split('-')[0]]} {address}"
        box = [float(value) for value in code.attributes["/A"]["/BBox"]]
        assert box[2] - box[0] == pytest.approx(box[3] - box[1]) and box[2] - box[0] >= 36


def test_words_in_another_language_are_marked_with_it(
        tagged: dict[tuple[str, str | None], Tagged]) -> None:
    """On the Swiss French page the English original of the quote is marked /Lang (en), and
    the French label inside it fr-CH; the full spec's Azerbaijani quote is marked az. The
    English pages mark nothing: the document's language is theirs."""
    french = tagged[("example", "ch")]
    assert french.reader.trailer["/Root"]["/Lang"] == "fr-CH"
    marked = [(element.kind, element.get("/Lang"), element.text())
              for element in french.elements() if element.get("/Lang")]
    assert [(kind, language) for kind, language, _ in marked] == [
        ("BlockQuote", "en"), ("Span", "fr-CH"), ("Span", "fr-CH")]
    assert "I have never had regrets" in marked[0][2]
    assert marked[1][2].startswith("Original")
    azerbaijani = tagged[("full", "ngo")]
    assert [element.kind for element in azerbaijani.elements()
            if element.get("/Lang") == "az"] == ["BlockQuote"]
    english = tagged[("example", "eu")]
    assert [element.kind for element in english.elements() if element.get("/Lang")] == []


def test_document_identifies_itself(tagged: dict[tuple[str, str | None], Tagged]) -> None:
    """Marked, titled (XMP dc:title equal to the Info title, shown in the window title), in
    its language, and claiming PDF/UA-1."""
    for key, read in tagged.items():
        catalog = read.reader.trailer["/Root"]
        assert catalog["/MarkInfo"]["/Marked"] is True or catalog["/MarkInfo"]["/Marked"]
        assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
        xmp = read.reader.xmp_metadata
        assert xmp is not None, key
        assert xmp.dc_title == {"x-default": read.reader.metadata.title}, key
        raw = catalog["/Metadata"].get_object().get_data().decode("utf-8")
        assert "<pdfuaid:part>1</pdfuaid:part>" in raw, key
        assert read.reader.pdf_header == "%PDF-1.7"


def test_hostile_text_reaches_the_structure_verbatim(
        tagged: dict[tuple[str, str | None], Tagged]) -> None:
    from tests.support import HOSTILE_TEXTS, LONG_WORD

    text = " ".join(tagged[("full", "ngo")].root.text().split())
    for hostile in HOSTILE_TEXTS:
        assert hostile in text or (hostile == LONG_WORD and LONG_WORD in text.replace(" ", ""))


def test_text_the_layout_joins_or_cuts_is_read_whole(tmp_path: Path) -> None:
    """Spaces of two spans that meet are set as one, a word wider than the column is cut
    with a hyphen the author did not type, a link runs over a line break: the structure
    still reads the author's words, and the link is one element with an annotation per
    line."""
    from briefgen.document import Fit, Span
    from briefgen.render.pdf import render_pdf

    document = prepared_documents("minimal")[None]
    long_word = "Minenräumungs" * 12
    spans = (Span("Two spans meet here "), Span(" with a space each, then "),
             Span(long_word), Span(" and "),
             Span("a link whose words run on over the end of the line " * 3,
                  link="https://example.org/plan"),
             Span(" after it."))
    paragraph = Paragraph("body", spans)
    pdf = tmp_path / "cut.pdf"
    pdf.write_bytes(render_pdf(document._replace(body=(paragraph,), footer=()), Fit()))
    read = read_tagged(pdf)
    assert words(read.root.text()) == words("".join(span.text for span in spans))
    (link,) = read.elements("Link")
    assert len(link.annotations) >= 2
    content = read.reader.pages[0].get_contents().get_data()
    assert b"/ActualText ()" in content  # the layout's hyphen is not text
