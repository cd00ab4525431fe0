"""Numbers and dates written the way the brief's reader writes them (CLDR data via Babel).

Why Babel: it carries the Unicode CLDR rules for every locale (separators, month names,
compact "1.5 million" forms), which hand-written tables would get wrong for French or Russian.
Formatted numbers use no-break spaces so they never wrap inside themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_compact_decimal, format_decimal

# A bare language picks the convention its readers in Geneva expect: "en" is British English.
DEFAULT_REGION = {"en": "en_GB"}
NO_BREAK_SPACE = "\u00a0"


def is_known_language(language: str) -> bool:
    """Whether CLDR knows the language of a BCP 47 tag."""
    try:
        Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


# Swiss number formats are broken in recent CLDR data as Babel reads it (1'500'000 comes out
# as 1500000), so numbers in Swiss locales use the language's main locale: 1 500 000 for
# fr-CH, 1.500.000 for de-CH. Dates keep the Swiss locale.
NUMBER_LOCALE_FOR = {"fr_CH": "fr_FR", "de_CH": "de_DE", "it_CH": "it_IT"}


@lru_cache(maxsize=32)
def number_locale(language: str) -> Locale:
    locale = babel_locale(language)
    replacement = NUMBER_LOCALE_FOR.get(str(locale))
    return Locale.parse(replacement) if replacement else locale


# Russian writes large round numbers in the short form (1,5 млн); the others spell it out.
COMPACT_FORMAT: dict[str, Literal["short", "long"]] = {"ru": "short"}


@lru_cache(maxsize=32)
def babel_locale(language: str) -> Locale:
    """The Babel locale for a BCP 47 tag such as `en`, `en-US` or `fr`."""
    tag = language.replace("-", "_")
    tag = DEFAULT_REGION.get(tag, tag)
    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def format_number(value: float, style: str, language: str, decimals: int | None = None) -> str:
    """`style` is `count` (3,429), `percent` (13%) or `compact` (1.5 million)."""
    locale = number_locale(language)
    if style == "compact":
        text = format_compact_decimal(
            value, format_type=COMPACT_FORMAT.get(locale.language, "long"), locale=locale,
            fraction_digits=1 if decimals is None else decimals)
    else:
        places = decimals if decimals is not None else (0 if float(value).is_integer() else 1)
        pattern = "#,##0." + "0" * places if decimals is not None else "#,##0.###"
        number = format_decimal(round(value, places), format=pattern, locale=locale)
        text = _percent(number, locale) if style == "percent" else number
    return text.replace(" ", NO_BREAK_SPACE).replace("\u202f", NO_BREAK_SPACE)


def _percent(number: str, locale: Locale) -> str:
    """Put a formatted number into the locale's percent pattern (`13 %` in French)."""
    pattern = locale.percent_formats[None].pattern.split(";")[0]
    return re.sub(r"[#0,.]+", lambda _: number, pattern, count=1).replace(
        "%", locale.number_symbols["latn"]["percentSign"])


def format_long_date(day: dt.date, language: str) -> str:
    """`24 March 2025` (en), `March 24, 2025` (en-US)."""
    return format_date(day, "long", locale=babel_locale(language))


def format_date_range(start: dt.date, end: dt.date | None, language: str) -> str:
    """`9–11 April 2025`, `April 9–11, 2025`, `30 March – 2 April 2025`."""
    locale = babel_locale(language)
    if end is None or end == start:
        return format_long_date(start, language)
    pattern = locale.date_formats["long"].pattern
    day_first = pattern.strip("'").lstrip().startswith("d")
    if start.year == end.year and start.month == end.month:
        if day_first:
            day = f"{start.day}." if pattern.lstrip("'").startswith("d.") else str(start.day)
            return f"{day}\u2013{format_date(end, 'long', locale=locale)}"
        return (f"{format_date(start, 'MMMM d', locale=locale)}\u2013"
                f"{format_date(end, 'd, y', locale=locale)}")
    if start.year == end.year:
        first = format_skeleton("MMMMd", start, locale=locale)
        return f"{first} \u2013 {format_date(end, 'long', locale=locale)}"
    return f"{format_long_date(start, language)} \u2013 {format_long_date(end, language)}"
