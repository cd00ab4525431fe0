"""Key figures sized to their columns: a paragraph of a `fit_width` style set on one line,
smaller if need be, rather than broken inside its figure."""

from __future__ import annotations

import math

from briefgen.document import (
    Block,
    Cell,
    Document,
    Fit,
    Group,
    Paragraph,
    ParagraphStyle,
    Row,
    fitted_style,
    iter_blocks,
)
from briefgen.layout.lines import TOLERANCE
from briefgen.layout.widths import LineCache, one_line_width, widest_word

# Key figures sized to a column, per paragraph and width: balancing tries the same widths at
# each fit, and the same paragraph object keeps its lines in the line cache. An entry holds
# its paragraph, so its id is never reused.
_FITTED: dict[tuple[int, float, float], tuple[Paragraph, Block]] = {}
_HAS_FIT_WIDTH: dict[int, tuple[tuple[Block, ...], bool]] = {}


def fit_wide_words(document: Document, fit: Fit | None = None) -> Document:
    """Paragraphs of `fit_width` styles (a key figure) set on one line, smaller if need be,
    never below the style's minimum size: "more than 13%" does not break between "than" and
    "13%". A figure too wide even then breaks where it may (after its qualifier), and is set
    smaller only as far as its widest word needs."""
    width = document.page.content_width
    body = tuple(fitted_block(block, width, document, fit or Fit()) for block in document.body)
    return document._replace(body=body) if body != document.body else document


def fitted_cell(cell: Cell, document: Document, fit: Fit) -> Cell:
    """The cell with its key figures sized to its width."""
    if not _has_fit_width(cell.blocks, document):
        return cell
    width = cell.width - cell.padding[1] - cell.padding[3]
    blocks = tuple(fitted_block(block, width, document, fit) for block in cell.blocks)
    return cell._replace(blocks=blocks) if blocks != cell.blocks else cell


def fitted_row(row: Row, document: Document, fit: Fit) -> Row:
    """The row with the key figures of each cell sized to the cell's width."""
    cells = tuple(fitted_cell(cell, document, fit) for cell in row.cells)
    return row._replace(cells=cells) if cells != row.cells else row


def fitted_block(block: Block, width: float, document: Document, fit: Fit) -> Block:
    """The block with its key figures sized to `width` (rows: to their cells)."""
    match block:
        case Paragraph() if document.styles[block.style].fit_width:
            return _fitted_key_figure(block, width, document, fit)
        case Group() if _has_fit_width(block.blocks, document):
            blocks = tuple(fitted_block(child, width, document, fit) for child in block.blocks)
            return block._replace(blocks=blocks) if blocks != block.blocks else block
        case Row():
            return fitted_row(block, document, fit)
    return block


def _fitted_key_figure(block: Paragraph, width: float, document: Document, fit: Fit
                       ) -> Block:
    fitted = fitted_style(document.styles[block.style], fit)
    key = (id(block), round(width, 3), fitted.font_size)
    found = _FITTED.get(key)
    if found is None:
        if len(_FITTED) > LineCache.LIMIT:
            _FITTED.clear()
        found = _FITTED[key] = (block, _fitted_paragraph(block, fitted, width, document))
    return found[1]


def _has_fit_width(blocks: tuple[Block, ...], document: Document) -> bool:
    """Whether a key figure (a paragraph of a `fit_width` style) is among `blocks`."""
    key = id(blocks)
    found = _HAS_FIT_WIDTH.get(key)
    if found is None or found[0] is not blocks:
        if len(_HAS_FIT_WIDTH) > LineCache.LIMIT:
            _HAS_FIT_WIDTH.clear()
        found = _HAS_FIT_WIDTH[key] = (blocks, any(
            isinstance(block, Paragraph) and document.styles[block.style].fit_width
            for block in iter_blocks(blocks)))
    return found[1]


def _fitted_paragraph(block: Paragraph, style: ParagraphStyle, width: float,
                      document: Document) -> Paragraph:
    """A key figure on one line at `width`, smaller if need be (see `fit_wide_words`), in
    its `style` at the fit: set smaller by whole half points, the finest step a word
    processor stores, so the DOCX's figure is exactly as large as the PDF's and fits its
    line there too."""
    available = width - (style.indent if block.number is not None else 0.0)
    floor = style.min_font_size / style.font_size
    whole = one_line_width(block, style, document)
    if whole <= available + TOLERANCE:
        return block
    if whole * floor <= available + TOLERANCE:
        factor = available / whole
    else:
        widest = widest_word(block, style, document)
        if widest <= available + TOLERANCE:
            return block
        factor = max(available / widest, floor)
    size = max(math.floor(style.font_size * factor * 2 + 1e-9) / 2, style.min_font_size)
    factor = size / style.font_size
    return block._replace(spans=tuple(span._replace(scale=span.scale * factor)
                                      for span in block.spans))
