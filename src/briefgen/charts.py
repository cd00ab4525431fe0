"""Chart geometry: the shapes of a `Chart` block at a given size, in points, for any backend.

A chart is drawn as rectangles, lines, dots and labels, computed here from its data, its size
and its label style; `render/pdf_chart.py` draws them on the PDF's canvas. Positions are
measured from the chart's top-left corner, `y` growing downwards as the layout's do.

What a delegate should grasp at a glance, so every chart type labels its values directly
(no value axis to read across) and no label is ever smaller than the label style or overlaps
another:

- `bar`: one row per category, its name above its bars, each value at the end of its bar;
- `column`: columns over a baseline, values above, category names under them (wrapped, and
  cut inside a word only when a word is wider than its column);
- `line`: a line per series over the categories, values beside the points; where two would
  overlap, points inside the line lose theirs before its first and last do (the chart's
  description still says every value);
- `stacked`: parts of a whole in one bar per series; the key naming each part with its colour
  and value is text the layout sets under the chart (`ChartView.key`), so both files carry
  its words and a screen reader reads it as a list.

Several series of a bar, column or line chart get a legend above the chart. Heights:
each chart has a preferred and a minimum height (`chart_heights`), between which only its bars
and plot area change; labels keep their size.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import NamedTuple

from reportlab.pdfbase.pdfmetrics import stringWidth

from briefgen.document import Chart, Color, FontFamily, ParagraphStyle
from briefgen.layout import register_fonts

GAP = 4.0  # between a bar and its label, between rows of a key
SWATCH = 0.8  # of the label size: the side of a legend's colour square
BASELINE = 0.75  # thickness of the zero line
LINE_WIDTH = 1.5
DOT = 2.2  # radius of a line chart's points
BAR = (6.0, 11.0)  # bar thickness: at the minimum height, at the preferred height
STACKED_BAR = (11.0, 17.0)
CATEGORY_GAP = (3.0, 6.0)  # between categories of a bar chart
PLOT = (34.0, 60.0)  # plot height of column and line charts
SLOT_FILL = 0.62  # share of a category's width its columns take
ASCENT, DESCENT = 0.78, 0.24  # of the size: how far a label reaches above and below its baseline


class Box(NamedTuple):
    """A filled rectangle; `y` is its top."""

    x: float
    y: float
    width: float
    height: float
    color: Color


class Stroke(NamedTuple):
    """A straight line through `points`."""

    points: tuple[tuple[float, float], ...]
    color: Color
    width: float


class Dot(NamedTuple):
    x: float
    y: float
    radius: float
    color: Color


class Label(NamedTuple):
    """Text set from `x` (its left edge) on the baseline `y`."""

    x: float
    y: float
    text: str
    size: float
    bold: bool
    color: Color
    width: float

    @property
    def top(self) -> float:
        return self.y - ASCENT * self.size

    @property
    def bottom(self) -> float:
        return self.y + DESCENT * self.size


Shape = Box | Stroke | Dot | Label


class ChartShapes(NamedTuple):
    width: float
    height: float
    shapes: tuple[Shape, ...]

    def labels(self) -> list[Label]:
        return [shape for shape in self.shapes if isinstance(shape, Label)]


class _Text:
    """Measures and wraps labels in the chart's style."""

    def __init__(self, fonts: FontFamily, style: ParagraphStyle) -> None:
        names = register_fonts(fonts)
        self.regular = names[(False, style.italic)]
        self.bold = names[(True, style.italic)]
        self.size = style.font_size
        self.leading = style.leading
        self.color = style.color

    def width(self, text: str, bold: bool = False) -> float:
        return float(stringWidth(text, self.bold if bold else self.regular, self.size))

    def label(self, x: float, baseline: float, text: str, bold: bool = False,
              align: str = "left") -> Label:
        width = self.width(text, bold)
        left = x - width if align == "right" else x - width / 2 if align == "center" else x
        return Label(left, baseline, text, self.size, bold, self.color, width)

    def wrap(self, text: str, width: float, bold: bool = False) -> list[str]:
        """Lines of `text` at most `width` wide: broken at spaces (never at a no-break space),
        and inside a word only when the word alone is wider."""
        lines: list[str] = []
        current = ""
        for word in text.split(" "):
            trial = f"{current} {word}" if current else word
            if self.width(trial, bold) <= width + 1e-6:
                current = trial
                continue
            if current:
                lines.append(current)
            current = ""
            while self.width(word, bold) > width + 1e-6 and len(word) > 1:
                cut = max(1, max(index for index in range(1, len(word) + 1)
                                 if index == 1 or self.width(word[:index], bold) <= width))
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        if current or not lines:
            lines.append(current)
        return lines


