"""Lay the page out: break lines and measure every block, in points, at one fit.

Fitting measures the page at several settings with this module, the PDF backend draws from the
same numbers, and the DOCX backend asks it how much spare height each balanced column gets; so
a fitted page never overflows when drawn, and both files share one vertical arrangement.

Rules: a paragraph is `lines x leading` tall, its first baseline one font size below its top;
blocks stack with their space after, except the last of a column; a row is as tall as its
tallest cell plus padding; a cell that `spread`s gives the height it lacks to its spacers, so
its column ends with the tallest one. Lines break greedily at spaces (never at a no-break
space); a word wider than the whole line (a long web address) is cut after a slash or hyphen,
or between characters as a last resort.

Why not reportlab's platypus: a one-pager is a plain stack of paragraphs, grid rows, rules
and pictures, and laying that out here is short. It lets fitting break a paragraph's lines
once per font size and then only add up heights, it measures each word once per process
(widths scale with the size), and it keeps platypus, a tenth of a second of every start, out
of the import. Widths come from the font files through reportlab's metrics.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefgen.document import (
    Block,
    Cell,
    Chart,
    Document,
    Fit,
    FontFamily,
    Group,
    Image,
    Measurement,
    Paragraph,
    ParagraphStyle,
    Row,
    Rule,
    Spacer,
    fitted_style,
    superscript_metrics,
)
from briefgen.errors import BriefgenBug

# Measuring and drawing add the same widths in the same order, so a line that fits when
# measured fits when drawn; the tolerance only absorbs rounding in the comparison itself.
TOLERANCE = 1e-6
NARROW_SPACE = "\u202f"  # French spacing before ; : ! ? and inside « »
NARROW_SPACE_GLYPH = 0x200A  # drawn with the hair space: 1/8 em, as French typesetters do


@lru_cache(maxsize=4)
def register_fonts(family: FontFamily) -> dict[tuple[bool, bool], str]:
    """Register the family's four faces once per process; returns reportlab font names."""
    names = {
        (False, False): family.name,
        (True, False): f"{family.name}-Bold",
        (False, True): f"{family.name}-Italic",
        (True, True): f"{family.name}-BoldItalic",
    }
    files = {(False, False): family.regular, (True, False): family.bold,
             (False, True): family.italic, (True, True): family.bold_italic}
    for key, name in names.items():
        font = TTFont(name, files[key])
        glyphs = font.face.charToGlyph
        # The font has no no-break space glyph; draw it with the space glyph (same width).
        if 0x20 in glyphs:
            glyphs.setdefault(0xA0, glyphs[0x20])
        # Its narrow no-break space is as wide as a space; French wants about 1/8 em.
        if NARROW_SPACE_GLYPH in glyphs:
            glyphs[ord(NARROW_SPACE)] = glyphs[NARROW_SPACE_GLYPH]
            font.face.charWidths[ord(NARROW_SPACE)] = font.face.charWidths[NARROW_SPACE_GLYPH]
        pdfmetrics.registerFont(font)
    return names


class RunFormat(NamedTuple):
    """How a piece of text is drawn: the same format twice on a line is one run."""

    font: str
    size: float
    rise: float
    color: str
    link: str | None
    tracking: float  # extra space after each character, in points


class Run(NamedTuple):
    format: RunFormat
    text: str
    width: float


@dataclass(slots=True)
class _Word:
    """Text between two break opportunities; it may change format inside ("382²,")."""

    space: RunFormat | None  # format of the space before it (None at the start)
    pieces: list[Run]
    width: float


@dataclass(slots=True)
class Line:
    runs: list[Run]
    width: float


@dataclass(slots=True)
class LaidParagraph:
    lines: list[Line]
    text_width: float
    indent: float


_ADVANCES: dict[tuple[str, str], float] = {}


def _advance(text: str, font: str) -> float:
    """Width of `text` at 1000 pt: widths scale with size, so each word is measured once."""
    key = (text, font)
    advance = _ADVANCES.get(key)
    if advance is None:
        if len(_ADVANCES) > 200_000:  # a long-running watch or batch keeps memory bounded
            _ADVANCES.clear()
        advance = _ADVANCES[key] = pdfmetrics.getFont(font).stringWidth(text, 1000)
    return advance


def text_width(text: str, run_format: RunFormat) -> float:
    return (_advance(text, run_format.font) * run_format.size / 1000
            + run_format.tracking * len(text))


