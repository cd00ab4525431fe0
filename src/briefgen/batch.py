"""Build many briefs at once: every audience of every spec, in parallel, skipping what is
unchanged.

A unit of work is one audience of one spec (or the generic brief of a spec without
audiences): its PDF and DOCX are written together, atomically.

Planning reads, validates and checks each spec and decides which of its units to build. A
batch of many specs is planned by forked workers in parallel: each worker keeps the specs it
read and later builds their units itself, unless another worker runs out of work and takes some
over (it reads the spec again). The main process then decides, in the order the specs were
given, which spec owns a brief id, so the outcome never depends on which worker was quicker. A
build of a few specs is planned in the main process before forking, and the workers inherit the
specs already read. With one job, or one unit, nothing is forked.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen import __version__
from briefgen.errors import BriefgenBug, Location, Problem, UserError
from briefgen.fonts import FONT_FOLDER

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from briefgen.prestart import Prestarted, PrestartedWorker
    from briefgen.spec.loader import YamlDocument
    from briefgen.spec.models import BriefSpec
    from briefgen.template import Template
    from briefgen.write import OutputFile

SPEC_SUFFIXES = (".yaml", ".yml")

# Up to this many specs are planned in the main process: the forked workers then inherit them
# read and checked. More are planned by the workers in parallel; inheriting a large batch cost
# more in copied pages than it saved.
FEW_SPECS = 4


@dataclass(frozen=True)
class Unit:
    """One audience of one spec to build."""

    spec_path: Path
    brief_id: str
    audience_id: str | None
    inputs_digest: str

    @property
    def spec_digest(self) -> str:
        """The digest of the spec's inputs, shared by all its audiences."""
        return self.inputs_digest.partition(":")[0]


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


@dataclass(frozen=True)
class _PlanSettings:
    out_root: Path
    audiences: set[str] | None
    force: bool
    strict: bool
    email: bool
    single_spec: bool
    keep: bool  # keep each spec read for building its units in the same process


@dataclass
class _SpecPlan:
    """What planning one spec decided, before brief ids are compared across specs."""

    brief_id: str  # empty when the spec could not be read or validated
    id_location: Location | Path
    failed: list[UnitResult] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    skipped: list[UnitResult] = field(default_factory=list)
    audiences_seen: set[str] = field(default_factory=set)


Prepared = tuple["BriefSpec", "YamlDocument", "Template"]

# Specs read while planning, by path and digest of all their inputs, for building their units
# in the same process (or in workers forked after planning). Cleared when the build ends. A
# process keeps at most KEEP_SPECS (about 120 KB each); the units of the rest read their spec
# again, so a very large batch does not grow every worker without bound.
_PLANNED: dict[tuple[Path, str], Prepared] = {}
KEEP_SPECS = 250


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
                force: bool = False, strict: bool = False, email: bool = False,
                workers: Workers | None = None) -> Plan:
    """Read and check every spec; decide which units to build, skip or report as failed.

    With `workers`, the specs read are kept for `run_units` with the same workers, and the
    workers are started: before planning for many specs, which they then plan in parallel;
    after it for a few, which they inherit.
    """
    settings = _PlanSettings(out_root, audiences, force, strict, email,
                             single_spec=len(spec_paths) == 1, keep=workers is not None)
    if workers is not None and workers.jobs > 1 and len(spec_paths) > FEW_SPECS:
        workers.start(len(spec_paths))
        entries = workers.plan(spec_paths, settings)
    else:
        entries = [_plan_spec(spec_path, settings) for spec_path in spec_paths]
    plan = _merge_plans(spec_paths, entries, audiences)
    if workers is not None and workers.wanted_for(len(plan.units)):
        workers.start(len(plan.units))
    return plan