def chart_heights(chart: Chart, width: float, style: ParagraphStyle, fonts: FontFamily
                  ) -> tuple[float, float]:
    """The chart's preferred and minimum height at `width`: what its labels need, with bars
    and plot area at their comfortable and their smallest size."""
    text = _Text(fonts, style)
    fixed, flexible_min, flexible_max = _parts(chart, width, text)
    return round(fixed + flexible_max, 2), round(fixed + flexible_min, 2)


def _parts(chart: Chart, width: float, text: _Text) -> tuple[float, float, float]:
    """Height of what is fixed (labels, gaps), and of what flexes, at least and at most."""
    legend = _legend_height(chart, width, text)
    bars = len(chart.series)
    if chart.kind == "stacked":
        names = text.leading if bars > 1 else 0.0
        fixed = legend + bars * names + (bars - 1) * GAP
        return fixed, bars * STACKED_BAR[0], bars * STACKED_BAR[1]
    if chart.kind == "bar":
        lines = sum(len(text.wrap(category, width)) for category in chart.categories)
        gaps = len(chart.categories) - 1
        fixed = (legend + lines * text.leading + len(chart.categories) * (bars - 1)
                 + len(chart.categories) * _overhang(text))
        bar_count = len(chart.categories) * bars
        low, high = _bar_thickness(chart, text)
        return (fixed, bar_count * low + gaps * CATEGORY_GAP[0],
                bar_count * high + gaps * CATEGORY_GAP[1])
    slot = width / len(chart.categories)
    lines = max(len(text.wrap(category, slot - 2)) for category in chart.categories)
    fixed = (legend + _headroom(chart, slot, text) + _footroom(chart, slot, text) + GAP
             + lines * text.leading + _overhang(text))
    return fixed, PLOT[0], PLOT[1]


def _overhang(text: _Text) -> float:
    """How far a line of labels reaches below its leading (its descent, past the line)."""
    return max(0.0, text.size * (1 + DESCENT) - text.leading)


def _bar_thickness(chart: Chart, text: _Text) -> tuple[float, float]:
    """Thinnest and comfortable bars: at least as thick as their labels are tall, so a label
    at a bar's end never reaches the name above it or the next bar's label."""
    least = max(BAR[0], (ASCENT + DESCENT) * text.size)
    return least, max(least, BAR[1])


def _headroom(chart: Chart, slot: float, text: _Text) -> float:
    """Room above the plot for the labels over the highest column or point."""
    room = text.leading + GAP / 2 + (DOT if chart.kind == "line" else 0.0)
    return room + text.leading * (_stagger_rows(chart, slot, text) - 1)


def _footroom(chart: Chart, slot: float, text: _Text) -> float:
    """Room under the plot for labels under negative columns, or under the points of the
    lower lines."""
    values = [value for series in chart.series for value in series.values]
    if chart.kind == "column":
        below = min(values) < 0 and _stagger_rows(chart, slot, text) == 1
    else:
        below = min(values) < 0 or len(chart.series) > 1
    return text.leading + GAP / 2 + DOT if below else 0.0


