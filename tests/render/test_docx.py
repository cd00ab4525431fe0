"""The DOCX files: built on a Word base document, structured for Word (headings, numbered
lists, layout tables, alternative text), carrying their fonts, and how LibreOffice lays them
out, with Carlito installed and without it."""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
import yaml
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from fontTools.ttLib import TTFont
from lxml import etree

from tests.render.base_document import BASE_DOCUMENT, base_document_bytes
from tests.support import (
    FULL_SPEC,
    HOSTILE_TEXTS,
    LONG_WORD,
    ROOT,
    SPECS,
    BuiltBriefs,
    build_brief,
    convert_with_libreoffice,
    expected_versions,
    localized,
    normalized_document_xml,
    pdf_text,
    require_tool,
    run_tool,
    spec_data,
    without_carlito,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
VERSIONS = [(name, audience_id) for name in ("example", "full", "minimal")
            for audience_id, _, _ in expected_versions(name)]
VERSION_IDS = [f"{name}-{audience_id or 'generic'}" for name, audience_id in VERSIONS]
WORD_HEADINGS = {"heading 1", "heading 2"}  # Word's built-in headings, restyled to the design


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def read_part(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(part))


@pytest.fixture(params=VERSIONS, ids=VERSION_IDS)
def version_docx(request: pytest.FixtureRequest, built_briefs: BuiltBriefs) -> Path:
    return built_briefs.versions[request.param].docx


# ---------------------------------------------------------------------------------------------
# Styles and fonts


def paragraph_styles(styles: etree._Element) -> dict[str, etree._Element]:
    return {style.get(w("styleId")): style for style in styles.iter(w("style"))
            if style.get(w("type")) == "paragraph"}


def test_every_paragraph_uses_a_named_style_defined_in_the_file(version_docx: Path) -> None:
    document = read_part(version_docx, "word/document.xml")
    defined = paragraph_styles(read_part(version_docx, "word/styles.xml"))
    paragraphs = list(document.iter(w("p")))
    assert paragraphs
    for index, paragraph in enumerate(paragraphs):
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        text = "".join(paragraph.itertext())[:60]
        assert style is not None, f"paragraph {index} ({text!r}) has no named style"
        style_id = style.get(w("val"))
        assert style_id in defined, f"paragraph {index} ({text!r}) uses undefined {style_id!r}"
        name = defined[style_id].find(w("name")).get(w("val"))
        assert name.startswith("Brief ") or name in WORD_HEADINGS, (
            f"{style_id!r} is not one of briefgen's named styles")


def _font_in(rpr: etree._Element | None, attribute: str) -> str | None:
    fonts = rpr.find(w("rFonts")) if rpr is not None else None
    if fonts is None:
        return None
    theme = fonts.get(w(f"{attribute}Theme"))
    if theme is not None:  # a theme font wins over a named one
        return f"theme:{theme}"
    return fonts.get(w(attribute))


def _style_chain(styles: dict[str, etree._Element], style_id: str | None
                 ) -> Iterator[etree._Element]:
    seen = set()
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        style = styles[style_id]
        yield style
        based = style.find(w("basedOn"))
        style_id = based.get(w("val")) if based is not None else None


def resolved_font(run: etree._Element, paragraph: etree._Element, styles_part: etree._Element,
                  attribute: str) -> str | None:
    """The font Word uses for `run`: run, character style, paragraph style chain, defaults."""
    all_styles = {style.get(w("styleId")): style for style in styles_part.iter(w("style"))}
    run_properties = run.find(w("rPr"))
    candidates = [run_properties]
    character_style = run_properties.find(w("rStyle")) if run_properties is not None else None
    if character_style is not None:
        candidates += [style.find(w("rPr")) for style in
                       _style_chain(all_styles, character_style.get(w("val")))]
    paragraph_style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    style_id = paragraph_style.get(w("val")) if paragraph_style is not None else next(
        (key for key, style in all_styles.items()
         if style.get(w("type")) == "paragraph" and style.get(w("default")) == "1"), None)
    candidates += [style.find(w("rPr")) for style in _style_chain(all_styles, style_id)]
    candidates.append(styles_part.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}"))
    for rpr in candidates:
        font = _font_in(rpr, attribute)
        if font is not None:
            return font
    return None


def test_every_run_resolves_to_calibri(version_docx: Path) -> None:
    document = read_part(version_docx, "word/document.xml")
    styles = read_part(version_docx, "word/styles.xml")
    runs = 0
    for paragraph in document.iter(w("p")):
        for run in paragraph.iter(w("r")):
            runs += 1
            for attribute in ("ascii", "hAnsi"):
                font = resolved_font(run, paragraph, styles, attribute)
                assert font == "Calibri", (attribute, "".join(run.itertext()), font)
    assert runs


def test_properties_name_the_brief(built_briefs: BuiltBriefs) -> None:
    data = spec_data("example")
    for audience_id, language, _ in expected_versions("example"):
        built = built_briefs.versions[("example", audience_id)]
        properties = docx.Document(str(built.docx)).core_properties
        assert properties.title == localized(data["brief"]["title"], language)
        assert properties.author == localized(data["brief"]["from"]["organization"], language)
        assert properties.language == language


# ---------------------------------------------------------------------------------------------
# Text


def iter_paragraphs(container: object) -> Iterator[Paragraph]:
    """Paragraphs in document order, including those inside (nested) table cells."""
    for block in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield from iter_paragraphs(cell)


@pytest.fixture(scope="module")
def full_docx_paragraphs(built_briefs: BuiltBriefs) -> list[Paragraph]:
    return list(iter_paragraphs(docx.Document(str(built_briefs.versions[("full", "ngo")].docx))))


@pytest.mark.parametrize("hostile", HOSTILE_TEXTS)
def test_hostile_text_is_verbatim(full_docx_paragraphs: list[Paragraph], hostile: str) -> None:
    texts = [paragraph.text for paragraph in full_docx_paragraphs]
    assert any(hostile in text for text in texts), f"{hostile!r} not in {texts}"


def test_markup_like_text_is_not_formatted(full_docx_paragraphs: list[Paragraph]) -> None:
    runs = [run for paragraph in full_docx_paragraphs for run in paragraph.runs
            if "<b>not bold</b>" in run.text or '<font color="red">' in run.text]
    assert runs
    for run in runs:
        assert not run.bold
        assert run.font.color.rgb is None


def test_links_are_external_and_safe(built_briefs: BuiltBriefs) -> None:
    relationships = read_part(built_briefs.versions[("full", "ngo")].docx,
                              "word/_rels/document.xml.rels")
    links = {item.get("Target"): item.get("TargetMode") for item in relationships
             if item.get("Type", "").endswith("/hyperlink")}
    assert links.get("https://clearground.example/plan") == "External"
    assert all(target.startswith(("https://", "http://", "mailto:")) for target in links), links


# ---------------------------------------------------------------------------------------------
# LibreOffice: the DOCX opens, fits on one page and shows the words of the PDF


@pytest.mark.tools
@pytest.mark.parametrize(("name", "audience_id"), VERSIONS, ids=VERSION_IDS)
def test_libreoffice_lays_the_docx_out_on_one_page(
        built_briefs: BuiltBriefs, libreoffice_pdfs: dict[Path, Path], name: str,
        audience_id: str | None) -> None:
    rendering = libreoffice_pdfs[built_briefs.versions[(name, audience_id)].docx]
    info = run_tool("pdfinfo", rendering)
    assert info.returncode == 0, info.stderr
    pages = re.search(r"^Pages:\s+(\d+)$", info.stdout, re.MULTILINE)
    assert pages and pages[1] == "1", info.stdout


def words_of(text: str) -> list[str]:
    """Words of extracted text, hyphens left out: a word processor may break a long web
    address after a hyphen where the PDF does not, and pdftotext then joins the two halves
    and drops the hyphen ("azerbaijan-" + "2024" -> "azerbaijan2024")."""
    text = re.sub(r"-\n\s*", "", text).replace("-", "")
    # A word wider than its column is cut in both files, at places of each one's choosing.
    return re.sub(r"\s*".join(LONG_WORD), LONG_WORD, text).split()


def word_differences(pdf_words: list[str], docx_words: list[str]) -> str:
    """Empty when both show the same words; else a readable account of what differs.

    Why not compare the word lists directly: a source marker is superscript, and pdftotext
    glues it to the figure before it ("~5%2") in one rendering and not in the other ("~5%",
    "2"), depending on a fraction of a point of spacing; the punctuation after a marker then
    sits on one token or the other ("800,0002)" against "800,000" "2)"). So words are
    compared without their digits and without punctuation-only leftovers, and the digits (and
    every other character) are compared as a multiset.
    """
    def letters(words: list[str]) -> Counter[str]:
        stripped = (re.sub(r"^\W+|\W+$", "", re.sub(r"\d", "", word)) for word in words)
        return Counter(word for word in stripped if re.search(r"\w", word))

    def characters(words: list[str]) -> Counter[str]:
        return Counter("".join(words))

    problems = []
    only_pdf, only_docx = letters(pdf_words) - letters(docx_words), letters(docx_words) - letters(
        pdf_words)
    if only_pdf or only_docx:
        problems.append(f"words only in the PDF: {sorted(only_pdf.elements())}\n"
                        f"words only in the DOCX: {sorted(only_docx.elements())}")
    chars_pdf, chars_docx = characters(pdf_words), characters(docx_words)
    if chars_pdf != chars_docx:
        problems.append(f"characters only in the PDF: {dict(chars_pdf - chars_docx)}; only in "
                        f"the DOCX: {dict(chars_docx - chars_pdf)}")
    if problems:
        raw_pdf, raw_docx = Counter(pdf_words), Counter(docx_words)
        problems.append(f"raw tokens only in the PDF: {sorted((raw_pdf - raw_docx).elements())}\n"
                        f"raw tokens only in the DOCX: {sorted((raw_docx - raw_pdf).elements())}")
    return "\n".join(problems)


def test_word_comparison_notices_a_missing_or_changed_word() -> None:
    """The normalization must not hide real differences."""
    pdf = words_of("Donors fund only ~5%2 of the\nbudget; mine-\ndetection rats")
    assert word_differences(pdf, words_of("Donors fund only ~5% 2 of the budget; "
                                          "mine-detection rats")) == ""
    assert word_differences(pdf, words_of("Donors fund only ~5% 2 of budget; "
                                          "mine-detection rats"))
    assert word_differences(pdf, words_of("Donors fund only ~6% 2 of the budget; "
                                          "mine-detection rats"))


@pytest.mark.tools
@pytest.mark.parametrize(("name", "audience_id"), VERSIONS, ids=VERSION_IDS)
def test_pdf_and_docx_show_the_same_words(built_briefs: BuiltBriefs,
                                          libreoffice_pdfs: dict[Path, Path], name: str,
                                          audience_id: str | None) -> None:
    built = built_briefs.versions[(name, audience_id)]
    pdf_words = words_of(pdf_text(built.pdf))
    docx_words = words_of(pdf_text(libreoffice_pdfs[built.docx]))
    assert len(pdf_words) > 20
    differences = word_differences(pdf_words, docx_words)
    assert not differences, differences


# ---------------------------------------------------------------------------------------------
# Golden document.xml


def test_minimal_document_xml_matches_golden(built_briefs: BuiltBriefs,
                                             golden: Callable[[str, str], None]) -> None:
    golden("minimal.document.xml", normalized_document_xml(
        built_briefs.versions[("minimal", None)].docx))


# ---------------------------------------------------------------------------------------------
# The base document


def test_the_shipped_base_document_is_the_one_its_script_writes() -> None:
    """templates/one-pager/base.docx is reviewable as XML in tests/render/base_document.py."""
    with zipfile.ZipFile(BASE_DOCUMENT) as shipped, \
            zipfile.ZipFile(io.BytesIO(base_document_bytes())) as written:
        assert shipped.namelist() == written.namelist(), (
            "run .venv/bin/python tests/render/base_document.py to regenerate base.docx")
        for name in written.namelist():
            assert shipped.read(name) == written.read(name), (
                f"{name} differs: run .venv/bin/python tests/render/base_document.py")


def test_the_base_document_holds_only_briefgen_styles() -> None:
    base = docx.Document(str(BASE_DOCUMENT))
    assert {style.name for style in base.styles} == {
        "Normal", "Heading 1", "Heading 2", "Default Paragraph Font", "Normal Table",
        "No List", "Brief Spacer"}
    with zipfile.ZipFile(BASE_DOCUMENT) as archive:
        assert not [name for name in archive.namelist() if "thumbnail" in name]
    assert BASE_DOCUMENT.stat().st_size < 10_000


# ---------------------------------------------------------------------------------------------
# Structure Word sees: headings, lists, layout tables, pictures


def example_docx(built_briefs: BuiltBriefs, audience: str = "eu") -> Path:
    return built_briefs.versions[("example", audience)].docx


def all_styles(path: Path) -> dict[str, etree._Element]:
    return {style.get(w("styleId")): style
            for style in read_part(path, "word/styles.xml").iter(w("style"))}


def style_name(style: etree._Element) -> str:
    return style.find(w("name")).get(w("val"))


def outline_level(paragraph: etree._Element, styles: dict[str, etree._Element]) -> int | None:
    """The paragraph's outline level as Word reads it (0 = top level); None for body text."""
    direct = paragraph.find(f"{w('pPr')}/{w('outlineLvl')}")
    if direct is None:
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        for element in _style_chain(styles, style.get(w("val")) if style is not None else None):
            direct = element.find(f"{w('pPr')}/{w('outlineLvl')}")
            if direct is not None:
                break
    level = int(direct.get(w("val"))) if direct is not None else 9
    return None if level == 9 else level


def paragraph_text(paragraph: etree._Element) -> str:
    """The words of a paragraph as a reader sees them: a line break between two words is a
    space, a non-breaking hyphen a hyphen, a word joiner nothing."""
    return "".join({w("noBreakHyphen"): "-", w("br"): " "}.get(node.tag, node.text or "")
                   for node in paragraph.iter(w("t"), w("noBreakHyphen"), w("br"))
                   ).replace("\u2060", "").replace("  ", " ")


@pytest.mark.parametrize("audience", ["eu", "ch", "region"])
def test_word_sees_one_headline_and_the_section_headings_below_it(
        built_briefs: BuiltBriefs, audience: str) -> None:
    path = example_docx(built_briefs, audience)
    styles = all_styles(path)
    levels: dict[int, list[str]] = {}
    for paragraph in read_part(path, "word/document.xml").iter(w("p")):
        level = outline_level(paragraph, styles)
        if level is not None:
            levels.setdefault(level, []).append(" ".join(paragraph_text(paragraph).split()))
    data = spec_data("example")
    language = next(version[1] for version in expected_versions("example")
                    if version[0] == audience)
    title = " ".join(str(localized(data["brief"]["title"], language)).split())
    assert len(levels[0]) == 1 and title.startswith(levels[0][0])  # the headline, before a deck
    assert sorted(levels) == [0, 1]
    sections = [str(localized(section["heading"], language)).upper()
                for section in data["sections"]]
    assert set(sections) <= set(levels[1]), levels[1]
    assert len(levels[1]) >= len(sections) + 2  # and the asks' and the sources' headings


def test_the_headings_are_words_built_in_headings_restyled_to_the_design(
        built_briefs: BuiltBriefs) -> None:
    """The headline is in Word's "heading 1" and every section heading, the sources' too, in
    "heading 2" (ids Heading1, Heading2): the names converters and Word's Navigation pane go
    by. The styles carry the design (the headline's size and colour)."""
    path = example_docx(built_briefs)
    styles = all_styles(path)
    assert style_name(styles["Heading1"]) == "heading 1"
    assert style_name(styles["Heading2"]) == "heading 2"
    assert styles["Heading1"].get(w("customStyle")) is None  # built in, not a copy
    document = read_part(path, "word/document.xml")
    by_style: dict[str, list[str]] = {}
    for paragraph in document.iter(w("p")):
        found = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        if found is not None:
            by_style.setdefault(found.get(w("val")), []).append(paragraph_text(paragraph))
    title = str(localized(spec_data("example")["brief"]["title"], "en"))
    assert len(by_style["Heading1"]) == 1 and title.startswith(by_style["Heading1"][0])
    assert {"OUR ASKS", "KEY FIGURES", "SOURCES"} <= set(by_style["Heading2"])
    design = yaml.safe_load((ROOT / "templates" / "one-pager" / "template.yaml").read_text(
        encoding="utf-8"))
    color = styles["Heading1"].find(f"{w('rPr')}/{w('color')}").get(w("val"))
    assert color == design["colors"][design["styles"]["headline"]["color"]][1:]
    # The sources' heading is smaller and quieter than the sections': it says so itself.
    sources = next(paragraph for paragraph in document.iter(w("p"))
                   if paragraph_text(paragraph) == "SOURCES")
    run = sources.find(f"{w('r')}/{w('rPr')}")
    assert run.find(w("sz")) is not None and run.find(w("color")) is not None
    assert style_name(styles["BriefSummary"]) == "Brief Summary"
    assert styles["BriefSummary"].find(w("basedOn")).get(w("val")) == "Normal"


def numbering(path: Path) -> dict[str, etree._Element]:
    """numId -> the w:lvl of its abstract numbering definition."""
    part = read_part(path, "word/numbering.xml")
    abstract = {item.get(w("abstractNumId")): item.find(w("lvl"))
                for item in part.iter(w("abstractNum"))}
    return {item.get(w("numId")): abstract[item.find(w("abstractNumId")).get(w("val"))]
            for item in part.iter(w("num"))}


def paragraphs_of_style(path: Path, style_id: str) -> list[etree._Element]:
    return [paragraph for paragraph in read_part(path, "word/document.xml").iter(w("p"))
            if paragraph.find(f"{w('pPr')}/{w('pStyle')}") is not None
            and paragraph.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) == style_id]


