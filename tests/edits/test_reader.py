"""An edited DOCX is read as untrusted input: hostile files are refused, nothing is written;
a DOCX as Word and LibreOffice write it is read as Word shows it."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.edits.compare import compare_document
from briefgen.edits.reader import read_edited_docx
from briefgen.errors import UserError
from tests.support import EXAMPLE_SPEC, ROOT, BuiltBriefs, require_tool
from tests.word_edits import comment, retype, track

runner = CliRunner()


def eu_docx(built_briefs: BuiltBriefs) -> Path:
    return built_briefs.versions[("example", "eu")].docx


def rewritten(source: Path, target: Path, *, drop: tuple[str, ...] = (),
              parts: dict[str, bytes] | None = None,
              replace: dict[str, tuple[bytes, bytes]] | None = None) -> Path:
    """A copy of the DOCX at `source` with parts left out, added, or edited (old -> new)."""
    with zipfile.ZipFile(source) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    for name in drop:
        contents.pop(name)
    for name, (old, new) in (replace or {}).items():
        assert old in contents[name], (name, old)
        contents[name] = contents[name].replace(old, new, 1)
    contents.update(parts or {})
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return target


def refused(path: Path) -> str:
    with pytest.raises(UserError) as caught:
        read_edited_docx(path)
    return str(caught.value)


MACRO_TYPE = b"application/vnd.ms-word.document.macroEnabled.main+xml"
MAIN_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def test_a_macro_enabled_file_renamed_docx_is_refused(built_briefs: BuiltBriefs,
                                                      tmp_path: Path) -> None:
    path = rewritten(eu_docx(built_briefs), tmp_path / "brief.docx",
                     parts={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)},
                     replace={"[Content_Types].xml": (MAIN_TYPE, MACRO_TYPE)})
    message = refused(path)
    assert "brief.docx: word/document.xml (the document): contains macros" in message
    assert "hint: save it from Word as \"Word Document (.docx)\"" in message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(built_briefs: BuiltBriefs,
                                                     tmp_path: Path) -> None:
    path = rewritten(eu_docx(built_briefs), tmp_path / "bomb.docx",
                     parts={"word/media/zeros.bin": bytes(70 * 1024 * 1024)})
    assert path.stat().st_size < 1024 * 1024  # 70 MB of zeros pack into a few hundred KB
    assert "bomb.docx: holds too many or too large parts (a zip bomb?)" in refused(path)


def test_an_external_entity_is_never_read(built_briefs: BuiltBriefs, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the password", encoding="utf-8")
    doctype = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY leak SYSTEM '
               f'"{secret.as_uri()}">]>').encode()
    with zipfile.ZipFile(eu_docx(built_briefs)) as archive:
        document = archive.read("word/document.xml")
    body = document.split(b"?>", 1)[1].replace(b"Landmines and", b"&leak; and", 1)
    path = rewritten(eu_docx(built_briefs), tmp_path / "xxe.docx",
                     parts={"word/document.xml": doctype + body})
    message = refused(path)
    assert "word/document.xml (the document): declares a DOCTYPE" in message
    assert "the password" not in message


def test_a_file_that_is_not_a_docx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "brief.docx"
    path.write_bytes(b"%PDF-1.7\n")
    assert "brief.docx: is not a Word document (.docx)" in refused(path)
    with zipfile.ZipFile(tmp_path / "empty.docx", "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert "is not a Word document (it lists no content types)" in refused(
        tmp_path / "empty.docx")


def test_a_damaged_record_is_refused(built_briefs: BuiltBriefs, tmp_path: Path) -> None:
    path = rewritten(eu_docx(built_briefs), tmp_path / "damaged.docx",
                     replace={"customXml/item1.xml": (b'format="1"', b'format="9"')})
    assert "its record of the spec is damaged" in refused(path)


def test_a_hostile_docx_writes_nothing(built_briefs: BuiltBriefs, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "briefs", tmp_path / "briefs")
    monkeypatch.chdir(tmp_path)
    before = (tmp_path / "briefs" / EXAMPLE_SPEC.name).read_bytes()
    edited = docx.Document(str(eu_docx(built_briefs)))
    retype(edited, "the size of the first", "at least the size of the first")
    edited.save(str(tmp_path / "edited.docx"))
    path = rewritten(tmp_path / "edited.docx", tmp_path / "macros.docx",
                     parts={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"},
                     replace={"[Content_Types].xml": (MAIN_TYPE, MACRO_TYPE)})
    result = runner.invoke(app, ["take-back", str(path), "--yes"])
    assert result.exit_code == 1
    assert "error: macros.docx: nothing was taken back" in result.output
    assert (tmp_path / "briefs" / EXAMPLE_SPEC.name).read_bytes() == before


def test_tracked_changes_and_comments_are_read_with_their_authors(
        built_briefs: BuiltBriefs, tmp_path: Path) -> None:
    edited = docx.Document(str(eu_docx(built_briefs)))
    track(edited, "the largest international contribution", "the largest single contribution",
          author="Anna Novak")
    comment(edited, "Put Azerbaijan on the agenda", "Still first?", author="Pieter de Vries")
    edited.save(str(tmp_path / "edited.docx"))
    document = read_edited_docx(tmp_path / "edited.docx")
    changed = [(character.revision.kind, character.revision.author, character.text)
               for paragraph in document.paragraphs for character in paragraph.characters
               if character.revision is not None]
    deleted = "".join(text for kind, _, text in changed if kind == "delete")
    inserted = "".join(text for kind, _, text in changed if kind == "insert")
    assert deleted == "the largest international contribution"
    assert inserted == "the largest single contribution"
    assert {author for _, author, _ in changed} == {"Anna Novak"}
    [note] = document.comments.values()
    assert (note.author, note.text) == ("Pieter de Vries", "Still first?")
    holder = next(paragraph for paragraph in document.paragraphs
                  if note.identifier in paragraph.comment_starts)
    start = holder.comment_starts[note.identifier]
    end = holder.comment_ends[note.identifier]
    assert holder.text()[start:end] == "Put Azerbaijan on the agenda"


def test_every_docx_as_built_reads_as_its_record_says(built_briefs: BuiltBriefs) -> None:
    """Words, bold and italic (from the run, else its paragraph's style: the delegation's
    line is italic by its style, an ask's headline bold by its run), links: every version
    of the example, the full spec (hostile text, every field) and the minimal one."""
    for path in built_briefs.docx_files():
        document = read_edited_docx(path)
        assert document.record is not None and document.record.origin is not None
        comparison = compare_document(document.record, document)
        assert comparison.changes == [] and comparison.findings == [], path.name
        assert comparison.unchanged == len(document.record.fields), path.name


@pytest.mark.tools
def test_every_docx_reads_the_same_after_libreoffice_saved_it(built_briefs: BuiltBriefs,
                                                              tmp_path: Path) -> None:
    """LibreOffice rewrites the whole file: runs, styles, bookmarks (renamed in the
    floating footer), links ("https://example.org/")."""
    soffice = require_tool("soffice")
    files = built_briefs.docx_files()
    subprocess.run([soffice, "--headless", "--norestore",
                    f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--convert-to",
                    "docx", "--outdir", str(tmp_path / "saved"), *map(str, files)],
                   capture_output=True, timeout=300, check=False)
    for path in files:
        document = read_edited_docx(tmp_path / "saved" / path.name)
        assert document.record is not None
        comparison = compare_document(document.record, document)
        assert comparison.changes == [] and comparison.findings == [], path.name


def test_a_docx_from_an_earlier_briefgen_without_a_record_says_so(
        built_briefs: BuiltBriefs, tmp_path: Path) -> None:
    path = rewritten(eu_docx(built_briefs), tmp_path / "old.docx",
                     drop=("customXml/item1.xml", "customXml/itemProps1.xml",
                           "customXml/_rels/item1.xml.rels"))
    assert read_edited_docx(path).record is None
    result = runner.invoke(app, ["take-back", str(path)])
    assert result.exit_code == 1
    assert "old.docx: does not say which spec it was built from" in result.output


def test_text_read_includes_field_results_but_not_instructions(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Page ")
    run = paragraph.add_run()
    for kind in ("begin", "separate", "end"):
        if kind == "separate":
            instruction = docx.oxml.OxmlElement("w:instrText")
            instruction.text = " PAGE "
            run._r.append(instruction)
        character = docx.oxml.OxmlElement("w:fldChar")
        character.set(docx.oxml.ns.qn("w:fldCharType"), kind)
        run._r.append(character)
        if kind == "separate":
            text = docx.oxml.OxmlElement("w:t")
            text.text = "3"
            run._r.append(text)
    buffer = io.BytesIO()
    document.save(buffer)
    (tmp_path / "field.docx").write_bytes(buffer.getvalue())
    [read] = [item for item in read_edited_docx(tmp_path / "field.docx").paragraphs
              if item.text()]
    assert read.text() == "Page 3"
