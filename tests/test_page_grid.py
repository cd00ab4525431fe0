"""The page's grid and rhythm, measured on the PDFs the way a designer measures a proof:
frames padded alike above and below, the delegation's line on the key figures' edge, gaps
before headings within one range, spare height shared among gaps and reported when it cannot
be, no white band above the footer, balanced masthead lines.

Positions come from the PDF's own content (pypdf reads the frames drawn and where each line
of text starts and sits) and capitals and descenders from the font files (fontTools), so the
measurements do not depend on briefgen's layout code.
"""

from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import yaml
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefgen.compose import compose_document
from briefgen.document import (
    MM_PER_POINT,
    Block,
    Cell,
    Document,
    Fit,
    Paragraph,
    Row,
    Spacer,
    Span,
)
from briefgen.engine.batch import BuildOptions, run_specs
from briefgen.layout import STRETCH_LIMIT, Layout, balance_lines, measure_arranged
from briefgen.layout.fit import fit_for
from briefgen.resolve.view import resolve_brief
from briefgen.spec.includes import load_spec
from briefgen.spec.validate import validate_spec
from briefgen.template import load_template
from briefgen.template.base_document import docx_reserve
from tests.support import EXAMPLE_SPEC, ROOT, SPECS, BuiltBriefs

EXAMPLE_AUDIENCES = ["eu", "us", "be", "ch", "region"]
FONTS = ROOT / "src" / "briefgen" / "fonts"
MM = 1 / MM_PER_POINT


@cache
def font_metrics(bold: bool) -> tuple[float, float]:
    """Cap height and descender depth of Carlito, in em, from the font file."""
    font = TTFont(FONTS / f"Carlito-{'Bold' if bold else 'Regular'}.ttf")
    units = font["head"].unitsPerEm
    return font["OS/2"].sCapHeight / units, -font["OS/2"].sTypoDescender / units


@dataclass(frozen=True)
class Line:
    """A run of text as the PDF places it: where it starts, its baseline, size, font."""

    x: float
    baseline: float
    size: float
    font: str
    text: str

    @property
    def cap_top(self) -> float:
        return self.baseline + font_metrics("Bold" in self.font)[0] * self.size

    @property
    def descender(self) -> float:
        return self.baseline - font_metrics("Bold" in self.font)[1] * self.size


@dataclass(frozen=True)
class Frame:
    x: float
    bottom: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.bottom + self.height

    def holds(self, line: Line) -> bool:
        return (self.x <= line.x <= self.x + self.width
                and self.bottom < line.baseline < self.top)


def printed(pdf: Path) -> tuple[list[Frame], list[Line]]:
    """The frames (filled or outlined rectangles wider than 100 pt holding text) and the
    lines of text of a one-page PDF; source markers (under 8 pt) are left out."""
    page = PdfReader(pdf).pages[0]
    rectangles: list[Frame] = []
    lines: list[Line] = []

    def operator(op: bytes, args: list[object], cm: list[float], tm: list[float]) -> None:
        if op == b"re":
            x, y, width, height = (float(value) for value in args)  # type: ignore[arg-type]
            if width > 100 and height > 30:
                rectangles.append(Frame(x + cm[4], y + cm[5], width, height))

    def text(content: str, cm: list[float], tm: list[float], font: dict[str, object] | None,
             size: float) -> None:
        if content.strip() and size >= 8:
            lines.append(Line(tm[4] + cm[4], tm[5] + cm[5], size,
                              str((font or {}).get("/BaseFont", "")), content))

    page.extract_text(visitor_operand_before=operator, visitor_text=text)
    frames = [frame for frame in rectangles if any(frame.holds(line) for line in lines)]
    return frames, lines


def built_pdf(built_briefs: BuiltBriefs, audience_id: str) -> Path:
    return built_briefs.versions[("example", audience_id)].pdf


# ---------------------------------------------------------------------------------------------
# Padding and grid


