"""Lay the page out: break lines and measure every block, in points, at one fit.

Fitting measures the page at several settings with this module (arranging the columns anew
for each), the PDF backend draws from the same numbers, and the DOCX backend asks it for each
gap and each cell's padding; so a fitted page never overflows when drawn, and both files share
one vertical arrangement.

Rules: a paragraph is `lines x leading` tall, its first baseline one font size below its top;
blocks stack with their space after, except the last of a column; a row is as tall as its
tallest cell plus padding (a framed cell's padding is measured from its capitals and
descenders); a cell that `spread`s shares the height it lacks among its gaps, up to a limit,
so its column ends with the tallest one. Lines break greedily at spaces (never at a no-break
space); a word wider than the whole line (a long web address) is cut after a slash or hyphen,
or between characters as a last resort.

Why not reportlab's platypus: a one-pager is a plain stack of paragraphs, grid rows, rules
and pictures, and laying that out here is short. It lets fitting break a paragraph's lines
once per font size and then only add up heights, it measures each word once per process
(widths scale with the size), and it keeps platypus, a tenth of a second of every start, out
of the import. Widths come from the font files through reportlab's metrics.
"""

from __future__ import annotations

import math
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
    iter_blocks,
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
    italic: bool = False


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
        italic = style.italic or span.italic
        font = names[(style.bold or span.bold, italic)]
        yield RunFormat(font, size, rise, color, span.link, style.tracking * size,
                        italic), span.text


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
    indent = (style.indent if paragraph.number is not None else 0.0) + paragraph.indent_left
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
            if used + space.width + word.width + _italic_end(word) <= limit:
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


def _italic_end(word: _Word) -> float:
    """Room a word processor keeps after italic text at the end of a line (LibreOffice:
    about a twelfth of the size, measured), so that a line the PDF fills to its last point
    with an italic word is broken there in the DOCX too, not one word earlier."""
    last = word.pieces[-1].format
    return last.size * ITALIC_END_SHARE if last.italic else 0.0


ITALIC_END_SHARE = 1 / 12


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
    return max((word.width for word in _CACHE.words_of(paragraph, style, document)),
               default=0.0)


def one_line_width(paragraph: Paragraph, style: ParagraphStyle, document: Document) -> float:
    """Width of the whole paragraph set on one line at this style."""
    words = _CACHE.words_of(paragraph, style, document)
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

    def words_of(self, paragraph: Paragraph, style: ParagraphStyle, document: Document
                 ) -> list[_Word]:
        key = (id(paragraph), style.font_size)
        measured = self.words.get(key)
        if measured is None:
            if len(self.words) > self.LIMIT:
                self.words.clear()
            measured = self.words[key] = (paragraph, _words(paragraph, style, document))
        return measured[1]

    def laid(self, paragraph: Paragraph, style: ParagraphStyle, document: Document,
             width: float) -> LaidParagraph:
        key = (id(paragraph), style.font_size, width)
        found = self.lines.get(key)
        if found is not None:
            return found[1]
        words = self.words_of(paragraph, style, document)
        if len(self.lines) > self.LIMIT:
            self.lines.clear()
        laid = break_lines(paragraph, style, document, width, words)
        self.lines[key] = (paragraph, laid)
        return laid


_CACHE = _LineCache()


def padding_scale(fit: Fit) -> float:
    """Cell padding closes up half as much as the gaps between blocks."""
    return 0.5 + 0.5 * min(fit.spacing, 1.0)


