"""The `briefgen` command: parse arguments, run the pipeline, map errors to exit codes.

Exit codes: 0 success, 1 a problem in the input (printed as file:line:col), 2 wrong usage,
70 an internal error (a bug: please report it).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefgen import __version__

if TYPE_CHECKING:
    from briefgen.errors import Problem

EXIT_USER_ERROR = 1
EXIT_INTERNAL_ERROR = 70

app = typer.Typer(
    name="briefgen",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


# Arguments and options that several commands share.
SpecPaths = Annotated[list[Path], typer.Argument(
    help="Brief specs (.yaml), or folders of them.", metavar="SPEC_OR_FOLDER",
    show_default=False)]
OutFolder = Annotated[Path, typer.Option(
    "--out", "-o", metavar="FOLDER",
    help="Folder for the outputs; each brief gets FOLDER/<brief id>/.")]
AudienceIds = Annotated[list[str] | None, typer.Option(
    "--audience", "-a", metavar="ID", help="Only this audience (repeat for several).",
    show_default=False)]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Turn YAML brief specifications into one-page advocacy briefs (PDF and DOCX).

    \b
    A typical day:
      briefgen new my-brief                  start from a commented spec that builds
      briefgen check briefs/my-brief.yaml    list problems as file:line:col, write nothing
      briefgen build briefs/my-brief.yaml    write out/my-brief/*.pdf and *.docx
      briefgen email briefs/my-brief.yaml    also write one email draft per delegation

    \b
    Try it on the example:  briefgen build briefs/masg-2025.yaml
    Each command explains itself:  briefgen build --help
    """


@app.command()
def build(
    paths: SpecPaths,
    out: OutFolder = Path("out"),
    audience: AudienceIds = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, metavar="N", help="Briefs built in parallel [default: all cores].",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Rebuild even when nothing changed since the last build.")] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Build nothing from a spec with any broken audience.")] = False,
    watch: Annotated[bool, typer.Option(
        "--watch", help="Keep running; rebuild whenever a spec, fact file or template is "
        "saved. Stop with Ctrl-C.")] = False,
    email: Annotated[bool, typer.Option(
        "--email", help="Also write an email draft (.eml) per audience; see `briefgen email`.")
    ] = False,
    quiet: Quiet = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
                     ] = False,
) -> None:
    """Build the PDF and DOCX of each spec: one pair per audience, written into OUT.

    \b
    Examples:
      briefgen build briefs/masg-2025.yaml           every delegation of one brief
      briefgen build briefs/masg-2025.yaml -a us     only the US delegation's version
      briefgen build briefs/                         every spec in the folder, on all cores
      briefgen build briefs/ --watch                 rebuild on every save

    Files are named DATE_BRIEF-ID[_AUDIENCE]_LANGUAGE.pdf/.docx. A brief whose inputs
    (spec, fact files, template, fonts, briefgen version) did not change since its last
    build is skipped (use --force to rebuild). Each brief's files are written together or
    not at all, so a failed build leaves OUT as it was. A broken audience fails alone; the
    others of the same spec are still built unless --strict.
    """
    from briefgen.batch import default_jobs, expand_paths

    spec_paths = expand_paths(paths)
    missing = [path for path in paths if not path.exists()]
    if not spec_paths or (missing and not watch):
        for path in missing or paths:
            typer.echo(f"{path}: no such spec or folder" if not path.exists()
                       else f"{path}: no .yaml specs in this folder", err=True)
        raise typer.Exit(EXIT_USER_ERROR)
    options = _BuildOptions(out=out, audiences=set(audience) if audience else None,
                            jobs=jobs or default_jobs(), force=force, strict=strict,
                            quiet=quiet, debug=debug, email=email)
    if watch:
        _watch(paths, options)
        return
    failed = _build_once(spec_paths, options)
    if failed:
        raise typer.Exit(EXIT_USER_ERROR)


class _BuildOptions:
    def __init__(self, *, out: Path, audiences: set[str] | None, jobs: int, force: bool,
                 strict: bool, quiet: bool, debug: bool, email: bool = False) -> None:
        self.email = email
        self.out = out
        self.audiences = audiences
        self.jobs = jobs
        self.force = force
        self.strict = strict
        self.quiet = quiet
        self.debug = debug


