"""Arranging the page for a fit: lines balanced, columns split where the page comes out
shortest, key figures sized to their columns."""

from __future__ import annotations

from typing import NamedTuple

from briefgen.document import (
    Block,
    Cell,
    Document,
    Fit,
    Group,
    Measurement,
    Paragraph,
    Row,
    Spacer,
)
from briefgen.layout.page import Layout, measure
from briefgen.layout.wide_words import fit_wide_words, fitted_cell, fitted_row
from briefgen.layout.widths import break_lines

# Display type: at these sizes and up (the quote, the deck), an unequal last line shows.
DISPLAY_SIZE = 12.5
BALANCE_STEP = 0.01  # of the row's width
SAME_HEIGHT = 0.5  # points: splits this close in height are equal, and the designed one wins

# Columns arranged per document and setting: the PDF's and the DOCX's fitting try some of the
# same settings, and the fit chosen is arranged again for drawing. An entry holds its
# document, so its id is never reused.
_ARRANGED: dict[tuple[int, float, float], tuple[Document, Document]] = {}


def arrange_page(document: Document, fit: Fit | None = None) -> Document:
    """The document with its headline's and right-aligned lines balanced, its columns
    balanced for `fit` (as designed by default) and its key figures sized to their columns
    (see `balance_lines`, `arrange_columns`)."""
    return arrange_columns(balance_lines(document), fit or Fit())


def arrange_columns(document: Document, fit: Fit) -> Document:
    """The document with each balanced row's columns split where the page comes out
    shortest at `fit`, and its key figures sized to their columns (`fit_wide_words`).

    Fitting arranges the columns for each setting it tries, so the split is the best one at
    the fit chosen: a split chosen as designed may not be the best once gaps and type have
    closed up, and would make the page's length jump as a text is shortened.
    """
    key = (id(document), fit.spacing, fit.type_scale)
    found = _ARRANGED.get(key)
    if found is None or found[0] is not document:
        if len(_ARRANGED) >= 64:  # one brief's fitting tries a dozen settings, twice
            _ARRANGED.clear()
        found = _ARRANGED[key] = (document, fit_wide_words(balance_columns(document, fit), fit))
    return found[1]


def measure_arranged(document: Document, fit: Fit) -> Measurement:
    """Heights of body and footer at `fit`, with the columns arranged for it
    (`arrange_columns`): what fitting measures."""
    return measure(arrange_columns(document, fit), fit)


# ---------------------------------------------------------------------------------------------
# Lines


def balance_lines(document: Document, fit: Fit | None = None, *,
                  in_balanced_rows: bool = False) -> Document:
    """Headlines (H1), display type (`DISPLAY_SIZE` and up: the quote) and right-aligned
    paragraphs of several lines set at the narrowest measure that keeps their number of
    lines, so the lines come out about equal ("... almost / alone", a meeting's name with
    one word on its second line, a quote's "the way." alone, are avoided).

    The narrower measure is an indent on the paragraph (on the right, or on the left of
    right-aligned lines), which a word processor honours too, so the DOCX breaks the lines
    at the same words. Paragraphs in balanced rows are left as they are unless
    `in_balanced_rows`, once fitting has fixed the rows' widths (the lines, and so the
    heights, stay as they were: only where they break changes)."""
    layout = Layout(document, fit or Fit())

    def balanced(block: Block, width: float) -> Block:
        match block:
            case Paragraph():
                return _balanced_paragraph(block, layout, width)
            case Group():
                blocks = tuple(balanced(child, width) for child in block.blocks)
                return block._replace(blocks=blocks) if blocks != block.blocks else block
            case Row() if in_balanced_rows or (block.balance is None and not block.follows):
                cells = tuple(cell._replace(blocks=blocks) if blocks != cell.blocks else cell
                              for cell in block.cells for blocks in [tuple(
                                  balanced(child, _inner_width(cell)) for child in cell.blocks)])
                return block._replace(cells=cells) if cells != block.cells else block
        return block

    width = document.page.content_width
    body = tuple(balanced(block, width) for block in document.body)
    return document._replace(body=body) if body != document.body else document


def _inner_width(cell: Cell) -> float:
    return cell.width - cell.padding[1] - cell.padding[3]


def _balanced_paragraph(paragraph: Paragraph, layout: Layout, width: float) -> Paragraph:
    """A headline, display type or right-aligned paragraph with balanced lines (see
    `balance_lines`); any other paragraph as it is."""
    style = layout.document.styles[paragraph.style]
    right = style.align != "right"
    if paragraph.indent_right or paragraph.indent_left or not (
            paragraph.role == "H1" or not right or style.font_size >= DISPLAY_SIZE):
        return paragraph
    return _balanced_lines(paragraph, layout, width, right=right)


