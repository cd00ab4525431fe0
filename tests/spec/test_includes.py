"""Shared fact files (`brief.include`): merged facts, located problems, loops, escapes.

Every case works in a folder `brief/` (the working directory) holding spec.yaml, which is
tests/specs/minimal.yaml with `  include: [...]` inserted as line 6 (the included path starts
in column 13), so its summary moves to line 14. Fact files sit next to it or below it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from briefgen.cli import app
from briefgen.errors import SpecError
from briefgen.spec.includes import load_spec
from briefgen.spec.validate import validate_spec
from tests.support import FACTS_TEXT, MINIMAL_TEXT, replace_once

runner = CliRunner()

# A fact file whose entries pass every rule; lines 1-12 as written here.
FACTS = FACTS_TEXT


def spec_including(*paths: str, summary: str | None = None) -> str:
    text = replace_once(MINIMAL_TEXT, "  date: 2025-03-24\n",
                        f"  date: 2025-03-24\n  include: [{', '.join(paths)}]\n")
    if summary is not None:
        text = replace_once(text, "We ask donors", summary)
    return text




@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    brief = tmp_path / "brief"
    brief.mkdir()
    monkeypatch.chdir(brief)
    return brief


def write(files: dict[str, str]) -> None:
    for name, text in files.items():
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def check() -> Result:
    return runner.invoke(app, ["check", "spec.yaml"])


def problem_lines(result: Result) -> list[str]:
    return [line for line in result.stdout.splitlines() if not line.startswith("    ")]


def test_included_stats_and_sources_are_usable(folder: Path) -> None:
    write({"spec.yaml": spec_including("facts/shared.yaml", summary="About [@mines] donors"),
           "facts/shared.yaml": FACTS})
    document = load_spec(Path("spec.yaml"))
    spec = validate_spec(document)
    assert [stat.id for stat in spec.stats] == ["mines"]
    assert [source.id for source in spec.sources] == ["gov-2024"]
    assert document.included == [folder / "facts" / "shared.yaml"]
    result = check()
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # the source is cited through the stat: no unused-source either


def test_included_entries_join_the_spec_own_entries(folder: Path) -> None:
    own = ("stats:\n  - id: share\n    value: 5\n    format: percent\n    label: of the budget\n"
           "    source: gov-2024\n")
    write({"spec.yaml": spec_including("facts/shared.yaml") + own,
           "facts/shared.yaml": FACTS})
    spec = validate_spec(load_spec(Path("spec.yaml")))
    assert [stat.id for stat in spec.stats] == ["share", "mines"]
    assert check().exit_code == 0


def test_a_rule_broken_inside_a_fact_file_names_the_fact_file(folder: Path) -> None:
    write({"spec.yaml": spec_including("facts/shared.yaml"),
           "facts/shared.yaml": replace_once(FACTS, "as_of: 2025-01-27", "as_of: 2025-03-30")})
    result = check()
    assert problem_lines(result) == [
        "facts/shared.yaml:6:12: error: anachronism: stats 'mines'.as_of: dated 2025-03-30, after the "
        "brief itself (2025-03-24)"]
    assert result.exit_code == 1


def test_a_schema_error_inside_a_fact_file_names_the_fact_file(folder: Path) -> None:
    write({"spec.yaml": spec_including("facts/shared.yaml"),
           "facts/shared.yaml": replace_once(FACTS, "value: 1500000", "value: lots")})
    result = check()
    assert problem_lines(result) == [
        "facts/shared.yaml:3:12: error: invalid-value: stats 'mines'.value: expected a number"]
    assert result.exit_code == 1


def test_an_unknown_source_inside_a_fact_file_names_the_fact_file(folder: Path) -> None:
    write({"spec.yaml": spec_including("facts/shared.yaml"),
           "facts/shared.yaml": replace_once(FACTS, "source: gov-2024", "source: hrw-2024")})
    assert problem_lines(check()) == [
        "facts/shared.yaml:5:13: error: unknown-source: stats 'mines'.source: no source with id "
        "'hrw-2024' in sources (known: gov-2024)"]


def test_an_included_entry_is_named_by_its_id(folder: Path) -> None:
    """The spec has one stat of its own, so the fact file's first stat is the second of the
    merged list; the message names it by its id, which is the same in every file."""
    own = ("stats:\n  - id: share\n    value: 5\n    format: percent\n    label: of the budget\n"
           "    source: gov-2024\n")
    write({"spec.yaml": spec_including("facts/shared.yaml") + own,
           "facts/shared.yaml": replace_once(FACTS, "as_of: 2025-01-27", "as_of: 2025-03-30")})
    assert problem_lines(check()) == [
        "facts/shared.yaml:6:12: error: anachronism: stats 'mines'.as_of: dated 2025-03-30, after the "
        "brief itself (2025-03-24)"]


def test_an_included_entry_without_a_usable_id_counts_within_its_own_file(folder: Path
                                                                         ) -> None:
    """Without an id to name it by, the fact file's first stat is stats[0] there, although it
    is the second of the merged list: there is no stats[1] in that file."""
    own = ("stats:\n  - id: share\n    value: 5\n    format: percent\n    label: of the budget\n"
           "    source: gov-2024\n")
    write({"spec.yaml": spec_including("facts/shared.yaml") + own,
           "facts/shared.yaml": replace_once(replace_once(FACTS, "id: mines", "id: Mines Count"),
                                             "value: 1500000", "value: lots")})
    assert problem_lines(check()) == [
        "facts/shared.yaml:2:9: error: invalid-value: stats[0].id: has the wrong form",
        "facts/shared.yaml:3:12: error: invalid-value: stats[0].value: expected a number"]


def test_a_fact_file_that_includes_itself(folder: Path) -> None:
    write({"spec.yaml": spec_including("a.yaml"), "a.yaml": "include: [a.yaml]\n" + FACTS})
    result = check()
    assert problem_lines(result) == [
        "a.yaml:1:11: error: include: include[0]: 'a.yaml' is this file: a fact file cannot "
        "include itself"]
    assert result.exit_code == 1


def test_a_spec_that_includes_itself(folder: Path) -> None:
    write({"spec.yaml": spec_including("spec.yaml")})
    assert problem_lines(check()) == [
        "spec.yaml:6:13: error: include: brief.include[0]: 'spec.yaml' is this file: a fact file "
        "cannot include itself"]


def test_a_loop_of_includes_names_both_places(folder: Path) -> None:
    """spec.yaml -> a.yaml -> b.yaml -> a.yaml: reported where the loop closes (b.yaml), naming
    the place that first included a.yaml."""
    write({"spec.yaml": spec_including("a.yaml"), "a.yaml": "include: [b.yaml]\n" + FACTS,
           "b.yaml": "include: [a.yaml]\n"})
    result = check()
    assert problem_lines(result) == [
        "b.yaml:1:11: error: include: include[0]: 'a.yaml' is already being included (from "
        "spec.yaml:6:13), so this include would loop"]
    assert result.exit_code == 1


def test_a_fact_file_that_includes_the_spec_names_both_places(folder: Path) -> None:
    """spec.yaml -> a.yaml -> spec.yaml: the README promises that a loop names both places,
    here a.yaml:1:11 (where the loop closes) and spec.yaml:6:13 (where it starts)."""
    write({"spec.yaml": spec_including("a.yaml"), "a.yaml": "include: [spec.yaml]\n" + FACTS})
    lines = problem_lines(check())
    assert len(lines) == 1
    assert lines[0].startswith("a.yaml:1:11: error: include: include[0]: 'spec.yaml' ")
    assert "loop" in lines[0]
    assert "spec.yaml:6:13" in lines[0], "the message names only one place of the loop"


def test_a_fact_file_reached_twice_adds_its_facts_once(folder: Path) -> None:
    """spec -> a, b and b -> a: not a loop, and no duplicate ids."""
    write({"spec.yaml": spec_including("a.yaml", "b.yaml"), "a.yaml": FACTS,
           "b.yaml": "include: [a.yaml]\n"})
    result = check()
    assert result.exit_code == 0, result.output
    assert [stat.id for stat in validate_spec(load_spec(Path("spec.yaml"))).stats] == ["mines"]


def test_the_same_stat_id_in_two_files_names_both(folder: Path) -> None:
    write({"spec.yaml": spec_including("a.yaml", "b.yaml"), "a.yaml": FACTS,
           "b.yaml": "stats:\n  - id: mines\n    value: 3\n    label: other\n"
                     "    source: gov-2024\n"})
    result = check()
    lines = problem_lines(result)
    assert len(lines) == 1, result.stdout
    assert lines[0] == ("b.yaml:2:9: error: duplicate-id: stats 'mines'.id: duplicate id "
                        "'mines' (also defined at a.yaml:2:9)")
    assert result.exit_code == 1


def test_a_stat_id_in_the_spec_and_in_a_fact_file_names_both(folder: Path) -> None:
    own = "stats:\n  - id: mines\n    value: 3\n    label: other\n    source: gov-2024\n"
    write({"spec.yaml": spec_including("facts/shared.yaml") + own, "facts/shared.yaml": FACTS})
    lines = problem_lines(check())
    assert len(lines) == 1
    # The spec's own stat comes first (line 20 of the spec: 17 minimal lines + 1 include + 2).
    assert lines[0] == ("facts/shared.yaml:2:9: error: duplicate-id: stats 'mines'.id: "
                        "duplicate id 'mines' (also defined at spec.yaml:20:9)")


def test_a_path_that_leaves_the_folder_is_refused(folder: Path) -> None:
    (folder.parent / "outside.yaml").write_text(FACTS, encoding="utf-8")
    write({"spec.yaml": spec_including("../outside.yaml")})
    result = check()
    assert problem_lines(result) == [
        "spec.yaml:6:13: error: include: brief.include[0]: '../outside.yaml' is outside the "
        "brief's folder"]
    assert result.exit_code == 1


def test_an_absolute_path_is_refused(folder: Path) -> None:
    outside = folder.parent / "outside.yaml"
    outside.write_text(FACTS, encoding="utf-8")
    write({"spec.yaml": spec_including(str(outside))})
    assert problem_lines(check()) == [
        f"spec.yaml:6:13: error: include: brief.include[0]: '{outside}' is outside the brief's "
        "folder"]


def test_a_symlink_that_leads_out_of_the_folder_is_refused(folder: Path) -> None:
    outside = folder.parent / "outside.yaml"
    outside.write_text(FACTS, encoding="utf-8")
    (folder / "facts").mkdir()
    os.symlink(outside, folder / "facts" / "link.yaml")
    write({"spec.yaml": spec_including("facts/link.yaml")})
    with pytest.raises(SpecError) as caught:
        load_spec(Path("spec.yaml"))
    assert "'facts/link.yaml' is outside the brief's folder" in str(caught.value)
    assert problem_lines(check()) == [
        "spec.yaml:6:13: error: include: brief.include[0]: 'facts/link.yaml' is outside the "
        "brief's folder"]


def test_an_unknown_key_in_a_fact_file(folder: Path) -> None:
    write({"spec.yaml": spec_including("facts/shared.yaml"),
           "facts/shared.yaml": FACTS + "summary: Not a fact\n"})
    result = check()
    assert problem_lines(result) == [
        "facts/shared.yaml:13:1: error: unknown-key: summary: unknown key 'summary' in a fact file"]
    assert "    hint: a fact file holds only stats, sources, charts and include" in result.stdout
    assert result.exit_code == 1


def test_a_missing_fact_file_is_located_at_its_include(folder: Path) -> None:
    """Like every problem in a spec, a fact file that does not exist is reported at the line
    and column that name it (the second entry of the include list starts in column 21)."""
    write({"spec.yaml": spec_including("facts/shared.yaml", "facts/nothing.yaml"),
           "facts/shared.yaml": FACTS})
    result = check()
    assert result.exit_code == 1
    lines = problem_lines(result)
    assert len(lines) == 1, result.stdout
    assert "facts/nothing.yaml" in lines[0]
    assert "not found" in lines[0]
    assert lines[0].startswith("spec.yaml:6:32: error: "), (
        "a missing fact file is not located where the spec includes it")


def test_text_cut_by_a_comment_in_a_fact_file_is_reported_there(folder: Path) -> None:
    write({"spec.yaml": spec_including("facts/shared.yaml"),
           "facts/shared.yaml": replace_once(FACTS, "label: landmines",
                                             "label: landmines #MineFree")})
    assert problem_lines(check()) == [
        "facts/shared.yaml:4:22: warning: comment: stats 'mines'.label: the rest of this line, "
        "from '#', is a YAML comment and will not be printed"]


def test_an_unknown_citation_in_a_fact_file_is_located_there(folder: Path) -> None:
    write({"spec.yaml": spec_including("facts/shared.yaml"),
           "facts/shared.yaml": replace_once(FACTS, "label: landmines",
                                             "label: landmines, see [@nope]")})
    assert problem_lines(check())[0] == (
        "facts/shared.yaml:4:27: error: unknown-figure: stats 'mines'.label: no figure with id "
        "'nope' in stats (known: mines)")
