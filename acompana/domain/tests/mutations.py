"""Hypothesis strategies that break good files the way disks, exports and people do."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from hypothesis import strategies as st

# Text a person or another system may put in a cell: separators, quotes, line breaks, formulas,
# accents, control characters, and very long values.
TRICKY_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", ",", ";", '"', "\n", "\r\n", "\x00", "=1+1", "-", "NA", "ñ",
                     "2023-02-30", "31/12/2023", "11 de julio de 2023", "presente", "g01",
                     "bienestar-01", "ac-g01-02", "\ufeff", "x" * 5000, "x" * 140_000]),
)


@st.composite
def mutated_bytes(draw, original: bytes) -> bytes:
    """`original` with a few bytes flipped, deleted, inserted, repeated or cut off."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "delete", "insert", "repeat", "truncate"]))
        if not data:
            data += draw(st.binary(min_size=1, max_size=16))
            continue
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 32))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif kind == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 64))]
        else:
            del data[at:]
    return bytes(data)


@st.composite
def mutated_table(draw, rows: list[list[str]]) -> list[list[str]]:
    """A table with some cells replaced by odd text, and rows or columns dropped or repeated."""
    table = [list(row) for row in rows]
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cell", "cell", "drop-row", "repeat-row", "drop-column"]))
        row = draw(st.integers(0, len(table) - 1))
        if kind == "cell" and table[row]:
            table[row][draw(st.integers(0, len(table[row]) - 1))] = draw(TRICKY_TEXT)
        elif kind == "drop-row" and len(table) > 1:
            del table[row]
        elif kind == "repeat-row":
            table.insert(row, list(table[row]))
        elif kind == "drop-column" and table[0]:
            column = draw(st.integers(0, len(table[0]) - 1))
            for cells in table:
                del cells[column:column + 1]
    return table


def csv_text(rows: list[list[str]], separator: str = ",") -> str:
    """Rows as CSV, quoting a cell only when it must be."""
    def quoted(cell: str) -> str:
        if any(char in cell for char in f'{separator}"\r\n'):
            return '"' + cell.replace('"', '""') + '"'
        return cell
    return "".join(separator.join(quoted(cell) for cell in row) + "\n" for row in rows)


XLSX_CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """A workbook whose first sheet holds `rows`, cells as they are (dates stay dates)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    for row in rows:  # a workbook cannot hold control characters: they are left out
        workbook.active.append([ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str)
                                else cell for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def workbook_with_broken_member(draw, original: bytes) -> bytes:
    """A well-formed zip whose members (the sheet's XML, the shared strings...) are damaged."""
    source = zipfile.ZipFile(io.BytesIO(original))
    names = source.namelist()
    broken = draw(st.sampled_from(names))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            content = source.read(name)
            if name == broken:
                content = draw(mutated_bytes(content))
            target.writestr(name, content)
    return buffer.getvalue()
