"""Run specs: plan every audience of every spec, then build, email or check them.

    run_specs(spec paths, options) -> Report

Specs are planned in this process, in the order given, and their units built after; the
first spec to use a brief id owns it: a later spec with the same id is an error that names
both files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from briefgen.engine.plan import SpecPlan, plan_spec
from briefgen.engine.pool import build_units
from briefgen.engine.stopping import stopping_on_request
from briefgen.engine.units import BuildOptions, Report, Unit, UnitResult
from briefgen.errors import Problem

__all__ = ["BuildOptions", "Report", "UnitResult", "plan_specs", "run_specs"]


def run_specs(spec_paths: Sequence[Path], options: BuildOptions,
              on_result: Callable[[UnitResult], None] | None = None) -> Report:
    """Plan every spec, then build its units; `on_result` is called as each unit finishes."""
    with stopping_on_request():
        report, units = plan_specs(spec_paths, options)
        report.results += build_units(units, options, on_result)
        return report


def plan_specs(spec_paths: Sequence[Path], options: BuildOptions) -> tuple[Report, list[Unit]]:
    """Every spec planned: the report of what failed or was skipped, and the units to build."""
    report = Report()
    owners: dict[str, Path] = {}
    audiences_seen: set[str] = set()
    units: list[Unit] = []
    for spec_path in spec_paths:
        plan = plan_spec(spec_path, options, single_spec=len(spec_paths) == 1)
        owner = owners.setdefault(plan.brief_id, spec_path) if plan.brief_id else spec_path
        if owner != spec_path:
            report.results.append(_brief_id_taken(plan, spec_path, owner))
            continue
        report.warnings += plan.warnings
        audiences_seen |= plan.audiences_seen
        report.results += plan.results  # failures and skipped units
        units += plan.units
    unknown = sorted((options.audiences or set()) - audiences_seen)
    if unknown and len(spec_paths) > 1:
        report.results.append(_no_spec_has_audiences(unknown))
    return report, units


def _brief_id_taken(plan: SpecPlan, spec_path: Path, owner: Path) -> UnitResult:
    return UnitResult(spec_path, plan.brief_id, None, scope="spec", problems=[Problem(
        plan.id_location, "brief.id", f"brief id {plan.brief_id!r} is also used by {owner}; "
        "both would write to the same folder", "give each spec its own brief.id",
        rule="duplicate-id")])


def _no_spec_has_audiences(unknown: list[str]) -> UnitResult:
    """Audience ids asked for with -a that no spec of the run has (a typo)."""
    ids = ", ".join(unknown)
    return UnitResult(Path("."), "", ids, scope="command", problems=[Problem(
        Path("."), "--audience", f"no audience with id {ids} in any spec of this build",
        "check the spelling of the audience id", rule="unknown-audience")])
