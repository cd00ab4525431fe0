"""Rules on figures: numbers that would print misleadingly, dates after the brief, figures
gone stale, labels that name their own source."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from briefgen.checks.spec_rules.rule import CheckedSpec, variants
from briefgen.errors import Problem
from briefgen.resolve.locale_format import format_number
from briefgen.spec.loader import FieldPath
from briefgen.spec.models import Source, Stat

# Years a count might be: 1900-2100, round hundreds left out (2,000 people is a count).
_LOOKS_LIKE_A_YEAR = (1900, 2100)
_CURRENCY = re.compile(r"[A-Z]{0,3}[$€£¥₼₽₹₺]|[A-Z]{3}|CHF|Fr\.|SFr\.")


def misleading_figures(checked: CheckedSpec) -> Iterator[Problem]:
    """Numbers that would print misleadingly: a fraction shown as a percent, zero, a year
    with a thousands separator; and a currency written as a prefix, which sentences leave
    out."""
    for index, stat in enumerate(checked.spec.stats):
        path: FieldPath = ("stats", index)
        yield from _currency_as_prefix(checked, stat, path)
        yield from _year_as_count(checked, stat, path)
        yield from _fraction_or_zero(checked, stat, path)


def _currency_as_prefix(checked: CheckedSpec, stat: Stat, path: FieldPath) -> Iterator[Problem]:
    currency = next((variant for variant in variants(stat.prefix)
                     if _CURRENCY.fullmatch(variant)), None)
    if currency is not None:
        yield checked.problem((*path, "prefix"),
                              f"{currency!r} looks like a currency, but a prefix is shown only "
                              f"in the callout: sentences citing [@{stat.id}] would lose it",
                              f"write it as unit: {currency} (shown wherever the figure is)",
                              "figure", "warning")


def _year_as_count(checked: CheckedSpec, stat: Stat, path: FieldPath) -> Iterator[Problem]:
    if (stat.format == "count" and stat.decimals is None and stat.value.is_integer()
            and _LOOKS_LIKE_A_YEAR[0] <= stat.value <= _LOOKS_LIKE_A_YEAR[1]
            and stat.value % 100):
        shown = format_number(stat.value, "count", checked.spec.brief.language)
        yield checked.problem((*path, "value"),
                              f"{stat.value:.0f} would print as {shown}; is it a year?",
                              "add format: plain to print it without a thousands separator",
                              "figure", "warning")


def _fraction_or_zero(checked: CheckedSpec, stat: Stat, path: FieldPath) -> Iterator[Problem]:
    if stat.format == "percent" and 0 < abs(stat.value) < 1 and stat.decimals is None:
        yield checked.problem((*path, "value"), f"{stat.value} would print as "
                              f"{format_number(stat.value, 'percent', 'en')}; is it a fraction?",
                              f"write the percentage itself, e.g. {stat.value * 100:g} for "
                              f"{stat.value * 100:g}%", "figure", "warning")
    elif stat.value and not re.search(r"[1-9]", format_number(
            stat.value, stat.format, "en", stat.decimals)):
        yield checked.problem((*path, "value"), f"{stat.value} would print as 0",
                              "give decimals: (e.g. decimals: 3) or a larger unit", "figure",
                              "warning")


def anachronisms(checked: CheckedSpec) -> Iterator[Problem]:
    """A figure, a source or a plotted value dated after the brief itself."""
    brief_date = checked.spec.brief.date
    for path, day in _dates(checked):
        if day is not None and day > brief_date:
            yield checked.problem(path,
                                  f"dated {day.isoformat()}, after the brief itself "
                                  f"({brief_date.isoformat()})",
                                  "a brief cannot cite what was published after it: use the "
                                  "figure available at the time, or correct the date",
                                  "anachronism")


def _dates(checked: CheckedSpec) -> Iterator[tuple[FieldPath, dt.date | None]]:
    """Every date a figure, a source or a chart's series or point refers to."""
    spec = checked.spec
    yield from ((("stats", index, "as_of"), stat.as_of) for index, stat in enumerate(spec.stats))
    yield from ((("sources", index, "date"), source.date)
                for index, source in enumerate(spec.sources))
    for index, chart in enumerate(spec.charts):
        for number, series in enumerate(chart.series):
            path: FieldPath = ("charts", index, "series", number)
            yield (*path, "as_of"), series.as_of
            yield from (((*path, "points", point, "as_of"), value.as_of)
                        for point, value in enumerate(series.points or []))


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (
        1 if later.day < earlier.day else 0)


def stale_figures(checked: CheckedSpec) -> Iterator[Problem]:
    """A figure older than the spec's limit at the event, unless it is a historical fact."""
    event = checked.spec.brief.event.start
    limit = checked.spec.brief.stale_after_months
    for index, stat in enumerate(checked.spec.stats):
        if stat.as_of is None or stat.historical:
            continue
        age = _months_between(stat.as_of, event)
        if age > limit:
            yield checked.problem(("stats", index, "as_of"),
                                  f"figure is {age} months old at the event (limit: {limit})",
                                  "look for a newer figure; for a fact that does not go stale "
                                  "(a past pledge, a war's dates) add historical: true",
                                  "stale-figure", "warning")


def labels_naming_their_source(checked: CheckedSpec) -> Iterator[Problem]:
    """A figure's label that ends by naming its own source in brackets ("landmines
    (Government of Azerbaijan estimate)"): the source line under it names the source
    already, and the bracket's last word is left alone on a line ("estimate)")."""
    sources = {source.id: source for source in checked.spec.sources}
    for index, stat in enumerate(checked.spec.stats):
        source = sources.get(stat.source)
        names = _source_names(source) if source is not None else []
        for path, label in _labels(stat, ("stats", index, "label")):
            bracket = re.search(r"\(([^()]*)\)\s*$", label)
            if bracket and any(name.casefold() in bracket.group(1).casefold()
                               for name in names):
                yield checked.problem(path,
                                      f"the label names its source in brackets "
                                      f"({bracket.group(1)!r}); the source line under the "
                                      "figure names it already",
                                      "drop the bracket: say what the number counts",
                                      "label-source", "warning")


def _source_names(source: Source) -> list[str]:
    """What a label may call a source: its publisher and short names, each also without a
    bracket or a second name after " / "; none of two letters or fewer."""
    names = [source.publisher, *_all_texts(source.short)]
    names += [name.split(" (")[0].split(" / ")[0] for name in list(names)]
    return [name for name in names if len(name) > 2]


def _labels(stat: Stat, path: FieldPath) -> list[tuple[FieldPath, str]]:
    if isinstance(stat.label, dict):
        return [((*path, language), text) for language, text in stat.label.items()]
    return [(path, stat.label)]


def _all_texts(value: str | dict[str, str] | None) -> list[str]:
    if value is None:
        return []
    return list(value.values()) if isinstance(value, dict) else [value]