def list_of(paragraph: etree._Element) -> str | None:
    number = paragraph.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
    return number.get(w("val")) if number is not None else None


def test_the_asks_are_a_word_numbered_list_labelled_as_designed(
        built_briefs: BuiltBriefs) -> None:
    path = example_docx(built_briefs)
    asks = paragraphs_of_style(path, "BriefAsk")
    assert len(asks) == len(spec_data("example")["asks"])
    lists = {list_of(paragraph) for paragraph in asks}
    assert len(lists) == 1 and None not in lists
    for paragraph in asks:  # the number is Word's, not typed
        assert not re.match(r"\d", paragraph_text(paragraph)), paragraph_text(paragraph)
        assert paragraph.find(f".//{w('tab')}") is None
    level = numbering(path)[lists.pop()]
    assert level.find(w("numFmt")).get(w("val")) == "decimal"
    assert level.find(w("lvlText")).get(w("val")) == "%1"
    assert level.find(w("start")).get(w("val")) == "1"
    # The label's size and colour follow the style's label_size and label_color.
    design = yaml.safe_load((ROOT / "templates" / "one-pager" / "template.yaml").read_text(
        encoding="utf-8"))
    ask = design["styles"]["ask"]
    fitted = int(all_styles(path)["BriefAsk"].find(f"{w('rPr')}/{w('sz')}").get(w("val"))) / 2
    expected = max(round(ask["label_size"] * fitted / ask["size"] * 2) / 2, fitted)
    label = level.find(w("rPr"))
    assert int(label.find(w("sz")).get(w("val"))) == round(expected * 2)
    assert label.find(w("color")).get(w("val")) == design["colors"][ask["label_color"]][1:]
    assert label.find(w("b")) is not None


