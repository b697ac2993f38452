"""Writes of confidential wellbeing data: consent, assessments, referrals.

Nothing here logs answers or scores: log lines name the record only.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acompana import policy
from acompana.alerts.services import queue_alerts
from acompana.audit.models import AuditEntry
from acompana.audit.recording import who_and_where
from acompana.domain.export_shapes import recognise
from acompana.domain.instruments import score
from acompana.domain.instruments.scoring import Responses
from acompana.domain.instruments.xlsform import read_submissions
from acompana.domain.messages import N_, Message
from acompana.domain.tabular import ImportRejected, Problem, read_tables
from acompana.i18n import records_summary
from acompana.programs.models import Person, Role
from acompana.programs.selectors import program_care
from acompana.wellbeing.models import Assessment, Consent, Referral, ReferralNote, Wave

logger = logging.getLogger("acompana.wellbeing")

PRIVACY_NOTICE_VERSION = "2023-06"


class WellbeingError(Exception):
    """A wellbeing record that cannot be saved, with the reason in a sentence."""


def active_consent(person: Person) -> Consent | None:
    return person.consents.filter(withdrawn_at__isnull=True).order_by("-given_at").first()


def do_give_consent(*, person: Person, method: str, recorded_by: Person,
                    notice_version: str = PRIVACY_NOTICE_VERSION) -> Consent:
    """Record express consent; giving it again while it stands changes nothing."""
    policy.authorize(recorded_by, "wellbeing.do_give_consent", person)
    if person.role != Role.ACOMPANANTE:
        raise WellbeingError(_("Only Acompañantes take the wellbeing questionnaires."))
    current = active_consent(person)
    if current and current.notice_version == notice_version:
        return current
    return Consent.objects.create(person=person, notice_version=notice_version, method=method,
                                  recorded_by=recorded_by, given_at=timezone.now())


def do_withdraw_consent(*, person: Person, by: Person) -> None:
    """Withdraw consent: no new assessment is stored from now on."""
    policy.authorize(by, "wellbeing.do_withdraw_consent", person)
    person.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())


def do_record_assessment(*, person: Person, instrument: str, wave: str,
                         responses: Responses, mode: str, entered_by: Person,
                         taken_on: dt.date | None = None, source: str = "",
                         source_id: str = "") -> tuple[Assessment, Referral | None]:
    """Score and store one instrument; open a referral at once when the answers show risk.

    `taken_on` is the day it was answered (today when not given); an imported one keeps its
    `source` and the tool's `source_id`.
    """
    policy.authorize(entered_by, "wellbeing.do_record_assessment", person)
    consent = active_consent(person)
    if consent is None:
        raise WellbeingError(_("%(name)s has not given consent (or withdrew it): no "
                               "questionnaire can be stored.") % {"name": person.name})
    asked = program_care(person.program).wave_instruments(wave)
    if wave in Wave.values and instrument not in asked:
        raise WellbeingError(_("The program does not ask %(instrument)s in this wave; it asks "
                               "%(asked)s.") % {"instrument": instrument.upper(),
                                                "asked": ", ".join(i.upper() for i in asked)})
    if Assessment.objects.filter(person=person, instrument=instrument, wave=wave).exists():
        raise WellbeingError(_("This questionnaire was already answered for this wave."))
    result = score(instrument, responses)  # raises ValueError naming the item on bad answers
    with transaction.atomic():
        assessment = Assessment.objects.create(
            person=person, instrument=instrument, wave=wave, mode=mode, entered_by=entered_by,
            consent=consent, taken_on=taken_on or timezone.localdate(), source=source,
            source_id=source_id,
            responses={str(item): value for item, value in result.answers.items()},
            total=result.total,
            subscales={key: sub.value for key, sub in result.subscales.items()},
            band=result.band.key if result.band else "", scorable=result.scorable)
        referral = _open_referral(assessment, result.care_flags) if result.care_flags else None
    return assessment, referral


def _open_referral(assessment: Assessment, flags) -> Referral:
    """Open the referral and queue its alerts in the assessment's own transaction: a risk
    answer is on the clinician's queue the moment it is saved, and the messages leave from
    the worker. The escalation check is scheduled for when the program's time runs out."""
    care = program_care(assessment.person.program)
    urgency = (Referral.Urgency.ITEM9 if any(flag.key == SELF_HARM_FLAG for flag in flags)
               else Referral.Urgency.SEVERE)
    hours = (care.escalation_hours.item9 if urgency == Referral.Urgency.ITEM9
             else care.escalation_hours.severe)
    now = timezone.now()
    referral = Referral.objects.create(
        person=assessment.person, assessment=assessment, urgency=urgency, opened_at=now,
        contact_due_at=now + dt.timedelta(hours=hours),
        reasons=[{"key": flag.key, "es": flag.reason.es, "en": flag.reason.en}
                 for flag in flags])
    queue_alerts(about=referral_label(referral), topic="referral.opened",
                 recipients=first_contacts(assessment.person.program, care),
                 subject=_("Acompaña: an urgent referral is waiting"),
                 body=alert_text(referral))
    due = referral.contact_due_at
    transaction.on_commit(lambda: schedule_escalation(due), robust=True)
    logger.info("referral %s opened", referral.pk)
    return referral


