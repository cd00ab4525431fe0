"""Chart geometry: the shapes of a `Chart` block at a given size, in points, for any backend.

Computed from the chart's data, size and label style (column and line charts in
`chart_columns.py`, the shapes themselves in `chart_shapes.py`); `render/pdf_chart.py` draws
them on the PDF's canvas.
"""

from __future__ import annotations

from briefgen.document import Chart, Color, FontFamily, ParagraphStyle
from briefgen.layout.chart_columns import columns_or_lines, footroom, headroom
from briefgen.layout.chart_shapes import (
    ASCENT,
    BAR,
    BASELINE,
    CATEGORY_GAP,
    DESCENT,
    GAP,
    PLOT,
    STACKED_BAR,
    SWATCH,
    Box,
    ChartShapes,
    ChartText,
    Shape,
    Stroke,
    between,
    inside,
    overhang,
    value_scale,
)


def chart_heights(chart: Chart, width: float, style: ParagraphStyle, fonts: FontFamily
                  ) -> tuple[float, float]:
    """The chart's preferred and minimum height at `width`: what its labels need, with bars
    and plot area at their comfortable and their smallest size."""
    text = ChartText(fonts, style)
    fixed, flexible_min, flexible_max = _parts(chart, width, text)
    return round(fixed + flexible_max, 2), round(fixed + flexible_min, 2)


def _parts(chart: Chart, width: float, text: ChartText) -> tuple[float, float, float]:
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
                 + len(chart.categories) * overhang(text))
        if not _values_beside_bars(chart, width, text):
            value_lines = sum(len(text.wrap(label, width, bold=True))
                              for series in chart.series for label in series.labels)
            fixed += value_lines * text.leading + bar_count * overhang(text)
        low, high = _bar_thickness(chart, text)
        return (fixed, bar_count * low + gaps * CATEGORY_GAP[0],
                bar_count * high + gaps * CATEGORY_GAP[1])
    slot = width / len(chart.categories)
    lines = max(len(text.wrap(category, slot - 2)) for category in chart.categories)
    fixed = (legend + headroom(chart, width, text) + footroom(chart, width, text) + GAP
             + lines * text.leading + overhang(text))
    return fixed, PLOT[0], PLOT[1]


def _bar_thickness(chart: Chart, text: ChartText) -> tuple[float, float]:
    """Thinnest and comfortable bars: at least as thick as their labels are tall, so a label
    at a bar's end never reaches the name above it or the next bar's label."""
    least = max(BAR[0], (ASCENT + DESCENT) * text.size)
    return least, max(least, BAR[1])