def test_the_source_notes_are_one_list_numbered_on_across_columns(
        built_briefs: BuiltBriefs) -> None:
    path = example_docx(built_briefs)
    notes = paragraphs_of_style(path, "BriefNote")
    assert len(notes) >= 5
    lists = {list_of(paragraph) for paragraph in notes}
    assert len(lists) == 1 and None not in lists
    assert numbering(path)[lists.pop()].find(w("start")).get(w("val")) == "1"


def test_a_label_that_is_not_a_number_stays_typed_with_a_tab(built_briefs: BuiltBriefs) -> None:
    quotes = paragraphs_of_style(example_docx(built_briefs), "BriefQuote")
    assert quotes
    for paragraph in quotes:
        runs = paragraph.findall(w("r"))
        assert "".join(runs[0].itertext()) == "\u201c"
        assert runs[1].find(w("tab")) is not None
        assert list_of(paragraph) is None


def test_layout_tables_have_no_header_rows_banding_or_undesigned_borders(
        version_docx: Path) -> None:
    document = read_part(version_docx, "word/document.xml")
    tables = list(document.iter(w("tbl")))
    assert tables
    for table in tables:
        look = table.find(f"{w('tblPr')}/{w('tblLook')}")
        assert {key.split("}")[1]: value for key, value in look.attrib.items()} == {
            "val": "0000", "firstRow": "0", "lastRow": "0", "firstColumn": "0",
            "lastColumn": "0", "noHBand": "1", "noVBand": "1"}
        assert table.find(f"{w('tblPr')}/{w('tblBorders')}") is None
        assert table.find(f"{w('tblPr')}/{w('tblStyle')}") is None
    assert document.find(f".//{w('tblHeader')}") is None
    # Designed lines only: the bottom line's rule, the key figures' outline.
    bordered = [cell for cell in document.iter(w("tc"))
                if cell.find(f"{w('tcPr')}/{w('tcBorders')}") is not None]
    assert len(bordered) <= 2


