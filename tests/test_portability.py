"""Windows, macOS and Linux: one code path, checked here on Linux by simulation.

`tests/spawn_only/sitecustomize.py` takes `os.fork`, SIGALRM and `setitimer` away and makes
multiprocessing spawn its workers, as on Windows (and macOS, by default). The commands a user
runs must give byte-identical files there, and leave no process behind. Consoles in cp1252 or
cp437, paths with spaces and non-ASCII letters, and files held open by a viewer are simulated
too.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from tests.support import EXAMPLE_SPEC, MINIMAL_TEXT, ROOT, TESTS, replace_once
from tests.support import leftover_processes as marked_processes

SPAWN_ONLY = TESTS / "spawn_only"
runner = CliRunner()
AUDIENCES = ("audiences:\n  - id: us\n    name: United States delegation\n    page: Letter\n"
             "  - id: eu\n    name: European Union delegation\n")


def copy_example(folder: Path, name: str = "masg-2025.yaml") -> Path:
    """The example brief with its fact file and logo, in `folder`, as `name`."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(EXAMPLE_SPEC.parent / "facts", folder / "facts")
    shutil.copy(EXAMPLE_SPEC.parent / "clear-ground-logo.png", folder)
    spec = folder / name
    shutil.copy(EXAMPLE_SPEC, spec)
    return spec


