"""Building a spec: file names, reproducible bytes, fitting failures, nothing half-written."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from briefgen.errors import UserError
from tests.support import (
    FOUR_FIGURES,
    FULL_SPEC,
    MINIMAL_TEXT,
    BuiltBriefs,
    build_brief,
    expected_stem,
    expected_versions,
    filler_words,
    replace_once,
    spec_data,
)


@pytest.mark.parametrize("name", ["example", "full", "minimal"])
def test_file_names_carry_date_id_audience_and_language(built_briefs: BuiltBriefs,
                                                        name: str) -> None:
    brief_id = spec_data(name)["brief"]["id"]
    expected = {f"{expected_stem(name, audience_id, language)}{suffix}"
                for audience_id, language, _ in expected_versions(name)
                for suffix in (".pdf", ".docx")}
    names = [path.name for path in (built_briefs.out / brief_id).iterdir()]
    assert {name for name in names if not name.startswith(".")} == expected
    assert not [name for name in names if name.endswith((".tmp", ".old"))]


def test_example_file_names(built_briefs: BuiltBriefs) -> None:
    """The names the README promises, spelt out once."""
    written = sorted(path.name for path in (built_briefs.out / "masg-2025").glob("[!.]*"))
    assert "2025-03-24_masg-2025_eu_en-gb.pdf" in written
    assert "2025-03-24_masg-2025_us_en-us.docx" in written  # American English
    assert len(written) == 2 * len(expected_versions("example"))
    assert all(re.fullmatch(r"[a-z0-9_.-]+", name) for name in written)  # plain ASCII


def test_generic_brief_without_audiences(built_briefs: BuiltBriefs) -> None:
    assert [path.name for path in sorted((built_briefs.out / "minimal-brief").glob("[!.]*"))] == [
        "2025-03-24_minimal-brief_en.docx", "2025-03-24_minimal-brief_en.pdf"]


def test_building_twice_gives_identical_bytes(tmp_path: Path) -> None:
    first = build_brief(FULL_SPEC, tmp_path / "first")
    second = build_brief(FULL_SPEC, tmp_path / "second")
    files_first = sorted((tmp_path / "first").rglob("[!.]*.*"))
    files_second = sorted((tmp_path / "second").rglob("[!.]*.*"))
    assert [path.name for path in files_first] == [path.name for path in files_second]
    assert len(files_first) == 2 * len(first) == 2 * len(second)
    for one, other in zip(files_first, files_second, strict=True):
        assert one.read_bytes() == other.read_bytes(), one.name


def test_docx_entries_carry_the_brief_date_not_the_clock(built_briefs: BuiltBriefs) -> None:
    with zipfile.ZipFile(built_briefs.versions[("minimal", None)].docx) as archive:
        stamps = {info.date_time[:3] for info in archive.infolist()}
    assert stamps == {(2025, 3, 24)}


def overlong_spec() -> tuple[str, dict[int, int]]:
    """A spec that cannot fit on one page (yet stays under the word limit: the key figures
    narrow the text column), and the line of each section body in it."""
    lines = MINIMAL_TEXT.rstrip("\n").split("\n")
    asks_at = lines.index("asks:")
    lines = lines[:asks_at + 1]
    for index in range(5):
        lines += [f"  - headline: Ask number {index + 1}",
                  f"    detail: {filler_words(55, index * 7)}"]
    lines.append("sections:")
    body_lines = {}
    for index in range(4):
        lines.append(f"  - heading: Section {index + 1}")
        lines.append(f"    body: {filler_words(85, index * 11)}")
        body_lines[index] = len(lines)
    lines += FOUR_FIGURES.splitlines()
    return "\n".join(lines) + "\n", body_lines


def test_content_that_cannot_fit_names_the_longest_parts(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text, body_lines = overlong_spec()
    Path("spec.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        build_brief(Path("spec.yaml"), Path("out"))
    message = str(caught.value)
    assert message.startswith("spec.yaml: the brief does not fit on one page: ")
    assert re.search(r": \d+ pt too long ", message)
    named = re.findall(r"sections\[(\d)\]\.body \(line (\d+)\)", message)
    assert named, message
    for index, line in named:
        assert int(line) == body_lines[int(index)], f"sections[{index}] is on another line"
    assert not Path("out").exists()  # nothing written


def test_invalid_spec_writes_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(replace_once(MINIMAL_TEXT, "summary:", "sumary:"), encoding="utf-8")
    with pytest.raises(UserError):
        build_brief(spec, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def pdf_link_targets(path: Path) -> list[str]:
    import pypdf
    targets = []
    for annotation in pypdf.PdfReader(path).pages[0].get("/Annots") or []:
        action = annotation.get_object().get("/A")
        if action is not None:
            targets.append(str(action.get_object().get("/URI")))
    return targets


def docx_link_targets(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        relationships = archive.read("word/_rels/document.xml.rels").decode("utf-8")
    return re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', relationships)


WITH_SECTION_AND_STAT = MINIMAL_TEXT + (
    "sections:\n"
    "  - heading: Why now\n"
    "    body: Because.\n"
    "stats:\n"
    "  - id: mines\n"
    "    value: 1500000\n"
    "    label: landmines\n"
    "    source: gov\n"
    "sources:\n"
    "  - id: gov\n"
    "    title: Report\n"
    "    publisher: Ministry\n")

MARKUP_FIELDS = {
    "title": ("title: Clearance lets families go home", "title: Clearance {markup} home"),
    "event-name": ("name: MASG meeting", "name: MASG {markup} meeting"),
    "organization": ("organization: Example Coalition", "organization: Example {markup}"),
    "section-heading": ("heading: Why now", "heading: Why {markup} now"),
    "stat-label": ("label: landmines", "label: landmines {markup}"),
}


def spec_with(tmp_path: Path, field: str, markup: str) -> Path:
    old, new = MARKUP_FIELDS[field]
    spec = tmp_path / "spec.yaml"
    spec.write_text(replace_once(WITH_SECTION_AND_STAT, old, new.format(markup=markup)),
                    encoding="utf-8")
    return spec


def test_a_javascript_link_in_any_text_field_never_reaches_the_outputs(tmp_path: Path) -> None:
    """Every field that accepts inline markup is checked, not only summary, asks and sections."""
    leaks = {}
    for field in MARKUP_FIELDS:
        folder = tmp_path / field
        folder.mkdir()
        spec = spec_with(folder, field, "[click](javascript:alert)")
        try:
            result = build_brief(spec, folder / "out")
        except UserError as error:
            assert "javascript:alert" in str(error)
            continue
        targets = [target for brief in result.briefs for target in
                   pdf_link_targets(brief.pdf) + docx_link_targets(brief.docx)]
        unsafe = [target for target in targets
                  if not target.startswith(("https://", "http://", "mailto:"))]
        if unsafe:
            leaks[field] = unsafe
    assert not leaks, f"built files link to unsafe addresses, by field: {leaks}"


def test_a_citation_of_an_unknown_figure_in_any_text_field_is_a_located_error(
        tmp_path: Path) -> None:
    wrong = {}
    for field in MARKUP_FIELDS:
        folder = tmp_path / field
        folder.mkdir()
        spec = spec_with(folder, field, "[@nope]")
        try:
            build_brief(spec, folder / "out")
        except UserError as error:
            if "'nope'" not in str(error) or not re.match(r"^\S+spec\.yaml:\d+:\d+: ",
                                                            str(error)):
                wrong[field] = f"unlocated or unclear: {error}"
        except Exception as error:
            wrong[field] = (f"{type(error).__name__}({error}), which the CLI reports as an "
                            f"internal error (exit 70)")
        else:
            wrong[field] = "built without complaint"
    assert not wrong, f"[@nope] is not a located user error, by field: {wrong}"
