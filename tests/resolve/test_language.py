"""Which text a version prints of one given per language, and how tags compare."""

from __future__ import annotations

import pytest

from briefgen.resolve.language import (
    first_text,
    language_name,
    pick_language,
    same_language,
    text_for,
    text_or_first,
)

TEXTS = {"en": "Mines", "fr": "Mines (fr)", "fr-CH": "Mines (CH)", "ru": "Мины"}


@pytest.mark.parametrize(("language", "key"), [
    ("fr-CH", "fr-CH"),  # exact
    ("fr-BE", "fr"),  # its base language
    ("en-US", "en"),
    ("az", None),
])
def test_pick_language_prefers_the_exact_tag_then_the_base_language(language: str,
                                                                    key: str | None) -> None:
    assert pick_language(TEXTS, language) == key


def test_a_regional_text_serves_its_base_language_when_nothing_else_does() -> None:
    assert pick_language({"pt-BR": "x"}, "pt") == "pt-BR"


def test_text_for_a_language() -> None:
    assert text_for("Written once", "az") == "Written once"
    assert text_for(TEXTS, "ru") == "Мины"
    assert text_for(TEXTS, "az") is None
    assert text_for(None, "en") is None


def test_names_fall_back_to_the_first_text_written() -> None:
    assert text_or_first(TEXTS, "az") == "Mines"
    assert text_or_first(TEXTS, "ru") == "Мины"
    assert first_text({"ru": "Айтан", "en": "Aytan"}) == "Айтан"


def test_language_tags() -> None:
    assert same_language("fr", "fr-CH") and not same_language("fr", "en")
    assert language_name("az") == "Azerbaijani"
    assert language_name("xx-unknown") == "xx-unknown"
