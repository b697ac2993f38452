"""`acompana score INSTRUMENT R1 R2 ... [--json] [--lang en]`: score one form by hand."""

import json

from django.core.management.base import BaseCommand, CommandError

from acompana.domain.instruments.registry import INSTRUMENTS
from acompana.domain.instruments.scoring import parse_answers, score
from acompana.domain.instruments.summary import summary_data, summary_lines


class Command(BaseCommand):
    help = "Score one form: answers in item order, '-' or NA for a missing answer."

    def add_arguments(self, parser):
        parser.add_argument("instrument", choices=sorted(INSTRUMENTS), help="instrument id")
        parser.add_argument("answers", nargs="+", help="answers in item order (- or NA = missing)")
        parser.add_argument("--json", action="store_true", help="print the score as JSON")
        parser.add_argument("--lang", choices=["es", "en"], default="es", help="output language")

    def handle(self, *args, **options):
        try:
            result = score(options["instrument"], parse_answers(options["answers"]))
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(summary_data(result), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(summary_lines(result, options["lang"])))
