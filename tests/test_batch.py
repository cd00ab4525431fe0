"""Batch builds through the CLI: files and folders, audiences, broken audiences, skipping
unchanged briefs, parallel jobs.

Small specs keep this fast: tests/specs/minimal.yaml with two audiences appended (line 18
`audiences:`; `us` on lines 19-21, `eu` on lines 22-23). Only one test builds the example.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from briefgen.cli import app
from briefgen.engine.batch import run_specs
from briefgen.engine.folders import expand_paths
from briefgen.engine.pool import units_per_worker
from briefgen.engine.stopping import Terminated
from briefgen.engine.units import BuildOptions, UnitResult
from tests.support import (
    EXAMPLE_SPEC,
    MINIMAL_TEXT,
    ROOT,
    expected_stem,
    expected_versions,
    replace_once,
)

runner = CliRunner()

AUDIENCES = """\
audiences:
  - id: us
    name: United States delegation
    page: Letter
  - id: eu
    name: European Union delegation
"""
DATE = "2025-03-24"


def spec_text(brief_id: str = "brief-a", audiences: str = AUDIENCES) -> str:
    return replace_once(MINIMAL_TEXT, "id: minimal-brief", f"id: {brief_id}") + audiences


def stems(brief_id: str, *audience_ids: str) -> list[str]:
    """Expected file names, written out: DATE_ID_AUDIENCE_en.{docx,pdf}, sorted."""
    return sorted(f"{DATE}_{brief_id}_{audience}_en{suffix}" for audience in audience_ids
                  for suffix in (".pdf", ".docx"))


def written(brief_id: str, out: str = "out") -> list[str]:
    """Names of the briefs written for `brief_id` (not the hidden build-state files)."""
    folder = Path(out, brief_id)
    return sorted(path.name for path in folder.glob("[!.]*")) if folder.is_dir() else []


def build(*arguments: str, out: str = "out", jobs: str = "1") -> Result:
    return runner.invoke(app, ["build", *arguments, "--out", out, "--jobs", jobs])


def summary_line(result: Result) -> str:
    lines = result.stdout.strip().splitlines()
    assert lines, result.output
    return lines[-1]


def snapshot(brief_id: str) -> dict[str, tuple[int, int, bytes]]:
    """Inode, modification time and bytes of each written file."""
    files = {}
    for name in written(brief_id):
        path = Path("out", brief_id, name)
        if path.is_dir():  # email/
            continue
        status = path.stat()
        files[name] = (status.st_ino, status.st_mtime_ns, path.read_bytes())
    return files


@pytest.fixture(autouse=True)
def _work_in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(path: str, text: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Files and folders


def test_a_folder_of_two_specs_builds_both() -> None:
    write("specs/a.yaml", spec_text("brief-a"))
    write("specs/b.yaml", spec_text("brief-b"))
    write("specs/notes.txt", "not a spec")
    result = build("specs")
    assert result.exit_code == 0, result.output
    assert written("brief-a") == stems("brief-a", "us", "eu")
    assert written("brief-b") == stems("brief-b", "us", "eu")
    assert summary_line(result).startswith("4 briefs built, 0 unchanged, 0 failed in ")


def test_files_and_folders_can_be_mixed() -> None:
    write("specs/a.yaml", spec_text("brief-a"))
    write("other.yaml", spec_text("brief-b", ""))
    result = build("specs", "other.yaml")
    assert result.exit_code == 0, result.output
    assert written("brief-a") == stems("brief-a", "us", "eu")
    assert written("brief-b") == [f"{DATE}_brief-b_en.docx", f"{DATE}_brief-b_en.pdf"]


def test_the_summary_is_a_table_with_a_header() -> None:
    write("spec.yaml", spec_text())
    result = build("spec.yaml")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # No "pages" column: every brief is one page by construction, and the DOCX's page count
    # is known only to the word processor that opens it.
    assert re.fullmatch(r"brief +audience +file +size +fit", lines[0]), lines[0]
    rows = [line for line in lines[1:-1] if line.startswith("brief-a ")]
    assert len(rows) == 2  # one row per audience; its DOCX on the next line
    assert re.match(rf"brief-a +us +out/brief-a/{DATE}_brief-a_us_en\.pdf +\d+ KB +Letter, ",
                    rows[0]), rows[0]
    assert re.match(rf"brief-a +eu +out/brief-a/{DATE}_brief-a_eu_en\.pdf +\d+ KB +A4, ",
                    rows[1]), rows[1]


def test_two_specs_with_the_same_brief_id() -> None:
    """The first spec (in name order) is built; the second is an error naming both files."""
    write("specs/a.yaml", spec_text("same-id"))
    write("specs/b.yaml", spec_text("same-id", AUDIENCES.replace("id: eu", "id: be")))
    result = build("specs")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "same-id" in line]
    assert errors, result.stderr
    assert "b.yaml" in errors[0] and "a.yaml" in errors[0], errors[0]
    assert "error: specs/b.yaml: not built; nothing was written for it" in result.stderr
    assert written("same-id") == stems("same-id", "us", "eu")  # a.yaml's, and only a.yaml's


def test_a_missing_spec_is_a_user_error() -> None:
    result = build("nothing.yaml")
    assert result.exit_code == 1
    assert "nothing.yaml: no such spec or folder" in result.stderr
    assert not Path("out").exists()


# ---------------------------------------------------------------------------------------------
# Audiences


def test_one_audience_only() -> None:
    write("spec.yaml", spec_text())
    result = build("spec.yaml", "--audience", "us")
    assert result.exit_code == 0, result.output
    assert written("brief-a") == stems("brief-a", "us")


def test_several_audiences_by_repeating_the_option() -> None:
    write("spec.yaml", spec_text(audiences=AUDIENCES + "  - id: be\n    name: Belgium\n"))
    result = build("spec.yaml", "-a", "us", "-a", "be")
    assert result.exit_code == 0, result.output
    assert written("brief-a") == stems("brief-a", "us", "be")


def test_an_unknown_audience_is_an_error() -> None:
    write("spec.yaml", spec_text())
    result = build("spec.yaml", "--audience", "xx")
    assert result.exit_code == 1
    assert "spec.yaml: audiences: no audience with id xx" in result.stderr.splitlines()
    assert "    hint: known: us, eu" in result.stderr.splitlines()
    assert not Path("out").exists()


def test_an_audience_that_no_spec_of_a_folder_has_is_an_error() -> None:
    """A typo in --audience must not pass as success because the folder holds two specs."""
    write("specs/a.yaml", spec_text("brief-a"))
    write("specs/b.yaml", spec_text("brief-b"))
    result = build("specs", "--audience", "xx")
    assert "no audience with id xx" in result.stderr, (
        f"--audience xx matched nothing in a folder of specs, yet nothing was reported "
        f"(exit {result.exit_code}):\n{result.output}")
    assert result.exit_code == 1


BROKEN_AUDIENCES = [
    # The `eu` audience gets a 24th line: its value starts in column 11, its key in column 5.
    ("page-a5", "    page: A5\n",
     "spec.yaml:24:11: audiences[1].page: expected one of 'A4' or 'Letter'"),
    ("unknown-key", "    colour: red\n",
     "spec.yaml:24:5: audiences[1].colour: unknown key 'colour'"),
]


@pytest.mark.parametrize(("addition", "expected"), [case[1:] for case in BROKEN_AUDIENCES],
                         ids=[case[0] for case in BROKEN_AUDIENCES])
def test_a_broken_audience_fails_alone(addition: str, expected: str) -> None:
    write("spec.yaml", spec_text() + addition)
    result = build("spec.yaml")
    assert result.exit_code == 1  # a brief failed, even though others were written
    stderr = result.stderr.splitlines()
    assert expected in stderr, result.stderr
    assert "error: spec.yaml (audience eu): not built; nothing was written for it" in stderr
    assert written("brief-a") == stems("brief-a", "us")
    assert summary_line(result).startswith("1 brief built, 0 unchanged, 1 failed in ")


@pytest.mark.parametrize(("addition", "expected"), [case[1:] for case in BROKEN_AUDIENCES],
                         ids=[case[0] for case in BROKEN_AUDIENCES])
def test_strict_builds_nothing_from_a_spec_with_a_broken_audience(addition: str,
                                                                   expected: str) -> None:
    write("spec.yaml", spec_text() + addition)
    write("other.yaml", spec_text("brief-b"))
    result = build("spec.yaml", "other.yaml", "--strict")
    assert result.exit_code == 1
    assert expected in result.stderr.splitlines(), result.stderr
    assert written("brief-a") == []
    assert written("brief-b") == stems("brief-b", "us", "eu")  # other specs are not affected


def test_a_problem_outside_the_audiences_fails_the_whole_spec() -> None:
    write("spec.yaml", replace_once(spec_text(), "  date: 2025-03-24\n",
                                    "  date: 2025-03-24\n  page: A5\n"))
    result = build("spec.yaml")
    assert result.exit_code == 1
    assert "spec.yaml:6:9: brief.page: expected one of 'A4' or 'Letter'" in result.stderr
    assert not Path("out").exists()


# ---------------------------------------------------------------------------------------------
# Unchanged briefs are skipped


def test_an_unchanged_brief_is_not_rebuilt_and_force_rebuilds_it() -> None:
    write("spec.yaml", spec_text())
    assert build("spec.yaml").exit_code == 0
    before = snapshot("brief-a")
    assert len(before) == 4

    again = build("spec.yaml")
    assert again.exit_code == 0, again.output
    assert "unchanged" in summary_line(again)
    assert summary_line(again).startswith("0 briefs built, 2 unchanged, 0 failed in ")
    assert snapshot("brief-a") == before  # same files: same inode, time and bytes

    forced = build("spec.yaml", "--force")
    assert forced.exit_code == 0, forced.output
    assert summary_line(forced).startswith("2 briefs built, 0 unchanged, 0 failed in ")
    after = snapshot("brief-a")
    assert after.keys() == before.keys()
    for name, (inode, _, data) in after.items():
        assert inode != before[name][0], f"{name} was not written again"
        assert data == before[name][2], f"{name} changed although its inputs did not"


def test_a_deleted_output_is_rebuilt() -> None:
    write("spec.yaml", spec_text())
    build("spec.yaml")
    Path("out", "brief-a", f"{DATE}_brief-a_us_en.pdf").unlink()
    result = build("spec.yaml")
    assert summary_line(result).startswith("1 brief built, 1 unchanged, 0 failed in ")
    assert written("brief-a") == stems("brief-a", "us", "eu")


def test_an_output_left_empty_by_a_system_crash_is_rebuilt() -> None:
    """Files are not synced to disk one by one; one that a crash left short of its recorded
    size must be built again, not skipped as unchanged."""
    write("spec.yaml", spec_text())
    build("spec.yaml")
    Path("out", "brief-a", f"{DATE}_brief-a_eu_en.docx").write_bytes(b"")
    result = build("spec.yaml")
    assert summary_line(result).startswith("1 brief built, 1 unchanged, 0 failed in ")
    assert Path("out", "brief-a", f"{DATE}_brief-a_eu_en.docx").stat().st_size > 1000


def rebuilt_files(before: dict[str, tuple[int, int, bytes]]) -> tuple[list[str], list[str]]:
    """Files written again, and files whose bytes changed, since `before`."""
    after = snapshot("brief-a")
    again = sorted(name for name in after if after[name][0] != before[name][0])
    changed = sorted(name for name in after if after[name][2] != before[name][2])
    return again, changed


def test_editing_the_spec_rebuilds_it() -> None:
    write("spec.yaml", spec_text())
    build("spec.yaml")
    before = snapshot("brief-a")
    write("spec.yaml", replace_once(spec_text(), "We ask donors", "We ask delegations"))
    result = build("spec.yaml")
    assert summary_line(result).startswith("2 briefs built, 0 unchanged, 0 failed in ")
    again, changed = rebuilt_files(before)
    assert again == changed == sorted(before)


FACT_FILE = """\
stats:
  - id: mines
    value: 1500000
    format: compact
    label: landmines
    source: gov-2024
