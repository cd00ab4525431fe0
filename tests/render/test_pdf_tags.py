"""The tagged PDF's structure, one decision at a time: which element a paragraph, its label, a
marker, a link and words in another language belong to, and what the structure tree says."""

from __future__ import annotations

import io
import re

from reportlab.pdfgen.canvas import Canvas

from briefgen.document import Group, Metadata, Paragraph, Span
from briefgen.render.pdf_tags import PLAIN, LinkTarget, Tagger, xmp_metadata

METADATA = Metadata("Mine action & survivors", "Clear Ground", "MASG 2025", "mines; Azerbaijan",
                    "en-GB", "2025-03-24")


def kinds(tagger: Tagger) -> list[str]:
    """The kinds of the elements under the tree's root, depth first."""
    found: list[str] = []
    pending = list(reversed(tagger.root.kids))
    while pending:
        kid = pending.pop()
        if not isinstance(kid, int):
            found.append(kid.kind)
            pending.extend(reversed(kid.kids))
    return found


def test_a_heading_is_its_role_and_text_a_paragraph() -> None:
    tagger = Tagger("en-GB")
    assert tagger.paragraph_elements(Paragraph("headline", (), role="H1"))[1].kind == "H1"
    assert tagger.paragraph_elements(Paragraph("body", ()))[1].kind == "P"


def test_a_numbered_item_is_its_own_label_and_body() -> None:
    tagger = Tagger("en-GB")
    tagger.open_group(Group("L", ()))
    tagger.open("LI")
    label, body = tagger.paragraph_elements(Paragraph("ask", (), number="1"))
    assert (label is not None and label.kind, body.kind) == ("Lbl", "LBody")
    assert kinds(tagger) == ["L", "LI", "Lbl", "LBody"]


def test_a_source_note_is_a_note_with_its_number_as_its_label() -> None:
    tagger = Tagger("en-GB")
    tagger.open_group(Group("L", ()))
    tagger.open("LI")
    label, note = tagger.paragraph_elements(Paragraph("note", (), number="3", note="hrw-2024"))
    assert note.kind == "Note" and note.identifier == "note-hrw-2024"
    assert label is not None and label.parent is note
    assert kinds(tagger) == ["L", "LI", "LBody", "Note", "Lbl"]


def test_a_key_figure_and_its_label_are_one_statement() -> None:
    tagger = Tagger("en-GB")
    group = tagger.open_group(Group("P", ()))
    assert tagger.paragraph_elements(Paragraph("stat-value", ()))[1] is group
    assert tagger.paragraph_elements(Paragraph("stat-label", ()))[1] is group


def test_a_paragraph_wholly_in_another_language_says_so_on_itself() -> None:
    tagger = Tagger("en-GB")
    _, element = tagger.paragraph_elements(Paragraph("quote", ()))
    keys = tagger.span_keys((Span("Mines ", language="fr"), Span("tuent.", language="fr")),
                            element)
    assert element.language == "fr" and keys == [PLAIN, PLAIN]


def test_words_in_another_language_are_a_span_beside_the_paragraphs_own() -> None:
    tagger = Tagger("en-GB")
    _, element = tagger.paragraph_elements(Paragraph("body", ()))
    spans = (Span("They call it "), Span("mina", language="az"), Span("."))
    keys = tagger.span_keys(spans, element)
    assert keys == [PLAIN, (None, None, "az"), PLAIN] and element.language is None
    foreign = tagger.context_element(element, keys[1], mixed=True)
    own = tagger.context_element(element, keys[0], mixed=True)
    assert (foreign.kind, foreign.language, own.kind) == ("Span", "az", "Span")


def test_a_marker_is_a_reference_holding_a_link_to_its_note() -> None:
    tagger = Tagger("en-GB")
    _, element = tagger.paragraph_elements(Paragraph("body", ()))
    (key,) = tagger.span_keys((Span("4", superscript=True, reference="hrw-2024"),), element)
    link = tagger.context_element(element, key, mixed=True)
    assert (link.parent.kind if link.parent else None, link.kind) == ("Reference", "Link")
    assert link.target is not None and link.target.note == "hrw-2024"


def test_a_link_over_two_lines_has_a_rectangle_per_line() -> None:
    tagger = Tagger("en-GB")
    target = LinkTarget(tagger.root, "https://example.org", None)
    target.add("example", 10, 100, 50, 110)
    target.add(".org", 50, 100, 70, 110)  # goes on along the line: one rectangle
    target.add("/report", 10, 85, 40, 95)  # the next line
    assert target.rects == [[10, 100, 70, 110], [10, 85, 40, 95]]


def tagged_page(tagger: Tagger) -> bytes:
    """An empty page with the tagger's annotations and structure tree (uncompressed)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=0)
    tagger.annotate(canvas)
    canvas.showPage()
    tagger.write(canvas, METADATA)
    canvas.save()
    return buffer.getvalue()


def test_the_structure_tree_maps_aside_and_lists_note_ids() -> None:
    tagger = Tagger("en-GB")
    aside = tagger.open_group(Group("Aside", ()))
    tagger.begin(aside)
    tagger.close()
    tagger.open_group(Group("L", ()))
    tagger.open("LI")
    _, note = tagger.paragraph_elements(Paragraph("note", (), number="1", note="hrw-2024"))
    tagger.begin(note)
    pdf = tagged_page(tagger)
    assert b"/RoleMap << /Aside /Sect >>" in pdf
    assert re.search(rb"/IDTree << /Names \[\(note-hrw-2024\) \d+ 0 R\] >>", pdf)
    assert re.search(rb"/ParentTree << /Nums \[0 \[\d+ 0 R \d+ 0 R\]", pdf)
    assert b"/StructParents 0" in pdf and b"/Tabs /S" in pdf and b"/Marked true" in pdf


def test_an_element_left_empty_is_dropped_and_a_figure_kept() -> None:
    tagger = Tagger("en-GB")
    tagger.paragraph_elements(Paragraph("headline", (), role="H1"))  # nothing drawn in it
    tagger.figure("A bar chart of funding", (0, 0, 100, 50))
    pdf = tagged_page(tagger)
    assert b"/S /H1" not in pdf
    assert b"/S /Figure" in pdf and b"/Alt (A bar chart of funding)" in pdf


def test_the_metadata_repeats_the_title_and_lists_each_keyword() -> None:
    packet = xmp_metadata(METADATA).decode("utf-8")
    assert "Mine action &amp; survivors" in packet
    assert "<rdf:li>mines</rdf:li><rdf:li>Azerbaijan</rdf:li>" in packet
    assert "<pdfuaid:part>1</pdfuaid:part>" in packet
