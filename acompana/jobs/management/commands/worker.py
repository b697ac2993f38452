"""`acompana worker`: run the background worker alone (a deployment runs it as its own service,
see deploy/acompana-worker.service). It sends alerts, escalates, and builds what pages asked."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Run the background worker: send alerts (with retries), escalate unacknowledged "
            "referrals, build the files pages asked for.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds between looks at an empty queue (default 1)")
        parser.add_argument("--batch", action="store_true",
                            help="run what is waiting, then exit")

    def handle(self, *args, interval, batch, **options):
        # Finished tasks' rows older than two weeks go (the outbox and jobs keep their own).
        call_command("prune_db_task_results", "--queue-name", "*", "--min-age-days", "14",
                     verbosity=0)
        _catch_up()
        arguments = ["--queue-name", "*", "--interval", str(interval), "--no-reload"]
        if batch:
            arguments += ["--batch", "--no-startup-delay"]
        call_command("db_worker", *arguments, verbosity=options["verbosity"])


def _catch_up() -> None:
    """After a stop (a power cut, an upgrade), send what waited and escalate what is overdue
    rather than waiting for the next referral to wake them."""
    from acompana.alerts.tasks import deliver_alerts
    from acompana.reminders.tasks import schedule_next_reminders, send_session_reminders
    from acompana.wellbeing.tasks import escalate_referrals

    deliver_alerts.enqueue()
    escalate_referrals.enqueue()
    send_session_reminders.enqueue()
    schedule_next_reminders()
