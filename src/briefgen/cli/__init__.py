"""The `briefgen` command: parse arguments, run the pipeline, map errors to exit codes.

Exit codes: 0 success, 1 a problem in the input (printed as file:line:col), 2 wrong usage,
70 an internal error (a bug: please report it), 130 interrupted.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefgen import __version__

if TYPE_CHECKING:
    from briefgen.engine.batch import BuildOptions, Report, UnitResult
    from briefgen.errors import Problem

EXIT_USER_ERROR = 1
EXIT_INTERNAL_ERROR = 70
EXIT_INTERRUPTED = 130

app = typer.Typer(
    name="briefgen",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


# Arguments and options that several commands share.
SpecPaths = Annotated[list[Path], typer.Argument(
    help="Brief specs (.yaml), or folders of them. A name not found here is looked for in "
    "briefs/, and with .yaml added: `masg-2025` finds briefs/masg-2025.yaml.",
    metavar="SPEC_OR_FOLDER", show_default=False)]
OutFolder = Annotated[Path | None, typer.Option(
    "--out", "-o", metavar="FOLDER", show_default=False,
    help="Folder for the outputs; each brief gets FOLDER/<brief id>/. [default: out/ in the "
    "project folder, the one that holds briefs/; for a spec elsewhere, out/ here]")]
AudienceIds = Annotated[list[str] | None, typer.Option(
    "--audience", "-a", metavar="ID", help="Only this audience (repeat for several).",
    show_default=False)]
Jobs = Annotated[int | None, typer.Option(
    "--jobs", "-j", min=1, metavar="N", help="Briefs built in parallel [default: all cores, "
    "when there are enough briefs to share].",
    show_default=False)]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")]
Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]


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
      briefgen preview briefs/my-brief.yaml  see every page in the browser, live
      briefgen email briefs/my-brief.yaml    also write one email draft per delegation
      briefgen take-back edited.docx         a colleague's edits in the DOCX, into the spec

    \b
    Try it on the example:  briefgen build briefs/masg-2025.yaml
    Each command explains itself:  briefgen build --help
    """


@app.command()
def build(
    paths: SpecPaths,
    out: OutFolder = None,
    audience: AudienceIds = None,
    jobs: Jobs = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Rebuild even when nothing changed since the last build.")] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Build nothing from a spec with any broken audience.")] = False,
    watch: Annotated[bool, typer.Option(
        "--watch", help="Keep running; rebuild whenever a spec, fact file, logo or template "
        "is saved. Stop with Ctrl-C.")] = False,
    email: Annotated[bool, typer.Option(
        "--email", help="Also write an email draft (.eml) per audience; see `briefgen email`.")
    ] = False,
    quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Build the PDF and DOCX of each spec: one pair per audience.

    \b
    Examples:
      briefgen build briefs/masg-2025.yaml           every delegation of one brief
      briefgen build masg-2025                       the same, from the project folder
      briefgen build briefs/masg-2025.yaml -a us     only the US delegation's version
      briefgen build briefs/                         every spec in the folder, on all cores
      briefgen build briefs/ --watch                 rebuild on every save

    \b
    Where files go: out/<brief id>/ in the project folder (the folder that holds
    briefs/), wherever you run the command from; choose another folder with --out.
    Files are named DATE_BRIEF-ID[_AUDIENCE]_LANGUAGE.pdf/.docx.

    A brief whose inputs (spec, fact files, logo, template, fonts, briefgen version) did not
    change since its last build is skipped (use --force to rebuild). Each brief's files are
    written together or not at all, so a failed build leaves its files as they were. A
    broken audience fails alone; the others of the same spec are still built unless --strict.
    """
    from briefgen.engine.batch import BuildOptions

    options = BuildOptions(mode="email" if email else "build", out=out,
                           audiences=frozenset(audience) if audience else None,
                           jobs=jobs, force=force, strict=strict)
    if watch:
        _watch(paths, options, quiet=quiet, debug=debug)
        return
    if _build(_specs(paths), options, quiet=quiet, debug=debug):
        raise typer.Exit(EXIT_USER_ERROR)


@app.command()
def email(
    paths: SpecPaths,
    out: OutFolder = None,
    audience: AudienceIds = None,
    jobs: Jobs = None,
    allow_draft: Annotated[bool, typer.Option(
        "--allow-draft", help="Attach versions that are marked as drafts too (a quote "
        "without consent, an amount without a source); by default they get no email.")
    ] = False,
    quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Build each brief and write one email draft (.eml) per audience, to review and send.

    \b
    Each draft is addressed to the audience's contacts (To, or Cc with cc: true), has a
    subject naming the meeting and the ask, a short cover note from the template
    (email/<language>.txt.j2), and the audience's PDF attached (and the DOCX with
    attach_docx: true). Drafts go to out/<brief id>/email/. Open one in Outlook or
    Thunderbird: it opens as an unsent draft. Nothing is sent. Attachments are checked
    first: no scripts, embedded files, encryption, macros or unsafe links; a warning above
    1 MB, an error above 10 MB. A brief unchanged since its last build is not built again:
    its draft attaches the files in out/ as they are. A version whose page is marked as a
    draft gets no email, and the message says what keeps it a draft, unless --allow-draft.
    """
    from briefgen.engine.batch import BuildOptions

    options = BuildOptions(mode="email", out=out,
                           audiences=frozenset(audience) if audience else None,
                           jobs=jobs, allow_draft=allow_draft)
    if _build(_specs(paths), options, quiet=quiet, debug=debug):
        raise typer.Exit(EXIT_USER_ERROR)


