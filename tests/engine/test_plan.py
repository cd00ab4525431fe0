"""Planning one spec: which units are built, which fail alone, which ids were not found."""

from __future__ import annotations

from pathlib import Path

from briefgen.engine.plan import SpecPlan, plan_spec
from briefgen.engine.units import BuildOptions

MINIMAL = (Path(__file__).parents[1] / "specs" / "minimal.yaml").read_text(encoding="utf-8")
AUDIENCES = """\
audiences:
  - id: us
    name: United States delegation
  - id: ch
    name: Délégation de la Suisse
    language: fr-CH
"""
BROKEN_CH = AUDIENCES + "    stats: [no-such-figure]\n"


def plan(tmp_path: Path, text: str, **options: object) -> SpecPlan:
    spec = tmp_path / "brief.yaml"
    spec.write_text(text, encoding="utf-8")
    return plan_spec(spec, BuildOptions(out=tmp_path / "out", **options))


def test_each_audience_is_a_unit(tmp_path: Path) -> None:
    planned = plan(tmp_path, MINIMAL + AUDIENCES.replace("language: fr-CH", "language: en"))
    assert [unit.audience_id for unit in planned.units] == ["us", "ch"]
    assert planned.results == [] and planned.brief_id == "minimal-brief"


def test_a_spec_without_audiences_is_one_generic_brief(tmp_path: Path) -> None:
    assert [unit.audience_id for unit in plan(tmp_path, MINIMAL).units] == [None]


def test_a_broken_audience_fails_alone(tmp_path: Path) -> None:
    planned = plan(tmp_path, MINIMAL + BROKEN_CH)
    assert [unit.audience_id for unit in planned.units] == ["us"]
    [failure] = planned.results
    assert failure.audience_id == "ch" and failure.scope == "audience"
    assert "no figure with id 'no-such-figure'" in str(failure.problems[0])


def test_strict_builds_nothing_from_a_spec_with_a_broken_audience(tmp_path: Path) -> None:
    planned = plan(tmp_path, MINIMAL + BROKEN_CH, strict=True)
    assert planned.units == []
    [failure] = planned.results
    assert failure.scope == "spec" and failure.audience_id is None


def test_an_audience_asked_for_by_its_language_is_suggested(tmp_path: Path) -> None:
    planned = plan(tmp_path, MINIMAL + AUDIENCES, audiences=frozenset({"fra"}))
    assert planned.units == []
    [unknown] = planned.results
    assert unknown.scope == "command" and unknown.audience_id == "fra"
    assert unknown.problems[0].hint == "did you mean ch (fr-CH)? known: us, ch"


def test_a_spec_that_cannot_be_read_fails_as_a_whole(tmp_path: Path) -> None:
    planned = plan(tmp_path, "brief: [\n")
    assert planned.brief_id == "" and planned.units == []
    assert planned.results[0].scope == "spec"
