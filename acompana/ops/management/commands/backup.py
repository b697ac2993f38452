"""`acompana backup [--out FILE]`: a consistent copy of the whole database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from acompana import policy
from acompana.ops.backup import BackupError, do_backup


class Command(BaseCommand):
    help = ("Back up the whole database while the app runs: SQLite's online backup API, or "
            "pg_dump -Fc for PostgreSQL. Restore it with `acompana restore FILE`.")

    def add_arguments(self, parser):
        parser.add_argument("--out", help="file to write (default: <data dir>/backups/"
                                          "acompana-<date-time>.sqlite3 or .dump)")

    def handle(self, *args, out, **options):
        ending = ".sqlite3" if connection.vendor == "sqlite" else ".dump"
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(out) if out else settings.DATA_DIR / "backups" / f"acompana-{stamp}{ending}"
        try:
            do_backup(out=path, by=policy.OPERATOR)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path}"))
