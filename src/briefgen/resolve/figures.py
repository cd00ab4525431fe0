"""A figure as a version prints it: its number in the language's format, its unit and
suffix, its qualifier in the language's words; an ask's typed amount as such a figure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from briefgen.resolve.language import LocalText, base_language, text_for
from briefgen.resolve.locale_format import NO_BREAK_SPACE, babel_locale, format_number


def affix_text(value: LocalText | None, language: str) -> str:
    """A figure's prefix, unit or suffix for the language, as typed (empty when not given
    for it)."""
    return text_for(value, language) or ""


# Letters that are symbols in every language: currency codes (US$, CHF) and SI units (m², km).
_SYMBOL_WORD = re.compile(r"[A-Z]{2,3}|(?:k|c|m)?m|ha|kg|g|t|l|[kMG]?Wh?")
_CYRILLIC_LANGUAGES = {"ru", "uk", "be", "bg", "kk", "ky", "mk", "mn", "sr", "tg"}


def affix_has_words(text: str, language: str = "") -> bool:
    """Whether a prefix, unit or suffix holds words, which need translating ("more than",
    " d’euros", " долл. США"), rather than symbols every language writes alike ("€", "US$",
    " m²", " km²"). A page in Cyrillic script writes unit symbols in Cyrillic too ("м²",
    "долл. США"), so for such a `language` any Latin letter counts as a word."""
    words = ["".join(char for char in word if char.isalpha())
             for word in re.findall(r"\w+", text)]
    if language.split("-")[0] in _CYRILLIC_LANGUAGES and any(
            "a" <= char.lower() <= "z" for word in words for char in word):
        return True
    return any(word and not _SYMBOL_WORD.fullmatch(word) for word in words)


# A prefix typed as one of these is read as the qualifier it stands for, so specs written
# before `qualifier` existed print words in every language ("~" was "about"); `check` asks
# for `qualifier:` instead.
QUALIFIER_SIGNS = {
    "~": "about", "≈": "about", "about": "about", "around": "about", "approximately": "about",
    "nearly": "nearly", "almost": "nearly", "up to": "up to", "≤": "up to",
    "at least": "at least", "≥": "at least", ">": "more than", "more than": "more than",
    "over": "more than", "<": "less than", "less than": "less than", "fewer than": "fewer than",
}


def read_as_qualifier(prefix: str) -> str | None:
    """The qualifier a prefix stands for ("~" -> about, "more than " -> more than), if any."""
    return QUALIFIER_SIGNS.get(" ".join(prefix.split()).casefold())


def figure_qualifier(figure: Any) -> str | None:
    """A stat's (or a chart's) qualifier: `qualifier:`, else one its prefix is read as (a
    prefix given once, or the same sign in every language)."""
    if getattr(figure, "qualifier", None):
        return str(figure.qualifier)
    prefix = getattr(figure, "prefix", None)
    values = (list(prefix.values()) if isinstance(prefix, dict) else [prefix]) if prefix else []
    read = {read_as_qualifier(value) for value in values}
    return read.pop() if len(read) == 1 and None not in read else None


def printed_figure(figure: Any, language: str, *, with_qualifier: bool = False,
                   value: float | None = None, number_format: str | None = None) -> str:
    """A figure as a version in `language` prints it: unit, number and suffix ("€4.25
    million", "4,25 millions d’euros"); `with_qualifier`, in the page's words ("about 5%",
    "около 5 %", "13%-dən çox"), or with the prefix typed for that language.

    `figure` is a stat, or a chart for one of its own values (`value`, `number_format`).
    A unit that ends in a letter is set apart from the number ("CHF 250"), and so is a
    suffix that starts with one; the number never parts from its first word, though a long
    unit's later words may wrap (see `joined_figure`).
    """
    from briefgen.resolve.locale_format import joined_figure

    number = format_number(figure.value if value is None else value,
                           number_format or figure.format or "count", language,
                           figure.decimals)
    text = joined_figure(affix_text(figure.unit, language), number,
                         affix_text(figure.suffix, language))
    return _qualified_figure(figure, text, language) if with_qualifier else text


def _qualified_figure(figure: Any, text: str, language: str) -> str:
    """`text` with the figure's own words for `language` before it, else its qualifier in
    the language's words, else the free words its prefix has in every language."""
    from briefgen.resolve.locale_format import qualified, qualifier_wording

    prefix = getattr(figure, "prefix", None)
    own = affix_text(prefix, language) if isinstance(prefix, dict) else ""
    if own and read_as_qualifier(own) is None:
        return _prefixed(own, text)  # the writer's own words for this language
    qualifier = figure_qualifier(figure)
    if qualifier is not None:
        wording = qualifier_wording(qualifier, language) or qualifier_wording(qualifier, "en")
        return qualified(text, wording or "{}")
    if isinstance(prefix, str):
        return _prefixed(prefix, text)  # free words written once (`check` names them)
    return text


