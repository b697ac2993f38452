"""The work plan's slow work, run by the background worker (see acompana.jobs): a download's
first build of a plan version, and a re-plan started from the web."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from acompana.jobs.services import JobFailed
from acompana.planning import files, selectors
from acompana.policy import as_actor


def plan_file(*, job, progress) -> tuple[str, bytes]:
    """One format of the plan as the owner sees it (her filters kept): every format of its
    version is built and kept, so the next download of any comes from storage at once."""
    params = job.params
    with translation.override(params["lang"]):
        progress(5, _("Reading the plan"))
        version = files.version_seen_by(actor=as_actor(job.owner), lang=params["lang"],
                                        group=params.get("group", ""),
                                        person=params.get("person", ""))
        files.build_plan_files(version, progress)
    path, _content_type, name = files.stored_file(version, params["kind"])
    return name, path.read_bytes()


def replan(*, job, progress) -> str:
    """Re-plan the year from the stored plan (the solver may take a minute); the page then
    says what moved, as people name sessions and dates."""
    from acompana.planning.services import do_plan_program

    lang = job.params.get("lang", "es")
    program = job.owner.program
    with translation.override(lang):
        progress(10, _("Looking for the best dates (this can take a minute)"))
        result = do_plan_program(program=program, by=job.owner, lang=lang)
        said = list(result.incidents)  # the solver's process died and was retried
        if result.stored is None:
            raise JobFailed("\n".join([*said, result.explanation]))
        progress(95, _("Listing what moved"))
        if not result.stored.moved:
            said.append(_("The plan was checked again; nothing had to move."))
        else:
            moved = "; ".join(selectors.moved_in_words(program=program,
                                                       moved=result.stored.moved))
            said.append(_("Re-planned. What moved: %(moved)s") % {"moved": moved})
    return "\n".join(said)