@pytest.mark.parametrize("audience_id", EXAMPLE_AUDIENCES)
def test_framed_boxes_are_padded_alike_above_and_below(built_briefs: BuiltBriefs,
                                                       audience_id: str) -> None:
    """The asks panel and the key figures box: from the frame to the capitals of the first
    line, and from the descenders of the last line to the frame, the same (the legend once
    touched the box's frame, 1 pt under its descenders against 12 pt above the heading)."""
    frames, lines = printed(built_pdf(built_briefs, audience_id))
    assert len(frames) == 2, frames
    for frame in frames:
        inside = [line for line in lines if frame.holds(line)]
        first = max(inside, key=lambda line: (line.baseline, line.size))
        last = min(inside, key=lambda line: (line.baseline, -line.size))
        top = frame.top - first.cap_top
        bottom = last.descender - frame.bottom
        assert abs(top - bottom) <= 0.5, (frame, first.text, top, last.text, bottom)
        assert min(top, bottom) >= 2 * MM, (top, bottom)


@pytest.mark.parametrize("audience_id", EXAMPLE_AUDIENCES)
def test_the_delegations_line_starts_where_the_key_figures_do(built_briefs: BuiltBriefs,
                                                              audience_id: str) -> None:
    """The thank-you beside the bottom line sits on the key figures' left edge, in every
    version (it was 1.8 mm off in English, 9 mm in Russian and 14.4 mm in French)."""
    frames, lines = printed(built_pdf(built_briefs, audience_id))
    box = max(frames, key=lambda frame: frame.x)
    side_note = [line for line in lines if "Italic" in line.font and line.baseline > box.top
                 and line.x > box.x - 50]
    assert side_note
    assert {round(line.x - box.x, 1) for line in side_note} == {0.0}


def heading_gaps(pdf: Path) -> list[tuple[str, float]]:
    """Each section heading outside the frames, with the white above it: from the lowest
    descender or frame bottom above it in its column to the heading's capitals."""
    frames, lines = printed(pdf)
    middle = max(frames, key=lambda frame: frame.x).x
    gaps = []
    for heading in lines:
        # Section headings are set at 8.5 to 9 pt; the sources' heading, at 8, is the footer's.
        if not ("Bold" in heading.font and heading.text.isupper() and len(heading.text) > 3
                and 8.4 <= heading.size < 9.5) or any(frame.holds(heading) for frame in frames):
            continue
        column = ((lambda x: x >= middle - 1) if heading.x >= middle - 1
                  else (lambda x: x < middle - 1))
        above = [line.descender for line in lines
                 if column(line.x) and line.baseline > heading.baseline + 1]
        above += [frame.bottom for frame in frames
                  if column(frame.x) and frame.bottom > heading.baseline]
        if above:
            gaps.append((heading.text, min(above) - heading.cap_top))
    return gaps


@pytest.mark.parametrize("audience_id", EXAMPLE_AUDIENCES)
def test_gaps_before_headings_keep_one_rhythm(built_briefs: BuiltBriefs,
                                              audience_id: str) -> None:
    """Never less than a fixed minimum, and spare height shared among a column's gaps
    rather than dumped before one heading (once 10 pt before one heading and 31 pt, a 9 mm
    hole, before the next on the same page)."""
    gaps = heading_gaps(built_pdf(built_briefs, audience_id))
    assert len(gaps) >= 3, gaps
    heights = [gap for _, gap in gaps]
    assert min(heights) >= 3.5 * MM, gaps
    assert max(heights) <= 2 * min(heights), gaps


# ---------------------------------------------------------------------------------------------
# Spare height


