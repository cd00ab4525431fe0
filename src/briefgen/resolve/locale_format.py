"""Numbers and dates written the way the brief's reader writes them (CLDR data via Babel).

Why Babel: it carries the Unicode CLDR rules for every locale (separators, month names,
compact "1.5 million" forms), which hand-written tables would get wrong for French or Russian.
Formatted numbers use no-break spaces so they never wrap inside themselves.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, match_skeleton, parse_pattern
from babel.numbers import format_decimal
from babel.numbers import parse_pattern as parse_number_pattern

# A bare language picks the convention its readers in Geneva expect: "en" is British English.
DEFAULT_REGION = {"en": "en_GB"}
NO_BREAK_SPACE = "\u00a0"
NARROW_NO_BREAK_SPACE = "\u202f"


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
    that name something, such as resolution 1325).

    `decimals` is honoured exactly ("1.0 million" with one decimal); without it a number
    shows at most one decimal, and none that is zero. Rounding is half away from zero, on
    the number as written (0.125 -> 0.13, 2.5 million -> 3 million), as statistical offices
    round. Why not Babel's rounding: it rounds half to even (2.5 million -> 2 million), and
    its compact form drops the decimals `decimals` asks for.
    """
    locale = number_locale(language)
    number = Decimal(repr(float(value)))  # the shortest decimal that is this float: 1.05
    if style == "plain":
        if decimals is None:
            text = format_decimal(number, format="0." + "#" * 15, locale=locale,
                                  decimal_quantization=False)
        else:
            text = format_decimal(_rounded(number, decimals), format=_places("0", decimals),
                                  locale=locale)
    elif style == "compact":
        text = _compact(number, locale, decimals)
    else:
        places = decimals if decimals is not None else (0 if number == number.to_integral()
                                                        else 1)
        rounded = _rounded(number, places)
        pattern = _places("#,##0", places) if decimals is not None else "#,##0.###"
        text = format_decimal(rounded, format=pattern, locale=locale)
        text = _percent(text, locale) if style == "percent" else text
    return text.replace(" ", NO_BREAK_SPACE).replace("\u202f", NO_BREAK_SPACE)


def joined_figure(unit: str, number: str, suffix: str) -> str:
    """A figure's unit, number and suffix as the page sets them ("€4.25 million", "CHF 250",
    "6,5 millions de dollars US"): the number never parts from its first word (a unit
    before it, the word of a compact number, or else the suffix's first word), while a long
    unit's later words may go to the next line like any words, where one unbreakable piece
    would leave a ragged line. A symbol or short abbreviation ("m²", "US", "США") stays with
    the word before it.

    A unit that ends in a letter is set apart from the number, and so is a suffix that
    starts with one ("CHF 250", "250 m²").
    """
    if unit[-1:].isalpha():
        unit += " "
    if suffix[:1].isalpha():
        suffix = " " + suffix
    head = (unit + number).replace(" ", NO_BREAK_SPACE)
    first, *words = suffix.split(" ")
    head += first  # what follows the number directly: "%", "²" (empty after a space)
    words = [word for word in words if word]
    if words and not first and not number.rstrip()[-1:].isalpha():
        head += NO_BREAK_SPACE + words.pop(0)  # "850 000 dollars", "12 €"
    for word in words:
        head += (NO_BREAK_SPACE if _symbol(word) else " ") + word
    return head


def _symbol(word: str) -> bool:
    """A short symbol or abbreviation ("m²", "US", "США", "t"), which stays with the word
    before it, unlike a short word in lower case ("de", "of")."""
    return len(word) <= 3 and not (len(word) >= 2 and word.isalpha() and word.islower())


def _rounded(number: Decimal, places: int) -> Decimal:
    """`number` to `places` decimals, half away from zero."""
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _places(integer_pattern: str, places: int) -> str:
    return integer_pattern + ("." + "0" * places if places else "")


