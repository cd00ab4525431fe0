"""Charts: the spec, the rules of `check`, the values as each language prints them, the
description a screen reader hears, the geometry (labels legible and apart), and both files."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner, Result

from briefgen.cli import app
from briefgen.compose import iter_paragraphs
from briefgen.document import Chart, ChartSeries, Fit, ParagraphStyle
from briefgen.layout import chart_height
from briefgen.layout.chart_shapes import Box, ChartShapes, Dot, Label, Stroke
from briefgen.layout.charts import chart_heights, draw_chart
from briefgen.layout.fonts import font_family
from briefgen.render.docx_chart import chart_workbook, chart_xml, excel_number_format
from briefgen.render.pdf_chart import draw_chart_shapes
from briefgen.spec.validate import validate_spec
from tests.support import MINIMAL_TEXT, Resolve, pdf_text, replace_once

runner = CliRunner()

# Figures, sources and two charts that pass every rule: a part-of-whole bar built from stats
# and a column chart of values typed in the chart, with their source and date.
CHARTS = """stats:
  - id: own-share
    value: 95
    format: percent
    qualifier: about
    label: of the budget from the Government
    source: agency
    as_of: 2023-11-28
    featured: false
  - id: donor-share
    value: 5
    format: percent
    qualifier: about
    label: of the budget from donors
    source: agency
    as_of: 2023-11-28
    featured: false
sources:
  - id: agency
    title: Who funds mine action
    publisher: National Mine Action Agency
    short: ANAMA
    date: 2023-11-28
    url: https://example.org/agency
  - id: ministry
    title: Casualty report
    publisher: Ministry
    date: 2025-01-10
    url: https://example.org/ministry
charts:
  - id: who-pays
    type: stacked
    title: Who pays for mine action
    categories: [Government, {en: International donors, fr: Bailleurs internationaux, ru: Доноры}]
    series:
      - stats: [own-share, donor-share]
  - id: casualties
    type: column
    title: {en: Mine casualties, fr: Victimes des mines, ru: Жертвы мин}
    categories: ["2021", "2022", "2023", "2024"]
    series:
      - values: [145, 63, 51, 41]
        source: ministry
        as_of: 2024-12-31
