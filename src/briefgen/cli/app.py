"""The `briefgen` Typer app: its commands, in the order `briefgen --help` lists them.

A command is a function in its own module of this package, registered below; each imports
the pipeline only when it runs, so `briefgen --help` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from briefgen import __version__
from briefgen.cli import build, check, preview, starter, take_back, translate

app = typer.Typer(
    name="briefgen",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
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


app.command()(build.build)
app.command()(build.email)
app.command()(check.check)
app.command()(preview.preview)
app.command()(starter.schema)
app.command()(starter.new)
app.command("take-back")(take_back.take_back_command)
app.add_typer(translate.translate_app, name="translate")


def main() -> None:
    app(prog_name="briefgen")
