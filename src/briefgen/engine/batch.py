"""Run specs: plan every audience of every spec, then build, email or check them.

This is the one path that `build`, `email`, `check`, `--watch` and `preview` take:

    run_specs(spec paths, options) -> Report

Each spec is planned in this process, in the order given: it is read, validated and checked,
and split into units, one per audience (or one generic brief when it has none). A unit whose
inputs did not change since it was last built is skipped. The units are then built, each
writing its PDF and DOCX together or not at all; on several cores they are built in a standard
process pool, whose workers are started the platform's usual way (spawn on Windows and macOS)
and all joined before `run_specs` returns. The first spec to use a brief id owns it: a later
spec with the same id is an error that names both files.

Stopping: Ctrl-C, SIGTERM (a task manager, a CI runner, `timeout`) and, on Windows, SIGBREAK
(Ctrl-Break) and the console window closing stop a run the same way: the briefs being built
are finished, the rest are not started, and `KeyboardInterrupt` (`Terminated` for the
others) ends the run. A worker ends by itself when the command is gone, however it was killed.
"""

from __future__ import annotations

import _thread
import difflib
import hashlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from briefgen import __version__
from briefgen.document import Fit
from briefgen.errors import BriefgenBug, Location, Problem, UserError
from briefgen.layout.fonts import FONT_FOLDER

if TYPE_CHECKING:
    from types import FrameType

    from briefgen.spec.loader import YamlDocument
    from briefgen.spec.models import BriefSpec
    from briefgen.template import Template
    from briefgen.write import OutputFile

SPEC_SUFFIXES = (".yaml", ".yml")
BRIEFS_FOLDER = "briefs"  # a project keeps its specs here, beside out/ and templates/
OUTPUT_FOLDER = "out"

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
    spec_digest: str  # of every input of the spec: see `inputs_digest`
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