def _balanced_lines(paragraph: Paragraph, layout: Layout, width: float, *, right: bool
                    ) -> Paragraph:
    lines = len(layout.laid(paragraph, width).lines)
    if lines < 2:
        return paragraph
    style = layout.styles[paragraph.style]

    def indented(indent: float) -> Paragraph:
        return (paragraph._replace(indent_right=indent) if right
                else paragraph._replace(indent_left=indent))

    low, high = 0.0, width / 2  # indents that keep the line count, and one that does not
    for _ in range(12):
        middle = (low + high) / 2
        if len(break_lines(indented(middle), style, layout.document, width).lines) > lines:
            high = middle
        else:
            low = middle
    # Half an em of slack: at the exact narrowest measure a word processor, which measures
    # and kerns a little differently, would break a line earlier and add one.
    return indented(round(max(low - style.font_size / 2, 0.0), 2))


# ---------------------------------------------------------------------------------------------
# Columns


def balance_columns(document: Document, fit: Fit | None = None) -> Document:
    """The document with each balanced row's columns set to the split at which the page is
    shortest at `fit` (within the row's allowed range; of equal splits, the one nearest the
    designed widths), and each row that follows it given the same widths.

    So fitting and both backends see plain fixed widths, and the room a short column leaves
    is used before any gap is closed up or type made smaller.
    """
    fit = fit or Fit()
    body = list(document.body)
    followers: list[int] = []
    layout = Layout(document, fit)
    for index, block in enumerate(body):
        if not isinstance(block, Row):
            continue
        if block.follows:
            followers.append(index)
        elif block.balance is not None:
            row, shaped = _balanced(block, [body[i] for i in followers], layout)  # type: ignore[misc]
            body[index] = row
            for follower_index, follower in zip(followers, shaped, strict=True):
                body[follower_index] = follower
            followers = []
    result = tuple(body)
    return document._replace(body=result) if result != document.body else document


class _Split(NamedTuple):
    """A way to split a balanced row: the page's height through it, which variant of the
    row (0: as composed, then with movable groups moved) and how far from the designed
    split it is, and the first column's width."""

    height: float
    moved: int
    distance: float
    variant: Row
    width: float


def _balanced(block: Row, followers: list[Row], layout: Layout) -> tuple[Row, list[Row]]:
    """The row at its best split (see `balance_columns`), and its followers shaped like it.

    Blocks that may move (`Group.movable`, a quote) are also tried at the end of the first
    column: moved when that makes the page shorter (a first column made longer may still be
    widened, and the rows that follow its split shortened).

    Why each column is measured on its own: a row is as tall as its tallest column, and a
    column's height depends only on its own width, so each split costs a few column
    measurements, and the followers' columns, alike in every variant, are measured once.
    """
    search = _SplitSearch(block, followers, layout)
    best: _Split | None = None
    for moved, variant in enumerate(_with_moves(block)):
        best = search.best_split(variant, moved, best)
    assert best is not None
    variant, width = best.variant, best.width
    first, last = variant.cells[0], variant.cells[-1]
    shared = first.width + last.width
    cells = (_resized(first, width), *variant.cells[1:-1], _resized(last, shared - width))
    row = fitted_row(variant._replace(cells=cells), layout.document, layout.fit)
    return row, [_shaped_like(follower, row) for follower in followers]


