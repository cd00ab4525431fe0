"""Translations spliced into a YAML file: the new text in the style of its neighbours, every
other byte as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.translation.yaml_edit import TextChange, UnwritableChange, write_translations

FILE = Path("brief.yaml")


def splice(text: str, *changes: TextChange) -> str:
    return write_translations(text, FILE, list(changes))


def test_a_language_is_added_under_the_others_of_a_block_mapping() -> None:
    text = "# the brief\nsummary:\n  en: Mines block the way.  # keep me\n\nasks: []\n"
    assert splice(text, TextChange(("summary",), "fr", "Les mines barrent la route.")) == (
        "# the brief\nsummary:\n  en: Mines block the way.  # keep me\n"
        "  fr: Les mines barrent la route.\n\nasks: []\n")


def test_a_flow_mapping_takes_the_language_inside_its_braces() -> None:
    text = "title: {en: 'Clearance now', ru: Разминирование}\n"
    assert splice(text, TextChange(("title",), "fr", "Déminer: maintenant")) == (
        "title: {en: 'Clearance now', ru: Разминирование, fr: 'Déminer: maintenant'}\n")


def test_a_text_written_once_becomes_a_mapping_keeping_it_as_typed() -> None:
    text = "brief:\n    place: \"Geneva\"   # the city\n    id: b\n"
    change = TextChange(("brief", "place"), "fr", "Genève", source_key="en", copies=("de",))
    assert splice(text, change) == (
        'brief:\n    place:\n        en: "Geneva"   # the city\n        de: "Geneva"\n'
        '        fr: "Genève"\n    id: b\n')


def test_a_folded_text_is_answered_with_a_folded_translation_at_its_width() -> None:
    text = ("summary:\n  en: >-\n    Mines still block the way home for many\n"
            "    families in the region.\n")
    new = splice(text, TextChange(("summary",), "fr", "Les mines empêchent encore de "
                                  "nombreuses familles de la région de rentrer."))
    widest = max(len(line) for line in text.splitlines())
    assert new.startswith(text)
    assert new[len(text):] == ("  fr: >-\n    Les mines empêchent encore de\n"
                               "    nombreuses familles de la région de\n    rentrer.\n")
    assert all(len(line) <= widest for line in new.splitlines())


def test_an_empty_field_is_filled() -> None:
    text = "quote:\n  translation:\n  text: Words\n"
    assert splice(text, TextChange(("quote", "translation"), "fr", "Mots")) == (
        "quote:\n  translation:\n    fr: Mots\n  text: Words\n")


def test_a_list_item_becomes_a_mapping_in_place() -> None:
    text = "categories: [Kolda, Sédhiou]\n"
    change = TextChange(("categories", 1), "en", "Sedhiou", source_key="fr")
    assert splice(text, change) == "categories: [Kolda, {fr: Sédhiou, en: Sedhiou}]\n"


def test_crlf_line_endings_and_a_translation_replaced_in_its_style() -> None:
    text = "title:\r\n  en: 'Now'\r\n  fr: 'Ancien'\r\n"
    assert splice(text, TextChange(("title",), "fr", "Maintenant")) == (
        "title:\r\n  en: 'Now'\r\n  fr: 'Maintenant'\r\n")


@pytest.mark.parametrize(("text", "path", "reason"), [
    ("summary:\n  en: x\n", ("asks", 0, "detail"), "not found in the file"),
    ("summary: [a, b]\n", ("summary",), "it holds neither a text nor texts per language"),
    ("summary: [a, b]\n", ("summary", "fr"), "its place in the file is not a mapping"),
])
def test_a_change_that_cannot_be_spliced_is_refused(text: str, path: tuple[str | int, ...],
                                                    reason: str) -> None:
    with pytest.raises(UnwritableChange) as raised:
        splice(text, TextChange(path, "fr", "Texte"))
    assert (raised.value.path, raised.value.reason) == (path, reason)
