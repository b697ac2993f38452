"""Spreadsheets that read and print whole: wrapped cells show every line, pages fit the width.

Neither Excel nor openpyxl measures wrapped text: a row written without a height opens one line
high in Excel, hiding the rest of a long instruction. So each row gets the height of its tallest
wrapped cell, estimated from the column's width and the text's length (a little generously: a
line too many is a blank strip, a line too few hides words). Printing fits every column on the
width of the paper the program uses, landscape when the columns are wider than a portrait page.
"""

from __future__ import annotations

import math

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

EXCEL_DEFAULT_WIDTH = 8.43  # characters of the default font, when a column has no width set
DEFAULT_FONT_SIZE = 11.0
LINE_POINTS = 15.0  # one line of 11 pt Calibri, Excel's default row height
# Characters of an average line of text per unit of column width (a unit is one "0" of the
# default font; letters and spaces are narrower): under 1 so the estimate errs on the tall side.
CHARACTERS_PER_WIDTH = 1.0
# Columns wider than this (in width units) do not fit a portrait page with Excel's margins:
# letter 8.5 in and A4 8.27 in less 1.5 in of margins, at about 0.073 in per unit.
PORTRAIT_WIDTH = 92
PAPER_SIZES = {"letter": Worksheet.PAPERSIZE_LETTER, "a4": Worksheet.PAPERSIZE_A4}


def fit_for_print(sheet: Worksheet, paper: str) -> None:
    """Rows tall enough for their wrapped text; printed one page wide on `paper`."""
    fit_row_heights(sheet)
    sheet.page_setup.paperSize = PAPER_SIZES[paper]
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if columns_width(sheet) > PORTRAIT_WIDTH:
        sheet.page_setup.orientation = "landscape"


def fit_row_heights(sheet: Worksheet) -> None:
    """Each row holding a wrapped text of more than one line gets the height of its lines
    (numbers and dates never wrap: Excel shows #### when they do not fit)."""
    widths = {index: column_width(sheet, index) for index in range(1, sheet.max_column + 1)}
    for row in sheet.iter_rows():
        points = max((_wrapped_points(cell, widths[cell.column]) for cell in row
                      if isinstance(cell.value, str) and cell.alignment.wrap_text), default=0.0)
        if points > LINE_POINTS:
            sheet.row_dimensions[row[0].row].height = points


def wrapped_lines(text: str, width: float, font_size: float = DEFAULT_FONT_SIZE) -> int:
    """The lines `text` takes in a wrapped cell `width` units wide, in type of `font_size`."""
    per_line = max(1, math.floor(width * CHARACTERS_PER_WIDTH * DEFAULT_FONT_SIZE / font_size))
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))


def column_width(sheet: Worksheet, index: int) -> float:
    """The column's width in characters; Excel's default when none was set (reading
    `column_dimensions` would create the column with openpyxl's own default of 13)."""
    letter = get_column_letter(index)
    if letter in sheet.column_dimensions and sheet.column_dimensions[letter].customWidth:
        return sheet.column_dimensions[letter].width
    return EXCEL_DEFAULT_WIDTH


def columns_width(sheet: Worksheet) -> float:
    """The width of every used column, in characters."""
    return sum(column_width(sheet, index) for index in range(1, sheet.max_column + 1))


def _wrapped_points(cell, width: float) -> float:
    size = float(cell.font.sz or DEFAULT_FONT_SIZE) if cell.font else DEFAULT_FONT_SIZE
    lines = wrapped_lines(cell.value, width, size)
    return lines * LINE_POINTS * size / DEFAULT_FONT_SIZE
