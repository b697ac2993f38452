"""`acompana fhir questionnaire I` and `acompana fhir responses PERSON --by CLINICIAN`: the
instruments as FHIR Questionnaires, and a person's answers as QuestionnaireResponses (the
clinician alone; every export audited)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from acompana.domain.instruments.fhir import questionnaire
from acompana.domain.instruments.registry import INSTRUMENTS
from acompana.policy import Refused
from acompana.programs.commands import acting_person, program_named
from acompana.programs.models import Role
from acompana.wellbeing.services import do_export_fhir_responses


class Command(BaseCommand):
    help = "Instruments as FHIR Questionnaires; a person's answers as QuestionnaireResponses."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True)
        one = kinds.add_parser("questionnaire", help="an instrument as a FHIR Questionnaire")
        one.add_argument("instrument", choices=sorted(INSTRUMENTS))
        answers = kinds.add_parser("responses", help="a person's answers (clinician only)")
        answers.add_argument("person", help="the Acompañante's person id")
        answers.add_argument("--by", required=True, help="the clinician's person id")
        answers.add_argument("--program", help="program id (default: the only one)")
        for sub in (one, answers):
            sub.add_argument("--out", help="write to this file instead of the screen")

    def handle(self, *args, kind, out, **options):
        if kind == "questionnaire":
            document = questionnaire(options["instrument"])
        else:
            program = program_named(options["program"])
            person = acting_person(program, options["person"], role=Role.ACOMPANANTE)
            clinician = acting_person(program, options["by"], role=Role.CLINICIAN)
            try:
                document = do_export_fhir_responses(person=person, by=clinician)
            except Refused:
                raise CommandError(_("Only the program's mental-health clinician may export a "
                                     "person's answers; %(code)s is not.")
                                   % {"code": clinician.code}) from None
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if out:
            Path(out).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(_("Written to %(path)s.") % {"path": out})
        else:
            self.stdout.write(text)
