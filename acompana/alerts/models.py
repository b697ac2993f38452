"""The outbox: every message a write must send, stored in the write's own transaction and sent
by the background worker, which retries with back-off. A provider that fails never fails the
write that asked for the message.

A message holds no answers, scores, names or diagnoses: only that something waits in Acompaña.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from acompana.programs.models import Person


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")

    # What the message is about, as a label ("wellbeing.referral#12") and why it is sent.
    about = models.CharField(_("about"), max_length=80, db_index=True)
    topic = models.CharField(_("topic"), max_length=40)
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.topic} {self.channel} {self.status}"