def _compact(number: Decimal, locale: Locale, decimals: int | None) -> str:
    """`1.5 million`, `1,5 млн`: CLDR's compact patterns for the locale (through Babel's
    data), with the number rounded half up to `decimals` (default: one, shown when not 0).

    Follows CLDR's algorithm as Babel does (the largest magnitude not above the number; a
    number that rounds up into the next magnitude takes that one: 999,999 is "1 million"),
    rounding half up instead of half to even.
    """
    formats = locale.compact_decimal_formats[COMPACT_FORMAT.get(locale.language, "long")]
    magnitudes = sorted((int(magnitude) for magnitude in formats["other"]), reverse=True)
    places = 1 if decimals is None else decimals
    for index, magnitude in enumerate(magnitudes):
        if abs(number) < magnitude:
            continue
        pattern = parse_number_pattern(formats["other"][str(magnitude)])
        if pattern.pattern == "0":
            break
        divisor = magnitude // 10 ** (pattern.pattern.count("0") - 1)
        scaled = _rounded(number / divisor, places)
        if index and abs(scaled) * divisor >= magnitudes[index - 1]:
            return _compact(Decimal(magnitudes[index - 1]).copy_sign(number), locale, decimals)
        if decimals is None:
            scaled = _rounded(scaled, 0) if scaled == scaled.to_integral() else scaled
        return _in_compact_pattern(scaled, str(magnitude), formats, locale)
    whole = 0 if decimals is None else decimals
    return format_decimal(_rounded(number, whole), format=_places("#,##0", whole),
                          locale=locale)


def _in_compact_pattern(scaled: Decimal, magnitude: str, formats: Any, locale: Locale) -> str:
    """A number already scaled and rounded, in the magnitude's pattern for its plural form.

    The pattern's own rendering (its quoting, its sign, French "mille"), with exactly the
    decimals of the number, so Babel's rounding changes nothing."""
    plural = locale.plural_form(abs(scaled))
    if scaled == 1 and magnitude in formats.get("1", {}):
        plural = "1"
    chosen = formats.get(plural, formats["other"])
    pattern = copy.copy(parse_number_pattern(chosen.get(magnitude, formats["other"][magnitude])))
    pattern.frac_prec = (max(0, -int(scaled.as_tuple().exponent)),) * 2
    return str(pattern.apply(scaled, locale))


def _percent(number: str, locale: Locale) -> str:
    """Put a formatted number into the locale's percent pattern (`13 %` in French)."""
    pattern = locale.percent_formats[None].pattern.split(";")[0]
    return re.sub(r"[#0,.]+", lambda _: number, pattern, count=1).replace(
        "%", locale.number_symbols["latn"]["percentSign"])


def format_long_date(day: dt.date, language: str) -> str:
    """`24 March 2025` (en), `March 24, 2025` (en-US)."""
    return format_date(day, "long", locale=babel_locale(language))


