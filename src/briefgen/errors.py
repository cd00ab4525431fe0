"""Two exception families: problems the user can fix, and bugs in briefgen.

`UserError` and its subclasses are printed without a traceback and end the command with exit
code 1. Anything else that escapes the pipeline is a bug: the CLI prints a short "please report"
message, and the traceback only with `--debug`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in an input file; line and column count from 1."""

    file: Path
    line: int
    column: int

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, where it is, and what to do about it."""

    location: Location | Path
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = str(self.location) if isinstance(self.location, Location) else display_path(
            self.location
        )
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class UserError(Exception):
    """Something in the user's input or environment that the user can change."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            self.problems: list[Problem] = []
            self.text = problems
        else:
            self.problems = problems if isinstance(problems, list) else [problems]
            self.text = "\n".join(str(problem) for problem in self.problems)
        super().__init__(self.text)


class SpecError(UserError):
    """The spec (or a file it names) is not a valid brief."""


class TemplateError(UserError):
    """A template is missing, malformed or failed while rendering."""


class FitError(UserError):
    """The brief does not fit on one page even at the tightest allowed setting."""


class BriefgenBug(Exception):
    """An internal invariant broke: this is a defect in briefgen, not in the input."""


def display_path(path: Path) -> str:
    """Show a path relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
