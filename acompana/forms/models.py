"""Printed paper forms and the pages scanned back from them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from acompana.programs.models import Group, Person, Program


class PrintedPage(models.Model):
    """The layout of a printed form page, kept so that its photos can be read back years later
    even if the layout code has changed since; looked up by the identity in the page's QR code."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    stem = models.CharField(max_length=200)
    spec = models.TextField()
    copies_printed = models.PositiveIntegerField(default=0)
    printed_at = models.DateTimeField(auto_now=True)
    printed_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "stem"],
                                               name="one_layout_per_printed_page")]

    def __str__(self) -> str:
        return self.stem


class ScannedPage(models.Model):
    """One page read from a photo or scan, waiting for a person to check it, then confirmed
    (saved through the same services as typed entry) or discarded."""

    class FormType(models.TextChoices):
        ATTENDANCE = "attendance", _("Attendance and feedback sheet")
        QUESTIONNAIRE = "questionnaire", _("Wellbeing questionnaire")
        SUGGESTION = "suggestion", _("Suggestion slip")

    class Status(models.TextChoices):
        PENDING = "pending", _("To check")
        CONFIRMED = "confirmed", _("Saved")
        DISCARDED = "discarded", _("Discarded")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    form_type = models.CharField(_("form"), max_length=20, choices=FormType.choices)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    occasion = models.CharField(_("session or wave"), max_length=80, blank=True)
    instrument = models.CharField(_("instrument"), max_length=20, blank=True)
    page = models.PositiveSmallIntegerField(_("page"))
    pages = models.PositiveSmallIntegerField()
    copy = models.PositiveIntegerField(default=1)
    payload = models.CharField(max_length=300)  # the QR code's text: which printed page this is
    source = models.CharField(_("file"), max_length=300)
    reading = models.JSONField()
    image = models.BinaryField()  # the straightened page (PNG) the reading's boxes refer to
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    saved_as = models.CharField(_("saved as"), max_length=120, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["program", "payload"], condition=~Q(status="discarded"),
            name="a_printed_page_is_scanned_once")]

    def __str__(self) -> str:
        return f"{self.form_type} {self.occasion} p{self.page} ({self.source})"

    @property
    def occasion_words(self) -> str:
        """The session or the wave the sheet was printed for, as people name it."""
        if self.form_type == self.FormType.ATTENDANCE and self.occasion:
            from acompana.planning.selectors import session_name

            return session_name(self.occasion)
        if self.form_type == self.FormType.QUESTIONNAIRE and self.occasion:
            from acompana.wellbeing.models import Wave

            return str(dict(Wave.choices).get(self.occasion, self.occasion))
        return self.occasion

    @property
    def sheet_key(self) -> tuple:
        """Pages of one filled sheet share this (the same form, occasion and copy)."""
        return (self.form_type, self.group_id, self.occasion, self.instrument, self.copy)
