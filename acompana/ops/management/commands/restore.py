"""`acompana restore FILE`: put a backup back, replacing everything in the database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from acompana import policy
from acompana.ops.backup import BackupError, do_restore


class Command(BaseCommand):
    help = ("Replace the whole database with a backup made by `acompana backup` (stop the app "
            "first). SQLite: the online backup API; PostgreSQL: pg_restore --clean in one "
            "transaction.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            do_restore(source=Path(file), by=policy.OPERATOR)
        except BackupError as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Restored the database from {file}"))
