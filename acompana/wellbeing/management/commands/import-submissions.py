"""`acompana import-submissions INSTRUMENT FILE --wave W`: answers collected with ODK, Kobo or
CommCare, stored whole or not at all."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from acompana.domain.instruments.xlsform import SubmissionError
from acompana.domain.uploads import UploadRefused, check_size
from acompana.programs.models import Person, Program, Role
from acompana.wellbeing.models import Wave
from acompana.wellbeing.services import do_import_submissions


class Command(BaseCommand):
    help = "Import a submissions CSV of an instrument's XLSForm (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("instrument")
        parser.add_argument("file")
        parser.add_argument("--wave", required=True, choices=Wave.values)
        parser.add_argument("--program", help="program id (default: the only one)")
        parser.add_argument("--by", help="the clinician's person id (default: the first)")

    def handle(self, *args, instrument, file, wave, program, by, **options):
        found = Program.objects.get(code=program) if program else Program.objects.get()
        clinician = (Person.objects.get(program=found, code=by) if by else
                     Person.objects.filter(program=found, role=Role.CLINICIAN).first())
        path = Path(file)
        try:
            check_size(path.stat().st_size, path.name, settings.MAX_UPLOAD_BYTES)  # before reading
        except UploadRefused as refused:
            raise CommandError(f"Nothing was imported: {refused}") from None
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CommandError(f"Nothing was imported: {path.name} is not UTF-8 text; export "
                               "it again as CSV in UTF-8.") from None
        try:
            stored = do_import_submissions(
                program=found, instrument=instrument, wave=wave, source=path.name,
                csv_text=text, entered_by=clinician)
        except SubmissionError as error:
            raise CommandError(f"Nothing was imported.\n{error}") from None
        self.stdout.write(f"{path.name}: {len(stored)} questionnaires stored.")