"""
BASE = MINIMAL_TEXT + CHARTS


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        text = replace_once(text, old, new)
    return text


def line_of(text: str, needle: str) -> int:
    """The line (from 1) on which `needle` starts; it must occur once."""
    assert text.count(needle) == 1, needle
    return text[:text.index(needle)].count("\n") + 1


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Result]:
    monkeypatch.chdir(tmp_path)

    def run(text: str) -> Result:
        Path("spec.yaml").write_text(text, encoding="utf-8")
        return runner.invoke(app, ["check", "spec.yaml"])

    return run


def problem_lines(result: Result) -> list[str]:
    return [line for line in result.stdout.splitlines() if not line.startswith("    ")]




def charts_in(blocks: tuple[object, ...]) -> list[Chart]:
    found: list[Chart] = []
    for block in blocks:
        if isinstance(block, Chart):
            found.append(block)
        for child in getattr(block, "blocks", ()) or ():
            found += charts_in((child,))
        for cell in getattr(block, "cells", ()) or ():
            found += charts_in(cell.blocks)
    return found


# ---------------------------------------------------------------------------------------------
# The spec and `check`


def test_the_base_spec_passes_every_rule(check: Callable[[str], Result]) -> None:
    result = check(BASE)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


AUDIENCE = "audiences:\n  - id: fr\n    name: Délégation\n    language: fr\n"

# (case id, spec text, needle on the reported line, "rule: field: message" after the location)
RULES: list[tuple[str, str, str, str]] = [
    ("undated value",
     edit(BASE, ("        source: ministry\n        as_of: 2024-12-31\n",
                 "        source: undated\n"),
          ("sources:\n", "sources:\n  - id: undated\n    title: Report\n    publisher: NGO\n"
                         "    url: https://example.org/ngo\n")),
     "      - values: [145",
     "chart-source: charts 'casualties'.series[0]: a plotted value has no date: neither it "
     "nor its source 'undated' says when"),
    ("value without a source",
     edit(BASE, ("        source: ministry\n", "")),
     "      - values: [145",
     "chart-source: charts 'casualties'.series[0]: a plotted value has no source"),
    ("value dated after the brief",
     edit(BASE, ("        as_of: 2024-12-31", "        as_of: 2025-06-30")),
     "        as_of: 2025-06-30",
     "anachronism: charts 'casualties'.series[0].as_of: dated 2025-06-30, after the brief "
     "itself (2025-03-24)"),
    ("fewer than two points",
     edit(BASE, ('    categories: ["2021", "2022", "2023", "2024"]', '    categories: ["2024"]'),
          ("      - values: [145, 63, 51, 41]", "      - values: [41]")),
     '    categories: ["2024"]',
     "chart-points: charts 'casualties'.categories: the chart 'casualties' has fewer than two "
     "points: one number needs no chart"),
    ("mixed units",
     edit(BASE, ("    value: 5\n    format: percent\n", "    value: 5\n    format: count\n")),
     "      - stats: [own-share, donor-share]",
     "chart-units: charts 'who-pays'.series[0].stats[1]: donor-share is count, but own-share is "
     "percent: one chart plots one unit"),
    ("negative part",
     edit(BASE, ("    value: 5\n", "    value: -5\n")),
     "      - stats: [own-share, donor-share]",
     "chart-negative: charts 'who-pays'.series[0].stats[1]: a part of a whole cannot be "
     "negative (-5)"),
    ("parts over 100%",
     edit(BASE, ("    value: 5\n", "    value: 15\n")),
     "      - stats: [own-share, donor-share]",
     "chart-total: charts 'who-pays'.series[0].stats: the parts add up to 110%, more than the "
     "whole"),
    ("duplicate id between a stat and a chart",
     edit(BASE, ("  - id: casualties\n", "  - id: own-share\n")),
     "  - id: own-share\n    type: column",
     "duplicate-id: charts 'own-share'.id: duplicate id 'own-share' (also defined at line 19)"),
    ("unknown stat in a series",
     edit(BASE, ("[own-share, donor-share]", "[own-share, donors-share]")),
     "      - stats: [own-share, donors-share]",
     "unknown-figure: charts 'who-pays'.series[0].stats[1]: no figure with id 'donors-share' in "
     "stats (known: own-share, donor-share)"),
    ("one value per category",
     edit(BASE, ("[145, 63, 51, 41]", "[145, 63, 51]")),
     "      - values: [145, 63, 51]",
     "invalid-value: charts 'casualties'.series[0].values: 3 values for 4 categories"),
    ("unknown chart cited",
     edit(BASE, ("We ask donors", "See [@who-paid]. We ask donors")),
     "summary:",
     "unknown-figure: summary: no figure with id 'who-paid' in stats (known: own-share, "
     "donor-share, who-pays, casualties)"),
]


@pytest.mark.parametrize(("text", "needle", "expected"),
                         [case[1:] for case in RULES], ids=[case[0] for case in RULES])
def test_each_chart_rule_is_located(check: Callable[[str], Result], text: str, needle: str,
                                    expected: str) -> None:
    result = check(text)
    assert result.exit_code == 1, result.output
    lines = [line for line in problem_lines(result) if "error:" in line]
    assert lines, result.output
    location, _, message = lines[0].partition(": error: ")
    assert message == expected
    assert location.startswith(f"spec.yaml:{line_of(text, needle)}:")


def test_a_hidden_chart_cited_by_a_delegation_is_an_error(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.chdir(tmp_path)
    text = edit(BASE, ("We ask donors", "Donors pay little [@who-pays]. We ask donors")) + (
        "audiences:\n  - id: us\n    name: US delegation\n    charts: [casualties]\n")
    Path("spec.yaml").write_text(text, encoding="utf-8")
    built = runner.invoke(app, ["build", "spec.yaml", "-o", "out"])
    assert built.exit_code == 1
    column = 1 + len("summary: Landmines still block the way home for many families. Donors pay "
                     "little ")
    assert (f"spec.yaml:{line_of(text, 'summary:')}:{column}: summary: cites the chart "
            "'who-pays', which the version for us does not show\n"
            "    hint: list who-pays in the charts: of audience us, or give that audience its own "
            "summary: without the citation (a shared text is printed on every version)"
            ) in built.output


# ---------------------------------------------------------------------------------------------
# Values, citations and the description, per language


def test_values_follow_the_stats_and_the_page_language(resolve: Resolve) -> None:
    """Each value as the page prints it, its qualifier in the page's words; the description
    in the page's punctuation (French sets a narrow space before : and ;)."""
    text = BASE + AUDIENCE + "  - id: ru\n    name: Делегация\n    language: ru\n"
    english = resolve(text)[0].charts["who-pays"]
    assert english.series[0].labels == ("about 95%", "about 5%")
    assert english.description == (
        "Stacked bar chart: Who pays for mine action: Government about 95%; International "
        "donors about 5% (ANAMA, 28 November 2023)")
    french = resolve(text, 0)[0].charts["who-pays"]
    assert french.series[0].labels == ("environ 95\u00a0%", "environ 5\u00a0%")
    assert french.description == (
        "Barre empilée\u202f: Who pays for mine action\u202f: Government environ 95\u202f%"
        "\u202f; Bailleurs internationaux environ 5\u202f% (ANAMA, 28 novembre 2023)")
    russian = resolve(text, 1)[0].charts
    assert russian["who-pays"].series[0].labels == ("около 95\u00a0%", "около 5\u00a0%")
    assert russian["casualties"].description.startswith(
        "Гистограмма: Жертвы мин: 2021 145; 2022 63;")


