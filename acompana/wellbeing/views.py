"""Wellbeing pages. The self-assessment asks one question per screen, in large type, and can read
each question aloud; answers wait in the server-side session (never in a URL) until the last one.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acompana.audit.words import rows as audit_rows
from acompana.policy import visible_audit_entries
from acompana.programs.selectors import program_care
from acompana.wellbeing import selectors, services
from acompana.wellbeing.models import Referral, Wave

DRAFT_KEY = "wellbeing_draft"


def _lang() -> str:
    return "en" if (get_language() or "es").startswith("en") else "es"


def consent_view(request):
    person = request.actor.person
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            services.do_withdraw_consent(person=person, by=person)
            return redirect("wellbeing:consent")
        if request.POST.get("agree") != "yes":
            return render(request, "wellbeing/consent.html", {
                "consent": None, "error": _("Mark that you agree, or go back: nothing is "
                                            "stored without your consent.")}, status=400)
        services.do_give_consent(person=person, method="in-app", recorded_by=person)
        return redirect("wellbeing:start")
    return render(request, "wellbeing/consent.html",
                  {"consent": services.active_consent(person),
                   "version": services.PRIVACY_NOTICE_VERSION})


def consent_document_view(request):
    """The privacy notice as a printable form to read aloud and sign: the same text and version
    the app shows and records."""
    from acompana.domain.curriculum.pdf import html_to_pdf

    html = render_to_string("wellbeing/consent_document.html", {
        "program": request.actor.person.program, "version": services.PRIVACY_NOTICE_VERSION},
        request=request)
    response = HttpResponse(html_to_pdf(html).data, content_type="application/pdf")
    name = _("consent") + f"-{services.PRIVACY_NOTICE_VERSION}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def start_view(request):
    person = request.actor.person
    if services.active_consent(person) is None:
        return redirect("wellbeing:consent")
    wave = selectors.current_wave(person)
    pending = selectors.pending_instruments(person, wave)
    asked = selectors.battery(person, wave)
    names = {i: selectors.plain_name(i) for i in asked}
    return render(request, "wellbeing/start.html", {
        "wave": wave, "pending": [(i, names[i]) for i in pending],
        "done": [names[i] for i in asked if i not in pending],
        "help": selectors.help_contacts(person.program)})


def question_view(request, instrument: str, number: int):
    person = request.actor.person
    if (instrument not in selectors.battery(person, selectors.current_wave(person))
            or services.active_consent(person) is None):
        return redirect("wellbeing:start")
    form = selectors.questionnaire(instrument, _lang())
    numbers = [q.number for q in form.questions]
    if number not in numbers:
        return redirect("wellbeing:question", instrument=instrument, number=numbers[0])
    question = form.questions[numbers.index(number)]
    draft = request.session.setdefault(DRAFT_KEY, {}).setdefault(instrument, {})
    error = ""
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        if answer not in {str(value) for value, _label in question.options}:
            error = _("Choose one answer to go on.")
        else:
            draft[str(number)] = int(answer)
            request.session.modified = True
            position = numbers.index(number)
            if position + 1 < len(numbers):
                return redirect("wellbeing:question", instrument=instrument,
                                number=numbers[position + 1])
            return _finish(request, instrument, draft)
    return render(request, "wellbeing/question.html", {
        "form": form, "topic": selectors.plain_name(instrument), "question": question,
        "position": numbers.index(number) + 1,
        "count": len(numbers), "chosen": draft.get(str(number)), "error": error,
        "previous": numbers[numbers.index(number) - 1] if number != numbers[0] else None},
        status=400 if error else 200)


def _finish(request, instrument: str, draft: dict):
    person = request.actor.person
    try:
        _assessment, referral = services.do_record_assessment(
            person=person, instrument=instrument, wave=selectors.current_wave(person),
            responses={int(k): v for k, v in draft.items()}, mode="self", entered_by=person)
    except services.WellbeingError as error:
        return render(request, "wellbeing/start.html", {
            "error": str(error), "help": selectors.help_contacts(person.program)}, status=400)
    request.session[DRAFT_KEY].pop(instrument, None)
    request.session["wellbeing_last"] = {"instrument": instrument,
                                         "referral": referral.pk if referral else None}
    request.session.modified = True
    return redirect("wellbeing:done")


def done_view(request):
    """After a risk answer the page leads with who to call now and says only what is true of
    the alert: what was sent, what is still being sent, and who will look for her by when."""
    last = request.session.get("wellbeing_last") or {}
    person = request.actor.person
    referral = person.referrals.filter(pk=last.get("referral") or 0).first()
    assessment = person.assessments.filter(instrument=last.get("instrument")).order_by(
        "-created_at").first()
    promise = selectors.care_promise(referral) if referral else None
    return render(request, "wellbeing/done.html", {
        "assessment": assessment, "promise": promise,
        "show_scores": program_care(person.program).show_scores_to_worker,
        "help": selectors.help_contacts(person.program),
        "more": bool(selectors.pending_instruments(person, selectors.current_wave(person)))})


def my_results_view(request):
    person = request.actor.person
    return render(request, "wellbeing/my_results.html", {
        "rows": selectors.how_she_is_doing(person, _lang()),
        "show_scores": program_care(person.program).show_scores_to_worker,
        "help": selectors.help_contacts(person.program)})


def person_results_view(request, code: str):
    person = selectors.person_for_clinician(actor=request.actor, code=code)
    return render(request, "wellbeing/results_person.html", {
        "person": person, "rows": selectors.person_results(person, _lang())})


def person_fhir_view(request, code: str):
    """Her questionnaires as a FHIR Bundle of QuestionnaireResponses, for a clinic's records."""
    person = selectors.person_for_clinician(actor=request.actor, code=code)
    document = services.do_export_fhir_responses(person=person, by=request.actor)
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/fhir+json; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="{person.code}-fhir.json"'
    return response