def test_text_is_never_in_text_boxes_or_frames(version_docx: Path) -> None:
    with zipfile.ZipFile(version_docx) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    for marker in ("txbxContent", "w:framePr", "wp:anchor", "v:textbox", "w:pict"):
        assert marker not in document


def test_pictures_carry_alternative_text_or_are_marked_decorative(tmp_path: Path) -> None:
    """A described picture has its description as alt text; one without is decorative."""
    from briefgen.document import Image as Picture
    from briefgen.document import Spacer
    from briefgen.render.docx import render_docx
    from tests.render.test_docx_base import small_document

    png = (ROOT / "briefs" / "clear-ground-logo.png").read_bytes()
    document = small_document()
    document = document._replace(body=(
        Picture(png, 60, 30, "Clear Ground Coalition"), Spacer(4), Picture(png, 60, 30, ""),
        *document.body))
    path = tmp_path / "pictures.docx"
    path.write_bytes(render_docx(document, document_fit()))
    drawing = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    properties = list(read_part(path, "word/document.xml").iter(f"{{{drawing}}}docPr"))
    assert [item.get("descr") for item in properties] == ["Clear Ground Coalition", ""]
    decorative = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
    assert properties[0].find(f".//{decorative}") is None
    assert properties[1].find(f".//{decorative}").get("val") == "1"
    validate_docx(path)


