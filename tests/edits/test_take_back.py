"""`briefgen take-back`: a colleague's edits in the example's DOCX come back into the spec.

The DOCX is edited the way Word edits it (`word_edits.py`): words typed over inside their
run, a tracked change, a comment; and again after LibreOffice opened and saved it (which
rewrites the whole file). The spec may change only in the texts that were edited, and a
rebuild prints the edits. Everything runs in a folder whose name has spaces and non-ASCII
letters.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
import yaml
from typer.testing import CliRunner, Result

from briefgen.cli import app
from tests.support import ROOT, build_brief, collapse_space, pdf_text, require_tool
from tests.word_edits import comment, retype, through_libreoffice, track

runner = CliRunner()
EU_DOCX = "2025-03-24_masg-2025_eu_en-gb.docx"
CH_DOCX = "2025-03-24_masg-2025_ch_fr-ch.docx"

# The five edits: (words in the DOCX, words typed instead, the field they are in).
SENTENCE = ("above all in areas regained since 2020", "above all in the areas regained since 2020",
            ("summary", "en"))
ASK = ("the size of the first", "at least the size of the first",
       ("audiences", 0, "asks", 1, "detail"))
ATTRIBUTION = ("women deminers accredited in Azerbaijan", "women deminers certified in Azerbaijan",
               ("quotes", 0, "role", "en"))
FRENCH = ("la Suisse peut aider", "la Suisse pourrait aider", ("audiences", 3, "intro"))
TRACKED = ("the largest international contribution", "the largest single contribution",
           ("audiences", 0, "intro"))


@dataclass
class Project:
    folder: Path
    spec: Path
    eu: Path
    ch: Path

    def original(self) -> str:
        return (ROOT / "briefs" / "masg-2025.yaml").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A copy of the example's briefs/ in a folder named with spaces and accents, its EU and
    Swiss versions built into out/."""
    folder = tmp_path / "Équipe plaidoyer 2025"
    shutil.copytree(ROOT / "briefs", folder / "briefs")
    spec = folder / "briefs" / "masg-2025.yaml"
    monkeypatch.chdir(folder)
    build_brief(spec, folder / "out")
    built = folder / "out" / "masg-2025"
    return Project(folder, spec, built / EU_DOCX, built / CH_DOCX)


def five_edits(project: Project, out: Path) -> tuple[Path, Path]:
    """The EU DOCX with a sentence, an ask, a quote's attribution and (tracked, as by Anna
    Novak) the delegation's line edited and a comment added; the Swiss DOCX with a French
    sentence edited. Saved under `out`, as a colleague would name them."""
    out.mkdir(parents=True, exist_ok=True)
    eu = docx.Document(str(project.eu))
    for old, new, _ in (SENTENCE, ASK, ATTRIBUTION):
        retype(eu, old, new)
    track(eu, TRACKED[0], TRACKED[1])
    comment(eu, "Put Azerbaijan on the agenda", "Is this still the right first ask?")
    eu_path = out / "masg EU (AN edits).docx"
    eu.save(str(eu_path))
    ch = docx.Document(str(project.ch))
    retype(ch, FRENCH[0], FRENCH[1])
    ch_path = out / "masg Suisse – relu.docx"
    ch.save(str(ch_path))
    return eu_path, ch_path


def take_back(*arguments: str | Path) -> Result:
    return runner.invoke(app, ["take-back", *map(str, arguments)])


def scalar_ranges(text: str, paths: list[tuple[str | int, ...]]) -> list[tuple[int, int]]:
    """Where the text of each field at `paths` is written in a YAML file's text."""
    node = yaml.compose(text)
    ranges = []
    for path in paths:
        found = node
        for part in path:
            if isinstance(part, int):
                found = found.value[part]
            else:
                found = next(value for key, value in found.value if key.value == part)
        ranges.append((found.start_mark.index, found.end_mark.index))
    return sorted(ranges)


def assert_only_texts_changed(old: str, new: str, paths: list[tuple[str | int, ...]]) -> None:
    """`new` is `old` with only the texts at `paths` changed: every byte between them equal."""
    old_ranges = scalar_ranges(old, paths)
    new_ranges = scalar_ranges(new, paths)
    old_cuts = [0, *(edge for pair in old_ranges for edge in pair), len(old)]
    new_cuts = [0, *(edge for pair in new_ranges for edge in pair), len(new)]
    for index in range(0, len(old_cuts), 2):
        assert old[old_cuts[index]:old_cuts[index + 1]] == new[new_cuts[index]:new_cuts[index + 1]]


