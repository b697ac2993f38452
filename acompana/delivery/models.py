"""What was delivered: a log per session with attendance, fidelity and feedback; suggestions."""

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from acompana.planning.models import PlannedSession
from acompana.programs.models import Group, Person

# The figures a session log keeps, which the dashboard sums.
LOG_FIGURES = ("attendance_present", "attendance_marked", "fidelity_done", "fidelity_adapted",
               "fidelity_skipped", "feedback_weighted", "feedback_answers")


class SessionLog(models.Model):
    """The record of one session as typed from its paper sheet."""

    class Outcome(models.TextChoices):
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    planned = models.OneToOneField(PlannedSession, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="log")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="logs")
    session_code = models.CharField(_("curriculum session"), max_length=60)
    date = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    facilitator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("facilitator"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True,
                                                   blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(
        _("version"), default=1,
        help_text=_("raised on every save; a save from an older version is refused"))
    entered_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("typed by"))
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    # The session's figures, kept with it by the services that write its attendance, fidelity
    # and feedback (delivery.services.refresh_figures): the dashboard sums a row per session
    # instead of counting millions of details on every visit.
    attendance_present = models.PositiveIntegerField(default=0, editable=False)
    attendance_marked = models.PositiveIntegerField(default=0, editable=False)
    fidelity_done = models.PositiveIntegerField(default=0, editable=False)
    fidelity_adapted = models.PositiveIntegerField(default=0, editable=False)
    fidelity_skipped = models.PositiveIntegerField(default=0, editable=False)
    feedback_weighted = models.PositiveIntegerField(default=0, editable=False)
    feedback_answers = models.PositiveIntegerField(default=0, editable=False)
    # Counted from the log's rows, which its audit entry holds: not recorded again.
    AUDIT_DERIVED_FIELDS = LOG_FIGURES

    class Meta:
        verbose_name = _("session log")
        verbose_name_plural = _("session logs")
        constraints = [models.UniqueConstraint(fields=["group", "session_code", "date"],
                                               name="one_log_per_session")]
        indexes = [models.Index(fields=["date"], name="session_log_date")]
        ordering = ["-date"]

    def __str__(self) -> str:
        from acompana.planning.selectors import session_name

        return (f"{self.group.name} · {session_name(self.session_code, title=False)} · "
                f"{formats.date_format(self.date)}")



class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["log", "person"],
                                               name="one_attendance_per_person")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class FidelityItem(models.Model):
    """Whether each activity of the session was done as written, adapted or skipped."""

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        ADAPTED = "adapted", _("Adapted")
        SKIPPED = "skipped", _("Skipped")

    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="fidelity")
    position = models.PositiveSmallIntegerField()
    activity = models.CharField(_("activity"), max_length=200)
    status = models.CharField(_("fidelity"), max_length=10, choices=Status.choices)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_status_display()}"


class FeedbackCount(models.Model):
    """How many participants chose each face for one evaluation question."""

    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="feedback")
    question = models.PositiveSmallIntegerField(_("question"))
    face = models.PositiveSmallIntegerField(_("face"), help_text=_("1 = sad … 3 or 5 = happy"))
    count = models.PositiveIntegerField(_("how many"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["log", "question", "face"],
                                               name="one_count_per_face")]

    def __str__(self) -> str:
        return f"q{self.question} face {self.face}: {self.count}"


class ImportMapping(models.Model):
    """How the columns of one source's files (e.g. a CommCare export) map to Acompaña's."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE,
                                related_name="import_mappings")
    source = models.SlugField(_("source"), help_text=_("a name for the system the files come "
                                                       "from, e.g. commcare"))
    columns = models.JSONField(_("columns"), help_text=_("Acompaña column -> file column"))

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        constraints = [models.UniqueConstraint(fields=["program", "source"],
                                               name="one_mapping_per_source")]

    def __str__(self) -> str:
        return self.source


class Suggestion(models.Model):
    """A proposal from the Acompañantes about the program, followed until it is decided."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        DISCUSSED = "discussed", _("Discussed")
        ADOPTED = "adopted", _("Adopted")
        NOT_ADOPTED = "not-adopted", _("Not adopted")

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE,
                                related_name="suggestions")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="suggestions", verbose_name=_("from"))
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="suggestions", verbose_name=_("group"))
    text = models.TextField(_("suggestion"))
    received_on = models.DateField(_("received on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.RECEIVED)
    reason = models.TextField(_("reason"), blank=True,
                              help_text=_("required when not adopted"))

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


class SuggestionChange(models.Model):
    """Each change of a suggestion's status: the history the program answers for."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="changes")
    old_status = models.CharField(max_length=12, blank=True)
    new_status = models.CharField(max_length=12)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old_status_words or '—'} → {self.new_status_words}"

    @property
    def old_status_words(self) -> str:
        """The status before, as people say it (the stored value is a code)."""
        return str(Suggestion.Status(self.old_status).label) if self.old_status else ""

    @property
    def new_status_words(self) -> str:
        return str(Suggestion.Status(self.new_status).label)


class SheetEntry(models.Model):
    """One person's typing of a session's paper sheet, kept as typed, for double entry.

    Round 1 is the first save from the entry page; round 2 a second person's blind re-entry.
    Once the two are settled, `fields` and `errors` hold how this entry compared with the
    settled sheet: the person's entry error rate is the sum of errors over the sum of fields.
    """

    class Round(models.IntegerChoices):
        FIRST = 1, _("First entry")
        SECOND = 2, _("Second entry")

    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="entries")
    round = models.PositiveSmallIntegerField(_("round"), choices=Round.choices)
    entered_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sheet_entries",
                                   verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    values = models.JSONField(_("values"), help_text=_("each box of the sheet as typed"))
    fields = models.PositiveIntegerField(_("boxes compared"), null=True, blank=True)
    errors = models.PositiveIntegerField(_("boxes that differ from the settled sheet"),
                                         null=True, blank=True)

    class Meta:
        verbose_name = _("sheet entry")
        verbose_name_plural = _("sheet entries")
        constraints = [models.UniqueConstraint(fields=["log", "round"],
                                               name="one_entry_per_round")]
        ordering = ["log", "round"]

    def __str__(self) -> str:
        return f"{self.log} · {self.get_round_display()}"


class SheetResolution(models.Model):
    """How a sheet's two entries were settled: the values kept and what was chosen where."""

    log = models.OneToOneField(SessionLog, on_delete=models.CASCADE, related_name="resolution")
    values = models.JSONField(_("settled values"))
    choices = models.JSONField(_("choices"), default=dict,
                               help_text=_("box -> 1 or 2, the entry whose value was kept"))
    resolved_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("settled by"))
    resolved_at = models.DateTimeField(_("settled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sheet resolution")
        verbose_name_plural = _("sheet resolutions")

    def __str__(self) -> str:
        return f"{self.log}: {len(self.choices)}"


class SessionLogSource(models.Model):
    """A record of another system (a CommCare form, an ODK or Kobo submission) that a session
    log was imported from, by that system's own id: importing it again adds nothing."""

    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="sources")
    source = models.CharField(_("source"), max_length=40)
    source_id = models.CharField(_("source id"), max_length=200)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [models.UniqueConstraint(fields=["source", "source_id"],
                                               name="one_log_per_source_record")]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"
