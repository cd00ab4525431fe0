"""The table and totals `build` and `email` print when a run ends."""

from __future__ import annotations

from pathlib import Path

from briefgen.cli.summary import drafts_written, fit_cell, totals, unit_rows
from briefgen.engine.units import Report, UnitResult
from briefgen.errors import Problem

PDF = Path("out/b/2025-03-24_b_us_en.pdf")
DOCX = PDF.with_suffix(".docx")
DRAFT = Path("out/b/email/2025-03-24_b_us_en.eml")


def result(audience: str | None = "us", **fields: object) -> UnitResult:
    return UnitResult(Path("b.yaml"), "b", audience, **fields)


def test_each_file_has_a_row_and_the_unit_is_named_once() -> None:
    rows = unit_rows(result(files=[(PDF, 80_000), (DOCX, 2_500_000)], page="A4"))
    assert rows == [["b", "us", str(PDF), "78 KB", "A4"],
                    ["", "", str(DOCX), "2.4 MB", ""]]


def test_a_brief_without_audiences_shows_a_dash() -> None:
    assert unit_rows(result(None, files=[(PDF, 1024)]))[0][:2] == ["b", "-"]


def test_the_fit_column_says_what_became_of_the_page() -> None:
    assert fit_cell(result(page="Letter")) == "Letter"
    assert fit_cell(result(skipped=True)) == "unchanged, skipped"
    assert fit_cell(result(skipped=True, reused=True)) == "unchanged, draft written"


def test_drafts_are_counted_for_built_and_reused_units_only() -> None:
    report = Report([result(files=[(PDF, 1), (DRAFT, 1)]),
                     result("eu", files=[(PDF, 1), (DRAFT, 1)], skipped=True, reused=True),
                     result("ch", files=[(PDF, 1), (DRAFT, 1)], skipped=True)])
    assert drafts_written(report) == 2


def test_totals_name_an_audience_no_spec_has_and_leave_it_out_of_the_failures() -> None:
    typo = Problem(Path("."), "--audience", "no audience with id xx")
    report = Report([result(files=[(PDF, 1)]), result("eu", skipped=True),
                     result("ch", problems=[Problem(Path("b.yaml"), "", "broken")]),
                     result("xx", problems=[typo], scope="command")])
    assert totals(report, 0.614) == (
        "1 brief built, 1 unchanged, 1 failed in 0.61 s; nothing built for -a xx: no such "
        "audience (see above)")
