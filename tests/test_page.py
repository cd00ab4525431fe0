"""The example's pages as a reader takes them in: numbers never fused with markers, the ask at
the centre, a sound hierarchy, a reading measure, French typography, no crowding, no holes.

These check the built example (every version) and small specs made for one point each.
"""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest

from briefgen.compose import iter_paragraphs
from briefgen.document import Cell, Document, Fit, Group, Paragraph, Row, fitted_style
from briefgen.engine.batch import BuildOptions, run_specs
from briefgen.engine.build import prepare_brief
from briefgen.layout import Layout
from briefgen.spec.includes import load_spec
from briefgen.spec.inline import Cite, parse_inline, walk
from briefgen.spec.validate import text_fields, validate_spec
from briefgen.template import load_template
from tests.support import (
    EXAMPLE_SPEC,
    MINIMAL_TEXT,
    BuiltBriefs,
    collapse_space,
    pdf_text,
    replace_once,
    run_tool,
)

EXAMPLE_AUDIENCES = ["eu", "us", "be", "ch", "region"]


def prepared_example() -> dict[str, object]:
    document = load_spec(EXAMPLE_SPEC)
    spec = validate_spec(document)
    template = load_template(spec.brief.template, EXAMPLE_SPEC)
    return {audience.id: prepare_brief(spec, template, document, index)
            for index, audience in enumerate(spec.audiences)}


@pytest.fixture(scope="module")
def example_pages() -> dict[str, object]:
    return prepared_example()


# ---------------------------------------------------------------------------------------------
# Numbers and their source markers


@pytest.mark.tools
@pytest.mark.parametrize("audience_id", EXAMPLE_AUDIENCES)
def test_every_cited_number_reads_as_printed_never_fused_with_its_marker(
        built_briefs: BuiltBriefs, example_pages: dict[str, object], audience_id: str) -> None:
    """pdftotext of "killed 70⁴ people" gives "704 people": copy-paste, search and screen
    readers would get the wrong figure. Every [@id] cited on the page must read back as
    printed, with no digit glued to it."""
    prepared = example_pages[audience_id]
    view = prepared.view  # type: ignore[attr-defined]
    text = collapse_space(pdf_text(built_briefs.versions[("example", audience_id)].pdf))
    cited = {node.stat_id: view.cited_value(node) for user_text in view.texts
             for node in walk(user_text.nodes)
             if isinstance(node, Cite) and node.stat_id not in view.charts}  # numbers only
    assert len(cited) >= 4
    for stat_id, value in cited.items():
        shown = collapse_space(value.replace("\u00a0", " ").replace("\u202f", " "))
        occurrences = [match.end() for match in re.finditer(re.escape(shown), text)]
        assert occurrences, f"{stat_id}: {shown!r} not found in the page's text"
        for end in occurrences:
            assert not text[end:end + 1].isdigit(), (
                f"{stat_id}: {shown!r} is followed by {text[end:end + 6]!r}")


def test_a_figure_cited_at_a_clause_end_is_kept_apart_from_its_marker() -> None:
    from briefgen.resolve.locale_format import NARROW_NO_BREAK_SPACE

    document = load_spec(EXAMPLE_SPEC)
    spec = validate_spec(document)
    template = load_template(spec.brief.template, EXAMPLE_SPEC)
    composed = [prepare_brief(spec, template, document, index).document
                for index in range(len(spec.audiences))]
    for paragraph in (paragraph for page in composed for paragraph in iter_paragraphs(page.body)):
        spans = paragraph.spans
        for index, (before, after) in enumerate(itertools.pairwise(spans)):
            if after.reference is not None and after.superscript and not before.superscript:
                # "70⁴" would read as 704; ")⁴" and ".⁴" need no space, which would let
                # the marker float away from its clause.
                text = "".join(span.text for span in spans[:index + 1] if not span.superscript)
                assert not text[-1:].isdigit(), (paragraph.origin, text)
                if re.search(r"\d$", text.rstrip(NARROW_NO_BREAK_SPACE)):
                    assert text.endswith(NARROW_NO_BREAK_SPACE), text[-30:]
                else:
                    assert not text.endswith(NARROW_NO_BREAK_SPACE), text[-30:]