def value(data: object, path: tuple[str | int, ...]) -> str:
    for part in path:
        data = data[part]  # type: ignore[index]
    assert isinstance(data, str)
    return collapse_space(data)


def assert_five_edits_taken(project: Project) -> None:
    old, new = project.original(), project.spec.read_text(encoding="utf-8")
    fields = [edit[2] for edit in (SENTENCE, ASK, ATTRIBUTION, FRENCH, TRACKED)]
    assert_only_texts_changed(old, new, fields)
    before, after = yaml.safe_load(old), yaml.safe_load(new)
    for old_words, new_words, path in (SENTENCE, ASK, ATTRIBUTION, FRENCH, TRACKED):
        assert value(after, path) == value(before, path).replace(old_words, new_words)
    # The citations around the edited words are still there, as typed.
    assert "[@displaced]" in value(after, SENTENCE[2])
    assert "[@foreign-share]" in value(after, SENTENCE[2])
    assert "[@who-pays]" in value(after, SENTENCE[2])


@pytest.mark.tools
def test_five_edits_come_back_into_the_spec_and_the_next_build_prints_them(
        project: Project, tmp_path: Path) -> None:
    eu, ch = five_edits(project, tmp_path / "Downloads")
    result = take_back(eu, "--spec", project.spec, "--yes", "--accept-tracked")
    assert result.exit_code == 0, result.output
    # The diff names each field, where it is written, and the old and new words.
    assert "summary.en  briefs/masg-2025.yaml:55" in result.output
    assert "audiences[0].asks[1].detail  briefs/masg-2025.yaml:233" in result.output
    assert "the size of the first" in result.output
    assert "at least the size of the first" in result.output
    assert "tracked insertion by Anna Novak (2025-03-26): “the largest single contribution”" \
        in result.output
    assert "comment by Pieter de Vries: “Is this still the right first ask?”" in result.output
    assert "Wrote 4 texts into briefs/masg-2025.yaml" in result.output
    result = take_back(ch, "--yes")  # the spec found from the DOCX: here, in briefs/
    assert result.exit_code == 0, result.output
    assert "audiences[3].intro  briefs/masg-2025.yaml" in result.output
    assert_five_edits_taken(project)
    require_tool("pdftotext")
    rebuilt = {result.audience_id: result.pdf
               for result in build_brief(project.spec, project.folder / "again")}
    eu_page = collapse_space(pdf_text(rebuilt["eu"]))
    for _, new_words, _ in (SENTENCE, ASK, ATTRIBUTION, TRACKED):
        assert new_words in eu_page
    assert FRENCH[1] in collapse_space(pdf_text(rebuilt["ch"])).replace("\u202f", " ")


