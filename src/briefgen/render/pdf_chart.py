"""Charts in the PDF: the shapes of `briefgen.layout.charts`, drawn as vectors on the page's canvas.

Nothing is rasterised: bars are filled rectangles, lines are paths, labels are text in the
page's embedded font, so the chart stays sharp at any zoom and its words can be searched and
copied. Tagging (the chart is one `Figure` with its description) is the painter's business,
around this drawing.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfgen.canvas import Canvas

from briefgen.document import Chart, FontFamily
from briefgen.layout import Layout, register_fonts
from briefgen.layout.chart_shapes import Box, ChartShapes, Dot, Label, Stroke
from briefgen.layout.charts import draw_chart


@lru_cache(maxsize=64)
def _color(hex_color: str) -> Color:
    return HexColor(hex_color)


def draw_chart_block(canvas: Canvas, chart: Chart, layout: Layout, x: float, top: float,
                     width: float, height: float) -> None:
    """Draw `chart` in the `width` x `height` box whose top-left corner is (`x`, `top`), its
    labels in the layout's fitted label style."""
    style = layout.styles[chart.style]
    fonts = layout.document.fonts
    draw_chart_shapes(canvas, draw_chart(chart, width, height, style, fonts), x, top, fonts,
                      style.italic)


def draw_chart_shapes(canvas: Canvas, chart: ChartShapes, x: float, top: float,
                      fonts: FontFamily, italic: bool = False) -> None:
    """Draw `chart` with its top-left corner at (`x`, `top`) in PDF coordinates."""
    names = register_fonts(fonts)
    canvas.saveState()
    for shape in chart.shapes:
        match shape:
            case Box() if shape.width > 0 and shape.height > 0:
                canvas.setFillColor(_color(shape.color))
                canvas.rect(x + shape.x, top - shape.y - shape.height, shape.width,
                            shape.height, stroke=0, fill=1)
            case Stroke():
                _draw_stroke(canvas, shape, x, top)
            case Dot():
                canvas.setFillColor(_color(shape.color))
                canvas.circle(x + shape.x, top - shape.y, shape.radius, stroke=0, fill=1)
            case Label():
                canvas.setFillColor(_color(shape.color))
                canvas.setFont(names[(shape.bold, italic)], shape.size)
                canvas.drawString(x + shape.x, top - shape.y, shape.text)
    canvas.restoreState()


def _draw_stroke(canvas: Canvas, stroke: Stroke, x: float, top: float) -> None:
    """A line through the stroke's points, with round joins (and caps, for a chart's line)."""
    canvas.setStrokeColor(_color(stroke.color))
    canvas.setLineWidth(stroke.width)
    canvas.setLineJoin(1)
    canvas.setLineCap(1 if len(stroke.points) > 2 else 0)
    path = canvas.beginPath()
    first, *rest = stroke.points
    path.moveTo(x + first[0], top - first[1])
    for point in rest:
        path.lineTo(x + point[0], top - point[1])
    canvas.drawPath(path, stroke=1, fill=0)
