"""Numbers and dates as the brief's readers write them; numbers never break across lines."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from babel.dates import format_date

from briefgen.resolve.locale_format import (
    QUALIFIER_WORDING,
    QUALIFIERS,
    azerbaijani_case,
    babel_locale,
    format_date_range,
    format_long_date,
    format_number,
    joined_figure,
    qualified,
    qualifier_wording,
    typeset,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "style", "language", "decimals", "expected"), [
    (1_500_000, "compact", "en-GB", None, f"1.5{NBSP}million"),
    (1_500_000, "compact", "en", None, f"1.5{NBSP}million"),
    (35_000_000, "compact", "en-US", 0, f"35{NBSP}million"),
    (4_250_000, "compact", "en-GB", 2, f"4.25{NBSP}million"),
    (13, "percent", "en-GB", None, "13%"),
    (13.4, "percent", "en-GB", None, "13.4%"),
    (3429, "count", "en-GB", None, "3,429"),
    (3429, "count", "en-US", 0, "3,429"),
    (1_234_567.891, "count", "en", 2, "1,234,567.89"),
    (13, "percent", "fr", None, f"13{NBSP}%"),
    (3429, "count", "fr", None, f"3{NBSP}429"),
    (1_500_000, "compact", "fr", None, f"1,5{NBSP}million"),
])
def test_format_number(value: float, style: str, language: str, decimals: int | None,
                       expected: str) -> None:
    assert format_number(value, style, language, decimals) == expected


@pytest.mark.parametrize("language", ["en", "en-GB", "en-US", "fr", "de", "ru", "az", "es",
                                      "nb", "pl", "uk"])
@pytest.mark.parametrize(("value", "style", "decimals"), [
    (1_500_000, "compact", None), (35_000_000, "compact", 0), (13, "percent", None),
    (13.25, "percent", 1), (3429, "count", None), (1_234_567.891, "count", 2),
    (250_000, "count", None),
])
def test_formatted_numbers_never_wrap(language: str, value: float, style: str,
                                      decimals: int | None) -> None:
    text = format_number(value, style, language, decimals)
    breakable = [char for char in text if char.isspace() and char != NBSP]
    assert not breakable, f"{text!r} can break at {breakable!r}"
    assert "\u202f" not in text  # the shipped font has no narrow no-break space


NNBSP = "\u202f"


@pytest.mark.parametrize(("start", "end", "language", "expected"), [
    ((2025, 4, 9), (2025, 4, 11), "en-GB", "9–11 April 2025"),
    ((2025, 4, 9), (2025, 4, 11), "en", "9–11 April 2025"),
    ((2025, 4, 9), (2025, 4, 11), "en-US", "April 9–11, 2025"),
    ((2025, 4, 9), (2025, 4, 11), "fr", "9–11 avril 2025"),
    ((2025, 4, 9), (2025, 4, 11), "fr-CH", "9–11 avril 2025"),
    # Russian: between numbers the en dash of the text's ranges ("2025–2026"), where CLDR
    # has an em dash; the month in the genitive, "г." kept with the year.
    ((2025, 4, 9), (2025, 4, 11), "ru", f"9–11 апреля 2025{NBSP}г."),
    ((2025, 4, 9), (2025, 4, 11), "az", "9–11 aprel 2025"),
    ((2025, 4, 9), (2025, 4, 11), "de-CH", "9.–11. April 2025"),
    ((2025, 4, 9), (2025, 4, 11), "es", "9–11 de abril de 2025"),
    ((2025, 3, 30), (2025, 4, 2), "en-GB", "30 March – 2 April 2025"),
    ((2025, 3, 30), (2025, 4, 2), "en-US", "March 30 – April 2, 2025"),
    ((2025, 3, 30), (2025, 4, 2), "fr", "30 mars – 2 avril 2025"),
    ((2025, 3, 30), (2025, 4, 2), "ru", f"30 марта — 2 апреля 2025{NBSP}г."),
    ((2025, 3, 30), (2025, 4, 2), "az", "30 mart – 2 aprel 2025"),
    ((2025, 3, 30), (2025, 4, 2), "de-CH", "30. März – 2. April 2025"),
    ((2025, 12, 30), (2026, 1, 2), "en-GB", "30 December 2025 – 2 January 2026"),
    ((2025, 12, 30), (2026, 1, 2), "en-US", "December 30, 2025 – January 2, 2026"),
    ((2025, 12, 30), (2026, 1, 2), "fr", "30 décembre 2025 – 2 janvier 2026"),
    ((2025, 12, 30), (2026, 1, 2), "ru",
     f"30 декабря 2025{NBSP}г. — 2 января 2026{NBSP}г."),
    ((2025, 12, 30), (2026, 1, 2), "de-CH", "30. Dezember 2025 – 2. Januar 2026"),
    ((2025, 4, 9), None, "en-GB", "9 April 2025"),
    ((2025, 4, 9), (2025, 4, 9), "en-US", "April 9, 2025"),
])
def test_format_date_range(start: tuple[int, int, int], end: tuple[int, int, int] | None,
                           language: str, expected: str) -> None:
    assert format_date_range(dt.date(*start), dt.date(*end) if end else None,
                             language) == expected


@pytest.mark.parametrize("language", ["en", "en-US", "fr", "ru", "az", "de-CH", "uk", "pl"])
@pytest.mark.parametrize(("start", "end"), [((2025, 4, 9), (2025, 4, 11)),
                                            ((2025, 3, 30), (2025, 4, 2))])
def test_date_ranges_spell_out_months_and_keep_their_days_together(
        language: str, start: tuple[int, int, int], end: tuple[int, int, int]) -> None:
    """Months as the page's other dates write them, never abbreviated; no thin or narrow
    spaces, at which Word would break a line where the PDF does not."""
    text = format_date_range(dt.date(*start), dt.date(*end), language)
    month = format_date(dt.date(*end), "MMMM", locale=babel_locale(language))
    assert month in text, (text, month)
    assert "\u2009" not in text and NNBSP not in text
    if start[1] == end[1]:
        assert re.search(r"\d\.?[–—]\d", text), text


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "24 March 2025"), ("en-GB", "24 March 2025"), ("en-US", "March 24, 2025"),
    ("fr", "24 mars 2025"),
])
def test_format_long_date(language: str, expected: str) -> None:
    assert format_long_date(dt.date(2025, 3, 24), language) == expected


@pytest.mark.parametrize(("value", "language", "decimals", "expected"), [
    (2025, "en", None, "2025"),
    (2025, "fr", None, "2025"),
    (2025, "ru", None, "2025"),
    (1325, "en-US", None, "1325"),
    (12345678, "en", None, "12345678"),  # no grouping
    (12.345, "en", None, "12.345"),  # no rounding
    (12.345, "fr", None, "12,345"),
    (3.5, "en", 2, "3.50"),
])
def test_plain_numbers_are_neither_grouped_nor_rounded(value: float, language: str,
                                                       decimals: int | None,
                                                       expected: str) -> None:
    assert format_number(value, "plain", language, decimals) == expected


# ---------------------------------------------------------------------------------------------
# Rounding: half away from zero, decimals honoured exactly


@pytest.mark.parametrize(("value", "style", "decimals", "expected"), [
    (0.125, "percent", 2, "0.13%"),  # half to even (Babel's default) printed 0.12%
    (2_500_000, "compact", 0, f"3{NBSP}million"),  # not 2 million
    (1_050_000, "compact", 1, f"1.1{NBSP}million"),  # not 1 million
    (1_000_000, "compact", 1, f"1.0{NBSP}million"),  # one decimal asked for, one printed
    (1_000_000, "compact", None, f"1{NBSP}million"),
    (999_999, "compact", None, f"1{NBSP}million"),  # rounds into the next magnitude
    (-2_500_000, "compact", 0, f"-3{NBSP}million"),
    (2.25, "count", None, "2.3"),
    (2.5, "count", 0, "3"),
    (1.005, "plain", 2, "1.01"),
    (13.25, "percent", 1, "13.3%"),
])
def test_numbers_round_half_away_from_zero_with_the_decimals_asked_for(
        value: float, style: str, decimals: int | None, expected: str) -> None:
    assert format_number(value, style, "en", decimals) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", f"3{NBSP}millions"), ("ru", f"3{NBSP}млн"), ("az", f"3{NBSP}milyon")])
def test_compact_rounding_in_other_languages(language: str, expected: str) -> None:
    assert format_number(2_500_000, "compact", language, 0) == expected
    assert format_number(1_000, "compact", "fr", None) == "mille"  # CLDR's own word


# ---------------------------------------------------------------------------------------------
# Qualifiers in each language's words


@pytest.mark.parametrize(("qualifier", "figure", "language", "expected"), [
    ("about", f"1,5{NBSP}million", "fr", f"environ 1,5{NBSP}million"),
    ("up to", f"60{NBSP}%", "fr", f"jusqu’à 60{NBSP}%"),
    ("more than", f"13{NBSP}%", "fr", f"plus{NBSP}de 13{NBSP}%"),
    ("at least", "5", "fr", f"au{NBSP}moins 5"),
    ("nearly", "800 000", "fr", f"près{NBSP}de 800 000"),
    ("about", f"1,5{NBSP}млн", "ru", f"около 1,5{NBSP}млн"),
    ("at least", "5", "ru", f"не{NBSP}менее 5"),
    ("up to", "60 %", "ru", "до 60 %"),
    ("more than", "13%", "en", f"more{NBSP}than 13%"),
    # Azerbaijani puts these after the figure, in the case it governs, with the vowel
    # harmony of the figure as read aloud; a hyphen joins the ending to digits and symbols.
    ("more than", "13%", "az", "13%-dən çox"),  # faiz
    ("more than", f"1,5{NBSP}milyon", "az", f"1,5{NBSP}milyondan çox"),
    ("more than", "400", "az", "400-dən çox"),  # yüz
    ("more than", "60", "az", "60-dan çox"),  # altmış
    ("less than", "3.429", "az", "3.429-dan az"),  # doqquz
    ("up to", "60%", "az", "60%-ə qədər"),
    ("up to", "6", "az", "6-ya qədər"),  # altı: a y after a vowel
    ("nearly", "800.000", "az", "800.000-ə yaxın"),  # min
    ("nearly", f"35{NBSP}milyon{NBSP}ABŞ{NBSP}dolları", "az",
     f"35{NBSP}milyon{NBSP}ABŞ{NBSP}dollarına yaxın"),  # a possessive compound takes an n
    ("about", f"1,5{NBSP}milyon", "az", f"təxminən 1,5{NBSP}milyon"),
    ("at least", "5", "az", f"ən{NBSP}azı 5"),
])
def test_a_qualifier_is_printed_in_the_version_s_words(qualifier: str, figure: str,
                                                       language: str, expected: str) -> None:
    wording = qualifier_wording(qualifier, language)
    assert wording is not None
    assert qualified(figure, wording) == expected


@pytest.mark.parametrize(("figure", "ablative", "dative"), [
    ("20", "20-dən", "20-yə"),  # iyirmi: front vowels, a y before the dative after a vowel
    ("30", "30-dan", "30-a"),  # otuz: back vowels
    ("1,5", "1,5-dən", "1,5-ə"),  # "bir tam onda beş"
    ("13%", "13%-dən", "13%-ə"),  # faiz
    ("250 €", "250 €-dan", "250 €-ya"),  # avro
    ("45 km", "45 km-dən", "45 km-ə"),  # kilometr
    ("3 m²", "3 m²-dən", "3 m²-ə"),  # metr
    ("2 manat", "2 manatdan", "2 manata"),  # a word takes its ending directly
    ("4 ABŞ dolları", "4 ABŞ dollarından", "4 ABŞ dollarına"),  # a possessive compound
    (f"1,5{NBSP}milyon", f"1,5{NBSP}milyondan", f"1,5{NBSP}milyona"),  # not a compound
])
def test_azerbaijani_case_endings_follow_the_figure_as_read_aloud(figure: str, ablative: str,
                                                                  dative: str) -> None:
    assert azerbaijani_case(figure, "ablative") == ablative
    assert azerbaijani_case(figure, "dative") == dative


def test_every_language_briefgen_writes_words_every_qualifier() -> None:
    assert set(QUALIFIER_WORDING) == {"en", "fr", "ru", "az"}
    for wordings in QUALIFIER_WORDING.values():
        assert set(wordings) == set(QUALIFIERS)
    assert qualifier_wording("about", "de") is None


@pytest.mark.parametrize(("typed", "language", "expected"), [
    # A number typed with its thousands apart never breaks: narrow no-break spaces in French.
    ("afin que 120 000 élèves", "fr", f"afin que 120{NNBSP}000 élèves"),
    ("1 250 000 people", "en", f"1{NBSP}250{NBSP}000 people"),
    ("1 250 000 человек", "ru", f"1{NBSP}250{NBSP}000 человек"),
    (f"800{NBSP}000", "fr", f"800{NNBSP}000"),  # as Babel formats it
    # ... nor before its sign.
    ("Les 250 000 € de", "fr", f"Les 250{NNBSP}000{NNBSP}€ de"),
    ("5 % et 3,5 ‰", "fr", f"5{NNBSP}% et 3,5{NNBSP}‰"),
    ("€250 or 250 €", "en", f"€250 or 250{NBSP}€"),
    # Not what only looks like it: a year before a number, a phone number's pairs.
    ("en 2020 150 000 élèves", "fr", "en 2020 150 000 élèves"),
    ("in 2023 18 were accredited", "en", "in 2023 18 were accredited"),
    # A phone number in international form is one piece, its spaces full width.
    ("+41 22 000 00 00", "fr", f"+41{NBSP}22{NBSP}000{NBSP}00{NBSP}00"),
    ("+44 (0)20 7946 0000", "en", f"+44{NBSP}(0)20{NBSP}7946{NBSP}0000"),
    # A Russian year keeps its "г." with a no-break space, whichever space was typed.
    (f"в 2025 г. и 2024{NNBSP}г., 2020–2021 гг.", "ru",
     f"в 2025{NBSP}г. и 2024{NBSP}г., 2020–2021{NBSP}гг."),
])
def test_numbers_typed_in_text_never_break(typed: str, language: str, expected: str) -> None:
    assert typeset(typed, language) == expected


@pytest.mark.parametrize(("unit", "number", "suffix", "expected"), [
    # The number and its first word stay together; a long unit's later words may wrap.
    ("", f"6,5{NBSP}millions", " de dollars US", f"6,5{NBSP}millions de dollars{NBSP}US"),
    ("", f"850{NBSP}000", " dollars US", f"850{NBSP}000{NBSP}dollars{NBSP}US"),
    ("", f"18{NBSP}500", " долл. США", f"18{NBSP}500{NBSP}долл.{NBSP}США"),
    ("", f"9,45{NBSP}milyon", " ABŞ dolları", f"9,45{NBSP}milyon{NBSP}ABŞ dolları"),
    ("", f"1.13{NBSP}million", " m²", f"1.13{NBSP}million{NBSP}m²"),
    ("", "120", " per family", f"120{NBSP}per family"),
    # Symbols: joined, or set apart by a no-break space when they are letters.
    ("€", f"4.25{NBSP}million", "", f"€4.25{NBSP}million"),
    ("CHF", "250", "", f"CHF{NBSP}250"),
    ("", "5", "%", "5%"),
    ("", "250", "m²", f"250{NBSP}m²"),
])
def test_a_figure_keeps_its_number_with_its_first_word(unit: str, number: str, suffix: str,
                                                       expected: str) -> None:
    assert joined_figure(unit, number, suffix) == expected


def test_french_quotes_and_russian_full_stops() -> None:
    assert typeset("«texte»", "fr") == "«\u202ftexte\u202f»"
    assert typeset("« texte »", "fr") == "«\u202ftexte\u202f»"
    assert typeset("https://example.org/a:b", "fr") == "https://example.org/a:b"
    assert typeset("идти до конца.»", "ru") == "идти до конца»."
    assert typeset("Что делать?»", "ru") == "Что делать?»"
    assert typeset("и так далее...»", "ru") == "и так далее...»"
