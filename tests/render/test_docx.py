"""The DOCX files: named styles, fonts, text, and how LibreOffice lays them out."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from conftest import (
    HOSTILE_TEXTS,
    LONG_WORD,
    BuiltBriefs,
    expected_versions,
    localized,
    pdf_text,
    run_tool,
    spec_data,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
VERSIONS = [(name, audience_id) for name in ("example", "full", "minimal")
            for audience_id, _, _ in expected_versions(name)]
VERSION_IDS = [f"{name}-{audience_id or 'generic'}" for name, audience_id in VERSIONS]


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
        assert name.startswith("Brief "), f"{style_id!r} is not one of briefgen's named styles"


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
        stripped = (re.sub(r"\d", "", word) for word in words)
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


def normalized_document_xml(path: Path) -> str:
    """word/document.xml pretty-printed, without rsid attributes and with r:id renumbered."""
    root = read_part(path, "word/document.xml")
    relationship_ids: dict[str, str] = {}
    for element in root.iter():
        for name in list(element.attrib):
            qualified = etree.QName(name)
            if qualified.localname.startswith("rsid"):
                del element.attrib[name]
            elif qualified.namespace == R:
                value = element.attrib[name]
                element.attrib[name] = relationship_ids.setdefault(
                    value, f"rId-{len(relationship_ids) + 1}")
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="unicode") + "\n"


def test_minimal_document_xml_matches_golden(built_briefs: BuiltBriefs,
                                             golden: Callable[[str, str], None]) -> None:
    golden("minimal.document.xml", normalized_document_xml(
        built_briefs.versions[("minimal", None)].docx))