# A column shorter than its row shares the difference among its gaps, each in proportion to
# its designed height, and each to at most this many times that height: past it, the rest of
# the difference stays white under the column, and the build summary says how much.
STRETCH_LIMIT = 2.0
# Gaps inside these groups hold one statement (a key figure and its label) or one quotation
# and its speaker together; a heading keeps with what follows it. They never stretch.
_UNSTRETCHED_GROUPS = {"P", "BlockQuote"}
_HEADINGS = {"H1", "H2"}


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
        self.cache = _CACHE
        self._spread: set[int] = set()  # rows whose spreading cells have shared their spare

    def laid(self, paragraph: Paragraph, width: float) -> LaidParagraph:
        return self.cache.laid(paragraph, self.styles[paragraph.style], self.document, width)

    def block_height(self, block: Block, width: float) -> tuple[float, float]:
        """Height of a block and the space after it (a spacer: its whole height, stretched
        gaps included)."""
        spacing = self.fit.spacing
        if isinstance(block, Paragraph):
            style = self.styles[block.style]
            height = len(self.laid(block, width).lines) * style.leading
            self.heights.append((block.origin, height))
            return height, style.space_after + self.extra.get(id(block), 0.0)
        if isinstance(block, Spacer):
            return self.spacer_height(block, None), 0.0
        if isinstance(block, Rule):
            height, after = block.thickness, block.space_after * spacing
        elif isinstance(block, Image):
            height, after = block.height, block.space_after * spacing
        elif isinstance(block, Chart):
            height, after = chart_height(block, self.fit), block.space_after * spacing
            self.heights.append((block.origin, height))
        elif isinstance(block, Group):
            height, after = self.blocks_height(block.blocks, width), block.space_after * spacing
        elif isinstance(block, Row):
            height, after = self.row_height(block), block.space_after * spacing
        else:  # pragma: no cover
            raise BriefgenBug(f"unknown block {block!r}")
        return height, after + self.extra.get(id(block), 0.0)

    def after(self, block: Block) -> float:
        """The space after a block at this fit, stretched as its column needs (0 for a
        spacer, which is all height)."""
        if isinstance(block, Paragraph):
            return self.styles[block.style].space_after + self.extra.get(id(block), 0.0)
        if isinstance(block, Spacer):
            return 0.0
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
            top -= style.font_size * (1 - _font_metrics(self._font(style))[0])
        last = _edge_paragraph(cell.blocks, first=False)
        if last is not None:
            style = self.styles[last.style]
            bottom -= style.leading - style.font_size * (
                1 + _font_metrics(self._font(style))[1])
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
        if sum(room) <= spare:
            shares = room
        else:  # the rate at which every gap grows until it is full: bisect for it
            low, high = 0.0, spare / max(min((w for w in weights if w > 0), default=1.0), 1e-9)
            for _ in range(40):
                rate = (low + high) / 2
                if sum(min(r, rate * w) for r, w in zip(room, weights, strict=True)) > spare:
                    high = rate
                else:
                    low = rate
            shares = [min(r, low * w) for r, w in zip(room, weights, strict=True)]
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
        for index, block in enumerate(blocks):
            if isinstance(block, Spacer):
                yield id(block), self.spacer_height(block, None), block.height
                continue
            if index < len(blocks) - 1 and not (isinstance(block, Paragraph)
                                                and block.role in _HEADINGS):
                designed = (self.document.styles[block.style].space_after
                            if isinstance(block, Paragraph) else block.space_after)
                if designed > 0:
                    yield id(block), self.after(block), designed
            if isinstance(block, Group) and block.role not in _UNSTRETCHED_GROUPS:
                yield from self._gaps(block.blocks)
            elif isinstance(block, Row) and len(block.cells) == 1:
                yield from self._gaps(block.cells[0].blocks)

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

    def spacer_height(self, spacer: Spacer, cell: Cell | None) -> float:
        """A spacer's height, with what its column's spreading added (`cell`, the cell it
        is in, is not needed: kept for callers that pass it)."""
        del cell
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


@lru_cache(maxsize=8)
def _font_metrics(font: str) -> tuple[float, float]:
    """Cap height and depth of descenders of a font, as fractions of its size."""
    face = pdfmetrics.getFont(font).face
    return face.capHeight / 1000, -face.descent / 1000


def _edge_paragraph(blocks: tuple[Block, ...], *, first: bool) -> Paragraph | None:
    """The paragraph whose line is the first (or last) of `blocks`, looking into groups;
    None when a picture, a chart, a spacer or a row comes first (or last)."""
    if not blocks:
        return None
    block = blocks[0] if first else blocks[-1]
    if isinstance(block, Paragraph):
        return block
    if isinstance(block, Group):
        return _edge_paragraph(block.blocks, first=first)
    return None


def chart_height(chart: Chart, fit: Fit) -> float:
    """A chart's height at `fit`: as preferred as designed, and smaller with the gaps as they
    close up, never below its minimum (its labels keep their size; its bars and plot area
    give); a short brief's opened gaps leave it as designed."""
    return min(chart.height, max(chart.min_height, chart.height * fit.spacing))


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


def measure_arranged(document: Document, fit: Fit) -> Measurement:
    """Heights of body and footer at `fit`, with the columns arranged for it
    (`arrange_columns`): what fitting measures."""
    return measure(arrange_columns(document, fit), fit)