def draw_chart(chart: Chart, width: float, height: float, style: ParagraphStyle,
               fonts: FontFamily) -> ChartShapes:
    """The chart's shapes in a `width` x `height` box (height at least its minimum)."""
    text = _Text(fonts, style)
    fixed, low, high = _parts(chart, width, text)
    # How far the flexible parts are between their smallest and comfortable size.
    share = 1.0 if high <= low else max(0.0, min(1.0, (height - fixed - low) / (high - low)))
    shapes: list[Shape] = []
    top = _legend(chart, width, text, shapes)
    if chart.kind == "stacked":
        _stacked(chart, width, top, share, text, shapes)
    elif chart.kind == "bar":
        _bars(chart, width, top, share, text, shapes)
    else:
        plot = PLOT[0] + share * (PLOT[1] - PLOT[0])
        _columns_or_lines(chart, width, top, plot, text, shapes)
    return ChartShapes(width, height, tuple(shapes))


def _between(pair: tuple[float, float], share: float) -> float:
    return pair[0] + share * (pair[1] - pair[0])


# ---------------------------------------------------------------------------------------------
# Legend


def _legend_entries(chart: Chart) -> list[tuple[str, Color]]:
    if chart.kind == "stacked" or len(chart.series) < 2:
        return []
    return [(series.name, chart.colors[index % len(chart.colors)])
            for index, series in enumerate(chart.series)]


def _legend_rows(chart: Chart, width: float, text: _Text) -> list[list[tuple[str, Color, float]]]:
    """Legend entries set in rows as wide as the chart: (name, colour, width with swatch)."""
    rows: list[list[tuple[str, Color, float]]] = []
    used = width + 1
    for name, color in _legend_entries(chart):
        entry = text.size * SWATCH + 3 + min(text.width(name), width - text.size)
        if used + 8 + entry > width:
            rows.append([])
            used = -8
        rows[-1].append((name, color, entry))
        used += 8 + entry
    return rows


def _legend_height(chart: Chart, width: float, text: _Text) -> float:
    rows = _legend_rows(chart, width, text)
    return len(rows) * text.leading + (GAP if rows else 0.0)


def _legend(chart: Chart, width: float, text: _Text, shapes: list[Shape]) -> float:
    """Draw the legend; returns where the chart below it starts."""
    y = 0.0
    for row in _legend_rows(chart, width, text):
        x = 0.0
        baseline = y + text.size
        for name, color, entry in row:
            swatch = text.size * SWATCH
            shapes.append(Box(x, baseline - swatch, swatch, swatch, color))
            label = _fitted(name, entry - swatch - 3, text)
            shapes.append(text.label(x + swatch + 3, baseline, label))
            x += entry + 8
        y += text.leading
    return y + (GAP if y else 0.0)


def _fitted(name: str, width: float, text: _Text) -> str:
    """A name cut with "…" to `width`, for a legend entry wider than the whole chart."""
    if text.width(name) <= width + 1e-6:
        return name
    while name and text.width(name + "…") > width:
        name = name[:-1]
    return name + "…"


# ---------------------------------------------------------------------------------------------
# Horizontal bars


def _scale(values: Iterable[float], room: float) -> tuple[float, float]:
    """Points per unit and where zero is, for values drawn in `room` points."""
    values = list(values)
    low, high = min(0.0, *values), max(0.0, *values)
    span = high - low or 1.0
    return room / span, -low * room / span


