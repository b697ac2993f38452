"""`acompana import-submissions INSTRUMENT FILE --wave W`: answers collected with ODK, Kobo or
CommCare, stored whole or not at all; a cumulative export stores only what is new."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from acompana.domain.instruments.registry import INSTRUMENTS
from acompana.domain.tabular import ImportRejected
from acompana.domain.uploads import UploadRefused, check_size
from acompana.i18n import say_problem
from acompana.programs.commands import acting_person, program_named, read_file
from acompana.wellbeing.models import Wave
from acompana.wellbeing.services import do_import_submissions


class Command(BaseCommand):
    help = ("Import an export (CSV or XLSX) of an instrument's XLSForm from ODK Central, "
            "KoboToolbox or CommCare: all new rows or none.")

    def add_arguments(self, parser):
        parser.add_argument("instrument", choices=sorted(INSTRUMENTS))
        parser.add_argument("file")
        parser.add_argument("--wave", required=True, choices=Wave.values)
        parser.add_argument("--program", help="program id (default: the only one)")
        parser.add_argument("--source", default="", help="name of the source system (default: "
                            "the tool recognised: odk, kobo or commcare)")
        parser.add_argument("--by", help="the clinician's person id (default: the first)")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="print the result as JSON")

    def handle(self, *args, instrument, file, wave, program, source, by, as_json, **options):
        found = program_named(program)
        clinician = acting_person(found, by, role="clinician")
        path = Path(file)
        try:  # before reading: a file too big is refused whole
            if path.is_file():
                check_size(path.stat().st_size, path.name, settings.MAX_UPLOAD_BYTES)
        except UploadRefused as refused:
            raise CommandError(_("Nothing was imported: %(reason)s") % {"reason": refused}
                               ) from None
        try:
            report = do_import_submissions(
                program=found, instrument=instrument, wave=wave, data=read_file(path),
                file_name=path.name, source=source, entered_by=clinician)
        except ImportRejected as rejected:
            problems = [say_problem(problem) for problem in rejected.problems]
            if as_json:
                self.stdout.write(json.dumps({"file": path.name, "imported": False,
                                              "problems": problems}, ensure_ascii=False))
                raise CommandError(_("Nothing was imported from %(file)s.")
                                   % {"file": path.name}) from None
            raise CommandError(_("Nothing was imported from %(file)s:\n%(problems)s") % {
                "file": path.name, "problems": "\n".join(problems)}) from None
        if as_json:
            self.stdout.write(json.dumps({
                "file": path.name, "imported": True, "tool": report.tool,
                "new": len(report.stored), "known": report.known,
                "taken_on": sorted({a.taken_on.isoformat() for a in report.stored})},
                ensure_ascii=False))
            return
        self.stdout.write(_("%(file)s: questionnaires %(summary)s.")
                          % {"file": path.name, "summary": report.summary()})
