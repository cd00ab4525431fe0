"""Exit codes, and the one place where an error becomes one.

0 success, 1 a problem in the input (printed as file:line:col), 2 wrong usage,
70 an internal error (a bug: please report it), 130 interrupted.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from briefgen import __version__

if TYPE_CHECKING:
    from briefgen.errors import Problem, UserError

EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL_ERROR = 70
EXIT_INTERRUPTED = 130
# What Ctrl-C leaves of a run of specs (see `engine/stopping.py`).
RUN_INTERRUPTED = "interrupted; briefs that were being built were finished, the rest not started"
# Problems listed one by one; an input with thousands of them gets a count for the rest.
LISTED_AT_MOST = 20


def exit_code(error: BaseException) -> int:
    """The exit code `error` ends a command with: a `UserError` of any cause 1, Ctrl-C and
    the stop signals 130, anything else (a bug) 70."""
    from briefgen.errors import UserError

    match error:
        case UserError():
            return EXIT_USER_ERROR
        case KeyboardInterrupt():
            return EXIT_INTERRUPTED
        case _:
            return EXIT_INTERNAL_ERROR


@contextmanager
def exiting_on_error(debug: bool, *, consequence: str = "",
                     interrupted: str = "interrupted") -> Iterator[None]:
    """Run a command's work; what escapes it ends the command with its `exit_code`.

    A user error prints its problems, then `error: <consequence>` when one is given; Ctrl-C
    prints `interrupted`; a bug prints a short "please report" note, and its traceback with
    `debug`.
    """
    from briefgen.errors import UserError

    try:
        yield
    except typer.Exit:
        raise
    except (Exception, KeyboardInterrupt) as error:
        match error:
            case UserError():
                _report_user_error(error, consequence)
            case KeyboardInterrupt():
                typer.echo(interrupted, err=True)
            case _:
                _report_bug(error, debug)
        raise typer.Exit(exit_code(error)) from None


def _report_user_error(error: UserError, consequence: str) -> None:
    if error.problems:
        echo_problems(error.problems)
    else:
        typer.echo(error.text, err=True)
    if consequence:
        typer.echo(f"error: {consequence}", err=True)


def _report_bug(error: BaseException, debug: bool) -> None:
    if debug:
        import traceback

        traceback.print_exception(error, file=sys.stderr)
    typer.echo(f"internal error ({type(error).__name__}): this is a bug in briefgen "
               f"{__version__}. Please report it with the files named in the command"
               f"{'' if debug else ' and the output of --debug'}.", err=True)


def echo_problems(problems: list[Problem]) -> None:
    """Each problem on stderr, the first `LISTED_AT_MOST` of them, then how many more."""
    for problem in problems[:LISTED_AT_MOST]:
        typer.echo(str(problem), err=True)
    rest = len(problems) - LISTED_AT_MOST
    if rest > 0:
        typer.echo(f"... and {rest:,} more problem{'' if rest == 1 else 's'} like these "
                   "(not listed)", err=True)
