"""Writes of the installable app: a device's key, and each submission received from a device.

A submission is stored through the service that stores the same thing online (the wellbeing
questionnaire through `do_record_assessment`, a session's sheet through `do_save_session_log`),
so the rules (consent, one per wave, the sheet's validation, a stale edit) are the same.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from acompana import policy
from acompana.offline.models import DeviceKey, Submission
from acompana.programs.models import Person

logger = logging.getLogger("acompana.offline")


class SubmissionRefused(Exception):
    """A submission the server will not store, with the reason in a sentence."""


class SubmissionConflict(SubmissionRefused):
    """A record saved by someone else after the phone opened it; `kept` is what the phone sent,
    kept to be compared with the saved one."""

    def __init__(self, message: str, kept: dict):
        self.kept = kept
        super().__init__(message)


def do_issue_device_key(*, by: Person) -> DeviceKey:
    """A new key for what this person's device keeps while she is logged in on it."""
    policy.authorize(by, "offline.do_issue_device_key")
    return DeviceKey.objects.create(person=by, secret=secrets.token_bytes(32))


def do_receive_submission(*, by: Person, submission_id: str, kind: str,
                          payload: dict) -> Submission:
    """Store a device's submission once: the same id again answers what the first one got."""
    policy.authorize(by, "offline.do_receive_submission")
    try:
        submission_uuid = uuid.UUID(str(submission_id))
    except ValueError as error:
        raise SubmissionRefused(_("The submission has no valid id.")) from error
    store = STORES.get(kind)
    if store is None:
        raise SubmissionRefused(_("Unknown kind of submission: %(kind)s.") % {"kind": kind})
    earlier = Submission.objects.filter(submission_id=submission_uuid).first()
    if earlier is not None:
        return _same_sender(earlier, by)
    try:
        with transaction.atomic():
            # The row first: a second copy arriving at the same time waits here, then fails.
            submission = Submission.objects.create(submission_id=submission_uuid, person=by,
                                                   kind=kind, status=Submission.Status.ACCEPTED)
            try:
                with transaction.atomic():
                    submission.outcome = store(by, payload)
            except SubmissionConflict as conflict:
                submission.status, submission.message = Submission.Status.CONFLICT, str(conflict)
                submission.outcome = conflict.kept | {"compare": _compare_url(conflict.kept,
                                                                              submission)}
            except SubmissionRefused as refused:
                submission.status, submission.message = Submission.Status.REFUSED, str(refused)
            submission.save(update_fields=["status", "message", "outcome"])
    except IntegrityError:
        return _same_sender(Submission.objects.get(submission_id=submission_uuid), by)
    logger.info("submission %s %s: %s", kind, submission.pk, submission.status)
    return submission


def _same_sender(submission: Submission, by: Person) -> Submission:
    if submission.person_id != by.pk:
        raise SubmissionRefused(_("This submission was sent by someone else."))
    return submission


def _store_assessment(by: Person, payload: dict) -> dict:
    """A questionnaire answered on the device: scored, stored and referred as online."""
    import datetime as dt

    from acompana.wellbeing import selectors, services

    instrument = str(payload.get("instrument", ""))
    if instrument not in selectors.any_wave_battery(by.program):
        raise SubmissionRefused(_("This questionnaire is not one the program asks."))
    try:
        taken_on = dt.date.fromisoformat(str(payload.get("taken_on", "")))
        responses = {int(item): (None if value is None else int(value))
                     for item, value in dict(payload.get("responses", {})).items()}
    except (TypeError, ValueError) as error:
        raise SubmissionRefused(_("The answers could not be read.")) from error
    try:
        assessment, referral = services.do_record_assessment(
            person=by, instrument=instrument, wave=selectors.current_wave(by),
            responses=responses, mode="self", entered_by=by, taken_on=taken_on)
    except (services.WellbeingError, ValueError) as error:
        raise SubmissionRefused(str(error)) from error
    return {"assessment": assessment.pk, "referral": referral is not None}


def _store_session(by: Person, payload: dict) -> dict:
    """A session's attendance, fidelity and feedback marked on the phone: saved through the same
    service as the office-hours sheet, into the same log; a newer save there is a conflict."""
    from django.http import Http404

    from acompana.delivery import selectors, services
    from acompana.domain.double_entry import sheet_from_fields
    from acompana.i18n import say

    key = str(payload.get("key", ""))
    fields = {str(name): str(value) for name, value in dict(payload.get("fields", {})).items()}
    try:
        page = selectors.sheet_page(actor=policy.as_actor(by), key=key)
    except Http404 as error:
        raise SubmissionRefused(_("This session is not one of yours.")) from error
    version = str(payload.get("version", ""))
    try:
        log = services.do_save_session_log(
            group=page.planned.group, session_code=page.planned.session_code,
            sheet=sheet_from_fields(fields), rules=page.rules, entered_by=by,
            planned=page.planned, expected_version=int(version) if version.isdigit() else None,
            keep_as_first_entry=True)
    except services.SheetRejected as rejected:
        raise SubmissionRefused("; ".join(say(message) for message in rejected.errors.values())
                                ) from rejected
    except services.StaleEdit as stale:
        raise SubmissionConflict(
            _("%(name)s saved this session's sheet after the phone opened it; nothing was "
              "overwritten. Compare both versions.") % {"name": stale.current.entered_by.name},
            {"key": key, "fields": fields}) from stale
    return {"log": log.pk, "version": log.version}


def _compare_url(kept: dict, submission: Submission) -> str:
    from django.urls import reverse

    return (reverse("delivery:entry", kwargs={"key": kept["key"]})
            + f"?telefono={submission.submission_id}")


STORES: dict[str, Callable[[Person, dict], dict]] = {
    Submission.Kind.ASSESSMENT: _store_assessment,
    Submission.Kind.SESSION: _store_session,
}