def test_a_description_names_the_measure_the_unit_and_each_source_once(resolve: Resolve
                                                                       ) -> None:
    """The alternative text says what is measured (the subtitle), each value with its unit
    and qualifier, and each source once, with the dates its values refer to (it named the
    same source once per date)."""
    text = replace_once(BASE, "  date: 2025-03-24\n", "  date: 2025-03-24\n  language: fr\n") + (
        "  - id: area\n    type: column\n    title: {fr: Terres dépolluées}\n"
        "    subtitle: {fr: Surface par an}\n    qualifier: about\n    suffix: \" m²\"\n"
        "    categories: [\"2022\", \"2023\", \"2024\"]\n    series:\n"
        "      - points:\n"
        "          - {value: 1200, source: ministry, as_of: 2022-12-31}\n"
        "          - {value: 1500, source: ministry, as_of: 2023-12-31}\n"
        "          - {value: 1800, source: ministry, as_of: 2024-12-31}\n")
    chart = resolve(text)[0].charts["area"]
    assert chart.series[0].labels == ("environ 1\u00a0200\u00a0m²", "environ 1\u00a0500\u00a0m²",
                                      "environ 1\u00a0800\u00a0m²")
    assert chart.description == (
        "Histogramme\u202f: Terres dépolluées (Surface par an)\u202f: 2022 environ 1\u202f200 m²"
        "\u202f; 2023 environ 1\u202f500 m²\u202f; 2024 environ 1\u202f800 m² (Ministry, 31 décembre "
        "2022, 31 décembre 2023, 31 décembre 2024)")


@pytest.mark.parametrize(("language", "counts", "compact"), [
    ("en", ("1,500,000", "2,500"), "1.5\u00a0million"),
    ("fr", ("1\u00a0500\u00a0000", "2\u00a0500"), "1,5\u00a0million"),
    ("ru", ("1\u00a0500\u00a0000", "2\u00a0500"), "1,5\u00a0млн"),
])
def test_a_chart_in_french_and_russian_number_formats(resolve: Resolve, language: str,
                                                      counts: tuple[str, ...], compact: str
                                                      ) -> None:
    text = replace_once(BASE, "  date: 2025-03-24\n",
                        f"  date: 2025-03-24\n  language: {language}\n") + (
        "  - id: landmines\n    type: bar\n    title: Landmines\n"
        "    categories: [North, South]\n    series:\n"
        "      - points:\n          - {value: 1500000, source: ministry}\n"
        "          - {value: 2500, source: ministry}\n"
        "  - id: big\n    type: bar\n    title: Landmines\n    format: compact\n"
        "    categories: [North, South]\n    series:\n"
        "      - {values: [1500000, 2500000], source: ministry, as_of: 2025-01-01}\n")
    view, document = resolve(text)
    assert view.charts["landmines"].series[0].labels == counts
    assert view.charts["big"].series[0].labels[0] == compact
    drawn = next(block for block in charts_in(document.body) if block.kind == "bar")
    # The French page sets narrow no-break spaces inside numbers, as in its sentences.
    expected = tuple(label.replace("\u00a0", "\u202f") if language == "fr" else label
                     for label in counts)
    assert drawn.series[0].labels == expected