# ---------------------------------------------------------------------------------------------
# Balancing lines and columns


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


# Columns arranged per document and setting: the PDF's and the DOCX's fitting try some of the
# same settings, and the fit chosen is arranged again for drawing. An entry holds its
# document, so its id is never reused.
_ARRANGED: dict[tuple[int, float, float], tuple[Document, Document]] = {}


# Display type: at these sizes and up (the quote, the deck), an unequal last line shows.
DISPLAY_SIZE = 12.5


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
        if isinstance(block, Paragraph):
            style = document.styles[block.style]
            right = style.align != "right"
            if block.indent_right or block.indent_left or not (
                    block.role == "H1" or not right or style.font_size >= DISPLAY_SIZE):
                return block
            return _balanced_lines(block, layout, width, right=right)
        if isinstance(block, Group):
            blocks = tuple(balanced(child, width) for child in block.blocks)
            return block._replace(blocks=blocks) if blocks != block.blocks else block
        if isinstance(block, Row) and (in_balanced_rows or (block.balance is None
                                                            and not block.follows)):
            cells = tuple(cell._replace(blocks=blocks) if blocks != cell.blocks else cell
                          for cell in block.cells for blocks in [tuple(
                              balanced(child, cell.width - cell.padding[1] - cell.padding[3])
                              for child in cell.blocks)])
            return block._replace(cells=cells) if cells != block.cells else block
        return block

    width = document.page.content_width
    body = tuple(balanced(block, width) for block in document.body)
    return document._replace(body=body) if body != document.body else document


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


BALANCE_STEP = 0.01  # of the row's width
SAME_HEIGHT = 0.5  # points: splits this close in height are equal, and the designed one wins


def _balanced(block: Row, followers: list[Row], layout: Layout) -> tuple[Row, list[Row]]:
    """The row at its best split (see `balance_columns`), and its followers shaped like it.

    Blocks that may move (`Group.movable`, a quote) are also tried at the end of the first
    column: moved when that makes the page shorter (a first column made longer may still be
    widened, and the rows that follow its split shortened).

    Why each column is measured on its own: a row is as tall as its tallest column, and a
    column's height depends only on its own width, so each split costs a few column
    measurements, and the followers' columns, alike in every variant, are measured once.
    """
    assert block.balance is not None
    low, high = block.balance
    row_width = sum(cell.width for cell in block.cells)
    designed = block.cells[0].width / row_width
    document = layout.document
    heights: dict[tuple[int, float], float] = {}

    def column(cell: Cell, width: float) -> float:
        key = (id(cell), width)
        height = heights.get(key)
        if height is None:
            height = heights[key] = layout.cell_height(_fitted_cell(_resized(cell, width),
                                                                    document, layout.fit))
        return height

    steps = round((high - low) / BALANCE_STEP)
    best: tuple[float, int, float, Row, float] | None = None
    for moved, variant in enumerate(_with_moves(block)):
        first, last = variant.cells[0], variant.cells[-1]
        shared = first.width + last.width  # what the two columns split between them
        widths = [round(row_width * (low + step * BALANCE_STEP), 2) for step in range(steps + 1)]
        # The first column only gets shorter as it widens, the last and the followers'
        # first columns longer and shorter: below the split where the first column stops
        # being the longer one, a wider first column can only help, so the search starts
        # there (found by bisection).
        lower, upper = 0, steps
        while lower < upper:
            middle = (lower + upper) // 2
            if column(first, widths[middle]) > column(last, shared - widths[middle]):
                lower = middle + 1
            else:
                upper = middle
        def followed(last_width: float) -> float:
            return sum(max(column(cell, cell_width) for cell, cell_width in zip(
                follower.cells, _widths_like(follower, last_width), strict=True))
                for follower in followers)

        least_followed = followed(shared - widths[-1])  # the followers are shortest at the widest
        for step in range(max(lower - 1, 0), steps + 1):
            width = widths[step]
            if best is not None and (column(last, shared - width) + least_followed
                                     > best[0] + SAME_HEIGHT):
                break  # the last column only gets longer from here
            height = max(column(first, width), column(last, shared - width),
                         *(column(cell, cell.width) for cell in variant.cells[1:-1]))
            height += followed(shared - width)
            distance = abs(low + step * BALANCE_STEP - designed)
            if best is None or height < best[0] - SAME_HEIGHT or (
                    height <= best[0] + SAME_HEIGHT and (moved, distance) < best[1:3]):
                best = (min(height, best[0]) if best else height, moved, distance, variant,
                        width)
    assert best is not None
    _, _, _, variant, width = best
    first, last = variant.cells[0], variant.cells[-1]
    shared = first.width + last.width
    cells = (_resized(first, width), *variant.cells[1:-1], _resized(last, shared - width))
    row = _fitted_row(variant._replace(cells=cells), document, layout.fit)
    return row, [_shaped_like(follower, row) for follower in followers]


