"""Every text the spec supplies is marked in the DOCX, and the DOCX records what it was
built from: the brief, spec, version, language, each field's path and fingerprint."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import docx
import yaml

from briefgen.document import Fit, Paragraph, Span
from briefgen.edits.reader import read_edited_docx
from briefgen.render.docx import render_docx
from briefgen.render.docx_marks import DocxOrigin, FieldSource, parse_mark_name
from briefgen.spec.loader import format_field_path
from briefgen.translation.texts import text_hash
from tests.render.test_docx_base import small_document
from tests.support import EXAMPLE_SPEC, BuiltBriefs, collapse_space

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def spec_value(data: object, path: tuple[str | int, ...]) -> object:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data


def test_each_field_is_marked_around_exactly_its_words(built_briefs: BuiltBriefs) -> None:
    for name, audience in (("example", "eu"), ("example", "ch"), ("example", "region"),
                           ("full", "ngo")):
        path = built_briefs.versions[(name, audience)].docx
        document = read_edited_docx(path)
        record = document.record
        assert record is not None
        built = {}
        for paragraph in record.paragraphs:
            runs = paragraph.runs
            for field in {run.field for run in runs if run.field is not None}:
                first = next(index for index, run in enumerate(runs) if run.field == field)
                last = max(index for index, run in enumerate(runs) if run.field == field)
                # From the field's first words to its last, source markers left out (and the
                # narrow space set before a marker after a number, which is the template's).
                built[(paragraph.number, field)] = "".join(
                    run.text for run in runs[first:last + 1] if not run.marker)
        marked = {}
        for paragraph in document.paragraphs:
            for mark, start in paragraph.mark_starts.items():
                parsed = parse_mark_name(mark)
                assert parsed is not None, mark
                end = paragraph.mark_ends[mark]
                words = "".join(character.text for character in paragraph.characters[start:end]
                                if not character.raised)  # source markers are not words
                marked[parsed] = words
        assert set(marked) == set(built), path.name
        for key, words in built.items():
            assert collapse_space(marked[key].replace("\u2060", "")) == collapse_space(words)


def test_the_marks_are_hidden_bookmarks(built_briefs: BuiltBriefs) -> None:
    """Names starting with "_" are hidden in Word's Bookmark dialog; Word takes at most 40
    characters; ids are unique."""
    with zipfile.ZipFile(built_briefs.versions[("example", "eu")].docx) as archive:
        from lxml import etree

        root = etree.fromstring(archive.read("word/document.xml"))
    starts = list(root.iter(f"{W}bookmarkStart"))
    ends = list(root.iter(f"{W}bookmarkEnd"))
    assert len(starts) == len(ends) > 40
    names = [start.get(f"{W}name") for start in starts]
    assert all(name.startswith("_") and len(name) <= 40 for name in names)
    ids = [start.get(f"{W}id") for start in starts]
    assert len(set(ids)) == len(ids) and {end.get(f"{W}id") for end in ends} == set(ids)


def test_the_record_names_the_spec_the_version_and_each_fields_text(
        built_briefs: BuiltBriefs) -> None:
    data = yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))
    facts = yaml.safe_load((EXAMPLE_SPEC.parent / "facts" / "azerbaijan.yaml").read_text(
        encoding="utf-8"))
    for audience, language in (("eu", "en-GB"), ("ch", "fr-CH")):
        record = read_edited_docx(built_briefs.versions[("example", audience)].docx).record
        assert record is not None and record.origin is not None
        origin = record.origin
        assert (origin.brief_id, origin.spec_name, origin.audience_id, origin.language) == (
            "masg-2025", "masg-2025.yaml", audience, language)
        checked = 0
        for recorded in record.fields.values():
            assert recorded.source is not None
            path = recorded.source.path
            assert format_field_path(path) == recorded.origin
            if path[0] in ("stats", "sources", "charts"):
                continue  # merged from the fact file: checked by id below
            value = spec_value(data, path)
            if isinstance(value, str):
                assert recorded.source.text_hash == text_hash(value), recorded.origin
                checked += 1
        assert checked > 15
        mines = next(index for index, stat in enumerate(facts["stats"])
                     if stat["id"] == "mines")
        label = facts["stats"][mines]["label"][language.split("-")[0]]
        fact_hashes = {recorded.source.text_hash for recorded in record.fields.values()
                       if recorded.source is not None and recorded.source.path[0] == "stats"}
        assert text_hash(label) in fact_hashes


def test_a_docx_used_as_base_document_leaves_one_record(tmp_path: Path) -> None:
    """An organisation's base document may be a DOCX briefgen built: its record goes."""
    origin = DocxOrigin("brief", "brief.yaml", "0" * 16, None, "en-GB", "0.1.0",
                        {"summary": FieldSource(("summary",), "1" * 16)})
    document = small_document()
    document = document._replace(body=(Paragraph("body", (Span("Hello.", origin="summary"),)),))
    earlier = tmp_path / "earlier.docx"
    earlier.write_bytes(render_docx(document, Fit(), None, origin))
    again = render_docx(document, Fit(), earlier, origin)
    with zipfile.ZipFile(io.BytesIO(again)) as archive:
        items = [name for name in archive.namelist() if name.startswith("customXml/item")
                 and "Props" not in name]
        assert len(items) == 1
        assert b'brief="brief"' in archive.read(items[0])


def test_an_organisations_base_document_carries_the_marks_and_keeps_its_own_custom_xml(
        tmp_path: Path) -> None:
    """A letterhead made in an organisation whose documents carry custom XML of their own
    (SharePoint's properties, say): it stays, and the record is added beside it."""
    base = tmp_path / "letterhead.docx"
    letterhead = docx.Document()
    letterhead.sections[0].header.paragraphs[0].text = "Clear Ground Coalition"
    letterhead.save(str(base))
    theirs = b'<?xml version="1.0"?><p:properties xmlns:p="urn:example:sharepoint"/>'
    with zipfile.ZipFile(base) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["customXml/item1.xml"] = theirs
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdTheirs" Type="http://schemas.openxml'
        b'formats.org/officeDocument/2006/relationships/customXml" Target="../customXml/'
        b'item1.xml"/></Relationships>')
    with zipfile.ZipFile(base, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    document = small_document()._replace(
        body=(Paragraph("body", (Span("Hello, colleague.", origin="summary"),)),))
    origin = DocxOrigin("brief", "brief.yaml", "0" * 16, None, "en-GB", "0.1.0",
                        {"summary": FieldSource(("summary",), "1" * 16)})
    path = tmp_path / "brief.docx"
    path.write_bytes(render_docx(document, Fit(), base, origin))
    with zipfile.ZipFile(path) as archive:
        items = {name: archive.read(name) for name in archive.namelist()
                 if name.startswith("customXml/item") and "Props" not in name}
    assert theirs in items.values()
    read = read_edited_docx(path)
    assert read.record is not None and read.record.origin == dataclasses.replace(origin, fields={})
    [marked] = [paragraph for paragraph in read.paragraphs if paragraph.mark_starts]
    assert marked.text() == "Hello, colleague."
