"""Same sources, same bytes: fixed dates inside documents and inside their zip containers.

Shared by every writer of Office files (the curriculum build, the Office practice files).
"""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from io import BytesIO

# The date printed into every generated document, so a rebuild does not change any byte.
FIXED_DATETIME = datetime(2023, 7, 1, tzinfo=UTC)
FIXED_DATE = FIXED_DATETIME.strftime("%Y-%m-%dT%H:%M:%SZ")
_ZIP_DATE_TIME = FIXED_DATETIME.timetuple()[:6]

CORE_PROPERTIES = "docProps/core.xml"
# Office files inside Office files: the workbook behind a PowerPoint or Word chart.
EMBEDDED_OFFICE_SUFFIXES = (".xlsx", ".docx", ".pptx")
# openpyxl stamps "modified" at save and XlsxWriter (python-pptx's chart workbooks) stamps both.
_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def normalise_zip(data: bytes) -> bytes:
    """Rewrite an Office file's zip with one fixed date and mode on every entry, order kept.

    The created and modified dates of its core properties become FIXED_DATE, and embedded
    Office files are normalised the same way, whatever library wrote them.
    """
    output = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == CORE_PROPERTIES:
                content = _CORE_DATE.sub(rb"\g<1>" + FIXED_DATE.encode() + rb"\g<3>", content)
            elif info.filename.endswith(EMBEDDED_OFFICE_SUFFIXES):
                content = normalise_zip(content)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return output.getvalue()
