"""Each paragraph as built against the edited one: changes go to the field whose words they
change, found by bookmarks or, when those were lost, by the paragraph's place and words."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest
from docx.text.paragraph import Paragraph

from briefgen.edits.compare import Comparison, FieldChange, compare_document
from briefgen.edits.reader import read_edited_docx
from tests.support import BuiltBriefs
from tests.word_edits import paragraphs, retype, run_with


@pytest.fixture
def eu(built_briefs: BuiltBriefs) -> Path:
    return built_briefs.versions[("example", "eu")].docx


def compared(source: Path, tmp_path: Path, edit: object) -> Comparison:
    document = docx.Document(str(source))
    edit(document)  # type: ignore[operator]
    path = tmp_path / "edited.docx"
    document.save(str(path))
    read = read_edited_docx(path)
    assert read.record is not None
    return compare_document(read.record, read)


def change_of(comparison: Comparison, origin: str) -> FieldChange:
    found = [change for change in comparison.changes if change.field.origin == origin]
    assert len(found) == 1, [change.field.origin for change in comparison.changes]
    return found[0]


def words(change: FieldChange) -> tuple[str, str]:
    return ("".join(character.text for character in change.before),
            "".join(character.text for character in change.after))


def paragraph_starting(document: docx.document.Document, start: str) -> Paragraph:
    return next(paragraph for paragraph in paragraphs(document)
                if paragraph.text.startswith(start))


def test_a_paragraph_typed_over_whole_is_found_without_its_bookmarks(eu: Path,
                                                                     tmp_path: Path) -> None:
    def edit(document: docx.document.Document) -> None:
        paragraph = paragraph_starting(document, "Thank you: the EU")
        paragraph.text = ("Thank you: the EU’s project with UNDP and ANAMA is the largest "
                          "international contribution so far.")  # its runs and marks go
    comparison = compared(eu, tmp_path, edit)
    change = change_of(comparison, "audiences[0].intro")
    assert words(change)[1].endswith("is the largest international contribution so far.")
    assert len(comparison.changes) == 1 and comparison.findings == []


def test_words_typed_after_a_field_belong_to_it(eu: Path, tmp_path: Path) -> None:
    """The summary ends the bottom line: words typed at its end are the summary's."""
    comparison = compared(eu, tmp_path, lambda document: retype(
        document, "chart).", "chart). Mine action deserves better."))
    change = change_of(comparison, "summary.en")
    assert words(change)[1].endswith("budget (see chart). Mine action deserves better.")


def test_the_templates_words_are_reported_and_not_taken(eu: Path, tmp_path: Path) -> None:
    comparison = compared(eu, tmp_path, lambda document: retype(
        document, "Bottom line: ", "In short: "))
    assert comparison.changes == []
    [finding] = comparison.findings
    assert finding.kind == "outside"
    assert finding.message.startswith("words briefgen prints changed: “Bottom line:” → "
                                      "“In short:”")


def test_a_paragraph_split_in_two_is_taken_as_one(eu: Path, tmp_path: Path) -> None:
    def edit(document: docx.document.Document) -> None:
        run = run_with(document, "Donor budgets are tightening")
        text = run.text
        cut = text.index(" MASG is where")
        run.text = text[:cut]
        paragraph = run._parent
        second = copy.deepcopy(paragraph._p)
        paragraph._p.addnext(second)
        for element in list(second)[1:]:
            second.remove(element)
        Paragraph(second, paragraph._parent).add_run(text[cut + 1:])
        # The field's bookmark now ends in the new paragraph, as Word leaves it.
        end = paragraph._p.find(".//{*}bookmarkEnd")
        second.append(end)
    comparison = compared(eu, tmp_path, edit)
    assert [finding.message for finding in comparison.findings] == [
        "a paragraph was split in the DOCX; its parts are taken as one (a text of the spec is "
        "one paragraph)"]
    assert all(change.field.origin != "sections[0].body.en" for change in comparison.changes)


def test_a_moved_ask_is_reported(eu: Path, tmp_path: Path) -> None:
    def edit(document: docx.document.Document) -> None:
        first = paragraph_starting(document, "Put Azerbaijan on the agenda")
        third = paragraph_starting(document, "Fund survivors, education and data")
        first._p.addprevious(third._p)
    comparison = compared(eu, tmp_path, edit)
    assert comparison.changes == []
    moved = [finding for finding in comparison.findings if finding.kind == "moved"]
    assert moved and all("the order is the spec's" in finding.message for finding in moved)


def test_a_new_paragraph_and_a_deleted_text_are_reported(eu: Path, tmp_path: Path) -> None:
    def edit(document: docx.document.Document) -> None:
        body = paragraph_starting(document, "Casualties have not stopped")
        new = copy.deepcopy(body._p)
        body._p.addnext(new)
        Paragraph(new, body._parent).text = "A paragraph the colleague added."
        run_with(document, "Thank you: the EU").text = ""
    comparison = compared(eu, tmp_path, edit)
    assert comparison.changes == []
    messages = {finding.kind: finding.message for finding in comparison.findings}
    assert messages["outside"] == (
        "a paragraph typed outside the spec's texts after “Casualties have not stopped: mines "
        "and …”: “A paragraph the colleague added.”; not taken")
    assert messages["deleted"].startswith("its words were deleted in the DOCX; the spec keeps "
                                          "them")


def test_formatting_the_spec_cannot_say_is_reported(eu: Path, tmp_path: Path) -> None:
    def edit(document: docx.document.Document) -> None:
        run_with(document, "risk education").font.underline = True
    comparison = compared(eu, tmp_path, edit)
    [finding] = comparison.findings
    assert finding.kind == "formatting" and finding.field is not None
    assert finding.field.origin == "audiences[0].asks[2].detail"
    assert finding.message.startswith("underline on “risk education for returning families")
