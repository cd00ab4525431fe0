"""The `briefgen` command: parse arguments, run the pipeline, map errors to exit codes.

Exit codes: 0 success, 1 a problem in the input (printed as file:line:col), 2 wrong usage,
70 an internal error (a bug: please report it).
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Annotated

import typer

from briefgen import __version__

EXIT_USER_ERROR = 1
EXIT_INTERNAL_ERROR = 70

app = typer.Typer(
    name="briefgen",
    help="Turn YAML brief specifications into one-page advocacy briefs (PDF and DOCX).\n\n"
         "Start by building the example:  briefgen build briefs/masg-2025.yaml",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Turn YAML brief specifications into one-page advocacy briefs (PDF and DOCX)."""


@app.command()
def build(
    specs: Annotated[list[Path], typer.Argument(
        help="One or more brief specs (.yaml).", metavar="SPEC...", show_default=False)],
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Folder for the outputs; each brief gets out/<brief id>/.")
    ] = Path("out"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
                     ] = False,
) -> None:
    """Build the PDF and DOCX of each SPEC (one pair per audience) into OUT.

    \b
    Examples:
      briefgen build briefs/masg-2025.yaml
      briefgen build briefs/masg-2025.yaml --out ~/Desktop/briefs

    Files are named DATE_BRIEF-ID[_AUDIENCE]_LANGUAGE.pdf/.docx. Nothing is written
    unless every file of a brief was built, so a failed build leaves OUT as it was.
    """
    from briefgen.build import build_spec
    from briefgen.errors import UserError

    failures = 0
    for spec_path in specs:
        try:
            result = build_spec(spec_path, out)
        except UserError as error:
            failures += 1
            typer.echo(f"{error}", err=True)
            typer.echo(f"error: {spec_path}: not built; nothing was written", err=True)
            continue
        except KeyboardInterrupt:
            typer.echo("interrupted; nothing was written for the brief in progress", err=True)
            raise typer.Exit(130) from None
        except Exception:
            if debug:
                traceback.print_exc()
            typer.echo(f"internal error while building {spec_path}: this is a bug in briefgen "
                       f"{__version__}. Please report it with the spec"
                       f"{'' if debug else ' and the output of --debug'}.", err=True)
            raise typer.Exit(EXIT_INTERNAL_ERROR) from None
        for warning in result.warnings:
            typer.echo(str(warning), err=True)
        if not quiet:
            _print_summary(result)
    if failures:
        raise typer.Exit(EXIT_USER_ERROR)


@app.command()
def check(
    specs: Annotated[list[Path], typer.Argument(
        help="One or more brief specs (.yaml).", metavar="SPEC...", show_default=False)],
    output_format: Annotated[str, typer.Option(
        "--format", help="text (one problem per line) or json (for scripts and editors).")
    ] = "text",
) -> None:
    """Check each SPEC against every rule, without writing anything.

    \b
    Each problem prints as  file:line:col: severity: rule-id: field: message
    Errors (the brief would not be built): unknown-key, missing-field, invalid-value,
      unknown-source, unknown-figure, duplicate-id, unsafe-link, anachronism,
      font-coverage, contrast, fit, word-count (above the template's hard limit).
    Warnings: stale-figure, source-incomplete, unused-source, word-count, quote-consent.

    Exit code 1 when any spec has an error, 0 otherwise (warnings alone pass).
    """
    import json

    from briefgen.build import check_spec_file

    if output_format not in {"text", "json"}:
        typer.echo("error: --format must be text or json", err=True)
        raise typer.Exit(2)
    all_problems = []
    for spec_path in specs:
        all_problems += check_spec_file(spec_path)
    errors = sum(problem.severity == "error" for problem in all_problems)
    warnings = len(all_problems) - errors
    if output_format == "json":
        typer.echo(json.dumps([problem.as_json() for problem in all_problems], indent=2,
                              ensure_ascii=False))
    else:
        for problem in all_problems:
            typer.echo(problem.check_line())
        typer.echo(f"{len(specs)} spec{'s' if len(specs) != 1 else ''} checked: "
                   f"{errors} error{'s' if errors != 1 else ''}, "
                   f"{warnings} warning{'s' if warnings != 1 else ''}", err=True)
    if errors:
        raise typer.Exit(EXIT_USER_ERROR)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a brief spec (for editors and other tools).

    \b
    The same schema ships as briefs/brief.schema.json; `briefgen new` writes a copy
    next to each new spec.
    """
    from briefgen.starter import schema_json

    typer.echo(schema_json(), nl=False)


@app.command()
def new(
    name: Annotated[str, typer.Argument(help="Brief id, e.g. masg-2026.", show_default=False)],
    folder: Annotated[Path, typer.Option("--folder", help="Where to write the spec.")
                      ] = Path("briefs"),
) -> None:
    """Write a commented starter spec FOLDER/NAME.yaml that builds as it is.

    \b
    Example:
      briefgen new masg-2026 && briefgen build briefs/masg-2026.yaml
    """
    import datetime as dt

    from briefgen.errors import UserError, display_path
    from briefgen.starter import create_starter

    try:
        written = create_starter(name, folder, dt.date.today())
    except UserError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(EXIT_USER_ERROR) from None
    typer.echo(f"Wrote {display_path(written[0])} (and {written[1].name} for editors).")
    typer.echo(f"Next: edit it, then run  briefgen build {display_path(written[0])}")


def _print_summary(result: object) -> None:
    from briefgen.build import BuildResult
    from briefgen.errors import display_path

    assert isinstance(result, BuildResult)
    total = result.timings.get("total", 0.0)
    typer.echo(f"Built {result.brief_id} from {display_path(result.spec_path)} "
               f"in {total:.2f} s:")
    rows = []
    for brief in result.briefs:
        who = brief.audience_name or "generic brief"
        for file, pages in ((brief.pdf, "1 page"), (brief.docx, "1 page")):
            rows.append((display_path(file.path), pages, _size(len(file.data)),
                         f"{brief.page}, {who}, fit: {brief.fit.describe()}"))
    width = max(len(row[0]) for row in rows)
    for path, pages, size, note in rows:
        typer.echo(f"  {path:<{width}}  {pages}  {size:>7}  {note}")


def _size(length: int) -> str:
    return f"{length / 1024:.0f} KB" if length < 1024 * 1024 else f"{length / 1048576:.1f} MB"


def main() -> None:
    app(prog_name="briefgen")


if __name__ == "__main__":  # pragma: no cover
    main()
