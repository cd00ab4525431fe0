"""A chart as one version shows it: its values printed as the page's figures are, the
sources and dates they come from, and the chart in words for readers who do not see it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from briefgen.resolve.figures import affix_text, printed_figure
from briefgen.resolve.language import text_or_first
from briefgen.resolve.locale_format import NO_BREAK_SPACE, babel_locale, format_long_date
from briefgen.spec.inline import Cite
from briefgen.spec.loader import FieldPath
from briefgen.spec.models import BriefSpec, Chart, ChartSeries, Source, Stat

if TYPE_CHECKING:
    from briefgen.resolve.user_text import TextReader, UserText
    from briefgen.resolve.view import BriefView

# A plotted value: a number, or a stat's id; the id of its source; the date it refers to.
ChartPoint = tuple[float | str, str | None, dt.date | None]


@dataclass(frozen=True)
class ChartSeriesView:
    """One series of a chart as the page shows it."""

    name: UserText | None
    values: tuple[float, ...]
    labels: tuple[str, ...]  # each value as printed: qualifier, unit, number, suffix ("~95%")


@dataclass(frozen=True)
class ChartView:
    """A chart resolved for one version: its texts, its values formatted for the language,
    the sources of its values and its description for readers who do not see it."""

    id: str
    type: str
    title: UserText
    subtitle: UserText | None
    note: UserText | None
    categories: tuple[UserText, ...]
    series: tuple[ChartSeriesView, ...]
    sources: tuple[str, ...]  # ids of the sources of its values, in the order of the values
    source_line: str  # who says so and when: "ANAMA, November 2023"
    description: str  # the chart in words, every value with its label (alternative text)
    origin: FieldPath  # ("charts", index)
    number_format: str  # count, percent, compact or plain
    # A stacked chart's key, one entry per part: its name and its value in each bar, which
    # the layout sets as text under the chart ("International donors ~5%").
    key: tuple[dict[str, Any], ...] = ()


def chart_points(chart: Chart, series: ChartSeries, stats: dict[str, Stat]
                 ) -> list[ChartPoint]:
    """A series' values with the source and date of each: (number, or a stat's id; source id;
    the date it refers to)."""
    if series.stats is not None:
        return [_stat_point(stat_id, stats) for stat_id in series.stats]
    if series.points is not None:
        return [(point.value, point.source or series.source, point.as_of or series.as_of)
                for point in series.points]
    return [(value, series.source, series.as_of) for value in series.values or []]


def _stat_point(stat_id: str, stats: dict[str, Stat]) -> ChartPoint:
    stat = stats.get(stat_id)
    return (stat_id, stat.source, stat.as_of) if stat else (stat_id, None, None)


def chart_number_format(chart: Chart, series: list[ChartSeries], stats: dict[str, Stat]) -> str:
    """How a chart's own values are written: its `format`, else that of the first of the
    `series`' stats, else `count`."""
    formats = [stats[stat_id].format for one in series for stat_id in one.stats or []
               if stat_id in stats]
    return chart.format or (formats[0] if formats else "count")


def chart_view(spec: BriefSpec, index: int, view: BriefView, sources: dict[str, Source],
               reader: TextReader) -> ChartView:
    """One chart for this version: every value formatted as the page's figures are, with the
    source and date it comes from."""
    return _ChartResolver(spec, index, view, sources, reader).chart_view()