def _plan_spec(spec_path: Path, settings: _PlanSettings) -> _SpecPlan:
    """Read and check one spec; decide which of its units to build, skip or report."""
    from briefgen.checks import check_spec
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import (
        AudienceFailure,
        validate_spec,
        validate_spec_by_audience,
    )
    from briefgen.template import load_template

    audiences = settings.audiences
    try:
        document = load_spec(spec_path)
        failures: list[AudienceFailure] = []
        if settings.strict:
            spec = validate_spec(document)
        else:
            spec, document, failures = validate_spec_by_audience(document)
        template = load_template(spec.brief.template, spec_path)
        problems = check_spec(spec, document, template)
    except UserError as error:
        return _SpecPlan("", spec_path, failed=[UnitResult(spec_path, "", None,
                                                           problems=_problems(error, spec_path))])
    brief_id = spec.brief.id
    entry = _SpecPlan(brief_id, document.locate(("brief", "id")))
    errors = [problem for problem in problems if problem.severity == "error"]
    if not settings.strict:
        # A rule broken inside one audience (its language, say) fails that audience alone.
        for index, audience in enumerate(spec.audiences):
            own = [problem for problem in errors
                   if problem.field.startswith(f"audiences[{index}]")]
            if own:
                failures.append(AudienceFailure(audience.id, own))
                errors = [problem for problem in errors if problem not in own]
    if errors:
        entry.failed.append(UnitResult(spec_path, brief_id, None, problems=errors))
        return entry
    failed_ids = {failure.audience_id for failure in failures}
    entry.warnings = [problem for problem in problems if problem.severity == "warning"]
    for failure in failures:
        if audiences is None or failure.audience_id in audiences:
            entry.failed.append(UnitResult(spec_path, brief_id, failure.audience_id,
                                           problems=failure.problems))
    known = [audience.id for audience in spec.audiences if audience.id not in failed_ids]
    entry.audiences_seen = set(known) | failed_ids
    # A spec without audiences builds one generic brief; one whose audiences all
    # failed builds nothing more.
    wanted: list[str | None] = list(known) or ([] if failures else [None])
    if audiences is not None:
        unknown = sorted(audiences - set(known) - failed_ids)
        if unknown and settings.single_spec:
            entry.failed.append(UnitResult(spec_path, brief_id, None, problems=[Problem(
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
        previous = _previous_files(settings.out_root, unit)
        # Drafts are always written afresh: they are quick, and carry the current files.
        if previous is not None and not settings.force and not settings.email:
            entry.skipped.append(UnitResult(spec_path, brief_id, audience_id, files=previous,
                                            skipped=True))
        else:
            entry.units.append(unit)
    if entry.units and settings.keep and len(_PLANNED) < KEEP_SPECS:
        _PLANNED[(spec_path, digest)] = (spec, document, template)
    return entry


def _merge_plans(spec_paths: list[Path], entries: list[_SpecPlan],
                 audiences: set[str] | None) -> Plan:
    """One plan from the plans of single specs, in input order: the first spec to use a brief
    id owns it, and a later spec with the same id is an error that names both files."""
    plan = Plan()
    owners: dict[str, Path] = {}
    audiences_seen: set[str] = set()
    for spec_path, entry in zip(spec_paths, entries, strict=True):
        if not entry.brief_id:
            plan.failed += entry.failed
            continue
        owner = owners.setdefault(entry.brief_id, spec_path)
        if owner != spec_path:
            plan.failed.append(UnitResult(spec_path, entry.brief_id, None, problems=[Problem(
                entry.id_location, "brief.id", f"brief id {entry.brief_id!r} is also used by "
                f"{owner}; both would write to the same folder",
                "give each spec its own brief.id", rule="duplicate-id")]))
            continue
        plan.failed += entry.failed
        plan.warnings += entry.warnings
        plan.units += entry.units
        plan.skipped += entry.skipped
        audiences_seen |= entry.audiences_seen
    unknown = sorted((audiences or set()) - audiences_seen)
    if unknown and len(spec_paths) > 1:
        plan.failed.append(UnitResult(Path("."), "", None, problems=[Problem(
            Path("."), "--audience", f"no audience with id {', '.join(unknown)} in any spec "
            "of this build", "check the spelling of the audience id",
            rule="unknown-audience")]))
    return plan


def run_units(units: list[Unit], out_root: Path, jobs: int,
              on_done: Callable[[UnitResult], None] | None = None, *, email: bool = False,
              workers: Workers | None = None) -> list[UnitResult]:
    """Render and write every unit, on `jobs` processes (or on `workers`, which planned them);
    results in the order of `units`, `on_done` called for each as it finishes."""
    if workers is None:
        if jobs > 1 and len(units) > 1:
            with Workers(jobs) as own:
                return run_units(units, out_root, jobs, on_done, email=email, workers=own)
    elif workers.wanted_for(len(units)):
        workers.start(len(units))
    if workers is None or not workers.started:
        results = []
        for unit in units:
            result = build_unit(unit, out_root, email)
            if on_done:
                on_done(result)
            results.append(result)
        return results
    results_by_index: dict[int, UnitResult] = {}

    def finished(index: int, result: object, _: int) -> None:
        assert isinstance(result, UnitResult)
        results_by_index[index] = result
        if on_done:
            on_done(result)

    workers.run([(build_unit, (unit, out_root, email)) for unit in units],
                [workers.planner(unit.spec_path) for unit in units], finished)
    return [results_by_index[index] for index in range(len(units))]


def build_unit(unit: Unit, out_root: Path, email: bool = False) -> UnitResult:
    """Render one audience of one spec and write its files (runs in a worker)."""
    from briefgen.build import draft_path, render_brief
    from briefgen.write import OutputFile, write_atomically

    started = time.perf_counter()
    result = UnitResult(unit.spec_path, unit.brief_id, unit.audience_id)
    try:
        spec, document, template = (_PLANNED.get((unit.spec_path, unit.spec_digest))
                                    or _read_spec(unit.spec_path, unit.spec_digest))
        index = None
        if unit.audience_id is not None:
            index = [audience.id for audience in spec.audiences].index(unit.audience_id)
        rendered = render_brief(spec, template, document, index, out_root, result.timings)
        state = _state_path(out_root, unit)
        files = [rendered.pdf, rendered.docx]
        if email and rendered.view is not None:
            from briefgen.drafts import compose_draft

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
def _read_spec(spec_path: Path, spec_digest: str) -> Prepared:
    """Spec, document and template of a spec that this process did not plan (a unit taken
    over from another worker), read once per version of all its inputs."""
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec_by_audience
    from briefgen.template import load_template

    del spec_digest
    document = load_spec(spec_path)
    spec, document, _ = validate_spec_by_audience(document)
    return spec, document, load_template(spec.brief.template, spec_path)


# ---------------------------------------------------------------------------------------------
# Worker processes

Task = tuple[Callable[..., object], tuple[object, ...]]


class Workers:
    """Forked worker processes for one build, as a context manager that always ends them.

    They are started by `plan_builds` or `run_units` when there is work for more than one.
    A worker that fails with an exception raises it here, with its traceback as the cause; a
    worker that dies raises `BriefgenBug`. Leaving the context early (Ctrl-C, an error) ends
    workers still busy; briefs they were building are not written.
    """

    def __init__(self, jobs: int, prestarted: Prestarted | None = None) -> None:
        self.jobs = jobs
        self._prestarted = prestarted  # warm workers started with the command, if any
        self._processes: list[BaseProcess | PrestartedWorker] = []
        self._connections: list[Connection] = []
        self._planners: dict[Path, int] = {}  # spec -> number of the worker that read it

    @property
    def started(self) -> bool:
        return bool(self._processes)

    def wanted_for(self, tasks: int) -> bool:
        """Whether `tasks` are worth running on workers rather than in this process: more
        than one and more than one job, or any when warm workers are waiting already."""
        return not self.started and tasks > 0 and self.jobs > 1 and (
            tasks > 1 or self._prestarted is not None)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        try:
            if self._prestarted is not None:
                self._prestarted.discard()
                self._prestarted = None
            self._stop(at_once=kind is not None)
        finally:
            _PLANNED.clear()

    def start(self, tasks: int) -> None:
        """Fork up to `jobs` workers (no more than `tasks`), after importing what they use;
        or take over the warm workers started with the command."""
        if self._prestarted is not None:
            prestarted, self._prestarted = self._prestarted, None
            for worker, connection in prestarted.adopt(min(self.jobs, tasks)):
                self._processes.append(worker)
                self._connections.append(connection)
            if self._processes:
                return
        import_for_workers()
        context = multiprocessing.get_context("fork")
        # Objects inherited from the main process are left out of the workers' garbage
        # collection: scanning them would take time and copy their pages into every worker.
        gc.freeze()
        try:
            for _ in range(min(self.jobs, tasks)):
                ours, theirs = context.Pipe()
                # The child closes the main process's ends it inherits, so that a worker sees
                # the end of its pipe when the main process dies.
                process = context.Process(
                    target=_serve, args=(theirs, [*self._connections, ours]), daemon=True,
                    name=f"briefgen-worker-{len(self._processes)}")
                process.start()
                theirs.close()
                self._processes.append(process)
                self._connections.append(ours)
        finally:
            gc.unfreeze()

    def plan(self, spec_paths: list[Path], settings: _PlanSettings) -> list[_SpecPlan]:
        """Plan every spec on the workers; each worker keeps the specs it read."""
        entries: dict[int, _SpecPlan] = {}

        def planned(index: int, entry: object, number: int) -> None:
            assert isinstance(entry, _SpecPlan)
            entries[index] = entry
            self._planners[spec_paths[index]] = number

        self.run([(_plan_spec, (spec_path, settings)) for spec_path in spec_paths],
                 [None] * len(spec_paths), planned)
        return [entries[index] for index in range(len(spec_paths))]

    def planner(self, spec_path: Path) -> int | None:
        """The worker that read a spec while planning, if any."""
        return self._planners.get(spec_path)

    def run(self, tasks: list[Task], owners: list[int | None],
            on_result: Callable[[int, object, int], None]) -> None:
        """Run tasks on the workers, one at a time each; `on_result(index, result, worker)` as
        each finishes. A task with an owner goes to that worker, unless another worker has
        nothing left of its own or of the tasks without an owner."""
        count = len(self._connections)
        own: list[deque[int]] = [deque() for _ in range(count)]
        shared: deque[int] = deque()
        for index, owner in enumerate(owners):
            (own[owner] if owner is not None and owner < count else shared).append(index)
        running: dict[int, int] = {}  # worker number -> index of its task

        def next_task(number: int) -> None:
            if own[number]:
                index = own[number].popleft()
            elif shared:
                index = shared.popleft()
            else:
                longest = max(own, key=len)
                if not longest:
                    return
                index = longest.pop()  # from the end: its owner gets to its earlier ones
            running[number] = index
            self._connections[number].send(tasks[index])

        for number in range(count):
            next_task(number)
        while running:
            busy = list(running)
            sentinels = [self._processes[number].sentinel for number in busy]
            ready = wait([self._connections[number] for number in busy]
                         + [sentinel for sentinel in sentinels if sentinel is not None])
            for number in busy:
                connection = self._connections[number]
                if connection not in ready and self._processes[number].sentinel not in ready:
                    continue
                index = running.pop(number)
                outcome, value = self._receive(number, tasks[index])
                if outcome == "bug":
                    error, remote_traceback = value
                    raise (error or BriefgenBug("a worker failed; its traceback follows")
                           ) from _WorkerTraceback(remote_traceback)
                on_result(index, value, number)
                next_task(number)

    def _receive(self, number: int, task: Task) -> tuple[str, Any]:
        connection, process = self._connections[number], self._processes[number]
        try:
            if connection.poll():
                reply: tuple[str, Any] = connection.recv()
                return reply
        except (EOFError, OSError):
            pass
        process.join(1)
        subject = task[1][0]
        if isinstance(subject, Unit):
            subject = subject.spec_path if subject.audience_id is None else (
                f"{subject.spec_path} (audience {subject.audience_id})")
        code = f" (exit code {process.exitcode})" if process.exitcode is not None else ""
        raise BriefgenBug(f"a worker process stopped unexpectedly{code} while building {subject}")

    def _stop(self, *, at_once: bool) -> None:
        """Let idle workers finish; end busy ones (after an error) straight away."""
        for connection in self._connections:
            try:
                if not at_once:
                    connection.send(None)
            except OSError:
                pass
        for process in self._processes:
            if at_once:
                process.terminate()
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
            process.close()
        for connection in self._connections:
            connection.close()
        self._processes.clear()
        self._connections.clear()
        self._planners.clear()


class _WorkerTraceback(Exception):
    """The traceback of an exception raised in a worker, shown as the cause of the error."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return f"\n\"\"\"\n{self.text}\"\"\""


def _serve(connection: Connection, inherited: list[Connection]) -> None:
    """A worker's loop: run each task received, send back its result, until told to stop."""
    # Ctrl-C reaches the whole process group; the main process decides what to end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for other in inherited:
        other.close()
    while True:
        try:
            task = connection.recv()
        except EOFError:
            return
        if task is None:
            return
        function, arguments = task
        try:
            reply: tuple[str, object] = ("done", function(*arguments))
        except Exception as error:
            text = traceback.format_exc()
            try:  # the main process must be able to rebuild the exception
                pickle.loads(pickle.dumps(error))
            except Exception:
                reply = ("bug", (None, text))
            else:
                reply = ("bug", (error, text))
        connection.send(reply)


def import_for_workers() -> None:
    """Import all a worker uses, so that workers forked afterwards start ready (email
    drafts aside: the email package is only imported for them)."""
    from briefgen import build, checks, write  # noqa: F401
    from briefgen.render import docx, pdf  # noqa: F401
    from briefgen.spec import includes, validate  # noqa: F401


def warm_up_worker(arguments: Sequence[str]) -> None:
    """Load what a worker's first brief would: the shipped fonts, the built-in layout
    compiled, and the specs named on the command line (see `read_ahead`)."""
    from briefgen.compose import warm_up as warm_up_layouts
    from briefgen.render.pdf import warm_up as warm_up_fonts

    warm_up_fonts()
    warm_up_layouts()
    read_ahead(arguments)


def read_ahead(arguments: Sequence[str]) -> None:
    """Read the spec files named on a command line, as planning will, before it does.

    For warm workers (see `briefgen.prestart`): they are forked afterwards and find the specs
    read, checked against the same digest of their inputs, and their logos loaded. A spec
    that fails to read is left for planning to report.
    """
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec_by_audience
    from briefgen.template import load_template
    from briefgen.view import resolve_brief

    for argument in arguments:
        spec_path = Path(argument)
        if len(_PLANNED) >= FEW_SPECS or argument.startswith("-"):
            continue
        if spec_path.suffix not in SPEC_SUFFIXES or not spec_path.is_file():
            continue
        try:
            spec, document, _ = validate_spec_by_audience(load_spec(spec_path))
            template = load_template(spec.brief.template, spec_path)
            pictures = [spec_path.parent / sender.logo
                        for sender in [spec.brief.from_, *(a.from_ for a in spec.audiences)]
                        if sender is not None and sender.logo]
            digest = _inputs_digest(spec_path, [*document.included, *pictures], template.folder)
            resolve_brief(spec, template, document, 0 if spec.audiences else None)
        except Exception:
            continue
        _PLANNED[(spec_path, digest)] = (spec, document, template)


def serve_prestarted(connection: Connection, arguments: Sequence[str]) -> None:
    """A warm worker's loop, after warming up and telling the main process who it is."""
    warm_up_worker(arguments)
    connection.send(("ready", os.getpid()))
    _serve(connection, [])


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


def _state_text(unit: Unit, files: Sequence[OutputFile]) -> str:
    """The inputs' digest, then each file written with its size (see `_previous_files`)."""
    lines = [unit.inputs_digest] + [f"{len(file.data)} {file.path}" for file in files]
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
    for line in lines[1:]:
        size, _, name = line.partition(" ")
        path = Path(name)
        try:
            # A file of another size was changed since, or left short by a system crash.
            if not path.is_file() or path.stat().st_size != int(size):
                return None
        except (OSError, ValueError):
            return None
        files.append((path, int(size)))
    return files or None


def default_jobs() -> int:
    from briefgen.prestart import available_cores

    return available_cores()
