"""Small pieces of what commands print: counted nouns, sizes and aligned tables."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import typer


def counted(number: int, noun: str) -> str:
    """`1 brief`, `3 briefs`."""
    return f"{number} {noun}{plural(number)}"


def plural(number: int) -> str:
    return "" if number == 1 else "s"


def file_size(length: int) -> str:
    """`14 KB`, `1.2 MB`."""
    return f"{length / 1024:.0f} KB" if length < 1024 * 1024 else f"{length / 1048576:.1f} MB"


def echo_table(rows: Sequence[Sequence[str]], right_aligned: Collection[int] = ()) -> None:
    """Print rows as columns two spaces apart, the `right_aligned` ones (by index) flush
    right."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(cell.rjust(width) if column in right_aligned else cell.ljust(width)
                             for column, (cell, width) in enumerate(zip(row, widths, strict=True))
                             ).rstrip())
