"""A text written once is replaced in place, as typed around it: the rest of the file stays
byte for byte (comments, quoting, folding, CRLF line endings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.translation.yaml_edit import TextChange, UnwritableChange, write_translations

SPEC = """brief:
  id: demo   # the brief's id
  title: 'Clearance: families go home'
intro: >-
  Thank you: the EU's project is the largest international contribution to mine action in
  Azerbaijan to date.
categories: [Kolda, "Sédhiou"]
summary: {en: Mines remain., fr: Les mines restent.}
"""


def replaced(text: str, *changes: TextChange) -> str:
    return write_translations(text, Path("spec.yaml"), list(changes))


def test_a_quoted_text_stays_quoted_and_its_neighbours_untouched() -> None:
    new = replaced(SPEC, TextChange(("brief", "title"), "", "Clearance: families return"))
    assert new == SPEC.replace("'Clearance: families go home'", "'Clearance: families return'")


def test_a_folded_text_is_folded_again_at_its_width() -> None:
    new = replaced(SPEC, TextChange(("intro",), "", "Thank you: the EU's project is the "
                                    "largest international contribution so far."))
    assert new == SPEC.replace(
        "Thank you: the EU's project is the largest international contribution to mine action "
        "in\n  Azerbaijan to date.",
        "Thank you: the EU's project is the largest international contribution so far.")


def test_a_list_item_and_a_language_of_a_flow_mapping_are_replaced_in_place() -> None:
    new = replaced(SPEC, TextChange(("categories", 1), "", "Sédhiou region"),
                   TextChange(("summary",), "fr", "Des mines restent."))
    assert new == SPEC.replace('"Sédhiou"', '"Sédhiou region"').replace(
        "fr: Les mines restent.", "fr: Des mines restent.")


def test_crlf_line_endings_stay() -> None:
    crlf = SPEC.replace("\n", "\r\n")
    new = replaced(crlf, TextChange(("brief", "title"), "", "Clearance now"))
    assert new == crlf.replace("'Clearance: families go home'", "'Clearance now'")


def test_a_mapping_is_not_replaced_by_a_text() -> None:
    with pytest.raises(UnwritableChange):
        replaced(SPEC, TextChange(("brief",), "", "flat"))