def test_a_chart_is_cited_as_see_chart_in_the_page_language(resolve: Resolve) -> None:
    text = edit(BASE, ("We ask donors", "Donors pay little [@who-pays]. We ask donors")) + AUDIENCE
    for index, words in ((None, "Donors pay little (see chart)."),
                         (0, "Donors pay little (voir le graphique).")):
        _, document = resolve(text, index)
        summary = next(paragraph for paragraph in iter_paragraphs(document.body)
                       if paragraph.origin == "summary")
        assert words in "".join(span.text for span in summary.spans)


def test_a_chart_title_carries_the_markers_of_its_sources(resolve: Resolve) -> None:
    _, document = resolve(BASE)
    titles = [paragraph for paragraph in iter_paragraphs(document.body)
              if paragraph.style == "chart-title"]
    assert ["".join(span.text for span in title.spans if not span.reference)
            for title in titles] == ["Who pays for mine action", "Mine casualties"]
    assert [[span.reference for span in title.spans if span.reference] for title in titles] == [
        ["agency"], ["ministry"]]
    notes = [paragraph.note for paragraph in iter_paragraphs(document.footer) if paragraph.note]
    assert notes == ["agency", "ministry"]


def test_a_delegation_picks_its_charts(resolve: Resolve) -> None:
    text = BASE + "audiences:\n  - id: us\n    name: US\n    charts: [casualties]\n" \
                  "  - id: none\n    name: None\n    charts: []\n"
    assert [chart.kind for chart in charts_in(resolve(text, 0)[1].body)] == ["column"]
    assert charts_in(resolve(text, 1)[1].body) == []
    assert [chart.kind for chart in charts_in(resolve(text)[1].body)] == ["stacked", "column"]


def test_charts_can_live_in_a_fact_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    from briefgen.spec.includes import load_spec

    monkeypatch.chdir(tmp_path)
    Path("facts").mkdir()
    Path("facts/charts.yaml").write_text(CHARTS, encoding="utf-8")
    Path("spec.yaml").write_text(replace_once(
        MINIMAL_TEXT, "  date: 2025-03-24\n",
        "  date: 2025-03-24\n  include: [facts/charts.yaml]\n"), encoding="utf-8")
    spec = validate_spec(load_spec(Path("spec.yaml")))
    assert [chart.id for chart in spec.charts] == ["who-pays", "casualties"]
    broken = CHARTS.replace("[own-share, donor-share]", "[own-share, nope]")
    Path("facts/charts.yaml").write_text(broken, encoding="utf-8")
    result = runner.invoke(app, ["check", "spec.yaml"])
    assert result.exit_code == 1
    line = line_of(broken, "      - stats: [own-share, nope]")
    assert f"facts/charts.yaml:{line}:" in result.stdout
    assert "unknown-figure: charts 'who-pays'.series[0].stats[1]" in result.stdout


# ---------------------------------------------------------------------------------------------
# Geometry: legible, apart, inside the box


STYLE = ParagraphStyle(name="chart-label", font_size=8, leading=9.6, min_font_size=8,
                       color="#1C2530")
FONTS = font_family("Carlito")
COLORS = ("#0E4C6E", "#B35A00", "#2E7D5B", "#6B4C9A")


def make_chart(kind: str, categories: list[str], series: list[list[float]],
               labels: list[list[str]] | None = None) -> Chart:
    labels = labels or [[f"{value:,.0f}" for value in values] for values in series]
    return Chart(kind=kind, categories=tuple(categories),
                 series=tuple(ChartSeries(f"Series {number + 1}" if len(series) > 1 else "",
                                          tuple(values), tuple(texts))
                              for number, (values, texts) in enumerate(zip(series, labels,
                                                                           strict=True))),
                 description="", style="chart-label", colors=COLORS, height=0.0,
                 min_height=0.0, language="en-GB",
                 number_format="percent" if kind == "stacked" else "count")


EXAMPLES = {
    "bar": make_chart("bar", ["Aghdam district", "Fuzuli", "A very long name of a district "
                                                           "that wraps"], [[120, 48, 3]]),
    "column": make_chart("column", ["2021", "2022", "2023", "2024"], [[145, 63, 51, 41],
                                                                       [30, 20, 12, 9]]),
    "line": make_chart("line", ["2020", "2021", "2022", "2023", "2024"],
                       [[10, 40, 35, 60, 58], [12, 38, 36, 20, 5]]),
    "stacked": make_chart("stacked", ["Government", "Donors"], [[95, 5]],
                          [["about 95%", "about 5%"]]),
}