def draw_chart(chart: Chart, width: float, height: float, style: ParagraphStyle,
               fonts: FontFamily) -> ChartShapes:
    """The chart's shapes in a `width` x `height` box (height at least its minimum).

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
    text = ChartText(fonts, style)
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
        columns_or_lines(chart, width, top, plot, text, shapes)
    return ChartShapes(width, height, tuple(shapes))


# ---------------------------------------------------------------------------------------------
# Legend


def _legend_entries(chart: Chart) -> list[tuple[str, Color]]:
    if chart.kind == "stacked" or len(chart.series) < 2:
        return []
    return [(series.name, chart.colors[index % len(chart.colors)])
            for index, series in enumerate(chart.series)]


def _legend_rows(chart: Chart, width: float, text: ChartText) -> list[list[tuple[str, Color, float]]]:
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


def _legend_height(chart: Chart, width: float, text: ChartText) -> float:
    rows = _legend_rows(chart, width, text)
    return len(rows) * text.leading + (GAP if rows else 0.0)


def _legend(chart: Chart, width: float, text: ChartText, shapes: list[Shape]) -> float:
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


def _fitted(name: str, width: float, text: ChartText) -> str:
    """A name cut with "…" to `width`, for a legend entry wider than the whole chart."""
    if text.width(name) <= width + 1e-6:
        return name
    while name and text.width(name + "…") > width:
        name = name[:-1]
    return name + "…"


# ---------------------------------------------------------------------------------------------
# Horizontal bars


# Values are set beside their bars only when that leaves the bars this share of the width.
BESIDE_BARS_LEAVE = 0.4


def _value_room(chart: Chart, text: ChartText) -> float:
    """The width a value takes beside its bar: the widest value and the gap before it."""
    return max(text.width(label, bold=True) for series in chart.series
               for label in series.labels) + GAP


def _values_beside_bars(chart: Chart, width: float, text: ChartText) -> bool:
    """Whether each value fits at the end of its bar (on both sides of the zero line when some
    are negative) and leaves the bars enough room; else each goes on a line above its bar."""
    negative = any(value < 0 for series in chart.series for value in series.values)
    room = width - _value_room(chart, text) * (2 if negative else 1)
    return room >= BESIDE_BARS_LEAVE * width


def _bars(chart: Chart, width: float, top: float, share: float, text: ChartText,
          shapes: list[Shape]) -> None:
    bars = _Bars(chart, width, share, text, shapes)
    y = top
    for index, category in enumerate(chart.categories):
        for line in text.wrap(category, width):
            shapes.append(text.label(0.0, y + text.size, line))
            y += text.leading
        y += overhang(text)
        bars_from = y
        for number in range(len(chart.series)):
            y, bars_from = bars.bar(index, number, y, bars_from)
        y += bars.gap


class _Bars:
    """Draws a bar chart's bars and values, category by category (see `_bars`)."""

    def __init__(self, chart: Chart, width: float, share: float, text: ChartText,
                 shapes: list[Shape]) -> None:
        self.chart, self.width, self.text, self.shapes = chart, width, text, shapes
        self.thickness = between(_bar_thickness(chart, text), share)
        self.gap = between(CATEGORY_GAP, share)
        values = [value for series in chart.series for value in series.values]
        self.negative = any(value < 0 for value in values)
        self.beside = _values_beside_bars(chart, width, text)
        value_room = _value_room(chart, text) if self.beside else 0.0
        room = width - value_room * (2 if self.negative else 1)
        self.length_of, self.zero = value_scale(values, room)
        self.zero += value_room if self.negative else 0.0

    def bar(self, index: int, number: int, y: float, bars_from: float) -> tuple[float, float]:
        """Draw the bar of series `number` for category `index` from `y`; returns where the
        next bar starts, and where the category's bars (and its zero line) start."""
        chart, text, shapes, zero = self.chart, self.text, self.shapes, self.zero
        series = chart.series[number]
        value, label = series.values[index], series.labels[index]
        length = abs(self.length_of(value))
        left = zero - length if value < 0 else zero
        if not self.beside:
            y = bars_from = self.value_above(label, value, y)
        shapes.append(Box(left, y, length, self.thickness,
                          chart.colors[number % len(chart.colors)]))
        baseline = y + self.thickness / 2 + text.size * (ASCENT - DESCENT) / 2
        if self.beside and value < 0:
            shapes.append(text.label(left - GAP, baseline, label, bold=True, align="right"))
        elif self.beside:
            shapes.append(text.label(left + length + GAP, baseline, label, bold=True))
        if self.negative and (not self.beside or number == len(chart.series) - 1):
            # Along the bars only (those of a category together, when nothing is set
            # between them), never through a name or a value.
            shapes.append(Stroke(((zero, bars_from), (zero, y + self.thickness)), text.color,
                                 BASELINE))
        return y + self.thickness + (1.0 if number < len(chart.series) - 1 else 0.0), bars_from

    def value_above(self, label: str, value: float, y: float) -> float:
        """A value on lines of its own above its bar, from the zero line: rightwards for a
        positive value, leftwards for a negative one, as far as the edges allow. Returns
        where the bar starts."""
        text = self.text
        for line in text.wrap(label, self.width, bold=True):
            placed = text.label(self.zero, y + text.size, line, bold=True,
                                align="right" if value < 0 else "left")
            self.shapes.append(inside(placed, self.width))
            y += text.leading
        return y + overhang(text)


# ---------------------------------------------------------------------------------------------
# Columns and lines


# ---------------------------------------------------------------------------------------------
# Parts of a whole


def _stacked(chart: Chart, width: float, top: float, share: float, text: ChartText,
             shapes: list[Shape]) -> None:
    """One bar per series, its parts side by side in the parts' colours. A bar of
    percentages is as long as 100%: parts that add up to less leave the rest of its outline
    empty. The parts' names and values are the key the layout sets under the chart, as text."""
    thickness = between(STACKED_BAR, share)
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