# ---------------------------------------------------------------------------------------------
# Hierarchy, the ask, the measure


def styles_at_fit(prepared: object) -> dict[str, float]:
    document: Document = prepared.document  # type: ignore[attr-defined]
    fit = prepared.fit  # type: ignore[attr-defined]
    return {name: fitted_style(style, fit).font_size for name, style in document.styles.items()}


@pytest.mark.parametrize("audience_id", EXAMPLE_AUDIENCES)
def test_headline_then_figures_then_ask_numbers_then_text(example_pages: dict[str, object],
                                                          audience_id: str) -> None:
    prepared = example_pages[audience_id]
    sizes = styles_at_fit(prepared)
    ask = prepared.document.styles["ask"]  # type: ignore[attr-defined]
    fit = prepared.fit  # type: ignore[attr-defined]
    ask_number = fitted_style(ask, fit).label_size or 0.0
    assert sizes["headline"] > sizes["stat-value"] > ask_number > sizes["ask"] >= 10
    assert sizes["body"] >= 10, f"body text shrank to {sizes['body']} pt"
    assert sizes["summary"] >= sizes["body"]


@pytest.mark.parametrize("audience_id", EXAMPLE_AUDIENCES)
def test_the_asks_are_one_numbered_list_in_their_own_panel(example_pages: dict[str, object],
                                                         audience_id: str) -> None:
    document: Document = example_pages[audience_id].document  # type: ignore[attr-defined]

    def panels(blocks: tuple[object, ...], background: str | None) -> list[tuple[str, Group]]:
        found = []
        for block in blocks:
            if isinstance(block, Group):
                if block.role == "L":
                    found.append((background or "", block))
                found += panels(block.blocks, background)
            elif isinstance(block, Row):
                for cell in block.cells:
                    found += panels(cell.blocks, cell.background or background)
        return found

    asks = [(background, group) for background, group in panels(document.body, None)
            if any(isinstance(block, Paragraph) and block.style == "ask"
                   for block in group.blocks)]
    assert len(asks) == 1
    background, group = asks[0]
    assert background and background != "#FFFFFF"  # a tinted panel
    numbers = [block.number for block in group.blocks if isinstance(block, Paragraph)]
    assert numbers == [str(number) for number in range(1, len(numbers) + 1)]


RUNNING_TEXT = ("summary", "body", "ask", "intro", "stat-label", "quote", "note")


@pytest.mark.parametrize("audience_id", EXAMPLE_AUDIENCES)
def test_running_text_keeps_a_reading_measure(example_pages: dict[str, object],
                                              audience_id: str) -> None:
    """At most 85 characters a line (the bottom line used to run to 116 across the page)."""
    prepared = example_pages[audience_id]
    document: Document = prepared.document  # type: ignore[attr-defined]
    layout = Layout(document, prepared.fit)  # type: ignore[attr-defined]
    longest = 0

    def check(blocks: tuple[object, ...], width: float) -> None:
        nonlocal longest
        for block in blocks:
            if isinstance(block, Paragraph) and block.style in RUNNING_TEXT:
                for line in layout.laid(block, width).lines:
                    characters = len("".join(run.text for run in line.runs))
                    longest = max(longest, characters)
                    assert characters <= 85, (block.origin, characters)
            elif isinstance(block, Group):
                check(block.blocks, width)
            elif isinstance(block, Row):
                for cell in block.cells:
                    check(cell.blocks, cell.width - cell.padding[1] - cell.padding[3])

    check(document.body + document.footer, document.page.content_width)
    assert longest > 50


def test_caps_labels_are_letter_spaced(example_pages: dict[str, object]) -> None:
    styles = example_pages["eu"].document.styles  # type: ignore[attr-defined]
    caps = [style for style in styles.values() if style.caps]
    assert caps
    for style in caps:
        assert 0.05 <= style.tracking <= 0.08, style.name


# ---------------------------------------------------------------------------------------------
# French