def _run(text: str, run_format: RunFormat) -> Run:
    return Run(run_format, text, text_width(text, run_format))


_SPACES: dict[RunFormat, Run] = {}


def _space(run_format: RunFormat) -> Run:
    """A space in `run_format`: every line break asks for one."""
    space = _SPACES.get(run_format)
    if space is None:
        if len(_SPACES) > 10_000:
            _SPACES.clear()
        space = _SPACES[run_format] = _run(" ", run_format)
    return space


def run_formats(paragraph: Paragraph, style: ParagraphStyle, document: Document
                ) -> Iterator[tuple[RunFormat, str]]:
    """Each span's text with the format it is drawn in."""
    names = register_fonts(document.fonts)
    for span in paragraph.spans:
        if not span.text:
            continue
        size, rise = style.font_size * span.scale, 0.0
        if span.superscript:
            size, rise = superscript_metrics(style.font_size)
        color = span.color or (document.link_color if span.link else style.color)
        font = names[(style.bold or span.bold, style.italic or span.italic)]
        yield RunFormat(font, size, rise, color, span.link, style.tracking * size), span.text


def _words(paragraph: Paragraph, style: ParagraphStyle, document: Document) -> list[_Word]:
    words: list[_Word] = []
    current: _Word | None = None
    space: RunFormat | None = None
    for run_format, text in run_formats(paragraph, style, document):
        for index, part in enumerate(text.split(" ")):
            if index:
                if current is not None:
                    words.append(current)
                    current = None
                space = run_format
            if part:
                piece = _run(part, run_format)
                if current is None:
                    current = _Word(space, [piece], piece.width)
                else:
                    current.pieces.append(piece)
                    current.width += piece.width
    if current is not None:
        words.append(current)
    return words


def break_lines(paragraph: Paragraph, style: ParagraphStyle, document: Document,
                width: float, words: list[_Word] | None = None) -> LaidParagraph:
    """The paragraph's lines at `width`, greedily filled (`words`: its words at this style,
    when already measured)."""
    indent = style.indent if paragraph.number is not None else 0.0
    available = width - indent - paragraph.indent_right
    limit = available + TOLERANCE
    if words is None:
        words = _words(paragraph, style, document)
    lines = _fill(words, available, limit)
    if len(lines) > 1 and len(words) > 3 and _lone_short_word(lines[-1], available):
        # A last line of one short word looks unfinished: carry the word before it down.
        pair = _joined(words[-2], words[-1])
        if pair.width <= limit:
            lines = _fill([*words[:-2], pair], available, limit)
    return LaidParagraph(lines, available, indent)


SHORT_LAST_LINE = 0.15  # of the measure: a last line of one word this short is carried down


def _lone_short_word(line: Line, available: float) -> bool:
    text = "".join(run.text for run in line.runs)
    return " " not in text.strip() and line.width < SHORT_LAST_LINE * available


def _joined(first: _Word, second: _Word) -> _Word:
    """Two words that must stay on one line, with the space between them."""
    space = _space(second.space or first.pieces[-1].format)
    return _Word(first.space, [*first.pieces, space, *second.pieces],
                 first.width + space.width + second.width)


def _fill(words: list[_Word], available: float, limit: float) -> list[Line]:
    """Lines filled greedily with `words`."""
    lines: list[Line] = []
    pieces: list[Run] = []  # the line being filled, merged into runs when it is done
    used = 0.0
    for word in words:
        if pieces and word.space is not None:
            space = _space(word.space)
            if used + space.width + word.width <= limit:
                pieces.append(space)
                pieces += word.pieces
                used += space.width + word.width
                continue
        if pieces:
            lines.append(Line(_merged(pieces), used))
        pieces, used = list(word.pieces), word.width
        if word.width > limit:
            chunks = _split_long_word(word, available)
            lines += [Line(_merged(chunk), sum(run.width for run in chunk))
                      for chunk in chunks[:-1]]
            pieces = chunks[-1]
            used = sum(run.width for run in pieces)
    if pieces:
        lines.append(Line(_merged(pieces), used))
    return lines


def _merged(pieces: list[Run]) -> list[Run]:
    """Neighbouring pieces in the same format as one run each."""
    runs: list[Run] = []
    run_format = pieces[0].format
    texts: list[str] = []
    width = 0.0
    for piece in pieces:
        piece_format = piece.format
        if piece_format is not run_format and piece_format != run_format:
            runs.append(Run(run_format, "".join(texts), width))
            run_format, texts, width = piece_format, [], 0.0
        texts.append(piece.text)
        width += piece.width
    runs.append(Run(run_format, "".join(texts), width))
    return runs