def document_fit() -> object:
    from briefgen.document import Fit

    return Fit(slack=40.0)


def test_document_language_is_set_for_every_version(built_briefs: BuiltBriefs) -> None:
    for audience_id, language, _ in expected_versions("example"):
        styles = read_part(built_briefs.versions[("example", audience_id)].docx,
                           "word/styles.xml")
        default = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
        assert default.get(w("val")) == language


# ---------------------------------------------------------------------------------------------
# Matching the PDF: line heights, letter spacing, narrow spaces, hyphens


def test_every_brief_style_has_exact_line_heights(built_briefs: BuiltBriefs) -> None:
    for style in all_styles(example_docx(built_briefs)).values():
        if ((style_name(style).startswith("Brief ") or style_name(style) in WORD_HEADINGS)
                and style_name(style) != "Brief Spacer"):
            spacing = style.find(f"{w('pPr')}/{w('spacing')}")
            assert spacing.get(w("lineRule")) == "exact", style_name(style)


def test_caps_labels_are_letter_spaced_as_in_the_pdf(built_briefs: BuiltBriefs) -> None:
    style = all_styles(example_docx(built_briefs))["Heading2"]
    size = int(style.find(f"{w('rPr')}/{w('sz')}").get(w("val"))) / 2
    tracking = yaml.safe_load((ROOT / "templates" / "one-pager" / "template.yaml").read_text(
        encoding="utf-8"))["styles"]["heading"]["tracking"]
    spacing = style.find(f"{w('rPr')}/{w('spacing')}")
    assert int(spacing.get(w("val"))) == round(tracking * size * 20)


def advance(character: str) -> float:
    """Carlito's width of `character`, in em, read with fontTools."""
    font = TTFont(ROOT / "src" / "briefgen" / "fonts" / "Carlito-Regular.ttf")
    glyph = font.getBestCmap()[ord(character)]
    return font["hmtx"][glyph][0] / font["head"].unitsPerEm


def test_a_narrow_no_break_space_is_condensed_to_the_pdfs_width(
        built_briefs: BuiltBriefs) -> None:
    """French puts U+202F before ; : ! ? and inside « »: the PDF draws it 1/8 em wide,
    Carlito's own glyph is as wide as a space, so its run is condensed by the difference."""
    path = example_docx(built_briefs, "ch")
    styles = all_styles(path)
    narrow = [run for run in read_part(path, "word/document.xml").iter(w("r"))
              if "".join(run.itertext()) == "\u202f"]
    assert narrow
    squeeze = advance("\u200a") - advance("\u202f")
    for run in narrow:
        paragraph = run.getparent()
        while paragraph.tag != w("p"):
            paragraph = paragraph.getparent()
        style = styles[paragraph.find(f"{w('pPr')}/{w('pStyle')}").get(w("val"))]
        size = run.find(f"{w('rPr')}/{w('sz')}")
        size = size if size is not None else style.find(f"{w('rPr')}/{w('sz')}")
        points = int(size.get(w("val"))) / 2
        tracking = style.find(f"{w('rPr')}/{w('spacing')}")
        tracked = int(tracking.get(w("val"))) / 20 / points if tracking is not None else 0.0
        spacing = int(run.find(f"{w('rPr')}/{w('spacing')}").get(w("val")))
        assert spacing == pytest.approx((squeeze + tracked) * points * 20, abs=1)
        assert spacing < 0