def _fitted_cell(cell: Cell, document: Document, fit: Fit) -> Cell:
    """The cell with its key figures sized to its width (see `fit_wide_words`)."""
    if not _has_fit_width(cell.blocks, document):
        return cell
    width = cell.width - cell.padding[1] - cell.padding[3]
    blocks = tuple(_fitted_block(block, width, document, fit) for block in cell.blocks)
    return cell._replace(blocks=blocks) if blocks != cell.blocks else cell


def _has_fit_width(blocks: tuple[Block, ...], document: Document) -> bool:
    """Whether a key figure (a paragraph of a `fit_width` style) is among `blocks`."""
    key = id(blocks)
    found = _HAS_FIT_WIDTH.get(key)
    if found is None or found[0] is not blocks:
        if len(_HAS_FIT_WIDTH) > _LineCache.LIMIT:
            _HAS_FIT_WIDTH.clear()
        found = _HAS_FIT_WIDTH[key] = (blocks, any(
            isinstance(block, Paragraph) and document.styles[block.style].fit_width
            for block in iter_blocks(blocks)))
    return found[1]


_HAS_FIT_WIDTH: dict[int, tuple[tuple[Block, ...], bool]] = {}


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


def _natural_height(row: Row, layout: Layout) -> float:
    """A row's height at the layout's fit, before any column is stretched."""
    return max((layout.cell_height(cell) for cell in row.cells), default=0.0)


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
    if isinstance(block, Row):
        return block._replace(cells=tuple(_resized(cell, cell.width * ratio)
                                          for cell in block.cells))
    if isinstance(block, Group) and any(isinstance(child, Row | Group)
                                        for child in block.blocks):
        blocks = tuple(_scaled(child, ratio) for child in block.blocks)
        return block._replace(blocks=blocks) if blocks != block.blocks else block
    return block


def fit_wide_words(document: Document, fit: Fit | None = None) -> Document:
    """Paragraphs of `fit_width` styles (a key figure) set on one line, smaller if need be,
    never below the style's minimum size: "more than 13%" does not break between "than" and
    "13%". A figure too wide even then breaks where it may (after its qualifier), and is set
    smaller only as far as its widest word needs."""
    width = document.page.content_width
    body = tuple(_fitted_block(block, width, document, fit or Fit()) for block in document.body)
    return document._replace(body=body) if body != document.body else document


def _fitted_row(row: Row, document: Document, fit: Fit) -> Row:
    fitted = _fitted_block(row, 0.0, document, fit)
    assert isinstance(fitted, Row)
    return fitted


# Key figures sized to a column, per paragraph and width: balancing tries the same widths at
# each fit, and the same paragraph object keeps its lines in the line cache. An entry holds
# its paragraph, so its id is never reused.
_FITTED: dict[tuple[int, float, float], tuple[Paragraph, Block]] = {}


def _fitted_block(block: Block, width: float, document: Document, fit: Fit) -> Block:
    if isinstance(block, Paragraph):
        style = document.styles[block.style]
        if not style.fit_width:
            return block
        fitted = fitted_style(style, fit)
        key = (id(block), round(width, 3), fitted.font_size)
        found = _FITTED.get(key)
        if found is None:
            if len(_FITTED) > _LineCache.LIMIT:
                _FITTED.clear()
            found = _FITTED[key] = (block, _fitted_paragraph(block, fitted, width, document))
        return found[1]
    if isinstance(block, Group) and _has_fit_width(block.blocks, document):
        blocks = tuple(_fitted_block(child, width, document, fit) for child in block.blocks)
        return block._replace(blocks=blocks) if blocks != block.blocks else block
    if isinstance(block, Row):
        cells = tuple(_fitted_cell(cell, document, fit) for cell in block.cells)
        return block._replace(cells=cells) if cells != block.cells else block
    return block


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
