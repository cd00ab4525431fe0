"""Two exception families: problems the user can fix, and bugs in briefgen.

`UserError` and its subclasses, one per cause, are printed without a traceback and end the
command with exit code 1. Anything else that escapes the pipeline is a bug: the CLI prints a
short "please report" message, and the traceback only with `--debug` (`cli/exits.py`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
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
    """One thing wrong with an input, where it is, and what to do about it.

    `rule` names the check that found it (see `briefgen check`); `severity` is "error" (the
    brief is not built) or "warning" (it is built, and the warning printed).
    """

    location: Location | Path
    field: str
    message: str
    hint: str = ""
    rule: str = ""
    severity: str = "error"

    @property
    def where(self) -> str:
        if isinstance(self.location, Location):
            return str(self.location)
        return display_path(self.location)

    def __str__(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        text = f"{self.where}: {label}"
        text += f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def check_line(self) -> str:
        """`file:line:col: severity: rule-id: field: message`, as `briefgen check` prints."""
        text = f"{self.where}: {self.severity}: {self.rule or 'spec'}: "
        text += f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_json(self) -> dict[str, object]:
        location = self.location
        file, line, column = ((location.file, location.line, location.column)
                              if isinstance(location, Location) else (location, None, None))
        return {
            "file": display_path(file),
            "line": line,
            "column": column,
            "severity": self.severity,
            "rule": self.rule or "spec",
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }


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


class AttachmentError(UserError):
    """An email draft's attachments would be refused by mail gateways: too large, or
    carrying scripts, embedded files, encryption or links other than https: and mailto:."""


class DraftRefused(UserError):
    """A version marked as a draft was to be attached to an email."""


class PortUnavailable(UserError):
    """The port the preview was asked to listen on cannot be used."""


class BriefgenBug(Exception):
    """An internal invariant broke: this is a defect in briefgen, not in the input."""


def display_path(path: Path) -> str:
    """Show a path relative to the working directory when it lies below it."""
    return _display_path(path, os.getcwd())


def command_path(path: Path) -> str:
    """A path as it is typed in a suggested command: in double quotes when it holds a space
    (which every shell, cmd.exe and PowerShell included, reads as one word)."""
    shown = display_path(path)
    return f'"{shown}"' if any(char.isspace() for char in shown) else shown


@lru_cache(maxsize=1024)
def _display_path(path: Path, working_directory: str) -> str:
    # Cached: a batch prints the same few files' paths hundreds of times, and resolving a
    # path asks the file system about each of its parts.
    try:
        return str(path.resolve().relative_to(Path(working_directory).resolve()))
    except ValueError:
        return str(path)