def _bars(chart: Chart, width: float, top: float, share: float, text: _Text,
          shapes: list[Shape]) -> None:
    thickness = _between(_bar_thickness(chart, text), share)
    gap = _between(CATEGORY_GAP, share)
    labels = [label for series in chart.series for label in series.labels]
    label_room = max(text.width(label, bold=True) for label in labels) + GAP
    values = [value for series in chart.series for value in series.values]
    negative = any(value < 0 for value in values)
    room = width - label_room * (2 if negative else 1)
    per_unit, zero = _scale(values, room)
    zero += label_room if negative else 0.0
    y = top
    for index, category in enumerate(chart.categories):
        for line in text.wrap(category, width):
            shapes.append(text.label(0.0, y + text.size, line))
            y += text.leading
        y += _overhang(text)
        for number, series in enumerate(chart.series):
            value, label = series.values[index], series.labels[index]
            length = abs(value) * per_unit
            left = zero - length if value < 0 else zero
            shapes.append(Box(left, y, length, thickness,
                              chart.colors[number % len(chart.colors)]))
            baseline = y + thickness / 2 + text.size * (ASCENT - DESCENT) / 2
            if value < 0:
                shapes.append(text.label(left - GAP, baseline, label, bold=True, align="right"))
            else:
                shapes.append(text.label(left + length + GAP, baseline, label, bold=True))
            y += thickness + (1.0 if number < len(chart.series) - 1 else 0.0)
        y += gap
    if negative:
        shapes.append(Stroke(((zero, top), (zero, y - gap)), text.color, BASELINE))


# ---------------------------------------------------------------------------------------------
# Columns and lines


def _stagger_rows(chart: Chart, slot: float, text: _Text) -> int:
    """In how many rows the value labels of a column chart are set, so that neighbours never
    touch: one, at the columns' ends, when each fits over its column's share of the width;
    else two or three rows over the plot, each label above its column, every other (or
    third) one a line higher."""
    if chart.kind != "column":
        return 1
    widest = max(text.width(label, bold=True) for series in chart.series
                 for label in series.labels)
    pitch = slot * SLOT_FILL / len(chart.series) if len(chart.series) > 1 else slot
    return max(1, min(3, math.ceil((widest + 1) / pitch)))


def _columns_or_lines(chart: Chart, width: float, top: float, plot: float, text: _Text,
                      shapes: list[Shape]) -> None:
    count = len(chart.categories)
    slot = width / count
    headroom, footroom = _headroom(chart, slot, text), _footroom(chart, slot, text)
    values = [value for series in chart.series for value in series.values]
    per_unit, zero_from_bottom = _scale(values, plot)
    plot_top = top + headroom
    zero = plot_top + plot - zero_from_bottom

    def y_of(value: float) -> float:
        return zero - value * per_unit

    names: list[Label] = []
    base = plot_top + plot + footroom + GAP
    for index, category in enumerate(chart.categories):
        centre = slot * (index + 0.5)
        for line_number, line in enumerate(text.wrap(category, slot - 2)):
            names.append(text.label(centre, base + text.size + line_number * text.leading,
                                    line, align="center"))
    if chart.kind == "column":
        _columns(chart, slot, y_of, zero, plot_top, text, shapes)
    else:
        _lines(chart, slot, (top, base), y_of, text, shapes, names)
    shapes.append(Stroke(((0.0, zero), (width, zero)), text.color, BASELINE))
    shapes.extend(names)


def _columns(chart: Chart, slot: float, y_of: Callable[[float], float], zero: float,
             plot_top: float, text: _Text, shapes: list[Shape]) -> None:
    series_count = len(chart.series)
    column = slot * SLOT_FILL / series_count
    rows = _stagger_rows(chart, slot, text)
    for index in range(len(chart.categories)):
        left = slot * index + slot * (1 - SLOT_FILL) / 2
        for number, series in enumerate(chart.series):
            value, label = series.values[index], series.labels[index]
            end = y_of(value)
            shapes.append(Box(left, min(end, zero), column, abs(zero - end),
                              chart.colors[number % len(chart.colors)]))
            if rows > 1:  # in rows over the plot, level with each other
                row = (index * series_count + number) % rows
                baseline = plot_top - GAP / 2 - DESCENT * text.size - row * text.leading
            elif value >= 0:
                baseline = end - GAP / 2 - DESCENT * text.size
            else:
                baseline = end + GAP / 2 + ASCENT * text.size
            shapes.append(text.label(left + column / 2, baseline, label, bold=True,
                                     align="center"))
            left += column


