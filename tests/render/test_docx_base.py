"""Base documents: which one a template uses, what is refused, and the room a letterhead
takes."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm, Pt

from briefgen.document import (
    Document,
    Metadata,
    PageSetup,
    Paragraph,
    ParagraphStyle,
    Span,
)
from briefgen.errors import TemplateError
from briefgen.layout.fonts import font_family
from briefgen.render.docx import render_docx
from briefgen.template import load_template_folder
from briefgen.template.base_document import docx_margins, load_base_document, shipped_base_document
from tests.support import ROOT

A4 = PageSetup(595.3, 841.9, 42.5, 42.5, 42.5, 42.5)


def small_document(page: PageSetup = A4) -> Document:
    """A one-paragraph document, for checks that need no template."""
    style = ParagraphStyle("body", 10, 13, 10, "#1C2530")
    return Document(page=page, fonts=font_family("Carlito"), styles={"body": style},
                    body=(Paragraph("body", (Span("Hello, colleague."),)),), footer=(),
                    metadata=Metadata("Title", "Author", "Subject", "keywords", "en-GB",
                                      "2025-03-24"))


def template_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "one-pager"
    for name in ("template.yaml", "page.xml.j2"):
        folder.mkdir(exist_ok=True)
        (folder / name).write_bytes((ROOT / "templates" / "one-pager" / name).read_bytes())
    return folder


def test_a_template_without_its_own_base_document_uses_the_one_pagers(tmp_path: Path) -> None:
    template = load_template_folder(template_folder(tmp_path))
    assert template.base_document == shipped_base_document()


def test_a_template_with_its_own_base_document_uses_it(tmp_path: Path) -> None:
    folder = template_folder(tmp_path)
    docx.Document().save(str(folder / "base.docx"))
    assert load_template_folder(folder).base_document == folder / "base.docx"


def letterhead(path: Path, lines: int = 2, size: float = 18, distance: float = 10) -> None:
    base = docx.Document()
    section = base.sections[0]
    section.header_distance = Mm(distance)
    header = section.header
    header.paragraphs[0].add_run("Acme Relief Organisation").font.size = Pt(size)
    for _ in range(lines - 1):
        header.add_paragraph("Geneva · Kyiv · Baku")
    base.save(str(path))


def test_a_letterhead_taller_than_the_margin_moves_the_body_down(tmp_path: Path) -> None:
    letterhead(tmp_path / "base.docx")
    base = load_base_document(tmp_path / "base.docx")
    assert base.header.distance == pytest.approx(Mm(10).pt, abs=0.1)
    # 18 pt and 11 pt lines, single spaced: about 40 pt of letterhead.
    assert 35 < base.header.height < 55
    top, bottom = docx_margins(base, A4)
    assert top == pytest.approx(base.header.reach + 4, abs=0.01) and top > A4.margin_top
    assert bottom == A4.margin_bottom  # no footer


def test_more_letterhead_takes_more_room(tmp_path: Path) -> None:
    letterhead(tmp_path / "short.docx", lines=1)
    letterhead(tmp_path / "tall.docx", lines=4)
    short = load_base_document(tmp_path / "short.docx").header.height
    assert load_base_document(tmp_path / "tall.docx").header.height > short + 30


def test_a_letterhead_in_a_document_without_styles_is_measured(tmp_path: Path) -> None:
    """Word files made by other programs may have no styles part: the letterhead's lines
    are measured at Word's default size."""
    letterhead(tmp_path / "styled.docx", lines=3)
    with zipfile.ZipFile(tmp_path / "styled.docx") as source, zipfile.ZipFile(
            tmp_path / "base.docx", "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb'<Relationship [^>]*/styles"[^>]*/>', b"", data)
            if entry.filename != "word/styles.xml":
                target.writestr(entry, data)
    base = load_base_document(tmp_path / "base.docx")
    assert base.header.height > 3 * 11  # three lines of at least 11 pt


def test_briefgens_own_base_document_takes_no_room() -> None:
    base = load_base_document(shipped_base_document())
    assert docx_margins(base, A4) == (A4.margin_top, A4.margin_bottom)


def broken(path: Path, kind: str) -> Path:
    if kind == "text":
        path.write_text("not a Word document", encoding="utf-8")
    elif kind == "macros":
        buffer = io.BytesIO()
        docx.Document().save(buffer)
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.writestr("word/vbaProject.bin", b"macros")
        path.write_bytes(buffer.getvalue())
    elif kind == "template":
        buffer = io.BytesIO()
        docx.Document().save(buffer)
        source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as archive:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    data = data.replace(b"document.main+xml", b"template.main+xml")
                archive.writestr(item, data)
        path.write_bytes(output.getvalue())
    elif kind == "linked picture":
        base = docx.Document()
        header = base.sections[0].header
        relationship = header.part.relate_to(
            "https://tracker.example/pixel.png",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image",
            is_external=True)
        assert relationship
        base.save(str(path))
    return path


@pytest.mark.parametrize(("kind", "message"), [
    ("text", "base.docx: is not a Word document (.docx)"),
    ("macros", "base.docx: word/vbaProject.bin: contains macros"),
    ("template", "base.docx: is a Word template (.dotx), not a document"),
    ("linked picture", "base.docx: word/header1.xml (a header): shows a picture from outside "
                       "the document (https://tracker.example/pixel.png)"),
])
def test_a_base_document_that_cannot_be_used_is_named_with_what_to_do(
        tmp_path: Path, kind: str, message: str) -> None:
    path = broken(tmp_path / "base.docx", kind)
    with pytest.raises(TemplateError) as caught:
        load_base_document(path)
    problem = caught.value.problems[0]
    assert message in str(problem).replace(str(tmp_path) + "/", "")
    assert problem.hint


def test_a_missing_base_document_is_named(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="cannot be read"):
        load_base_document(tmp_path / "base.docx")


def test_rendering_on_a_broken_base_document_is_a_user_error(tmp_path: Path) -> None:
    from briefgen.document import Fit

    path = broken(tmp_path / "base.docx", "text")
    with pytest.raises(TemplateError, match="not a Word document"):
        render_docx(small_document(), Fit(), path)


def test_a_base_document_with_a_broken_part_is_a_user_error(tmp_path: Path) -> None:
    """A part that measuring the letterhead does not read (its settings) is broken: the
    base document is refused with the file's and the part's names, not a traceback."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    path = tmp_path / "base.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            archive.writestr(item, b"<w:settings" if item.filename == "word/settings.xml"
                             else data)
    with pytest.raises(TemplateError, match=r"base\.docx: word/settings\.xml \(the settings\): "
                       "cannot be read"):
        load_base_document(path)


def test_a_base_document_made_from_an_earlier_brief_gets_the_briefs_styles_anew(
        tmp_path: Path) -> None:
    """An organisation may start from a DOCX briefgen wrote: its styles and fonts are
    replaced, not doubled."""
    from briefgen.document import Fit

    earlier = tmp_path / "base.docx"
    earlier.write_bytes(render_docx(small_document(), Fit()))
    again = docx.Document(io.BytesIO(render_docx(small_document(), Fit(), earlier)))
    names = [style.name for style in again.styles]
    assert names.count("Brief Body") == 1
    fonts = again.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable")
    assert len(fonts.rels) == 4


def test_a_build_on_a_broken_base_document_names_the_file(tmp_path: Path) -> None:
    """Through the command's own path: the brief is not built, and the message names the
    organisation's file and what to do, without a traceback."""
    import shutil

    from briefgen.errors import UserError
    from tests.support import MINIMAL_SPEC, build_brief

    (tmp_path / "briefs").mkdir()
    shutil.copy(MINIMAL_SPEC, tmp_path / "briefs" / "minimal.yaml")
    template = tmp_path / "templates" / "one-pager"
    shutil.copytree(ROOT / "templates" / "one-pager", template)
    (template / "base.docx").write_text("not a Word document", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        build_brief(tmp_path / "briefs" / "minimal.yaml", tmp_path / "out")
    message = str(caught.value)
    assert f"{template / 'base.docx'}: is not a Word document (.docx)" in message
    assert "hint: save it from Word as \"Word Document (.docx)\"" in message
    assert not (tmp_path / "out").exists()
