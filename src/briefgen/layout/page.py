"""The page at one fit: the height of every block, and its columns stretched level.

A paragraph is `lines x leading` tall, its first baseline one font size below its top; blocks
stack with their space after, except the last of a column; a row is as tall as its tallest
cell plus padding (a framed cell's padding is measured from its capitals and descenders); a
cell that `spread`s shares the height it lacks among its gaps, up to a limit, so its column
ends with the tallest one. The PDF draws from these numbers, and the DOCX takes each gap and
each cell's padding from them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from briefgen.document import (
    Block,
    Cell,
    Chart,
    Document,
    Fit,
    Group,
    Image,
    Measurement,
    Paragraph,
    ParagraphStyle,
    Row,
    Rule,
    Spacer,
    fitted_style,
)
from briefgen.errors import BriefgenBug
from briefgen.layout.fonts import font_metrics, register_fonts
from briefgen.layout.lines import TOLERANCE
from briefgen.layout.widths import LINE_CACHE, LaidParagraph

# A column shorter than its row shares the difference among its gaps, each in proportion to
# its designed height, and each to at most this many times that height: past it, the rest of
# the difference stays white under the column, and the build summary says how much.
STRETCH_LIMIT = 2.0
# Gaps inside these groups hold one statement (a key figure and its label) or one quotation
# and its speaker together; a heading keeps with what follows it. They never stretch.
_UNSTRETCHED_GROUPS = {"P", "BlockQuote"}
_HEADINGS = {"H1", "H2"}


def padding_scale(fit: Fit) -> float:
    """Cell padding closes up half as much as the gaps between blocks."""
    return 0.5 + 0.5 * min(fit.spacing, 1.0)


def chart_height(chart: Chart, fit: Fit) -> float:
    """A chart's height at `fit`: as preferred as designed, and smaller with the gaps as they
    close up, never below its minimum (its labels keep their size; its bars and plot area
    give); a short brief's opened gaps leave it as designed."""
    return min(chart.height, max(chart.min_height, chart.height * fit.spacing))


