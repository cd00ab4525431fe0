"""Column and line charts: columns over a baseline or lines through points, with their values
set where they touch no other label, column or point (see `charts.py`)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import NamedTuple

from briefgen.document import Chart
from briefgen.layout.chart_shapes import (
    ASCENT,
    BASELINE,
    DESCENT,
    DOT,
    GAP,
    LINE_WIDTH,
    SLOT_FILL,
    Box,
    ChartText,
    Dot,
    Label,
    Shape,
    Stroke,
    inside,
    value_scale,
)


def headroom(chart: Chart, width: float, text: ChartText) -> float:
    """Room above the plot for the labels over the highest column or point (or for the rows
    of a column chart's labels)."""
    if chart.kind == "column":
        labels = column_labels(chart, width, text)
        if not labels.at_ends:
            return GAP / 2 + labels.rows_above * labels.row_height
    return text.leading + GAP / 2 + (DOT if chart.kind == "line" else 0.0)


def footroom(chart: Chart, width: float, text: ChartText) -> float:
    """Room under the plot for labels under negative columns (or their rows), or under the
    points of the lower lines."""
    values = [value for series in chart.series for value in series.values]
    if chart.kind == "column":
        labels = column_labels(chart, width, text)
        if not labels.at_ends:
            return GAP / 2 + labels.rows_below * labels.row_height if labels.rows_below else 0.0
        below = min(values) < 0
    else:
        below = min(values) < 0 or len(chart.series) > 1
    return text.leading + GAP / 2 + DOT if below else 0.0


class ColumnLabels(NamedTuple):
    """Where a column chart's values go (see `_column_labels`)."""

    at_ends: bool  # each at its column's end; else in rows over (and under) the plot
    x: dict[tuple[int, int], float]  # left edge of each value, by (category, series)
    lines: dict[tuple[int, int], list[str]]  # each value's lines
    row: dict[tuple[int, int], int]  # in rows: the row of each value, from the plot outwards
    rows_above: int
    rows_below: int
    row_height: float


def column_labels(chart: Chart, width: float, text: ChartText) -> ColumnLabels:
    """Where the values of a column chart go, so that none touches another.

    Each is centred over its column, moved in from the chart's edges, and wrapped at spaces
    when wider than the chart. When they are all one line and apart side by side, each is set
    at its column's end (above it, or under it when negative). Otherwise they are set in rows:
    the values of zero or more over the plot, negative ones under it, each in the row nearest
    the plot where it touches no other.
    """
    slot = width / len(chart.categories)
    column = slot * SLOT_FILL / len(chart.series)
    x: dict[tuple[int, int], float] = {}
    lines: dict[tuple[int, int], list[str]] = {}
    widths: dict[tuple[int, int], float] = {}
    for index in range(len(chart.categories)):
        left = slot * index + slot * (1 - SLOT_FILL) / 2
        for number, series in enumerate(chart.series):
            key = (index, number)
            lines[key] = text.wrap(series.labels[index], width, bold=True)
            widths[key] = max(text.width(line, bold=True) for line in lines[key])
            centre = left + column * (number + 0.5)
            x[key] = min(max(centre - widths[key] / 2, 0.0), width - widths[key])
    ordered = sorted(x, key=lambda key: x[key])
    at_ends = all(len(lines[key]) == 1 for key in ordered) and all(
        x[first] + widths[first] + 1 <= x[second]
        for first, second in pairwise(ordered))
    row: dict[tuple[int, int], int] = {}
    counts = []
    for below in (False, True):
        ends: list[float] = []  # the right edge of the last value set in each row
        for key in ordered:
            if (chart.series[key[1]].values[key[0]] < 0) != below:
                continue
            free = next((number for number, end in enumerate(ends) if end + 1 <= x[key]),
                        len(ends))
            if free == len(ends):
                ends.append(0.0)
            ends[free] = x[key] + widths[key]
            row[key] = free
        counts.append(len(ends))
    row_height = max(len(value_lines) for value_lines in lines.values()) * text.leading
    return ColumnLabels(at_ends, x, lines, row, counts[0], counts[1], row_height)


def columns_or_lines(chart: Chart, width: float, top: float, plot: float, text: ChartText,
                     shapes: list[Shape]) -> None:
    """Draw a column or line chart from `top` down, its plot area `plot` tall."""
    count = len(chart.categories)
    slot = width / count
    values = [value for series in chart.series for value in series.values]
    length_of, zero_from_bottom = value_scale(values, plot)
    plot_top = top + headroom(chart, width, text)
    zero = plot_top + plot - zero_from_bottom

    def y_of(value: float) -> float:
        return zero - length_of(value)

    names: list[Label] = []
    base = plot_top + plot + footroom(chart, width, text) + GAP
    for index, category in enumerate(chart.categories):
        centre = slot * (index + 0.5)
        for line_number, line in enumerate(text.wrap(category, slot - 2)):
            names.append(text.label(centre, base + text.size + line_number * text.leading,
                                    line, align="center"))
    if chart.kind == "column":
        _columns(chart, width, y_of, zero, (plot_top, plot_top + plot), text, shapes)
    else:
        _line_chart(chart, slot, (top, base), y_of, text, shapes, names)
    shapes.append(Stroke(((0.0, zero), (width, zero)), text.color, BASELINE))
    shapes.extend(names)


def _columns(chart: Chart, width: float, y_of: Callable[[float], float], zero: float,
             plot: tuple[float, float], text: ChartText, shapes: list[Shape]) -> None:
    """Columns and their values; `plot` is the plot area's top and bottom."""
    slot = width / len(chart.categories)
    column = slot * SLOT_FILL / len(chart.series)
    labels = column_labels(chart, width, text)
    for index in range(len(chart.categories)):
        left = slot * index + slot * (1 - SLOT_FILL) / 2
        for number, series in enumerate(chart.series):
            value = series.values[index]
            end = y_of(value)
            shapes.append(Box(left, min(end, zero), column, abs(zero - end),
                              chart.colors[number % len(chart.colors)]))
            left += column
            key = (index, number)
            value_lines = labels.lines[key]
            if labels.at_ends and value >= 0:
                first = end - GAP / 2 - DESCENT * text.size
            elif labels.at_ends:
                first = end + GAP / 2 + ASCENT * text.size
            elif value >= 0:  # in rows over the plot, the last line nearest it
                first = (plot[0] - GAP / 2 - labels.row[key] * labels.row_height
                         - DESCENT * text.size - (len(value_lines) - 1) * text.leading)
            else:  # in rows under the plot
                first = (plot[1] + GAP / 2 + labels.row[key] * labels.row_height
                         + ASCENT * text.size)
            for line_number, line in enumerate(value_lines):
                shapes.append(text.label(labels.x[key], first + line_number * text.leading,
                                         line, bold=True))


def _line_chart(chart: Chart, slot: float, limits: tuple[float, float],
                y_of: Callable[[float], float], text: ChartText, shapes: list[Shape],
                names: list[Label]) -> None:
    """Lines with their points, and a label beside each point where it has room: above the
    point, or below it for the lower of several lines; the first and last points are
    labelled before those between them."""
    count = len(chart.categories)
    lines: list[tuple[tuple[float, float], ...]] = []
    for number, series in enumerate(chart.series):
        color = chart.colors[number % len(chart.colors)]
        points = tuple((slot * (index + 0.5), y_of(value))
                       for index, value in enumerate(series.values))
        shapes.append(Stroke(points, color, LINE_WIDTH))
        shapes.extend(Dot(x, y, DOT, color) for x, y in points)
        lines.append(points)
    dots = [shape for shape in shapes if isinstance(shape, Dot)]
    placed: list[Label] = list(names)
    order = sorted((0 if index in (0, count - 1) else 1, index, number)
                    for number in range(len(chart.series)) for index in range(count))
    for _, index, number in order:
        candidates = _point_labels(chart, index, number, lines[number][index], text)
        label = _free_place(candidates, slot * count, limits, placed, dots)
        if label is not None:
            placed.append(label)
            shapes.append(label)


def _point_labels(chart: Chart, index: int, number: int, point: tuple[float, float],
                  text: ChartText) -> tuple[Label, Label]:
    """A point's value above and below it, the preferred place first: below for the lowest
    of several lines' points, else above."""
    series = chart.series[number]
    x, y = point
    others = [other.values[index] for other in chart.series if other is not series]
    above = text.label(x, y - DOT - GAP / 2 - DESCENT * text.size, series.labels[index],
                       bold=True, align="center")
    below = above._replace(y=y + DOT + GAP / 2 + ASCENT * text.size)
    return (below, above) if others and series.values[index] < min(others) else (above, below)


def _free_place(candidates: tuple[Label, ...], width: float, limits: tuple[float, float],
                placed: list[Label], dots: list[Dot]) -> Label | None:
    """The first of `candidates`, moved inside the chart, that stays between `limits` (top
    and bottom) and touches no label and no point; None when none does."""
    for candidate in candidates:
        candidate = inside(candidate, width)
        if (candidate.x >= 0 and limits[0] <= candidate.top and candidate.bottom <= limits[1]
                and not any(_overlap(candidate, other) for other in placed)
                and not any(_covers(candidate, dot) for dot in dots)):
            return candidate
    return None


def _overlap(first: Label, second: Label) -> bool:
    return (first.x < second.x + second.width + 1 and second.x < first.x + first.width + 1
            and first.top < second.bottom and second.top < first.bottom)


def _covers(label: Label, dot: Dot) -> bool:
    return (label.x - dot.radius < dot.x < label.x + label.width + dot.radius
            and label.top - dot.radius < dot.y < label.bottom + dot.radius)
