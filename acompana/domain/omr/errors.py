"""Why a page could not be read, in sentences a coordinator can act on.

Every error names its source (file, and page for a PDF) once the reader knows it, so a batch of
forty photos tells exactly which one to retake.
"""

from __future__ import annotations


class OmrError(Exception):
    """A page that cannot be read; `reason` says what is wrong and what to do about it."""

    def __init__(self, reason: str, source: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}" if self.source else self.reason


class UnreadableFileError(OmrError):
    """The file is not an image or PDF the reader can open."""


class NotAnAcompanaFormError(OmrError):
    """No QR code on the page, or a QR code that Acompaña did not print."""


class UnreadableQrError(OmrError):
    """The page's corner markers were found but its QR code, in the photo, could not be read
    (covered, torn, folded or in shadow): the page is ours, photographed badly."""


class UnknownFormVersionError(OmrError):
    """An Acompaña form of a type or version this installation does not know how to read."""


class UnknownFormError(OmrError):
    """An Acompaña form whose layout (saved when it was printed) is not available."""


class MissingMarkersError(OmrError):
    """Too few corner markers to straighten the page."""


class DuplicatePageError(OmrError):
    """The same printed page appears twice in one batch."""


class WrongSessionError(OmrError):
    """The sheet belongs to another program, group, session or wave than the one being entered."""


class OutOfFrameError(OmrError):
    """Part of the page (and its corner markers or QR code) lies outside the photo."""


class BlurredPhotoError(OmrError):
    """The photo is too blurred (moved, or out of focus) for its corner markers to be found."""