def referrals_view(request):
    return render(request, "wellbeing/referrals.html",
                  {"queue": selectors.queue_rows(actor=request.actor)})


def _referral(request, pk: int) -> Referral:
    return get_object_or_404(
        Referral.objects.filter(person__program=request.actor.person.program_id)
        .select_related("person", "assessment"), pk=pk)


@require_POST
def acknowledge_view(request, pk: int):
    """One tap: 'contacted'. Back to where she tapped it (her home or the referral)."""
    services.do_acknowledge_referral(referral=_referral(request, pk), by=request.actor)
    back = request.POST.get("next", "")
    return redirect(back if back == reverse("wellbeing:referral", args=[pk]) else "home")


def referral_view(request, pk: int):
    referral = _referral(request, pk)
    error, typed = "", {}
    if request.method == "POST":
        typed = {"kind": request.POST.get("kind", "contact"), "text": request.POST.get("text", "")}
        try:
            services.do_add_referral_note(referral=referral, by=request.actor, **typed)
            return redirect("wellbeing:referral", pk=pk)
        except services.WellbeingError as problem:
            error = str(problem)
    reasons = [reason.get(_lang(), reason.get("es", "")) for reason in referral.reasons]
    return render(request, "wellbeing/referral.html",
                  {"referral": referral, "reasons": reasons, "error": error, "typed": typed},
                  status=400 if error else 200)


def audit_view(request):
    return render(request, "wellbeing/audit.html",
                  {"rows": audit_rows(visible_audit_entries(request.actor)[:500])})


def results_view(request):
    """Aggregates only: counts and medians by group and wave, small cells suppressed."""
    return render(request, "wellbeing/results.html", {
        "tables": selectors.aggregate_results(actor=request.actor, lang=_lang())})


def record_consent_view(request, code: str):
    """The clinician records consent signed on paper (or its withdrawal)."""
    person = selectors.person_for_clinician(actor=request.actor, code=code)
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            services.do_withdraw_consent(person=person, by=request.actor.person)
        else:
            services.do_give_consent(person=person, method="signed-paper",
                                     recorded_by=request.actor.person)
        return redirect("wellbeing:person_results", code=code)
    return redirect("wellbeing:person_results", code=code)


def paper_entry_view(request, code: str):
    """The clinician types in a paper questionnaire; a refused form keeps every answer."""
    person = selectors.person_for_clinician(actor=request.actor, code=code)
    asked = selectors.any_wave_battery(person.program)
    instrument = request.GET.get("instrument") or request.POST.get("instrument") or asked[0]
    if instrument not in asked:
        return redirect("wellbeing:person_results", code=code)
    form = selectors.questionnaire(instrument, _lang())
    typed = dict(request.POST.items())
    error = ""
    if request.method == "POST":
        answers = {q.number: int(typed[f"item-{q.number}"]) if typed.get(f"item-{q.number}",
                                                                          "").isdigit() else None
                   for q in form.questions}
        try:
            taken_on = dt.date.fromisoformat(typed.get("taken_on", ""))
        except ValueError:
            taken_on = None
        try:
            if taken_on is None:
                raise services.WellbeingError(_("Write the date the questionnaire was answered."))
            services.do_record_assessment(
                person=person, instrument=instrument, wave=typed.get("wave", ""),
                responses=answers, mode="paper", entered_by=request.actor.person,
                taken_on=taken_on)
            return redirect("wellbeing:person_results", code=code)
        except (services.WellbeingError, ValueError) as problem:
            error = str(problem)
    return render(request, "wellbeing/paper_entry.html", {
        "person": person, "form": form, "typed": typed, "error": error,
        "battery": [(i, selectors.questionnaire(i, _lang()).name) for i in asked],
        "waves": Wave.choices, "consent": services.active_consent(person)},
        status=400 if error else 200)


def evaluation_report_view(request):
    """The shareable evaluation report (aggregates only), as a PDF."""
    from django.http import HttpResponse

    from acompana.wellbeing.report import evaluation_report_pdf

    response = HttpResponse(evaluation_report_pdf(actor=request.actor, lang=_lang()),
                            content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="evaluacion-bienestar.pdf"'
    return response


def answer_view(request):
    """The questionnaires as one page that the phone keeps: answered with no signal, the answers
    wait on the phone, encrypted, and are stored (scored, referred) by the server when sent."""
    person = request.actor.person
    lang = _lang()
    forms = [selectors.offline_questionnaire(instrument, lang)
             for instrument in selectors.battery(person, selectors.current_wave(person))]
    return render(request, "wellbeing/answer.html", {
        "forms": forms, "consent": services.active_consent(person) is not None,
        "help": selectors.help_contacts(person.program),
        "pending": selectors.pending_instruments(person, selectors.current_wave(person))})
