"""The curriculum in the browser: tracks, sessions as printable pages, and their materials."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from acompana.curriculum.selectors import (
    MATERIALS,
    built_material,
    current_curriculum,
    curriculum_session,
)
from acompana.curriculum.services import do_build_material
from acompana.domain.curriculum import render_session_html
from acompana.jobs.views import start_and_show

# Those that take seconds to render (a track's PDF guide: about 5 s): when not built yet, the
# worker renders them while the page shows its progress. The others render in under half a
# second, in the request.
SLOW_MATERIALS = {"guide-pdf"}


def _lang() -> str:
    return "en" if (get_language() or "es").startswith("en") else "es"


def _track_title(track: str, lang: str) -> str:
    return next(t.title.in_lang(lang) for t in current_curriculum().tracks if t.id == track)


def index_view(request):
    curriculum, lang = current_curriculum(), _lang()
    tracks = [{"id": track.id, "title": track.title.in_lang(lang),
               "summary": track.summary.in_lang(lang),
               "sessions": [(s.id, s.number, s.title.in_lang(lang), s.duration_minutes)
                            for s in curriculum.sessions_of(track.id)]}
              for track in curriculum.tracks]
    return render(request, "curriculum/index.html", {"tracks": tracks, "lang": lang})


def session_view(request, code: str):
    session, lang = curriculum_session(code), _lang()
    return render(request, "curriculum/session.html", {
        "session": session, "title": session.title.in_lang(lang),
        "body": mark_safe(render_session_html(session, lang)),  # noqa: S308 trusted sources
        "materials": MATERIALS,
    })


def download_view(request, code: str, kind: str):
    """One built file of a session (handout, slides, attendance) or of its track (guide),
    brought up to date alone (the whole track's zip is the worker's); a slow one not built
    yet is rendered by the worker, its page showing the progress."""
    session, lang = curriculum_session(code), _lang()
    if kind not in MATERIALS:
        raise Http404("No such material.")
    manifest_kind, ending = MATERIALS[kind]
    if kind in SLOW_MATERIALS:
        path = built_material(lang=lang, session=session, kind=manifest_kind, ending=ending,
                              actor=request.actor)
        if path is None:
            return start_and_show(request, kind="curriculum.material",
                                  params={"session": code, "material": kind, "lang": lang},
                                  title=_("Facilitator guide of the track (PDF): %(track)s")
                                  % {"track": _track_title(session.track, lang)})
    else:
        path = do_build_material(lang=lang, session=session, kind=manifest_kind,
                                 ending=ending, by=request.actor)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


def track_zip_view(request, track: str):
    """Every material of a track in one language, as one zip: built by the worker while the
    page shows its progress (it takes about 30 s when nothing is built yet)."""
    lang = _lang()
    if track not in {t.id for t in current_curriculum().tracks}:
        raise Http404("No such track.")
    return start_and_show(request, kind="curriculum.track_zip",
                          params={"track": track, "lang": lang},
                          title=_("Materials of the track (zip): %(track)s")
                          % {"track": _track_title(track, lang)})
