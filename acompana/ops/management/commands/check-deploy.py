"""`acompana check-deploy`: is this set-up fit for production? Exits 1 with each reason."""

import sys

from django.core import checks
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Run Django's deployment checks and Acompaña's own (secret key, debug, HTTPS, host "
            "names, e-mail, who owns the audit trail); print each problem in a sentence and "
            "exit 1 if there is any.")
    requires_system_checks = []

    def handle(self, *args, **options):
        messages = checks.run_checks(include_deployment_checks=True)
        found = [message for message in messages
                 if message.level >= checks.WARNING and not message.is_silenced()]
        for note in messages:  # what the set-up cannot promise, said plainly; not a failure
            if note.level == checks.INFO and (note.id or "").startswith("acompana."):
                self.stdout.write(f"Note: {note.msg} [{note.id}]")
        if not found:
            self.stdout.write(self.style.SUCCESS("Ready for production: every check passed."))
            return
        for message in sorted(found, key=lambda m: m.id or ""):
            hint = f" {message.hint}" if message.hint else ""
            self.stderr.write(f"- {message.msg}{hint} [{message.id}]")
        self.stderr.write(f"{len(found)} problem(s): not ready for production.")
        sys.exit(1)