def apart(first: tuple[float, float, float, float], second: tuple[float, float, float, float]
          ) -> bool:
    """Whether two boxes (left, top, right, bottom) do not overlap (touching is apart)."""
    return (first[2] <= second[0] + 0.01 or second[2] <= first[0] + 0.01
            or first[3] <= second[1] + 0.01 or second[3] <= first[1] + 0.01)


def box_of(shape: Label | Box) -> tuple[float, float, float, float]:
    if isinstance(shape, Label):
        return (shape.x, shape.top, shape.x + shape.width, shape.bottom)
    return (shape.x, shape.y, shape.x + shape.width, shape.y + shape.height)


def assert_legible(shapes: ChartShapes, width: float, height: float) -> None:
    """Every label at 8 pt or more, inside the chart's box, clear of every other label and of
    every bar or column."""
    labels = shapes.labels()
    bars = [shape for shape in shapes.shapes
            if isinstance(shape, Box) and shape.width > 0.01 and shape.height > 0.01]
    for shape in [*labels, *bars]:
        left, top, right, bottom = box_of(shape)
        assert left >= -0.01 and right <= width + 0.01, (shape, width)
        assert top >= -0.01 and bottom <= height + 0.01, (shape, height)
    for label in labels:
        assert label.size >= 8, label
    for index, first in enumerate(labels):
        for second in labels[index + 1:]:
            assert apart(box_of(first), box_of(second)), (first, second)
        for bar in bars:
            assert apart(box_of(first), box_of(bar)), (first, bar)


@pytest.mark.parametrize("kind", EXAMPLES)
@pytest.mark.parametrize("width", [150.0, 220.0, 320.0])
def test_labels_are_legible_apart_and_inside_at_every_height(kind: str, width: float) -> None:
    chart = EXAMPLES[kind]
    preferred, minimum = chart_heights(chart, width, STYLE, FONTS)
    assert 0 < minimum <= preferred
    for height in (minimum, (minimum + preferred) / 2, preferred):
        assert_legible(draw_chart(chart, width, height, STYLE, FONTS), width, height)


def test_every_value_of_a_bar_and_column_chart_is_labelled() -> None:
    for kind in ("bar", "column"):
        chart = EXAMPLES[kind]
        shapes = draw_chart(chart, 220, chart_heights(chart, 220, STYLE, FONTS)[1], STYLE, FONTS)
        texts = [label.text for label in shapes.labels()]
        for series in chart.series:
            for label in series.labels:
                assert label in texts


def test_a_stacked_bar_of_shares_is_as_long_as_the_whole() -> None:
    chart = make_chart("stacked", ["Government", "Donors"], [[60, 25]], [["60%", "25%"]])
    boxes = [shape for shape in draw_chart(chart, 200, 30, STYLE, FONTS).shapes
             if isinstance(shape, Box)]
    assert [round(box.width) for box in boxes] == [120, 50]  # 60% and 25% of 200 pt


def test_a_chart_gives_height_as_the_page_tightens() -> None:
    chart = EXAMPLES["column"]._replace(height=90.0, min_height=64.0)
    assert chart_height(chart, Fit()) == 90.0
    assert chart_height(chart, Fit(spacing=0.8)) == 72.0
    assert chart_height(chart, Fit(spacing=0.5)) == 64.0
    assert chart_height(chart, Fit(spacing=1.5)) == 90.0


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(["bar", "column", "line"]),
       values=st.lists(st.lists(st.integers(-500, 5000), min_size=4, max_size=4),
                       min_size=1, max_size=3),
       width=st.floats(140, 340))
def test_no_labels_collide_whatever_the_values(kind: str, values: list[list[int]],
                                               width: float) -> None:
    chart = make_chart(kind, ["2021", "2022", "2023", "2024"],
                       [[float(value) for value in series] for series in values])
    preferred, minimum = chart_heights(chart, width, STYLE, FONTS)
    for height in (minimum, preferred):
        assert_legible(draw_chart(chart, width, height, STYLE, FONTS), width, height)


# Values a spec may hold (within ±1e15), the hostile ones drawn often: huge, tiny, negative,
# zero, and mixtures of them.
HOSTILE_VALUES = st.one_of(
    st.sampled_from([1e15, -1e15, 0.0, 1e-9, -1e-9, 999_999_999_999_999.0, -0.5, 123_456.789,
                     5e-324, -2.2250738585072014e-308]),
    st.floats(-1e15, 1e15, allow_nan=False, allow_infinity=False))