def format_date_range(start: dt.date, end: dt.date | None, language: str) -> str:
    """`9–11 April 2025`, `April 9–11, 2025`, `30 March – 2 April 2025`, `9–11 апреля 2025 г.`.

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
        # Between two numbers a range takes the en dash, as in the text ("2025–2026"), also
        # where CLDR gives an em dash (Russian "9—11 апреля"): Russian typesetters keep the
        # em dash for punctuation between words and set number ranges with the en dash.
        text = re.sub(r"(?<=\d)—(?=\d)", "–", text)
    return text.replace("\u2009", " ").replace("\u202f", NO_BREAK_SPACE)


# A figure's qualifier, in the words of each language briefgen writes. "{}" stands for the
# figure as printed ("13%", "1,5 млн"); the words are chosen to fit any number. Russian takes
# forms that read before any numeral, whatever its case ("около", "более", "не менее", "до"),
# French the usual "environ", "plus de", "jusqu’à". Azerbaijani says most of them after the
# figure, which then takes a case ending, as its press writes them: "400-dən çox", "83 milyon
# nəfərdən çox", "2,5%-ə qədər", "1 trilyon ABŞ dollarına yaxın"; `{from}` marks the ablative
# ("from") and `{to}` the dative ("to") ending (see `azerbaijani_case`). "About" and "at least"
# stand before it: "təxminən", "ən azı".
QUALIFIERS = ("about", "nearly", "up to", "at least", "more than", "fewer than", "less than")
QUALIFIER_WORDING: dict[str, dict[str, str]] = {
    "en": {"about": "about {}", "nearly": "nearly {}", "up to": "up to {}",
           "at least": "at least {}", "more than": "more than {}",
           "fewer than": "fewer than {}", "less than": "less than {}"},
    "fr": {"about": "environ {}", "nearly": "près de {}", "up to": "jusqu’à {}",
           "at least": "au moins {}", "more than": "plus de {}",
           "fewer than": "moins de {}", "less than": "moins de {}"},
    "ru": {"about": "около {}", "nearly": "почти {}", "up to": "до {}",
           "at least": "не менее {}", "more than": "более {}",
           "fewer than": "менее {}", "less than": "менее {}"},
    "az": {"about": "təxminən {}", "nearly": "{}{to} yaxın", "up to": "{}{to} qədər",
           "at least": "ən azı {}", "more than": "{}{from} çox",
           "fewer than": "{}{from} az", "less than": "{}{from} az"},
}


def qualifier_wording(qualifier: str, language: str) -> str | None:
    """The pattern for `qualifier` in `language` ("about {}"), or None when briefgen has no
    words for it in that language."""
    return QUALIFIER_WORDING.get(language.split("-")[0].lower(), {}).get(qualifier)


def qualified(figure: str, wording: str) -> str:
    """`figure` with its qualifier's words around it: "more than 13%", "13%-dən çox".

    The qualifier's own words never part ("more than" stays together); a line may break
    between them and the figure (the figure itself never breaks), which a narrow column needs.
    """
    before, _, after = wording.partition("{}")
    text = figure
    for mark, case in (("{from}", "ablative"), ("{to}", "dative")):
        if mark in after:
            text = azerbaijani_case(figure, case)
            after = after.replace(mark, "")
    if before:
        text = before.rstrip().replace(" ", NO_BREAK_SPACE) + " " + text
    if after.strip():
        text = text + " " + after.strip().replace(" ", NO_BREAK_SPACE)
    return text


# How the end of a figure is read aloud in Azerbaijani, for its case ending: the last word
# of the number ("1,5" is "bir tam onda beş", so "beş"), the percent sign ("faiz"), a unit
# symbol, or the figure's last written word.
_AZ_ONES = ("", "bir", "iki", "üç", "dörd", "beş", "altı", "yeddi", "səkkiz", "doqquz")
_AZ_TENS = ("", "on", "iyirmi", "otuz", "qırx", "əlli", "altmış", "yetmiş", "səksən", "doxsan")
_AZ_GROUPS = ("", "min", "milyon", "milyard", "trilyon")
_AZ_SYMBOLS = {"%": "faiz", "€": "avro", "$": "dollar", "₼": "manat", "£": "funt",
               "₽": "rubl", "m": "metr", "km": "kilometr", "sm": "santimetr", "kq": "kiloqram",
               "t": "ton", "l": "litr"}
_BACK_VOWELS = "aıou"
_VOWELS = _BACK_VOWELS + "eəiöü"


# The case endings after back (a ı o u) and front vowels, and the consonant each takes
# between a final vowel and its ending ("iyirmi" -> "20-yə").
_CASE_ENDINGS = {"ablative": ("dan", "dən"), "dative": ("a", "ə")}
_AFTER_VOWEL = {"ablative": "", "dative": "y"}


class _SpokenEnd(NamedTuple):
    """How a figure ends when read aloud: the last word, what joins the ending to the
    figure ("-" after digits, symbols and abbreviations), and whether that word carries the
    possessive ending of a compound ("ABŞ dolları")."""

    word: str
    joiner: str
    possessive: bool = False


def azerbaijani_case(figure: str, case: str) -> str:
    """`figure` in the `ablative` ("from": "400-dən", "13%-dən", "1,5 milyondan") or `dative`
    ("to": "60%-ə", "800 minə", "20-yə") case.

    The ending follows the vowel harmony of the last word read aloud: back vowels (a ı o u)
    take -dan / -a, front ones -dən / -ə; after a vowel the dative takes a y ("iyirmi" ->
    "20-yə"). It is joined with a hyphen to digits and symbols, as Azerbaijani spelling has
    it ("2020-ci", "400-dən"), and directly to a word. A unit that is a compound of two
    nouns ("ABŞ dolları") carries the possessive ending, after which the case ending takes
    an n: "ABŞ dollarından", "ABŞ dollarına".
    """
    text = figure.rstrip()
    spoken = _spoken_end(text)
    vowels = [char for char in spoken.word.lower() if char in _VOWELS]
    back = bool(vowels) and vowels[-1] in _BACK_VOWELS
    link = ("n" if spoken.possessive else
            _AFTER_VOWEL[case] if spoken.word[-1:].lower() in _VOWELS else "")
    return f"{text}{spoken.joiner}{link}{_CASE_ENDINGS[case][0 if back else 1]}"


def _spoken_end(text: str) -> _SpokenEnd:
    last = text[-1:]
    if last.isdigit():
        return _SpokenEnd(_azerbaijani_number_word(text), "-")
    if last.isalpha():
        return _spoken_word(text)
    letters = re.search(r"([^\W\d_]+)\W*$", text)
    symbol = letters.group(1) if letters and last in "²³" else last  # "m²" is read "metr"
    return _SpokenEnd(_AZ_SYMBOLS.get(symbol, "faiz"), "-")


def _spoken_word(text: str) -> _SpokenEnd:
    """A figure that ends in a word: a unit symbol read as its name ("km"), an abbreviation
    without vowels joined with a hyphen ("mln-"), or a word, possessive as the second noun
    of a compound ("ABŞ dolları")."""
    *before, word = re.split(r"[^\w]+", text)
    possessive = (word[-1] in "ıiuü" and bool(before) and before[-1].isalpha()
                  and before[-1] not in _AZ_GROUPS and word[-2:-1] not in _VOWELS)
    abbreviation = not any(vowel in word.lower() for vowel in _VOWELS)
    return _SpokenEnd(_AZ_SYMBOLS.get(word, word), "-" if abbreviation else "", possessive)


def _azerbaijani_number_word(text: str) -> str:
    """The last word of the number at the end of `text`, as read aloud."""
    number = re.search(r"(\d[\d.\u00a0 ]*)(?:,(\d+))?$", text)
    if number is None:
        return "bir"
    fraction = (number.group(2) or "").rstrip("0")
    digits = fraction or re.sub(r"\D", "", number.group(1))
    value = int(digits) if digits else 0
    if value == 0:
        return "sıfır"
    group = 0
    while value % 1000 == 0:
        value //= 1000
        group += 1
    if group:
        return _AZ_GROUPS[min(group, len(_AZ_GROUPS) - 1)]
    if value % 10:
        return _AZ_ONES[value % 10]
    if value % 100:
        return _AZ_TENS[value // 10 % 10]
    return "yüz"


# A number written with its digits in groups of three ("120 000", "1 250 000"), as the writer
# typed it, with any space; not a run of groups of other sizes, such as a phone number
# ("+41 22 000 00 00"), nor a group that a number before it could own ("2020 150 000").
_GROUPED_NUMBER = re.compile(
    r"(?<!\d)(?<!\d[ \u00a0\u202f])\d{1,3}(?:[ \u00a0\u202f]\d{3})+"
    r"(?![\d]|[ \u00a0\u202f]\d)")
_GROUP_SEPARATOR = re.compile(r"[ \u00a0\u202f]")
# A telephone number in international form ("+41 22 000 00 00", "+44 (0)20 7946 0000").
_PHONE_NUMBER = re.compile(r"\+\d[\d ()./\u00a0-]*\d")
# A space between a number and its percent, per mille or euro sign ("13 %", "250 000 €").
_SPACE_BEFORE_SIGN = re.compile(r"(?<=\d)[ \u00a0\u202f](?=[%‰€])")
_FRENCH_SPACING = [
    (re.compile(r"[ \u00a0]+(?=[;:!?»])"), NARROW_NO_BREAK_SPACE),  # before ; : ! ? »
    (re.compile(r"(?<![ \u00a0\u202f])(?=»)"), NARROW_NO_BREAK_SPACE),  # "texte»" too
    (re.compile(r"(?<=«)(?:[ \u00a0]+|(?![ \u00a0\u202f]))"), NARROW_NO_BREAK_SPACE),  # after «
]
# Russian sets no space inside «», and a sentence's full stop after the closing one; a year
# keeps its "г." (or "гг.") on its line, after a no-break space.
_RUSSIAN_FULL_STOP = re.compile(r"(?<!\.)\.»")
_RUSSIAN_YEAR = re.compile(r"(?<=\d)[ \u202f](?=гг?\.)")


def typeset(text: str, language: str) -> str:
    """Typographic spaces and order the reader's language asks for.

    In every language, a number typed with its thousands apart ("120 000") and a number
    before its %, ‰ or € sign never break across lines: those spaces become no-break ones,
    narrow in French (an eighth of an em). So do the spaces of a telephone number written
    with its country code ("+41 22 000 00 00"), full width in every language. French also
    takes narrow no-break spaces before ; : ! ? and inside « ». Russian keeps a year and its
    "г." together with a no-break space, and sets a quoted sentence's full stop after the
    closing » ("до конца»."), not inside it.
    """
    base = language.split("-")[0]
    french = base == "fr"
    space = NARROW_NO_BREAK_SPACE if french else NO_BREAK_SPACE
    if any(char.isdigit() for char in text):
        if "+" in text:
            text = _PHONE_NUMBER.sub(lambda phone: phone[0].replace(" ", NO_BREAK_SPACE), text)
        text = _GROUPED_NUMBER.sub(lambda number: _GROUP_SEPARATOR.sub(space, number[0]), text)
        text = _SPACE_BEFORE_SIGN.sub(space, text)
        if base == "ru":
            text = _RUSSIAN_YEAR.sub(NO_BREAK_SPACE, text)
    if base == "ru":
        return _RUSSIAN_FULL_STOP.sub("».", text) if "»" in text else text
    if not french:
        return text
    for pattern, replacement in _FRENCH_SPACING:
        text = pattern.sub(replacement, text)
    return text