@pytest.mark.parametrize("audience", ["eu", "be"])
def test_words_and_addresses_break_only_at_spaces_as_in_the_pdf(built_briefs: BuiltBriefs,
                                                                audience: str) -> None:
    """Hyphens do not break ("US-funded", and "apopo.org/landmine-clearance-azerbaijan-2024",
    which LibreOffice once broke after "azerbaijan-"), and a word joiner follows each dash
    and each slash of an address, where a word processor would break and the PDF does not."""
    document = read_part(example_docx(built_briefs, audience), "word/document.xml")
    hyphens = [text.text for text in document.iter(w("t")) if text.text and "-" in text.text]
    assert hyphens == []
    assert document.find(f".//{w('noBreakHyphen')}") is not None
    texts = ["".join(node.text or "" for node in paragraph.iter(w("t")))
             for paragraph in document.iter(w("p"))]
    ranges = [text for text in texts if re.search(r"\d[–—]", text)]
    assert ranges and all(re.search(r"\d[–—]\u2060\d", text) for text in ranges), ranges
    addresses = ["".join(link.itertext()) for link in document.iter(w("hyperlink"))
                 if "/" in "".join(link.itertext())]
    assert addresses and all(re.search(r"/(?!\u2060)[^\s]", text) is None
                             for text in addresses), addresses
    # Running text reads back as typed: no joiner after a slash outside an address.
    assert not any("/\u2060" in text for paragraph in document.iter(w("p"))
                   if paragraph.find(f".//{w('hyperlink')}") is None
                   for text in [paragraph_text(paragraph)])


def test_an_address_wider_than_its_line_may_break_at_its_hyphens_as_in_the_pdf() -> None:
    """A web address too long for its line is cut after a slash or a hyphen in the PDF; in
    the DOCX its hyphens stay ordinary ones, so a word processor may cut it there too."""
    from briefgen.document import Document, Metadata, PageSetup, ParagraphStyle, Span
    from briefgen.document import Paragraph as BriefParagraph
    from briefgen.layout.fonts import font_family
    from briefgen.render.docx import render_docx

    address = "example.org/" + "-".join(["landmine-clearance"] * 12)
    style = ParagraphStyle("body", 10, 13, 10, "#1C2530")
    document = Document(
        page=PageSetup(595.3, 841.9, 42.5, 42.5, 42.5, 42.5), fonts=font_family("Carlito"),
        styles={"body": style}, footer=(),
        body=(BriefParagraph("body", (Span("See "), Span(address, link="https://" + address))),
              BriefParagraph("body", (Span("See "), Span("example.org/a-b", link="https://x"))),),
        metadata=Metadata("Title", "Author", "Subject", "keywords", "en-GB", "2025-03-24"))
    with zipfile.ZipFile(io.BytesIO(render_docx(document, document_fit()))) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    long_link, short_link = body.iter(w("hyperlink"))
    assert "-" in "".join(long_link.itertext())
    assert long_link.find(f".//{w('noBreakHyphen')}") is None
    assert "-" not in "".join(short_link.itertext())
    assert short_link.find(f".//{w('noBreakHyphen')}") is not None


def test_source_markers_are_raised_and_sized_as_in_the_pdf(built_briefs: BuiltBriefs) -> None:
    from briefgen.document import superscript_metrics

    path = example_docx(built_briefs)
    styles = all_styles(path)
    summary = paragraphs_of_style(path, "BriefSummary")[0]
    size = int(styles["BriefSummary"].find(f"{w('rPr')}/{w('sz')}").get(w("val"))) / 2
    marker_size, rise = superscript_metrics(size)
    markers = [run for run in summary.iter(w("r"))
               if run.find(f"{w('rPr')}/{w('position')}") is not None]
    assert markers
    for run in markers:
        assert int(run.find(f"{w('rPr')}/{w('position')}").get(w("val"))) == round(rise * 2)
        assert int(run.find(f"{w('rPr')}/{w('sz')}").get(w("val"))) == round(marker_size * 2)


# ---------------------------------------------------------------------------------------------
# Fonts the DOCX carries


FACES = {"Regular": "Carlito-Regular.ttf", "Bold": "Carlito-Bold.ttf",
         "Italic": "Carlito-Italic.ttf", "BoldItalic": "Carlito-BoldItalic.ttf"}


def embedded_fonts(path: Path) -> dict[str, TTFont]:
    """Each embedded face of the font table, de-obfuscated (ECMA-376 Part 1, 17.8.1)."""
    fonts = {}
    relationships = {item.get("Id"): item.get("Target")
                     for item in read_part(path, "word/_rels/fontTable.xml.rels")}
    with zipfile.ZipFile(path) as archive:
        for font in read_part(path, "word/fontTable.xml").iter(w("font")):
            for embedded in font:
                if not embedded.tag.startswith(w("embed")):
                    continue
                key = embedded.get(w("fontKey")).strip("{}").replace("-", "")
                data = bytearray(archive.read(
                    "word/" + relationships[embedded.get(f"{{{R}}}id")]))
                key_bytes = bytes.fromhex(key)[::-1]
                for index in range(32):
                    data[index] ^= key_bytes[index % 16]
                fonts[embedded.tag.split("}")[1][len("embed"):]] = (
                    font.get(w("name")), TTFont(io.BytesIO(bytes(data))))
    return fonts