def row_with_a_short_column(spare_gaps: int) -> tuple[Document, Cell]:
    """A two-column row whose left column (paragraphs between spacers) is far shorter than
    its right one, on the one-pager's page and styles."""
    from briefgen.spec.loader import load_yaml
    from tests.support import MINIMAL_SPEC

    document = load_yaml(MINIMAL_SPEC)
    spec = validate_spec(document)
    template = load_template(spec.brief.template, MINIMAL_SPEC)
    page = compose_document(resolve_brief(spec, template, document, None), template,
                            document.locate)
    left: list[Block] = [Paragraph("body", (Span("Families want to go home."),))]
    for _ in range(spare_gaps):
        left += [Spacer(12.0, 6.0), Paragraph("body", (Span("Families want to go home."),))]
    row = Row((Cell(tuple(left), 300.0, valign="spread"), Cell((Spacer(2000.0),), 200.0)))
    return page._replace(body=(row,)), row.cells[0]


def test_a_short_column_shares_its_spare_height_among_its_gaps_up_to_a_limit() -> None:
    """Every gap of the short column grows in proportion to its designed height, none past
    twice it; what they cannot take is white under the column, and the fit says so."""
    document, cell = row_with_a_short_column(spare_gaps=3)
    layout = Layout(document, Fit(spacing=0.5))
    layout.blocks_height(document.body, document.page.content_width)
    spacers = [block for block in cell.blocks if isinstance(block, Spacer)]
    heights = [layout.spacer_height(spacer) for spacer in spacers]
    assert heights == [STRETCH_LIMIT * 12.0] * 3  # alike, each at its limit
    paragraphs = [block for block in cell.blocks if isinstance(block, Paragraph)][:-1]
    designed = document.styles["body"].space_after
    assert all(layout.after(paragraph) == pytest.approx(STRETCH_LIMIT * designed)
               for paragraph in paragraphs)
    white = layout.white_under_columns()
    assert white is not None and white[0] == "left column" and white[1] > 800
    fit = Fit(spacing=0.5, short_column=white[0], short_by=white[1])
    assert fit.summary().endswith(f"left column ends {white[1] * MM_PER_POINT:.0f} mm short")


def test_spare_height_is_shared_in_proportion_when_the_gaps_can_take_it() -> None:
    document, cell = row_with_a_short_column(spare_gaps=2)
    right = Spacer(0.0)
    natural = Layout(document, Fit()).cell_height(cell)
    row = document.body[0]
    assert isinstance(row, Row)
    taller = row._replace(cells=(cell, Cell((right._replace(height=natural + 10.0),), 200.0)))
    document = document._replace(body=(taller,))
    layout = Layout(document, Fit())
    layout.blocks_height(document.body, document.page.content_width)
    grown = [layout.extra.get(id(block), 0.0) for block in cell.blocks[:-1]]
    assert sum(grown) == pytest.approx(10.0)
    designed = [12.0 if isinstance(block, Spacer) else document.styles["body"].space_after
                for block in cell.blocks[:-1]]
    assert [round(extra / weight, 6) for extra, weight in zip(grown, designed, strict=True)
            ] == [round(grown[0] / designed[0], 6)] * len(grown)  # one rate for every gap
    assert layout.white_under_columns() is None


def short_example(folder: Path, *, quotes: bool) -> Path:
    """The example with two asks and no sections (and, unless `quotes`, no quote): a main
    column far shorter than its key figures."""
    shutil.copytree(EXAMPLE_SPEC.parent, folder)
    data = yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))
    data["audiences"] = [audience for audience in data["audiences"] if audience["id"] == "eu"]
    data["audiences"][0].pop("sections", None)
    data["asks"] = data["asks"][:2]
    data["sections"] = []
    if not quotes:
        data["quotes"] = []
    spec = folder / "short.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return spec


@pytest.mark.tools
def test_white_a_short_column_cannot_fill_is_reported_in_the_summary(tmp_path: Path) -> None:
    """The build summary says how much white stays under the shorter column, and the page
    shows that much (it once said "spacing -50%" over a 95 mm band of white)."""
    spec = short_example(tmp_path / "briefs", quotes=False)
    report = run_specs([spec], BuildOptions(out=tmp_path / "out", jobs=1))
    [result] = report.built
    assert result.fit is not None and result.fit.short_column == "left column", result.fit
    described = result.fit.summary()
    shown = float(described.rsplit("ends ", 1)[1].split(" mm")[0])
    frames, _ = printed(result.pdf)  # type: ignore[arg-type]
    panel = min(frames, key=lambda frame: frame.x)
    box = max(frames, key=lambda frame: frame.x)
    assert abs((panel.bottom - box.bottom) * MM_PER_POINT - shown) <= 1.0, (described,
                                                                          panel, box)


