"""One mapping from what ends a command to its exit code and message, for every command."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from briefgen import __version__
from briefgen.cli.exits import (
    EXIT_INTERNAL_ERROR,
    EXIT_INTERRUPTED,
    EXIT_USER_ERROR,
    LISTED_AT_MOST,
    exit_code,
    exiting_on_error,
)
from briefgen.engine.stopping import Terminated
from briefgen.errors import (
    AttachmentError,
    BriefgenBug,
    DraftRefused,
    FitError,
    PortUnavailable,
    Problem,
    SpecError,
    TemplateError,
    UserError,
)


def run(raised: BaseException | None, *, debug: bool = False, consequence: str = "") -> Result:
    """A command whose work raises `raised` (or ends with exit code 3 when None)."""
    app = typer.Typer()

    @app.command()
    def command() -> None:
        with exiting_on_error(debug, consequence=consequence):
            if raised is None:
                raise typer.Exit(3)
            raise raised

    return CliRunner().invoke(app, [])


@pytest.mark.parametrize("cause", [SpecError, TemplateError, FitError, AttachmentError,
                                   DraftRefused, PortUnavailable, UserError])
def test_every_cause_of_a_user_error_ends_with_exit_code_1(cause: type[UserError]) -> None:
    assert exit_code(cause("what to change")) == EXIT_USER_ERROR


def test_interruptions_and_bugs_have_their_own_codes() -> None:
    assert exit_code(KeyboardInterrupt()) == exit_code(Terminated("SIGTERM")) == EXIT_INTERRUPTED
    assert exit_code(BriefgenBug("broken")) == exit_code(ValueError()) == EXIT_INTERNAL_ERROR


def test_a_user_error_prints_its_problems_and_what_was_not_done() -> None:
    problem = Problem(Path("brief.yaml"), "summary", "is empty", "write the text")
    result = run(SpecError([problem]), consequence="nothing was written")
    assert result.exit_code == EXIT_USER_ERROR
    assert result.stderr.splitlines() == ["brief.yaml: summary: is empty",
                                          "    hint: write the text",
                                          "error: nothing was written"]


def test_a_user_error_without_problems_prints_its_text() -> None:
    result = run(PortUnavailable("error: port 80 may not be used here"))
    assert result.exit_code == EXIT_USER_ERROR
    assert result.stderr == "error: port 80 may not be used here\n"


def test_thousands_of_problems_are_listed_up_to_a_limit_then_counted() -> None:
    problems = [Problem(Path("a.xlf"), "", f"unit {number} is broken") for number in range(1234)]
    lines = run(UserError(problems)).stderr.splitlines()
    assert len(lines) == LISTED_AT_MOST + 1
    assert lines[-1] == f"... and {1234 - LISTED_AT_MOST:,} more problems like these (not listed)"


def test_a_bug_asks_for_a_report_and_shows_its_traceback_only_with_debug() -> None:
    quiet = run(RuntimeError("simulated defect"))
    assert quiet.exit_code == EXIT_INTERNAL_ERROR
    assert quiet.stderr == (f"internal error (RuntimeError): this is a bug in briefgen "
                            f"{__version__}. Please report it with the files named in the "
                            "command and the output of --debug.\n")
    loud = run(RuntimeError("simulated defect"), debug=True)
    assert "Traceback" in loud.stderr and "simulated defect" in loud.stderr
    assert "output of --debug" not in loud.stderr


def test_ctrl_c_ends_with_exit_code_130() -> None:
    result = run(KeyboardInterrupt())
    assert result.exit_code == EXIT_INTERRUPTED
    assert result.stderr == "interrupted\n"


def test_an_exit_the_command_chose_passes_through() -> None:
    result = run(None)
    assert result.exit_code == 3 and result.stderr == ""
