"""What the installable app needs on the server: device keys and the record of each sync.

No answer, attendance mark or score is stored here: a submission's content goes to its own app
(wellbeing, delivery) through that app's service; this app keeps only that it arrived, once.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from acompana.programs.models import Person


class DeviceKey(models.Model):
    """The AES-GCM key that encrypts what waits on one device for one login session.

    The device keeps it only as a non-extractable key and drops it at logout; what is queued
    under it can be read again only when the same person logs in and asks for it by its id.
    """

    key_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="device_keys")
    secret = models.BinaryField(max_length=32, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("device key")
        verbose_name_plural = _("device keys")

    def __str__(self) -> str:
        return str(self.key_id)


class Submission(models.Model):
    """One submission a device sent, by its own id: sending it again stores nothing twice."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("questionnaire")
        SESSION = "session", _("attendance and fidelity")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")
        # Someone saved the same record after the phone opened it: kept to compare both.
        CONFLICT = "conflict", _("conflict")

    submission_id = models.UUIDField(unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="submissions")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    message = models.TextField(_("message"), blank=True)
    # What it became (ids and flags only, never answers): {"assessment": 3, "referral": true};
    # for a conflicting sheet, the sheet as the phone sent it, to compare with the saved one.
    outcome = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.kind} {self.submission_id}"
