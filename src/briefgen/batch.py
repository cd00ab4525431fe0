"""Build many briefs at once: every audience of every spec, in parallel, skipping what is
unchanged.

A unit of work is one audience of one spec (or the generic brief of a spec without
audiences): its PDF and DOCX are written together, atomically. Specs are read and checked in
the main process; units are rendered on all cores by forked workers that re-read the spec
(cheap) so nothing large crosses process boundaries.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from briefgen import __version__
from briefgen.errors import Problem, UserError
from briefgen.fonts import FONT_FOLDER

SPEC_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Unit:
    """One audience of one spec to build."""

    spec_path: Path
    brief_id: str
    audience_id: str | None
    inputs_digest: str


@dataclass
class UnitResult:
    spec_path: Path
    brief_id: str
    audience_id: str | None
    audience_name: str | None = None
    files: list[tuple[Path, int]] = field(default_factory=list)
    page: str = ""
    fit: str = ""
    seconds: float = 0.0
    skipped: bool = False
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return bool(self.problems)


@dataclass
class Plan:
    units: list[Unit] = field(default_factory=list)
    skipped: list[UnitResult] = field(default_factory=list)
    failed: list[UnitResult] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Spec files named directly, and the .yaml files directly inside named folders."""
    specs: list[Path] = []
    for path in paths:
        if path.is_dir():
            specs += sorted(child for child in path.iterdir()
                            if child.suffix in SPEC_SUFFIXES and child.is_file()
                            and not child.name.startswith((".", "_")) and _is_brief(child))
        else:
            specs.append(path)
    unique: dict[Path, Path] = {}
    for spec in specs:  # a spec named twice is built once
        unique.setdefault(spec.resolve(), spec)
    return list(unique.values())


def _is_brief(path: Path) -> bool:
    """Whether a YAML file in a folder is a brief spec (a `brief:` key at the top level).

    Fact files and other YAML kept beside specs are passed over when building a folder.
    """
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return any(line.startswith("brief:") for line in handle)
    except OSError:
        return True  # let the build report why it cannot be read


def plan_builds(spec_paths: list[Path], out_root: Path, *, audiences: set[str] | None = None,
                force: bool = False, strict: bool = False, email: bool = False) -> Plan:
    """Read and check every spec; decide which units to build, skip or report as failed."""
    from briefgen.checks import check_spec
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import (
        AudienceFailure,
        validate_spec,
        validate_spec_by_audience,
    )
    from briefgen.template import load_template

    plan = Plan()
    owners: dict[str, Path] = {}
    audiences_seen: set[str] = set()
    for spec_path in spec_paths:
        try:
            document = load_spec(spec_path)
            failures: list[AudienceFailure] = []
            if strict:
                spec = validate_spec(document)
            else:
                spec, document, failures = validate_spec_by_audience(document)
            template = load_template(spec.brief.template, spec_path)
            problems = check_spec(spec, document, template)
        except UserError as error:
            plan.failed.append(UnitResult(spec_path, "", None, problems=_problems(error,
                                                                                   spec_path)))
            continue
        brief_id = spec.brief.id
        if brief_id in owners and owners[brief_id] != spec_path:
            plan.failed.append(UnitResult(spec_path, brief_id, None, problems=[Problem(
                document.locate(("brief", "id")), "brief.id", f"brief id {brief_id!r} is also used by "
                f"{owners[brief_id]}; both would write to the same folder",
                "give each spec its own brief.id", rule="duplicate-id")]))
            continue
        owners[brief_id] = spec_path
        errors = [problem for problem in problems if problem.severity == "error"]
        if not strict:
            # A rule broken inside one audience (its language, say) fails that audience alone.
            for index, audience in enumerate(spec.audiences):
                own = [problem for problem in errors
                       if problem.field.startswith(f"audiences[{index}]")]
                if own:
                    failures.append(AudienceFailure(audience.id, own))
                    errors = [problem for problem in errors if problem not in own]
        if errors:
            plan.failed.append(UnitResult(spec_path, brief_id, None, problems=errors))
            continue
        failed_ids = {failure.audience_id for failure in failures}
        plan.warnings += [problem for problem in problems if problem.severity == "warning"]
        for failure in failures:
            if audiences is None or failure.audience_id in audiences:
                plan.failed.append(UnitResult(spec_path, brief_id, failure.audience_id,
                                              problems=failure.problems))
        known = [audience.id for audience in spec.audiences if audience.id not in failed_ids]
        audiences_seen |= set(known) | failed_ids
        # A spec without audiences builds one generic brief; one whose audiences all
        # failed builds nothing more.
        wanted: list[str | None] = list(known) or ([] if failures else [None])
        if audiences is not None:
            unknown = sorted(audiences - set(known) - {failure.audience_id
                                                        for failure in failures})
            if unknown and len(spec_paths) == 1:
                plan.failed.append(UnitResult(spec_path, brief_id, None, problems=[Problem(
                    spec_path, "audiences", f"no audience with id {', '.join(unknown)}",
                    f"known: {', '.join(known) or 'none (the spec has no audiences)'}",
                    rule="unknown-audience")]))
            wanted = [audience_id for audience_id in wanted if audience_id in audiences]
        pictures = [spec_path.parent / sender.logo
                    for sender in [spec.brief.from_, *(a.from_ for a in spec.audiences)]
                    if sender is not None and sender.logo]
        digest = _inputs_digest(spec_path, [*document.included, *pictures], template.folder)
        for audience_id in wanted:
            unit = Unit(spec_path, brief_id, audience_id, f"{digest}:{audience_id}")
            previous = _previous_files(out_root, unit)
            # Drafts are always written afresh: they are quick, and carry the current files.
            if previous is not None and not force and not email:
                plan.skipped.append(UnitResult(spec_path, brief_id, audience_id, files=previous,
                                               skipped=True))
            else:
                plan.units.append(unit)
    unknown = sorted((audiences or set()) - audiences_seen)
    if unknown and len(spec_paths) > 1:
        plan.failed.append(UnitResult(Path("."), "", None, problems=[Problem(
            Path("."), "--audience", f"no audience with id {', '.join(unknown)} in any spec "
            "of this build", "check the spelling of the audience id",
            rule="unknown-audience")]))
    return plan