sources:
  - id: gov-2024
    title: Annual report
    publisher: Ministry
    date: 2025-01-27
    url: https://example.org/report
"""


def test_editing_an_included_fact_file_rebuilds_with_the_new_facts() -> None:
    """Same process, as under --watch: the new figure must reach the outputs."""
    spec = replace_once(spec_text(), "  date: 2025-03-24\n",
                        "  date: 2025-03-24\n  include: [facts/shared.yaml]\n")
    write("spec.yaml", spec)
    write("facts/shared.yaml", FACT_FILE)
    assert build("spec.yaml").exit_code == 0
    before = snapshot("brief-a")
    write("facts/shared.yaml", replace_once(FACT_FILE, "value: 1500000", "value: 2500000"))
    result = build("spec.yaml")
    assert result.exit_code == 0, result.output
    assert summary_line(result).startswith("2 briefs built, 0 unchanged, 0 failed in ")
    again, changed = rebuilt_files(before)
    assert again == sorted(before)
    assert changed == sorted(before), (
        f"rebuilt, but only {changed} show the new figure: the rest still carry 1.5 million")


def local_template(name: str = "local") -> Path:
    """A copy of the shipped one-pager in ./templates/NAME, which a spec here finds first."""
    copy = Path("templates", name)
    shutil.copytree(ROOT / "templates" / "one-pager", copy)
    return copy / "template.yaml"


def test_editing_the_template_rebuilds_with_the_new_design() -> None:
    design = local_template()
    write("spec.yaml", replace_once(spec_text(), "  date: 2025-03-24\n",
                                    "  date: 2025-03-24\n  template: local\n"))
    assert build("spec.yaml").exit_code == 0
    before = snapshot("brief-a")
    text = design.read_text(encoding="utf-8")
    design.write_text(replace_once(text, 'accent: "#0E4C6E"', 'accent: "#0E3C5E"'),
                      encoding="utf-8")
    result = build("spec.yaml")
    assert result.exit_code == 0, result.output
    assert summary_line(result).startswith("2 briefs built, 0 unchanged, 0 failed in ")
    again, changed = rebuilt_files(before)
    assert again == sorted(before)
    assert changed == sorted(before), (
        f"rebuilt, but only {changed} show the new accent colour: the rest use the old template")


# ---------------------------------------------------------------------------------------------
# Parallel builds


def test_jobs_do_not_change_the_bytes() -> None:
    write("specs/a.yaml", spec_text("brief-a"))
    write("specs/b.yaml", spec_text("brief-b"))
    one = build("specs", out="one", jobs="1")
    two = build("specs", out="two", jobs="2")
    assert one.exit_code == two.exit_code == 0, one.output + two.output
    for brief_id in ("brief-a", "brief-b"):
        names = written(brief_id, "one")
        assert names == written(brief_id, "two") == stems(brief_id, "us", "eu")
        for name in names:
            assert (Path("one", brief_id, name).read_bytes()
                    == Path("two", brief_id, name).read_bytes()), name


def test_a_failure_in_a_worker_does_not_stop_the_others() -> None:
    write("specs/a.yaml", spec_text("brief-a") + "    page: A5\n")
    write("specs/b.yaml", spec_text("brief-b"))
    result = build("specs", jobs="2")
    assert result.exit_code == 1
    assert "specs/a.yaml:24:11: audiences[1].page: expected one of 'A4' or 'Letter'" in (
        result.stderr.splitlines())
    assert written("brief-a") == stems("brief-a", "us")
    assert written("brief-b") == stems("brief-b", "us", "eu")


def test_the_example_in_parallel_writes_every_version() -> None:
    result = runner.invoke(app, ["build", str(EXAMPLE_SPEC), "--out", "out", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    expected = sorted(f"{expected_stem('example', audience, language)}{suffix}"
                      for audience, language, _ in expected_versions("example")
                      for suffix in (".pdf", ".docx"))
    assert written("masg-2025") == expected
    for name in expected:
        assert Path("out", "masg-2025", name).stat().st_size > 1000, name


def test_a_changed_logo_rebuilds_the_brief() -> None:
    from PIL import Image

    Image.new("RGB", (40, 20), (10, 20, 30)).save("logo.png")
    write("spec.yaml", replace_once(spec_text(), "    organization: Example Coalition",
                                    "    organization: Example Coalition\n    logo: logo.png"))
    assert build("spec.yaml").exit_code == 0
    Image.new("RGB", (40, 20), (200, 20, 30)).save("logo.png")
    again = build("spec.yaml")
    assert summary_line(again).startswith("2 briefs built, 0 unchanged"), again.output


def test_a_spec_named_twice_is_built_once() -> None:
    write("spec.yaml", spec_text())
    result = build("spec.yaml", "spec.yaml", "./spec.yaml")
    assert summary_line(result).startswith("2 briefs built, "), result.output


def test_a_folder_build_passes_over_yaml_that_is_not_a_brief() -> None:
    write("specs/a.yaml", spec_text())
    write("specs/facts.yaml", "stats: []\nsources: []\n")
    write("specs/compose.yaml", "version: '3'\nservices: {}\n")
    result = build("specs")
    assert result.exit_code == 0, result.output + result.stderr
    assert written("brief-a") == stems("brief-a", "eu", "us")


def test_a_rebuild_removes_the_email_draft_that_carried_the_old_pdf() -> None:
    write("spec.yaml", spec_text())
    assert runner.invoke(app, ["email", "-q", "spec.yaml"]).exit_code == 0
    drafts = sorted(Path("out/brief-a/email").glob("*.eml"))
    assert len(drafts) == 2
    write("spec.yaml", replace_once(spec_text(), "Fund clearance", "Fund clearance now"))
    result = build("spec.yaml", "-a", "eu")
    assert result.exit_code == 0
    assert "removed the email draft: it carried the previous version" in result.stderr
    left = sorted(path.name for path in Path("out/brief-a/email").glob("*.eml"))
    assert left == [f"{DATE}_brief-a_us_en.eml"]  # the untouched audience keeps its draft


def test_a_rebuild_keeps_the_drafts_whose_attachments_did_not_change() -> None:
    """Editing one delegation's line rebuilds every version of the spec; only the draft of
    the version whose PDF changed is removed."""
    audiences = AUDIENCES.replace("    page: Letter\n", "    page: Letter\n    intro: Thank you.\n")
    write("spec.yaml", spec_text(audiences=audiences))
    assert runner.invoke(app, ["email", "-q", "spec.yaml", "-o", "out"]).exit_code == 0
    write("spec.yaml", spec_text(audiences=audiences.replace("Thank you.", "Thank you again.")))
    result = build("spec.yaml")
    assert summary_line(result).startswith("2 briefs built, "), result.output
    assert result.stderr.count("removed the email draft") == 1, result.stderr
    left = sorted(path.name for path in Path("out/brief-a/email").glob("*.eml"))
    assert left == [f"{DATE}_brief-a_eu_en.eml"]


def attachments(draft: Path) -> dict[str, bytes]:
    import email
    from email import policy

    message = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    return {str(part.get_filename()): part.get_payload(decode=True)
            for part in message.iter_attachments()}  # type: ignore[attr-defined]


def test_email_after_an_unchanged_build_attaches_the_built_files_as_they_are() -> None:
    """`email` right after `build` builds nothing again: the drafts attach, byte for byte,
    the files in out/, which are left as they were."""
    write("spec.yaml", spec_text(audiences=AUDIENCES + "    attach_docx: true\n"))
    assert build("spec.yaml").exit_code == 0
    before = snapshot("brief-a")
    result = runner.invoke(app, ["email", "spec.yaml", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert summary_line(result).startswith(
        "0 briefs built, 2 unchanged, 0 failed, 2 email drafts written in "), result.stdout
    assert "unchanged, draft written" in result.stdout
    assert snapshot("brief-a") == before
    for audience, files in (("us", [".pdf"]), ("eu", [".pdf", ".docx"])):
        draft = Path("out/brief-a/email", f"{DATE}_brief-a_{audience}_en.eml")
        stem = f"{DATE}_brief-a_{audience}_en"
        assert attachments(draft) == {stem + suffix: before[stem + suffix][2]
                                      for suffix in files}
    # Built and drafted: a build now skips everything, and so does the next email.
    assert summary_line(build("spec.yaml")).startswith("0 briefs built, 2 unchanged, 0 failed in")
    again = runner.invoke(app, ["email", "spec.yaml", "--out", "out"])
    assert summary_line(again).startswith("0 briefs built, 2 unchanged, 0 failed, 2 email")


def test_email_builds_again_a_file_changed_since_the_build() -> None:
    """A draft never attaches a file that is not the one briefgen built."""
    write("spec.yaml", spec_text())
    assert build("spec.yaml").exit_code == 0
    pdf = Path("out/brief-a", f"{DATE}_brief-a_us_en.pdf")
    built = pdf.read_bytes()
    pdf.write_bytes(built + b"%% edited\n")
    result = runner.invoke(app, ["email", "spec.yaml", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert summary_line(result).startswith("1 brief built, 1 unchanged, 0 failed, 2 email")
    assert pdf.read_bytes() == built
    assert attachments(Path("out/brief-a/email", f"{DATE}_brief-a_us_en.eml")) == {
        pdf.name: built}


# ---------------------------------------------------------------------------------------------
# Worker processes (a standard process pool)


def wait_for(marker: Path) -> None:
    """Wait until another process has written `marker` (or give up, and let the test fail)."""
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_results_come_in_order_and_each_is_reported_when_it_finishes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """brief-a, first in order, finishes last: the progress callback sees brief-b first."""
    import briefgen.engine.build

    write("a.yaml", spec_text("brief-a", ""))
    write("b.yaml", spec_text("brief-b", ""))
    render_brief = briefgen.engine.build.render_brief

    def render_a_after_b(spec: Any, *arguments: Any) -> Any:
        if spec.brief.id == "brief-a":
            wait_for(Path("b.rendered"))
        rendered = render_brief(spec, *arguments)
        if spec.brief.id == "brief-b":
            Path("b.rendered").touch()
        return rendered

    monkeypatch.setattr(briefgen.engine.build, "render_brief", render_a_after_b)
    finished: list[str] = []
    report = run_specs([Path("a.yaml"), Path("b.yaml")], BuildOptions(out=Path("out"), jobs=2),
                       lambda result: finished.append(result.brief_id))
    assert [result.brief_id for result in report.results] == ["brief-a", "brief-b"]
    assert finished == ["brief-b", "brief-a"]
    assert not report.failed, report.failed
    assert multiprocessing.active_children() == []


def test_a_worker_that_dies_is_reported_as_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    import briefgen.engine.build

    for number in range(2):
        write(f"specs/{number}.yaml", spec_text(f"brief-{number}"))
    main_process = os.getpid()

    def die(*_: object) -> None:
        assert os.getpid() != main_process, "built in the main process, not in a worker"
        os._exit(3)

    monkeypatch.setattr(briefgen.engine.build, "render_brief", die)
    result = runner.invoke(app, ["build", "specs", "--out", "out", "--jobs", "2", "--debug"])
    assert result.exit_code == 70, result.output
    assert "internal error (BriefgenBug): this is a bug in briefgen" in result.stderr
    assert "a worker process stopped unexpectedly; not built: specs/" in result.stderr
    assert multiprocessing.active_children() == []


def test_an_exception_in_a_worker_is_reported_with_its_traceback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import briefgen.engine.build

    for number in range(2):
        write(f"specs/{number}.yaml", spec_text(f"brief-{number}"))

    def broken(*_: object) -> None:
        raise RuntimeError("simulated defect")

    monkeypatch.setattr(briefgen.engine.build, "render_brief", broken)
    result = runner.invoke(app, ["build", "specs", "--out", "out", "--jobs", "2", "--debug"])
    assert result.exit_code == 70, result.output
    assert "internal error (RuntimeError): this is a bug in briefgen" in result.stderr
    assert 'raise RuntimeError("simulated defect")' in result.stderr  # the worker's traceback
    assert multiprocessing.active_children() == []


def test_an_interrupted_build_leaves_no_workers_behind() -> None:
    for number in range(2):
        write(f"specs/{number}.yaml", spec_text(f"brief-{number}"))

    def interrupt(_: UnitResult) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_specs(expand_paths([Path("specs")]), BuildOptions(out=Path("out"), jobs=2),
                  interrupt)
    assert multiprocessing.active_children() == []


def refuse_to_die(signal_number: int, _: object) -> None:
    raise AssertionError(f"{signal.Signals(signal_number).name} reached the test, not the build")


@pytest.mark.parametrize(("stop_signal", "raised"), [
    ("SIGINT", KeyboardInterrupt), ("SIGTERM", Terminated),
    *([("SIGBREAK", Terminated)] if hasattr(signal, "SIGBREAK") else [])])
def test_a_stop_during_a_build_in_this_process_finishes_the_brief_being_written(
        monkeypatch: pytest.MonkeyPatch, stop_signal: str, raised: type[BaseException]) -> None:
    """Ctrl-C, SIGTERM (`timeout`, a CI runner) or the console closing on Windows, while a
    brief is written in this process: that version is written whole, no other is started."""
    import briefgen.engine.build

    for number in range(2):
        write(f"specs/{number}.yaml", spec_text(f"brief-{number}"))
    render_brief = briefgen.engine.build.render_brief
    number = getattr(signal, stop_signal)

    def render_and_be_stopped(*arguments: Any) -> Any:
        signal.raise_signal(number)  # in the middle of a brief
        return render_brief(*arguments)

    monkeypatch.setattr(briefgen.engine.build, "render_brief", render_and_be_stopped)
    finished: list[UnitResult] = []
    previous = signal.signal(number, refuse_to_die)
    try:
        with pytest.raises(raised):
            run_specs(expand_paths([Path("specs")]), BuildOptions(out=Path("out"), jobs=1),
                      finished.append)
        assert signal.getsignal(number) is refuse_to_die  # the handler before the run
    finally:
        signal.signal(number, previous)
    assert [result.audience_id for result in finished] == ["us"]
    assert written("brief-0") == stems("brief-0", "us")
    assert written("brief-1") == []
    assert not [path for path in Path("out").rglob("*") if path.suffix in (".tmp", ".old")]


def test_closing_the_console_on_windows_stops_the_build_as_ctrl_c_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated Windows: the system calls the console handler on a thread of its own when the
    window closes, and ends the process as soon as the handler returns. The handler must
    return only once the brief being written is whole and the run has stopped."""
    import ctypes
    import threading

    import briefgen.engine.build
    import briefgen.engine.stopping

    handlers: list[Any] = []

    class Kernel32:
        def SetConsoleCtrlHandler(self, routine: Any, add: bool) -> int:
            (handlers.append if add else handlers.remove)(routine)
            return 1

    monkeypatch.setattr(briefgen.engine.stopping, "ON_WINDOWS", True)
    monkeypatch.setattr(ctypes, "WinDLL", lambda *_, **__: Kernel32(), raising=False)
    monkeypatch.setattr(ctypes, "WINFUNCTYPE", lambda *_: lambda handle: handle, raising=False)
    for number in range(2):
        write(f"specs/{number}.yaml", spec_text(f"brief-{number}"))
    render_brief = briefgen.engine.build.render_brief
    when_handler_returned: list[tuple[bool, list[str]]] = []

    def render_while_the_console_closes(*arguments: Any) -> Any:
        [handler] = handlers
        threading.Thread(target=lambda: when_handler_returned.append(
            (handler(2), written("brief-0")))).start()  # 2: CTRL_CLOSE_EVENT
        deadline = time.monotonic() + 10
        stop_request = briefgen.engine.stopping.stop_request
        while stop_request.signal_number is None and time.monotonic() < deadline:
            time.sleep(0.01)  # the stop reaches this thread as a signal would
        assert not when_handler_returned, "the handler let Windows end the process mid-brief"
        return render_brief(*arguments)

    monkeypatch.setattr(briefgen.engine.build, "render_brief", render_while_the_console_closes)
    with pytest.raises(Terminated):
        run_specs(expand_paths([Path("specs")]), BuildOptions(out=Path("out"), jobs=1))
    deadline = time.monotonic() + 10
    while not when_handler_returned and time.monotonic() < deadline:
        time.sleep(0.01)
    assert when_handler_returned == [(True, stems("brief-0", "us"))]
    assert handlers == []  # the run put the console back as it found it
    assert written("brief-1") == []
    assert not [path for path in Path("out").rglob("*") if path.suffix in (".tmp", ".old")]


