"""Queue alerts in the caller's transaction; send them from the worker, retrying with back-off.

Every send, failed attempt and give-up goes to the audit trail by the message's number: never
its text, the number or address it went to, or anything about whose referral it is.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from acompana.alerts.models import OutboxMessage
from acompana.alerts.providers import SendFailed, address, configured_channels, send
from acompana.audit.models import AuditEntry
from acompana.audit.recording import who_and_where
from acompana.programs.models import Person

logger = logging.getLogger("acompana.alerts")

MAX_ATTEMPTS = 8
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=1)


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 ... minutes after each failure, at most an hour."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def queue_alerts(*, about: str, topic: str, recipients: Iterable[Person], subject: str,
                 body: str, only: Iterable[str] | None = None) -> list[OutboxMessage]:
    """One outbox row per recipient and configured channel she has an address for, written in
    the caller's transaction; the worker is told once it commits. With no channel configured
    nothing is queued: the alert lives on the pages (see acompana.wellbeing.selectors).
    `only` keeps the channels named (a group's reminder goes by SMS alone)."""
    channels = configured_channels()
    if only is not None:
        channels = channels & frozenset(only)
    rows = [OutboxMessage(about=about, topic=topic, recipient=person, channel=channel,
                          subject=subject, body=body)
            for person in recipients for channel in sorted(channels)
            if address(person, channel)]
    OutboxMessage.objects.bulk_create(rows)
    if rows:
        transaction.on_commit(schedule_delivery, robust=True)
    return rows


def schedule_delivery(run_after: dt.datetime | None = None) -> None:
    """Ask the worker to send what is due (now, or at the next retry)."""
    from acompana.alerts.tasks import deliver_alerts

    if run_after is None:
        deliver_alerts.enqueue()
    else:
        deliver_alerts.using(run_after=run_after).enqueue()


def deliver_due_alerts() -> int:
    """Send every message whose time has come; return how many left. A failure is kept for a
    later attempt (or given up after MAX_ATTEMPTS) and never stops the others."""
    sent = 0
    due = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING,
                                       next_attempt_at__lte=timezone.now())
    for pk in list(due.values_list("pk", flat=True)[:500]):
        sent += _deliver_one(pk)
    later = (OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
             .order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first())
    if later is not None:
        schedule_delivery(run_after=max(later, timezone.now()))
    return sent


def _deliver_one(pk: int) -> int:
    """Claim the message in a short transaction, send it outside any (a provider taking its
    time must not hold the database, SQLite's single writer above all), then record what
    happened. A worker killed mid-send leaves the claim to expire: the message goes again
    (at least once, never lost)."""
    with transaction.atomic():
        message = (OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
                   .select_related("recipient")
                   .filter(pk=pk, status=OutboxMessage.Status.PENDING,
                           next_attempt_at__lte=timezone.now()).first())
        if message is None:  # another worker has it, or it went meanwhile
            return 0
        message.attempts += 1
        message.next_attempt_at = timezone.now() + _claim()
        message.save(update_fields=["attempts", "next_attempt_at"])
    to = address(message.recipient, message.channel)
    try:
        if not to:
            raise SendFailed("no address", retry=False)
        result = send(message.channel, to, message.subject, message.body)
    except SendFailed as failure:
        gave_up = not failure.retry or message.attempts >= MAX_ATTEMPTS
        message.last_error = str(failure)[:300]
        if gave_up:
            message.status = OutboxMessage.Status.FAILED
        else:
            message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
        logger.warning("alert %s by %s failed (attempt %s): %s", message.pk, message.channel,
                       message.attempts, failure)
        with transaction.atomic():
            message.save(update_fields=["last_error", "status", "next_attempt_at"])
            record("alert.gave-up" if gave_up else "alert.failed", message)
        return 0
    message.status, message.sent_at = OutboxMessage.Status.SENT, timezone.now()
    message.provider_id, message.last_error = result.provider_id[:120], ""
    with transaction.atomic():
        message.save(update_fields=["status", "sent_at", "provider_id", "last_error"])
        record("alert.sent", message)
    return 1


def _claim() -> dt.timedelta:
    """How long a message being sent is left alone by other workers."""
    return dt.timedelta(seconds=2 * settings.ACOMPANA_ALERT_TIMEOUT + 60)


def record(action: str, message: OutboxMessage) -> None:
    """An audit entry naming the message and its channel, nothing of what it says."""
    AuditEntry.objects.create(action=action, target=f"alerts.outboxmessage#{message.pk}",
                              changes={"channel": message.channel, "topic": message.topic,
                                       "about": message.about, "attempt": message.attempts},
                              outcome=AuditEntry.Outcome.ALLOWED, **who_and_where())
