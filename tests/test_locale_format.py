"""Numbers and dates as the brief's readers write them; numbers never break across lines."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.locale_format import format_date_range, format_long_date, format_number

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


@pytest.mark.parametrize(("start", "end", "language", "expected"), [
    ((2025, 4, 9), (2025, 4, 11), "en-GB", "9–11 April 2025"),
    ((2025, 4, 9), (2025, 4, 11), "en", "9–11 April 2025"),
    ((2025, 4, 9), (2025, 4, 11), "en-US", "April 9–11, 2025"),
    ((2025, 4, 9), (2025, 4, 11), "fr", "9–11 avril 2025"),
    ((2025, 3, 30), (2025, 4, 2), "en-GB", "30 March – 2 April 2025"),
    ((2025, 3, 30), (2025, 4, 2), "en-US", "March 30 – April 2, 2025"),
    ((2025, 12, 30), (2026, 1, 2), "en-GB", "30 December 2025 – 2 January 2026"),
    ((2025, 4, 9), None, "en-GB", "9 April 2025"),
    ((2025, 4, 9), (2025, 4, 9), "en-US", "April 9, 2025"),
])
def test_format_date_range(start: tuple[int, int, int], end: tuple[int, int, int] | None,
                           language: str, expected: str) -> None:
    assert format_date_range(dt.date(*start), dt.date(*end) if end else None,
                             language) == expected


@pytest.mark.parametrize(("start", "end", "expected"), [
    ((2025, 4, 9), (2025, 4, 11), "9.–11. April 2025"),
    ((2025, 3, 30), (2025, 4, 2), "30. März – 2. April 2025"),
])
def test_german_date_ranges_keep_the_day_dots(start: tuple[int, int, int],
                                              end: tuple[int, int, int], expected: str) -> None:
    # German writes days as ordinals ("9. April"); CLDR's long date pattern says so.
    assert format_date_range(dt.date(*start), dt.date(*end), "de") == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "24 March 2025"), ("en-GB", "24 March 2025"), ("en-US", "March 24, 2025"),
    ("fr", "24 mars 2025"),
])
def test_format_long_date(language: str, expected: str) -> None:
    assert format_long_date(dt.date(2025, 3, 24), language) == expected