SELF_HARM_FLAG = "self_harm_thoughts"  # PHQ-9 item 9 (acompana/domain/instruments/data)


def referral_label(referral: Referral) -> str:
    return f"wellbeing.referral#{referral.pk}"


def alert_text(referral: Referral, *, escalated: bool = False) -> str:
    """What an SMS, WhatsApp or e-mail says: that a referral waits, never whose or why (the
    message passes through the provider's hands)."""
    if escalated:
        return _("Acompaña: urgent referral number %(id)s has waited without contact longer "
                 "than the program allows. You are the backup contact: open Acompaña's "
                 "referral queue now.") % {"id": referral.pk}
    return _("Acompaña: urgent referral number %(id)s is waiting. Open the referral queue in "
             "Acompaña.") % {"id": referral.pk}


def first_contacts(program, care) -> list[Person]:
    """The program's clinicians but the backup contact (alerted only on escalation); all of
    them when the backup is the only one."""
    clinicians = list(Person.objects.filter(program=program, role=Role.CLINICIAN))
    first = [person for person in clinicians if person.code != care.backup_contact]
    return first or clinicians


def backup_contact(program, care) -> Person | None:
    if not care.backup_contact:
        return None
    return Person.objects.filter(program=program, code=care.backup_contact).first()


def schedule_escalation(due: dt.datetime) -> None:
    from acompana.wellbeing.tasks import escalate_referrals

    escalate_referrals.using(run_after=due).enqueue()


def do_escalate_overdue_referrals(*, by=policy.OPERATOR) -> list[Referral]:
    """Alert the backup contact of every urgent referral nobody acknowledged in time. Run by the
    worker (the server's own process, so the operator) when a referral's time runs out (and at
    its start, to catch up); running it twice escalates nothing twice."""
    policy.authorize(by, "wellbeing.do_escalate_overdue_referrals")
    escalated = []
    with transaction.atomic():
        overdue = (Referral.objects.select_for_update(of=("self",))
                   .filter(status=Referral.Status.OPEN, acknowledged_at__isnull=True,
                           escalated_at__isnull=True, contact_due_at__lte=timezone.now())
                   .select_related("person__program"))
        for referral in overdue:
            program = referral.person.program
            backup = backup_contact(program, program_care(program))
            referral.escalated_at = timezone.now()
            referral.save(update_fields=["escalated_at"])
            if backup is not None:
                queue_alerts(about=referral_label(referral), topic="referral.escalated",
                             recipients=[backup], subject=_("Acompaña: a referral waits "
                                                            "without contact"),
                             body=alert_text(referral, escalated=True))
            record_referral_step("referral.escalated", referral, actor=None)
            escalated.append(referral)
    return escalated


def record_referral_step(action: str, referral: Referral, *, actor) -> None:
    """The audit entry of a step on a referral: its number only, never whose it is or why."""
    from acompana.audit.services import do_record_access

    if actor is None:
        AuditEntry.objects.create(action=action, target=referral_label(referral),
                                  outcome=AuditEntry.Outcome.ALLOWED, **who_and_where())
        return
    do_record_access(actor=actor, action=action, target=referral_label(referral), allowed=True)


def do_acknowledge_referral(*, referral: Referral, by) -> Referral:
    """'Contactada': the clinician reached her. The first acknowledgement is the time to
    first contact; a second tap changes nothing."""
    actor = policy.authorize(by, "wellbeing.do_acknowledge_referral", referral)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.acknowledged_at is not None:
            return referral
        referral.acknowledged_at, referral.acknowledged_by = timezone.now(), actor.person
        if referral.status == Referral.Status.OPEN:
            referral.status = Referral.Status.CONTACTED
        referral.save(update_fields=["acknowledged_at", "acknowledged_by", "status"])
        record_referral_step("referral.acknowledged", referral, actor=actor)
    return referral


