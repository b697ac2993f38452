"""The alerts' tasks for the background worker."""

from django_tasks import task


@task()
def deliver_alerts() -> int:
    from acompana.alerts.services import deliver_due_alerts

    return deliver_due_alerts()
