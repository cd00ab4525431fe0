"""The XLIFF file: written as translation tools read it, read back safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import Location, UserError
from briefgen.translation.xliff import ExportUnit, read_xliff, write_xliff

UNIT = ExportUnit(key="stats[mines].label", source='Mines <x id="1" ctype="x-briefgen-figure" '
                  'equiv-text="[@m]"/> &amp; more', file="facts/a b.yaml", line=7,
                  note="Where & why", max_length=300, known_translation="0123456789abcdef")


def write(tmp_path: Path, data: bytes, name: str = "brief.fr.xlf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def exported() -> bytes:
    return write_xliff([UNIT], original="brief.yaml", brief_id="masg-2025",
                       source_language="en", target_language="fr", note="Notes <here>",
                       export_mark="fr 0011223344556677")


def test_an_exported_file_reads_back_as_written(tmp_path: Path) -> None:
    data = exported()
    path = write(tmp_path, data.replace(b"</source>", b"</source><target>Mines "
                                        b'<x id="1"/> et plus</target>'))
    xliff = read_xliff(path)
    assert (xliff.original, xliff.brief_id, xliff.source_language, xliff.target_language,
            xliff.export_mark) == ("brief.yaml", "masg-2025", "en", "fr", "fr 0011223344556677")
    [unit] = xliff.units
    assert unit.key == "stats[mines].label" and unit.has_translation
    assert unit.known_translation == "0123456789abcdef"
    assert unit.location == Location(path, 9, 7)
    assert b'maxwidth="300" size-unit="char"' in data
    assert b"<note>Notes &lt;here&gt;</note>" in data


def test_a_unit_without_a_target_is_not_translated(tmp_path: Path) -> None:
    [unit] = read_xliff(write(tmp_path, exported())).units
    assert unit.target is None and not unit.has_translation


@pytest.mark.parametrize(("data", "message"), [
    (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "boom">]>\n<xliff/>',
     "has a document type declaration"),
    (b'<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"/>',
     "is an XLIFF 2 file"),
    (b"<html/>", "is not an XLIFF file (its root is <html>)"),
    (b'<xliff version="1.2"><file/><file/></xliff>', "holds 2 <file> elements"),
    (b'<xliff version="1.2"><file><body><trans-unit id="a"/></body></file></xliff>',
     "has no <source>"),
    (b"<xliff><file>", "is not well-formed XML"),
    (b"<a>" * 150, "nested more than 100 deep"),
    (b'<?xml version="1.0" encoding="utf-7"?><xliff/>', "encoding 'utf-7'"),
])
def test_a_broken_or_unsafe_file_is_refused_with_its_place(tmp_path: Path, data: bytes,
                                                           message: str) -> None:
    with pytest.raises(UserError) as raised:
        read_xliff(write(tmp_path, data))
    [problem] = raised.value.problems
    assert message in problem.message


def test_a_file_of_another_format_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        read_xliff(write(tmp_path, b'msgid "a"\nmsgstr "b"\n', "brief.fr.po"))
    assert raised.value.problems[0].message.startswith("is a PO file (gettext)")
