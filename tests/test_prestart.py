"""Workers started with the command: judged from the raw command line, adopted by the build,
and never left running."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefgen import prestart
from briefgen.batch import Workers, plan_builds, run_units
from conftest import EXAMPLE_SPEC, MINIMAL_TEXT


@pytest.mark.parametrize(("arguments", "cores", "expected"), [
    (["build", "briefs/masg-2025.yaml"], 2, 2),
    (["build", "briefs/masg-2025.yaml"], 1, 0),
    (["email", "briefs/"], 4, 4),
    (["build", "-j", "1", "briefs/"], 2, 0),
    (["build", "-j1", "briefs/"], 2, 0),
    (["build", "--jobs", "3", "briefs/"], 2, 3),
    (["build", "--jobs=3", "briefs/"], 2, 3),
    (["build", "--jobs", "many", "briefs/"], 2, 0),
    (["build", "--help"], 2, 0),
    (["build", "--watch", "briefs/"], 2, 0),
    (["check", "briefs/"], 2, 0),
    (["new", "brief"], 2, 0),
    ([], 2, 0),
])
def test_workers_are_started_only_for_a_one_off_build_with_more_than_one_job(
        arguments: list[str], cores: int, expected: int) -> None:
    assert prestart.wanted_workers(arguments, cores) == expected


def processes_mentioning(marker: str) -> list[int]:
    """Processes whose command line contains `marker` (workers are forks of the command)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                command_line = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in command_line:
                found.append(int(entry.name))
    return found


def test_the_command_builds_the_same_files_with_early_workers_and_leaves_none_running(
        tmp_path: Path) -> None:
    """`python -m briefgen build` starts its workers before loading; the files must be byte
    for byte those of a build in one process, and every worker must end with the command."""
    early, single = tmp_path / "early-workers", tmp_path / "one-process"
    command = [sys.executable, "-m", "briefgen", "build", str(EXAMPLE_SPEC), "-a", "eu",
               "-a", "us", "-a", "ch", "-q"]
    started = subprocess.run([*command, "-o", str(early)], capture_output=True, text=True,
                             timeout=120, check=False)
    assert started.returncode == 0, started.stderr
    one = subprocess.run([*command, "-o", str(single), "-j", "1"], capture_output=True,
                         text=True, timeout=120, check=False)
    assert one.returncode == 0, one.stderr
    files = sorted(path.relative_to(early) for path in early.rglob("[!.]*.*"))
    assert len([name for name in files if name.suffix == ".pdf"]) == 3, files
    for name in files:
        assert (early / name).read_bytes() == (single / name).read_bytes(), name
    deadline = time.monotonic() + 5
    while processes_mentioning(str(early)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_mentioning(str(early)) == []


def ended(pid: int) -> bool:
    """Whether a process has exited (it may wait a moment to be reaped by the system)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def two_specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.chdir(tmp_path)
    paths = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(MINIMAL_TEXT.replace("id: minimal-brief", f"id: brief-{name}", 1),
                        encoding="utf-8")
        paths.append(path)
    return paths


def test_a_build_adopts_the_early_workers_and_ends_them(two_specs: list[Path]) -> None:
    prestart.start(2, [])
    prestarted = prestart.take()
    assert prestarted is not None and prestart.take() is None  # adopted once only
    with Workers(2, prestarted) as workers:
        plan = plan_builds(two_specs, Path("out"), workers=workers)
        results = run_units(plan.units, Path("out"), 2, workers=workers)
        assert all(isinstance(worker, prestart.PrestartedWorker)
                   for worker in workers._processes)
        pids = [worker.pid for worker in workers._processes]  # type: ignore[union-attr]
    assert [result.brief_id for result in results] == ["brief-a", "brief-b"]
    assert not any(result.failed for result in results)
    assert len(pids) == 2 and os.getpid() not in pids
    assert all(ended(pid) for pid in pids)


def test_an_interrupted_build_ends_the_early_workers(two_specs: list[Path]) -> None:
    prestart.start(2, [])
    pids: list[int] = []

    def interrupt(_: object) -> None:
        pids.extend(worker.pid for worker in workers._processes)  # type: ignore[union-attr]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), Workers(2, prestart.take()) as workers:
        plan = plan_builds(two_specs, Path("out"), workers=workers)
        run_units(plan.units, Path("out"), 2, interrupt, workers=workers)
    assert len(pids) == 2
    assert all(ended(pid) for pid in pids)


def test_workers_whose_warm_up_failed_are_replaced_by_forked_ones(two_specs: list[Path]
                                                                  ) -> None:
    from multiprocessing import Pipe

    ours, theirs = Pipe()
    theirs.close()  # as if the warm-up process had died before forking any worker
    failed = os.fork()
    if failed == 0:
        os._exit(1)
    with Workers(2, prestart.Prestarted([ours], failed)) as workers:
        plan = plan_builds(two_specs, Path("out"), workers=workers)
        results = run_units(plan.units, Path("out"), 2, workers=workers)
        assert workers.started
    assert not any(result.failed for result in results)
    assert sorted(Path("out").rglob("*.pdf")) != []