def test_french_uses_narrow_no_break_spaces(example_pages: dict[str, object]) -> None:
    from briefgen.layout import RunFormat, register_fonts, text_width

    document: Document = example_pages["ch"].document  # type: ignore[attr-defined]
    text = " ".join("".join(span.text for span in paragraph.spans)
                    for paragraph in iter_paragraphs(document.body + document.footer))
    assert "L’essentiel\u202f:" in text
    assert "800\u202f000" in text  # the thousands separator
    assert "5\u202f%" in text
    assert "\u202f;" in text
    assert not re.search(r"[ \u00a0][;:!?»]", text), re.findall(r".{12}[ \u00a0][;:!?»]", text)
    font = register_fonts(document.fonts)[(False, False)]
    size = 10.0
    narrow = text_width("\u202f", RunFormat(font, size, 0.0, "#000000", None, 0.0))
    assert narrow == pytest.approx(size / 8, rel=0.01)  # an eighth of an em


# ---------------------------------------------------------------------------------------------
# Crowding, holes, quotes


def words_with_boxes(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    result = run_tool("pdftotext", "-bbox", pdf, "-")
    return [(float(x1), float(y1), float(x2), float(y2), text) for x1, y1, x2, y2, text in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                       r'yMax="([\d.]+)">([^<]*)</word>', result.stdout)]


@pytest.mark.tools
@pytest.mark.parametrize("audience_id", EXAMPLE_AUDIENCES)
def test_the_headline_keeps_its_air_on_a_packed_page(built_briefs: BuiltBriefs,
                                                     example_pages: dict[str, object],
                                                     audience_id: str) -> None:
    """Fitting never closes the gap under the headline: its lowest word stays clear of the
    deck's top (the French version once crowded its headline into the next line)."""
    view = example_pages[audience_id].view  # type: ignore[attr-defined]
    headline = str(view.context["brief"]["headline"]).split()
    deck = str(view.context["brief"]["deck"]).split()
    words = words_with_boxes(built_briefs.versions[("example", audience_id)].pdf)
    # The headline's last word, and the deck's first word just under it.
    headline_bottom = min((y1, y2) for _, y1, _, y2, text in words if text == headline[-1])[1]
    deck_top = min(y1 for _, y1, _, _, text in words
                   if text == deck[0] and y1 > headline_bottom - 8)
    assert deck_top - headline_bottom >= 1.5, (headline_bottom, deck_top)


def short_example(folder: Path) -> Path:
    """The example without its third ask and its second section: a length that once left a
    band of white about 25 mm high above the contact block."""
    shutil.copytree(EXAMPLE_SPEC.parent, folder)
    text = EXAMPLE_SPEC.read_text(encoding="utf-8").partition("\naudiences:\n")[0] + "\n"
    cut = text.index("  - heading:\n      en: What funding achieves")
    text = text[:cut] + text[text.index("\n# Contacts below"):]
    text = text[:text.index("  - headline:\n      en: Fund survivors")] + text[
        text.index("\nquotes:"):]
    spec = folder / "short.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec


@pytest.mark.tools
def test_a_short_brief_fills_its_page_evenly(tmp_path: Path) -> None:
    """Spare height goes to the gaps, and the columns end level: no band of white above the
    contact block (at most 15 mm, the DOCX's reserve included), no hole at the lower left."""
    spec = short_example(tmp_path / "briefs")
    report = run_specs([spec], BuildOptions(out=tmp_path / "out", jobs=1))
    [result] = report.built
    assert result.fit is not None and result.fit.spacing > 1.0, result.fit
    words = words_with_boxes(result.pdf)  # type: ignore[arg-type]
    contact_top = min(y1 for _, y1, _, _, text in words if text == "Contact:")
    body_bottom = max(y2 for _, _, _, y2, text in words if y2 < contact_top - 1)
    assert contact_top - body_bottom < 15 * 72 / 25.4, (body_bottom, contact_top)
    # The two columns end level: their last lines within a line of each other.
    middle = 42.52 + 510.24 * 0.63
    left = max(y2 for x1, _, _, y2, _ in words if x1 < middle and y2 < contact_top - 1)
    right = max(y2 for x1, _, _, y2, _ in words if x1 > middle and y2 < contact_top - 1)
    assert abs(left - right) < 14, (left, right)


