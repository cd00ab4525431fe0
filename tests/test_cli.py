"""The `briefgen` command through typer's CliRunner: exit codes and what the user reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from briefgen import __version__
from briefgen.cli import app
from tests.support import (
    EXAMPLE_SPEC,
    FOUR_FIGURES,
    MINIMAL_SPEC,
    MINIMAL_TEXT,
    ROOT,
    expected_stem,
    expected_versions,
    filler_words,
)

runner = CliRunner()


def invoke(*arguments: str | Path) -> Result:
    return runner.invoke(app, [str(argument) for argument in arguments])


def test_help_lists_the_build_command() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    assert re.search(r"^\s+build\s", result.output, re.MULTILINE), result.output
    assert "briefgen build briefs/masg-2025.yaml" in result.output


def test_build_help_shows_an_example() -> None:
    result = invoke("build", "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "briefgen build briefs/masg-2025.yaml" in result.output
    assert "--out" in result.output


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"briefgen {__version__}"


def test_build_the_example(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("build", EXAMPLE_SPEC, "--out", out)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    listed = re.findall(r"\S+\.(?:pdf|docx)\b", result.stdout)
    assert len(listed) == 2 * len(expected_versions("example")), result.stdout
    expected = {f"{expected_stem('example', audience, language)}{suffix}"
                for audience, language, _ in expected_versions("example")
                for suffix in (".pdf", ".docx")}
    assert {Path(name).name for name in listed} == expected
    for name in expected:
        assert (out / "masg-2025" / name).stat().st_size > 1000


def test_misspelt_key_is_a_located_user_error_and_nothing_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("brief.yaml").write_text(MINIMAL_TEXT.replace("summary:", "sumary:"), encoding="utf-8")
    result = invoke("build", "brief.yaml", "--out", "out")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "brief.yaml:13:1: sumary: unknown key 'sumary'" in result.stderr
    assert "hint: did you mean 'summary'?" in result.stderr
    assert re.search(r"^brief\.yaml:\d+:\d+: ", result.stderr, re.MULTILINE)
    assert "unknown key" not in result.stdout  # problems go to stderr
    assert "not built" in result.stderr
    out = tmp_path / "out"
    assert not out.exists() or not any(out.rglob("*"))


def test_missing_spec_is_a_user_error(tmp_path: Path) -> None:
    result = invoke("build", tmp_path / "nothing.yaml", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "nothing.yaml" in result.stderr
    assert "Traceback" not in result.output


def test_a_bug_is_reported_as_internal_error(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import briefgen.render.pdf

    def broken(*_: object, **__: object) -> bytes:
        raise RuntimeError("simulated defect")

    monkeypatch.setattr(briefgen.render.pdf, "render_pdf", broken)
    result = invoke("build", MINIMAL_SPEC, "--out", tmp_path / "out")
    assert result.exit_code == 70
    assert "internal error" in result.stderr
    assert "report" in result.stderr
    assert "Traceback" not in result.output
    debug = invoke("build", MINIMAL_SPEC, "--out", tmp_path / "out", "--debug")
    assert debug.exit_code == 70
    assert "Traceback" in debug.stderr and "simulated defect" in debug.stderr


def readme_block_after(words: str) -> list[str]:
    """The README's indented example that follows the paragraph ending in `words`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text[text.index(words) + len(words):].split("\n\n", 2)[1]
    assert after.startswith("    "), after
    return [line.removeprefix("    ") for line in after.splitlines()]


@pytest.mark.parametrize(("words", "edits"), [
    ("the figure names a source that is not there:",
     [("    detail: One sentence", "    detial: One sentence"),
      ("    source: example-source", "    source: hrw-2024")]),
    ("`title: Azerbaijan: clearing its minefields almost alone`:",
     [("  title: Headline that carries the message in eight to fourteen words",
       "  title: Azerbaijan: clearing its minefields almost alone")]),
])
def test_the_readme_examples_of_errors_are_what_the_tool_prints(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, words: str,
        edits: list[tuple[str, str]]) -> None:
    """The spec the README speaks of, made as it says (`briefgen new`, then the edits), prints
    exactly the README's lines."""
    monkeypatch.chdir(tmp_path)
    assert invoke("new", "my-brief").exit_code == 0
    spec = Path("briefs", "my-brief.yaml")
    text = spec.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    spec.write_text(text, encoding="utf-8")
    result = invoke("build", "briefs/my-brief.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == readme_block_after(words)


def test_check_can_check_one_audience(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While cutting one version to fit, `check -a ID` checks that version alone."""
    monkeypatch.chdir(tmp_path)
    asks = "".join(f"      - headline: Ask {index}\n        detail: {filler_words(52, index)}\n"
                   for index in range(5))
    sections = "".join(f"      - heading: Part {index}\n        body: {filler_words(80, index)}\n"
                       for index in range(4))
    Path("spec.yaml").write_text(MINIMAL_TEXT + FOUR_FIGURES + (
        "audiences:\n  - id: us\n    name: US delegation\n  - id: long\n"
        f"    name: Long delegation\n    asks:\n{asks}    sections:\n{sections}"),
        encoding="utf-8")
    assert invoke("check", "spec.yaml", "-a", "us").exit_code == 0
    long = invoke("check", "spec.yaml", "-a", "long")
    assert long.exit_code == 1
    assert "error: fit: the brief does not fit on one page (version for long)" in long.stdout
    typo = invoke("check", "spec.yaml", "-a", "lnog")
    assert typo.exit_code == 1
    assert "error: unknown-audience: audiences: no audience with id lnog" in typo.stdout
    assert "hint: did you mean long? known: us, long" in typo.stdout


def test_check_help_names_every_rule_the_readme_lists() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| rule | severity | what it catches |"):].split("\n\n", 1)[0]
    rules = {rule for line in table.splitlines()[2:]
             for rule in re.findall(r"`([a-z-]+)`", line.split("|")[1])}
    assert len(rules) > 30, rules
    shown = " ".join(invoke("check", "--help").output.split())
    assert sorted(rule for rule in rules if not re.search(rf"\b{rule}\b", shown)) == []
