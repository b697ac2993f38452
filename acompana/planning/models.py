"""The work plan as stored: every planned session and every change made to it."""

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from acompana.programs.models import Community, Group, Person, Program


class Track(models.TextChoices):
    WELLBEING = "wellbeing", _("Wellbeing")
    SUPERVISORS = "supervisors", _("Supervisors")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    MISSED = "missed", _("Missed")


class PlannedSession(models.Model):
    """One session of the curriculum for a group (or a supervisor) on a date."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    key = models.CharField(_("plan id"), max_length=100,
                           help_text=_("stable id in plan.json, e.g. g01:bienestar-03"))
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    session_code = models.CharField(_("curriculum session"), max_length=60)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="sessions")
    supervisor = models.ForeignKey(Person, on_delete=models.PROTECT,
                                   related_name="supervised_sessions")
    facilitator = models.ForeignKey(Person, on_delete=models.PROTECT,
                                    related_name="facilitated_sessions")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PLANNED)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    cohort = models.CharField(_("supervisors' cohort"), max_length=20, blank=True)
    dropped = models.BooleanField(_("dropped"), default=False,
                                  help_text=_("a missed session the program chose not to make up"))
    # The calendar event's SEQUENCE: raised each time a re-plan moves it, so calendar apps that
    # subscribed to the feed replace the old event (its UID stays the plan id).
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)

    class Meta:
        verbose_name = _("planned session")
        verbose_name_plural = _("planned sessions")
        constraints = [models.UniqueConstraint(fields=["program", "key"],
                                               name="unique_planned_session")]
        indexes = [models.Index(fields=["program", "date"])]
        ordering = ["date", "start", "key"]

    def __str__(self) -> str:
        return f"{self.words} · {formats.date_format(self.date)}"

    @property
    def words(self) -> str:
        """'Grupo Reforma · Sesión 2': the session as people name it (the key is for machines)."""
        from acompana.planning.selectors import session_name

        who = self.group.name if self.group_id else self.supervisor.name
        return f"{who} · {session_name(self.session_code, title=False)}"


class PlanChange(models.Model):
    """A move, a missed session or a re-plan: the plan's history, never edited."""

    # Itself the history of its planned session (who, when, before, after), written with the
    # session's own audited change: the trail does not enter it a second time.
    AUDIT_CREATION = False

    session = models.ForeignKey(PlannedSession, on_delete=models.CASCADE,
                                related_name="changes")
    old_date = models.DateField(_("old date"), null=True)
    new_date = models.DateField(_("new date"), null=True)
    old_status = models.CharField(_("old status"), max_length=10, blank=True)
    new_status = models.CharField(_("new status"), max_length=10, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    made_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan change")
        verbose_name_plural = _("plan changes")
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        dates = [formats.date_format(day) if day else "—" for day in (self.old_date, self.new_date)]
        return f"{self.session.words}: {dates[0]} → {dates[1]}"

