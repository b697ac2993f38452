"""Paper forms: print them, send their photos, check what was read beside the paper, save."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acompana import policy
from acompana.delivery import selectors as delivery_selectors
from acompana.delivery.services import DateDiffers, SheetRejected, StaleEdit, SuggestionError
from acompana.delivery.views import FACES, date_difference, sheet_from_post
from acompana.domain.instruments import INSTRUMENTS
from acompana.domain.omr.spec import FormIdentity
from acompana.forms import selectors, services
from acompana.forms.models import ScannedPage
from acompana.i18n import say
from acompana.policy import visible_groups, visible_sessions
from acompana.programs.selectors import program_care
from acompana.uploads import refused_uploads
from acompana.wellbeing.models import Wave
from acompana.wellbeing.selectors import consenting_acompanantes
from acompana.wellbeing.services import WellbeingError


def index_view(request):
    """Sheets waiting to be checked, the upload box, and forms to print."""
    return render(request, "forms/index.html", _index(request.actor, received=None))


def _index(actor, received: services.Received | None) -> dict:
    return {"pending": selectors.pending_scans(actor=actor),
            "recent": selectors.recent_scans(actor=actor),
            "groups": visible_groups(actor).order_by("name"),
            "wave_sets": _wave_sets(actor) if policy.may_take(
                actor, "forms.do_print_questionnaires", actor.person and actor.person.program)
            else [],
            "received": received, "paper": actor.person.program.paper}


@require_POST
def upload_view(request):
    """Read the photos sent; `session` (a plan id) refuses sheets of any other session."""
    actor = request.actor
    expected = None
    if key := request.POST.get("session", ""):
        planned = get_object_or_404(visible_sessions(actor), key=key)
        expected = FormIdentity("", 0, actor.person.program.code, planned.group.code,
                                planned.session_code)
    dropped = [services.Problem(refused.message.params["name"], say(refused.message))
               for refused in refused_uploads(request)]
    files = [(f.name, f.read()) for f in request.FILES.getlist("files")]
    if dropped and not files:
        received = services.Received([], dropped)
    elif not files:
        received = services.Received([], [services.Problem("", _("Choose at least one photo or "
                                                                  "PDF to send."))])
    else:
        received = services.do_receive_scans(program=actor.person.program, files=files,
                                             by=actor.person, expected=expected)
        received.problems[:0] = dropped
    if len(received.pages) == 1 and not received.problems:
        return redirect("forms:review", pk=received.pages[0].pk)
    return render(request, "forms/index.html", _index(actor, received),
                  status=400 if received.problems and not received.pages else 200)


def review_view(request, pk: int):
    """A scanned sheet beside the form it fills: check, correct what is flagged, save."""
    sheet = selectors.sheet_to_check(actor=request.actor, pk=pk)
    if sheet.first.status != ScannedPage.Status.PENDING:
        return render(request, "forms/decided.html", {"sheet": sheet})
    match sheet.first.form_type:
        case ScannedPage.FormType.ATTENDANCE:
            return _review_attendance(request, sheet)
        case ScannedPage.FormType.QUESTIONNAIRE:
            return _review_questionnaire(request, sheet)
        case _:
            return _review_suggestion(request, sheet)


def _review_attendance(request, sheet: selectors.SheetToCheck):
    first = sheet.first
    planned = visible_sessions(request.actor).filter(
        group=first.group, session_code=first.occasion).first()
    if planned is None:
        raise Http404
    page = delivery_selectors.sheet_page(actor=request.actor, key=planned.key)
    typed = {"date": planned.date.isoformat(), "outcome": "held",
             "facilitator": planned.facilitator.code, **sheet.entry.typed}
    errors, refusal, date_differs = {}, "", None
    version = page.log.version if page.log else None
    if request.method == "POST":
        posted, typed = sheet_from_post(request.POST)
        expected = request.POST.get("version", "")
        try:
            services.do_confirm_attendance_sheet(
                scans=sheet.pages, planned=planned, sheet=posted, rules=page.rules,
                by=request.actor.person,
                expected_version=int(expected) if expected.isdigit() else None,
                date_confirmed=request.POST.get("confirm_date", "") == typed.get("date"))
            return redirect("delivery:saved", key=planned.key)
        except SheetRejected as rejected:
            errors = {name: say(message) for name, message in rejected.errors.items()}
        except DateDiffers as differs:
            date_differs, errors = differs, {"date": date_difference(differs)}
        except StaleEdit:
            refusal = _("Someone saved this session's sheet while you were checking it: open "
                        "it again to see their version.")
        except services.ScanRefused as refused:
            refusal = str(refused)
    return render(request, "forms/review_attendance.html", {
        "sheet": sheet, "page": page, "typed": typed, "errors": errors, "refusal": refusal,
        "version": version, "faces": FACES, "to_decide": sheet.entry.to_decide,
        "date_differs": date_differs},
        status=400 if errors or refusal else 200)


def _review_questionnaire(request, sheet: selectors.SheetToCheck):
    first = sheet.first
    lang = get_language()
    instrument = INSTRUMENTS[first.instrument]
    people = list(consenting_acompanantes(actor=request.actor))
    typed = {"taken_on": timezone.localdate().isoformat(), **sheet.entry.typed}
    error = ""
    if request.method == "POST":
        typed = dict(request.POST.items())
        person = next((p for p in people if p.code == typed.get("person")), None)
        try:
            taken_on = _date(typed.get("taken_on", ""), _(
                "Write the date the questionnaire was answered (year-month-day)."))
            if person is None:
                raise services.ScanRefused(_("Choose whose questionnaire this is (only "
                                             "Acompañantes who gave consent are listed)."))
            responses = [int(typed[f"item-{item.number}"]) if typed.get(
                f"item-{item.number}", "").lstrip("-").isdigit() else None
                for item in instrument.items]
            assessment = services.do_confirm_questionnaire(
                scans=sheet.pages, person=person, responses=responses, taken_on=taken_on,
                by=request.actor.person)
            return redirect("wellbeing:person_results", code=assessment.person.code)
        # ValueError: the scoring names the item and what it expects.
        except (ValueError, services.ScanRefused, WellbeingError) as problem:
            error = str(problem)
    items = [(item.number, f"item-{item.number}", item.text.in_language(lang),
              [(str(o.value), o.label.in_language(lang))
               for o in instrument.option_sets[item.options]]) for item in instrument.items]
    return render(request, "forms/review_questionnaire.html", {
        "sheet": sheet, "instrument": instrument.name.in_language(lang), "items": items,
        "people": people, "typed": typed, "error": error, "to_decide": sheet.entry.to_decide},
        status=400 if error else 200)


def _review_suggestion(request, sheet: selectors.SheetToCheck):
    typed = {"received_on": timezone.localdate().isoformat(), "text": ""}
    error = ""
    if request.method == "POST":
        typed = dict(request.POST.items())
        try:
            received_on = _date(typed.get("received_on", ""), _(
                "Write the date the slip was received (year-month-day)."))
            services.do_confirm_suggestion(scans=sheet.pages, text=typed.get("text", ""),
                                           received_on=received_on, by=request.actor.person)
            return redirect("delivery:suggestions")
        except (services.ScanRefused, SuggestionError) as problem:
            error = str(problem)
    return render(request, "forms/review_suggestion.html", {
        "sheet": sheet, "typed": typed, "error": error}, status=400 if error else 200)


def _date(text: str, problem: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise services.ScanRefused(problem) from None


def discard_view(request, pk: int):
    sheet = selectors.sheet_to_check(actor=request.actor, pk=pk)  # 404 outside the scope first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    with contextlib.suppress(services.ScanRefused):  # already decided: the list shows how
        services.do_discard_scan(scans=sheet.pages, by=request.actor.person)
    return redirect("forms:index")


def print_sheet_view(request, key: str):
    """The attendance-and-feedback sheet of one session, to print and take to the meeting."""
    planned = get_object_or_404(visible_sessions(request.actor).filter(group__isnull=False),
                                key=key)
    return _pdf(lambda paper: services.do_print_attendance_form(
        planned=planned, by=request.actor.person, paper=paper), request,
        f"asistencia-{planned.group.code}-{planned.session_code}.pdf")


def print_slips_view(request):
    group = get_object_or_404(visible_groups(request.actor), code=request.GET.get("group", ""))
    return _pdf(lambda paper: services.do_print_suggestion_slips(
        group=group, copies=_copies(request), by=request.actor.person, paper=paper), request,
        f"buzon-{group.code}.pdf")


def print_questionnaires_view(request):
    instrument, wave = request.GET.get("instrument", ""), request.GET.get("wave", "")
    if ":" in request.GET.get("choice", ""):  # the page's one list of questionnaire and wave
        instrument, wave = request.GET["choice"].split(":", 1)
    if instrument not in INSTRUMENTS:
        raise Http404
    return _pdf(lambda paper: services.do_print_questionnaires(
        program=request.actor.person.program, instrument=instrument, wave=wave,
        copies=_copies(request), by=request.actor.person, paper=paper), request,
        f"cuestionario-{instrument}-{wave}.pdf")


def _wave_sets(actor) -> list[tuple[str, str, tuple[str, ...]]]:
    """Each wave with the questionnaires the program asks in it: what may be printed."""
    care = program_care(actor.person.program)
    return [(wave, label, care.wave_instruments(wave)) for wave, label in Wave.choices]


def _copies(request) -> int:
    text = request.GET.get("copies", "1")
    return int(text) if text.isdigit() else 0


def _pdf(make, request, name: str) -> HttpResponse:
    try:
        body = make(request.GET.get("paper") or None)  # none chosen: the program's paper
    except services.ScanRefused as refused:
        return HttpResponse(str(refused), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