def do_add_referral_note(*, referral: Referral, kind: str, text: str, by) -> ReferralNote:
    """Record a contact or follow-up; a contact note acknowledges the referral, and a closing
    note closes it."""
    actor = policy.authorize(by, "wellbeing.do_add_referral_note", referral)
    if kind not in ReferralNote.Kind.values:
        raise WellbeingError(_("Choose what the note is: contact, follow-up or closing."))
    if not text.strip():
        raise WellbeingError(_("Write what happened before saving the note."))
    with transaction.atomic():
        note = ReferralNote.objects.create(referral=referral, kind=kind, text=text.strip(),
                                           by=actor.person)
        if kind == ReferralNote.Kind.CLOSING:
            referral.status, referral.closed_at = Referral.Status.CLOSED, timezone.now()
            referral.save(update_fields=["status", "closed_at"])
            record_referral_step("referral.closed", referral, actor=actor)
        elif referral.acknowledged_at is None:
            do_acknowledge_referral(referral=referral, by=actor)
            referral.refresh_from_db()
        else:
            record_referral_step("referral.note", referral, actor=actor)
    return note


@dataclass(frozen=True)
class SubmissionsReport:
    """What an import stored, and how many of the file's submissions were stored before."""

    tool: str
    stored: list[Assessment]
    known: int

    def summary(self) -> str:
        return records_summary(len(self.stored), self.known)


def do_import_submissions(*, program, instrument: str, wave: str, data: bytes, file_name: str,
                          entered_by: Person, source: str = "") -> SubmissionsReport:
    """Store every new submission of an ODK, Kobo or CommCare export, or none of them.

    The same rules as any assessment apply to each row (known person, consent, one per wave,
    valid answers); every problem is reported with its row. A submission whose id (the tool's
    own) was imported before is counted, not stored again: exports are cumulative. Each is
    dated the day it was filled in (`end`, else when it was sent), in the program's time zone.
    """
    policy.authorize(entered_by, "wellbeing.do_import_submissions", program)
    tables = read_tables(data, file_name, max_bytes=settings.MAX_UPLOAD_BYTES)
    export = recognise(tables, wanted={}, file_name=file_name)
    from_source = source or export.tool
    submissions = read_submissions(instrument, export.table, zone=ZoneInfo(program.time_zone),
                                   file_name=file_name)
    known = set(Assessment.objects.filter(
        person__program=program, source=from_source,
        source_id__in=[s.instance_id for s in submissions if s.instance_id]).values_list(
        "source_id", flat=True))
    new = [s for s in submissions if s.instance_id not in known or not s.instance_id]
    people = {p.code: p for p in Person.objects.filter(
        program=program, code__in=[s.respondent for s in new])}
    problems, stored = [], []

    def problem(submission, text: str, params: dict) -> Problem:
        return Problem(submission.row, None, Message(text, params), sheet=export.table.sheet,
                       file=file_name)

    with transaction.atomic():
        for submission in new:
            person = people.get(submission.respondent)
            if person is None:
                problems.append(problem(submission, N_("unknown participant code '%(code)s'."),
                                        {"code": submission.respondent}))
                continue
            try:
                assessment, _referral = do_record_assessment(
                    person=person, instrument=instrument, wave=wave,
                    responses=submission.answers, mode="paper", entered_by=entered_by,
                    taken_on=submission.taken_on, source=from_source,
                    source_id=submission.instance_id or "")
                stored.append(assessment)
            except (WellbeingError, ValueError) as error:
                problems.append(problem(submission, "%(problem)s", {"problem": str(error)}))
        if problems:
            raise ImportRejected(problems)  # rolls back every stored row
    return SubmissionsReport(tool=export.tool, stored=stored, known=len(known))


def do_export_fhir_responses(*, person: Person, by) -> dict:
    """A person's questionnaires as a FHIR Bundle of QuestionnaireResponses, for the clinician.

    Only the program's clinician may take it (policy `wellbeing.export_fhir`); every export is
    written to the audit trail, naming the person, never the answers.
    """
    from acompana.audit.services import do_record_access
    from acompana.domain.instruments.fhir import bundle, questionnaire_response

    actor = policy.authorize(by, "wellbeing.do_export_fhir_responses", person)
    responses = [questionnaire_response(
        instrument_id=assessment.instrument, total=assessment.total,
        answers={int(item): value for item, value in assessment.responses.items()},
        taken_on=assessment.taken_on, person_code=person.code, person_name=person.name,
        response_id=f"acompana-{assessment.pk}")
        for assessment in person.assessments.order_by("taken_on", "instrument")]
    do_record_access(actor=actor, action="export", subject="wellbeing.do_export_fhir_responses",
                     target=person.code, allowed=True)
    return bundle(responses, f"acompana-{person.code}")
