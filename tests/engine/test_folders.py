"""Which specs a command names, and where their files go."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.engine.folders import expand_paths, locate_spec, output_root, project_folder
from briefgen.engine.units import BuildOptions

SPEC = "brief:\n  id: x\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the working directory) with two specs and a fact file in briefs/."""
    (tmp_path / "briefs").mkdir()
    for name in ("b-brief.yaml", "a-brief.yml"):
        (tmp_path / "briefs" / name).write_text(SPEC, encoding="utf-8")
    (tmp_path / "briefs" / "facts.yaml").write_text("stats: []\n", encoding="utf-8")
    (tmp_path / "briefs" / "_draft.yaml").write_text(SPEC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_brief_id_finds_its_spec_in_briefs(project: Path) -> None:
    assert locate_spec(Path("b-brief")) == Path("briefs/b-brief.yaml")
    assert locate_spec(Path("a-brief")) == Path("briefs/a-brief.yml")
    assert locate_spec(Path("b-brief.yaml")) == Path("briefs/b-brief.yaml")


def test_a_name_found_nowhere_is_left_as_typed(project: Path) -> None:
    assert locate_spec(Path("nothing")) == Path("nothing")


def test_a_folder_gives_its_specs_in_order_without_fact_files_or_hidden_ones(
        project: Path) -> None:
    assert expand_paths([Path("briefs")]) == [Path("briefs/a-brief.yml"),
                                              Path("briefs/b-brief.yaml")]


def test_a_spec_named_twice_is_built_once(project: Path) -> None:
    assert expand_paths([Path("b-brief"), Path("briefs/b-brief.yaml"), Path("briefs")]) == [
        Path("briefs/b-brief.yaml"), Path("briefs/a-brief.yml")]


def test_files_go_to_out_beside_briefs_wherever_the_command_runs(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = project / "briefs" / "b-brief.yaml"
    monkeypatch.chdir(project / "briefs")
    assert project_folder(spec) == project.resolve()
    assert output_root(spec, BuildOptions()) == project.resolve() / "out"
    assert output_root(spec, BuildOptions(out=Path("elsewhere"))) == Path("elsewhere")


def test_a_spec_outside_a_project_writes_to_out_here(tmp_path: Path) -> None:
    assert output_root(tmp_path / "loose.yaml", BuildOptions()) == Path("out")
