"""The PDFs as readers' tools see them: poppler, qpdf and a PDF parser."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.document import Document, Paragraph, Span
from tests.support import (
    HOSTILE_TEXTS,
    LONG_WORD,
    SPEC_FILES,
    BuiltBriefs,
    collapse_space,
    expected_versions,
    localized,
    pdf_text,
    require_tool,
    run_tool,
    spec_data,
)

VERSIONS = [(name, audience_id) for name in ("example", "full")
            for audience_id, _, _ in expected_versions(name)]
VERSION_IDS = [f"{name}-{audience_id or 'generic'}" for name, audience_id in VERSIONS]
PAGE_SIZES = {"A4": (595.276, 841.89), "Letter": (612.0, 792.0)}


def pdfinfo(path: Path) -> dict[str, str]:
    result = run_tool("pdfinfo", "-enc", "UTF-8", path)
    assert result.returncode == 0, result.stderr
    return {key.strip(): value.strip() for key, _, value in
            (line.partition(":") for line in result.stdout.splitlines())}


def pdffonts(path: Path) -> list[dict[str, str]]:
    """Rows of `pdffonts`; read from the right, since names and types may contain spaces."""
    result = run_tool("pdffonts", path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["name", "type"] and set(lines[1]) <= {"-", " "}, lines[:2]
    rows = []
    for line in lines[2:]:
        fields = line.split()
        rows.append({"name": fields[0], "emb": fields[-5], "sub": fields[-4],
                     "uni": fields[-3], "line": line})
    return rows


@pytest.fixture(params=VERSIONS, ids=VERSION_IDS)
def version_pdf(request: pytest.FixtureRequest, built_briefs: BuiltBriefs) -> tuple[str, Path]:
    name, audience_id = request.param
    return name, built_briefs.versions[(name, audience_id)].pdf


@pytest.mark.tools
def test_one_page(version_pdf: tuple[str, Path]) -> None:
    assert pdfinfo(version_pdf[1])["Pages"] == "1"


@pytest.mark.tools
def test_every_font_is_embedded_and_none_is_helvetica(version_pdf: tuple[str, Path]) -> None:
    rows = pdffonts(version_pdf[1])
    assert rows, "no fonts listed: is there any text?"
    not_embedded = [row["line"] for row in rows if row["emb"] != "yes"]
    assert not not_embedded
    assert not [row["line"] for row in rows if "helvetica" in row["name"].lower()]
    assert all("Carlito" in row["name"] for row in rows), [row["name"] for row in rows]


@pytest.mark.tools
def test_qpdf_finds_no_errors(version_pdf: tuple[str, Path]) -> None:
    result = run_tool("qpdf", "--check", version_pdf[1])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.tools
@pytest.mark.parametrize(("name", "audience_id"), VERSIONS, ids=VERSION_IDS)
def test_metadata_and_page_size(built_briefs: BuiltBriefs, name: str,
                                audience_id: str | None) -> None:
    data = spec_data(name)
    built = built_briefs.versions[(name, audience_id)]
    info = pdfinfo(built.pdf)
    language, page = next((language, page) for audience, language, page
                          in expected_versions(name) if audience == audience_id)
    assert info["Title"] == localized(data["brief"]["title"], language)
    audience = next((item for item in data.get("audiences") or [] if item["id"] == audience_id),
                    {})
    sender = audience.get("from") or data["brief"]["from"]
    assert info["Author"] == localized(sender["organization"], language)
    event = data["brief"]["event"]
    assert info["Subject"].startswith(f"{localized(event['name'], language)}, "
                                      f"{localized(event['place'], language)}, ")
    size = re.match(r"([\d.]+) x ([\d.]+) pts", info["Page size"])
    assert size, info["Page size"]
    assert (float(size[1]), float(size[2])) == pytest.approx(PAGE_SIZES[page], abs=0.01)


@pytest.fixture(scope="module")
def full_text(built_briefs: BuiltBriefs) -> str:
    return collapse_space(pdf_text(built_briefs.versions[("full", "ngo")].pdf))


@pytest.mark.tools
@pytest.mark.parametrize("hostile", HOSTILE_TEXTS)
def test_hostile_text_prints_verbatim(full_text: str, hostile: str) -> None:
    if hostile == LONG_WORD:
        # Wider than its column: it must be cut between lines, and nowhere else.
        assert re.search(" ?".join(LONG_WORD), full_text), full_text
        return
    assert hostile in full_text


@pytest.mark.tools
def test_uncited_source_is_not_printed(full_text: str) -> None:
    assert "Uncited background report" not in full_text


@pytest.mark.tools
def test_numbers_and_dates_follow_the_language(built_briefs: BuiltBriefs) -> None:
    british = collapse_space(pdf_text(built_briefs.versions[("full", "ngo")].pdf))
    american = collapse_space(pdf_text(built_briefs.versions[("full", "us")].pdf))
    assert "9–11 April 2025" in british
    assert "April 9–11, 2025" in american
    assert "1.5 million" in american  # the no-break space comes out as a space


def test_links_are_live_and_safe(built_briefs: BuiltBriefs) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(built_briefs.versions[("full", "ngo")].pdf)
    uris = []
    for annotation in reader.pages[0].get("/Annots") or []:
        action = annotation.get_object().get("/A")
        if action is not None:
            uris.append(str(action.get_object()["/URI"]))
    assert "https://clearground.example/plan" in uris
    assert "mailto:policy@clearground.example" in uris
    assert all(uri.startswith(("https://", "http://", "mailto:")) for uri in uris), uris


def test_document_language_is_set(built_briefs: BuiltBriefs) -> None:
    pypdf = pytest.importorskip("pypdf")
    for name in ("example", "full", "minimal"):
        for audience_id, language, _ in expected_versions(name):
            reader = pypdf.PdfReader(built_briefs.versions[(name, audience_id)].pdf)
            assert str(reader.trailer["/Root"].get("/Lang")) == language, (name, audience_id)


def normalized_pdf_text(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


@pytest.mark.tools
def test_minimal_pdf_text_matches_golden(built_briefs: BuiltBriefs,
                                        golden: Callable[[str, str], None]) -> None:
    golden("minimal.pdf.txt", normalized_pdf_text(pdf_text(
        built_briefs.versions[("minimal", None)].pdf)))


def composed_versions(spec_name: str) -> list[Document]:
    from briefgen.compose import compose_document
    from briefgen.resolve.view import resolve_brief
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec
    from briefgen.template import load_template

    document = load_spec(SPEC_FILES[spec_name])
    spec = validate_spec(document)
    template = load_template(spec.brief.template, document.path)
    versions: list[int | None] = list(range(len(spec.audiences))) or [None]
    return [compose_document(resolve_brief(spec, template, document, version), template,
                             document.locate) for version in versions]


def line_text(line: object) -> str:
    return "".join(run.text for run in line.runs)  # type: ignore[attr-defined]


def first_word_width(line: object) -> float:
    """Width of a line's first word with the space before it, from the font's own metrics."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    runs = line.runs  # type: ignore[attr-defined]
    width = stringWidth(" ", runs[0].format.font, runs[0].format.size)
    for run in runs:
        word, space, _ = run.text.partition(" ")
        width += stringWidth(word, run.format.font, run.format.size)
        if space:
            break
    return float(width)