# ---------------------------------------------------------------------------------------------
# Which specs, and where their files go


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Spec files named directly, and the brief specs directly inside named folders.

    A name that is not found here is looked for in `briefs/`, so `briefgen build
    masg-2025.yaml` in a project folder finds `briefs/masg-2025.yaml`.
    """
    specs: list[Path] = []
    for path in paths:
        path = locate_spec(path)
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


def locate_spec(path: Path) -> Path:
    """`path` itself if it exists, else the same name in `briefs/`; a name without `.yaml`
    (a brief's id: `briefgen build masg-2025`) is tried with it, here and in `briefs/`."""
    if path.exists():
        return path
    folders = [Path()] if path.is_absolute() else [Path(), Path(BRIEFS_FOLDER)]
    names = [path] if path.suffix in SPEC_SUFFIXES else [
        path, *(path.with_name(path.name + suffix) for suffix in SPEC_SUFFIXES)]
    for folder in folders:
        for name in names:
            if (folder / name).exists():
                return folder / name
    return path


def _is_brief(path: Path) -> bool:
    """Whether a YAML file in a folder is a brief spec (a `brief:` key at the top level).

    Fact files and other YAML kept beside specs are passed over when building a folder.
    """
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return any(line.startswith("brief:") for line in handle)
    except OSError:
        return True  # let the build report why it cannot be read


def project_folder(spec_path: Path) -> Path | None:
    """The folder that holds the `briefs/` folder a spec lies in, if it lies in one."""
    for folder in spec_path.resolve().parents:
        if folder.name == BRIEFS_FOLDER:
            return folder.parent
    return None


def output_root(spec_path: Path, options: BuildOptions) -> Path:
    """Where a spec's files go: `--out`, else `out/` in its project folder, else `./out`."""
    if options.out is not None:
        return options.out
    project = project_folder(spec_path)
    return project / OUTPUT_FOLDER if project is not None else Path(OUTPUT_FOLDER)


def available_cores() -> int:
    """Cores this process may run on: the default number of briefs built at once."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)  # Windows, macOS


# ---------------------------------------------------------------------------------------------
# Running


def run_specs(spec_paths: Sequence[Path], options: BuildOptions,
              on_result: Callable[[UnitResult], None] | None = None) -> Report:
    """Plan every spec, then build its units; `on_result` is called as each unit finishes."""
    with _stopping_on_request():
        return _run_specs(spec_paths, options, on_result)


def _run_specs(spec_paths: Sequence[Path], options: BuildOptions,
               on_result: Callable[[UnitResult], None] | None) -> Report:
    report = Report()
    owners: dict[str, Path] = {}
    audiences_seen: set[str] = set()
    units: list[Unit] = []
    for spec_path in spec_paths:
        plan = plan_spec(spec_path, options, single_spec=len(spec_paths) == 1)
        owner = owners.setdefault(plan.brief_id, spec_path) if plan.brief_id else spec_path
        if owner != spec_path:
            report.results.append(UnitResult(spec_path, plan.brief_id, None, scope="spec",
                                             problems=[Problem(
                plan.id_location, "brief.id", f"brief id {plan.brief_id!r} is also used by "
                f"{owner}; both would write to the same folder",
                "give each spec its own brief.id", rule="duplicate-id")]))
            continue
        report.warnings += plan.warnings
        audiences_seen |= plan.audiences_seen
        report.results += plan.results  # failures and skipped units
        units += plan.units
    unknown = sorted((options.audiences or set()) - audiences_seen)
    if unknown and len(spec_paths) > 1:
        report.results.append(UnitResult(Path("."), "", ", ".join(unknown), scope="command",
                                         problems=[Problem(
            Path("."), "--audience", f"no audience with id {', '.join(unknown)} in any spec "
            "of this build", "check the spelling of the audience id", rule="unknown-audience")]))
    report.results += build_units(units, options, on_result)
    return report


# With the default number of jobs, a worker is started only when it gets this many briefs to
# build. A forked worker (Linux) costs less than building two briefs; a worker started as a
# fresh interpreter (Windows, macOS) loads every library again, as much as building six.
# Measured on the example (five briefs, two cores): 0.57 s on two forked workers against
# 0.67 s in one process.
UNITS_PER_WORKER = {"fork": 2}
UNITS_PER_FRESH_WORKER = 6


def units_per_worker() -> int:
    return UNITS_PER_WORKER.get(multiprocessing.get_start_method(), UNITS_PER_FRESH_WORKER)


def build_units(units: list[Unit], options: BuildOptions,
                on_result: Callable[[UnitResult], None] | None = None) -> list[UnitResult]:
    """Build every unit: in this process, or on a pool of processes when it pays (or when
    `options.jobs` asks for it). Results come in the order of `units`.

    Every worker has ended when this returns. On an error or a request to stop (see
    `_stopping_on_request`), units not yet started are cancelled and those being built finish
    first (each is written whole or not at all).
    """
    def finished(result: UnitResult) -> UnitResult:
        if on_result is not None:
            on_result(result)
        return result

    workers = min(options.jobs if options.jobs is not None
                  else min(available_cores(), len(units) // units_per_worker()), len(units))
    if workers <= 1:
        results_here = []
        for unit in units:
            with _STOP.deferred():  # a unit being written here is finished first
                results_here.append(finished(build_unit(unit, options)))
        return results_here
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker) as pool:
        futures = [pool.submit(_build_in_worker, unit, options) for unit in units]
        results: dict[int, UnitResult] = {}
        try:
            for future in as_completed(futures):
                results[futures.index(future)] = finished(future.result())
        except BrokenProcessPool:
            unbuilt = [unit for index, unit in enumerate(units) if index not in results]
            raise BriefgenBug("a worker process stopped unexpectedly; not built: " + ", ".join(
                str(unit.spec_path) + (f" (audience {unit.audience_id})" if unit.audience_id
                                       else "") for unit in unbuilt)) from None
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return [results[index] for index in range(len(units))]


# ---------------------------------------------------------------------------------------------
# Stopping: Ctrl-C, SIGTERM, Ctrl-Break; workers whose command is gone


class Terminated(KeyboardInterrupt):
    """The command was asked to stop by SIGTERM (a task manager, a CI runner, `timeout`), or on
    Windows by SIGBREAK (Ctrl-Break). It stops a run as Ctrl-C does, and the command reports
    it as an interruption."""


# Signals that stop a run as Ctrl-C does. SIGBREAK exists on Windows only.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGBREAK")
                     if hasattr(signal, name))
# The signal a closed console window stops a run with (SIGTERM where there is no SIGBREAK:
# the tests simulate Windows there).
CONSOLE_CLOSED_SIGNAL = getattr(signal, "SIGBREAK", signal.SIGTERM)


class _StopRequest:
    """Stop requests seen during a run, in the main process.

    A request ends the run at once (by raising in the main thread) unless a unit is being
    built in this process: that unit is finished and written first, then the run ends. A
    second request does not wait: the user means it.
    """

    def __init__(self) -> None:
        self.signal_number: int | None = None
        self.building = 0  # units being built in this process now

    def handle(self, signal_number: int, _: FrameType | None) -> None:
        first = self.signal_number is None
        self.signal_number = signal_number
        if not self.building or not first:
            self.stop()

    def stop(self) -> None:
        number, self.signal_number = self.signal_number, None
        if number == signal.SIGINT:
            raise KeyboardInterrupt
        if number is not None:
            raise Terminated(signal.Signals(number).name)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        self.building += 1
        try:
            yield
        finally:
            self.building -= 1
        self.stop()


_STOP = _StopRequest()


@contextmanager
def _stopping_on_request() -> Iterator[None]:
    """Within: Ctrl-C and the stop signals end the run as `_StopRequest` says; the previous
    handlers are put back after. Only the main thread can take signals (the preview also
    builds in a watch thread: there, nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    numbers = (signal.SIGINT, *STOP_SIGNALS)
    previous = {number: signal.getsignal(number) for number in numbers}
    _STOP.signal_number = None
    for number in numbers:
        signal.signal(number, _STOP.handle)
    run_ended = threading.Event()

    def on_console_closed() -> None:
        _thread.interrupt_main(CONSOLE_CLOSED_SIGNAL)  # stops the run as SIGBREAK does
        run_ended.wait(CONSOLE_CLOSE_GRACE_SECONDS)

    unregister = register_console_close_handler(on_console_closed)
    try:
        yield
    finally:
        run_ended.set()
        unregister()
        for number, handler in previous.items():
            signal.signal(number, handler)


# Windows: closing the console window, logging off or shutting down ends every process of the
# console once its console handlers return, and after 5 s at the latest. The C runtime's own
# handler turns the event into SIGBREAK and returns at once, before Python runs its handler,
# so a handler of briefgen's, called first, holds the process while the run stops as for
# Ctrl-C: the brief being written is finished, temporary files are removed.
CONSOLE_CLOSE_EVENTS = frozenset({2, 5, 6})  # CTRL_CLOSE_EVENT, _LOGOFF_EVENT, _SHUTDOWN_EVENT
CONSOLE_CLOSE_GRACE_SECONDS = 4.0
ON_WINDOWS = sys.platform == "win32"


def register_console_close_handler(on_close: Callable[[], None]) -> Callable[[], None]:
    """On Windows, call `on_close` (in a thread of the system's) when the console closes, and
    let the process end only when it returns; returns what unregisters it. Elsewhere, and
    when the process has no console, nothing is registered."""
    if not ON_WINDOWS:
        return lambda: None
    import ctypes
    from ctypes import wintypes

    def handle(event: int) -> bool:
        if event not in CONSOLE_CLOSE_EVENTS:
            return False  # Ctrl-C and Ctrl-Break: the C runtime's signals, as usual
        on_close()
        return True

    # Windows-only names: mypy checks this module for the platform it runs on.
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    routine = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)(handle)  # type: ignore[attr-defined,unused-ignore]
    if not kernel32.SetConsoleCtrlHandler(routine, True):
        return lambda: None
    return lambda: kernel32.SetConsoleCtrlHandler(routine, False)


# How often a worker checks that the command is still there, and how long it gives the brief
# it is writing when the command is gone (a brief takes tens of milliseconds).
PARENT_CHECK_SECONDS = 0.5
FINISH_SECONDS = 10.0
_WRITING = threading.Lock()  # held by a worker while it builds a unit


def _start_worker() -> None:
    """In each worker: leave stopping to the main process, and end when it is gone."""
    # Ctrl-C, and `timeout` or a CI runner's SIGTERM, reach every process of the console or
    # the process group; the main process decides what to stop.
    for number in (signal.SIGINT, *STOP_SIGNALS):
        signal.signal(number, signal.SIG_IGN)
    # A closed console ends the workers too: the brief being written is finished first.
    register_console_close_handler(_finish_writing)
    threading.Thread(target=_end_with_parent, name="briefgen-parent-watch",
                     daemon=True).start()


def _finish_writing() -> None:
    """Wait (within Windows' grace time) for the unit this worker is writing, if any."""
    if _WRITING.acquire(timeout=CONSOLE_CLOSE_GRACE_SECONDS):
        _WRITING.release()


def _build_in_worker(unit: Unit, options: BuildOptions) -> UnitResult:
    with _WRITING:
        return build_unit(unit, options)


def _end_with_parent() -> None:
    """Wait until the main process is gone, however it ended (SIGKILL, Task Manager's End
    task): finish the unit being written, then end this worker. Without this a worker
    waits for work forever, since the pool's queue is held open by the workers themselves.

    Why both checks: the parent's sentinel (a pipe that closes, or on Windows the parent's
    process handle) is portable, but a worker forked (Linux) after another also holds that
    other's pipe open; `os.getppid()` changes on POSIX as soon as the parent is gone.
    """
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return
    parent_id = os.getppid()
    while not wait([parent.sentinel], PARENT_CHECK_SECONDS) and os.getppid() == parent_id:
        pass
    _WRITING.acquire(timeout=FINISH_SECONDS)
    os._exit(1)


# ---------------------------------------------------------------------------------------------
# Planning one spec


@dataclass
class SpecPlan:
    """What planning one spec decided: its units, its failures and skipped units, warnings."""

    brief_id: str  # empty when the spec could not be read or validated
    id_location: Location | Path
    units: list[Unit] = field(default_factory=list)
    results: list[UnitResult] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    audiences_seen: set[str] = field(default_factory=set)


Prepared = tuple["BriefSpec", "YamlDocument", "Template"]


def plan_spec(spec_path: Path, options: BuildOptions, *, single_spec: bool = True) -> SpecPlan:
    """Read and check one spec; decide which of its units to build, skip or report."""
    from briefgen.checks import check_spec
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import (
        AudienceFailure,
        validate_spec,
        validate_spec_by_audience,
    )
    from briefgen.template import load_template

    try:
        document = load_spec(spec_path)
        failures: list[AudienceFailure] = []
        if options.strict:
            spec = validate_spec(document)
        else:
            spec, document, failures = validate_spec_by_audience(document)
        template = load_template(spec.brief.template, spec_path)
        problems = check_spec(spec, document, template) + _logo_problems(spec, document,
                                                                         template)
    except UserError as error:
        return SpecPlan("", spec_path, results=[UnitResult(
            spec_path, "", None, problems=_problems(error, spec_path), scope="spec")])
    plan = SpecPlan(spec.brief.id, document.locate(("brief", "id")))
    plan.warnings = [problem for problem in problems if problem.severity == "warning"]
    errors = [problem for problem in problems if problem.severity == "error"]
    if not options.strict:
        # A rule broken inside one audience (its language, say) fails that audience alone.
        for index, audience in enumerate(spec.audiences):
            own = [problem for problem in errors
                   if problem.field.startswith(f"audiences[{index}]")]
            if own:
                failures.append(AudienceFailure(audience.id, own))
                errors = [problem for problem in errors if problem not in own]
    if errors:
        plan.results.append(UnitResult(spec_path, spec.brief.id, None, problems=errors,
                                       scope="spec"))
        return plan
    wanted_ids = options.audiences
    failed_ids = {failure.audience_id for failure in failures}
    for failure in failures:
        if wanted_ids is None or failure.audience_id in wanted_ids:
            plan.results.append(UnitResult(spec_path, spec.brief.id, failure.audience_id,
                                           problems=failure.problems))
    known = [audience.id for audience in spec.audiences if audience.id not in failed_ids]
    plan.audiences_seen = set(known) | failed_ids
    # A spec without audiences builds one generic brief; one whose audiences all failed
    # builds nothing more.
    wanted: list[str | None] = list(known) or ([] if failures else [None])
    if wanted_ids is not None:
        unknown = sorted(wanted_ids - plan.audiences_seen)
        if unknown and single_spec:
            # The unknown ids stand as the result's audience: the summary says they were
            # not built, and why.
            plan.results.append(UnitResult(
                spec_path, spec.brief.id, ", ".join(unknown), scope="command",
                problems=[_unknown_audiences(unknown, spec, known, spec_path)]))
        wanted = [audience_id for audience_id in wanted if audience_id in wanted_ids]
    digest = inputs_digest(spec_path, document, spec, template)
    _remember(spec_path, digest, (spec, document, template))
    out_root = output_root(spec_path, options)
    for audience_id in wanted:
        unit = Unit(spec_path, spec.brief.id, audience_id, digest, out_root)
        previous = (_previous_files(unit) if options.mode != "check" and not options.force
                    else None)
        if previous is not None and options.mode == "build":
            plan.results.append(UnitResult(spec_path, spec.brief.id, audience_id,
                                           files=previous, skipped=True))
        else:
            plan.units.append(replace(unit, built=tuple(previous or ())))
    return plan


def _unknown_audiences(unknown: list[str], spec: BriefSpec, known: list[str],
                       spec_path: Path) -> Problem:
    """No audience has these ids: suggest a close id, or the audiences in a language whose
    code is close (`-a fra` suggests the French version's id)."""
    languages = {audience.id: audience.language or spec.brief.language
                 for audience in spec.audiences if audience.id in known}
    suggestions: list[str] = []
    for name in unknown:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        if not close:
            close = [f"{audience_id} ({language})" for audience_id, language in languages.items()
                     if difflib.get_close_matches(name.lower(), [language.lower().split("-")[0],
                                                                 language.lower()], cutoff=0.6)]
        suggestions += [match for match in close if match not in suggestions]
    hint = (f"did you mean {', '.join(suggestions)}? " if suggestions else "") + (
        f"known: {', '.join(known) or 'none (the spec has no audiences)'}")
    return Problem(spec_path, "audiences", f"no audience with id {', '.join(unknown)}", hint,
                   rule="unknown-audience")


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


def _problems(error: UserError, spec_path: Path) -> list[Problem]:
    return error.problems or [Problem(spec_path, "", error.text)]


# Specs read while planning, by path and the digest of all their inputs, so that building
# their units in this process (or in workers started after planning) need not read them again.
# A few at most: a large batch reads each spec again where it is built.
_READ: dict[tuple[Path, str], Prepared] = {}
KEEP_READ = 8


def _remember(spec_path: Path, digest: str, prepared: Prepared) -> None:
    if len(_READ) >= KEEP_READ:
        del _READ[next(iter(_READ))]
    _READ[(spec_path, digest)] = prepared


def _read_spec(spec_path: Path, digest: str) -> Prepared:
    """Spec, document and template as planning saw them (read again where not kept)."""
    prepared = _READ.get((spec_path, digest))
    if prepared is None:
        from briefgen.spec.includes import load_spec
        from briefgen.spec.validate import validate_spec_by_audience
        from briefgen.template import load_template

        spec, document, _ = validate_spec_by_audience(load_spec(spec_path))
        prepared = (spec, document, load_template(spec.brief.template, spec_path))
        _remember(spec_path, digest, prepared)
    return prepared


# ---------------------------------------------------------------------------------------------
# Building one unit (in this process or a worker)


def build_unit(unit: Unit, options: BuildOptions) -> UnitResult:
    """Render one audience of one spec and write its files; in `check` mode only lay it out."""
    from briefgen.engine.build import draft_path, prepare_brief, render_brief
    from briefgen.write import OutputFile, write_atomically

    result = UnitResult(unit.spec_path, unit.brief_id, unit.audience_id)
    try:
        spec, document, template = _read_spec(unit.spec_path, unit.spec_digest)
        index = None
        if unit.audience_id is not None:
            index = [audience.id for audience in spec.audiences].index(unit.audience_id)
        if options.mode == "check":
            prepared = prepare_brief(spec, template, document, index)
            result.fit = prepared.fit
            return result
        if options.mode == "email" and unit.built:
            drafted = _draft_with_built_files(unit, spec, document, template, index, result)
            if drafted is not None:
                return drafted
        rendered = render_brief(spec, template, document, index, unit.out_root)
        files = [rendered.pdf, rendered.docx]
        attach_docx = index is not None and spec.audiences[index].attach_docx
        attachments = files if attach_docx else files[:1]
        draft = draft_path(rendered.pdf.path)
        if options.mode == "email":
            from briefgen.write.drafts import compose_draft

            composed = compose_draft(spec, document, template, index, rendered.view,
                                     rendered.pdf, rendered.docx,
                                     allow_draft=options.allow_draft)
            files.append(composed.file)
            result.warnings = composed.warnings
            outdated = False
        else:
            # A draft must never carry other files than those in the folder: it goes when
            # one of its own attachments changes, and only then.
            outdated = draft.exists() and any(not _same_bytes(file) for file in attachments)
        # Paths may hold bytes that are not UTF-8 (a folder named on a Linux system with another
        # encoding): they are kept as they are, as Python keeps them in file names.
        state = OutputFile(_state_path(unit),
                           _state_text(unit, files).encode("utf-8", "surrogateescape"))
        write_atomically([*files, state], protected={unit.spec_path, *document.included})
        if outdated:
            draft.unlink(missing_ok=True)
            result.warnings.append(Problem(
                draft, "", "removed the email draft: it carried the previous version",
                "run briefgen email to write it again", rule="drafts", severity="warning"))
    except UserError as error:
        result.problems = _problems(error, unit.spec_path)
        return result
    result.audience_name = rendered.audience_name
    result.files = [(file.path, len(file.data)) for file in files]
    result.page = rendered.page
    result.fit = rendered.fit
    return result


def _draft_with_built_files(unit: Unit, spec: BriefSpec, document: YamlDocument,
                            template: Template, index: int | None, result: UnitResult
                            ) -> UnitResult | None:
    """The email draft of a unit whose inputs did not change, attaching its PDF and DOCX
    as they are in the output folder; None when they are not there as last built (then the
    unit is built again)."""
    from briefgen.engine.build import output_name
    from briefgen.resolve.view import resolve_brief
    from briefgen.write import OutputFile, write_atomically
    from briefgen.write.drafts import compose_draft

    view = resolve_brief(spec, template, document, index)
    folder = unit.out_root / spec.brief.id
    built = dict(unit.built)
    files = []
    for suffix in (".pdf", ".docx"):
        path = folder / output_name(spec, view.audience_id, view.language, suffix)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if built.get(path) != len(data):
            return None
        files.append(OutputFile(path, data))
    pdf, docx = files
    composed = compose_draft(spec, document, template, index, view, pdf, docx)
    files.append(composed.file)
    state = OutputFile(_state_path(unit),
                       _state_text(unit, files).encode("utf-8", "surrogateescape"))
    write_atomically([composed.file, state], protected={unit.spec_path, *document.included})
    result.warnings = composed.warnings
    result.audience_name = spec.audiences[index].name if index is not None else None
    result.files = [(file.path, len(file.data)) for file in files]
    result.page = view.page
    result.skipped = result.reused = True
    return result


def _same_bytes(file: OutputFile) -> bool:
    try:
        return file.path.read_bytes() == file.data
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------
# Skipping what did not change


def inputs_digest(spec_path: Path, document: YamlDocument, spec: BriefSpec,
                  template: Template) -> str:
    """Digest of everything a spec's outputs depend on: the spec, its fact files and logos,
    every file of its template (cover notes in subfolders too), the fonts and briefgen's
    version. A unit whose digest matches its last build is skipped."""
    logos = [spec_path.parent / sender.logo
             for sender in [spec.brief.from_, *(audience.from_ for audience in spec.audiences)]
             if sender is not None and sender.logo]
    digest = hashlib.sha256(f"briefgen {__version__}\n".encode())
    template_files = sorted(path for path in template.folder.rglob("*") if path.is_file())
    for path in [spec_path, *document.included, *logos, *template_files]:
        digest.update(str(path.name).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"missing")
    for font in sorted(FONT_FOLDER.iterdir()):  # large and never edited: named and sized
        digest.update(f"{font.name} {font.stat().st_size}\n".encode())
    return digest.hexdigest()[:32]


def _state_path(unit: Unit) -> Path:
    return unit.out_root / unit.brief_id / f".{unit.audience_id or 'brief'}.inputs"


def _state_text(unit: Unit, files: Sequence[OutputFile]) -> str:
    """The inputs' digest, then each file written with its size (see `_previous_files`)."""
    lines = [f"{unit.spec_digest}:{unit.audience_id}"]
    lines += [f"{len(file.data)} {file.path}" for file in files]
    return "\n".join(lines) + "\n"


def _previous_files(unit: Unit) -> list[tuple[Path, int]] | None:
    """The unit's files from an earlier build with the same inputs, or None."""
    try:
        lines = _state_path(unit).read_text(encoding="utf-8",
                                            errors="surrogateescape").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != f"{unit.spec_digest}:{unit.audience_id}":
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
