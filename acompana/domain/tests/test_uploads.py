"""Uploads are judged by content, size and what they would expand to, before any parser runs."""

import io
import struct
import zipfile

import pytest
from openpyxl import Workbook

from acompana.domain.uploads import (
    MAX_PIXELS,
    XLSX_MAIN,
    UploadRefused,
    check_size,
    check_upload,
)

SHEETS = {"csv", "xlsx"}


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["date", "group"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _refusal(data: bytes, name: str = "asistencia.xlsx", **kwargs) -> str:
    with pytest.raises(UploadRefused) as refused:
        check_upload(data, name, accept=kwargs.pop("accept", SHEETS), **kwargs)
    return str(refused.value)


def test_kind_is_told_by_content_not_by_name():
    assert check_upload(_xlsx(), "asistencia.csv", accept=SHEETS) == "xlsx"
    assert check_upload(b"date,group\n2023-07-11,g01\n", "asistencia.xlsx",
                        accept=SHEETS) == "csv"
    assert check_upload("fecha;grupo\n11/07/2023;Reforma ñ\n".encode("latin-1"), "a.csv",
                        accept=SHEETS) == "csv"


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "asistencia.xlsx is empty."),
    (b"date,group\x00\x01\x02binary", "holds binary data"),
    (bytes(range(256)) * 4, "holds binary data"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "old Excel file (.xls)"),
    (b"PK\x03\x04 broken zip", "is damaged"),
    (_zip({"notes.txt": b"hola"}), "is a zip archive but not an Excel workbook"),
    (_zip({"[Content_Types].xml": b"application/vnd.openxmlformats-officedocument."
                                  b"wordprocessingml.document.main+xml"}),
     "is a zip archive but not an Excel workbook"),
    (b"%PDF-1.7\n" + bytes(range(256)), "is a PDF file; expected CSV"),
])
def test_what_is_not_a_spreadsheet_is_refused_in_a_sentence(data, expected):
    assert expected in _refusal(data)


def test_zip_bomb_is_refused_by_its_ratio_before_openpyxl_sees_it():
    bomb = _zip({"[Content_Types].xml": XLSX_MAIN.encode(), "xl/worksheets/sheet1.xml":
                 b"\x00" * (5 * 1024 * 1024)})
    assert len(bomb) < 50_000
    assert "would expand to 5 MB when opened" in _refusal(bomb)


def test_a_workbook_whose_compressed_data_is_broken_is_refused_in_a_sentence():
    """Found by Hypothesis: a member whose deflate stream is damaged made zlib raise its own
    error from inside the check."""
    archive = bytearray(_zip({"[Content_Types].xml": XLSX_MAIN.encode() * 20}))
    name_length, extra_length = struct.unpack("<HH", archive[26:30])
    archive[30 + name_length + extra_length] = 0x07  # a deflate block of the reserved type
    assert "is a zip archive but not an Excel workbook" in _refusal(bytes(archive))


def test_zip_declaring_a_huge_size_is_refused_by_its_headers():
    archive = bytearray(_zip({"[Content_Types].xml": XLSX_MAIN.encode()}))
    directory = archive.rfind(b"PK\x01\x02")  # central directory: uncompressed size at +24
    archive[directory + 24:directory + 28] = struct.pack("<I", 3_000_000_000)
    assert "would expand to 2861" in _refusal(bytes(archive))


def test_too_many_members_are_refused():
    members = {"[Content_Types].xml": XLSX_MAIN.encode()} | {f"x/{n}": b"" for n in range(1001)}
    assert "refused as unsafe" in _refusal(_zip(members))


def test_size_limit_names_both_sizes():
    assert "a.csv is 12 MB; files of up to 10 MB are accepted." in _refusal(
        b"a" * (12 * 1024 * 1024), "a.csv")
    with pytest.raises(UploadRefused, match="up to 1 MB"):
        check_size(2 * 1024 * 1024, "a.csv", max_bytes=1024 * 1024)


def _png(width: int, height: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + struct.pack(">II", width, height)


def _jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    sof = b"\xff\xc0" + struct.pack(">HBHH", 17, 8, height, width) + b"\x00" * 10
    return b"\xff\xd8" + app0 + sof


def test_images_that_would_decode_to_too_many_pixels_are_refused():
    images = {"png", "jpeg"}
    assert check_upload(_png(4000, 3000), "hoja.png", accept=images) == "png"
    assert check_upload(_jpeg(4000, 3000), "hoja.jpg", accept=images) == "jpeg"
    side = int(MAX_PIXELS ** 0.5) + 10
    assert "million pixels" in _refusal(_png(side, side), "hoja.png", accept=images)
    assert "million pixels" in _refusal(_jpeg(side, side), "hoja.jpg", accept=images)


def test_a_kind_not_accepted_names_what_is():
    assert "hoja.png is a PNG file; expected CSV, Excel (.xlsx)." in _refusal(
        _png(10, 10), "hoja.png")
