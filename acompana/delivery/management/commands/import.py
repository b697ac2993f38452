"""`acompana import attendance FILE`: import an attendance file whole or not at all."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from acompana.delivery.services import do_import_attendance
from acompana.domain.attendance_import import CANONICAL_COLUMNS, ImportRejected
from acompana.domain.uploads import UploadRefused, check_size
from acompana.programs.models import Person, Program, Role


class Command(BaseCommand):
    help = ("Import attendance from CSV or XLSX (canonical columns: "
            f"{', '.join(CANONICAL_COLUMNS)}); the whole file or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["attendance"])
        parser.add_argument("file")
        parser.add_argument("--program", help="program id (default: the only one)")
        parser.add_argument("--source", default="", help="name of the source system; its "
                            "column mapping is saved and reused")
        parser.add_argument("--map", default="", help="column mapping, e.g. "
                            "'date=Fecha,person=ID acompañante'")
        parser.add_argument("--by", help="id of the person importing (default: a coordinator)")

    def handle(self, *args, kind, file, program, source, map, by, **options):
        found = Program.objects.get(code=program) if program else Program.objects.get()
        importer = (Person.objects.get(program=found, code=by) if by else
                    Person.objects.filter(program=found, role=Role.COORDINATOR).first())
        mapping = dict(part.split("=", 1) for part in map.split(",") if "=" in part)
        path = Path(file)
        try:
            check_size(path.stat().st_size, path.name, settings.MAX_UPLOAD_BYTES)  # before reading
            report = do_import_attendance(program=found, data=path.read_bytes(),
                                          file_name=path.name, entered_by=importer,
                                          source=source, mapping=mapping or None)
        except UploadRefused as refused:
            raise CommandError(f"Nothing was imported: {refused}") from None
        except ImportRejected as rejected:
            lines = "\n".join(f"{path.name}: {problem}" for problem in rejected.problems)
            raise CommandError(f"Nothing was imported from {path.name}:\n{lines}") from None
        self.stdout.write(self.style.SUCCESS(
            f"{path.name}: {report.rows} rows; {report.added} added, {report.changed} changed, "
            f"{report.unchanged} already there."))
