"""`briefgen preview`: one spec's pages and problems in the browser, rebuilt on every save."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from briefgen.cli.exits import EXIT_USER_ERROR, exiting_on_error
from briefgen.cli.options import Debug, OutFolder, named_specs


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
    from briefgen.engine.units import BuildOptions

    specs = named_specs([path])
    if len(specs) != 1:
        typer.echo(f"{path}: holds {len(specs)} specs; preview shows one: name its .yaml file",
                   err=True)
        raise typer.Exit(EXIT_USER_ERROR)
    with exiting_on_error(debug):
        from briefgen.preview.command import run_preview

        run_preview(specs[0], BuildOptions(out=out), port=port, open_browser=not no_browser,
                    echo=typer.echo, echo_status=lambda line: typer.echo(line, err=True),
                    debug=debug)
