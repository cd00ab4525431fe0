"""Planning one spec: read and check it, then decide which of its units to build, which to
skip as unchanged, and which fail (a broken audience fails alone unless `--strict`)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from briefgen.engine.build_state import inputs_digest, previous_files
from briefgen.engine.folders import output_root
from briefgen.engine.units import BuildOptions, Unit, UnitResult, problems_of
from briefgen.errors import Location, Problem, UserError

if TYPE_CHECKING:
    from briefgen.spec.loader import YamlDocument
    from briefgen.spec.models import BriefSpec
    from briefgen.spec.validate import AudienceFailure
    from briefgen.template import Template


class CheckedSpec(NamedTuple):
    """A spec that passed validation, the YAML it came from, and its template."""

    spec: BriefSpec
    document: YamlDocument
    template: Template


@dataclass
class SpecPlan:
    """What planning one spec decided: its units, its failures and skipped units, warnings."""

    brief_id: str  # empty when the spec could not be read or validated
    id_location: Location | Path
    units: list[Unit] = field(default_factory=list)
    results: list[UnitResult] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    audiences_seen: set[str] = field(default_factory=set)


def plan_spec(spec_path: Path, options: BuildOptions, *, single_spec: bool = True) -> SpecPlan:
    """Read and check one spec; decide which of its units to build, skip or report.

    `single_spec`: the spec is the only one of the run, so an audience id asked for that it
    does not have is reported with it (else once for the run, by `run_specs`).
    """
    try:
        checked, failures, problems = check_spec_file(spec_path, strict=options.strict)
    except UserError as error:
        return SpecPlan("", spec_path, results=[UnitResult(
            spec_path, "", None, problems=problems_of(error, spec_path), scope="spec")])
    spec, document = checked.spec, checked.document
    plan = SpecPlan(spec.brief.id, document.locate(("brief", "id")))
    plan.warnings = [problem for problem in problems if problem.severity == "warning"]
    errors = [problem for problem in problems if problem.severity == "error"]
    if not options.strict:
        errors, failures = _errors_of_audiences_apart(errors, spec, failures)
    if errors:
        plan.results.append(UnitResult(spec_path, spec.brief.id, None, problems=errors,
                                       scope="spec"))
        return plan
    wanted = _wanted_audiences(plan, spec_path, spec, failures, options, single_spec)
    digest = inputs_digest(spec_path, document, spec, checked.template)
    remember_checked_spec(spec_path, digest, checked)
    for audience_id in wanted:
        _plan_unit(plan, Unit(spec_path, spec.brief.id, audience_id, digest,
                              output_root(spec_path, options)), options)
    return plan


def check_spec_file(spec_path: Path, *, strict: bool
                    ) -> tuple[CheckedSpec, list[AudienceFailure], list[Problem]]:
    """Load, validate and check a spec: the spec (without its broken audiences unless
    `strict`), those audiences' failures, and every problem the checks found."""
    from briefgen.checks import check_spec
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec, validate_spec_by_audience
    from briefgen.template import load_template

    document = load_spec(spec_path)
    failures: list[AudienceFailure] = []
    if strict:
        spec = validate_spec(document)
    else:
        spec, document, failures = validate_spec_by_audience(document)
    template = load_template(spec.brief.template, spec_path)
    problems = check_spec(spec, document, template) + _logo_problems(spec, document, template)
    return CheckedSpec(spec, document, template), failures, problems


def _errors_of_audiences_apart(errors: list[Problem], spec: BriefSpec,
                               failures: list[AudienceFailure]
                               ) -> tuple[list[Problem], list[AudienceFailure]]:
    """A rule broken inside one audience (its language, say) fails that audience alone:
    the errors left for the whole spec, and the failures with those audiences added."""
    from briefgen.spec.validate import AudienceFailure

    failures = list(failures)
    for index, audience in enumerate(spec.audiences):
        own = [problem for problem in errors if problem.field.startswith(f"audiences[{index}]")]
        if own:
            failures.append(AudienceFailure(audience.id, own))
            errors = [problem for problem in errors if problem not in own]
    return errors, failures


def _wanted_audiences(plan: SpecPlan, spec_path: Path, spec: BriefSpec,
                      failures: list[AudienceFailure], options: BuildOptions,
                      single_spec: bool) -> list[str | None]:
    """The audiences to build (None: the one generic brief of a spec without audiences);
    the failed ones, and the ids asked for that the spec lacks, go into `plan.results`."""
    asked = options.audiences
    failed_ids = {failure.audience_id for failure in failures}
    plan.results += [UnitResult(spec_path, spec.brief.id, failure.audience_id,
                                problems=failure.problems)
                     for failure in failures if asked is None or failure.audience_id in asked]
    known = [audience.id for audience in spec.audiences if audience.id not in failed_ids]
    plan.audiences_seen = set(known) | failed_ids
    # A spec without audiences builds one generic brief; one whose audiences all failed
    # builds nothing more.
    wanted: list[str | None] = list(known) or ([] if failures else [None])
    if asked is None:
        return wanted
    unknown = sorted(asked - plan.audiences_seen)
    if unknown and single_spec:
        # The unknown ids stand as the result's audience: the summary says they were not
        # built, and why.
        plan.results.append(UnitResult(
            spec_path, spec.brief.id, ", ".join(unknown), scope="command",
            problems=[_unknown_audiences(unknown, spec, known, spec_path)]))
    return [audience_id for audience_id in wanted if audience_id in asked]


