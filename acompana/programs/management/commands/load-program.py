"""`acompana load-program DIR`: load a program file, whole or not at all."""

from django.core.management.base import BaseCommand, CommandError

from acompana import policy
from acompana.domain.program_file import ProgramFileError
from acompana.programs.services import do_load_program


class Command(BaseCommand):
    help = "Load a program file (programs/<id>/program.yaml); loading it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("location", help="the program directory or its program.yaml")

    def handle(self, *args, location: str, **options):
        try:
            report = do_load_program(location=location, by=policy.OPERATOR)
        except ProgramFileError as error:
            raise CommandError("The program file was not loaded:\n" + str(error)) from error
        if not report.changed:
            self.stdout.write(f"{report.program.name}: already up to date; nothing changed.")
            return
        summary = ", ".join(f"{kind}: {report.created[kind]} new, {report.updated[kind]} updated"
                            for kind in report.created)
        self.stdout.write(self.style.SUCCESS(f"Loaded {report.program.name} ({summary})."))
