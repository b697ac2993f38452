"""`acompana import-all FILE.zip`: load an archive from `export-all` into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from acompana import policy
from acompana.domain.archive import ArchiveError
from acompana.ops.archive import do_import_all


class Command(BaseCommand):
    help = ("Load every record of an `acompana export-all` archive into a new, migrated, empty "
            "database (a database holding records is refused), all of it or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            counts = do_import_all(source=Path(file), by=policy.OPERATOR)
        except ArchiveError as error:
            raise CommandError(f"Nothing was imported: {error}") from error
        self.stdout.write(self.style.SUCCESS(
            f"Imported {sum(counts.values())} records into {len(counts)} tables from {file}"))
