"""`briefgen new` and `briefgen schema`: a starter spec, and the JSON Schema for editors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from briefgen.cli.exits import exiting_on_error


def schema() -> None:
    """Print the JSON Schema of a brief spec (for editors and other tools).

    \b
    The same schema ships as briefs/brief.schema.json; `briefgen new` writes a copy
    next to each new spec.
    """
    from briefgen.starter import schema_json

    typer.echo(schema_json(), nl=False)


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

    from briefgen.errors import display_path
    from briefgen.starter import create_starter

    with exiting_on_error(debug=False):
        written = create_starter(name, folder, dt.date.today())
    typer.echo(f"Wrote {display_path(written[0])} (and {written[1].name} for editors).")
    typer.echo(f"Next: edit it, then run  briefgen build {display_path(written[0])}")
