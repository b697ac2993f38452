"""`acompana report monthly --month YYYY-MM`: the month's report as a PDF and an XLSX."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from acompana.policy import Actor
from acompana.programs.commands import acting_person, program_named, steps
from acompana.programs.models import Role
from acompana.reports.monthly import file_name, monthly_pdf, monthly_xlsx
from acompana.reports.selectors import monthly_report


class Command(BaseCommand):
    help = "Write the monthly report for the program's leadership as a PDF and an XLSX."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["monthly"])
        parser.add_argument("--month", required=True, help="the month, as YYYY-MM")
        parser.add_argument("--out", default=".", help="the folder to write to (default: here)")
        parser.add_argument("--lang", choices=["es", "en"], default="es")
        parser.add_argument("--program", help="program id (default: the only one)")
        parser.add_argument("--by", help="id of the person whose scope the report covers "
                            "(default: a coordinator, the whole program)")

    def handle(self, *args, kind, month, out, lang, program, by, **options):
        try:
            first = dt.date.fromisoformat(f"{month}-01")
        except ValueError:
            raise CommandError(f"--month {month!r}: expected a month as YYYY-MM, "
                               "e.g. 2024-03.") from None
        found = program_named(program)
        person = acting_person(found, by, role=Role.COORDINATOR)
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"{folder}: {error.strerror}") from None
        with translation.override(lang), steps(3, _("Monthly report")) as bar:
            report = monthly_report(actor=Actor(user_id=None, person=person), month=first)
            bar.update()
            for extension, build in (("pdf", monthly_pdf), ("xlsx", monthly_xlsx)):
                path = folder / file_name(report, extension)
                path.write_bytes(build(report))
                bar.update()
                self.stdout.write(str(path))
