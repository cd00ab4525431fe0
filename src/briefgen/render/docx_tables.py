"""Layout tables: a grid row as a one-row table of fixed-width cells, made through
python-docx's table API, with what it has no API for (width, padding, shading, borders)
written by `docx_xml`."""

from __future__ import annotations

from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml.table import CT_Tbl
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docx.table import Table

from briefgen.document import Cell, Row
from briefgen.render import docx_xml
from briefgen.render.docx_styles import FORMATS
from briefgen.render.docx_xml import twips

BORDER = 6  # eighths of a point: a cell's thin outline (0.75 pt)
LEFT_RULE = 16  # eighths of a point: a cell's rule down its left side (2 pt)
VERTICAL_ALIGNMENTS = {"middle": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
                       "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM}


def layout_table(word: Any, row: Row, insets: tuple[tuple[float, float], ...]
                 ) -> BaseOxmlElement:
    """An empty one-row layout table for `row`: fixed column widths, each cell's padding
    (`insets`: top and bottom, as the layout sets them), background, outline or left rule,
    and vertical alignment."""
    looks = tuple((cell.width, cell.padding, cell.background, cell.border, cell.border_left,
                   cell.valign) for cell in row.cells)

    def make() -> BaseOxmlElement:
        widths = [cell.width for cell in row.cells]
        element = CT_Tbl.new_tbl(1, len(widths), Pt(sum(widths)))
        table = Table(element, word)
        table.autofit = False
        docx_xml.set_layout_table(element.tblPr, twips(sum(widths)))
        for index, cell in enumerate(row.cells):
            table.columns[index].width = Pt(cell.width)
            word_cell = table.cell(0, index)
            word_cell.width = Pt(cell.width)
            word_cell.vertical_alignment = VERTICAL_ALIGNMENTS.get(
                cell.valign, WD_CELL_VERTICAL_ALIGNMENT.TOP)
            _frame_cell(element.tr_lst[0].tc_lst[index].get_or_add_tcPr(), cell,
                        insets[index])
        return element

    return FORMATS.get(("table", looks, tuple((round(top, 3), round(bottom, 3))
                                              for top, bottom in insets)), make)


def _frame_cell(properties: BaseOxmlElement, cell: Cell, inset: tuple[float, float]) -> None:
    """A cell's outline or left rule, background and padding."""
    _, right, _, left = cell.padding
    top, bottom = inset
    sides = {side: (cell.border[1:].upper(), BORDER) for side in docx_xml.SIDES if cell.border}
    if cell.border_left:
        sides["left"] = (cell.border_left[1:].upper(), LEFT_RULE)
    if sides:
        docx_xml.set_cell_borders(properties, [(side, *sides[side]) for side in docx_xml.SIDES
                                               if side in sides])
    if cell.background:
        docx_xml.set_cell_shading(properties, cell.background[1:].upper())
    docx_xml.set_cell_margins(properties, [twips(top), twips(left), twips(bottom),
                                           twips(right)])
