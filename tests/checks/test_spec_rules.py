"""The registry of spec rules, and what `check_spec` is given by its caller."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefgen.checks import check_spec
from briefgen.checks.spec_rules import SPEC_RULES
from briefgen.checks.spec_rules.rule import CheckedSpec, version_names
from briefgen.errors import Problem
from briefgen.spec.includes import load_spec
from briefgen.spec.validate import validate_spec
from briefgen.template import load_template
from briefgen.translation.texts import text_hash
from tests.support import SPECS


def checked(folder: Path) -> CheckedSpec:
    shutil.copytree(SPECS / "translate", folder)
    document = load_spec(folder / "brief.yaml")
    spec = validate_spec(document)
    return CheckedSpec(spec, document, load_template(spec.brief.template, document.path))


def outdated_record(folder: Path) -> None:
    """Record the French subtitle as translated from an earlier English text."""
    (folder / "brief.translations.yaml").write_text(
        f"brief.subtitle:\n  fr: {{source: 0000000000000000, "
        f"translation: {text_hash('Note d’information')}}}\n", encoding="utf-8")


def test_every_rule_is_run_once_in_its_order() -> None:
    names = [rule.__name__ for rule in SPEC_RULES]
    assert len(names) == len(set(names)) == 19
    assert names[:2] == ["anachronisms", "stale_figures"]


def test_translation_warnings_given_by_the_caller_are_not_read_again(tmp_path: Path) -> None:
    spec = checked(tmp_path / "brief")
    given = Problem(spec.document.path, "", "given by the caller", rule="translation-outdated",
                    severity="warning")
    outdated_record(tmp_path / "brief")
    problems = check_spec(spec.spec, spec.document, spec.template, [given])
    assert [problem for problem in problems if problem.rule == "translation-outdated"] == [given]


def test_without_them_check_spec_reads_the_records(tmp_path: Path) -> None:
    spec = checked(tmp_path / "brief")
    outdated_record(tmp_path / "brief")
    [problem] = [problem for problem in check_spec(spec.spec, spec.document, spec.template)
                 if problem.rule == "translation-outdated"]
    assert problem.field == "brief.subtitle.fr"


def test_a_problem_at_a_field_and_the_field_with_its_line(tmp_path: Path) -> None:
    spec = checked(tmp_path / "brief")
    problem = spec.problem(("summary",), "message", "hint", "rule", "warning")
    assert (problem.field, problem.rule, problem.severity) == ("summary", "rule", "warning")
    assert spec.field_with_line(("summary",)).startswith("summary (line ")
    assert version_names(["", "eu", "us"]) == " (eu, us)" and version_names([""]) == ""