@pytest.mark.tools
@pytest.mark.parametrize("audience_id", EXAMPLE_AUDIENCES)
def test_the_quote_has_its_own_heading(built_briefs: BuiltBriefs, audience_id: str) -> None:
    text = collapse_space(pdf_text(built_briefs.versions[("example", audience_id)].pdf))
    heading = {"ch": "TÉMOIGNAGE", "region": "ИЗ ПЕРВЫХ УСТ"}.get(audience_id, "IN THEIR WORDS")
    assert heading in text
    assert text.index(heading) < text.index("Ismayilova" if audience_id != "region"
                                            else "Исмайылова")


# ---------------------------------------------------------------------------------------------
# Key figures


FRENCH_FIGURE = replace_once(MINIMAL_TEXT, "  date: 2025-03-24\n",
                             "  date: 2025-03-24\n  language: fr\n") + (
    "stats:\n  - id: people\n    value: 270000000\n    format: compact\n    decimals: 0\n"
    "    prefix: 'plus de '\n    label: personnes touchées\n    source: gov\n"
    "sources:\n  - id: gov\n    title: Rapport\n    publisher: Ministère\n"
    "    date: 2025-01-27\n    url: https://example.org/report\n")


def paragraph_widths(document: Document) -> dict[int, float]:
    """The measure each paragraph is set at, by identity."""
    widths: dict[int, float] = {}

    def walk_blocks(blocks: tuple[object, ...], width: float) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                widths[id(block)] = width
            elif isinstance(block, Group):
                walk_blocks(block.blocks, width)
            elif isinstance(block, Row):
                for cell in block.cells:
                    walk_blocks(cell.blocks, cell.width - cell.padding[1] - cell.padding[3])

    walk_blocks(document.body, document.page.content_width)
    return widths


@pytest.mark.parametrize("prefix", ["plus de ", "jusqu’à ", "environ "])
def test_a_key_figure_breaks_between_words_never_inside_one(tmp_path: Path, prefix: str
                                                            ) -> None:
    """"plus de 270 millions" once printed as "plus de 270 milli / ons"."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(FRENCH_FIGURE.replace("'plus de '", repr(prefix)), encoding="utf-8")
    document = load_spec(spec)
    brief = validate_spec(document)
    template = load_template(brief.brief.template, spec)
    prepared = prepare_brief(brief, template, document, None)
    value = next(paragraph for paragraph in iter_paragraphs(prepared.document.body)
                 if paragraph.style == "stat-value")
    width = paragraph_widths(prepared.document)[id(value)]
    lines = ["".join(run.text for run in line.runs)
             for line in Layout(prepared.document, prepared.fit).laid(value, width).lines]
    assert " ".join(lines).replace("\u00a0", " ") == f"{prefix}270 millions", lines
    assert all(not line.endswith("-") for line in lines), lines


def test_fact_fields_are_all_checked_for_citations() -> None:
    """Sanity: the example cites figures from its texts (the tests above depend on it)."""
    spec = validate_spec(load_spec(EXAMPLE_SPEC))
    cites = [node for _, text in text_fields(spec) for node in walk(parse_inline(text))
             if isinstance(node, Cite)]
    assert len(cites) > 10


@pytest.mark.parametrize(("qualifier", "value", "shown"), [
    ("more than", 13, "plus de 13 %"),
    ("up to", 60, "jusqu’à 60 %"),
    ("about", 95.5, "environ 95,5 %"),
])
def test_a_key_figure_with_its_qualifier_is_set_on_one_line(tmp_path: Path, qualifier: str,
                                                            value: float, shown: str) -> None:
    """"more than" / "13%" across two lines looked broken: a key figure stays on one line,
    set smaller if need be (never below its style's floor), at its full size otherwise."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(FRENCH_FIGURE.replace("    value: 270000000\n    format: compact\n"
                                          "    decimals: 0\n    prefix: 'plus de '\n",
                                          f"    value: {value}\n    format: percent\n"
                                          f"    qualifier: {qualifier}\n"), encoding="utf-8")
    document = load_spec(spec)
    brief = validate_spec(document)
    template = load_template(brief.brief.template, spec)
    prepared = prepare_brief(brief, template, document, None)
    value_paragraph = next(paragraph for paragraph in iter_paragraphs(prepared.document.body)
                           if paragraph.style == "stat-value")
    width = paragraph_widths(prepared.document)[id(value_paragraph)]
    lines = ["".join(run.text for run in line.runs) for line in
             Layout(prepared.document, prepared.fit).laid(value_paragraph, width).lines]
    assert [line.replace("\u00a0", " ").replace("\u202f", " ") for line in lines] == [shown]