def briefgen(*arguments: str | Path, cwd: Path, spawn_only: bool = False,
             extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """`python -m briefgen ...` in a new process, as a user runs it; marked so that any
    process it leaves behind can be found (see `leftover_processes`)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["BRIEFGEN_TEST_RUN"] = MARK
    if spawn_only:
        env["PYTHONPATH"] = str(SPAWN_ONLY)
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "briefgen", *map(str, arguments)], cwd=cwd,
                          env=env, capture_output=True, timeout=300, check=False)


MARK = uuid.uuid4().hex


def leftover_processes() -> list[int]:
    """Processes still running that one of our commands started."""
    return marked_processes(MARK)


def processes_left(within: float = 5) -> list[int]:
    """The processes our commands started that are still running after `within` seconds (a
    worker, or multiprocessing's resource tracker, may take a moment to see its parent gone);
    they are then ended, so that one failure does not leave them running."""
    deadline = time.monotonic() + within
    while leftover_processes() and time.monotonic() < deadline:
        time.sleep(0.05)
    found = leftover_processes()
    for pid in found:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return found


def files_in(folder: Path) -> dict[str, bytes]:
    """The files a user gets (not the hidden build state, which names this folder)."""
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("[!.]*")) if path.is_file()}


def without_timing(text: bytes) -> str:
    """Output with the run time taken out ("... in 0.42 s")."""
    return "\n".join(line.rsplit(" in ", 1)[0] if line.endswith(" s") else line
                     for line in text.decode("utf-8").splitlines())


# ---------------------------------------------------------------------------------------------
# The same bytes without fork


def batch_folder(folder: Path) -> Path:
    for name in ("a", "b"):
        path = folder / "specs" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(replace_once(MINIMAL_TEXT, "id: minimal-brief", f"id: brief-{name}")
                        + AUDIENCES, encoding="utf-8")
    return folder / "specs"


COMMANDS = {
    "build-example": lambda folder: ["build", copy_example(folder / "Briefs 2025" / "Aytən",
                                                           "masg 2025.yaml")],
    "batch-two-jobs": lambda folder: ["build", batch_folder(folder), "--jobs", "2"],
    "email-drafts": lambda folder: ["email", copy_example(folder / "briefs"), "--jobs", "2"],
    "check": lambda folder: ["check", copy_example(folder / "briefs")],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_without_fork_the_commands_write_the_same_bytes_and_leave_no_process(
        tmp_path: Path, command: str) -> None:
    results = {}
    for platform in ("usual", "spawn-only"):
        folder = tmp_path / platform
        arguments = [*COMMANDS[command](folder), "--out", folder / "out"]
        if command == "check":
            arguments = arguments[:-2]
        run = briefgen(*arguments, cwd=folder, spawn_only=platform == "spawn-only")
        assert b"Traceback" not in run.stderr, run.stderr.decode()
        assert processes_left() == [], f"{platform}: processes outlived the command"
        results[platform] = (run.returncode, without_timing(run.stdout),
                             files_in(folder / "out") if (folder / "out").exists() else {})
    (code, output, files), spawned = results["usual"], results["spawn-only"]
    assert code == (0 if command != "check" else 1 if "error" in output else 0)
    assert spawned[0] == code
    assert spawned[1] == output.replace("usual", "spawn-only")
    if command != "check":
        assert files, "nothing was written"
        assert sorted(spawned[2]) == sorted(files)
        different = [name for name in files if spawned[2][name] != files[name]]
        assert different == [], f"not byte-identical without fork: {different}"


def test_the_spawn_only_platform_really_has_no_fork(tmp_path: Path) -> None:
    """The simulation is only worth something if it takes effect in every process."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PYTHONPATH"] = str(SPAWN_ONLY)
    probe = subprocess.run(
        [sys.executable, "-c", "import multiprocessing, os, signal; "
         "print(hasattr(os, 'fork'), hasattr(signal, 'SIGALRM'), "
         "multiprocessing.get_start_method())"],
        env=env, capture_output=True, text=True, timeout=60, check=True)
    assert probe.stdout.split() == ["False", "False", "spawn"]


# ---------------------------------------------------------------------------------------------
# Where files are found and written


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder as a user keeps it: briefs/ with the example; a name with spaces."""
    folder = tmp_path / "Clear Ground – délégations"
    copy_example(folder / "briefs")
    return folder


def test_a_bare_spec_name_is_found_in_briefs_and_written_to_the_project_out(
        project: Path) -> None:
    run = briefgen("build", "masg-2025.yaml", "-a", "eu", cwd=project)
    assert run.returncode == 0, run.stderr.decode()
    assert sorted(path.name for path in (project / "out" / "masg-2025").glob("*.pdf")) == [
        "2025-03-24_masg-2025_eu_en-gb.pdf"]
    assert b"out/masg-2025/2025-03-24_masg-2025_eu_en-gb.pdf" in run.stdout.replace(b"\\", b"/")


def test_a_build_from_inside_briefs_writes_to_the_project_out(project: Path) -> None:
    run = briefgen("build", "masg-2025.yaml", "-a", "us", cwd=project / "briefs")
    assert run.returncode == 0, run.stderr.decode()
    assert not (project / "briefs" / "out").exists()
    assert [path.name for path in (project / "out" / "masg-2025").glob("*.pdf")] == [
        "2025-03-24_masg-2025_us_en-us.pdf"]


def test_a_name_found_nowhere_says_where_it_was_looked_for(project: Path) -> None:
    run = briefgen("build", "masg-2052.yaml", cwd=project)
    assert run.returncode == 1
    assert run.stderr.decode().strip() == (
        "masg-2052.yaml: no such spec or folder (looked here and in briefs/)")


def test_build_help_says_where_files_go() -> None:
    result = runner.invoke(app, ["build", "--help"])
    assert "out/<brief id>/ in the project folder (the folder that holds" in result.output
    assert "--out" in result.output


# ---------------------------------------------------------------------------------------------
# Consoles that are not UTF-8


NON_ASCII_PROBLEM = replace_once(MINIMAL_TEXT, "  date: 2025-03-24\n",
                                 "  date: 2025-03-24\n  “Başlıq” Заголовок: x\n")


@pytest.mark.parametrize("encoding", ["cp1252", "cp437"])
def test_a_console_in_a_legacy_code_page_never_crashes_the_command(tmp_path: Path,
                                                                   encoding: str) -> None:
    folder = tmp_path / "Aytən"
    folder.mkdir()
    (folder / "spec.yaml").write_text(NON_ASCII_PROBLEM, encoding="utf-8")
    checked = briefgen("check", "spec.yaml", cwd=folder, extra_env={"PYTHONIOENCODING": encoding})
    assert checked.returncode == 1, checked.stderr.decode(encoding)
    assert b"Traceback" not in checked.stderr + checked.stdout
    printed = checked.stdout.decode(encoding)
    assert "spec.yaml:6:3: error: unknown-key: brief." in printed
    assert "Заголовок" not in printed and "?" in printed  # replaced, not fatal
    (folder / "spec.yaml").write_text(MINIMAL_TEXT.replace("Example Coalition",
                                                           "Koalisiya “Təmiz Torpaq”"),
                                      encoding="utf-8")
    built = briefgen("build", "spec.yaml", "-o", folder / "çıxış", cwd=folder,
                     extra_env={"PYTHONIOENCODING": encoding})
    assert built.returncode == 0, built.stderr.decode(encoding)
    assert "1 brief built" in built.stdout.decode(encoding)


# ---------------------------------------------------------------------------------------------
# A file held open by a viewer


def test_an_output_held_open_by_a_viewer_is_named_and_its_version_left_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to replace a PDF open in Acrobat: simulated by refusing renames of it."""
    import briefgen.write.atomic

    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(MINIMAL_TEXT + AUDIENCES, encoding="utf-8")
    assert runner.invoke(app, ["build", "spec.yaml", "-o", "out"]).exit_code == 0
    locked = Path("out/minimal-brief/2025-03-24_minimal-brief_us_en.pdf")
    before = {path: path.read_bytes() for path in Path("out/minimal-brief").glob("*_us_*")}
    replace = os.replace

    def refuse_the_locked_file(source: object, target: object) -> None:
        if Path(str(source)).resolve() == locked.resolve() or (
                Path(str(target)).resolve() == locked.resolve()):
            raise PermissionError(13, "The process cannot access the file")
        replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(briefgen.write.atomic.os, "replace", refuse_the_locked_file)
    Path("spec.yaml").write_text(MINIMAL_TEXT.replace("We ask donors", "We ask delegations")
                                 + AUDIENCES, encoding="utf-8")
    result = runner.invoke(app, ["build", "spec.yaml", "-o", "out"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert (f"{locked}: cannot replace this file: it is open in another program, or "
            "read-only; this version's files were left as they were") in lines, result.stderr
    assert "    hint: close it (in your PDF viewer) and build again" in lines
    assert {path: path.read_bytes() for path in before} == before  # the old version, whole
    assert b"We ask delegations" not in locked.read_bytes()
    assert "1 brief built, 0 unchanged, 1 failed" in result.stdout
    assert not [path for path in Path("out").rglob("*") if path.name.endswith((".tmp", ".old"))]


# ---------------------------------------------------------------------------------------------
# Watching


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, list[set[Path]]]]:
    """A project being watched; yields its folder and the list of changes seen so far."""
    from briefgen.engine.watch import watch_inputs

    spec = copy_example(tmp_path / "briefs")
    shutil.copytree(ROOT / "templates" / "one-pager", tmp_path / "templates" / "local")
    (tmp_path / "out").mkdir()
    seen: list[set[Path]] = []
    stop = threading.Event()
    ready = threading.Event()
    watcher = threading.Thread(target=watch_inputs, args=([spec], seen.append),
                               kwargs={"outputs": [tmp_path / "out"], "stop": stop,
                                       "on_ready": ready.set}, daemon=True)
    watcher.start()
    assert ready.wait(30), "the watcher never said it was ready"
    yield tmp_path, seen
    stop.set()
    watcher.join(10)
    assert not watcher.is_alive()


def wait_until(condition: Callable[[], object], seconds: float, what: str) -> None:
    """Return once `condition()` holds; fail, saying `what` was waited for, after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}", pytrace=False)
        time.sleep(0.02)


def test_a_save_made_as_soon_as_the_watcher_is_ready_is_reported(tmp_path: Path) -> None:
    """`on_ready` comes once the system's notifications are set up (`--watch` prints
    "Watching for changes" then): a save made at that very moment is not missed."""
    from briefgen.engine.watch import watch_inputs

    spec = copy_example(tmp_path / "briefs")
    seen: list[set[Path]] = []
    stop = threading.Event()

    def save() -> None:
        spec.write_text(spec.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")

    watcher = threading.Thread(target=watch_inputs, args=([spec], seen.append),
                               kwargs={"stop": stop, "on_ready": save}, daemon=True)
    watcher.start()
    try:
        wait_until(lambda: seen, 10, "the save to be reported")
    finally:
        stop.set()
        watcher.join(10)
    assert [{changed.resolve() for changed in changes} for changes in seen] == [
        {spec.resolve()}]


@pytest.mark.parametrize("edited", ["briefs/masg-2025.yaml", "briefs/facts/azerbaijan.yaml",
                                    "templates/local/template.yaml",
                                    "templates/local/email/fr.txt.j2"])
def test_each_save_of_an_input_is_reported_once(watched: tuple[Path, list[set[Path]]],
                                                edited: str) -> None:
    folder, seen = watched
    path = folder / edited
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    wait_until(lambda: seen, 10, "the save to be reported")
    time.sleep(2)  # a second report would arrive by now
    assert [{changed.resolve() for changed in changes} for changes in seen] == [
        {path.resolve()}]


def test_outputs_and_tool_folders_are_not_inputs(watched: tuple[Path, list[set[Path]]]) -> None:
    folder, seen = watched
    (folder / "out" / "x.pdf").write_bytes(b"%PDF")
    (folder / "out" / "a.yaml").write_text("written by a build", encoding="utf-8")
    (folder / "briefs" / ".venv").mkdir()
    (folder / "briefs" / ".venv" / "settings.yaml").write_text("x: 1", encoding="utf-8")
    (folder / "briefs" / "notes.txt").write_text("not read by a brief", encoding="utf-8")
    time.sleep(0.2)  # so that a report of them would come apart from the input's
    spec = folder / "briefs" / "masg-2025.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    wait_until(lambda: seen, 10, "the input's save to be reported")
    assert [{changed.resolve() for changed in changes} for changes in seen] == [
        {spec.resolve()}]


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT, as Ctrl-C does on POSIX")
@pytest.mark.parametrize("platform", ["usual", "spawn-only"])
def test_watch_rebuilds_on_save_and_stops_on_ctrl_c(tmp_path: Path, platform: str) -> None:
    spec = copy_example(tmp_path / "briefs")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["BRIEFGEN_TEST_RUN"] = MARK
    if platform == "spawn-only":
        env["PYTHONPATH"] = str(SPAWN_ONLY)
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", str(spec), "--watch", "-a", "eu", "-q"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stderr.readline, "")),
                              daemon=True)  # type: ignore[union-attr]
    reader.start()

    def builds() -> int:
        return sum("built in" in line for line in lines)

    try:
        # Printed once the system's notifications are set up: a save from then on is seen.
        wait_until(lambda: any("Watching for changes" in line for line in lines)
                   or process.poll() is not None, 120, "the watcher to be ready")
        assert builds() == 1, lines
        pdf = tmp_path / "out" / "masg-2025" / "2025-03-24_masg-2025_eu_en-gb.pdf"
        first = pdf.read_bytes()
        text = spec.read_text(encoding="utf-8")
        spec.write_text(text.replace("almost alone;", "largely alone;"), encoding="utf-8")
        wait_until(lambda: builds() >= 2 or process.poll() is not None, 60,
                   "the build after the save")
        assert builds() == 2, lines
        assert pdf.read_bytes() != first
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(15)
        reader.join(5)
        process.stderr.close()  # type: ignore[union-attr]
    assert process.returncode == 0, lines
    assert any("stopped watching" in line for line in lines), lines
    assert not any("Traceback" in line for line in lines), lines
    assert processes_left() == []


# ---------------------------------------------------------------------------------------------
# Stopping a build: SIGTERM (a task manager, a CI runner, `timeout`), and a killed command


BATCH_SPECS = 60  # two audiences each: long enough on two workers to be stopped half-way


def start_batch(folder: Path, platform: str) -> subprocess.Popen[bytes]:
    """`briefgen build` of a large batch on two workers, started as a user starts it; returns
    once it has written its first brief (its workers are busy)."""
    specs = folder / "specs"
    specs.mkdir(parents=True)
    for number in range(BATCH_SPECS):
        (specs / f"{number:03}.yaml").write_text(
            replace_once(MINIMAL_TEXT, "id: minimal-brief", f"id: brief-{number:03}")
            + AUDIENCES, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["BRIEFGEN_TEST_RUN"] = MARK
    if platform == "spawn-only":
        env["PYTHONPATH"] = str(SPAWN_ONLY)
    # Errors go to a file, not a pipe: workers left behind would hold a pipe open.
    with (folder / "stderr.txt").open("wb") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "build", str(specs), "--jobs", "2", "-q",
             "--out", str(folder / "out")], cwd=folder, env=env, stdout=subprocess.DEVNULL,
            stderr=errors)
    deadline = time.monotonic() + 120
    while not list((folder / "out").glob("*/*.pdf")):
        assert process.poll() is None, (folder / "stderr.txt").read_text(encoding="utf-8")
        assert time.monotonic() < deadline, "no brief written in 120 s"
        time.sleep(0.02)
    return process


def temporary_files(folder: Path) -> list[str]:
    return [path.name for path in folder.rglob("*") if path.name.endswith((".tmp", ".old"))]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is TerminateProcess on Windows")
@pytest.mark.parametrize("platform", ["usual", "spawn-only"])
def test_sigterm_stops_a_build_like_ctrl_c_and_leaves_no_process_or_temporary_file(
        tmp_path: Path, platform: str) -> None:
    process = start_batch(tmp_path, platform)
    try:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        left = processes_left()
    message = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert process.returncode == 130, message
    assert "Traceback" not in message
    assert "interrupted; briefs that were being built were finished, the rest not started" in (
        message)
    assert left == [], "workers outlived the command"
    assert temporary_files(tmp_path / "out") == []
    pdfs = {path.stem for path in (tmp_path / "out").glob("*/*.pdf")}
    docx = {path.stem for path in (tmp_path / "out").glob("*/*.docx")}
    assert pdfs == docx, "a version was written in part"
    assert len(pdfs) < 2 * BATCH_SPECS, "the briefs not yet started were built anyway"


@pytest.mark.parametrize("platform", ["usual", "spawn-only"])
def test_workers_end_by_themselves_when_the_command_is_killed(tmp_path: Path,
                                                              platform: str) -> None:
    """SIGKILL (or Windows' TerminateProcess) gives the command no chance to stop its
    workers: each sees its parent gone, finishes the brief it is writing, and ends."""
    process = start_batch(tmp_path, platform)
    process.kill()
    process.wait()
    assert processes_left() == [], "workers outlived the killed command by 5 s"
    assert temporary_files(tmp_path / "out") == []


# ---------------------------------------------------------------------------------------------
# Installed from the wheel


def test_the_wheel_carries_fonts_and_template_and_builds_the_example_outside_the_source(
        tmp_path: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True,
                           timeout=600, check=False)
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("briefgen-*.whl")
    installed = tmp_path / "installed"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(installed)
    assert "briefgen/fonts/Carlito-Regular.ttf" in names
    assert "briefgen/_templates/one-pager/page.xml.j2" in names
    project = tmp_path / "elsewhere"
    copy_example(project / "briefs")
    run = subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv.pop(1)); "
         "import briefgen, briefgen.__main__; print(briefgen.__file__, file=sys.stderr); "
         "sys.argv[0] = 'briefgen'; briefgen.__main__.main()", str(installed),
         "build", "masg-2025.yaml", "-a", "eu"],
        cwd=project, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines()[0].startswith(str(installed)), run.stderr
    assert (project / "out" / "masg-2025" / "2025-03-24_masg-2025_eu_en-gb.pdf").is_file()


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux lets a file name hold bytes "
                    "that are not UTF-8")
def test_an_output_folder_whose_name_is_not_utf8_is_written_and_skipped_next_time(
        tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(MINIMAL_TEXT, encoding="utf-8")
    out = os.fsdecode(b"out\xff")
    first = briefgen("build", "spec.yaml", "-o", out, cwd=tmp_path)
    assert first.returncode == 0, first.stderr.decode(errors="replace")
    again = briefgen("build", "spec.yaml", "-o", out, cwd=tmp_path)
    assert b"0 briefs built, 1 unchanged" in again.stdout, again.stdout
