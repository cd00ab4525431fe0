"""What `build` and `email` print when a run ends: a table of the files, then the totals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from briefgen.cli.output import counted, echo_table, file_size

if TYPE_CHECKING:
    from briefgen.engine.units import Report, UnitResult

HEADER = ("brief", "audience", "file", "size", "fit")
SIZE_COLUMN = 3


def print_summary(report: Report, seconds: float) -> None:
    """A table of what was written (brief, audience, file, size, fit), then the totals."""
    rows = [row for result in report.results if not result.failed
            for row in unit_rows(result)]
    if rows:
        echo_table([HEADER, *rows], right_aligned={SIZE_COLUMN})
    typer.echo(totals(report, seconds))


def unit_rows(result: UnitResult) -> list[list[str]]:
    """One row per file of a unit; its brief, audience and fit on the first only."""
    from briefgen.errors import display_path

    rows = [["", "", display_path(path), file_size(size), ""] for path, size in result.files]
    if rows:
        rows[0][0], rows[0][1] = result.brief_id, result.audience_id or "-"
        rows[0][4] = fit_cell(result)
    return rows


def fit_cell(result: UnitResult) -> str:
    """Unchanged (and whether its draft was written), else its paper and how it fit."""
    if result.reused:
        return "unchanged, draft written"
    if result.skipped:
        return "unchanged, skipped"
    if result.fit is None:
        return result.page
    return f"{result.page}, {result.fit.summary()}"


def totals(report: Report, seconds: float) -> str:
    """`2 briefs built, 1 unchanged, 0 failed, 2 email drafts written in 0.61 s`, and each
    audience asked for with -a that no spec has (a typo): nothing was built for it."""
    failed = [result for result in report.failed if result.scope != "command"]
    unknown = [result.audience_id for result in report.failed
               if result.scope == "command" and result.audience_id]
    drafts = drafts_written(report)
    parts = [f"{counted(len(report.built), 'brief')} built", f"{len(report.skipped)} unchanged",
             f"{len(failed)} failed"]
    if drafts:
        parts.append(f"{counted(drafts, 'email draft')} written")
    return ", ".join(parts) + f" in {seconds:.2f} s" + "".join(
        f"; nothing built for -a {ids}: no such audience (see above)" for ids in unknown)


def drafts_written(report: Report) -> int:
    """Email drafts this run wrote: for the units it built, and those it reused."""
    return sum(path.suffix == ".eml" for result in report.results
               if not result.failed and (result.reused or not result.skipped)
               for path, _ in result.files)
