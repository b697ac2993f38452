"""The facilitator guide PDF, laid out in parts so that one changed session re-lays out one chapter.

WeasyPrint lays out some 15 pages a second: a 90-page guide takes 6 s, too slow to redo for every
small change. So the guide is laid out as parts -- the front matter (cover and contents), the
track's introduction, and one chapter per session -- each kept in a PartStore under the hash of
its HTML and first page number, and joined with pypdf. Page numbers run on from part to part
(`counter-reset: page N` on a part's first page). The contents take each chapter's first page
from the parts' page counts (CSS target-counter cannot see the pages of another layout) and link
to the chapters; the bookmarks are made for the whole guide.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import NameObject, TextStringObject

from acompana.domain.curriculum.fingerprint import renderer_fingerprint
from acompana.domain.curriculum.html_render import (
    guide_front_document,
    guide_part_document,
    guide_title,
    render_session_html,
    render_track_intro_html,
)
from acompana.domain.curriculum.labels import labels
from acompana.domain.curriculum.model import ProgramDetails, Session, Track
from acompana.domain.curriculum.pdf import LaidOut, html_to_pdf
from acompana.domain.reproducible import FIXED_DATETIME

INTRO = "intro"
FRONT_COUNT = "front-count"  # the front matter with blank page numbers, laid out to count pages
PDF_DATE = FIXED_DATETIME.strftime("D:%Y%m%d%H%M%SZ")


class PartStore:
    """Parts of one guide laid out by earlier builds: `<name>.pdf` beside `<name>.json`.

    Without a folder nothing is kept (every part is laid out again). `laid_out` names the parts
    this store had to lay out, in order.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.laid_out: list[str] = []

    def get(self, name: str, key: str) -> LaidOut | None:
        if self.folder is None:
            return None
        try:
            record = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
            data = (self.folder / f"{name}.pdf").read_bytes()
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        if record.get("key") != key or hashlib.sha256(data).hexdigest() != record.get("sha256"):
            return None
        return LaidOut(data, record["pages"])

    def put(self, name: str, key: str, part: LaidOut) -> None:
        self.laid_out.append(name)
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{name}.pdf").write_bytes(part.data)
        record = {"key": key, "pages": part.pages, "sha256": hashlib.sha256(part.data).hexdigest()}
        (self.folder / f"{name}.json").write_text(json.dumps(record), encoding="utf-8")


def guide_pdf(track: Track, sessions: Sequence[Session], lang: str, store: PartStore,
              program: ProgramDetails | None = None) -> LaidOut:
    """The whole guide: cover, contents and the program's groups for the track, the track's
    introduction, one chapter per session."""
    title = guide_title(track, lang)
    parts = [(INTRO, guide_part_document(render_track_intro_html(track, lang), title, lang))]
    parts += [(session.id, guide_part_document(render_session_html(session, lang), title, lang))
              for session in sessions]
    front_count = guide_front_document(track, sessions, lang, {}, program)
    front_pages = _part(store, FRONT_COUNT, front_count, 1).pages
    laid_out, first_pages = _lay_out(store, parts, front_pages + 1)
    front = html_to_pdf(guide_front_document(track, sessions, lang, first_pages, program))
    if front.pages != front_pages:  # the page numbers took more room than the blanks: again
        laid_out, first_pages = _lay_out(store, parts, front.pages + 1)
        front = html_to_pdf(guide_front_document(track, sessions, lang, first_pages, program))
    return _join(front, laid_out, first_pages, track, sessions, lang)


def _lay_out(
    store: PartStore, parts: Sequence[tuple[str, str]], first_page: int
) -> tuple[list[LaidOut], dict[str, int]]:
    """Each part from the store or laid out anew, each starting after the one before."""
    laid_out, first_pages = [], {}
    for name, html in parts:
        part = _part(store, name, html, first_page)
        laid_out.append(part)
        first_pages[name] = first_page
        first_page += part.pages
    return laid_out, first_pages


def _part(store: PartStore, name: str, html: str, first_page: int) -> LaidOut:
    key = hashlib.sha256(f"{renderer_fingerprint()}\n{first_page}\n{html}".encode()).hexdigest()
    part = store.get(name, key)
    if part is None:
        part = html_to_pdf(html, first_page=first_page)
        store.put(name, key, part)
    return part


def _join(
    front: LaidOut, parts: Sequence[LaidOut], first_pages: dict[str, int], track: Track,
    sessions: Sequence[Session], lang: str,
) -> LaidOut:
    """One PDF: the parts in order, the contents linked to the chapters, and bookmarks."""
    t = labels(lang)
    writer = PdfWriter()
    for part in (front, *parts):
        writer.append(PdfReader(BytesIO(part.data)), import_outline=False)
    for link in front.open_links:
        session_id = link.target.removeprefix("session-")
        if session_id in first_pages:
            target = first_pages[session_id] - 1
            writer.add_annotation(link.page_index, Link(rect=link.rect, target_page_index=target))
    writer.add_outline_item(title=t["contents"], page_number=1)
    track_item = writer.add_outline_item(
        title=track.title.in_lang(lang), page_number=first_pages[INTRO] - 1)
    for session in sessions:
        writer.add_outline_item(
            title=f"{t['session']} {session.number}. {session.title.in_lang(lang)}",
            page_number=first_pages[session.id] - 1, parent=track_item)
    writer.page_mode = "/UseOutlines"
    writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.add_metadata({
        "/Title": guide_title(track, lang), "/Author": t["program"], "/Creator": t["program"],
        "/CreationDate": PDF_DATE, "/ModDate": PDF_DATE,
    })
    buffer = BytesIO()
    writer.write(buffer)
    return LaidOut(buffer.getvalue(), front.pages + sum(part.pages for part in parts))
