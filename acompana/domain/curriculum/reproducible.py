"""Same sources, same bytes: fixed dates inside documents and inside their zip containers."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from io import BytesIO

# The date printed into every generated document, so a rebuild does not change any byte.
FIXED_DATETIME = datetime(2023, 7, 1, tzinfo=UTC)
FIXED_DATE = FIXED_DATETIME.strftime("%Y-%m-%dT%H:%M:%SZ")
_ZIP_DATE_TIME = FIXED_DATETIME.timetuple()[:6]


def normalise_zip(data: bytes) -> bytes:
    """Rewrite an Office file's zip with one fixed date and mode on every entry, order kept."""
    output = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info))
    return output.getvalue()