def _split_long_word(word: _Word, available: float) -> list[list[Run]]:
    """A word wider than the line (a long web address, a compound noun), cut after a slash
    or hyphen where one falls on the line, else between characters with a hyphen added: a
    word is never broken without a sign that it goes on. Each chunk is one piece per
    character."""
    glyphs = [_run(char, piece.format) for piece in word.pieces for char in piece.text]
    chunks: list[list[Run]] = []
    start = 0
    while start < len(glyphs):
        end, used = start, 0.0
        while end < len(glyphs) and (end == start
                                      or used + glyphs[end].width <= available + TOLERANCE):
            used += glyphs[end].width
            end += 1
        if end >= len(glyphs):
            chunks.append(glyphs[start:end])
            break
        breaks = [index + 1 for index in range(start, end) if glyphs[index].text in "/-"]
        if breaks:
            end = breaks[-1]
            chunks.append(glyphs[start:end])
        else:
            hyphen = _run("-", glyphs[end - 1].format)
            while end - start > 1 and used + hyphen.width > available + TOLERANCE:
                end -= 1
                used -= glyphs[end].width
            chunks.append([*glyphs[start:end], hyphen])
        start = end
    return chunks


def widest_word(paragraph: Paragraph, style: ParagraphStyle, document: Document) -> float:
    """Width of the paragraph's widest unbreakable word at this style."""
    return max((word.width for word in _words(paragraph, style, document)), default=0.0)


def one_line_width(paragraph: Paragraph, style: ParagraphStyle, document: Document) -> float:
    """Width of the whole paragraph set on one line at this style."""
    words = _words(paragraph, style, document)
    return sum(word.width + (_space(word.space).width if index and word.space else 0.0)
               for index, word in enumerate(words))


class _LineCache:
    """Each paragraph's words per font size, and lines per font size and width.

    Fitting measures many settings, balancing many column widths: a new font size measures
    words again, a new width only refills lines, and drawing reuses the lines of the chosen
    fit. Shared by the documents that arranging derives from one composed page (they keep
    most paragraphs as they are); an entry holds its paragraph, so its id is never reused.
    A paragraph's words depend on its document (fonts, link colour) only through styles that
    one composed page keeps.
    """

    LIMIT = 20_000  # entries, so that a long watch or batch does not grow without bound

    def __init__(self) -> None:
        self.words: dict[tuple[int, float], tuple[Paragraph, list[_Word]]] = {}
        self.lines: dict[tuple[int, float, float], tuple[Paragraph, LaidParagraph]] = {}

    def laid(self, paragraph: Paragraph, style: ParagraphStyle, document: Document,
             width: float) -> LaidParagraph:
        key = (id(paragraph), style.font_size, width)
        found = self.lines.get(key)
        if found is not None:
            return found[1]
        measured = self.words.get(key[:2])
        if measured is None:
            if len(self.words) > self.LIMIT:
                self.words.clear()
            measured = self.words[key[:2]] = (paragraph, _words(paragraph, style, document))
        if len(self.lines) > self.LIMIT:
            self.lines.clear()
        laid = break_lines(paragraph, style, document, width, measured[1])
        self.lines[key] = (paragraph, laid)
        return laid


_CACHE = _LineCache()


def padding_scale(fit: Fit) -> float:
    """Cell padding closes up half as much as the gaps between blocks."""
    return 0.5 + 0.5 * min(fit.spacing, 1.0)


