"""`acompana build`: the printable materials (guides, handouts, slides, sheets)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from acompana.domain.curriculum import CurriculumError
from acompana.domain.curriculum.build import build
from acompana.domain.curriculum.model import LANGUAGES
from acompana.domain.program_file import ProgramFileError, printed_details, read_program_file


class Command(BaseCommand):
    help = "Build the materials bundle (PDF, Word, PowerPoint, index.html, manifest.json)."

    def add_arguments(self, parser):
        parser.add_argument("--lang", choices=LANGUAGES, help="one language (default: all)")
        parser.add_argument("--track", help="one track id (default: all, with the overview)")
        parser.add_argument("--source", default="curriculum", help="the curriculum folder")
        parser.add_argument("--out", default="out/materials", help="the output folder")
        parser.add_argument("--quiet", action="store_true",
                            help="no steps, progress bar or summary")
        parser.add_argument("--program", help="a program folder (e.g. programs/ces): its name, "
                            "clinic, help lines, facilitators and meeting places are printed "
                            "into the handouts and guides, on its paper")

    def handle(self, *args, lang, track, source, out, quiet, program, **options):
        details = None
        if program:
            try:
                document = read_program_file(program).document
            except ProgramFileError as error:
                raise CommandError(str(error)) from None
            details = printed_details(document)
        try:
            report = build(
                Path(source), Path(out), langs=[lang] if lang else LANGUAGES, track=track,
                progress=not quiet and sys.stderr.isatty(), program=details,
                on_step=None if quiet else self.step,
            )
        except CurriculumError as error:
            for problem in error.problems:
                self.stderr.write(problem.report_line())
            message = f"The curriculum in {source} has errors; nothing was built."
            raise CommandError(message) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        if quiet:
            return
        for warning in report.warnings:
            self.stderr.write(warning.report_line())
        self.stdout.write(self.style.SUCCESS(
            f"{len(report.files)} files in {out}: {len(report.rendered)} rendered, "
            f"{len(report.cached)} unchanged, {report.pages} PDF pages."))

    def step(self, number: int, count: int, what: str) -> None:
        """Each stage as it starts, so a long build shows where it is (on stderr, with the bar)."""
        self.stderr.write(f"Step {number} of {count}: {what}", style_func=lambda text: text)