@app.command()
def check(
    paths: SpecPaths,
    output_format: Annotated[str, typer.Option(
        "--format", metavar="text|json",
        help="text (one problem per line) or json (for scripts and editors).")
    ] = "text",
    audience: AudienceIds = None,
    jobs: Jobs = None,
    debug: Debug = False,
) -> None:
    """Check each SPEC against every rule, without writing anything.

    \b
    Each problem prints as  file:line:col: severity: rule-id: field: message
    Errors (the brief would not be built): yaml, text, unknown-key, missing-field,
      invalid-value, unknown-source, unknown-figure, duplicate-id, unsafe-link,
      event-dates, unknown-audience, anachronism, chart-source, chart-points, chart-units,
      chart-negative, chart-total, include, asset, language, missing-translation,
      font-coverage, contrast, alt-text, fit, word-count (above the template's hard limit).
    Warnings: stale-figure, source-incomplete, unused-source, word-count, quote-consent,
      figure (a number that would print misleadingly, a year as a count, a currency as a
      prefix), repeated-words (a sentence repeats a figure's prefix or unit), link-text (a
      link that reads out its address), empty-heading, comment (text cut by a #), language
      (no labels for it: headings in English), translation-outdated (a translation made
      from an earlier text), qualifier (a prefix typed as a sign or English words: write
      qualifier: about, more than ...), label-source (a figure's label names its own
      source), repeated-figure (one version states a figure in two texts), amount-source
      (an ask's amount with no source, not marked as your request: a draft), sources-url
      (an address too long to type from paper), logo-contrast (a logo that would hardly
      show on the masthead).
    quote-consent and amount-source mark the versions concerned as drafts: their page
      says so, and briefgen email does not attach them.

    \b
    Example, while cutting one delegation's version to fit:
      briefgen check briefs/masg-2025.yaml -a ch

    Exit code 1 when any spec has an error, 0 otherwise (warnings alone pass).
    """
    import json

    from briefgen.engine.batch import BuildOptions

    if output_format not in {"text", "json"}:
        typer.echo("error: --format must be text or json", err=True)
        raise typer.Exit(2)
    specs = _specs(paths)
    with _reporting_bugs(debug):
        report = _run(specs, BuildOptions(mode="check", jobs=jobs,
                                          audiences=frozenset(audience) if audience else None))
    problems = report.problems()
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    if output_format == "json":
        typer.echo(json.dumps([problem.as_json() for problem in problems], indent=2,
                              ensure_ascii=False))
    else:
        for problem in problems:
            typer.echo(problem.check_line())
        typer.echo(f"{_count(len(specs), 'spec')} checked: {_count(errors, 'error')}, "
                   f"{_count(warnings, 'warning')}", err=True)
    if errors:
        raise typer.Exit(EXIT_USER_ERROR)