@pytest.mark.parametrize("spec_name", ["example", "full"])
def test_lines_fill_the_column_greedily_and_keep_every_word(spec_name: str) -> None:
    """No line is wider than its column, no word is lost or cut (they all fit here), and a
    line ends only where the next word would not have fitted."""
    from briefgen.compose import iter_paragraphs
    from briefgen.document import Fit, fitted_style
    from briefgen.layout import break_lines

    checked = 0
    for composed in composed_versions(spec_name):
        for fit in (Fit(), Fit(spacing=0.5, type_scale=0.88)):
            for paragraph in [*iter_paragraphs(composed.body),
                              *iter_paragraphs(composed.footer)]:
                style = fitted_style(composed.styles[paragraph.style], fit)
                words = "".join(span.text for span in paragraph.spans).split()
                for width in (300.0, 480.0):
                    laid = break_lines(paragraph, style, composed, width)
                    texts = [line_text(line) for line in laid.lines]
                    if max((len(word) for word in words), default=0) < 25:
                        assert " ".join(texts).split() == words, paragraph.origin
                    pairs = list(zip(laid.lines, laid.lines[1:], strict=False))
                    for number, (line, following) in enumerate(pairs, start=1):
                        assert line.width <= laid.text_width + 1e-6, line_text(line)
                        if number == len(pairs) and len(line_text(following).split(" ")) == 2:
                            continue  # the word before a short last word is carried down
                        assert line.width + first_word_width(following) > laid.text_width, (
                            paragraph.origin, line_text(line))
                    checked += 1
    assert checked > 100