def _build_once(spec_paths: list[Path], options: _BuildOptions) -> int:
    """Build everything once; print problems and the summary; return the number of failures."""
    import time

    from briefgen import prestart
    from briefgen.batch import Workers, plan_builds, run_units

    started = time.perf_counter()
    try:
        with Workers(options.jobs, prestart.take()) as workers:
            plan = plan_builds(spec_paths, options.out, audiences=options.audiences,
                               force=options.force, strict=options.strict, email=options.email,
                               workers=workers)
            _echo_once(plan.warnings)
            with _Progress(len(plan.units), enabled=not options.quiet) as progress:
                results = run_units(plan.units, options.out, options.jobs, progress.advance,
                                    email=options.email, workers=workers)
        _echo_once([warning for result in results for warning in result.warnings])
    except KeyboardInterrupt:
        typer.echo("interrupted; briefs in progress were not written", err=True)
        raise typer.Exit(130) from None
    except Exception:
        if options.debug:
            traceback.print_exc()
        typer.echo(f"internal error: this is a bug in briefgen {__version__}. Please report it "
                   f"with the spec{'' if options.debug else ' and the output of --debug'}.",
                   err=True)
        raise typer.Exit(EXIT_INTERNAL_ERROR) from None
    failed = plan.failed + [result for result in results if result.failed]
    for failure in failed:
        for problem in failure.problems:
            typer.echo(str(problem), err=True)
        if not failure.brief_id and failure.spec_path == Path("."):
            continue  # a problem with the command itself, not with one spec
        who = f" (audience {failure.audience_id})" if failure.audience_id else ""
        typer.echo(f"error: {failure.spec_path}{who}: not built; nothing was written for it",
                   err=True)
    built = [result for result in results if not result.failed]
    if not options.quiet:
        _print_summary(built + plan.skipped, time.perf_counter() - started, len(failed))
    return len(failed)


# Inputs a brief can depend on; outputs (PDF, DOCX, logs) never trigger a rebuild.
WATCHED_SUFFIXES = {".yaml", ".yml", ".j2", ".png", ".jpg", ".jpeg"}


def _watch(paths: list[Path], options: _BuildOptions) -> None:
    """Rebuild whenever an input changes; report problems and keep watching."""
    import time

    from briefgen.batch import expand_paths

    # Everything a brief can read: its folder (fact files, logo) and the template folders
    # looked in beside and above it.
    folders = set()
    for path in paths:
        folder = path if path.is_dir() else path.parent
        folders |= {folder, folder / "templates", folder.parent / "templates"}
    for path in paths:
        if not path.exists():
            typer.echo(f"{path}: does not exist yet; it is watched for", err=True)

    def snapshot() -> dict[Path, int]:
        seen: dict[Path, int] = {}
        for folder in folders:
            for file in folder.rglob("*") if folder.is_dir() else []:
                if file.suffix.lower() in WATCHED_SUFFIXES and file.is_file():
                    seen[file] = file.stat().st_mtime_ns
        return seen

    typer.echo("Watching for changes; press Ctrl-C to stop.", err=True)
    state: dict[Path, int] = {}
    try:
        while True:
            current = snapshot()
            if current != state:
                state = current
                specs = expand_paths(path for path in paths if path.exists())
                if specs:
                    started = time.perf_counter()
                    failures = _build_once(specs, options)
                    typer.echo(f"[{time.strftime('%H:%M:%S')}] checked in "
                               f"{time.perf_counter() - started:.2f} s"
                               f"{f'; {failures} failed' if failures else ''}; watching",
                               err=True)
            time.sleep(0.4)
    except KeyboardInterrupt:
        typer.echo("stopped watching", err=True)


