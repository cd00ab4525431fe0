"""Nothing in a DOCX reaches outside it: the scan of base documents, of every DOCX before it
is written, and of the DOCX an email draft attaches, on a corpus of hostile Word files."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.document import Fit
from briefgen.errors import BriefgenBug, TemplateError
from briefgen.render.docx import render_docx
from briefgen.render.docx_safety import parse_xml, scan_docx
from briefgen.template.base_document import load_base_document
from briefgen.write import OutputFile, attachments, write_atomically
from tests.render.base_document import PARTS
from tests.render.hostile_documents import (
    CASES,
    UNC,
    Hostile,
    field_runs,
    in_footer,
    in_header,
    paragraph,
    simple_field,
)
from tests.render.test_docx_base import small_document
from tests.support import EXAMPLE_SPEC, ROOT, BuiltBriefs

# The one hostile thing a base document may carry: the DOCX leaves it out.
REMOVED = {"settings attached to a template on a server"}
REFUSED = [case for case in CASES if case.id not in REMOVED]


def ids(case: Hostile) -> str:
    return case.id


@pytest.mark.parametrize("case", REFUSED, ids=ids)
def test_a_hostile_base_document_is_refused_naming_the_file_the_part_and_what_to_do(
        tmp_path: Path, case: Hostile) -> None:
    path = tmp_path / "base.docx"
    path.write_bytes(case.data())
    with pytest.raises(TemplateError) as caught:
        load_base_document(path)
    lines = [str(problem) for problem in caught.value.problems]
    assert any(f"base.docx: {case.expected}" in line for line in lines), lines
    assert all(problem.hint for problem in caught.value.problems)


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_the_scan_before_writing_refuses_each_hostile_docx_and_writes_nothing(
        tmp_path: Path, case: Hostile) -> None:
    """As if a DOCX briefgen made carried it: a bug, and no file of the brief is written."""
    out = tmp_path / "out"
    with pytest.raises(BriefgenBug, match="would carry what a DOCX may not") as caught:
        write_atomically([OutputFile(out / "brief.pdf", b"%PDF-1.7"),
                          OutputFile(out / "brief.docx", case.data())])
    assert case.expected in str(caught.value)
    assert not out.exists()


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_an_email_draft_never_attaches_a_hostile_docx(case: Hostile) -> None:
    with pytest.raises(BriefgenBug) as caught:
        attachments.check_docx(case.data(), Path("brief.docx"))
    assert case.expected in str(caught.value)


def test_every_docx_briefgen_builds_passes_the_scan(built_briefs: BuiltBriefs) -> None:
    """The example (with its chart's workbook and links), the full spec and the minimal one:
    nothing to find, so the scan holds no brief back."""
    for path in built_briefs.docx_files():
        assert scan_docx(path.read_bytes()) == [], path


def test_a_link_to_the_template_a_base_document_was_made_from_is_left_out(
        tmp_path: Path) -> None:
    """Documents made from an organisation's Word template carry one: the base document is
    taken, and the DOCX goes without it."""
    case = next(case for case in CASES if case.id in REMOVED)
    path = tmp_path / "base.docx"
    path.write_bytes(case.data())
    assert scan_docx(path.read_bytes())  # as an output it would be refused ...
    load_base_document(path)  # ... as a base document it is taken
    output = render_docx(small_document(), Fit(), path)
    assert scan_docx(output) == []
    with zipfile.ZipFile(io.BytesIO(output)) as archive:
        assert b"attachedTemplate" not in archive.read("word/settings.xml")


SAFE_HEADER = paragraph(
    field_runs("PAGE"), field_runs(" NUMPAGES \\* MERGEFORMAT "),
    simple_field("DATE \\@ &quot;d MMMM yyyy&quot;"),
    field_runs('HYPERLINK "https://acme.example/about"'),
    field_runs('HYPERLINK \\l "contacts"'), simple_field("HYPERLINK mailto:info@acme.example"),
    '<w:hyperlink r:id="rId5"><w:r><w:t>acme.example</w:t></w:r></w:hyperlink>',
    '<w:r><w:pict><v:shape><v:imagedata r:id="rId6" o:href="cid:image001.png@01D9"/></v:shape>'
    '<v:shape><v:imagedata r:id="rId6" o:href="file:///C:/Users/anna/AppData/Local/Temp/'
    'msohtmlclip1/01/clip_image001.png"/></v:shape></w:pict></w:r>')


def letterhead() -> bytes:
    """A header with page numbers, a date, links to the web, to mail and to a bookmark, and a
    picture kept in the file (pasted: Word noted where from); its styles in UTF-16."""
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(picture, "PNG")
    arguments = in_header(SAFE_HEADER, "rId5 hyperlink https://acme.example External",
                          "rId6 image media/logo.png")
    styles = PARTS["word/styles.xml"].replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return Hostile(
        "letterhead", "",
        parts={**arguments["parts"], "word/media/logo.png": picture.getvalue(),
               "word/styles.xml": styles.encode("utf-16")},
        types=(*arguments["types"], '<Default Extension="png" ContentType="image/png"/>'),
        related=arguments["related"], section=arguments["section"]).data()


def test_an_ordinary_letterhead_is_taken_and_its_fields_and_links_kept(tmp_path: Path) -> None:
    path = tmp_path / "base.docx"
    path.write_bytes(letterhead())
    assert scan_docx(path.read_bytes()) == []
    assert load_base_document(path).header.height > 0
    output = render_docx(small_document(), Fit(), path)
    assert scan_docx(output) == []
    header = docx.Document(io.BytesIO(output)).sections[0].header
    instructions = "".join(element.text or "" for element in header._element.iter(
        "{*}instrText"))
    assert "PAGE" in instructions and "https://acme.example/about" in instructions


def test_parsing_refuses_a_doctype_in_any_encoding() -> None:
    """The check parses: a DOCTYPE in UTF-16 or UTF-32 is seen, and the same XML without
    one is read."""
    for encoding in ("utf-16", "utf-16-be", "utf-32"):
        text = PARTS["word/settings.xml"].replace('encoding="UTF-8"',
                                                   f'encoding="{encoding.upper()}"')
        assert parse_xml(text.encode(encoding)).tag.endswith("settings")
        hostile = text.replace("?>\n", '?>\n<!DOCTYPE w:settings [<!ENTITY e "x">]>\n', 1)
        with pytest.raises(ValueError, match="declares a DOCTYPE"):
            parse_xml(hostile.encode(encoding))


# -- through the commands -----------------------------------------------------------------------


def brief_folder(tmp_path: Path, base: bytes) -> Path:
    """The example brief beside a copy of its template whose base document is `base`."""
    shutil.copytree(EXAMPLE_SPEC.parent, tmp_path / "briefs")
    template = tmp_path / "templates" / "one-pager"
    shutil.copytree(ROOT / "templates" / "one-pager", template)
    (template / "base.docx").write_bytes(base)
    return tmp_path / "briefs" / EXAMPLE_SPEC.name


def case(case_id: str) -> Hostile:
    return next(case for case in CASES if case.id == case_id)


@pytest.mark.parametrize(("command", "case_id"), [
    ("build", "header INCLUDEPICTURE with a network path"),
    ("build", "theme picture"),
    ("email", "web settings frameset"),
    ("check", "macros typed by a Default extension"),
])
def test_a_command_on_a_hostile_base_document_names_it_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, case_id: str) -> None:
    spec = brief_folder(tmp_path, case(case_id).data())
    monkeypatch.chdir(tmp_path)
    out = [] if command == "check" else ["--out", str(tmp_path / "out")]
    result = CliRunner().invoke(app, [command, str(spec), *out])
    assert result.exit_code == 1, result.output
    base = Path("templates") / "one-pager" / "base.docx"
    label = "error: spec: " if command == "check" else ""  # `check` names each problem's rule
    assert f"{base}: {label}{case(case_id).expected}" in result.output
    assert "hint: " in result.output and "Traceback" not in result.output
    assert not list((tmp_path / "out").rglob("*.*"))


def test_a_docx_that_would_leak_is_never_written_whatever_made_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last line of defence, through `build`'s own path: were rendering ever to let a
    field through, the brief is not written and the command reports a bug."""
    import briefgen.render.docx

    spec = brief_folder(tmp_path, (ROOT / "templates" / "one-pager" / "base.docx").read_bytes())
    leaking = Hostile("", "", **in_footer(paragraph(field_runs(f'INCLUDEPICTURE "{UNC}"'))))
    monkeypatch.setattr(briefgen.render.docx, "render_docx", lambda *_: leaking.data())
    result = CliRunner().invoke(app, ["build", str(spec), "--out", str(tmp_path / "out"),
                                      "--jobs", "1"])
    assert result.exit_code == 70, result.output
    assert "internal error" in result.output
    assert not list((tmp_path / "out").rglob("*.*"))
