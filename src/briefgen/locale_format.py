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
from babel.dates import format_date, match_skeleton, parse_pattern
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
    """`style` is `count` (3,429), `percent` (13%), `compact` (1.5 million) or `plain` (2025:
    no grouping and, unless `decimals` says otherwise, no rounding; for years and numbers
    that name something, such as resolution 1325)."""
    locale = number_locale(language)
    if style == "plain":
        pattern = "0." + ("0" * decimals if decimals is not None else "#" * 15)
        text = format_decimal(value, format=pattern, locale=locale, decimal_quantization=
                              decimals is not None)
    elif style == "compact":
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
    """`9–11 April 2025`, `April 9–11, 2025`, `30 March – 2 April 2025`, `9—11 апреля 2025 г.`.

    The locale's own interval patterns (CLDR, through Babel) decide the order, the dash and
    what is written once. Why not `babel.dates.format_interval` itself: CLDR gives interval
    patterns with abbreviated months (`yMMMd`: "9–11 Apr 2025") for most locales, and Babel
    uses them as they are, while the page spells months out like its other dates. So the
    pattern Babel's skeleton matching picks is taken from the same data, with its months
    widened (MMM -> MMMM, in the grammatical form the pattern asks for).
    """
    locale = babel_locale(language)
    if end is None or end == start:
        return format_long_date(start, language)
    skeleton = match_skeleton(_RANGE_SKELETON, locale.interval_formats)
    formats = locale.interval_formats.get(skeleton) if skeleton else None
    greatest = ("y" if start.year != end.year else "M" if start.month != end.month else "d")
    patterns = formats.get(greatest) if formats else None
    if not patterns or len(patterns) != 2:
        # No interval data for the locale: both dates in full, as CLDR's fallback does.
        text = f"{format_long_date(start, language)} – {format_long_date(end, language)}"
    else:
        text = "".join(parse_pattern(_spelled_out_months(pattern)).apply(day, locale)
                       for pattern, day in zip(patterns, (start, end), strict=True))
    return _unbreakable_range(text, days_only=greatest == "d")


_RANGE_SKELETON = "yMMMMd"


def _spelled_out_months(pattern: str) -> str:
    """`d MMM y` -> `d MMMM y`: abbreviated months (format or stand-alone) spelled out;
    quoted literals are left alone."""
    parts = re.split(r"('(?:[^']|'')*')", pattern)
    return "".join(part if part.startswith("'") else
                   re.sub(r"(?<![ML])([ML])\1\1(?![ML])", r"\1\1\1\1", part)
                   for part in parts)


def _unbreakable_range(text: str, *, days_only: bool) -> str:
    """White space in a date range as both files can keep it.

    CLDR puts thin spaces around the dash ("9 – 11 April"). Word breaks lines at a thin
    space and the PDF does not, so the two files could break a line differently. Between
    two days of one month the thin spaces are dropped ("9–11 April"), as between the days of
    a month in most of CLDR's locales; around a dash between dates of different months
    they become ordinary spaces ("30 March – 2 April"). A narrow no-break space ("2025 г.")
    becomes a no-break space, as in formatted numbers.
    """
    if days_only:
        text = re.sub(r"\u2009([–—])\u2009", r"\1", text)
    return text.replace("\u2009", " ").replace("\u202f", NO_BREAK_SPACE)
