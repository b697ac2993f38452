"""What the whole-program dashboard reads: one row per program and day, summed in advance."""

from django.db import models


class ProgramDay(models.Model):
    """A program's planned sessions by status and its session logs' figures on one day.

    Derived data, like a session log's figures: a national program has hundreds of thousands
    of sessions, and the coordinator's dashboard adds up a row per day (730 in two years)
    instead. Written only by `reports.services.refresh_program_days`, which every service that
    writes planned sessions or session logs calls for the days it touched.
    """

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    # The groups' sessions on the day, by status, and the supervisors' training sessions.
    planned = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    track_planned = models.PositiveIntegerField(default=0)
    track_held = models.PositiveIntegerField(default=0)
    track_missed = models.PositiveIntegerField(default=0)
    # The sums of the figures of the session logs dated that day (see SessionLog).
    attendance_present = models.PositiveIntegerField(default=0)
    attendance_marked = models.PositiveIntegerField(default=0)
    fidelity_done = models.PositiveIntegerField(default=0)
    fidelity_adapted = models.PositiveIntegerField(default=0)
    fidelity_skipped = models.PositiveIntegerField(default=0)
    feedback_weighted = models.PositiveIntegerField(default=0)
    feedback_answers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "date"],
                                               name="one_row_per_program_day")]

    def __str__(self) -> str:
        return f"{self.program_id} {self.date}"