def run_units(units: list[Unit], out_root: Path, jobs: int,
              on_done: Callable[[UnitResult], None] | None = None, *, email: bool = False
              ) -> list[UnitResult]:
    """Render and write every unit, on `jobs` processes; results in the order of `units`."""
    if jobs <= 1 or len(units) <= 1:
        results = []
        for unit in units:
            result = build_unit(unit, out_root, email)
            if on_done:
                on_done(result)
            results.append(result)
        return results
    _warm_up()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(units)), mp_context=context) as pool:
        futures: list[Future[UnitResult]] = [pool.submit(build_unit, unit, out_root, email)
                                             for unit in units]
        if on_done:
            for future in futures:
                future.add_done_callback(lambda done: on_done(done.result()))
        return [future.result() for future in futures]


def build_unit(unit: Unit, out_root: Path, email: bool = False) -> UnitResult:
    """Render one audience of one spec and write its files (runs in a worker)."""
    from briefgen.build import render_brief
    from briefgen.drafts import compose_draft, draft_path
    from briefgen.write import OutputFile, write_atomically

    started = time.perf_counter()
    result = UnitResult(unit.spec_path, unit.brief_id, unit.audience_id)
    try:
        spec, document, template = _prepared(unit.spec_path, unit.inputs_digest)
        index = None
        if unit.audience_id is not None:
            index = [audience.id for audience in spec.audiences].index(unit.audience_id)
        rendered = render_brief(spec, template, document, index, out_root, result.timings)
        state = _state_path(out_root, unit)
        files = [rendered.pdf, rendered.docx]
        if email and rendered.view is not None:
            draft = compose_draft(spec, document, template, index, rendered.view, rendered.pdf,
                                  rendered.docx)
            files.append(draft.file)
            result.warnings = draft.warnings
        write_atomically([*files, OutputFile(state, _state_text(unit, files).encode())],
                         protected={unit.spec_path, *document.included})
        outdated = draft_path(rendered.pdf.path)
        if not email and outdated.exists():
            # A draft must never carry an older PDF than the one in the folder.
            outdated.unlink()
            result.warnings.append(Problem(
                outdated, "", "removed the email draft: it carried the previous version",
                "run briefgen email to write it again", rule="drafts", severity="warning"))
    except UserError as error:
        result.problems = _problems(error, unit.spec_path)
        return result
    result.audience_name = rendered.audience_name
    result.files = [(file.path, len(file.data)) for file in files]
    result.page = rendered.page
    result.fit = rendered.fit.describe()
    result.seconds = time.perf_counter() - started
    return result


@lru_cache(maxsize=8)
def _prepared(spec_path: Path, inputs_digest: str):  # type: ignore[no-untyped-def]
    """Spec, document and template of a spec file, read once per process and version of all
    its inputs (spec, fact files, template): a changed fact file is read again."""
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec_by_audience
    from briefgen.template import load_template

    del inputs_digest
    document = load_spec(spec_path)
    spec, document, _ = validate_spec_by_audience(document)
    return spec, document, load_template(spec.brief.template, spec_path)


def _warm_up() -> None:
    """Import the renderers and load fonts before forking, so workers start ready."""
    from briefgen.render import docx, pdf  # noqa: F401


def _problems(error: UserError, spec_path: Path) -> list[Problem]:
    return error.problems or [Problem(spec_path, "", error.text)]


def _inputs_digest(spec_path: Path, included: list[Path], template_folder: Path) -> str:
    """Digest of everything a unit's output depends on: a rebuild is skipped if it matches."""
    digest = hashlib.sha256(f"briefgen {__version__}\n".encode())
    files = [spec_path, *included, *sorted(template_folder.iterdir()),
             *sorted(FONT_FOLDER.iterdir())]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes() if path.suffix != ".ttf"
                          else str(path.stat().st_size).encode())
    return digest.hexdigest()[:32]


def _state_path(out_root: Path, unit: Unit) -> Path:
    return out_root / unit.brief_id / f".{unit.audience_id or 'brief'}.inputs"


def _state_text(unit: Unit, files: Sequence[object]) -> str:
    lines = [unit.inputs_digest] + [str(getattr(file, "path", file)) for file in files]
    return "\n".join(lines) + "\n"


def _previous_files(out_root: Path, unit: Unit) -> list[tuple[Path, int]] | None:
    """The unit's files from an earlier build with the same inputs, or None."""
    try:
        lines = _state_path(out_root, unit).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != unit.inputs_digest:
        return None
    files = []
    for name in lines[1:]:
        path = Path(name)
        if not path.is_file():
            return None
        files.append((path, path.stat().st_size))
    return files or None


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))