def _plan_unit(plan: SpecPlan, unit: Unit, options: BuildOptions) -> None:
    """Build the unit, or skip it when its inputs did not change since its files were
    written; an email draft of an unchanged unit attaches those files as they are."""
    previous = (previous_files(unit) if options.mode != "check" and not options.force
                else None)
    if previous is not None and options.mode == "build":
        plan.results.append(UnitResult(unit.spec_path, unit.brief_id, unit.audience_id,
                                       files=previous, skipped=True))
    else:
        plan.units.append(replace(unit, built=tuple(previous or ())))


def _unknown_audiences(unknown: list[str], spec: BriefSpec, known: list[str],
                       spec_path: Path) -> Problem:
    """No audience has these ids: suggest a close id, or the audiences in a language whose
    code is close (`-a fra` suggests the French version's id)."""
    languages = {audience.id: audience.language or spec.brief.language
                 for audience in spec.audiences if audience.id in known}
    suggestions: list[str] = []
    for name in unknown:
        close = (difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                 or _audiences_in_a_close_language(name, languages))
        suggestions += [match for match in close if match not in suggestions]
    hint = (f"did you mean {', '.join(suggestions)}? " if suggestions else "") + (
        f"known: {', '.join(known) or 'none (the spec has no audiences)'}")
    return Problem(spec_path, "audiences", f"no audience with id {', '.join(unknown)}", hint,
                   rule="unknown-audience")


def _audiences_in_a_close_language(name: str, languages: dict[str, str]) -> list[str]:
    """`fr (fr-CH)` for `-a fra`: audiences whose language's code is close to `name`."""
    return [f"{audience_id} ({language})" for audience_id, language in languages.items()
            if difflib.get_close_matches(name.lower(), [language.lower().split("-")[0],
                                                        language.lower()], cutoff=0.6)]


def _logo_problems(spec: BriefSpec, document: YamlDocument, template: Template
                   ) -> list[Problem]:
    """Each logo the spec names, checked once (not once per audience that shows it)."""
    from briefgen.checks import logo_problem
    from briefgen.resolve.assets import load_picture
    from briefgen.spec.loader import format_field_path

    senders = [(("brief", "from"), spec.brief.from_)] + [
        (("audiences", index, "from"), audience.from_)
        for index, audience in enumerate(spec.audiences) if audience.from_ is not None]
    problems: list[Problem] = []
    checked: set[str] = set()
    for path, sender in senders:
        if sender is None or not sender.logo or sender.logo in checked:
            continue
        checked.add(sender.logo)
        where = (*path, "logo")
        try:
            picture = load_picture(sender.logo, document.path, document.locate(where),
                                   format_field_path(where))
        except UserError as error:
            problems += error.problems
            continue
        problem = logo_problem(picture, template, sender.logo, document.locate(where),
                               format_field_path(where))
        if problem is not None:
            problems.append(problem)
    return problems


# Specs checked while planning, by path and the digest of all their inputs, so that building
# their units in this process (or in workers started after planning) need not check them
# again. A few at most: a large batch reads each spec again where it is built.
_CHECKED_SPECS: dict[tuple[Path, str], CheckedSpec] = {}
KEEP_CHECKED_SPECS = 8


def remember_checked_spec(spec_path: Path, digest: str, checked: CheckedSpec) -> None:
    if len(_CHECKED_SPECS) >= KEEP_CHECKED_SPECS:
        del _CHECKED_SPECS[next(iter(_CHECKED_SPECS))]
    _CHECKED_SPECS[(spec_path, digest)] = checked


def read_checked_spec(spec_path: Path, digest: str) -> CheckedSpec:
    """Spec, document and template as planning saw them (read again where not kept)."""
    checked = _CHECKED_SPECS.get((spec_path, digest))
    if checked is None:
        from briefgen.spec.includes import load_spec
        from briefgen.spec.validate import validate_spec_by_audience
        from briefgen.template import load_template

        spec, document, _ = validate_spec_by_audience(load_spec(spec_path))
        checked = CheckedSpec(spec, document, load_template(spec.brief.template, spec_path))
        remember_checked_spec(spec_path, digest, checked)
    return checked
