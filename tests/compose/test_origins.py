"""Each span of a composed paragraph says which field of the spec its words came from, after
joining, trimming, typesetting and capitals, with the words and their looks unchanged."""

from __future__ import annotations

from briefgen.compose.origins import split_at_origins
from briefgen.document import Paragraph, Span, iter_blocks
from tests.support import MINIMAL_TEXT, Resolve, replace_once


def test_joined_spans_are_cut_again_where_the_field_changes() -> None:
    before = [Span("Bottom line: "), Span("We ask donors.", origin="summary_ask"),
              Span(" "), Span("Mines remain.", origin="summary")]
    after = [Span("Bottom line: We ask donors. Mines remain.")]
    pieces = split_at_origins(before, after)
    assert [(piece.text, piece.origin) for piece in pieces] == [
        ("Bottom line: ", ""), ("We ask donors.", "summary_ask"), (" ", ""),
        ("Mines remain.", "summary")]


def test_spaces_typesetting_adds_at_a_fields_edge_are_the_templates() -> None:
    """French: a narrow no-break space before the colon that follows a field; capitals."""
    before = [Span("Pourquoi maintenant", origin="sections[0].heading.fr"), Span(":")]
    after = [Span("POURQUOI MAINTENANT\u202f:")]
    pieces = split_at_origins(before, after)
    assert [(piece.text, piece.origin) for piece in pieces] == [
        ("POURQUOI MAINTENANT", "sections[0].heading.fr"), ("\u202f:", "")]


def test_a_span_without_fields_is_left_whole() -> None:
    after = [Span("Our asks", bold=True)]
    assert split_at_origins([Span("Our asks")], after) == after


def field_words(paragraphs: list[Paragraph], origin: str) -> str:
    return "".join(span.text for paragraph in paragraphs for span in paragraph.spans
                   if span.origin == origin)


def test_each_field_of_a_composed_page_is_its_own_spans(resolve: Resolve) -> None:
    text = replace_once(MINIMAL_TEXT, "summary: Landmines still block the way home for many "
                        "families.", "summary: Landmines still **block** the way home for "
                        "many families.")
    _, document = resolve(text)
    paragraphs = [block for block in iter_blocks(document.body)
                  if isinstance(block, Paragraph)]
    assert field_words(paragraphs, "summary") == ("Landmines still block the way home for many "
                                                  "families. We ask donors to fund clearance.")
    assert field_words(paragraphs, "asks[0].headline") == "Fund clearance"
    assert field_words(paragraphs, "asks[0].detail") == ("Support survey and clearance teams "
                                                         "where families plan to return.")
    ask = next(paragraph for paragraph in paragraphs
               if any(span.origin == "asks[0].detail" for span in paragraph.spans))
    # The headline's full stop (bold) and the space after it are the template's.
    assert [(span.text, span.origin) for span in ask.spans][:3] == [
        ("Fund clearance", "asks[0].headline"), (".", ""), (" ", "")]
