"""Translation records: which source text each translation was made from."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import SpecError
from briefgen.translation.records import (
    Record,
    format_records,
    read_records,
    record_path,
)
from briefgen.translation.texts import text_hash

OLD, NEW, TRANSLATION = "Mines block the way.", "Mines still block the way.", "Les mines."


def test_a_record_file_reads_back_as_written(tmp_path: Path) -> None:
    spec = tmp_path / "brief.yaml"
    records = {"summary": {"fr": Record(text_hash(OLD), text_hash(TRANSLATION)),
                           "ru": Record(text_hash(OLD), text_hash("Мины."))},
               "stats[mines].label": {"az": Record(text_hash("mines"), text_hash("mines"))}}
    written = format_records(records, spec, "\r\n")
    assert written.startswith("# Which source text each translation in brief.yaml was made")
    assert written.endswith("\r\n") and "\n" not in written.replace("\r\n", "")
    record_path(spec).write_text(written, encoding="utf-8", newline="")
    assert record_path(spec).name == "brief.translations.yaml"
    assert read_records(spec) == records


def test_no_record_file_is_no_records(tmp_path: Path) -> None:
    assert read_records(tmp_path / "brief.yaml") == {}


def test_each_malformed_entry_is_named_at_its_line(tmp_path: Path) -> None:
    spec = tmp_path / "brief.yaml"
    record_path(spec).write_text(
        "summary:\n  fr: {source: 0123456789abcdef, translation: nothex}\n"
        "title: [a]\n"
        "asks[0].detail:\n  ru: {source: 0123456789abcdef, translation: 0123456789abcdef}\n",
        encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        read_records(spec)
    assert [(problem.field, problem.location.line)  # type: ignore[union-attr]
            for problem in raised.value.problems] == [("summary.fr", 2), ("title", 3)]


def test_a_translation_is_outdated_when_its_source_changed_since() -> None:
    record = Record(text_hash(OLD), text_hash(TRANSLATION))
    assert record.is_outdated(NEW, TRANSLATION)
    assert not record.is_outdated(OLD, TRANSLATION)
    # Edited by hand since it was recorded: whoever edited it saw the source.
    assert not record.is_outdated(NEW, "Les mines barrent toujours la route.")
    # Re-wrapping a folded line changes nothing.
    assert not record.is_outdated("Mines block\n the   way.", TRANSLATION)


def test_a_name_given_back_unchanged_is_kept_as_written() -> None:
    assert Record(text_hash("UNFPA"), text_hash("UNFPA")).keeps_as_written("UNFPA")
    assert not Record(text_hash("UNFPA"), text_hash("FNUAP")).keeps_as_written("UNFPA")