# What a label may carry around its number: a unit, a suffix (24 characters at most each).
AFFIXES = [("", ""), ("€", ""), ("", " m²"), ("US$", " million"),
           ("", " square kilometres of land"), ("~", " hectares cleared per year ±")]


def value_label(value: float, unit: str, suffix: str) -> str:
    return f"{unit}{value + 0.0:,.3f}{suffix}".replace("-", "−")  # -0.0 as 0.000


def zero_line(shapes: ChartShapes, kind: str) -> float | None:
    """Where the zero line is: its `y` in a column chart, its `x` in a bar chart (None: a bar
    chart without negative values has none)."""
    axis = 1 if kind == "column" else 0
    found = {shape.points[0][axis] for shape in shapes.shapes if isinstance(shape, Stroke)
             and len(shape.points) == 2 and shape.points[0][axis] == shape.points[1][axis]}
    assert len(found) <= 1, found
    return found.pop() if found else None


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(["bar", "column", "line"]),
       values=st.integers(1, 4).flatmap(lambda series: st.integers(2, 6).flatmap(
           lambda count: st.lists(st.lists(HOSTILE_VALUES, min_size=count, max_size=count),
                                  min_size=series, max_size=series))),
       affixes=st.sampled_from(AFFIXES),
       width=st.floats(140, 340))
def test_labels_stay_inside_and_apart_whatever_the_values(
        kind: str, values: list[list[float]], affixes: tuple[str, str], width: float) -> None:
    """Huge, tiny, negative, zero and mixed values, with long units and suffixes: every label
    inside the chart, none over another or over a bar; a negative column's label under the
    zero line, a negative bar's to the left of it."""
    labels = [[value_label(value, *affixes) for value in series] for series in values]
    categories = ["Alpha", "Beta district", "Gamma", "Delta", "Epsilon", "Zeta"][:len(values[0])]
    chart = make_chart(kind, categories, values, labels)
    preferred, minimum = chart_heights(chart, width, STYLE, FONTS)
    for height in (minimum, preferred):
        shapes = draw_chart(chart, width, height, STYLE, FONTS)
        assert_legible(shapes, width, height)
        if kind == "line":
            continue
        texts = [label.text for label in shapes.labels()]
        negative = {text for series, row in zip(values, labels, strict=True)
                    for value, text in zip(series, row, strict=True) if value < 0}
        zero = zero_line(shapes, kind)
        bars = [shape for shape in shapes.shapes if isinstance(shape, Box)]
        for label in shapes.labels():
            if label.text not in negative:
                continue
            assert zero is not None
            if kind == "column":
                assert label.top >= zero, (label, zero)
            elif any(bar.y < label.bottom - 0.01 and label.top < bar.y + bar.height - 0.01
                     for bar in bars):
                assert label.x + label.width <= zero, (label, zero)  # beside its bar
        for series in labels:  # every value is shown, whole (a long one on several lines)
            for text in series:
                assert text.replace(" ", "") in "".join(texts).replace(" ", ""), text


def test_a_line_keeps_its_end_labels_and_its_dots() -> None:
    chart = EXAMPLES["line"]
    shapes = draw_chart(chart, 200, chart_heights(chart, 200, STYLE, FONTS)[0], STYLE, FONTS)
    texts = [label.text for label in shapes.labels()]
    for series in chart.series:
        assert series.labels[0] in texts and series.labels[-1] in texts
    assert sum(isinstance(shape, Dot) for shape in shapes.shapes) == 10


# ---------------------------------------------------------------------------------------------
# PDF: vectors and words


@pytest.mark.tools
@pytest.mark.parametrize("kind", EXAMPLES)
def test_the_pdf_draws_each_chart_as_vectors_with_its_labels(kind: str, tmp_path: Path,
                                                             golden: Callable[[str, str], None]
                                                             ) -> None:
    chart = EXAMPLES[kind]
    width = 220.0
    height = chart_heights(chart, width, STYLE, FONTS)[0]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width + 40, height + 40), invariant=1, pageCompression=0)
    draw_chart_shapes(canvas, draw_chart(chart, width, height, STYLE, FONTS), 20, height + 20,
                      FONTS)
    canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    assert b"/Subtype /Image" not in data  # nothing rasterised
    assert re.search(rb"\bre\b", data) or re.search(rb"\bl\b", data)  # rectangles or lines
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(data)
    text = pdf_text(path)
    for series in chart.series:
        for label in series.labels if kind != "stacked" else ():
            assert label in text
    golden(f"charts/{kind}.pdf.txt", " ".join(text.split()) + "\n")


