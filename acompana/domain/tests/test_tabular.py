"""Exports that a spreadsheet opens as data, never as formulas."""

import csv
import io

from openpyxl import load_workbook

from acompana.domain.tabular import csv_bytes, neutralise, xlsx_bytes

HOSTILE = ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tcmd", "normal", "María"]


def test_formula_starts_are_neutralised_and_other_text_is_untouched():
    assert [neutralise(v) for v in HOSTILE] == [
        "'=HYPERLINK(\"http://x\")", "'+1+1", "'-2", "'@SUM(A1)", "'\tcmd", "normal", "María"]
    assert neutralise(-2) == -2  # numbers stay numbers


def test_csv_round_trip_keeps_accents_and_neutralises():
    data = csv_bytes(["nota"], [[value] for value in HOSTILE])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")" and rows[-1][0] == "María"


def test_xlsx_cells_hold_no_formulas():
    data = xlsx_bytes([("Notas", ["nota"], [[value] for value in HOSTILE])])
    sheet = load_workbook(io.BytesIO(data))["Notas"]
    values = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert values[0] == "'=HYPERLINK(\"http://x\")"
