"""Slow work a page started (a materials zip, a monthly report), run by the background worker.

A page starts a job and shows its row: status, how far along it is, and the file when done.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from acompana.programs.models import Person


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="jobs")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("percent done"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    # What a job that makes no file says when done (a re-plan: what moved).
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
