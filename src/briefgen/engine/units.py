"""What a run is asked to do, what it works on and what it reports.

A unit is one audience of one spec (or a spec without audiences): it is built, skipped or
fails on its own, and its result says which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from briefgen.document import Fit
from briefgen.errors import Location, Problem, UserError

Mode = Literal["build", "email", "check"]
Scope = Literal["command", "spec", "audience"]


@dataclass(frozen=True)
class BuildOptions:
    """What a run does. `out` None: `out/` in each spec's project folder (see `output_root`)."""

    mode: Mode = "build"
    out: Path | None = None
    audiences: frozenset[str] | None = None
    jobs: int | None = 1  # None: as many processes as cores and work warrant
    force: bool = False  # build even units whose inputs did not change
    strict: bool = False  # a spec with a broken audience builds nothing
    allow_draft: bool = False  # email: attach versions marked as drafts too


@dataclass(frozen=True)
class Unit:
    """One audience of one spec (audience None: a spec without audiences)."""

    spec_path: Path
    brief_id: str
    audience_id: str | None
    spec_digest: str  # of every input of the spec: see `build_state.inputs_digest`
    out_root: Path
    # The files of its last build when its inputs did not change since: an email draft
    # attaches them as they are, instead of building them again.
    built: tuple[tuple[Path, int], ...] = ()


@dataclass
class UnitResult:
    """What became of one unit, or of a spec that failed before it had units."""

    spec_path: Path
    brief_id: str
    audience_id: str | None
    audience_name: str | None = None
    files: list[tuple[Path, int]] = field(default_factory=list)  # written, with sizes
    page: str = ""
    fit: Fit | None = None
    skipped: bool = False  # its inputs did not change: its files were not built again
    reused: bool = False  # skipped, and an email draft was written with its files
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    scope: Scope = "audience"  # what a failure stopped: the command, a spec or one audience

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    @property
    def pdf(self) -> Path | None:
        return next((path for path, _ in self.files if path.suffix == ".pdf"), None)

    @property
    def docx(self) -> Path | None:
        return next((path for path, _ in self.files if path.suffix == ".docx"), None)


@dataclass
class Report:
    """Everything a run did, in the order the specs and their audiences were given."""

    results: list[UnitResult] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # from planning, once per spec

    @property
    def built(self) -> list[UnitResult]:
        return [result for result in self.results if not result.failed and not result.skipped]

    @property
    def skipped(self) -> list[UnitResult]:
        return [result for result in self.results if result.skipped]

    @property
    def failed(self) -> list[UnitResult]:
        return [result for result in self.results if result.failed]

    def problems(self) -> list[Problem]:
        """Every error and warning, each once, in file order (what `check` prints)."""
        found = [problem for result in self.results
                 for problem in (*result.problems, *result.warnings)] + self.warnings
        unique = {problem.check_line(): problem for problem in found}
        return sorted(unique.values(), key=_file_order)


def _file_order(problem: Problem) -> tuple[str, int, int]:
    location = problem.location
    if isinstance(location, Location):
        return (str(location.file), location.line, location.column)
    return (str(location), 0, 0)


def problems_of(error: UserError, path: Path) -> list[Problem]:
    """A user error's problems; one naming `path` when it has only a text."""
    return error.problems or [Problem(path, "", error.text)]