def test_a_worker_on_a_closing_console_finishes_the_brief_it_is_writing() -> None:
    import threading

    from briefgen.engine.stopping import wait_for_unit_being_written, writing_unit

    finished = threading.Event()
    with writing_unit:
        waiting = threading.Thread(target=lambda: (wait_for_unit_being_written(),
                                                   finished.set()))
        waiting.start()
        assert not finished.wait(0.3), "the worker let Windows end it mid-brief"
    assert finished.wait(5)


@pytest.mark.parametrize(("specs", "jobs", "arguments"), [
    (3, ["--jobs", "1"], []), (1, ["--jobs", "2"], ["--audience", "eu"]), (1, [], [])],
    ids=["one-job", "one-brief", "few-briefs-by-default"])
def test_little_work_is_built_without_starting_processes(
        specs: int, jobs: list[str], arguments: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting a process costs more than a few briefs: no process is started, and a
    debugger sees every step."""
    import briefgen.engine.build

    for number in range(specs):
        write(f"specs/{number}.yaml", spec_text(f"brief-{number}"))
    render_brief = briefgen.engine.build.render_brief
    processes: set[int] = set()

    def render_and_note_the_process(*arguments: Any) -> Any:
        processes.add(os.getpid())  # seen here only when it ran in this process
        return render_brief(*arguments)

    monkeypatch.setattr(briefgen.engine.build, "render_brief", render_and_note_the_process)
    result = runner.invoke(app, ["build", "specs", "--out", "out", *jobs, *arguments])
    assert result.exit_code == 0, result.output
    built = 2 * specs if not arguments else 1
    assert summary_line(result).startswith(f"{built} brief{'s' if built > 1 else ''} built, ")
    assert processes == {os.getpid()}


def test_many_briefs_are_shared_between_processes_by_default(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import briefgen.engine.build
    import briefgen.engine.pool

    monkeypatch.setattr(briefgen.engine.pool, "available_cores", lambda: 2)
    render_brief = briefgen.engine.build.render_brief

    def render_and_note_the_process(spec: Any, *arguments: Any) -> Any:
        Path("builders", f"{os.getpid()}-{spec.brief.id}-{time.monotonic_ns()}").touch()
        return render_brief(spec, *arguments)

    monkeypatch.setattr(briefgen.engine.build, "render_brief", render_and_note_the_process)
    Path("builders").mkdir()
    units = max(units_per_worker() * 2, 4)
    for number in range(units // 2):
        write(f"specs/{number}.yaml", spec_text(f"brief-{number}"))
    report = run_specs(expand_paths([Path("specs")]), BuildOptions(out=Path("out"), jobs=None))
    assert len(report.built) == units and not report.failed
    builders = {int(path.name.split("-")[0]) for path in Path("builders").iterdir()}
    assert len(builders) == 2 and os.getpid() not in builders, builders
    assert multiprocessing.active_children() == []


def test_a_warning_from_a_fact_file_shared_by_several_specs_is_printed_once() -> None:
    shutil.copytree(EXAMPLE_SPEC.parent / "facts", "specs/facts")
    shutil.copy(EXAMPLE_SPEC.parent / "clear-ground-logo.png", "specs/")
    head = EXAMPLE_SPEC.read_text(encoding="utf-8").partition("\naudiences:\n")[0] + "\n"
    head = replace_once(head, "    public: true\n", "")  # each spec's quote lacks consent
    for number in range(2):
        write(f"specs/{number}.yaml", replace_once(head, "id: masg-2025", f"id: copy-{number}"))
    result = build("specs")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("source 'newsmax-2025' has no url") == 1, result.stderr
    # A warning about each spec's own text is still given for each spec.
    assert result.stderr.count("no consent recorded for the quote") == 2, result.stderr


# ---------------------------------------------------------------------------------------------
# Messages a first user met


def test_a_mistyped_audience_is_suggested_and_nothing_claims_files_were_not_written() -> None:
    write("spec.yaml", spec_text(audiences=AUDIENCES + "  - id: japan\n    name: Japan\n"))
    assert build("spec.yaml").exit_code == 0
    result = build("spec.yaml", "--audience", "japn", "--audience", "us")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "spec.yaml: audiences: no audience with id japn" in lines, result.stderr
    assert "    hint: did you mean japan? known: us, eu, japan" in lines, result.stderr
    assert "nothing was written" not in result.stderr  # the us version is listed as unchanged
    assert summary_line(result).startswith("0 briefs built, 1 unchanged, 0 failed in ")


def test_a_missing_logo_is_reported_once_for_all_audiences() -> None:
    write("spec.yaml", replace_once(spec_text(), "    organization: Example Coalition",
                                    "    organization: Example Coalition\n    logo: logo.png"))
    result = build("spec.yaml")
    assert result.exit_code == 1
    assert result.stderr.count("no image file at 'logo.png'") == 1, result.stderr
    assert result.stderr.count("not built") == 1, result.stderr


def test_editing_a_cover_note_of_the_template_rebuilds_the_brief() -> None:
    """Template subfolders (email/) are inputs too."""
    local_template()
    write("spec.yaml", replace_once(spec_text(), "  date: 2025-03-24\n",
                                    "  date: 2025-03-24\n  template: local\n"))
    assert build("spec.yaml").exit_code == 0
    note = Path("templates/local/email/en.txt.j2")
    note.write_text(note.read_text(encoding="utf-8") + "\nP.S. See you in Geneva.\n",
                    encoding="utf-8")
    again = build("spec.yaml")
    assert summary_line(again).startswith("2 briefs built, 0 unchanged"), again.output


def test_check_names_each_long_part_with_its_line() -> None:
    from tests.test_build import overlong_spec

    text, body_lines = overlong_spec()
    write("spec.yaml", text)
    result = runner.invoke(app, ["check", "spec.yaml"])
    assert result.exit_code == 1
    named = re.findall(r"sections\[(\d)\]\.body \(line (\d+)\)", result.stdout)
    assert named, result.stdout
    for index, line in named:
        assert int(line) == body_lines[int(index)], result.stdout


def test_a_brief_id_without_yaml_finds_its_spec_in_briefs() -> None:
    write("briefs/brief-a.yaml", spec_text())
    result = build("brief-a", "-a", "us")
    assert result.exit_code == 0, result.output
    assert written("brief-a") == stems("brief-a", "us")
    assert runner.invoke(app, ["check", "brief-a"]).exit_code == 0
    missing = build("brief-b")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == (
        "brief-b: no such spec or folder (looked for brief-b and brief-b.yaml here and in "
        "briefs/)")


FRENCH = "  - id: fr\n    name: délégation française\n    language: fr\n"


@pytest.mark.parametrize(("audiences", "suggestion"), [
    (AUDIENCES + FRENCH, "did you mean fr?"),
    # No id is close to "fra", but a version is in French: its id is suggested.
    (AUDIENCES + FRENCH.replace("id: fr", "id: ch").replace("fr\n", "fr-CH\n"),
     "did you mean ch (fr-CH)?")])
def test_a_mistyped_audience_builds_nothing_and_the_summary_says_so(audiences: str,
                                                                    suggestion: str) -> None:
    write("spec.yaml", spec_text(audiences=audiences))
    result = build("spec.yaml", "-a", "fra")
    assert result.exit_code == 1
    assert f"    hint: {suggestion} known: us, eu, " in result.stderr, result.stderr
    assert re.fullmatch(r"0 briefs built, 0 unchanged, 0 failed in [\d.]+ s; nothing built for "
                        r"-a fra: no such audience \(see above\)", summary_line(result))
    assert not Path("out").exists()
    # With a known audience beside it, that one is built, and the typo still named.
    both = build("spec.yaml", "-a", "us", "-a", "fra")
    assert both.exit_code == 1
    assert summary_line(both).startswith("1 brief built, 0 unchanged, 0 failed in ")
    assert summary_line(both).endswith("; nothing built for -a fra: no such audience (see above)")
    assert written("brief-a") == stems("brief-a", "us")
