"""Rules on sources: complete, cited, and their full list at an address one can type."""

from __future__ import annotations

from collections.abc import Iterator

from briefgen.checks.spec_rules.rule import CheckedSpec
from briefgen.errors import Problem
from briefgen.resolve.charts import chart_points
from briefgen.spec.inline import Cite, Inline, SourceCite, parse_inline, walk
from briefgen.spec.models import AskAmount, BriefSpec, Chart, Stat
from briefgen.spec.validate import ask_lists, quote_lists, text_fields

# Characters a reader types from paper without losing their place; up to this, the QR code
# beside the address keeps squares of 0.34 mm or more (version 4 at most), which phones read.
SHORT_ADDRESS = 40


def incomplete_sources(checked: CheckedSpec) -> Iterator[Problem]:
    """A source without its date or address: readers check sources."""
    for index, source in enumerate(checked.spec.sources):
        missing = [name for name, value in (("date", source.date), ("url", source.url))
                   if value is None]
        if missing:
            yield checked.problem(("sources", index), f"source {source.id!r} has no "
                                  f"{' and no '.join(missing)}",
                                  "readers check sources: give the publication date and address",
                                  "source-incomplete", "warning")


def unused_sources(checked: CheckedSpec) -> Iterator[Problem]:
    """A source nothing cites: it is not printed."""
    cited = cited_source_ids(checked.spec)
    for index, source in enumerate(checked.spec.sources):
        if source.id not in cited:
            yield checked.problem(("sources", index, "id"),
                                  f"source {source.id!r} is not cited, so it is not printed",
                                  "cite it from a stat or a quote, or as [^source-id] in a "
                                  "text; or delete it", "unused-source", "warning")


def cited_source_ids(spec: BriefSpec) -> set[str]:
    """Sources that something on some version of the page cites."""
    return (_callout_sources(spec) | _quote_sources(spec) | _chart_sources(spec)
            | _amount_sources(spec) | _text_sources(spec))


def _callout_sources(spec: BriefSpec) -> set[str]:
    """The sources of the figures some version shows as callouts."""
    by_id = {stat.id: stat.source for stat in spec.stats}
    return {by_id[stat_id] for stat_id in _shown_ids(spec, "stats") if stat_id in by_id}


def _shown_ids(spec: BriefSpec, name: str) -> set[str]:
    """The ids of the `stats` (or `charts`) some version shows: the featured ones, and
    those an audience picks."""
    shown = {item.id for item in getattr(spec, name) if item.featured}
    for audience in spec.audiences:
        shown |= set(getattr(audience, name) or [])
    return shown


def _quote_sources(spec: BriefSpec) -> set[str]:
    return {quote.source for _, quotes in quote_lists(spec) for quote in quotes if quote.source}


def _chart_sources(spec: BriefSpec) -> set[str]:
    """The sources of the values of the charts some version shows."""
    stats = {stat.id: stat for stat in spec.stats}
    shown = _shown_ids(spec, "charts")
    return {source for chart in spec.charts if chart.id in shown
            for source in _plotted_sources(chart, stats)}


def _plotted_sources(chart: Chart, stats: dict[str, Stat]) -> set[str]:
    return {source for series in chart.series
            for _, source, _ in chart_points(chart, series, stats) if source}


def _amount_sources(spec: BriefSpec) -> set[str]:
    """The sources of asks' amounts: their own, or their stat's."""
    stat_sources = {stat.id: stat.source for stat in spec.stats}
    sources = {_amount_source(ask.amount, stat_sources) for _, asks in ask_lists(spec)
               for ask in asks if ask.amount}
    return {source for source in sources if source}


def _amount_source(amount: AskAmount, stat_sources: dict[str, str]) -> str | None:
    return amount.source or stat_sources.get(amount.stat or "")


def _text_sources(spec: BriefSpec) -> set[str]:
    """Sources a text cites: through a figure (`[@id]`) or by id (`[^id]`)."""
    stat_sources = {stat.id: stat.source for stat in spec.stats}
    cited = (_cited_source(node, stat_sources) for _, text in text_fields(spec)
             for node in walk(parse_inline(text)))
    return {source for source in cited if source}


def _cited_source(node: Inline, stat_sources: dict[str, str]) -> str | None:
    match node:
        case Cite(stat_id=stat_id):
            return stat_sources.get(stat_id)
        case SourceCite(source_id=source_id):
            return source_id
    return None


def sources_address(checked: CheckedSpec) -> Iterator[Problem]:
    """The full sources' address is printed for typing in: a long one is a chore."""
    from briefgen.resolve.view import short_address

    printed = short_address(checked.spec.brief.sources_url) or ""
    if len(printed) > SHORT_ADDRESS:
        yield checked.problem(("brief", "sources_url"),
                              f"the address prints as {printed!r}, {len(printed)} characters: "
                              "hard to type from paper, and its QR code's squares get too "
                              "small for some phones to read",
                              f"use a short link of at most {SHORT_ADDRESS} characters",
                              "sources-url", "warning")
