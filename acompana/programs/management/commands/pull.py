"""`acompana pull odk|commcare ...`: import straight from the server the data was collected on.

ODK Central gives an instrument's questionnaires (as `import-submissions`); CommCare gives
session attendance (as `import attendance`). Credentials come from settings (ACOMPANA_ODK_*,
ACOMPANA_COMMCARE_*); pulling again imports only the submissions not stored yet.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from acompana.delivery.services import do_import_attendance
from acompana.domain.instruments.registry import INSTRUMENTS
from acompana.domain.tabular import ImportRejected
from acompana.i18n import say_problem
from acompana.programs.commands import acting_person, program_named
from acompana.pull import PullFailed, commcare_forms, odk_submissions, rows_as_csv
from acompana.wellbeing.models import Wave
from acompana.wellbeing.services import do_import_submissions


class Command(BaseCommand):
    help = ("Pull submissions from ODK Central (questionnaires) or CommCare (attendance) and "
            "import what is new.")

    def add_arguments(self, parser):
        servers = parser.add_subparsers(dest="server", required=True)
        odk = servers.add_parser("odk", help="questionnaires of an instrument's form")
        odk.add_argument("--project", required=True, help="ODK Central project number")
        odk.add_argument("--form", required=True, help="form id, e.g. acompana_gad7")
        odk.add_argument("--instrument", required=True, choices=sorted(INSTRUMENTS))
        odk.add_argument("--wave", required=True, choices=Wave.values)
        commcare = servers.add_parser("commcare", help="attendance forms")
        commcare.add_argument("--xmlns", required=True, help="the attendance form's xmlns")
        for sub in (odk, commcare):
            sub.add_argument("--program", help="program id (default: the only one)")
            sub.add_argument("--by", help="id of the person importing")

    def handle(self, *args, server, program, by, **options):
        found = program_named(program)
        try:
            if server == "odk":
                line = self._pull_odk(found, by, **options)
            else:
                line = self._pull_commcare(found, by, **options)
        except PullFailed as failed:
            raise CommandError(str(failed)) from None
        except ImportRejected as rejected:
            raise CommandError(_("Nothing was imported from %(file)s:\n%(problems)s") % {
                "file": server, "problems": "\n".join(
                    say_problem(problem) for problem in rejected.problems)}) from None
        self.stdout.write(line)

    def _pull_odk(self, program, by, *, project, form, instrument, wave, **options) -> str:
        rows = odk_submissions(project=project, form=form, **settings.ODK_CENTRAL)
        if not rows:
            return _("ODK Central has no submissions of %(form)s yet.") % {"form": form}
        report = do_import_submissions(
            program=program, instrument=instrument, wave=wave, data=rows_as_csv(rows),
            file_name=f"{form}.csv", source="odk",
            entered_by=acting_person(program, by, role="clinician"))
        return _("%(file)s: questionnaires %(summary)s.") % {"file": f"ODK Central {form}",
                                                              "summary": report.summary()}

    def _pull_commcare(self, program, by, *, xmlns, **options) -> str:
        rows = commcare_forms(xmlns=xmlns, **settings.COMMCARE)
        if not rows:
            return _("CommCare has no forms of %(form)s yet.") % {"form": xmlns}
        report = do_import_attendance(
            program=program, data=rows_as_csv(rows), file_name="commcare.csv",
            source="commcare", entered_by=acting_person(program, by, role="coordinator"))
        return _("%(file)s: %(rows)s rows; %(added)s added, %(changed)s changed, %(unchanged)s "
                 "already there.") % {"file": "CommCare", "rows": report.rows,
                                      "added": report.added, "changed": report.changed,
                                      "unchanged": report.unchanged} + " " + _(
            "Records of %(tool)s: %(summary)s.") % {"tool": "commcare",
                                                    "summary": report.summary()}
