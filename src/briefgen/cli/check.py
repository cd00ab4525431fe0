"""`briefgen check`: every problem of each spec, as text or JSON; nothing is written."""

from __future__ import annotations

from typing import Annotated

import typer

from briefgen.cli.exits import EXIT_USAGE, EXIT_USER_ERROR, RUN_INTERRUPTED, exiting_on_error
from briefgen.cli.options import AudienceIds, Debug, Jobs, SpecPaths, named_specs
from briefgen.cli.output import counted


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

    from briefgen.engine.batch import run_specs
    from briefgen.engine.units import BuildOptions

    if output_format not in {"text", "json"}:
        typer.echo("error: --format must be text or json", err=True)
        raise typer.Exit(EXIT_USAGE)
    specs = named_specs(paths)
    with exiting_on_error(debug, interrupted=RUN_INTERRUPTED):
        report = run_specs(specs, BuildOptions(
            mode="check", jobs=jobs, audiences=frozenset(audience) if audience else None))
    problems = report.problems()
    errors = sum(problem.severity == "error" for problem in problems)
    if output_format == "json":
        typer.echo(json.dumps([problem.as_json() for problem in problems], indent=2,
                              ensure_ascii=False))
    else:
        for problem in problems:
            typer.echo(problem.check_line())
        typer.echo(f"{counted(len(specs), 'spec')} checked: {counted(errors, 'error')}, "
                   f"{counted(len(problems) - errors, 'warning')}", err=True)
    if errors:
        raise typer.Exit(EXIT_USER_ERROR)
