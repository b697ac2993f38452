"""Office-hours entry of a session's paper sheet, laid out like the sheet itself."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from acompana.delivery import selectors, services
from acompana.delivery.models import Suggestion
from acompana.domain.attendance_import import CANONICAL_COLUMNS, ImportRejected
from acompana.domain.double_entry import sheet_from_fields
from acompana.domain.session_sheet import SessionSheet
from acompana.domain.uploads import UploadRefused, check_size
from acompana.i18n import say, say_problem
from acompana.policy import (
    may_decide_suggestion,
    visible_groups,
    visible_people,
    visible_suggestions,
)
from acompana.uploads import refused_uploads


def sheet_from_post(post) -> tuple[SessionSheet, dict]:
    """The sheet as typed, and the raw values to show again if it is refused."""
    typed = dict(post.items())
    return sheet_from_fields(typed), typed


def typed_from_log(page) -> dict:
    """The saved log as form values, for editing it again."""
    log = page.log
    if log is None:
        return {"date": page.planned.date.isoformat(), "outcome": "held",
                "facilitator": page.planned.facilitator.code}
    typed = {"date": log.date.isoformat(), "outcome": log.outcome,
             "facilitator": log.facilitator.code, "cancel_reason": log.cancel_reason,
             "duration_minutes": str(log.duration_minutes or ""), "notes": log.notes}
    typed |= {f"attendance-{a.person.code}": a.status for a in log.attendance.all()}
    typed |= {f"fidelity-{f.position}": f.status for f in log.fidelity.all()}
    typed |= {f"feedback-{f.question}-{f.face}": str(f.count) for f in log.feedback.all()}
    return typed


def entry_view(request, key: str):
    page = selectors.sheet_page(actor=request.actor, key=key)
    typed, errors, conflict, date_differs = typed_from_log(page), {}, None, None
    version = page.log.version if page.log else ""
    from_phone = _phone_conflict(request, key)
    if from_phone is not None and page.log is not None and request.method != "POST":
        # What the phone sent while someone else saved the sheet: both versions, as below.
        typed, conflict, version = from_phone, page.log, page.log.version
    if request.method == "POST":
        sheet, typed = sheet_from_post(request.POST)
        expected = request.POST.get("version", "")
        try:
            services.do_save_session_log(
                group=page.planned.group, session_code=page.planned.session_code, sheet=sheet,
                rules=page.rules, entered_by=request.actor.person, planned=page.planned,
                expected_version=int(expected) if expected.isdigit() else None,
                keep_as_first_entry=True,
                # Confirmed for the date typed now, not for one typed before the box was ticked.
                date_confirmed=request.POST.get("confirm_date", "") == typed.get("date"))
            return redirect("delivery:saved", key=key)
        except services.SheetRejected as rejected:
            errors = _said(rejected.errors)
        except services.DateDiffers as differs:
            date_differs, errors = differs, {"date": date_difference(differs)}
        except services.StaleEdit as stale:
            conflict = stale.current
            page = selectors.sheet_page(actor=request.actor, key=key)
            version = conflict.version
    return render(request, "delivery/entry.html", {
        "page": page, "typed": typed, "errors": errors, "conflict": conflict,
        "saved_values": typed_from_log(page) if conflict else None, "version": version,
        "fresh": not (errors or conflict), "faces": FACES, "date_differs": date_differs},
        status=400 if errors or conflict else 200)


FACES = ("1", "2", "3")


def _phone_conflict(request, key: str) -> dict | None:
    """The sheet a phone sent that met a newer save (?telefono=<submission id>), as typed."""
    from acompana.offline.selectors import conflicting_sheet

    submission_id = request.GET.get("telefono")
    if not submission_id:
        return None
    return conflicting_sheet(person=request.actor.person, submission_id=submission_id, key=key)


def kit_view(request, key: str):
    """Today's session on the facilitator's phone: the guide's steps and timings, the handout
    and its pictures, and attendance and fidelity for the whole group, with or without signal.
    What is marked here is saved in the same session log as the office-hours sheet."""
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    from acompana.curriculum.selectors import curriculum_session
    from acompana.domain.curriculum.html_render import render_handout_html, render_session_html

    page = selectors.sheet_page(actor=request.actor, key=key)
    lang = "en" if (get_language() or "es").startswith("en") else "es"
    session = curriculum_session(page.planned.session_code)
    typed = typed_from_log(page)
    person = request.actor.person
    if page.log is None and person.pk in {f.pk for f in page.facilitators}:
        typed["facilitator"] = person.code
    planned = page.planned
    minutes = (dt.datetime.combine(planned.date, planned.end)
               - dt.datetime.combine(planned.date, planned.start)).seconds // 60
    return render(request, "delivery/kit.html", {
        "page": page, "typed": typed, "title": session.title.in_lang(lang),
        "guide": mark_safe(render_session_html(session, lang)),  # noqa: S308 trusted sources
        "handout": mark_safe(render_handout_html(session, lang)),  # noqa: S308 trusted sources
        "minutes": typed.get("duration_minutes") or minutes, "faces": FACES,
        "version": page.log.version if page.log else ""})


def _long_date(day: dt.date) -> str:
    """'martes 11 de julio de 2023': the weekday helps find a slip of the pen."""
    return f"{date_format(day, 'l')} {date_format(day, 'DATE_FORMAT')}"


def date_difference(differs: services.DateDiffers) -> str:
    """'The plan had this session on Tuesday 8 August; the sheet says ..., 4 days later.'"""
    days = abs(differs.days)
    values = {"planned": _long_date(differs.planned), "typed": _long_date(differs.typed),
              "days": days}
    if differs.days > 0:
        said = ngettext("The plan had this session on %(planned)s; the sheet says %(typed)s, "
                        "%(days)s day later.",
                        "The plan had this session on %(planned)s; the sheet says %(typed)s, "
                        "%(days)s days later.", days) % values
    else:
        said = ngettext("The plan had this session on %(planned)s; the sheet says %(typed)s, "
                        "%(days)s day earlier.",
                        "The plan had this session on %(planned)s; the sheet says %(typed)s, "
                        "%(days)s days earlier.", days) % values
    return said + " " + _("Check the paper: if its date is right, tick the box below and save "
                          "again.")


def _said(errors: dict) -> dict[str, str]:
    return {name: say(message) for name, message in errors.items()}


def saved_view(request, key: str):
    """The sheet is saved; the next one waiting for her (the oldest of her groups') is one tap
    away, so office hours go from one sheet to the next."""
    from django.utils import timezone

    page = selectors.sheet_page(actor=request.actor, key=key)
    waiting = selectors.sheets_to_type(actor=request.actor, today=timezone.localdate(), limit=1)
    return render(request, "delivery/saved.html", {"page": page, "waiting": waiting})


def second_entry_view(request, key: str):
    """The blind second entry: the sheet's page, empty, that neither shows nor changes the log."""
    found = selectors.comparison(actor=request.actor, key=key)
    typed, errors, refusal, stale_edit = {}, {}, "", False
    if request.method == "POST":
        sheet, typed = sheet_from_post(request.POST)
        try:
            if found.page.log is None:
                raise services.EntryRefused(_("This sheet has not been typed in a first time "
                                              "yet."))
            services.do_record_second_entry(log=found.page.log, sheet=sheet,
                                            rules=found.page.rules,
                                            entered_by=request.actor.person)
            return redirect("delivery:compare", key=key)
        except services.SheetRejected as rejected:
            errors = _said(rejected.errors)
        except services.EntryRefused as refused:
            refusal = str(refused)
        except services.StaleEdit as stale:
            # Someone saved the sheet meanwhile; nothing was kept, what she typed is shown again.
            refusal = _("%(name)s saved this sheet while you were typing it; nothing was kept. "
                        "Your typing is below: check it against the paper and send it again."
                        ) % {"name": stale.current.entered_by.name}
            found, stale_edit = selectors.comparison(actor=request.actor, key=key), True
    return render(request, "delivery/second_entry.html", {
        "found": found, "page": found.page, "typed": typed, "errors": errors,
        "refusal": refusal, "fresh": not (errors or stale_edit), "faces": FACES},
        status=409 if stale_edit else 400 if errors or refusal else 200)


def compare_view(request, key: str):
    """The two entries' disagreements, each to be settled by looking at the paper sheet."""
    found = selectors.comparison(actor=request.actor, key=key)
    return render(request, "delivery/compare.html", {"found": found, "chosen": {},
                                                     "errors": {}, "refusal": ""})


def settle_view(request, key: str):
    found = selectors.comparison(actor=request.actor, key=key)
    if request.method != "POST":
        return redirect("delivery:compare", key=key)
    if found.page.log is None:
        raise Http404(_("This sheet has not been typed in yet."))
    chosen = {name.removeprefix("choice-"): value for name, value in request.POST.items()
              if name.startswith("choice-")}
    expected = request.POST.get("version", "")
    errors, refusal = {}, ""
    try:
        services.do_settle_sheet(log=found.page.log, choices=chosen, rules=found.page.rules,
                                 by=request.actor.person,
                                 expected_version=int(expected) if expected.isdigit() else 0)
        return redirect("delivery:compare", key=key)
    except services.SheetRejected as rejected:
        errors = {selectors.box_label(name, found.page): message
                  for name, message in _said(rejected.errors).items()}
    except services.StaleEdit as stale:
        refusal = _("%(name)s saved this sheet while you were choosing; the saved values below "
                    "are now theirs. Choose again.") % {"name": stale.current.entered_by.name}
        found = selectors.comparison(actor=request.actor, key=key)
    except services.EntryRefused as refused:
        refusal = str(refused)
    return render(request, "delivery/compare.html", {
        "found": found, "chosen": chosen, "errors": errors, "refusal": refusal}, status=400)


def double_entry_view(request):
    return render(request, "delivery/double_entry.html", {
        "overview": selectors.double_entry_overview(actor=request.actor)})


def import_view(request):
    """Upload an attendance file (e.g. a CommCare export); all of it is stored, or nothing."""
    typed = {"source": request.POST.get("source", ""),
             "mapping": request.POST.get("mapping", "")}
    report, problems = None, []
    if request.method == "POST":
        dropped = refused_uploads(request)
        upload = request.FILES.get("file")
        mapping = dict(line.split("=", 1) for line in typed["mapping"].splitlines()
                       if "=" in line)
        mapping = {key.strip(): value.strip() for key, value in mapping.items()}
        if dropped:
            problems = [say(refused.message) for refused in dropped]
        elif upload is None:
            problems = [_("Choose a CSV or XLSX file to import.")]
        else:
            try:
                check_size(upload.size, upload.name, settings.MAX_UPLOAD_BYTES)  # before reading
                report = services.do_import_attendance(
                    program=request.actor.person.program, data=upload.read(),
                    file_name=upload.name, entered_by=request.actor.person,
                    source=typed["source"], mapping=mapping or None)
            except UploadRefused as refused:
                problems = [say(refused.message)]
            except ImportRejected as rejected:
                problems = [say_problem(problem) for problem in rejected.problems]
    return render(request, "delivery/import.html", {
        "typed": typed, "report": report, "problems": problems,
        "columns": CANONICAL_COLUMNS}, status=400 if problems else 200)


def suggestions_view(request):
    status = request.GET.get("status", "")
    suggestions = visible_suggestions(request.actor)
    if status:
        suggestions = suggestions.filter(status=status)
    page = Paginator(suggestions.order_by("-received_on", "-id"), SUGGESTIONS_PER_PAGE
                     ).get_page(request.GET.get("page"))
    return render(request, "delivery/suggestions.html", {
        "page": page, "status": status, "statuses": Suggestion.Status.choices})


SUGGESTIONS_PER_PAGE = 50


def suggestion_new_view(request):
    groups = visible_groups(request.actor)
    people = visible_people(request.actor).filter(role="acompanante")
    typed, error = dict(request.POST.items()), ""
    if request.method == "POST":
        try:
            received = dt.date.fromisoformat(typed.get("received_on", ""))
        except ValueError:
            received = None
        try:
            if received is None:
                raise services.SuggestionError(_("Write the date it was received."))
            suggestion = services.do_receive_suggestion(
                program=request.actor.person.program, text=typed.get("text", ""),
                received_on=received, by=request.actor.person,
                person=people.filter(code=typed.get("person")).first(),
                group=groups.filter(code=typed.get("group")).first())
            return redirect("delivery:suggestion", pk=suggestion.pk)
        except services.SuggestionError as problem:
            error = str(problem)
    return render(request, "delivery/suggestion_new.html", {
        "groups": groups, "people": people, "typed": typed, "error": error},
        status=400 if error else 200)


def suggestion_view(request, pk: int):
    suggestion = get_object_or_404(visible_suggestions(request.actor), pk=pk)
    may_decide = may_decide_suggestion(request.actor)
    typed, error = dict(request.POST.items()), ""
    if request.method == "POST":  # the service asks the policy: refused is a 403
        try:
            services.do_change_suggestion_status(
                suggestion=suggestion, status=typed.get("status", ""),
                reason=typed.get("reason", ""), by=request.actor.person)
            return redirect("delivery:suggestion", pk=pk)
        except services.SuggestionError as problem:
            error = str(problem)
    return render(request, "delivery/suggestion.html", {
        "suggestion": suggestion, "may_decide": may_decide, "typed": typed, "error": error,
        "statuses": Suggestion.Status.choices}, status=400 if error else 200)


def handout_view(request, key: str):
    """A session's handout for an Acompañante of its group, attended or missed: large type,
    read aloud, kept on her phone."""
    from django.utils.safestring import mark_safe

    from acompana.curriculum.selectors import curriculum_session
    from acompana.domain.curriculum.html_render import render_handout_html
    from acompana.policy import visible_sessions

    planned = get_object_or_404(visible_sessions(request.actor).filter(group__isnull=False),
                                key=key)
    session = curriculum_session(planned.session_code)
    lang = _lang()
    return render(request, "delivery/handout.html", {
        "planned": planned, "title": session.title.in_lang(lang),
        "handout": mark_safe(render_handout_html(session, lang))})  # noqa: S308 trusted


def _lang() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "es").startswith("en") else "es"


def my_suggestion_view(request):
    """An Acompañante sends the program a suggestion, with her name or anonymously."""
    typed, error, sent = dict(request.POST.items()), "", None
    if request.method == "POST":
        try:
            sent = services.do_send_own_suggestion(
                by=request.actor.person, text=typed.get("text", ""),
                anonymous=typed.get("anonymous") == "yes")
            typed = {}
        except services.SuggestionError as problem:
            error = str(problem)
    return render(request, "delivery/my_suggestion.html",
                  {"typed": typed, "error": error, "sent": sent},
                  status=400 if error else 200)