@pytest.mark.tools
def test_a_quote_moves_under_a_short_main_column(tmp_path: Path) -> None:
    """With no sections, the main column holds the asks alone: the quote goes under them
    rather than leave a band of white there, and no white is left to report."""
    spec = short_example(tmp_path / "briefs", quotes=True)
    report = run_specs([spec], BuildOptions(out=tmp_path / "out", jobs=1))
    [result] = report.built
    frames, lines = printed(result.pdf)  # type: ignore[arg-type]
    panel = min(frames, key=lambda frame: frame.x)
    quote = [line for line in lines if "Ismayilova" in line.text]
    assert quote and all(line.x < panel.x + panel.width for line in quote)
    assert result.fit is not None and result.fit.short_by < 5 * MM, result.fit


# ---------------------------------------------------------------------------------------------
# Free space before smaller type


def test_the_pdf_fills_its_page_before_any_type_is_made_smaller(
        example_pages: dict[str, object]) -> None:
    """No band of white above the footer: the PDF's height is used, on larger type first,
    then on its gaps; the DOCX keeps its reserve for word processors (so its type may be a
    step smaller, never larger)."""
    for audience_id, prepared in example_pages.items():
        fit: Fit = prepared.fit  # type: ignore[attr-defined]
        docx_fit: Fit = prepared.docx_fit  # type: ignore[attr-defined]
        assert fit.slack <= 3.0, (audience_id, fit)  # under a quarter of a line of text
        assert fit.type_scale >= docx_fit.type_scale, (audience_id, fit, docx_fit)


@pytest.mark.parametrize("audience_id", EXAMPLE_AUDIENCES)
def test_the_columns_end_a_little_above_the_footer(built_briefs: BuiltBriefs,
                                                   audience_id: str) -> None:
    """Air above the footer's rule, but no band: it was 9 to 11 mm, kept free for the DOCX,
    while the Russian bottom line was set a point smaller."""
    pdf = built_pdf(built_briefs, audience_id)
    page = PdfReader(pdf).pages[0]
    rules: list[float] = []

    def operator(op: bytes, args: list[object], cm: list[float], tm: list[float]) -> None:
        if op == b"l":  # a line to: the footer's rule runs across the content
            rules.append(float(args[1]) + cm[5])  # type: ignore[arg-type]

    page.extract_text(visitor_operand_before=operator)
    _, lines = printed(pdf)
    contact = max(line.baseline for line in lines if line.text.startswith(("Contact", "Конт")))
    rule = min(y for y in rules if y > contact)
    column_end = min(line.descender for line in lines if line.baseline > rule)
    assert 2.5 * MM <= column_end - rule <= 6 * MM, (column_end - rule) * MM_PER_POINT


@pytest.fixture(scope="module")
def example_pages() -> dict[str, object]:
    from tests.test_page import prepared_example

    return prepared_example()


# ---------------------------------------------------------------------------------------------
# Shortening a text never makes the page longer


FIT_VARIANT = SPECS / "sindh-clinics" / "fit-variant.yaml"


def overflow_at_the_tightest(spec_path: Path, audience_id: str) -> float:
    """How far the version runs over at the tightest fit, as fitting measures it (with the
    DOCX's reserve)."""
    document = load_spec(spec_path)
    spec = validate_spec(document)
    template = load_template(spec.brief.template, spec_path)
    index = [audience.id for audience in spec.audiences].index(audience_id)
    view = resolve_brief(spec, template, document, index)
    page = balance_lines(compose_document(view, template, document.locate))
    fit = fit_for(1.0, template.design.fit.min_spacing, template.design.fit.min_type_scale)
    return measure_arranged(page, fit).overflow + docx_reserve(template, page.page)