def test_a_key_figure_too_wide_for_one_line_breaks_after_its_qualifier() -> None:
    """Even at its smallest size: then the qualifier's words end the first line, and the
    figure (number and unit) stays whole on the next."""
    from briefgen.document import Span
    from briefgen.layout import fit_wide_words

    document = load_spec(EXAMPLE_SPEC)
    spec = validate_spec(document)
    template = load_template(spec.brief.template, EXAMPLE_SPEC)
    page = prepare_brief(spec, template, document, 0).document
    figure = "environ 1\u00a0500\u00a0000\u00a0000\u00a0km²"
    narrow = Row((Cell((Paragraph("stat-value", (Span(figure),)),), 120.0),))
    fitted = fit_wide_words(page._replace(body=(narrow,)))
    paragraph = next(iter_paragraphs(fitted.body))
    lines = ["".join(run.text for run in line.runs)
             for line in Layout(fitted, Fit()).laid(paragraph, 120.0).lines]
    assert lines == ["environ", "1\u00a0500\u00a0000\u00a0000\u00a0km²"]


# ---------------------------------------------------------------------------------------------
# Draft and version lines, and the ask's amount, in both files


def docx_text(path: Path) -> str:
    from docx import Document as WordDocument

    word = WordDocument(str(path))
    paragraphs = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += [paragraph.text for paragraph in cell.paragraphs]
                for inner in cell.tables:
                    for inner_row in inner.rows:
                        for inner_cell in inner_row.cells:
                            paragraphs += [paragraph.text for paragraph in inner_cell.paragraphs]
    # Word joiners (U+2060) keep a range or an address together and are not seen.
    return collapse_space(" ".join(paragraphs).replace("\u2060", ""))


@pytest.mark.tools
def test_a_draft_says_so_at_the_top_of_both_files_and_in_the_pdf_title(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(replace_once(MINIMAL_TEXT, "  date: 2025-03-24\n",
                                 "  date: 2025-03-24\n  version: 4\n")
                    + "quotes:\n  - text: We want to go home.\n    speaker: A resident\n"
                    "audiences:\n  - id: ru\n    name: делегации Казахстана\n    language: ru\n",
                    encoding="utf-8")
    report = run_specs([spec], BuildOptions(out=tmp_path / "out", force=True))
    (built,) = report.built
    assert built.pdf is not None and built.docx is not None
    pdf_words = collapse_space(pdf_text(built.pdf))
    assert "Проект – не для распространения · Подготовлено для делегации Казахстана" in pdf_words
    assert "Дата: 24 марта 2025 г. · версия 4" in pdf_words.replace("\u202f", " ")
    docx_words = docx_text(built.docx)
    assert "Проект – не для распространения · Подготовлено для делегации Казахстана" in docx_words
    assert "версия 4" in docx_words
    info = run_tool("pdfinfo", built.pdf).stdout
    assert re.search(r"^Title:\s+Проект – не для распространения: Clearance lets", info,
                     re.MULTILINE), info


@pytest.mark.tools
def test_the_example_s_ask_amount_is_on_both_files_of_the_eu_version(
        built_briefs: BuiltBriefs) -> None:
    built = built_briefs.versions[("example", "eu")]
    line = "We ask €4.25 million · 2026–2028 · via the UNDP/ANAMA project"
    assert line in collapse_space(pdf_text(built.pdf))
    assert line in docx_text(built.docx)
    assert "Draft" not in pdf_text(built.pdf)  # the example is ready to circulate
