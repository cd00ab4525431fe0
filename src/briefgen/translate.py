"""`briefgen translate`: hand a brief's texts to a translator and take the translations back."""

from __future__ import annotations

import typer

translate_app = typer.Typer(
    name="translate", no_args_is_help=True, rich_markup_mode=None, add_completion=False,
    help="Export a brief's texts for a translator (XLIFF) and import the translations back.")