def test_the_docx_carries_carlito_for_every_face_and_word_is_told(
        built_briefs: BuiltBriefs) -> None:
    path = example_docx(built_briefs, "region")
    fonts = embedded_fonts(path)
    assert sorted(fonts) == sorted(FACES)
    text = "".join(read_part(path, "word/document.xml").itertext())
    for face, (name, font) in fonts.items():
        assert name == "Carlito"
        assert font["name"].getDebugName(1) == "Carlito"
        original = TTFont(ROOT / "src" / "briefgen" / "fonts" / FACES[face])
        characters, widths = font.getBestCmap(), original.getBestCmap()
        # Every letter of the languages briefgen writes, at Carlito's own widths; no
        # ligatures, no kerning.
        assert set(map(ord, "AzəƏğİıŞçöü«»€–—’Жжщ")) <= set(characters)
        for code in map(ord, "Wiə€Ж"):
            assert font["hmtx"][characters[code]][0] == original["hmtx"][widths[code]][0]
        assert not {"GSUB", "GPOS", "kern"} & set(font.keys())
    drawable = {code for _, font in fonts.values() for code in font.getBestCmap()}
    assert set(map(ord, text)) <= drawable
    settings = read_part(path, "word/settings.xml")
    assert settings.find(w("embedTrueTypeFonts")) is not None
    assert settings.find(w("saveSubsetFonts")) is not None


def test_the_eu_versions_pdf_and_docx_stay_well_under_a_megabyte(
        built_briefs: BuiltBriefs) -> None:
    built = built_briefs.versions[("example", "eu")]
    assert built.pdf.stat().st_size + built.docx.stat().st_size < 500_000


# ---------------------------------------------------------------------------------------------
# Valid OOXML, as Microsoft's Open XML SDK checks it


def validate_docx(path: Path) -> None:
    """Schema and package checks of openxml-audit, a port of the Open XML SDK validator."""
    try:
        from openxml_audit import OpenXmlValidator
    except ImportError:  # pragma: no cover
        if os.environ.get("CI") == "true":
            pytest.fail("openxml-audit is not installed (pip install -e '.[test]')")
        pytest.skip("openxml-audit is not installed")
    result = OpenXmlValidator().validate(str(path))
    assert result.is_valid, "\n".join(str(error) for error in result.errors)


def test_every_docx_is_valid_ooxml(version_docx: Path) -> None:
    validate_docx(version_docx)


# ---------------------------------------------------------------------------------------------
# LibreOffice without Carlito or Calibri


