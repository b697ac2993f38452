"""Writes for reminders: queue the groups' SMS reminders, renew a person's calendar address."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from acompana import policy
from acompana.alerts.models import Channel, OutboxMessage
from acompana.alerts.services import queue_alerts
from acompana.audit.services import do_record_access
from acompana.programs.models import Person, Program
from acompana.reminders.models import CalendarFeed
from acompana.reminders.selectors import (
    members_at,
    reminder_text,
    sessions_to_remind,
    sms_days_before,
)


def reminder_label(session) -> str:
    """What the outbox row is about: the session and the date it reminds of (a moved session
    is reminded again for its new date)."""
    return f"planning.plannedsession#{session.pk}@{session.date.isoformat()}"


def do_queue_session_reminders(*, today: dt.date, by=policy.OPERATOR) -> int:
    """Queue an SMS to every member with a phone of each group meeting `days_before` days from
    `today`, in the programs whose file turns SMS reminders on. Run by the worker (the server's
    own process, the operator) once a day; running it again queues nothing twice. Return how
    many messages were queued."""
    policy.authorize(by, "reminders.do_queue_session_reminders")
    queued = 0
    for program in Program.objects.all():
        if sms_days_before(program) is None:
            continue
        with transaction.atomic():
            for session in sessions_to_remind(program=program, today=today):
                about = reminder_label(session)
                already = set(OutboxMessage.objects.filter(about=about, channel=Channel.SMS)
                              .values_list("recipient_id", flat=True))
                members = [person for person in members_at(session)
                           if person.phone and person.pk not in already]
                with translation.override(program.default_language):
                    subject = _("Session reminder")
                queued += len(queue_alerts(about=about, topic="session.reminder",
                                           recipients=members, subject=subject,
                                           body=reminder_text(session), only={Channel.SMS}))
    return queued


def do_renew_calendar_feed(*, person: Person, by) -> CalendarFeed:
    """Give the person a new secret calendar address (the first one, or a new one when the old
    was shared by mistake: the old address then answers nothing)."""
    actor = policy.authorize(by, "reminders.do_renew_calendar_feed", person)
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.update_or_create(
            person=person, defaults={"token": secrets.token_urlsafe(32)})
        # The trail says that the address changed, never the secret itself.
        do_record_access(actor=actor, action="calendar-feed.renewed",
                         subject=person.code, target=f"reminders.calendarfeed#{feed.pk}",
                         allowed=True)
    return feed
