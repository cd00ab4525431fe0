"""Chart geometry: the shapes of a `Chart` block at a given size, in points, for any backend.

A chart is drawn as rectangles, lines, dots and labels, computed here from its data, its size
and its label style; `render/pdf_chart.py` draws them on the PDF's canvas. Positions are
measured from the chart's top-left corner, `y` growing downwards as the layout's do.

What a delegate should grasp at a glance, so every chart type labels its values directly
(no value axis to read across), and every label stays inside the chart, never smaller than
the label style and never over another label or a bar, whatever the values (within the spec's
±10^15, with units and suffixes):

- `bar`: one row per category, its name above its bars, each value at the end of its bar (to
  the left of the zero line for a negative one); when the values are too wide to leave the
  bars room beside them, each value is set on a line of its own above its bar;
- `column`: columns over a baseline, values above them (a negative one under its column,
  below the zero line), category names under them (wrapped, and cut inside a word only when a
  word is wider than its column); values too wide for their columns are set in rows over the
  plot (under it for negative ones), each over its column as far as the chart's edges allow;
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

from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import NamedTuple

from reportlab.pdfbase.pdfmetrics import stringWidth

from briefgen.document import Chart, Color, FontFamily, ParagraphStyle
from briefgen.layout.fonts import register_fonts

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
        names = sum(len(text.wrap(series.name, width)) for series in chart.series
                    ) * text.leading if bars > 1 else 0.0
        fixed = legend + names + (bars - 1) * GAP
        return fixed, bars * STACKED_BAR[0], bars * STACKED_BAR[1]
    if chart.kind == "bar":
        lines = sum(len(text.wrap(category, width)) for category in chart.categories)
        gaps = len(chart.categories) - 1
        bar_count = len(chart.categories) * bars
        fixed = (legend + lines * text.leading + len(chart.categories) * (bars - 1)
                 + len(chart.categories) * _overhang(text))
        if not _values_beside_bars(chart, width, text):
            value_lines = sum(len(text.wrap(label, width, bold=True))
                              for series in chart.series for label in series.labels)
            fixed += value_lines * text.leading + bar_count * _overhang(text)
        low, high = _bar_thickness(chart, text)
        return (fixed, bar_count * low + gaps * CATEGORY_GAP[0],
                bar_count * high + gaps * CATEGORY_GAP[1])
    slot = width / len(chart.categories)
    lines = max(len(text.wrap(category, slot - 2)) for category in chart.categories)
    fixed = (legend + _headroom(chart, width, text) + _footroom(chart, width, text) + GAP
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


def _headroom(chart: Chart, width: float, text: _Text) -> float:
    """Room above the plot for the labels over the highest column or point (or for the rows
    of a column chart's labels)."""
    if chart.kind == "column":
        labels = _column_labels(chart, width, text)
        if not labels.at_ends:
            return GAP / 2 + labels.rows_above * labels.row_height
    return text.leading + GAP / 2 + (DOT if chart.kind == "line" else 0.0)


def _footroom(chart: Chart, width: float, text: _Text) -> float:
    """Room under the plot for labels under negative columns (or their rows), or under the
    points of the lower lines."""
    values = [value for series in chart.series for value in series.values]
    if chart.kind == "column":
        labels = _column_labels(chart, width, text)
        if not labels.at_ends:
            return GAP / 2 + labels.rows_below * labels.row_height if labels.rows_below else 0.0
        below = min(values) < 0
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


def _scale(values: Iterable[float], room: float) -> tuple[Callable[[float], float], float]:
    """How long a value is drawn, and where zero is, for values drawn in `room` points.

    Each value is divided by the span before it is scaled: points per unit would overflow
    for values as small as 1e-308.
    """
    values = list(values)
    low, high = min(0.0, *values), max(0.0, *values)
    span = high - low or 1.0
    return (lambda value: value / span * room), -low / span * room


# Values are set beside their bars only when that leaves the bars this share of the width.
BESIDE_BARS_LEAVE = 0.4


def _value_room(chart: Chart, text: _Text) -> float:
    """The width a value takes beside its bar: the widest value and the gap before it."""
    return max(text.width(label, bold=True) for series in chart.series
               for label in series.labels) + GAP


def _values_beside_bars(chart: Chart, width: float, text: _Text) -> bool:
    """Whether each value fits at the end of its bar (on both sides of the zero line when some
    are negative) and leaves the bars enough room; else each goes on a line above its bar."""
    negative = any(value < 0 for series in chart.series for value in series.values)
    room = width - _value_room(chart, text) * (2 if negative else 1)
    return room >= BESIDE_BARS_LEAVE * width


def _bars(chart: Chart, width: float, top: float, share: float, text: _Text,
          shapes: list[Shape]) -> None:
    thickness = _between(_bar_thickness(chart, text), share)
    gap = _between(CATEGORY_GAP, share)
    values = [value for series in chart.series for value in series.values]
    negative = any(value < 0 for value in values)
    beside = _values_beside_bars(chart, width, text)
    value_room = _value_room(chart, text) if beside else 0.0
    room = width - value_room * (2 if negative else 1)
    length_of, zero = _scale(values, room)
    zero += value_room if negative else 0.0
    y = top
    for index, category in enumerate(chart.categories):
        for line in text.wrap(category, width):
            shapes.append(text.label(0.0, y + text.size, line))
            y += text.leading
        y += _overhang(text)
        bars_from = y
        for number, series in enumerate(chart.series):
            value, label = series.values[index], series.labels[index]
            length = abs(length_of(value))
            left = zero - length if value < 0 else zero
            if not beside:
                # On lines of its own above the bar, from the zero line: rightwards for a
                # positive value, leftwards for a negative one, as far as the edges allow.
                for line in text.wrap(label, width, bold=True):
                    placed = text.label(zero, y + text.size, line, bold=True,
                                        align="right" if value < 0 else "left")
                    shapes.append(_inside(placed, width))
                    y += text.leading
                y += _overhang(text)
                bars_from = y
            shapes.append(Box(left, y, length, thickness,
                              chart.colors[number % len(chart.colors)]))
            baseline = y + thickness / 2 + text.size * (ASCENT - DESCENT) / 2
            if beside and value < 0:
                shapes.append(text.label(left - GAP, baseline, label, bold=True, align="right"))
            elif beside:
                shapes.append(text.label(left + length + GAP, baseline, label, bold=True))
            if negative and (not beside or number == len(chart.series) - 1):
                # Along the bars only (those of a category together, when nothing is set
                # between them), never through a name or a value.
                shapes.append(Stroke(((zero, bars_from), (zero, y + thickness)), text.color,
                                     BASELINE))
            y += thickness + (1.0 if number < len(chart.series) - 1 else 0.0)
        y += gap


# ---------------------------------------------------------------------------------------------
# Columns and lines


class _ColumnLabels(NamedTuple):
    """Where a column chart's values go (see `_column_labels`)."""

    at_ends: bool  # each at its column's end; else in rows over (and under) the plot
    x: dict[tuple[int, int], float]  # left edge of each value, by (category, series)
    lines: dict[tuple[int, int], list[str]]  # each value's lines
    row: dict[tuple[int, int], int]  # in rows: the row of each value, from the plot outwards
    rows_above: int
    rows_below: int
    row_height: float


def _column_labels(chart: Chart, width: float, text: _Text) -> _ColumnLabels:
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
    return _ColumnLabels(at_ends, x, lines, row, counts[0], counts[1], row_height)


def _columns_or_lines(chart: Chart, width: float, top: float, plot: float, text: _Text,
                      shapes: list[Shape]) -> None:
    count = len(chart.categories)
    slot = width / count
    headroom, footroom = _headroom(chart, width, text), _footroom(chart, width, text)
    values = [value for series in chart.series for value in series.values]
    length_of, zero_from_bottom = _scale(values, plot)
    plot_top = top + headroom
    zero = plot_top + plot - zero_from_bottom

    def y_of(value: float) -> float:
        return zero - length_of(value)

    names: list[Label] = []
    base = plot_top + plot + footroom + GAP
    for index, category in enumerate(chart.categories):
        centre = slot * (index + 0.5)
        for line_number, line in enumerate(text.wrap(category, slot - 2)):
            names.append(text.label(centre, base + text.size + line_number * text.leading,
                                    line, align="center"))
    if chart.kind == "column":
        _columns(chart, width, y_of, zero, (plot_top, plot_top + plot), text, shapes)
    else:
        _lines(chart, slot, (top, base), y_of, text, shapes, names)
    shapes.append(Stroke(((0.0, zero), (width, zero)), text.color, BASELINE))
    shapes.extend(names)


def _columns(chart: Chart, width: float, y_of: Callable[[float], float], zero: float,
             plot: tuple[float, float], text: _Text, shapes: list[Shape]) -> None:
    """Columns and their values; `plot` is the plot area's top and bottom."""
    slot = width / len(chart.categories)
    column = slot * SLOT_FILL / len(chart.series)
    labels = _column_labels(chart, width, text)
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
            if (candidate.x >= 0 and limits[0] <= candidate.top and candidate.bottom <= limits[1]
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
            for line in text.wrap(series.name, width):
                shapes.append(text.label(0.0, y + text.size, line))
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
