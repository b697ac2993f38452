"""`acompana audit verify`: walk the audit trail's hash chain; name the first broken link."""

import sys

from django.core.management.base import BaseCommand

from acompana.audit.chain import verify


class Command(BaseCommand):
    help = ("verify: check that no audit entry was deleted, changed or slipped in (the hash "
            "chain holds from the first entry to the last); exits 1 at the first broken link.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action: str, **options):
        verdict = verify()
        if verdict.broken is None:
            last = (f"; the last is #{verdict.last_id}, hash {verdict.last_hash} (write it down "
                    "elsewhere: a later verify shows nothing before it was removed)"
                    if verdict.last_id else "")
            self.stdout.write(self.style.SUCCESS(
                f"Audit trail intact: {verdict.entries} entries chained{last}."))
            return
        self.stderr.write(f"Audit trail broken at entry #{verdict.broken.entry_id}: "
                          f"{verdict.broken.reason}.")
        sys.exit(1)
