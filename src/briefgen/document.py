"""The neutral document model: what the page says, what each part is, and how it is
arranged, in points.

A template produces one `Document`; the PDF and DOCX backends both render it, so the two files
carry the same words. Lengths are points (1/72 inch) everywhere in this model; backends convert.
Fitting (see `Fit`) is applied by the backends, never by rewriting the model.

What things are, for readers who do not see the page (the tagged PDF, Word's navigation and
accessibility checker): each paragraph has a role (`H1` the headline, `H2` a section heading,
`P` text); a `Group` says that several blocks are one thing (`L` a list whose numbered
paragraphs are its items, `BlockQuote`, `Aside` a box with its own heading, `P` several lines
read as one statement, such as a key figure and its label); an `Image` with a description is
a figure, one without is decoration; a `Chart` is a figure whose description says every
value it shows; rules, spacers and cell backgrounds are decoration; a `Span` with a
`reference` is a source-note marker pointing at the note for that source.

The parts are named tuples: immutable like frozen dataclasses, and several times cheaper to
define, which counts in every command's start-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

Color = str  # "#RRGGBB"


class Span(NamedTuple):
    """A run of text with uniform formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False
    link: str | None = None
    color: Color | None = None
    language: str | None = None
    origin: str = ""  # the spec field the text came from, e.g. "asks[1].detail"
    reference: str | None = None  # a source-note marker (or number): the source it points to
    scale: float = 1.0  # size relative to the paragraph's (a key figure set smaller to fit)
    figure: bool = False  # a cited figure: one piece, which no source marker goes inside


class ParagraphStyle(NamedTuple):
    """A named paragraph style; every paragraph in both backends uses one."""

    name: str
    font_size: float
    leading: float
    min_font_size: float
    color: Color
    bold: bool = False
    italic: bool = False
    caps: bool = False
    space_after: float = 0.0
    indent: float = 0.0  # hanging indent for numbered paragraphs
    align: str = "left"
    role: str = "P"  # what its paragraphs are, unless the layout says otherwise: H1, H2, P
    tracking: float = 0.0  # letter spacing, in em (caps labels read better spaced out)
    label_size: float | None = None  # the number in the hanging indent, if not the text's size
    label_color: Color | None = None  # ... and colour
    min_space_after: float = 0.0  # fitting never closes the gap after it below this
    fit_width: bool = False  # smaller type, not a broken word, when a word is wider than its column


class Paragraph(NamedTuple):
    style: str
    spans: tuple[Span, ...]
    number: str | None = None  # list label drawn in the hanging indent
    origin: str = ""
    role: str = "P"  # H1 (the headline), H2 (a section heading) or P
    note: str | None = None  # a source note: the id of its source (markers point here)
    indent_right: float = 0.0  # set by the layout to balance a headline's lines
    indent_left: float = 0.0  # ... and a right-aligned paragraph's (the masthead's meeting)


class Spacer(NamedTuple):
    height: float
    min_height: float = 0.0  # fitting never closes it below this (air the design needs)


class Rule(NamedTuple):
    color: Color
    thickness: float
    space_after: float = 0.0


class Cell(NamedTuple):
    blocks: tuple[Block, ...]
    width: float
    background: Color | None = None
    padding: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # top right bottom left
    valign: str = "top"  # top, middle, bottom, or spread: its spacers take the spare height
    border: Color | None = None  # a thin outline, which office printers keep when a tint fades
    border_left: Color | None = None  # a rule down its left side (2 pt), to set text apart


class Group(NamedTuple):
    """Blocks that are one thing to a reader: a list, a quote, a box, a key figure."""

    role: str  # L, BlockQuote, Aside or P (see the module docstring)
    blocks: tuple[Block, ...]
    language: str | None = None  # when the words are in another language than the page's
    space_after: float = 0.0
    # At the end of a balanced row's last column: the layout may move it, with the spacer
    # before it, to the end of the row's first column when that makes the page shorter.
    movable: bool = False


class Row(NamedTuple):
    """A horizontal grid row of fixed-width cells (a table in both backends)."""

    cells: tuple[Cell, ...]
    space_after: float = 0.0
    # The share of the row's width its first cell may take, lowest and highest: the columns
    # are then balanced so that neither runs much longer than the other (see layout).
    balance: tuple[float, float] | None = None
    # Its cells take the widths of the next balanced row's, so that its columns line up
    # with that row's (the delegation's line beside the bottom line starts where the key
    # figures do).
    follows: bool = False


class Image(NamedTuple):
    """A picture (the logo, a QR code) at a fixed height; its width follows its proportions.

    A QR code carries its modules in `code` (rows of dark and light, without the quiet zone
    that `png` has around them): the PDF draws them as vectors, the DOCX shows `png`."""

    png: bytes
    width: float
    height: float
    description: str  # alternative text; empty: decoration
    space_after: float = 0.0
    code: tuple[tuple[bool, ...], ...] = ()


class ChartSeries(NamedTuple):
    """One series of a chart: its name for the legend and its values, as numbers and as the
    page prints them."""

    name: str  # empty for the only series of a chart
    values: tuple[float, ...]
    labels: tuple[str, ...]  # "~95%", "1,5 млн": formatted for the page's language