@dataclass
class Layout:
    """Heights of every block at one fit; drawing uses the same numbers.

    `extra` holds, for each gap a spreading cell stretched (a spacer, or the space after a
    block), the height it adds, so that the cell's column ends level with the tallest one of
    its row; `short` holds, for a spreading cell whose gaps could not take all of it, the
    height left white under its column.
    """

    document: Document
    fit: Fit
    styles: dict[str, ParagraphStyle] = field(init=False)
    heights: list[tuple[str, float]] = field(default_factory=list)
    extra: dict[int, float] = field(default_factory=dict)  # id(block) -> added height
    short: dict[int, float] = field(default_factory=dict)  # id(cell) -> white under it
    rows: list[tuple[Row, tuple[float, ...]]] = field(default_factory=list)  # cells' heights

    def __post_init__(self) -> None:
        self.styles = {name: fitted_style(style, self.fit)
                       for name, style in self.document.styles.items()}
        self._spread: set[int] = set()  # rows whose spreading cells have shared their spare

    def laid(self, paragraph: Paragraph, width: float) -> LaidParagraph:
        return LINE_CACHE.laid(paragraph, self.styles[paragraph.style], self.document, width)

    def block_height(self, block: Block, width: float) -> tuple[float, float]:
        """Height of a block and the space after it (a spacer: its whole height, stretched
        gaps included)."""
        match block:
            case Paragraph():
                height = len(self.laid(block, width).lines) * self.styles[block.style].leading
                self.heights.append((block.origin, height))
            case Spacer():
                return self.spacer_height(block), 0.0
            case Rule():
                height = block.thickness
            case Image():
                height = block.height
            case Chart():
                height = chart_height(block, self.fit)
                self.heights.append((block.origin, height))
            case Group():
                height = self.blocks_height(block.blocks, width)
            case Row():
                height = self.row_height(block)
            case _:  # pragma: no cover
                raise BriefgenBug(f"unknown block {block!r}")
        return height, self.after(block)

    def after(self, block: Block) -> float:
        """The space after a block at this fit, stretched as its column needs (0 for a
        spacer, which is all height)."""
        match block:
            case Spacer():
                return 0.0
            case Paragraph():
                return self.styles[block.style].space_after + self.extra.get(id(block), 0.0)
            case _:
                return block.space_after * self.fit.spacing + self.extra.get(id(block), 0.0)

    def blocks_height(self, blocks: tuple[Block, ...], width: float) -> float:
        total = after = 0.0
        for block in blocks:
            height, after = self.block_height(block, width)
            total += height + after
        return total - after

    def cell_height(self, cell: Cell) -> float:
        """The height a cell's content needs, padding included."""
        top, bottom = self.cell_insets(cell)
        return self.blocks_height(cell.blocks, cell.width - cell.padding[1] - cell.padding[3]
                                  ) + top + bottom

    def cell_insets(self, cell: Cell) -> tuple[float, float]:
        """Room above and below a cell's content at this fit.

        A cell with a frame (a background or an outline) is padded as the eye measures it:
        its padding runs from the frame to the top of its first line's capitals, and from
        its last line's descenders to the frame, so equal paddings look equal. Other cells
        are padded from their content's top and bottom."""
        top, _, bottom, _ = cell.padding
        scale = padding_scale(self.fit)
        top, bottom = top * scale, bottom * scale
        if not (cell.background or cell.border):
            return top, bottom
        first = _edge_paragraph(cell.blocks, first=True)
        if first is not None:
            style = self.styles[first.style]
            top -= style.font_size * (1 - font_metrics(self._font(style))[0])
        last = _edge_paragraph(cell.blocks, first=False)
        if last is not None:
            style = self.styles[last.style]
            bottom -= style.leading - style.font_size * (
                1 + font_metrics(self._font(style))[1])
        return max(top, 0.0), max(bottom, 0.0)

    def _font(self, style: ParagraphStyle) -> str:
        return register_fonts(self.document.fonts)[(style.bold, style.italic)]

    def row_height(self, row: Row) -> float:
        heights = [self.cell_height(cell) for cell in row.cells]
        height = max(heights, default=0.0)
        if id(row) not in self._spread:
            self._spread.add(id(row))
            self.rows.append((row, tuple(heights)))
            for cell, own in zip(row.cells, heights, strict=True):
                if cell.valign == "spread" and height - own > TOLERANCE:
                    self._stretch(cell, height - own)
        return height

    def _stretch(self, cell: Cell, spare: float) -> None:
        """Share `spare` among the cell's gaps in proportion to their designed heights, none
        beyond `STRETCH_LIMIT` times it; what they cannot take is left under the column."""
        gaps = list(self._gaps(cell.blocks))
        room = [max(0.0, STRETCH_LIMIT * designed - fitted) for _, fitted, designed in gaps]
        weights = [designed for _, _, designed in gaps]
        shares = room if sum(room) <= spare else _shares(room, weights, spare)
        for (block_id, _, _), share in zip(gaps, shares, strict=True):
            if share > 0:
                self.extra[block_id] = self.extra.get(block_id, 0.0) + share
        left = spare - sum(shares)
        if left > TOLERANCE:
            self.short[id(cell)] = left

    def _gaps(self, blocks: tuple[Block, ...]) -> Iterator[tuple[int, float, float]]:
        """The gaps between `blocks` that a spreading column may stretch, as (id of the
        spacer or of the block the gap follows, height at this fit, designed height):
        spacers, and the space after each block but the last, except after a heading and
        inside a key figure or a quotation; inside groups and single-cell rows (a panel, a
        box) too."""
        last = len(blocks) - 1
        for index, block in enumerate(blocks):
            match block:
                case Spacer():
                    yield id(block), self.spacer_height(block), block.height
                    continue
                case Paragraph() if block.role in _HEADINGS:
                    pass
                case _ if index < last:
                    designed = self._designed_after(block)
                    if designed > 0:
                        yield id(block), self.after(block), designed
            match block:
                case Group() if block.role not in _UNSTRETCHED_GROUPS:
                    yield from self._gaps(block.blocks)
                case Row() if len(block.cells) == 1:
                    yield from self._gaps(block.cells[0].blocks)

    def _designed_after(self, block: Block) -> float:
        """The space after a block as designed (a spacer is all height)."""
        match block:
            case Paragraph():
                return self.document.styles[block.style].space_after
            case Spacer():
                return 0.0
            case _:
                return block.space_after

    def footer(self) -> Layout:
        """The layout of the footer (contact and sources): its gaps close up with the
        others, but never open up, so a short brief's spare height goes into the body."""
        if self.fit.spacing <= 1.0:
            return self
        footer = Layout(self.document, self.fit._replace(spacing=1.0))
        footer.heights = self.heights
        return footer

    def footer_height(self) -> float:
        footer = self.document.footer
        if not footer:
            return 0.0
        return (self.footer().blocks_height(footer, self.document.page.content_width)
                + self.footer_gap())

    def footer_gap(self) -> float:
        """The air above the footer's rule: it closes up half as much as the gaps between
        blocks, as padding does, so the columns never end right on the rule."""
        return self.document.footer_gap * padding_scale(self.fit)

    def spacer_height(self, spacer: Spacer) -> float:
        """A spacer's height, with what its column's spreading added."""
        return (max(spacer.height * self.fit.spacing, spacer.min_height)
                + self.extra.get(id(spacer), 0.0))

    def white_under_columns(self) -> tuple[str, float] | None:
        """The column of the page's body left with the most white under it once its gaps
        were stretched as far as they go ("left column", and the height); None when every
        column ends level with its row."""
        found: tuple[str, float] | None = None
        for row, _ in self.rows:
            for index, cell in enumerate(row.cells):
                left = self.short.get(id(cell), 0.0)
                if left > (found[1] if found else 0.0):
                    name = ("left column" if index == 0 else "right column"
                            if index == len(row.cells) - 1 else "middle column")
                    found = (name, left)
        return found


