"""The shapes a chart is drawn with (rectangles, lines, dots, labels), and its labels measured
and wrapped in the chart's style; positions in points from the chart's top-left corner, `y`
growing downwards."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from reportlab.pdfbase.pdfmetrics import stringWidth

from briefgen.document import Color, FontFamily, ParagraphStyle
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


class ChartText:
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


def overhang(text: ChartText) -> float:
    """How far a line of labels reaches below its leading (its descent, past the line)."""
    return max(0.0, text.size * (1 + DESCENT) - text.leading)


def between(pair: tuple[float, float], share: float) -> float:
    return pair[0] + share * (pair[1] - pair[0])


def value_scale(values: Iterable[float], room: float) -> tuple[Callable[[float], float], float]:
    """How long a value is drawn, and where zero is, for values drawn in `room` points.

    Each value is divided by the span before it is scaled: points per unit would overflow
    for values as small as 1e-308.
    """
    values = list(values)
    low, high = min(0.0, *values), max(0.0, *values)
    span = high - low or 1.0
    return (lambda value: value / span * room), -low / span * room


def inside(label: Label, width: float) -> Label:
    """A label moved sideways to stay within the chart's width."""
    x = min(max(label.x, 0.0), width - label.width)
    return label._replace(x=x)

