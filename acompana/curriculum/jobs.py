"""The curriculum's slow work, run by the background worker (see acompana.jobs)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from acompana.curriculum.selectors import MATERIALS, curriculum_session
from acompana.curriculum.services import do_build_material, do_build_materials


def material(*, job, progress) -> tuple[str, bytes]:
    """One material of a session slow to render (a track's PDF guide, about 5 s), brought up
    to date alone; the page offers it when done."""
    session = curriculum_session(job.params["session"])
    kind, ending = MATERIALS[job.params["material"]]
    with translation.override(job.params["lang"]):
        progress(10, _("Building the file"))
        path = do_build_material(lang=job.params["lang"], session=session, kind=kind,
                                 ending=ending, by=job.owner)
    return path.name, path.read_bytes()


def track_zip(*, job, progress) -> tuple[str, bytes]:
    """Every material of a track in one language, as one zip (about 30 s when nothing is built
    yet: the build brings the materials up to date first)."""
    track, lang = job.params["track"], job.params["lang"]
    with translation.override(lang):
        building = _("Building the materials")
        progress(5, building)

        def built_up_to(number: int, count: int, what: str) -> None:
            progress(5 + 45 * (number - 1) // count, building)  # the build: 5 to 50 percent

        report = do_build_materials(lang=lang, track=track, by=job.owner, on_step=built_up_to)
        entries = [e for e in report.files if e.track == track and e.language == lang]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, entry in enumerate(entries, start=1):
                archive.write(Path(settings.MATERIALS_DIR) / entry.path, entry.path)
                progress(50 + 50 * done // max(len(entries), 1), _("Packing the files"))
    return f"{track}-{lang}.zip", buffer.getvalue()