@pytest.fixture(scope="session")
def carlito_hidden(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The fontconfig environment hiding Carlito, checked to hide it."""
    import subprocess

    environment = without_carlito(tmp_path_factory.mktemp("fontconfig"))
    hidden = subprocess.run([require_tool("fc-list"), ":", "family"], capture_output=True,
                            text=True, env={**os.environ, **environment}, check=True)
    assert hidden.stdout.strip() and "Carlito" not in hidden.stdout
    return environment


def ligatures(pdf: Path) -> set[str]:
    """Letters LibreOffice drew as one glyph ("ti", "fi"): glyphs its fonts' ToUnicode maps
    give several letters for."""
    from pypdf import PdfReader

    found = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            unicode_map = font.get_object().get("/ToUnicode")
            if unicode_map is None:
                continue
            data = unicode_map.get_object().get_data().decode("latin-1")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.DOTALL):
                for target in re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", block):
                    text = bytes.fromhex(target).decode("utf-16-be", "replace")
                    if len(text) > 1 and text.isalpha():
                        found.add(text)
    return found


def pages(pdf: Path) -> int:
    info = run_tool("pdfinfo", pdf)
    match = re.search(r"^Pages:\s+(\d+)$", info.stdout, re.MULTILINE)
    assert match, info.stdout
    return int(match[1])


def fonts_used(pdf: Path) -> set[str]:
    listing = run_tool("pdffonts", pdf).stdout.splitlines()[2:]
    return {line.split()[0].partition("+")[2] for line in listing if line.strip()}


@pytest.mark.tools
@pytest.mark.parametrize(("name", "audience_id"), VERSIONS, ids=VERSION_IDS)
def test_without_carlito_libreoffice_keeps_the_page_with_the_fonts_the_docx_carries(
        built_briefs: BuiltBriefs, carlito_hidden: dict[str, str],
        libreoffice_pdfs_without_carlito: dict[Path, Path], name: str,
        audience_id: str | None) -> None:
    built = built_briefs.versions[(name, audience_id)]
    rendering = libreoffice_pdfs_without_carlito[built.docx]
    assert pages(rendering) == 1
    assert {font.split("-")[0] for font in fonts_used(rendering)} == {"Carlito"}
    assert ligatures(rendering) == set()
    # In the order the text is drawn: laid out as it is on the page, pdftotext's order
    # follows sub-point differences in where two columns' lines sit.
    pdf_words, docx_words = drawn_words(built.pdf), drawn_words(rendering)
    ratio = difflib.SequenceMatcher(None, pdf_words, docx_words, autojunk=False).ratio()
    assert ratio >= 0.95, word_differences(pdf_words, docx_words)


def drawn_words(pdf: Path) -> list[str]:
    """The PDF's words in the order they are drawn, without punctuation: readers extract a
    French narrow space ("«\u202fmot\u202f:", "250\u202f000") as a space or as nothing,
    and a source marker with or without the word before it."""
    result = run_tool("pdftotext", "-raw", "-enc", "UTF-8", pdf, "-")
    assert result.returncode == 0, result.stderr
    text = re.sub(r"-\n\s*", "", result.stdout).replace("-", "")
    text = re.sub(r"(?<=\d)\s+(?=\d{3}(?!\d))", "", text)
    return re.findall(r"\w+", text)


@pytest.mark.tools
@pytest.mark.parametrize(("name", "audience_id"), VERSIONS, ids=VERSION_IDS)
def test_libreoffice_draws_no_ligatures_the_pdf_does_not(
        built_briefs: BuiltBriefs, libreoffice_pdfs: dict[Path, Path], name: str,
        audience_id: str | None) -> None:
    assert ligatures(libreoffice_pdfs[built_briefs.versions[(name, audience_id)].docx]) == set()


# ---------------------------------------------------------------------------------------------
# An organisation's own base document: letterhead, footer and theme kept, body filled


ORGANISATION = "Acme Relief Organisation"
LETTERHEAD_LINE = "Humanitarian mine action since 1998 · Geneva · Kyiv · Baku"
FOOTER_LINE = "Acme Relief · Rue de Lausanne 1 · 1201 Geneva"


def organisation_base_document(path: Path) -> None:
    """A base document made the way an organisation would: python-docx's default document
    (Word's default styles, theme and settings, a thumbnail), a two-line letterhead taller
    than the one-pager's top margin, a footer, and some body text that must not survive."""
    base = docx.Document()
    section = base.sections[0]
    section.header_distance = Mm(10)
    letterhead = section.header.paragraphs[0]
    name = letterhead.add_run(ORGANISATION)
    name.bold, name.font.size = True, Pt(18)
    section.header.add_paragraph(LETTERHEAD_LINE)
    section.footer.paragraphs[0].text = FOOTER_LINE
    base.add_paragraph("Text of the base document itself, which a brief replaces.")
    base.save(str(path))


@pytest.fixture(scope="module")
def organisation_briefs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The full spec built with an organisation's base document in its own template folder
    (the example fills its page: a letterhead this tall would not leave it room)."""
    folder = tmp_path_factory.mktemp("organisation")
    shutil.copytree(SPECS, folder / "briefs")
    template = folder / "templates" / "one-pager"
    shutil.copytree(ROOT / "templates" / "one-pager", template)
    organisation_base_document(template / "base.docx")
    built = build_brief(folder / "briefs" / FULL_SPEC.name, folder / "out")
    return [result.docx for result in built if result.docx is not None]


@pytest.mark.tools
@pytest.mark.parametrize("hide_carlito", [False, True], ids=["with-carlito", "without-carlito"])
def test_an_organisations_letterhead_survives_and_the_page_still_holds(
        organisation_briefs: list[Path], carlito_hidden: dict[str, str], hide_carlito: bool,
        tmp_path: Path) -> None:
    renderings = convert_with_libreoffice(organisation_briefs, tmp_path,
                                          carlito_hidden if hide_carlito else None)
    for docx_path, rendering in renderings.items():
        assert pages(rendering) == 1, docx_path.name
        text = pdf_text(rendering)
        assert ORGANISATION in text and FOOTER_LINE in " ".join(text.split())
        assert "Text of the base document itself" not in text
        # The letterhead comes first, then the brief below it.
        layout = run_tool("pdftotext", "-bbox", rendering, "-").stdout
        tops = [float(match[1]) for match in
                re.finditer(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', layout)
                if match[2] in ("Acme", "Prepared")]
        assert tops[0] < min(tops[1:])


def test_an_organisations_header_footer_and_theme_are_kept(
        organisation_briefs: list[Path]) -> None:
    for path in organisation_briefs:
        document = docx.Document(str(path))
        section = document.sections[0]
        assert section.header.paragraphs[0].text == ORGANISATION
        assert section.footer.paragraphs[0].text == FOOTER_LINE
        # The body starts below the letterhead: the margin was moved down to make room.
        assert section.top_margin > Mm(15)
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        assert "word/theme/theme1.xml" in names
        assert not [name for name in names if "thumbnail" in name]
        validate_docx(path)
        # The base document's defaults name its theme's fonts; the brief's text is Calibri.
        body, styles = read_part(path, "word/document.xml"), read_part(path, "word/styles.xml")
        defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('rFonts')}")
        assert defaults.get(w("asciiTheme")) is not None
        for paragraph in body.iter(w("p")):
            for run in paragraph.iter(w("r")):
                if run.find(w("drawing")) is not None:
                    continue  # a picture (the QR code) has no letters
                assert resolved_font(run, paragraph, styles, "ascii") == "Calibri", (
                    "".join(run.itertext()))


def test_a_letterhead_takes_its_room_from_the_brief(organisation_briefs: list[Path],
                                                    built_briefs: BuiltBriefs) -> None:
    """Fitting keeps the letterhead's height free: the organisation's version opens its gaps
    less than the plain one to fill the page."""
    from briefgen.template.base_document import load_base_document

    def summary_gap(path: Path) -> float:
        spacing = docx.Document(str(path)).styles["Brief Stat Source"].paragraph_format
        return spacing.space_after.pt

    plain = built_briefs.versions[("full", "ngo")].docx
    organisation = next(path for path in organisation_briefs if "_ngo_" in path.name)
    assert summary_gap(organisation) < summary_gap(plain)
    base = load_base_document(organisation_briefs[0].parents[2] / "templates" / "one-pager"
                              / "base.docx")
    assert base.header.height > 30
