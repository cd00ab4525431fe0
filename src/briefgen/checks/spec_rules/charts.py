"""Rules on charts: only values with a named, dated source, at least two of them, in one
unit; a part-of-whole (stacked) chart has no negative parts and, in percent, no more than
100% in a bar."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from briefgen.checks.spec_rules.rule import CheckedSpec
from briefgen.errors import Problem
from briefgen.resolve.charts import chart_number_format, chart_points
from briefgen.spec.loader import FieldPath
from briefgen.spec.models import Chart, ChartSeries, Source, Stat

_OWN_VALUES = "the chart's own values"
# What a plotted value is: where it is given, what it is called in messages, and its unit
# (number format, unit, suffix).
_Unit = tuple[FieldPath, str, tuple[object, ...]]


def chart_rules(checked: CheckedSpec) -> Iterator[Problem]:
    """Every chart of the spec, shown or not, against the rules above."""
    charts = _ChartCheck(checked)
    for index, chart in enumerate(checked.spec.charts):
        yield from charts.check(chart, ("charts", index))


@dataclass
class _ChartCheck:
    checked: CheckedSpec
    stats: dict[str, Stat] = field(init=False)
    sources: dict[str, Source] = field(init=False)

    def __post_init__(self) -> None:
        self.stats = {stat.id: stat for stat in self.checked.spec.stats}
        self.sources = {source.id: source for source in self.checked.spec.sources}

    def check(self, chart: Chart, path: FieldPath) -> Iterator[Problem]:
        if len(chart.categories) < 2:
            what = "parts" if chart.type == "stacked" else "points"
            yield self.checked.problem((*path, "categories"),
                                       f"the chart {chart.id!r} has fewer than two {what}: one "
                                       "number needs no chart", "show it as a key figure in "
                                       "stats instead, or add the values it compares with",
                                       "chart-points")
        for number, series in enumerate(chart.series):
            series_path: FieldPath = (*path, "series", number)
            yield from self._sources(chart, series, series_path)
            if chart.type == "stacked":
                yield from self._parts_of_a_whole(chart, series, series_path)
        yield from self._mixed_units(self._units(chart, path))

    def _sources(self, chart: Chart, series: ChartSeries, path: FieldPath
                 ) -> Iterator[Problem]:
        """Every plotted value names a source, and a date: its own `as_of`, or its
        source's. A series whose values share their source gets one message."""
        for position, (value, source_id, as_of) in enumerate(
                chart_points(chart, series, self.stats)):
            where = _point_path(series, path, position, isinstance(value, str))
            problem = self._undated_or_unsourced(where, source_id, as_of is not None)
            if problem is not None:
                yield problem
                if where == path:
                    return

    def _undated_or_unsourced(self, where: FieldPath, source_id: str | None, dated: bool
                              ) -> Problem | None:
        if source_id is None:
            return self.checked.problem(where, "a plotted value has no source",
                                        "add source: with the id of the publication the values "
                                        "come from (to the series, or to each point)",
                                        "chart-source")
        if source_id in self.sources and not dated and self.sources[source_id].date is None:
            return self.checked.problem(where, f"a plotted value has no date: neither it nor "
                                        f"its source {source_id!r} says when",
                                        "add as_of: (the date the value refers to), or the "
                                        "source's date", "chart-source")
        return None

    def _parts_of_a_whole(self, chart: Chart, series: ChartSeries, path: FieldPath
                          ) -> Iterator[Problem]:
        kind = next(name for name in ("values", "points", "stats")
                    if getattr(series, name) is not None)
        numbers = self._numbers(chart, series)
        for position, value in enumerate(numbers):
            if value < 0:
                yield self.checked.problem((*path, kind, position),
                                           f"a part of a whole cannot be negative ({value:g})",
                                           "plot changes, which can be negative, as a bar or "
                                           "column chart", "chart-negative")
        total = sum(numbers)
        if chart_number_format(chart, [series], self.stats) == "percent" and total > 100 + 1e-9:
            yield self.checked.problem((*path, kind),
                                       f"the parts add up to {total:g}%, more than the whole",
                                       "check the figures: shares of one whole add up to at "
                                       "most 100% (if published shares were rounded up, say so "
                                       "in a note and round one down)", "chart-total")

    def _numbers(self, chart: Chart, series: ChartSeries) -> list[float]:
        """A series' values as numbers (a stat the spec lacks left out)."""
        return [self.stats[value].value if isinstance(value, str) else value
                for value, _, _ in chart_points(chart, series, self.stats)
                if not isinstance(value, str) or value in self.stats]

    def _units(self, chart: Chart, path: FieldPath) -> list[_Unit]:
        """The unit of each plotted value: each stat's own, or the chart's for its own
        values; the chart's `format` first when only stats are plotted."""
        units = [unit for number, series in enumerate(chart.series)
                 for unit in self._series_units(chart, series, (*path, "series", number))]
        if chart.format is not None and units and all(name != _OWN_VALUES
                                                      for _, name, _ in units):
            units.insert(0, ((*path, "format"), "the chart's format",
                             (chart.format, chart.unit, chart.suffix)))
        return units

    def _series_units(self, chart: Chart, series: ChartSeries, path: FieldPath
                      ) -> list[_Unit]:
        if series.stats is None:
            given = "values" if series.values is not None else "points"
            return [((*path, given), _OWN_VALUES,
                     (chart.format or "count", chart.unit, chart.suffix))]
        stats = self.stats
        return [((*path, "stats", position), stat_id,
                 (stats[stat_id].format, stats[stat_id].unit, stats[stat_id].suffix))
                for position, stat_id in enumerate(series.stats) if stat_id in stats]

    def _mixed_units(self, units: list[_Unit]) -> Iterator[Problem]:
        """The first value of another unit than the first value's: one chart plots one
        unit."""
        if not units:
            return
        first = units[0]
        other = next((unit for unit in units[1:] if unit[2] != first[2]), None)
        if other is not None:
            where, name, unit = other
            yield self.checked.problem(where,
                                       f"{name} is {_unit_text(unit)}, but {first[1]} is "
                                       f"{_unit_text(first[2])}: one chart plots one unit",
                                       "plot figures of one unit (and format) together; show "
                                       "the others in another chart or as key figures",
                                       "chart-units")


def _point_path(series: ChartSeries, path: FieldPath, position: int, is_stat: bool
                ) -> FieldPath:
    """Where a plotted value is given: a stat's id, a point, or the series' values."""
    if is_stat:
        return (*path, "stats", position)
    if series.points is not None:
        return (*path, "points", position)
    return path


def _unit_text(unit: tuple[object, ...]) -> str:
    number_format, before, after = unit
    parts = [str(number_format)]
    if before:
        parts.append(f"unit {before!r}")
    if after:
        parts.append(f"suffix {after!r}")
    return " with ".join(parts)
