"""Line breaking: a paragraph's measured words in, its lines out.

Lines break greedily at spaces (never at a no-break space, which stays inside a word); a word
wider than the whole line (a long web address) is cut after a slash or hyphen, or between
characters with a hyphen added; a last line of one short word takes the word before it along.
No fonts here: words arrive measured (`widths.py`), and cutting a word measures its
characters with the function it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

# Measuring and drawing add the same widths in the same order, so a line that fits when
# measured fits when drawn; the tolerance only absorbs rounding in the comparison itself.
TOLERANCE = 1e-6
SHORT_LAST_LINE = 0.15  # of the measure: a last line of one word this short is carried down
# Room a word processor keeps after italic text at the end of a line (LibreOffice: about a
# twelfth of the size, measured), so that a line the PDF fills to its last point with an
# italic word is broken there in the DOCX too, not one word earlier.
ITALIC_END_SHARE = 1 / 12


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


MakeRun = Callable[[str, RunFormat], Run]  # text in a format -> the run, measured


@dataclass(slots=True)
class Word:
    """Text between two break opportunities; it may change format inside ("382²,")."""

    space: Run | None  # the space before it (None at the start)
    pieces: list[Run]
    width: float


@dataclass(slots=True)
class Line:
    runs: list[Run]
    width: float


def break_words(words: list[Word], available: float, make_run: MakeRun) -> list[Line]:
    """`words` set in lines at most `available` wide, filled greedily; a last line of one
    short word takes the word before it along (a last line of one short word looks
    unfinished)."""
    limit = available + TOLERANCE
    lines = fill_lines(words, available, make_run)
    if len(lines) > 1 and len(words) > 3 and _lone_short_word(lines[-1], available):
        pair = _joined(words[-2], words[-1], make_run)
        if pair.width <= limit:
            lines = fill_lines([*words[:-2], pair], available, make_run)
    return lines


def fill_lines(words: list[Word], available: float, make_run: MakeRun) -> list[Line]:
    """Lines filled greedily with `words`."""
    limit = available + TOLERANCE
    lines: list[Line] = []
    pieces: list[Run] = []  # the line being filled, merged into runs when it is done
    used = 0.0
    for word in words:
        space = word.space
        if pieces and space is not None and (
                used + space.width + word.width + _italic_end(word) <= limit):
            pieces.append(space)
            pieces += word.pieces
            used += space.width + word.width
            continue
        if pieces:
            lines.append(Line(_merged(pieces), used))
        pieces, used = list(word.pieces), word.width
        if word.width > limit:
            chunks = _split_long_word(word, available, make_run)
            lines += [Line(_merged(chunk), sum(run.width for run in chunk))
                      for chunk in chunks[:-1]]
            pieces = chunks[-1]
            used = sum(run.width for run in pieces)
    if pieces:
        lines.append(Line(_merged(pieces), used))
    return lines


def _lone_short_word(line: Line, available: float) -> bool:
    text = "".join(run.text for run in line.runs)
    return " " not in text.strip() and line.width < SHORT_LAST_LINE * available


def _joined(first: Word, second: Word, make_run: MakeRun) -> Word:
    """Two words that must stay on one line, with the space between them."""
    space = second.space or make_run(" ", first.pieces[-1].format)
    return Word(first.space, [*first.pieces, space, *second.pieces],
                first.width + space.width + second.width)


def _italic_end(word: Word) -> float:
    """Room kept after a word that ends in italic (see `ITALIC_END_SHARE`)."""
    last = word.pieces[-1].format
    return last.size * ITALIC_END_SHARE if last.italic else 0.0


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


def _split_long_word(word: Word, available: float, make_run: MakeRun) -> list[list[Run]]:
    """A word wider than the line (a long web address, a compound noun), cut after a slash
    or hyphen where one falls on the line, else between characters with a hyphen added: a
    word is never broken without a sign that it goes on. Each chunk is one piece per
    character."""
    glyphs = [make_run(char, piece.format) for piece in word.pieces for char in piece.text]
    chunks: list[list[Run]] = []
    start = 0
    while start < len(glyphs):
        end, used = _fitting_glyphs(glyphs, start, available)
        if end >= len(glyphs):
            chunks.append(glyphs[start:end])
            break
        breaks = [index + 1 for index in range(start, end) if glyphs[index].text in "/-"]
        if breaks:
            end = breaks[-1]
            chunks.append(glyphs[start:end])
        else:
            hyphen = make_run("-", glyphs[end - 1].format)
            while end - start > 1 and used + hyphen.width > available + TOLERANCE:
                end -= 1
                used -= glyphs[end].width
            chunks.append([*glyphs[start:end], hyphen])
        start = end
    return chunks


def _fitting_glyphs(glyphs: list[Run], start: int, available: float) -> tuple[int, float]:
    """Where the glyphs from `start` that fit in `available` end (at least one), and their
    width."""
    end, used = start, 0.0
    while end < len(glyphs) and (end == start
                                 or used + glyphs[end].width <= available + TOLERANCE):
        used += glyphs[end].width
        end += 1
    return end, used