@dataclass
class _ChartResolver:
    spec: BriefSpec
    index: int
    view: BriefView
    sources: dict[str, Source]
    reader: TextReader
    # Each source of a plotted value, and each (source id, ISO date) pair, in order of use.
    used_sources: dict[str, None] = field(default_factory=dict)
    dated: dict[tuple[str, str], None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.chart = self.spec.charts[self.index]
        self.path: FieldPath = ("charts", self.index)
        self.stats = {stat.id: stat for stat in self.spec.stats}
        self.number_format = chart_number_format(self.chart, self.chart.series, self.stats)

    def chart_view(self) -> ChartView:
        chart, path, read, language = self.chart, self.path, self.reader.read, self.view.language
        self.view.affixes += [((*path, name), typed) for name in ("unit", "suffix")
                              if (typed := affix_text(getattr(chart, name), language))]
        series = tuple(self._series_view(number, one) for number, one in enumerate(chart.series))
        categories = tuple(read(category, (*path, "categories", number), literal=True)
                           for number, category in enumerate(chart.categories))
        title = read(chart.title, (*path, "title"))
        subtitle = read(chart.subtitle, (*path, "subtitle"))
        # A text read as None lacks the version's language: `resolve_brief` raises before
        # the view is used.
        return ChartView(
            id=chart.id, type=chart.type, title=title,  # type: ignore[arg-type]
            subtitle=subtitle, note=read(chart.note, (*path, "note")),
            categories=categories, series=series,  # type: ignore[arg-type]
            sources=tuple(self.used_sources), source_line=self._sources_line(),
            description=self._description(title, subtitle, categories, series),
            origin=path, number_format=self.number_format,
            key=_stacked_key(chart, series, categories))

    def _description(self, title: UserText | None, subtitle: UserText | None,
                     categories: tuple[UserText | None, ...],
                     series: tuple[ChartSeriesView, ...]) -> str:
        kind = self.view.labels.get(f"chart_{self.chart.type}", self.chart.type)
        return chart_description(
            kind, str(title or ""), [str(category or "") for category in categories],
            [(str(one.name) if one.name else "", one.labels) for one in series],
            self._dated_sources(), self.view.language, str(subtitle or ""))

    def _sources_line(self) -> str:
        return "; ".join(source_line(self.sources[source_id], self.view.language)
                         for source_id in self.used_sources)

    def _series_view(self, number: int, series: ChartSeries) -> ChartSeriesView:
        points = chart_points(self.chart, series, self.stats)
        for _, source_id, as_of in points:
            self._note_source(source_id, as_of)
        return ChartSeriesView(
            self.reader.read(series.name, (*self.path, "series", number, "name")),
            tuple(self.stats[point].value if isinstance(point, str) else point
                  for point, _, _ in points),
            tuple(self._printed(point) for point, _, _ in points))

    def _printed(self, point: float | str) -> str:
        """A value as printed: a stat's as its callout prints it."""
        if isinstance(point, str):
            return self.view.cited_value(Cite(point, with_prefix=True))
        return printed_figure(self.chart, self.view.language, with_qualifier=True,
                              value=point, number_format=self.number_format)

    def _note_source(self, source_id: str | None, as_of: dt.date | None) -> None:
        if source_id in self.sources:
            self.used_sources[source_id] = None
            day = as_of or self.sources[source_id].date
            self.dated[(source_id, day.isoformat() if day else "")] = None

    def _dated_sources(self) -> str:
        """Each source once, with the dates its values refer to."""
        days: dict[str, list[str]] = {}
        for source_id, day in self.dated:
            days.setdefault(source_id, []).append(day)
        return "; ".join(
            source_line(self.sources[source_id], self.view.language,
                        full_dates=[dt.date.fromisoformat(day) for day in isos if day])
            for source_id, isos in days.items())


def _stacked_key(chart: Chart, series: tuple[ChartSeriesView, ...],
                 categories: tuple[UserText | None, ...]) -> tuple[dict[str, Any], ...]:
    """A stacked chart's key: each part with its value in each bar."""
    if chart.type != "stacked":
        return ()
    several = len(series) > 1
    return tuple(
        {"name": category,
         "value": ", ".join(f"{one.labels[part]} ({one.name})" if several
                            else one.labels[part] for one in series)}
        for part, category in enumerate(categories))


def chart_description(kind: str, title: str, categories: list[str],
                      series: list[tuple[str, tuple[str, ...]]], sources: str, language: str,
                      subtitle: str = "") -> str:
    """The chart in one sentence, every value with its label, in the page's language and
    punctuation: "Stacked bar chart: Who pays for mine action (Shares of ANAMA’s budget,
    2023): Azerbaijan itself about 95%; International donors about 5% (ANAMA, 28 November
    2023)". Values are printed as on the page, unit and qualifier in words included; each
    source is named once, with the dates its values refer to."""
    from briefgen.resolve.locale_format import typeset

    # French sets a space before a colon and a semicolon (made narrow by `typeset`).
    space = " " if language.split("-")[0] == "fr" else ""
    parts = []
    for name, labels in series:
        values = f"{space}; ".join(f"{category} {label}"
                                   for category, label in zip(categories, labels, strict=True))
        parts.append(f"{name}{space}: {values}" if name else values)
    heading = title.rstrip(".:")
    if subtitle:
        heading += f" ({subtitle.rstrip('.')})"
    sentence = f"{kind}{space}: {heading}{space}: {'. '.join(parts)}"
    text = f"{sentence} ({sources})" if sources else sentence
    return typeset(text, language).replace(NO_BREAK_SPACE, " ")


def source_line(source: Source | None, language: str,
                full_dates: list[dt.date] | None = None) -> str:
    """How a key figure names its source: who (the short name if given) and when (the
    month of its date; or `full_dates`, each in full)."""
    if source is None:
        return ""
    who = text_or_first(source.short or source.publisher, language)
    if full_dates:
        return ", ".join([who, *(format_long_date(day, language) for day in full_dates)])
    if source.date is None:
        return who
    from babel.dates import format_skeleton

    when = format_skeleton("yMMMM", source.date, locale=babel_locale(language))
    return f"{who}, {when.replace(' ', NO_BREAK_SPACE)}"  # "January 2025" stays on one line