class _SplitSearch:
    """The splits of one balanced row tried at one fit, each column's height measured once
    per width."""

    def __init__(self, row: Row, followers: list[Row], layout: Layout) -> None:
        assert row.balance is not None
        self.low, high = row.balance
        self.followers = followers
        self.layout = layout
        row_width = sum(cell.width for cell in row.cells)
        self.designed = row.cells[0].width / row_width
        self.steps = round((high - self.low) / BALANCE_STEP)
        self.widths = [round(row_width * (self.low + step * BALANCE_STEP), 2)
                       for step in range(self.steps + 1)]
        self.heights: dict[tuple[int, float], float] = {}

    def column(self, cell: Cell, width: float) -> float:
        key = (id(cell), width)
        height = self.heights.get(key)
        if height is None:
            layout = self.layout
            height = self.heights[key] = layout.cell_height(
                fitted_cell(_resized(cell, width), layout.document, layout.fit))
        return height

    def followed(self, last_width: float) -> float:
        """The followers' height when the balanced row's last column is `last_width` wide."""
        return sum(max(self.column(cell, cell_width) for cell, cell_width in zip(
            follower.cells, _widths_like(follower, last_width), strict=True))
            for follower in self.followers)

    def first_step(self, first: Cell, last: Cell, shared: float) -> int:
        """The step from which a split is worth trying.

        The first column only gets shorter as it widens, the last and the followers' first
        columns longer and shorter: below the split where the first column stops being the
        longer one, a wider first column can only help, so the search starts there (found by
        bisection)."""
        lower, upper = 0, self.steps
        while lower < upper:
            middle = (lower + upper) // 2
            if self.column(first, self.widths[middle]) > self.column(
                    last, shared - self.widths[middle]):
                lower = middle + 1
            else:
                upper = middle
        return max(lower - 1, 0)

    def best_split(self, variant: Row, moved: int, best: _Split | None) -> _Split | None:
        """`best`, or a split of `variant` that makes the page shorter (or as short and
        nearer the design)."""
        first, last = variant.cells[0], variant.cells[-1]
        shared = first.width + last.width  # what the two columns split between them
        start = self.first_step(first, last, shared)
        least_followed = self.followed(shared - self.widths[-1])  # shortest at the widest
        for step in range(start, self.steps + 1):
            width = self.widths[step]
            if best is not None and (self.column(last, shared - width) + least_followed
                                     > best.height + SAME_HEIGHT):
                break  # the last column only gets longer from here
            height = max(self.column(first, width), self.column(last, shared - width),
                         *(self.column(cell, cell.width) for cell in variant.cells[1:-1]))
            height += self.followed(shared - width)
            distance = abs(self.low + step * BALANCE_STEP - self.designed)
            if best is None or height < best.height - SAME_HEIGHT or (
                    height <= best.height + SAME_HEIGHT
                    and (moved, distance) < (best.moved, best.distance)):
                best = _Split(min(height, best.height) if best else height, moved, distance,
                              variant, width)
        return best


def _with_moves(row: Row) -> list[Row]:
    """`row` as it is, then with one, two ... of the movable groups that end its last column
    moved (each with the spacer before it) to the end of its first column."""
    variants = [row]
    first, last = row.cells[0], row.cells[-1]
    blocks = list(last.blocks)
    moving: list[Block] = []
    while (len(blocks) >= 2 and isinstance(blocks[-1], Group) and blocks[-1].movable
           and isinstance(blocks[-2], Spacer)):
        moving = [*blocks[-2:], *moving]
        del blocks[-2:]
        cells = (first._replace(blocks=(*first.blocks, *moving)), *row.cells[1:-1],
                 last._replace(blocks=tuple(blocks)))
        variants.append(row._replace(cells=cells))
    return variants if len(row.cells) > 1 else [row]


def _widths_like(follower: Row, last: float) -> list[float]:
    """Widths of `follower`'s cells when its last cell is `last` wide and starts where a
    balanced row's last cell of that width starts: its cells between keep their widths and
    its first cell takes the rest (a narrower gutter of its own leaves it wider)."""
    if len(follower.cells) == 1:
        return [follower.cells[0].width]
    middle = [cell.width for cell in follower.cells[1:-1]]
    first = sum(cell.width for cell in follower.cells) - last - sum(middle)
    return [first, *middle, last]


def _shaped_like(follower: Row, row: Row) -> Row:
    """`follower` with its last cell where `row`'s last cell is (see `_widths_like`)."""
    widths = _widths_like(follower, row.cells[-1].width)
    cells = tuple(_resized(cell, width) for cell, width in zip(follower.cells, widths,
                                                                strict=True))
    return follower._replace(cells=cells) if cells != follower.cells else follower


def _resized(cell: Cell, width: float) -> Cell:
    """A cell at a new width, with the rows inside it scaled to match."""
    if abs(width - cell.width) < 1e-9:
        return cell
    _, right, _, left = cell.padding
    ratio = (width - left - right) / max(cell.width - left - right, 1e-9)
    blocks = tuple(_scaled(block, ratio) for block in cell.blocks)
    return cell._replace(width=width, blocks=blocks if blocks != cell.blocks else cell.blocks)


def _scaled(block: Block, ratio: float) -> Block:
    """A block with the rows inside it scaled by `ratio` (itself when it holds none)."""
    match block:
        case Row():
            return block._replace(cells=tuple(_resized(cell, cell.width * ratio)
                                              for cell in block.cells))
        case Group() if any(isinstance(child, Row | Group) for child in block.blocks):
            blocks = tuple(_scaled(child, ratio) for child in block.blocks)
            return block._replace(blocks=blocks) if blocks != block.blocks else block
    return block
