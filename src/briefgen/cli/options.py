"""Arguments and options that several commands share, and the specs they name."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from briefgen.cli.exits import EXIT_USER_ERROR

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


def named_specs(paths: list[Path]) -> list[Path]:
    """The specs named, or exit with a message saying which name matched nothing."""
    from briefgen.engine.folders import SPEC_SUFFIXES, expand_paths, locate_spec

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
