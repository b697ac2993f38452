"""Every uploaded file is checked here before any parser opens it.

The kind of a file is decided by its content, never by its name: a spreadsheet must be a zip
holding the OOXML workbook content type, a CSV must decode as text, an image must carry its own
signature. Files over the size limit are refused, and so are archives and images that would
expand enormously once opened (zip bombs, decompression bombs): their declared sizes are read
from the headers, before anything is decompressed. Python's zipfile never inflates a member past
its declared size (the CRC check fails), so the declared sizes bound the real work.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Collection, Iterator

from acompana.domain.messages import N_, Message

MEGABYTE = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MEGABYTE
MAX_UNCOMPRESSED = 100 * MEGABYTE  # an attendance workbook of 100,000 rows is ~15 MB inside
MAX_RATIO = 100  # ordinary workbooks compress 5-20 times; bombs, thousands of times
MAX_MEMBERS = 1000
MAX_PIXELS = 50_000_000  # a 50-megapixel photo of a paper sheet is more than enough

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
TEXT_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
# Unicode's control characters (category Cc) but tab, line feed and carriage return: one
# regular-expression scan, not a Python call per character of a file of tens of megabytes.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

KIND_NAMES = {"csv": "CSV", "xlsx": "Excel (.xlsx)", "png": "PNG", "jpeg": "JPEG", "pdf": "PDF"}


class UploadRefused(Exception):
    """An upload that is not opened, with the reason for the person who sent it."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(str(message))


def check_size(size: int, file_name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    if size > max_bytes:
        raise UploadRefused(Message(
            N_("%(name)s is %(size)s MB; files of up to %(limit)s MB are accepted."),
            {"name": file_name, "size": _megabytes(size), "limit": _megabytes(max_bytes)}))


def too_large(file_name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Message:
    """For a file refused while it arrived, before its whole size was known."""
    return Message(N_("%(name)s is larger than %(limit)s MB, the most accepted; it was not "
                      "received."), {"name": file_name, "limit": _megabytes(max_bytes)})


def check_upload(data: bytes, file_name: str, *, accept: Collection[str],
                 max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The file's kind ('csv', 'xlsx', 'png', 'jpeg' or 'pdf'), or UploadRefused saying why
    not."""
    check_size(len(data), file_name, max_bytes)
    if not data:
        raise UploadRefused(Message(N_("%(name)s is empty."), {"name": file_name}))
    kind = _kind_of(data, file_name)
    if kind not in accept:
        raise UploadRefused(Message(
            N_("%(name)s is a %(kind)s file; expected %(expected)s."),
            {"name": file_name, "kind": KIND_NAMES[kind],
             "expected": ", ".join(KIND_NAMES[k] for k in sorted(accept))}))
    return kind


def _kind_of(data: bytes, file_name: str) -> str:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        _check_workbook(data, file_name)
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadRefused(Message(N_("%(name)s is an old Excel file (.xls); save it as .xlsx "
                                       "or CSV and send it again."), {"name": file_name}))
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_pixels(_png_size(data), file_name)
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        _check_pixels(_jpeg_size(data), file_name)
        return "jpeg"
    if data.startswith(b"%PDF-"):
        return "pdf"  # its pages are counted (forms.services) before any is drawn
    _check_text(data, file_name)
    return "csv"


def _check_workbook(data: bytes, file_name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError) as error:
        raise UploadRefused(Message(N_("%(name)s looks like a zip or Excel file but is damaged; "
                                       "save it again as .xlsx or CSV."),
                                    {"name": file_name})) from error
    expanded = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if (len(members) > MAX_MEMBERS or expanded > MAX_UNCOMPRESSED
            or expanded > MAX_RATIO * max(packed, 1)):
        raise UploadRefused(Message(
            N_("%(name)s would expand to %(size)s MB when opened; it is refused as unsafe."),
            {"name": file_name, "size": _megabytes(expanded)}))
    try:
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, zlib.error, ValueError, EOFError,
            NotImplementedError) as error:  # zlib.error: a member whose deflate data is broken
        raise UploadRefused(_not_a_workbook(file_name)) from error
    if XLSX_MAIN not in types:
        raise UploadRefused(_not_a_workbook(file_name))


def _not_a_workbook(file_name: str) -> Message:
    return Message(N_("%(name)s is a zip archive but not an Excel workbook (.xlsx)."),
                   {"name": file_name})


def decoded_pieces(data: bytes, encoding: str, size: int = 256 * 1024) -> Iterator[str]:
    """The text of `data`, `size` bytes at a time, raising UnicodeDecodeError as
    `data.decode` would: a file of tens of megabytes is never held as one string."""
    decoder = codecs.getincrementaldecoder(encoding)()
    for start in range(0, len(data), size):
        yield decoder.decode(data[start:start + size])
    yield decoder.decode(b"", final=True)


def _check_text(data: bytes, file_name: str) -> None:
    for encoding in TEXT_ENCODINGS:
        binary = False
        try:
            for piece in decoded_pieces(data, encoding):  # the whole text, as decode reads it
                binary = binary or CONTROLS.search(piece) is not None
            break
        except UnicodeDecodeError:
            continue
    if binary:
        raise UploadRefused(Message(N_("%(name)s is neither a text (CSV) file nor an Excel "
                                       "workbook: it holds binary data."), {"name": file_name}))


def _png_size(data: bytes) -> tuple[int, int]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return (0, 0)
    return struct.unpack(">II", data[16:24])


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Width and height from the first start-of-frame marker; (0, 0) when there is none."""
    position = 2
    while position + 9 < len(data):
        if data[position] != 0xFF:
            return (0, 0)
        marker = data[position + 1]
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[position + 5:position + 9])
            return (width, height)
        position += 2 + length
    return (0, 0)


def _check_pixels(size: tuple[int, int], file_name: str) -> None:
    width, height = size
    if width * height > MAX_PIXELS:
        raise UploadRefused(Message(
            N_("%(name)s is an image of %(width)s × %(height)s pixels; images of up to "
               "%(limit)s million pixels are accepted."),
            {"name": file_name, "width": width, "height": height,
             "limit": MAX_PIXELS // 1_000_000}))


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f}".removesuffix(".0")
