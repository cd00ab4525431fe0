"""Measuring text: widths from the font files (through reportlab's metrics), a paragraph's
words at a style, and its lines at a width, cached for fitting.

Each word is measured once per process at 1000 pt (widths scale with the size); fitting
breaks a paragraph's lines once per font size and width, and then only adds up heights.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics

from briefgen.document import Document, Paragraph, ParagraphStyle, superscript_metrics
from briefgen.layout.fonts import register_fonts
from briefgen.layout.lines import Line, Run, RunFormat, Word, break_words

_ADVANCES: dict[tuple[str, str], float] = {}
_SPACES: dict[RunFormat, Run] = {}


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


def measured_run(text: str, run_format: RunFormat) -> Run:
    """`text` in `run_format`, measured."""
    return Run(run_format, text, text_width(text, run_format))


def space_run(run_format: RunFormat) -> Run:
    """A space in `run_format`: every word after the first has one before it."""
    space = _SPACES.get(run_format)
    if space is None:
        if len(_SPACES) > 10_000:
            _SPACES.clear()
        space = _SPACES[run_format] = measured_run(" ", run_format)
    return space


@dataclass(slots=True)
class LaidParagraph:
    lines: list[Line]
    text_width: float
    indent: float


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


def paragraph_words(paragraph: Paragraph, style: ParagraphStyle, document: Document
                    ) -> list[Word]:
    """The paragraph's words at `style`, measured."""
    words: list[Word] = []
    current: Word | None = None
    space: Run | None = None
    for run_format, text in run_formats(paragraph, style, document):
        for index, part in enumerate(text.split(" ")):
            if index:
                if current is not None:
                    words.append(current)
                    current = None
                space = space_run(run_format)
            if part:
                piece = measured_run(part, run_format)
                if current is None:
                    current = Word(space, [piece], piece.width)
                else:
                    current.pieces.append(piece)
                    current.width += piece.width
    if current is not None:
        words.append(current)
    return words


def break_lines(paragraph: Paragraph, style: ParagraphStyle, document: Document,
                width: float, words: list[Word] | None = None) -> LaidParagraph:
    """The paragraph's lines at `width`, greedily filled (`words`: its words at this style,
    when already measured)."""
    indent = (style.indent if paragraph.number is not None else 0.0) + paragraph.indent_left
    available = width - indent - paragraph.indent_right
    if words is None:
        words = paragraph_words(paragraph, style, document)
    return LaidParagraph(break_words(words, available, measured_run), available, indent)


def widest_word(paragraph: Paragraph, style: ParagraphStyle, document: Document) -> float:
    """Width of the paragraph's widest unbreakable word at this style."""
    return max((word.width for word in LINE_CACHE.words_of(paragraph, style, document)),
               default=0.0)


def one_line_width(paragraph: Paragraph, style: ParagraphStyle, document: Document) -> float:
    """Width of the whole paragraph set on one line at this style."""
    words = LINE_CACHE.words_of(paragraph, style, document)
    return sum(word.width + (word.space.width if index and word.space else 0.0)
               for index, word in enumerate(words))


class LineCache:
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
        self.words: dict[tuple[int, float], tuple[Paragraph, list[Word]]] = {}
        self.lines: dict[tuple[int, float, float], tuple[Paragraph, LaidParagraph]] = {}

    def words_of(self, paragraph: Paragraph, style: ParagraphStyle, document: Document
                 ) -> list[Word]:
        key = (id(paragraph), style.font_size)
        measured = self.words.get(key)
        if measured is None:
            if len(self.words) > self.LIMIT:
                self.words.clear()
            measured = self.words[key] = (paragraph,
                                          paragraph_words(paragraph, style, document))
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


LINE_CACHE = LineCache()