@pytest.mark.tools
def test_the_same_edits_come_back_after_libreoffice_rewrote_the_files(
        project: Project, tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    eu, ch = five_edits(project, tmp_path / "Downloads")
    saved = [through_libreoffice(path, tmp_path, soffice) for path in (eu, ch)]
    for path in saved:
        result = take_back(path, "--spec", project.spec, "--yes", "--accept-tracked")
        assert result.exit_code == 0, result.output
    assert_five_edits_taken(project)


def test_a_pending_tracked_change_is_listed_and_not_taken(project: Project,
                                                          tmp_path: Path) -> None:
    eu, _ = five_edits(project, tmp_path / "Downloads")
    result = take_back(eu, "--yes")
    assert result.exit_code == 0, result.output
    assert ("tracked deletion by Anna Novak (2025-03-26): “the largest international "
            "contribution”; pending: not taken") in result.output
    data = yaml.safe_load(project.spec.read_text(encoding="utf-8"))
    assert TRACKED[0] in value(data, TRACKED[2])
    assert ASK[1] in value(data, ASK[2])


def test_nothing_is_written_without_a_terminal_to_ask_on_unless_yes(project: Project,
                                                                   tmp_path: Path) -> None:
    eu, _ = five_edits(project, tmp_path / "Downloads")
    before = project.spec.read_bytes()
    result = take_back(eu)
    assert result.exit_code == 1
    assert "Nothing written: run it again with --yes to write these 3 texts" in result.output
    assert project.spec.read_bytes() == before


def test_a_docx_that_changes_nothing_writes_nothing(project: Project) -> None:
    before = project.spec.read_bytes()
    result = take_back(project.eu, "--yes")
    assert result.exit_code == 0, result.output
    assert "Nothing to take back: no text of the spec was changed in the DOCX." in result.output
    assert project.spec.read_bytes() == before


def test_a_figure_edited_in_the_text_is_not_taken_and_its_stat_is_named(
        project: Project, tmp_path: Path) -> None:
    edited = docx.Document(str(project.eu))
    retype(edited, "international donors fund only 5%", "international donors fund only 6%")
    retype(edited, "Raise Azerbaijan in MASG", "Raise Azerbaijan at MASG")
    path = tmp_path / "figure.docx"
    edited.save(str(path))
    result = take_back(path, "--yes")
    assert result.exit_code == 0, result.output
    assert ("summary.en: edits the figure '5%', which is printed from its stat "
            "'foreign-share': change the figure there, not in the text; not taken") \
        in result.output
    assert "hint: change stats 'foreign-share' at briefs/facts/azerbaijan.yaml:" in result.output
    data = yaml.safe_load(project.spec.read_text(encoding="utf-8"))
    assert "fund only [@foreign-share] of" in value(data, ("summary", "en"))
    assert "Raise Azerbaijan at MASG" in value(data, ("audiences", 0, "asks", 0, "detail"))


def test_words_around_a_figure_are_taken_and_its_citation_kept(project: Project,
                                                               tmp_path: Path) -> None:
    edited = docx.Document(str(project.eu))
    retype(edited, "international donors fund only 5% of its mine action agency’s budget",
           "donors abroad cover just 5% of the budget of its mine action agency")
    path = tmp_path / "words.docx"
    edited.save(str(path))
    assert take_back(path, "--yes").exit_code == 0
    data = yaml.safe_load(project.spec.read_text(encoding="utf-8"))
    assert ("donors abroad cover just [@foreign-share] of the budget of its mine action agency "
            "[@who-pays].") in value(data, ("summary", "en"))


def test_a_text_changed_in_the_spec_and_in_the_docx_is_a_conflict(project: Project,
                                                                  tmp_path: Path) -> None:
    edited = docx.Document(str(project.eu))
    retype(edited, "the size of the first", "twice the size of the first")
    retype(edited, "Raise Azerbaijan in MASG", "Raise Azerbaijan at MASG")
    path = tmp_path / "both.docx"
    edited.save(str(path))
    # Since the build, someone corrected the same ask, and another text, in the spec.
    text = project.spec.read_text(encoding="utf-8")
    text = text.replace("the size of the first, that scales", "as large as the first, that scales")
    text = text.replace("Thank you: the EU’s UNDP/ANAMA", "Thank you: the European Union’s "
                        "UNDP/ANAMA")
    project.spec.write_text(text, encoding="utf-8")
    result = take_back(path, "--yes")
    assert result.exit_code == 1, result.output
    assert "The spec has changed since this DOCX was built" in result.output
    assert ("audiences[0].asks[1].detail: changed in the spec since the DOCX was built, and in "
            "the DOCX too (to “Fund a second phase of the EU/UNDP/ANAMA project, twice the size "
            "of the first") in result.output
    after = yaml.safe_load(project.spec.read_text(encoding="utf-8"))
    assert "as large as the first" in value(after, ASK[2])  # the spec's is kept
    assert "the European Union’s" in value(after, ("audiences", 0, "intro"))  # kept
    assert "Raise Azerbaijan at MASG" in value(after, ("audiences", 0, "asks", 0, "detail"))


def test_a_docx_built_from_another_brief_is_refused(project: Project, tmp_path: Path) -> None:
    other = tmp_path / "other" / "briefs"
    other.mkdir(parents=True)
    text = project.original().replace("id: masg-2025", "id: masg-2026")
    shutil.copytree(ROOT / "briefs" / "facts", other / "facts")
    shutil.copy(ROOT / "briefs" / "clear-ground-logo.png", other)
    (other / "masg-2025.yaml").write_text(text, encoding="utf-8")
    before = (other / "masg-2025.yaml").read_bytes()
    result = take_back(project.eu, "--spec", other / "masg-2025.yaml", "--yes")
    assert result.exit_code == 1
    assert ("was built from the brief 'masg-2025' (masg-2025.yaml), not from 'masg-2026'"
            in result.output)
    assert (other / "masg-2025.yaml").read_bytes() == before


def test_a_docx_not_built_by_briefgen_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("Dear colleague")
    document.save(str(path))
    result = take_back(path)
    assert result.exit_code == 1
    assert "does not say which spec it was built from" in result.output