@app.command()
def preview(
    path: Annotated[Path, typer.Argument(
        help="The brief spec (.yaml). A name not found here is looked for in briefs/, and "
        "with .yaml added.",
        metavar="SPEC", show_default=False)],
    port: Annotated[int | None, typer.Option(
        "--port", "-p", min=1, max=65535, metavar="N", show_default=False,
        help="Port on 127.0.0.1 [default: a free one].")] = None,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Only print the address; do not open the browser.")] = False,
    out: OutFolder = None,
    debug: Debug = False,
) -> None:
    """Show every delegation's page and the spec's problems in the browser, live.

    \b
    Builds SPEC as `build` does (the same files in out/), then opens a page that shows
    each audience's page side by side, with its language, paper, how much fitting it
    needed or how much room is left, and its PDF and DOCX; above them, every problem
    with its file:line:col. Each save of the spec, its fact files, logo or template
    rebuilds it and the page updates itself; a broken spec keeps the last good pages,
    marked as out of date. The page is served on this computer only (127.0.0.1) and
    loads nothing from the internet. Press Ctrl-C to stop.

    \b
    Example:
      briefgen preview briefs/masg-2025.yaml
    """
    from briefgen.engine.batch import BuildOptions
    from briefgen.errors import UserError

    specs = _specs([path])
    if len(specs) != 1:
        typer.echo(f"{path}: holds {len(specs)} specs; preview shows one: name its .yaml file",
                   err=True)
        raise typer.Exit(EXIT_USER_ERROR)
    refused: UserError | None = None
    with _reporting_bugs(debug):
        from briefgen.preview.command import run_preview

        try:
            run_preview(specs[0], BuildOptions(out=out), port=port,
                        open_browser=not no_browser, echo=typer.echo,
                        echo_status=lambda line: typer.echo(line, err=True), debug=debug)
        except UserError as error:
            refused = error
    if refused is not None:
        typer.echo(str(refused), err=True)
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
    name: Annotated[str, typer.Argument(help="Brief id, e.g. masg-2026.", metavar="NAME",
                                        show_default=False)],
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


# ---------------------------------------------------------------------------------------------
# Running and reporting


def _specs(paths: list[Path]) -> list[Path]:
    """The specs named, or exit with a message saying which name matched nothing."""
    from briefgen.engine.batch import SPEC_SUFFIXES, expand_paths, locate_spec

    missing = [path for path in paths if not locate_spec(path).exists()]
    for path in missing:
        tried = "" if path.suffix in SPEC_SUFFIXES else f" for {path} and {path}.yaml"
        typer.echo(f"{path}: no such spec or folder (looked{tried} here and in briefs/)",
                   err=True)
    specs = expand_paths(path for path in paths if path not in missing)
    if not specs and not missing:
        typer.echo(f"{', '.join(map(str, paths))}: no brief specs (.yaml) in this folder",
                   err=True)
    if missing or not specs:
        raise typer.Exit(EXIT_USER_ERROR)
    return specs