def _prefixed(prefix: str, figure: str) -> str:
    """A prefix before the figure: its words kept together; a line may end after it."""
    words = " ".join(prefix.split())
    if not words:
        return figure
    joined = words.replace(" ", NO_BREAK_SPACE)
    return f"{joined} {figure}" if words[-1:].isalnum() or prefix.endswith(" ") else (
        joined + figure)


@dataclass(frozen=True)
class AmountFigure:
    """A typed amount as a figure `printed_figure` can print."""

    value: float
    format: str
    decimals: int | None
    qualifier: str | None
    unit: str
    suffix: str
    prefix: None = None


def amount_figure(amount: Any, language: str) -> AmountFigure:
    """A typed amount as a figure in `language`: compact from a million up unless its
    `format` says otherwise, its currency written as the language writes it."""
    number_format = amount.format or ("compact" if amount.value >= 1_000_000 else "count")
    in_millions = number_format == "compact" and amount.value >= 1_000_000
    unit, suffix = currency_affixes(amount.currency, language, in_millions, amount.value)
    decimals = amount.decimals
    if decimals is None and in_millions:
        # Money is not rounded away: €4.25 million stays 4.25 (figures keep one decimal).
        scaled = amount.value / (1e9 if amount.value >= 1e9 else 1e6)
        decimals = next(places for places in (0, 1, 2) if round(scaled, places) == round(
            scaled, 2))
    return AmountFigure(amount.value, number_format, decimals, amount.qualifier, unit, suffix)


def currency_affixes(code: str, language: str, in_millions: bool, value: float
                     ) -> tuple[str, str]:
    """A currency as a figure's unit (before) and suffix (after), in `language`, from
    Babel's CLDR data: English puts the symbol first ("€4.25 million", "US$35 million", "$35
    million" in American English); French writes the name after millions ("4,25 millions
    d’euros") and the symbol after other amounts ("250 000 €"); Russian and Azerbaijani
    write the name ("4,25 млн евро", "250 000 долларов США", "4,25 milyon avro"); other
    languages the symbol where their currency pattern puts it."""
    from babel.numbers import get_currency_symbol

    locale = babel_locale(language)
    base = base_language(language)
    symbol = get_currency_symbol(code, locale=locale)
    if base == "en":
        return symbol, ""
    if base == "fr":
        return ("", " " + symbol) if not in_millions else ("", _french_currency_name(
            code, value, locale))
    if base in ("ru", "az"):
        return "", " " + _currency_name(code, 5 if in_millions else value, locale, base)
    pattern = locale.currency_formats["standard"].pattern
    if pattern.index("¤") < pattern.index("#" if "#" in pattern else "0"):
        return symbol, ""
    return "", " " + symbol


def _french_currency_name(code: str, value: float, locale: Any) -> str:
    """" d’euros", " de dollars des États-Unis": the name after "millions"."""
    from babel.numbers import get_currency_name

    name = get_currency_name(code, count=value, locale=locale)
    return (" d’" if re.match(r"[aeiouyhéèêàâîôû]", name, re.IGNORECASE) else " de ") + name


def _currency_name(code: str, count: float, locale: Any, base: str) -> str:
    """The currency's name for `count` of it. After a scale word ("млн") Russian takes the
    genitive plural, as after 5, so a caller counts millions as 5."""
    from babel.numbers import get_currency_name

    name = get_currency_name(code, count=count, locale=locale)
    if base == "az" and " " not in name:
        name = name.lower()  # CLDR capitalises a one-word name ("Avro") as a heading does
    return name