def _lines(chart: Chart, slot: float, limits: tuple[float, float],
           y_of: Callable[[float], float], text: _Text, shapes: list[Shape],
           names: list[Label]) -> None:
    """Lines with their points, and a label beside each point where it has room: above the
    point, or below it for the lower of several lines; the first and last points are
    labelled before those between them."""
    count = len(chart.categories)
    width = slot * count
    lines: list[tuple[int, tuple[tuple[float, float], ...]]] = []
    for number, series in enumerate(chart.series):
        color = chart.colors[number % len(chart.colors)]
        points = tuple((slot * (index + 0.5), y_of(value))
                       for index, value in enumerate(series.values))
        shapes.append(Stroke(points, color, LINE_WIDTH))
        shapes.extend(Dot(x, y, DOT, color) for x, y in points)
        lines.append((number, points))
    dots = [shape for shape in shapes if isinstance(shape, Dot)]
    placed: list[Label] = list(names)
    order = sorted((0 if index in (0, count - 1) else 1, index, number)
                    for number in range(len(chart.series)) for index in range(count))
    for _, index, number in order:
        series = chart.series[number]
        x, y = lines[number][1][index]
        others = [other.values[index] for other in chart.series if other is not series]
        above = text.label(x, y - DOT - GAP / 2 - DESCENT * text.size, series.labels[index],
                           bold=True, align="center")
        below = above._replace(y=y + DOT + GAP / 2 + ASCENT * text.size)
        tries = (below, above) if others and series.values[index] < min(others) else (
            above, below)
        for candidate in tries:
            candidate = _inside(candidate, width)
            if (limits[0] <= candidate.top and candidate.bottom <= limits[1]
                    and not any(_overlap(candidate, other) for other in placed)
                    and not any(_covers(candidate, dot) for dot in dots)):
                placed.append(candidate)
                shapes.append(candidate)
                break


def _inside(label: Label, width: float) -> Label:
    """A label moved sideways to stay within the chart's width."""
    x = min(max(label.x, 0.0), width - label.width)
    return label._replace(x=x)


def _overlap(first: Label, second: Label) -> bool:
    return (first.x < second.x + second.width + 1 and second.x < first.x + first.width + 1
            and first.top < second.bottom and second.top < first.bottom)


def _covers(label: Label, dot: Dot) -> bool:
    return (label.x - dot.radius < dot.x < label.x + label.width + dot.radius
            and label.top - dot.radius < dot.y < label.bottom + dot.radius)


# ---------------------------------------------------------------------------------------------
# Parts of a whole


def _stacked(chart: Chart, width: float, top: float, share: float, text: _Text,
             shapes: list[Shape]) -> None:
    """One bar per series, its parts side by side in the parts' colours. A bar of
    percentages is as long as 100%: parts that add up to less leave the rest of its outline
    empty. The parts' names and values are the key the layout sets under the chart, as text."""
    thickness = _between(STACKED_BAR, share)
    y = top
    for series in chart.series:
        if len(chart.series) > 1:
            shapes.append(text.label(0.0, y + text.size, series.name))
            y += text.leading
        total = sum(max(value, 0.0) for value in series.values) or 1.0
        whole = max(total, 100.0) if chart.number_format == "percent" else total
        x = 0.0
        for index, value in enumerate(series.values):
            length = max(value, 0.0) / whole * width
            shapes.append(Box(x, y, length, thickness, chart.colors[index % len(chart.colors)]))
            x += length
        if x < width - 0.5:
            shapes.append(Stroke(((x, y), (width, y), (width, y + thickness),
                                  (x, y + thickness)), text.color, BASELINE / 2))
        y += thickness + GAP