@pytest.mark.parametrize(("spec", "audience_id", "field"), [
    (FIT_VARIANT, "fr", ("charts", 0, "title", "fr")),
    (FIT_VARIANT, "fr", ("sources", 2, "short", "fr")),
    (FIT_VARIANT, "fr", ("quotes", 0, "role", "fr")),
    (EXAMPLE_SPEC, "ch", ("asks", 0, "detail", "fr")),
])
def test_shortening_a_text_never_makes_the_page_longer(
        tmp_path: Path, spec: Path, audience_id: str, field: tuple[object, ...]) -> None:
    """A French chart title cut from "... nos centres partenaires" to "... nos centres"
    once took the page from 11 to 21 pt too long: the columns were balanced as designed,
    not at the fit the page needed (and a Swiss ask cut by a word once made its page 6 pt
    longer: the quote was not tried under the main column)."""
    shutil.copytree(spec.parent, tmp_path / "briefs")
    spec_path = tmp_path / "briefs" / spec.name
    data = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    holder = data
    for key in field[:-1]:
        holder = holder[key]  # type: ignore[index]
    words = str(holder[field[-1]]).split()  # type: ignore[index]
    overflows = []
    for count in range(max(1, len(words) - 8), len(words) + 1):
        holder[field[-1]] = " ".join(words[:count])  # type: ignore[index]
        spec_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        overflows.append(round(overflow_at_the_tightest(spec_path, audience_id), 1))
    assert all(longer >= shorter - 0.5
               for shorter, longer in itertools.pairwise(overflows)), overflows


# ---------------------------------------------------------------------------------------------
# Masthead


def test_a_long_meeting_name_in_the_masthead_gets_balanced_lines(tmp_path: Path) -> None:
    """"…pour la santé maternelle / au Sindh" left two words alone on the second line: the
    masthead's lines are balanced as the headline's are, in both files (an indent)."""
    document = load_spec(FIT_VARIANT)
    spec = validate_spec(document)
    template = load_template(spec.brief.template, FIT_VARIANT)
    index = [audience.id for audience in spec.audiences].index("fr")
    page = balance_lines(compose_document(resolve_brief(spec, template, document, index),
                                          template, document.locate))
    layout = Layout(page, Fit())
    masthead = page.body[0]
    assert isinstance(masthead, Row)
    meta = masthead.cells[-1]
    [meeting] = [block for block in meta.blocks if isinstance(block, Paragraph)
                 and "santé maternelle" in "".join(span.text for span in block.spans)]
    assert meeting.indent_left > 0
    lines = layout.laid(meeting, meta.width - meta.padding[1] - meta.padding[3]).lines
    widths = [line.width for line in lines]
    assert len(widths) == 2 and min(widths) >= 0.7 * max(widths), widths


def test_balanced_lines_keep_half_an_em_to_spare_for_word_processors() -> None:
    """At the exact narrowest measure, LibreOffice broke a balanced headline into three lines
    where the PDF had two, and the DOCX ran onto a second page."""
    document = load_spec(EXAMPLE_SPEC)
    spec = validate_spec(document)
    template = load_template(spec.brief.template, EXAMPLE_SPEC)
    index = [audience.id for audience in spec.audiences].index("region")
    page = balance_lines(compose_document(resolve_brief(spec, template, document, index),
                                          template, document.locate))
    [headline] = [block for block in page.body
                  if isinstance(block, Paragraph) and block.role == "H1"]
    layout = Layout(page, Fit())
    width = page.page.content_width
    laid = layout.laid(headline, width)
    style = layout.styles[headline.style]
    assert len(laid.lines) == len(layout.laid(headline._replace(indent_right=0.0), width).lines)
    assert headline.indent_right > 0
    assert max(line.width for line in laid.lines) <= laid.text_width - style.font_size / 2 + 0.01