@dataclass
class Layout:
    """Heights of every block at one fit; drawing uses the same numbers.

    `spreads` holds, for each cell that spreads (in reading order), the height it gives to
    its spacers so that its column ends level with the tallest one of its row.
    """

    document: Document
    fit: Fit
    styles: dict[str, ParagraphStyle] = field(init=False)
    heights: list[tuple[str, float]] = field(default_factory=list)
    spreads: dict[int, float] = field(default_factory=dict)  # id(cell) -> spare height
    rows: list[tuple[Row, tuple[float, ...]]] = field(default_factory=list)  # cells' heights

    def __post_init__(self) -> None:
        self.styles = {name: fitted_style(style, self.fit)
                       for name, style in self.document.styles.items()}
        self.cache = _CACHE

    def laid(self, paragraph: Paragraph, width: float) -> LaidParagraph:
        return self.cache.laid(paragraph, self.styles[paragraph.style], self.document, width)

    def block_height(self, block: Block, width: float) -> tuple[float, float]:
        """Height of a block and the space after it."""
        spacing = self.fit.spacing
        if isinstance(block, Paragraph):
            style = self.styles[block.style]
            height = len(self.laid(block, width).lines) * style.leading
            self.heights.append((block.origin, height))
            return height, style.space_after
        if isinstance(block, Spacer):
            return max(block.height * spacing, block.min_height), 0.0
        if isinstance(block, Rule):
            return block.thickness, block.space_after * spacing
        if isinstance(block, Image):
            return block.height, block.space_after * spacing
        if isinstance(block, Chart):
            height = chart_height(block, self.fit)
            self.heights.append((block.origin, height))
            return height, block.space_after * spacing
        if isinstance(block, Group):
            return self.blocks_height(block.blocks, width), block.space_after * spacing
        if isinstance(block, Row):
            return self.row_height(block), block.space_after * spacing
        raise BriefgenBug(f"unknown block {block!r}")  # pragma: no cover

    def blocks_height(self, blocks: tuple[Block, ...], width: float) -> float:
        total = after = 0.0
        for block in blocks:
            height, after = self.block_height(block, width)
            total += height + after
        return total - after

    def cell_height(self, cell: Cell) -> float:
        """The height a cell's content needs, padding included."""
        top, right, bottom, left = cell.padding
        inner = self.blocks_height(cell.blocks, cell.width - left - right)
        return inner + (top + bottom) * padding_scale(self.fit)

    def row_height(self, row: Row) -> float:
        heights = [self.cell_height(cell) for cell in row.cells]
        self.rows.append((row, tuple(heights)))
        height = max(heights, default=0.0)
        for cell, own in zip(row.cells, heights, strict=True):
            if cell.valign == "spread" and _spacers(cell.blocks):
                self.spreads[id(cell)] = height - own
        return height

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
        return self.document.footer_gap * min(self.fit.spacing, 1.0)

    def spacer_height(self, spacer: Spacer, cell: Cell | None) -> float:
        """A spacer's height, with its share of its cell's spare height."""
        height = max(spacer.height * self.fit.spacing, spacer.min_height)
        spare = self.spreads.get(id(cell), 0.0) if cell is not None else 0.0
        if spare:
            total = sum(other.height for other in _spacers(cell.blocks)) if cell else 0.0
            height += spare * spacer.height / total if total else 0.0
        return height


def chart_height(chart: Chart, fit: Fit) -> float:
    """A chart's height at `fit`: as preferred as designed, and smaller with the gaps as they
    close up, never below its minimum (its labels keep their size; its bars and plot area
    give); a short brief's opened gaps leave it as designed."""
    return min(chart.height, max(chart.min_height, chart.height * fit.spacing))


def _spacers(blocks: tuple[Block, ...]) -> list[Spacer]:
    """The spacers among a column's blocks (inside its groups too), which a spread grows."""
    found: list[Spacer] = []
    for block in blocks:
        if isinstance(block, Spacer):
            found.append(block)
        elif isinstance(block, Group):
            found += _spacers(block.blocks)
    return found


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
    return Measurement(body=body, footer=footer, available=document.page.content_height,
                       block_heights=layout.heights, row_heights=layout.rows)


# ---------------------------------------------------------------------------------------------
# Balancing columns


def arrange_page(document: Document) -> Document:
    """The document with its columns balanced, its key figures sized to their columns and
    its headline's lines balanced (see `balance_columns`, `fit_wide_words` and
    `balance_headlines`); run once, before fitting."""
    return balance_headlines(fit_wide_words(balance_columns(document)))


def balance_headlines(document: Document) -> Document:
    """Headlines (H1) of several lines set at the narrowest measure that keeps their number
    of lines, so the lines come out about equal ("... almost / alone" is avoided).

    The narrower measure is a right indent on the paragraph, which a word processor honours
    too, so the DOCX breaks the headline at the same words."""
    width = document.page.content_width
    layout = Layout(document, Fit())

    def balanced(block: Block) -> Block:
        if not isinstance(block, Paragraph) or block.role != "H1":
            return block
        lines = len(layout.laid(block, width).lines)
        if lines < 2:
            return block
        low, high = 0.0, width / 2  # indents that keep the line count, and one that does not
        for _ in range(12):
            middle = (low + high) / 2
            trial = block._replace(indent_right=middle)
            if len(break_lines(trial, layout.styles[block.style], document, width).lines) > lines:
                high = middle
            else:
                low = middle
        return block._replace(indent_right=round(low, 2))

    body = tuple(balanced(block) for block in document.body)
    return document._replace(body=body) if body != document.body else document


