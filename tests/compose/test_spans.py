"""A paragraph's spans tidied: neighbours alike joined, the layout's white space trimmed."""

from __future__ import annotations

from briefgen.compose.spans import merged_spans, trimmed_spans, upper_case
from briefgen.document import Span


def test_neighbours_that_look_alike_are_one_span_keeping_the_first_origin() -> None:
    spans = [Span("Mines ", origin=""), Span("kill", origin="sections[0].body"),
             Span("", bold=True), Span(" daily", bold=True)]
    assert merged_spans(spans) == [Span("Mines kill", origin="sections[0].body"),
                                   Span(" daily", bold=True)]


def test_a_figure_joined_with_words_is_no_longer_one_piece() -> None:
    (merged,) = merged_spans([Span("70%", figure=True), Span(" of them")])
    assert merged.text == "70% of them" and not merged.figure


def test_markers_of_different_sources_stay_apart() -> None:
    spans = [Span("4", superscript=True, reference="a"), Span("5", superscript=True,
                                                              reference="b")]
    assert merged_spans(spans) == spans


def test_the_layouts_white_space_at_the_ends_is_dropped() -> None:
    spans = [Span(" "), Span("  Ask: ", bold=True), Span("fund it.  "), Span(" ")]
    assert trimmed_spans(spans) == [Span("Ask: ", bold=True), Span("fund it.")]


def test_capitals_keep_the_dotted_i_of_azerbaijani() -> None:
    assert upper_case("minalar", "az") == "MİNALAR"
    assert upper_case("minalar", "en-GB") == "MINALAR"