# ---------------------------------------------------------------------------------------------
# DOCX: a native chart with its workbook


@pytest.mark.parametrize("kind", EXAMPLES)
def test_the_docx_chart_part_matches_its_golden_file(kind: str,
                                                     golden: Callable[[str, str], None]) -> None:
    xml = chart_xml(EXAMPLES[kind], STYLE, "Calibri", "rId1")
    root = etree.fromstring(xml)
    etree.indent(root, space="  ")
    golden(f"charts/{kind}.chart.xml", etree.tostring(root, encoding="unicode") + "\n")


@pytest.mark.parametrize("kind", EXAMPLES)
def test_the_chart_part_caches_every_value_and_category(kind: str) -> None:
    chart = EXAMPLES[kind]
    root = etree.fromstring(chart_xml(chart, STYLE, "Calibri", "rId1"))
    namespace = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    cached = [float(value) for value in root.xpath("//c:val//c:pt/c:v/text()",
                                                     namespaces=namespace)]
    if kind == "stacked":  # parts are Word's series, bars its categories
        expected = [chart.series[0].values[index] for index in range(len(chart.categories))]
    else:
        expected = [value for series in chart.series for value in series.values]
    assert cached == expected
    names = root.xpath("//c:ser/c:tx//c:v/text()", namespaces=namespace)
    assert names == (list(chart.categories) if kind == "stacked"
                     else [series.name for series in chart.series if series.name])
    colors = root.xpath("//c:ser/c:spPr//a:srgbClr/@val", namespaces={
        **namespace, "a": "http://schemas.openxmlformats.org/drawingml/2006/main"})
    assert colors[:1] == [COLORS[0][1:]]


def test_the_workbook_holds_the_values_with_their_formats() -> None:
    from openpyxl import load_workbook

    chart = make_chart("bar", ["North", "South"], [[1500000, 250000]],
                       [["1.5 million", "250,000"]])
    sheet = load_workbook(io.BytesIO(chart_workbook(chart, "2025-03-24"))).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        [None, ""], ["North", 1500000], ["South", 250000]]
    assert sheet["B2"].number_format == '0.0,," million"'
    assert sheet["B3"].number_format == "#,##0"
    assert chart_workbook(chart, "2025-03-24") == chart_workbook(chart, "2025-03-24")


@pytest.mark.parametrize(("label", "value", "language", "code"), [
    ("~95%", 95, "en", '"~"0"%"'),
    ("~5\u202f%", 5, "fr", '"~"0"\u202f%"'),
    ("1,5\u00a0млн", 1500000, "ru", '0.0,,"\u00a0млн"'),
    ("€4.25 million", 4250000, "en", '"€"0.00,," million"'),
    ("3\u202f429", 3429, "fr", "#,##0"),
    ("-12", -12, "en", "0"),
    ("2025", 2025, "en", "0"),
])
def test_excel_number_formats_print_what_the_pdf_prints(label: str, value: float,
                                                        language: str, code: str) -> None:
    assert excel_number_format(label, value, language) == code


def test_a_docx_chart_has_its_description_as_alternative_text(tmp_path: Path) -> None:
    import docx

    from briefgen.render.docx_chart import add_chart

    word = docx.Document()
    chart = EXAMPLES["column"]._replace(description="Column chart: casualties: 2021 145")
    run = add_chart(word.part, chart, 200, 90, STYLE, "Calibri", "2025-03-24")
    word.element.body.append(etree.fromstring(
        b'<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'))
    word.element.body[-1].append(run)
    path = tmp_path / "chart.docx"
    word.save(str(path))
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        document_xml = archive.read("word/document.xml").decode("utf-8")
        relationships = archive.read("word/charts/_rels/chart1.xml.rels").decode("utf-8")
    assert "word/charts/chart1.xml" in names
    assert "word/embeddings/Microsoft_Excel_Worksheet1.xlsx" in names
    assert 'descr="Column chart: casualties: 2021 145"' in document_xml
    assert "../embeddings/Microsoft_Excel_Worksheet1.xlsx" in relationships