def balance_columns(document: Document) -> Document:
    """The document with each balanced row's columns set to the split at which the longer
    of its first and last columns is shortest (within the row's allowed range).

    Done once, as designed (spacing and type at 1.0), before fitting: so fitting and both
    backends see plain fixed widths, and the room a short column leaves is used before any
    gap is closed up or type made smaller.
    """
    body = tuple(_balanced(block, document) for block in document.body)
    return document._replace(body=body) if body != document.body else document


BALANCE_STEP = 0.01  # of the row's width


def _balanced(block: Block, document: Document) -> Block:
    if not isinstance(block, Row) or block.balance is None:
        return block
    layout = Layout(document, Fit())
    low, high = block.balance
    first, last = block.cells[0], block.cells[-1]
    shared = first.width + last.width  # what the two columns split between them
    row_width = sum(cell.width for cell in block.cells)

    def heights(share: float) -> tuple[float, float, Row]:
        width = round(row_width * share, 2)
        cells = (_resized(first, width), *block.cells[1:-1], _resized(last, shared - width))
        row = block._replace(cells=cells)
        return layout.cell_height(cells[0]), layout.cell_height(cells[-1]), row

    # The first column only gets shorter as it widens and the last longer: bisect for the
    # narrowest share at which the first column is no longer the longer one.
    steps = round((high - low) / BALANCE_STEP)
    designed = first.width / row_width
    best: tuple[float, float, Row] | None = None
    lower, upper = 0, steps
    while lower <= upper:
        middle = (lower + upper) // 2
        share = low + middle * BALANCE_STEP
        left, right, row = heights(share)
        longer = max(left, right)
        if best is None or longer < best[0] - 0.5 or (
                abs(longer - best[0]) <= 0.5 and abs(share - designed) < best[1]):
            best = (longer, abs(share - designed), row)
        if left > right:
            lower = middle + 1
        else:
            upper = middle - 1
    return best[2] if best else block


def _resized(cell: Cell, width: float) -> Cell:
    """A cell at a new width, with the rows inside it scaled to match."""
    if abs(width - cell.width) < 1e-9:
        return cell
    _, right, _, left = cell.padding
    ratio = (width - left - right) / max(cell.width - left - right, 1e-9)
    return cell._replace(width=width, blocks=tuple(_scaled(block, ratio) for block in cell.blocks))


def _scaled(block: Block, ratio: float) -> Block:
    if isinstance(block, Row):
        return block._replace(cells=tuple(_resized(cell, cell.width * ratio)
                                          for cell in block.cells))
    if isinstance(block, Group):
        return block._replace(blocks=tuple(_scaled(child, ratio) for child in block.blocks))
    return block


def fit_wide_words(document: Document) -> Document:
    """Paragraphs of `fit_width` styles (a key figure) set on one line, smaller if need be,
    never below the style's minimum size: "more than 13%" does not break between "than" and
    "13%". A figure too wide even then breaks where it may (after its qualifier), and is set
    smaller only as far as its widest word needs."""
    def fitted(blocks: tuple[Block, ...], width: float) -> tuple[Block, ...]:
        return tuple(_fitted_block(block, width) for block in blocks)

    def _fitted_block(block: Block, width: float) -> Block:
        if isinstance(block, Paragraph):
            style = document.styles[block.style]
            if not style.fit_width:
                return block
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
            return block._replace(spans=tuple(span._replace(scale=span.scale * factor)
                                              for span in block.spans))
        if isinstance(block, Group):
            return block._replace(blocks=fitted(block.blocks, width))
        if isinstance(block, Row):
            return block._replace(cells=tuple(
                cell._replace(blocks=fitted(cell.blocks,
                                            cell.width - cell.padding[1] - cell.padding[3]))
                for cell in block.cells))
        return block

    body = fitted(document.body, document.page.content_width)
    return document._replace(body=body) if body != document.body else document