def _shares(room: list[float], weights: list[float], spare: float) -> list[float]:
    """`spare` shared among gaps that cannot all be filled: each grows in proportion to its
    weight until it is full, at the rate (found by bisection) at which they take it all."""
    low, high = 0.0, spare / max(min((w for w in weights if w > 0), default=1.0), 1e-9)
    for _ in range(40):
        rate = (low + high) / 2
        if sum(min(r, rate * w) for r, w in zip(room, weights, strict=True)) > spare:
            high = rate
        else:
            low = rate
    return [min(r, low * w) for r, w in zip(room, weights, strict=True)]


def _edge_paragraph(blocks: tuple[Block, ...], *, first: bool) -> Paragraph | None:
    """The paragraph whose line is the first (or last) of `blocks`, looking into groups;
    None when a picture, a chart, a spacer or a row comes first (or last)."""
    if not blocks:
        return None
    match blocks[0] if first else blocks[-1]:
        case Paragraph() as paragraph:
            return paragraph
        case Group(blocks=inner):
            return _edge_paragraph(inner, first=first)
    return None


def lay_out(document: Document, fit: Fit) -> Layout:
    """The page at `fit`, measured (body, footer, rows and spreads)."""
    layout = Layout(document, fit)
    layout.blocks_height(document.body, document.page.content_width)
    return layout


def measure(document: Document, fit: Fit) -> Measurement:
    """Heights of body and footer at `fit`, without drawing."""
    layout = Layout(document, fit)
    body = layout.blocks_height(document.body, document.page.content_width)
    footer = layout.footer_height()
    white = layout.white_under_columns()
    return Measurement(body=body, footer=footer, available=document.page.content_height,
                       block_heights=layout.heights, row_heights=layout.rows,
                       white_under=white, document=document)
