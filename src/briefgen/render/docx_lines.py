"""The PDF's line breaks followed in the DOCX, where a word processor might break otherwise."""

from __future__ import annotations

import itertools
import re

from briefgen.document import Span
from briefgen.render.docx_xml import LINE_BREAK

NO_BREAK_SPACE = "\u00a0"


class PdfLines:
    """A paragraph's spans and the number of words on each line the PDF sets, to make the
    DOCX break where the PDF does.

    Why: a word processor fills lines with the same widths (the same font, no kerning), yet a
    fraction of a point decides whether a last word fits, so it may break a line one word
    earlier or later. The PDF never ends a paragraph on a lone short word ("2020 / года"):
    where its last line holds two or more words, the DOCX joins the last two with a no-break
    space, so that a line broken one word earlier carries both down, as the PDF does."""

    def __init__(self, spans: tuple[Span, ...], words_per_line: list[int]) -> None:
        self.source = spans
        self.words_per_line = words_per_line
        self.gaps: list[tuple[int, int]] = []  # between words: (start, end) of the spaces
        self.split_word = False
        if len(words_per_line) > 1:  # one line: nothing to follow
            text = "".join(span.text for span in spans)
            offset = len(text) - len(text.lstrip(" "))
            self.gaps = [(match.start() + offset, match.end() + offset)
                         for match in re.finditer(" +", text.strip(" "))]
            # The PDF cuts a word wider than its line (a long address) after a slash or
            # hyphen: its lines then hold more pieces than the text has words.
            self.split_word = sum(words_per_line) != len(self.gaps) + 1
        self.broken = len(words_per_line) > 1 and not self.split_word

    def spans(self, *, line_breaks: bool) -> tuple[Span, ...]:
        """The spans with an explicit line break at each of the PDF's line ends
        (`line_breaks`), or with the last two words joined when the PDF's last line holds
        both."""
        if not self.broken:
            return self.source
        replaced: dict[int, str] = {}
        if line_breaks:
            ends = itertools.accumulate(self.words_per_line[:-1])
            for start, end in (self.gaps[count - 1] for count in ends):
                # The space stays before the break: a reader of the bare text (a search,
                # a copy) still finds two words.
                replaced |= {start: " " + LINE_BREAK} | dict.fromkeys(range(start + 1, end), "")
        elif self.words_per_line[-1] > 1:
            start, end = self.gaps[-1]
            replaced = dict.fromkeys(range(start, end), NO_BREAK_SPACE)
        spans, offset = [], 0
        for span in self.source:
            end = offset + len(span.text)
            inside = [(at - offset, new) for at, new in replaced.items() if offset <= at < end]
            if inside:
                characters = list(span.text)
                for at, new in inside:
                    characters[at] = new
                span = span._replace(text="".join(characters))
            spans.append(span)
            offset = end
        return tuple(spans)
