"""`briefgen check` rules for readers who do not see the page: pictures without words, links
that are only an address, headings without words. Each case edits tests/specs/minimal.yaml
(lines: 2 `brief:`, 4 `title:`, 13 `summary:` with its text from column 10, 15 `asks:`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from briefgen.cli import app
from tests.support import EXAMPLE_SPEC, MINIMAL_TEXT, ROOT, replace_once

runner = CliRunner()


def check(folder: Path, text: str) -> Result:
    (folder / "spec.yaml").write_text(text, encoding="utf-8")
    return runner.invoke(app, ["check", str(folder / "spec.yaml")])


def located_lines(result: Result, folder: Path) -> list[str]:
    """The problem lines `check` printed (not their hints), paths relative to `folder`."""
    return [line.replace(f"{folder}/", "") for line in result.stdout.splitlines()
            if not line.startswith("    ")]


def test_a_link_whose_text_is_only_its_address_is_a_warning(tmp_path: Path) -> None:
    summary = ("Read [https://example.org/plan](https://example.org/plan), "
               "[example.org/plan/2025](https://example.org/plan/2025), "
               "[the plan](https://example.org/plan) and [unhcr.org](https://unhcr.org).")
    text = replace_once(MINIMAL_TEXT, "summary: Landmines still block the way home for many "
                        "families. We ask donors to fund clearance.", f"summary: {summary}")
    result = check(tmp_path, text)
    assert located_lines(result, tmp_path) == [
        "spec.yaml:13:15: warning: link-text: summary: the link's printed text is only its "
        "address (https://example.org/plan); screen readers spell it out",
        "spec.yaml:13:69: warning: link-text: summary: the link's printed text is only its "
        "address (example.org/plan/2025); screen readers spell it out",
    ], result.stdout
    assert "say what is there" in result.stdout
    assert result.exit_code == 0  # a warning: the brief is still built


def test_a_heading_without_words_is_a_warning(tmp_path: Path) -> None:
    text = MINIMAL_TEXT + ("sections:\n"
                           "  - heading: \"**  **\"\n"
                           "    body: Words.\n"
                           "  - heading: {en: Why now, fr: \"[^report]\"}\n"
                           "    body: Words.\n"
                           "sources:\n"
                           "  - id: report\n    title: Annual report\n    publisher: Agency\n"
                           "    date: 2025-01-01\n    url: https://example.org/report\n")
    result = check(tmp_path, text)
    assert [line for line in located_lines(result, tmp_path) if "empty-heading" in line] == [
        "spec.yaml:19:14: warning: empty-heading: sections[0].heading: the heading prints no "
        "words: readers who move from heading to heading would find it empty",
        "spec.yaml:21:32: warning: empty-heading: sections[1].heading.fr: the heading prints "
        "no words: readers who move from heading to heading would find it empty",
    ], result.stdout


def test_a_logo_without_alternative_text_is_an_error(tmp_path: Path) -> None:
    """The one-pager names the logo after the organisation; a layout that leaves the
    description out is refused, and the message points at its <image>."""
    template = tmp_path / "templates" / "silent-logo"
    shutil.copytree(ROOT / "templates" / "one-pager", template)
    layout = template / "page.xml.j2"
    source = layout.read_text(encoding="utf-8")
    source = replace_once(source, ' description="{{ sender.logo_description }}"', "")
    layout.write_text(source, encoding="utf-8")
    line = next(number for number, text in enumerate(source.splitlines(), start=1)
                if '<image source="logo"' in text)
    column = source.splitlines()[line - 1].index("<image") + 1
    shutil.copy(EXAMPLE_SPEC.parent / "clear-ground-logo.png", tmp_path / "logo.png")
    text = replace_once(MINIMAL_TEXT, "    organization: Example Coalition\n",
                        "    organization: Example Coalition\n    logo: logo.png\n")
    text = replace_once(text, "  date: 2025-03-24\n", "  date: 2025-03-24\n"
                        "  template: silent-logo\n")
    result = check(tmp_path, text)
    assert located_lines(result, tmp_path) == [
        f"templates/silent-logo/page.xml.j2:{line}:{column}: error: alt-text: image: a "
        "picture (the logo) is drawn without alternative text: screen readers would pass "
        "over it"], result.stdout
    assert result.exit_code == 1


@pytest.mark.parametrize("spec", [EXAMPLE_SPEC, ROOT / "tests" / "specs" / "full.yaml"])
def test_the_shipped_specs_raise_none_of_these(spec: Path) -> None:
    result = runner.invoke(app, ["check", str(spec)])
    assert not [line for line in result.stdout.splitlines()
                if any(f": {rule}: " in line for rule in ("alt-text", "link-text",
                                                           "empty-heading"))], result.stdout