@contextmanager
def _reporting_bugs(debug: bool) -> Iterator[None]:
    """A bug in briefgen prints a short "please report" note (a traceback with --debug)."""
    try:
        yield
    except KeyboardInterrupt:
        typer.echo("interrupted; briefs that were being built were finished, the rest not "
                   "started", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except Exception:
        if debug:
            traceback.print_exc()
        typer.echo(f"internal error: this is a bug in briefgen {__version__}. Please report it "
                   f"with the spec{'' if debug else ' and the output of --debug'}.", err=True)
        raise typer.Exit(EXIT_INTERNAL_ERROR) from None


def _run(specs: list[Path], options: BuildOptions,
         on_result: Callable[[UnitResult], None] | None = None) -> Report:
    from briefgen.engine.batch import run_specs

    return run_specs(specs, options, on_result)


def _build(specs: list[Path], options: BuildOptions, *, quiet: bool, debug: bool) -> int:
    """Build once; print problems and the summary; return the number of failures."""
    started = time.perf_counter()
    with _reporting_bugs(debug), _Progress(enabled=not quiet) as progress:
        report = _run(specs, options, progress.advance)
    _echo_once(report.warnings + [warning for result in report.results
                                  for warning in result.warnings])
    for failure in report.failed:
        for problem in failure.problems:
            typer.echo(str(problem), err=True)
        if failure.scope == "command":
            continue  # a problem with the command line, not with one spec's files
        who = f" (audience {failure.audience_id})" if failure.audience_id else ""
        typer.echo(f"error: {failure.spec_path}{who}: not built; nothing was written for it",
                   err=True)
    if not quiet:
        _print_summary(report, time.perf_counter() - started)
    return len(report.failed)


def _watch(paths: list[Path], options: BuildOptions, *, quiet: bool, debug: bool) -> None:
    """Build, then rebuild whenever an input is saved; report problems and keep watching."""
    from briefgen.engine.batch import expand_paths, locate_spec, output_root
    from briefgen.engine.watch import watch_inputs

    located = [locate_spec(path) for path in paths]
    for path in located:
        if not path.exists():
            typer.echo(f"{path}: does not exist yet; it is watched for", err=True)

    def build_now(_: object = None) -> None:
        specs = expand_paths(path for path in located if path.exists())
        if specs:
            started = time.perf_counter()
            failures = _build(specs, options, quiet=quiet, debug=debug)
            typer.echo(f"[{time.strftime('%H:%M:%S')}] built in "
                       f"{time.perf_counter() - started:.2f} s"
                       f"{f'; {failures} failed' if failures else ''}; watching", err=True)

    build_now()
    outputs = {output_root(spec, options) for spec in expand_paths(
        path for path in located if path.exists())}
    with suppress(KeyboardInterrupt):
        watch_inputs([path if path.exists() else path.parent for path in located], build_now,
                     outputs=outputs, on_ready=lambda: typer.echo(
                         "Watching for changes; press Ctrl-C to stop.", err=True))
    typer.echo("stopped watching", err=True)


class _Progress:
    """A progress bar on a terminal for batches long enough to need one."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: object | None = None
        self.done = 0

    def __enter__(self) -> _Progress:
        return self

    def advance(self, _: object) -> None:
        self.done += 1
        if self.enabled and self.bar is None and self.done == 8:
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.__enter__()
            self.task = self.bar.add_task("building", total=None, completed=self.done)
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done)  # type: ignore[attr-defined]

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)  # type: ignore[attr-defined]


def _print_summary(report: Report, seconds: float) -> None:
    """A table of what was written: brief, audience, file, size, fit; then the totals."""
    from briefgen.errors import display_path

    rows = [("brief", "audience", "file", "size", "fit")]
    for result in report.results:
        if result.failed:
            continue
        fit = "unchanged, draft written" if result.reused else "unchanged, skipped" if (
            result.skipped) else (
            f"{result.page}, {result.fit.summary()}" if result.fit else result.page)
        for number, (path, size) in enumerate(result.files):
            first = number == 0
            rows.append((result.brief_id if first else "",
                         (result.audience_id or "-") if first else "",
                         display_path(path), _size(size), fit if first else ""))
    if len(rows) > 1:
        widths = [max(len(row[column]) for row in rows) for column in range(5)]
        for row in rows:
            typer.echo("  ".join(cell.rjust(width) if column == 3 else cell.ljust(width)
                                 for column, (cell, width) in enumerate(zip(row, widths,
                                                                            strict=True))
                                 ).rstrip())
    failed = [result for result in report.failed if result.scope != "command"]
    # An audience asked for with -a that no spec has (a typo): say that it was not built.
    unknown = [result.audience_id for result in report.failed
               if result.scope == "command" and result.audience_id]
    drafts = sum(path.suffix == ".eml" for result in report.results
                 if not result.failed and (result.reused or not result.skipped)
                 for path, _ in result.files)
    typer.echo(f"{_count(len(report.built), 'brief')} built, {len(report.skipped)} unchanged, "
               f"{len(failed)} failed" + (f", {_count(drafts, 'email draft')} written"
                                          if drafts else "") + f" in {seconds:.2f} s" + "".join(
                   f"; nothing built for -a {ids}: no such audience (see above)"
                   for ids in unknown))


def _echo_once(problems: list[Problem]) -> None:
    """Print problems to stderr, each once: a fact file shared by many specs would otherwise
    repeat its warnings for every one of them."""
    lines = list(dict.fromkeys(str(problem) for problem in problems))
    if lines:
        typer.echo("\n".join(lines), err=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _size(length: int) -> str:
    return f"{length / 1024:.0f} KB" if length < 1024 * 1024 else f"{length / 1048576:.1f} MB"


from briefgen.cli.translate import translate_app  # noqa: E402  (the sub-commands' own module)

app.add_typer(translate_app, name="translate")
from briefgen.cli.take_back import take_back_command  # noqa: E402

app.command("take-back")(take_back_command)


def main() -> None:
    app(prog_name="briefgen")


if __name__ == "__main__":  # pragma: no cover
    main()
