"""Writes of confidential wellbeing data: consent, assessments, referrals.

Nothing here logs answers or scores: log lines name the record only.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acompana.domain.instruments import score
from acompana.domain.instruments.scoring import Responses
from acompana.programs.models import Person, Role
from acompana.wellbeing.models import Assessment, Consent, Referral, ReferralNote

logger = logging.getLogger("acompana.wellbeing")

PRIVACY_NOTICE_VERSION = "2023-06"


class WellbeingError(Exception):
    """A wellbeing record that cannot be saved, with the reason in a sentence."""


def active_consent(person: Person) -> Consent | None:
    return person.consents.filter(withdrawn_at__isnull=True).order_by("-given_at").first()


def do_give_consent(*, person: Person, method: str, recorded_by: Person,
                    notice_version: str = PRIVACY_NOTICE_VERSION) -> Consent:
    """Record express consent; giving it again while it stands changes nothing."""
    if person.role != Role.ACOMPANANTE:
        raise WellbeingError(_("Only Acompañantes take the wellbeing questionnaires."))
    current = active_consent(person)
    if current and current.notice_version == notice_version:
        return current
    return Consent.objects.create(person=person, notice_version=notice_version, method=method,
                                  recorded_by=recorded_by, given_at=timezone.now())


def do_withdraw_consent(*, person: Person) -> None:
    """Withdraw consent: no new assessment is stored from now on."""
    person.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())


def do_record_assessment(*, person: Person, instrument: str, wave: str,
                         responses: Responses, mode: str, entered_by: Person,
                         taken_on: dt.date | None = None) -> tuple[Assessment, Referral | None]:
    """Score and store one instrument; open a referral at once when the answers show risk."""
    consent = active_consent(person)
    if consent is None:
        raise WellbeingError(_("%(name)s has not given consent (or withdrew it): no "
                               "questionnaire can be stored.") % {"name": person.name})
    if Assessment.objects.filter(person=person, instrument=instrument, wave=wave).exists():
        raise WellbeingError(_("This questionnaire was already answered for this wave."))
    result = score(instrument, responses)  # raises ValueError naming the item on bad answers
    with transaction.atomic():
        assessment = Assessment.objects.create(
            person=person, instrument=instrument, wave=wave, mode=mode, entered_by=entered_by,
            consent=consent, taken_on=taken_on or timezone.localdate(),
            responses={str(item): value for item, value in result.answers.items()},
            total=result.total,
            subscales={key: sub.value for key, sub in result.subscales.items()},
            band=result.band.key if result.band else "", scorable=result.scorable)
        referral = None
        if result.care_flags:
            referral = Referral.objects.create(
                person=person, assessment=assessment,
                reasons=[{"key": flag.key, "es": flag.reason.es, "en": flag.reason.en}
                         for flag in result.care_flags])
            # robust: a mail outage is logged; the answers are already stored and she is answered
            transaction.on_commit(lambda: _notify_clinicians(referral), robust=True)
    return assessment, referral


def _notify_clinicians(referral: Referral) -> None:
    """E-mail the program's clinicians that a referral waits; the message holds no answers."""
    clinicians = Person.objects.filter(program=referral.person.program_id, role=Role.CLINICIAN,
                                       user__email__gt="").select_related("user")
    recipients = [clinician.user.email for clinician in clinicians]
    logger.info("referral %s opened", referral.pk)
    if recipients:
        send_mail(subject=_("Acompaña: a new referral is waiting"),
                  message=_("A new referral to mental-health care is waiting in Acompaña "
                            "(number %(id)s). Open the referral queue to see it.")
                  % {"id": referral.pk},
                  from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipients)


def do_add_referral_note(*, referral: Referral, kind: str, text: str, by: Person) -> ReferralNote:
    """Record a contact or follow-up; a closing note closes the referral."""
    if not text.strip():
        raise WellbeingError(_("Write what happened before saving the note."))
    with transaction.atomic():
        note = ReferralNote.objects.create(referral=referral, kind=kind, text=text.strip(), by=by)
        if kind == "closing":
            referral.status, referral.closed_at = Referral.Status.CLOSED, timezone.now()
        elif referral.status == Referral.Status.OPEN:
            referral.status = Referral.Status.CONTACTED
        referral.save(update_fields=["status", "closed_at"])
    return note


def do_import_submissions(*, program, instrument: str, wave: str, csv_text: str, source: str,
                          entered_by: Person) -> list[Assessment]:
    """Store every submission of an ODK, Kobo or CommCare export, or none of them.

    The same rules as any assessment apply to each row (known person, consent, one per wave,
    valid answers); every problem is reported with its row.
    """
    from acompana.domain.instruments.xlsform import SubmissionError, read_submissions

    submissions = read_submissions(instrument, csv_text, source=source)
    people = {p.code: p for p in Person.objects.filter(
        program=program, code__in=[s.respondent for s in submissions])}
    problems, stored = [], []
    with transaction.atomic():
        for submission in submissions:
            person = people.get(submission.respondent)
            if person is None:
                problems.append(_("row %(row)s: unknown participant code '%(code)s'.")
                                % {"row": submission.row, "code": submission.respondent})
                continue
            try:
                assessment, _referral = do_record_assessment(
                    person=person, instrument=instrument, wave=wave,
                    responses=submission.answers, mode="paper", entered_by=entered_by)
                stored.append(assessment)
            except (WellbeingError, ValueError) as error:
                problems.append(_("row %(row)s: %(problem)s")
                                % {"row": submission.row, "problem": error})
        if problems:
            raise SubmissionError(source, problems)  # rolls back every stored row
    return stored
