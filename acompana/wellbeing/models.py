"""Confidential wellbeing data: consent, assessments, and referrals to mental-health care.

Individual rows here are seen only by the worker herself and the mental-health clinician; the
policy module enforces it and nothing here is registered in the admin.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from acompana.programs.models import Person


class Wave(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    MIDLINE = "midline", _("Midline")
    ENDLINE = "endline", _("Endline")


class Consent(models.Model):
    """Express written consent to collect sensitive personal data (Mexican data-protection law)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    given_at = models.DateTimeField(_("given at"))
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("how"), max_length=20,
                              choices=[("signed-paper", _("signed on paper")),
                                       ("in-app", _("confirmed in the app"))])
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.person} {self.notice_version}"


class Assessment(models.Model):
    """One completed instrument, with its answers and its score (computed once, on saving)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    instrument = models.CharField(_("instrument"), max_length=20)
    wave = models.CharField(_("wave"), max_length=10, choices=Wave.choices)
    taken_on = models.DateField(_("taken on"))
    mode = models.CharField(_("mode"), max_length=10,
                            choices=[("self", _("self-assessment")),
                                     ("paper", _("paper, entered by the clinician"))])
    entered_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="assessments")
    responses = models.JSONField(_("answers"))
    total = models.FloatField(_("total"), null=True)
    subscales = models.JSONField(_("subscales"), default=dict)
    band = models.CharField(_("band"), max_length=40, blank=True)
    scorable = models.BooleanField(_("scorable"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Where an imported questionnaire came from, by the tool's own id (ODK's KEY, Kobo's _uuid,
    # CommCare's formid): a cumulative export imports only the submissions not stored yet.
    source = models.CharField(_("source"), max_length=40, blank=True)
    source_id = models.CharField(_("source id"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [models.UniqueConstraint(fields=["person", "instrument", "wave"],
                                               name="one_assessment_per_wave"),
                       models.UniqueConstraint(fields=["source", "source_id"],
                                               condition=~models.Q(source_id=""),
                                               name="one_assessment_per_source_record")]

    def __str__(self) -> str:
        return f"{self.instrument} {self.wave}"


class Referral(models.Model):
    """A worker's path to mental-health care, opened automatically by a risk answer or band."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONTACTED = "contacted", _("Contacted")
        CLOSED = "closed", _("Closed")

    class Urgency(models.TextChoices):
        # Sorted as written: a risk answer before a severe band.
        ITEM9 = "item9", _("risk answer (item 9)")
        SEVERE = "severe", _("severe symptoms")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="referrals")
    reasons = models.JSONField(_("reasons"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices,
                               default=Urgency.SEVERE)
    # When the backup contact is alerted if nobody has acknowledged it (program's hours).
    contact_due_at = models.DateTimeField(_("contact due by"), null=True)
    acknowledged_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="+")
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["opened_at"]
        indexes = [models.Index(fields=["status", "acknowledged_at", "contact_due_at"])]

    def __str__(self) -> str:
        return f"referral {self.pk}"

    @property
    def overdue(self) -> bool:
        """Unacknowledged past the time the program set."""
        return (self.acknowledged_at is None and self.contact_due_at is not None
                and self.contact_due_at <= timezone.now())


class ReferralNote(models.Model):
    """A contact or follow-up the clinician recorded on a referral."""

    class Kind(models.TextChoices):
        CONTACT = "contact", _("contact")
        FOLLOW_UP = "follow-up", _("follow-up")
        CLOSING = "closing", _("closing")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("note"))
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"
