"""The PDFs as readers' tools see them: poppler, qpdf and a PDF parser."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import (
    HOSTILE_TEXTS,
    BuiltBriefs,
    collapse_space,
    expected_versions,
    localized,
    pdf_text,
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


def test_a_quote_in_another_language_is_marked_with_it(built_briefs: BuiltBriefs) -> None:
    """On the Swiss French page the English quote is marked /Lang (en), for screen readers."""
    pypdf = pytest.importorskip("pypdf")
    french = built_briefs.versions[("example", "ch")].pdf
    content = pypdf.PdfReader(french).pages[0].get_contents().get_data()
    assert b"/Span <</Lang (en)>> BDC" in content
    assert content.count(b" BDC") == content.count(b"EMC")
    english = built_briefs.versions[("example", "eu")].pdf
    assert b"/Lang (" not in pypdf.PdfReader(english).pages[0].get_contents().get_data()


@pytest.mark.parametrize("spec_name", ["example", "full"])
def test_fragments_break_lines_exactly_as_parsed_markup_would(spec_name: str) -> None:
    """The PDF backend builds reportlab's text fragments directly instead of writing and
    parsing markup; every paragraph must break into the same lines at the same height."""
    from reportlab.platypus import Paragraph as RLParagraph

    from briefgen.compose import compose_document, iter_paragraphs
    from briefgen.document import Fit
    from briefgen.render import pdf
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec
    from briefgen.template import load_template
    from briefgen.view import resolve_brief
    from conftest import SPEC_FILES

    document = load_spec(SPEC_FILES[spec_name])
    spec = validate_spec(document)
    template = load_template(spec.brief.template, document.path)
    versions = list(range(len(spec.audiences))) or [None]
    compared = 0
    for version in versions:
        composed = compose_document(resolve_brief(spec, template, document, version), template,
                                    document.locate)
        for fit in (Fit(), Fit(spacing=0.5, type_scale=0.88)):
            cache = pdf._ParagraphCache()
            for paragraph in [*iter_paragraphs(composed.body), *iter_paragraphs(composed.footer)]:
                style = pdf._paragraph_style(paragraph, composed, fit)
                markup = "".join(pdf._span_markup(span, composed.link_color, style.fontSize)
                                 for span in paragraph.spans)
                parsed = RLParagraph(markup, style, bulletText=paragraph.number)
                built = cache.flowable(paragraph, composed, fit, 300)
                for width in (150.0, 300.0, 480.0):
                    parsed.wrap(width, 100_000)
                    built._wrapped = None
                    built.wrap(width, 100_000)
                    assert len(built.blPara.lines) == len(parsed.blPara.lines), paragraph.origin
                    assert built.height == parsed.height, paragraph.origin
                    compared += 1
    assert compared > 100


def test_fitting_measures_heights_exactly_as_reportlab_lays_them_out() -> None:
    """Fitting computes heights from line counts; reportlab's own tables and frames must
    arrive at the same heights, or a fitted page could overflow when drawn."""
    from briefgen.compose import compose_document
    from briefgen.fit import fit_for
    from briefgen.render.pdf import measure, measure_with_reportlab
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec
    from briefgen.template import load_template
    from briefgen.view import resolve_brief
    from conftest import EXAMPLE_SPEC

    document = load_spec(EXAMPLE_SPEC)
    spec = validate_spec(document)
    template = load_template(spec.brief.template, document.path)
    for version in range(len(spec.audiences)):
        composed = compose_document(resolve_brief(spec, template, document, version), template,
                                    document.locate)
        for t in (0.0, 0.3, 0.5, 0.8, 1.0):
            fit = fit_for(t, 0.5, 0.88)
            ours, theirs = measure(composed, fit), measure_with_reportlab(composed, fit)
            assert ours.body == pytest.approx(theirs.body, abs=1e-6), (version, t)
            assert ours.footer == pytest.approx(theirs.footer, abs=1e-6), (version, t)