class _Progress:
    """A progress bar on a terminal for batches long enough to need one."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled and total >= 8 and sys.stderr.isatty()
        self.bar: object | None = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.__enter__()
            self.task = self.bar.add_task("building", total=self.total)
        return self

    def advance(self, _: object) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)  # type: ignore[attr-defined]

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)  # type: ignore[attr-defined]


@app.command()
def email(
    paths: SpecPaths,
    out: OutFolder = Path("out"),
    audience: AudienceIds = None,
    quiet: Quiet = False,
) -> None:
    """Build each brief and write one email draft (.eml) per audience, to review and send.

    \b
    Each draft is addressed to the audience's contacts (To, or Cc with cc: true), has a
    subject naming the meeting and the ask, a short cover note from the template
    (email/<language>.txt.j2), and the audience's PDF attached (and the DOCX with
    attach_docx: true). Open it in Outlook or Thunderbird: it opens as an unsent draft.
    Nothing is sent. Attachments are checked first: no scripts, embedded files,
    encryption, macros or unsafe links; a warning above 1 MB, an error above 10 MB.
    """
    from briefgen.batch import default_jobs, expand_paths

    spec_paths = expand_paths(paths)
    if not spec_paths:
        typer.echo("no .yaml specs found in " + ", ".join(map(str, paths)), err=True)
        raise typer.Exit(EXIT_USER_ERROR)
    options = _BuildOptions(out=out, audiences=set(audience) if audience else None,
                            jobs=default_jobs(), force=True, strict=False, quiet=quiet,
                            debug=False, email=True)
    if _build_once(spec_paths, options):
        raise typer.Exit(EXIT_USER_ERROR)


@app.command()
def check(
    paths: SpecPaths,
    output_format: Annotated[str, typer.Option(
        "--format", metavar="text|json",
        help="text (one problem per line) or json (for scripts and editors).")
    ] = "text",
) -> None:
    """Check each SPEC against every rule, without writing anything.

    \b
    Each problem prints as  file:line:col: severity: rule-id: field: message
    Errors (the brief would not be built): yaml, text, unknown-key, missing-field,
      invalid-value, unknown-source, unknown-figure, duplicate-id, unsafe-link,
      event-dates, anachronism, include, asset, language, missing-translation,
      font-coverage, contrast, fit, word-count (above the template's hard limit).
    Warnings: stale-figure, source-incomplete, unused-source, word-count, quote-consent,
      figure (a number that would print misleadingly), comment (text cut by a #),
      language (no labels for it: headings in English).

    Exit code 1 when any spec has an error, 0 otherwise (warnings alone pass).
    """
    import json

    from briefgen.batch import expand_paths
    from briefgen.build import check_spec_file

    specs = expand_paths(paths)
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
    folder: Annotated[Path, typer.Option("--folder", metavar="FOLDER",
                                         help="Where to write the spec.")] = Path("briefs"),
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


def _print_summary(results: Sequence[object], seconds: float, failures: int) -> None:
    """A table of what was written: brief, audience, file, pages, size, fit."""
    from briefgen.batch import UnitResult
    from briefgen.errors import display_path

    rows = [("brief", "audience", "file", "pages", "size", "fit")]
    built = skipped = 0
    for result in results:
        assert isinstance(result, UnitResult)
        skipped += result.skipped
        built += not result.skipped
        fit = "unchanged, skipped" if result.skipped else f"{result.page}, {result.fit}"
        for number, (path, size) in enumerate(result.files):
            rows.append((result.brief_id if number == 0 else "",
                         (result.audience_id or "-") if number == 0 else "",
                         display_path(path), "1" if path.suffix != ".eml" else "-",
                         _size(size), fit if number == 0 else ""))
    if len(rows) > 1:
        widths = [max(len(row[column]) for row in rows) for column in range(6)]
        for row in rows:
            typer.echo("  ".join(cell.ljust(width) if column != 4 else cell.rjust(width)
                                 for column, (cell, width) in enumerate(zip(row, widths,
                                                                            strict=True))
                                 ).rstrip())
    typer.echo(f"{built} brief{'s' if built != 1 else ''} built, {skipped} unchanged, "
               f"{failures} failed in {seconds:.2f} s")


def _echo_once(problems: list[Problem]) -> None:
    """Print problems to stderr, each once: a fact file shared by many specs would otherwise
    repeat its warnings for every one of them."""
    lines = list(dict.fromkeys(str(problem) for problem in problems))
    if lines:
        typer.echo("\n".join(lines), err=True)


def _size(length: int) -> str:
    return f"{length / 1024:.0f} KB" if length < 1024 * 1024 else f"{length / 1048576:.1f} MB"


from briefgen.translate import translate_app  # noqa: E402  (the sub-commands' own module)

app.add_typer(translate_app, name="translate")


def main() -> None:
    app(prog_name="briefgen")


if __name__ == "__main__":  # pragma: no cover
    main()
