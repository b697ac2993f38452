"""`acompana forms attendance|questionnaire|suggestion ... --out FILE.pdf`: print paper forms.

The layouts are kept in the database as they are printed, so `acompana scan` and the upload
page can read the filled sheets back without any further file.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from acompana import policy
from acompana.domain.instruments import INSTRUMENTS
from acompana.forms.services import (
    PAPERS,
    ScanRefused,
    do_print_attendance_form,
    do_print_questionnaires,
    do_print_suggestion_slips,
)
from acompana.planning.models import PlannedSession
from acompana.programs.models import Group, Program
from acompana.wellbeing.models import Wave


class Command(BaseCommand):
    help = ("Print Acompaña's machine-readable paper forms as PDF: a session's attendance and "
            "feedback sheet, wellbeing questionnaires, or suggestion slips.")

    def add_arguments(self, parser):
        forms = parser.add_subparsers(dest="form", required=True)
        attendance = forms.add_parser("attendance", help="a group session's sheet, roster "
                                      "pre-printed")
        attendance.add_argument("--group", required=True, help="group id, e.g. g01")
        attendance.add_argument("--session", required=True,
                                help="curriculum session id, e.g. bienestar-03")
        questionnaire = forms.add_parser("questionnaire", help="a wellbeing questionnaire")
        questionnaire.add_argument("--instrument", required=True, choices=sorted(INSTRUMENTS))
        questionnaire.add_argument("--wave", required=True, choices=Wave.values)
        questionnaire.add_argument("--copies", type=int, default=1)
        suggestion = forms.add_parser("suggestion", help="anonymous suggestion slips")
        suggestion.add_argument("--group", required=True, help="group id, e.g. g01")
        suggestion.add_argument("--copies", type=int, default=1)
        for sub in (attendance, questionnaire, suggestion):
            sub.add_argument("--out", required=True, help="the PDF file to write")
            sub.add_argument("--paper", choices=PAPERS, default=None,
                             help="letter or a4 (default: the program's paper)")
            sub.add_argument("--program", help="program id (default: the only one)")

    def handle(self, *args, form, out, paper, program, **options):
        found = self._program(program)
        try:
            if form == "attendance":
                planned = PlannedSession.objects.filter(
                    program=found, group__code=options["group"],
                    session_code=options["session"]).select_related("group", "program").first()
                if planned is None:
                    raise CommandError(
                        f"--group {options['group']} --session {options['session']}: the work "
                        "plan has no such session for that group (see `acompana plan`).")
                pdf = do_print_attendance_form(planned=planned, by=policy.OPERATOR, paper=paper)
            elif form == "questionnaire":
                pdf = do_print_questionnaires(program=found, instrument=options["instrument"],
                                              wave=options["wave"], copies=options["copies"],
                                              by=policy.OPERATOR, paper=paper)
            else:
                group = Group.objects.filter(program=found, code=options["group"]).first()
                if group is None:
                    raise CommandError(f"--group {options['group']}: no such group in "
                                       f"{found.code}.")
                pdf = do_print_suggestion_slips(group=group, copies=options["copies"],
                                                by=policy.OPERATOR, paper=paper)
        except ScanRefused as refused:
            raise CommandError(str(refused)) from None
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        self.stdout.write(str(path))

    @staticmethod
    def _program(code: str | None) -> Program:
        programs = Program.objects.filter(code=code) if code else Program.objects.all()
        if programs.count() != 1:
            raise CommandError("Name the program with --program (there is none, or several)."
                               if not code else f"--program {code}: no such program.")
        return programs.get()
