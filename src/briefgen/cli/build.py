"""`briefgen build` and `briefgen email`: build specs once or on every save, and report."""

from __future__ import annotations

import sys
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefgen.cli.exits import EXIT_USER_ERROR, RUN_INTERRUPTED, exiting_on_error
from briefgen.cli.options import AudienceIds, Debug, Jobs, OutFolder, Quiet, SpecPaths, named_specs

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from briefgen.engine.units import BuildOptions
    from briefgen.errors import Problem

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
    from briefgen.engine.units import BuildOptions

    options = BuildOptions(mode="email" if email else "build", out=out,
                           audiences=frozenset(audience) if audience else None,
                           jobs=jobs, force=force, strict=strict)
    if watch:
        build_on_every_save(paths, options, quiet=quiet, debug=debug)
        return
    if build_and_report(named_specs(paths), options, quiet=quiet, debug=debug):
        raise typer.Exit(EXIT_USER_ERROR)


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
    from briefgen.engine.units import BuildOptions

    options = BuildOptions(mode="email", out=out,
                           audiences=frozenset(audience) if audience else None,
                           jobs=jobs, allow_draft=allow_draft)
    if build_and_report(named_specs(paths), options, quiet=quiet, debug=debug):
        raise typer.Exit(EXIT_USER_ERROR)


def build_and_report(specs: list[Path], options: BuildOptions, *, quiet: bool,
                     debug: bool) -> int:
    """Build once; print problems and the summary; return the number of failures."""
    from briefgen.cli.summary import print_summary
    from briefgen.engine.batch import run_specs

    started = time.perf_counter()
    with exiting_on_error(debug, interrupted=RUN_INTERRUPTED), ProgressBar(
            enabled=not quiet) as progress:
        report = run_specs(specs, options, progress.advance)
    echo_once(report.warnings + [warning for result in report.results
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
        print_summary(report, time.perf_counter() - started)
    return len(report.failed)


def build_on_every_save(paths: list[Path], options: BuildOptions, *, quiet: bool,
                        debug: bool) -> None:
    """Build, then rebuild whenever an input is saved; report problems and keep watching."""
    from briefgen.engine.folders import expand_paths, locate_spec, output_root
    from briefgen.engine.watch import watch_inputs

    located = [locate_spec(path) for path in paths]
    for path in located:
        if not path.exists():
            typer.echo(f"{path}: does not exist yet; it is watched for", err=True)

    def build_now(_: object = None) -> None:
        specs = expand_paths(path for path in located if path.exists())
        if specs:
            started = time.perf_counter()
            failures = build_and_report(specs, options, quiet=quiet, debug=debug)
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


def echo_once(problems: list[Problem]) -> None:
    """Print problems to stderr, each once: a fact file shared by many specs would otherwise
    repeat its warnings for every one of them."""
    lines = list(dict.fromkeys(str(problem) for problem in problems))
    if lines:
        typer.echo("\n".join(lines), err=True)


class ProgressBar:
    """A progress bar on a terminal for batches long enough to need one."""

    SHOWN_FROM = 8  # units finished before the bar appears

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        self.finished = 0

    def __enter__(self) -> ProgressBar:
        return self

    def advance(self, _: object) -> None:
        self.finished += 1
        if self.enabled and self.bar is None and self.finished == self.SHOWN_FROM:
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task("building", total=None, completed=self.finished)
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=self.finished)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