class Chart(NamedTuple):
    """A small chart of sourced values (see `briefgen.layout.charts` for how it is drawn).

    Its title, subtitle, note and source markers are paragraphs of the layout around it; the
    block is the graphic. It is as wide as its column, and between `min_height` and `height`
    tall: fitting moves it between the two as it closes up gaps.
    """

    kind: str  # bar, column, line or stacked (parts of a whole)
    categories: tuple[str, ...]  # what each value is for; in a stacked chart, the parts
    series: tuple[ChartSeries, ...]
    description: str  # alternative text: the chart in words, every value with its label
    style: str  # the paragraph style of its labels
    colors: tuple[Color, ...]  # one per series (per part in a stacked chart), in order
    height: float  # preferred
    min_height: float
    language: str  # of its labels: number formats in the DOCX follow it
    number_format: str = "count"  # count, percent, compact or plain, as the spec's `format`
    origin: str = ""  # the spec field it came from, e.g. "charts[0]"
    space_after: float = 0.0


Block = Paragraph | Spacer | Rule | Row | Image | Group | Chart


class PageSetup(NamedTuple):
    width: float
    height: float
    margin_top: float
    margin_right: float
    margin_bottom: float
    margin_left: float

    @property
    def content_width(self) -> float:
        return self.width - self.margin_left - self.margin_right

    @property
    def content_height(self) -> float:
        return self.height - self.margin_top - self.margin_bottom


class FontFamily(NamedTuple):
    """Font files for the PDF and the name a word processor should use for the DOCX."""

    name: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    docx_name: str


class Metadata(NamedTuple):
    title: str
    author: str
    subject: str
    keywords: str
    language: str
    date: str  # ISO date; the files carry it instead of the clock for reproducible output


class Document(NamedTuple):
    page: PageSetup
    fonts: FontFamily
    styles: dict[str, ParagraphStyle]
    body: tuple[Block, ...]
    footer: tuple[Block, ...]  # kept at the foot of the page
    metadata: Metadata
    footer_gap: float = 12.0
    link_color: Color = "#000000"


MM_PER_POINT = 25.4 / 72
# White under a column that the build summary reports: more than about one line of text.
SHORT_COLUMN_REPORTED = 5 / MM_PER_POINT


class Fit(NamedTuple):
    """How much a document was tightened to fit one page.

    `spacing` scales every vertical gap (above 1.0 it opens them up, so a short brief fills
    its page) and `type_scale` every font size (never below a style's `min_font_size`); 1.0
    means as designed.
    """

    spacing: float = 1.0
    type_scale: float = 1.0
    slack: float = 0.0  # free height left on the page, in points
    passes: int = 1
    # A column that ends short of its row even with its gaps stretched as far as they go:
    # which ("left column"), and the height left white under it, in points.
    short_column: str = ""
    short_by: float = 0.0

    @property
    def tightened(self) -> bool:
        return self.spacing < 1.0 or self.type_scale < 1.0

    def summary(self) -> str:
        """The fit in the build summary's words: "spacing -10%, type -5%", "as designed"."""
        parts = []
        if self.spacing > 1.0:
            parts.append(f"spacing +{round((self.spacing - 1) * 100)}%")
        elif not self.tightened:
            parts.append("as designed")
        if self.spacing < 1.0:
            parts.append(f"spacing -{round((1 - self.spacing) * 100)}%")
        if self.type_scale < 1.0:
            parts.append(f"type -{round((1 - self.type_scale) * 100)}%")
        if self.short_by >= SHORT_COLUMN_REPORTED:
            parts.append(f"{self.short_column} ends {self.short_by * MM_PER_POINT:.0f} mm short")
        return ", ".join(parts)


def iter_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block in reading order: a group or row first, then what it holds (a row's
    cells left to right)."""
    for block in blocks:
        yield block
        match block:
            case Group():
                yield from iter_blocks(block.blocks)
            case Row():
                for cell in block.cells:
                    yield from iter_blocks(cell.blocks)


def fitted_style(style: ParagraphStyle, fit: Fit) -> ParagraphStyle:
    """The style after fitting: smaller type (down to its floor) and tighter spacing."""
    if fit.spacing == 1.0 and fit.type_scale == 1.0:
        return style
    # Rounded to half points: the finest step a word processor stores, so the DOCX gets the
    # same sizes as the PDF.
    size = max(style.min_font_size, round(style.font_size * fit.type_scale * 2) / 2)
    ratio = size / style.font_size
    label_size = style.label_size and max(round(style.label_size * ratio * 2) / 2, size)
    return style._replace(
        font_size=size,
        leading=max(size * 1.1, style.leading * ratio * _leading_factor(fit)),
        space_after=max(style.space_after * fit.spacing,
                        min(style.min_space_after, style.space_after)),
        label_size=label_size)


def superscript_metrics(font_size: float) -> tuple[float, float]:
    """Size and rise of a source marker after text of `font_size`, in half points.

    About two thirds of the size, raised a third, but never above 8.5 pt: a marker on a big
    figure stays a discreet marker. Both backends use these numbers, so they match.
    """
    size = min(round(font_size * 0.62 * 2) / 2, 8.5)
    rise = round(font_size * 0.36 * 2) / 2
    return size, rise


def _leading_factor(fit: Fit) -> float:
    # Tightening spacing also closes up line spacing a little, never below 1.1 x size overall;
    # opening it up leaves line spacing as designed.
    return 1.0 - (1.0 - min(fit.spacing, 1.0)) * 0.12


@dataclass
class Measurement:
    """Heights of the laid-out page parts, in points, as measured by the PDF backend."""

    body: float
    footer: float
    available: float
    block_heights: list[tuple[str, float]] = field(default_factory=list)
    # Each grid row measured, with the height of each of its cells: which column runs long.
    row_heights: list[tuple[Row, tuple[float, ...]]] = field(default_factory=list)
    # The column left with the most white under it once its gaps were stretched (its name,
    # and the height), if any; and the document measured (its columns arranged for the fit).
    white_under: tuple[str, float] | None = None
    document: Document | None = None

    @property
    def overflow(self) -> float:
        return self.body + self.footer - self.available
