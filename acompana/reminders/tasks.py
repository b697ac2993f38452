"""The reminders' task for the background worker: once a day, the groups' SMS reminders."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

SEND_AT = dt.time(7, 0)  # local time: early, before the day's field work


@task()
def send_session_reminders() -> int:
    from acompana.reminders.services import do_queue_session_reminders

    queued = do_queue_session_reminders(today=timezone.localdate())
    schedule_next_reminders()
    return queued


def schedule_next_reminders() -> None:
    """Come back tomorrow at SEND_AT, unless a run is already waiting (a worker's restart asks
    again and must not start a second daily chain)."""
    from django_tasks_db.models import DBTaskResult

    path = f"{send_session_reminders.module_path}"
    if DBTaskResult.objects.filter(task_path=path, status="READY",
                                   run_after__gt=timezone.now()).exists():
        return
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    run_after = timezone.make_aware(dt.datetime.combine(tomorrow, SEND_AT))
    send_session_reminders.using(run_after=run_after).enqueue()