def test_a_web_address_wider_than_the_column_breaks_after_a_slash_or_hyphen() -> None:
    from briefgen.document import ParagraphStyle
    from briefgen.layout import break_lines

    composed = composed_versions("minimal")[0]
    style = ParagraphStyle("note", 8, 10, 8, "#000000")
    address = "example.org/reports/2025/landmine-clearance-in-azerbaijan-district-survey"
    paragraph = Paragraph("note", (Span(f"See {address} today."),))
    laid = break_lines(paragraph, style, composed, 120)
    texts = [line_text(line) for line in laid.lines]
    assert "".join(texts).replace(" ", "") == f"See{address}today."
    assert all(line.width <= 120 + 1e-6 for line in laid.lines), texts
    assert all(text.endswith(("/", "-", "See", "today.")) for text in texts), texts


def test_nothing_is_drawn_outside_the_page_margins_or_across_the_footer(
        built_briefs: BuiltBriefs) -> None:
    """Where poppler finds the words: inside the content box, and the body above the
    footer rule. Heights used for fitting and positions used for drawing must agree."""
    require_tool("pdftotext")
    footers = 0
    for (name, audience_id), built in built_briefs.versions.items():
        result = run_tool("pdftotext", "-bbox", built.pdf, "-")
        page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', result.stdout)
        assert page, result.stdout[:300]
        width, height = float(page[1]), float(page[2])
        words = [(float(x1), float(y1), float(x2), float(y2), text) for x1, y1, x2, y2, text in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                            r'yMax="([\d.]+)">([^<]*)</word>', result.stdout)]
        assert len(words) > 40, (name, audience_id)
        # The one-pager's content is 180 mm wide, centred, within 15 mm of the top and foot.
        left, top = (width - 510.24) / 2, 42.52
        for x1, y1, x2, y2, text in words:
            assert left - 1 <= x1 and x2 <= width - left + 1, (name, audience_id, text, x1, x2)
            assert top - 1 <= y1 and y2 <= height - top + 1, (name, audience_id, text, y1, y2)
        footer_tops = [y1 for x1, y1, x2, y2, text in words
                       if text.startswith(("Contact", "Контакты", "Əlaqə", "SOURCES"))]
        if not footer_tops:  # a brief without contact or sources has no footer
            continue
        footers += 1
        footer_top = min(footer_tops)
        above = [word for word in words if word[3] <= footer_top + 0.5]
        below = [word for word in words if word[1] >= footer_top - 0.5]
        assert len(above) + len(below) == len(words), [
            word[4] for word in words if word not in above and word not in below]
    assert footers >= 7


@pytest.mark.tools
def test_every_version_shows_the_logo_with_its_transparency(built_briefs: BuiltBriefs) -> None:
    """The logo's image objects are made once and shared by every brief a process draws;
    each PDF must still carry and reference them itself."""
    for audience_id, _, _ in expected_versions("example"):
        result = run_tool("pdfimages", "-list", built_briefs.versions[("example", audience_id)].pdf)
        assert result.returncode == 0 and not result.stderr, result.stderr
        kinds = [line.split()[2] for line in result.stdout.splitlines()[2:]]
        assert kinds == ["image", "smask"], (audience_id, result.stdout)


def test_a_last_line_of_one_short_word_is_avoided() -> None:
    from briefgen.document import ParagraphStyle
    from briefgen.layout import break_lines
    composed = composed_versions("minimal")[0]
    style = ParagraphStyle("body", 10, 13, 10, "#000000")
    paragraph = Paragraph("body", (Span("Donors fund clearance teams so that families can "
                                        "return home safely to their villages in spring"),))
    widths = {}
    for width in range(200, 400, 4):  # "spring" is short on these measures
        laid = break_lines(paragraph, style, composed, float(width))
        last = "".join(run.text for run in laid.lines[-1].runs).split()
        widths[width] = len(last)
        assert len(laid.lines) == 1 or len(last) >= 2, (width, last)
    assert any(count == 2 for count in widths.values())  # the rule was needed somewhere
