"""Wellbeing's tasks for the background worker."""

from django_tasks import task


@task()
def escalate_referrals() -> int:
    from acompana.wellbeing.services import do_escalate_overdue_referrals

    return len(do_escalate_overdue_referrals())
