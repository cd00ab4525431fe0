"""A unit is skipped only while its files are there as its last build wrote them."""

from __future__ import annotations

from pathlib import Path

from briefgen.engine.build_state import previous_files, state_file
from briefgen.engine.units import Unit
from briefgen.write import OutputFile, write_atomically


def unit(tmp_path: Path, digest: str = "abc") -> Unit:
    return Unit(tmp_path / "b.yaml", "b", "us", digest, tmp_path / "out")


def build(tmp_path: Path) -> list[OutputFile]:
    folder = tmp_path / "out" / "b"
    files = [OutputFile(folder / "b_us.pdf", b"%PDF-1.7 ..."),
             OutputFile(folder / "email" / "b_us.eml", b"From: x")]
    write_atomically([*files, state_file(unit(tmp_path), files)])
    return files


def test_the_files_of_the_last_build_are_found_with_their_sizes(tmp_path: Path) -> None:
    files = build(tmp_path)
    assert previous_files(unit(tmp_path)) == [(file.path, len(file.data)) for file in files]
    assert state_file(unit(tmp_path), files).path.name == ".us.inputs"


def test_other_inputs_build_again(tmp_path: Path) -> None:
    build(tmp_path)
    assert previous_files(unit(tmp_path, digest="changed")) is None


def test_a_file_changed_or_removed_since_builds_again(tmp_path: Path) -> None:
    pdf, draft = build(tmp_path)
    pdf.path.write_bytes(b"%PDF-1.7 edited by hand")
    assert previous_files(unit(tmp_path)) is None
    build(tmp_path)
    draft.path.unlink()
    assert previous_files(unit(tmp_path)) is None


def test_a_unit_never_built_has_no_files(tmp_path: Path) -> None:
    assert previous_files(unit(tmp_path)) is None
