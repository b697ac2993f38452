"""Uploads are measured while they arrive: a file over the limit is dropped at the limit.

Django writes every uploaded file to memory or a temporary file before a view sees it, whatever
its size; this handler, first in FILE_UPLOAD_HANDLERS, counts each file's bytes as they stream
in and skips the rest of a file as soon as it passes settings.MAX_UPLOAD_BYTES, so nothing
larger is ever held. Views ask `refused_uploads(request)` for the files that were dropped and
say why, as for any other refused file (acompana.domain.uploads checks the rest).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from acompana.domain.uploads import UploadRefused, too_large

REFUSED_ATTRIBUTE = "acompana_refused_uploads"


class SizeLimitUploadHandler(FileUploadHandler):
    """Passes chunks on to the next handler until a file passes the size limit, then skips it."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_BYTES:
            refusals = getattr(self.request, REFUSED_ATTRIBUTE, [])
            refusals.append(UploadRefused(too_large(self.file_name, settings.MAX_UPLOAD_BYTES)))
            setattr(self.request, REFUSED_ATTRIBUTE, refusals)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler stores the file


def refused_uploads(request) -> list[UploadRefused]:
    """The files of this request that were dropped for their size (reads request.FILES)."""
    request.FILES  # noqa: B018 parse the body, which runs the handler
    return list(getattr(request, REFUSED_ATTRIBUTE, []))
