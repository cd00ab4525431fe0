"""Lay the page out: break lines and measure every block, in points, at one fit.

Fitting (`fit.py`) measures the page at several settings, arranging its columns anew for each
(`balance.py`); the PDF backend draws from the same numbers (`page.py`), and the DOCX backend
asks them for each gap and each cell's padding, so a fitted page never overflows when drawn
and both files share one vertical arrangement. Lines are broken by `lines.py` from words
measured by `widths.py`; charts get their shapes from `charts.py`.

Why not reportlab's platypus: a one-pager is a plain stack of paragraphs, grid rows, rules
and pictures, and laying that out here is short. It lets fitting break a paragraph's lines
once per font size and then only add up heights, it measures each word once per process
(widths scale with the size), and it keeps platypus, a tenth of a second of every start, out
of the import.
"""

from briefgen.layout.balance import (
    arrange_columns,
    arrange_page,
    balance_columns,
    balance_lines,
    measure_arranged,
)
from briefgen.layout.fonts import NARROW_SPACE, NARROW_SPACE_GLYPH, register_fonts
from briefgen.layout.lines import TOLERANCE, Line, Run, RunFormat
from briefgen.layout.page import STRETCH_LIMIT, Layout, chart_height, lay_out, measure
from briefgen.layout.wide_words import fit_wide_words
from briefgen.layout.widths import LaidParagraph, break_lines, text_width

__all__ = [
    "NARROW_SPACE",
    "NARROW_SPACE_GLYPH",
    "STRETCH_LIMIT",
    "TOLERANCE",
    "LaidParagraph",
    "Layout",
    "Line",
    "Run",
    "RunFormat",
    "arrange_columns",
    "arrange_page",
    "balance_columns",
    "balance_lines",
    "break_lines",
    "chart_height",
    "fit_wide_words",
    "lay_out",
    "measure",
    "measure_arranged",
    "register_fonts",
    "text_width",
]
