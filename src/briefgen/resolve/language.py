"""A text for a version's language: which of the texts given per language it prints, and how
language tags compare (`fr-CH` is French) and are named ("French")."""

from __future__ import annotations

from collections.abc import Mapping

LocalText = str | dict[str, str]  # a text written once, or once per language
# Languages written right to left, which briefgen cannot lay out yet.
RIGHT_TO_LEFT = {"ar", "arc", "dv", "fa", "he", "ks", "ku", "ps", "sd", "syr", "ug", "ur", "yi"}


def pick_language(texts: Mapping[str, object], language: str) -> str | None:
    """The key of `texts` for `language`: exact (`fr-CH`), else its base language (`fr`)."""
    for candidate in (language, language.split("-")[0]):
        if candidate in texts:
            return candidate
    base = language.split("-")[0]
    return next((key for key in texts if key.split("-")[0] == base), None)


def text_for(value: LocalText | None, language: str) -> str | None:
    """The text `language` prints of a text written once or per language; None when it is
    not given, or given per language without `language`."""
    if isinstance(value, dict):
        chosen = pick_language(value, language)
        return value[chosen] if chosen else None
    return value


def text_or_first(value: LocalText, language: str) -> str:
    """The text for `language`, else the first one written: for names and descriptions,
    which a page prints in another language rather than leave out."""
    chosen = text_for(value, language)
    return first_text(value) if chosen is None else chosen


def first_text(value: LocalText) -> str:
    """A text given once or per language, as messages name it: the first one written."""
    return value if isinstance(value, str) else next(iter(value.values()))


def base_language(tag: str) -> str:
    """`fr` for `fr-CH`."""
    return tag.split("-")[0].lower()


def same_language(first: str, second: str) -> bool:
    """Whether two tags name the same language (`fr` and `fr-CH` do)."""
    return base_language(first) == base_language(second)


def language_name(tag: str) -> str:
    """`French` for `fr`, `Azerbaijani` for `az`: the language's English name (CLDR)."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(tag.replace("-", "_")).get_display_name("en")
    except (UnknownLocaleError, ValueError):
        return tag
    return str(name) if name else tag
