"""`acompana import attendance FILE`: import an attendance file whole or not at all."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from acompana.delivery.services import do_import_attendance
from acompana.domain.attendance_import import CANONICAL_COLUMNS, ImportRejected
from acompana.domain.uploads import UploadRefused, check_size
from acompana.i18n import say_problem
from acompana.programs.commands import acting_person, program_named, read_file, steps


def parse_map(text: str) -> dict[str, str]:
    """'date=Fecha,person=Núm.' or 'date=Fecha;person=Núm.'; a part without '=' is an error."""
    mapping = {}
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise CommandError(_("--map: '%(part)s' is not column=file column (e.g. "
                                 "date=Fecha).") % {"part": part.strip()})
        canonical, column = part.split("=", 1)
        mapping[canonical.strip()] = column.strip()
    return mapping


class Command(BaseCommand):
    help = ("Import attendance from CSV or XLSX (CommCare, KoboToolbox, ODK Central or a "
            "spreadsheet), the whole file or nothing. Columns: "
            f"{', '.join(CANONICAL_COLUMNS)}, found by name or given with --map.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["attendance"])
        parser.add_argument("file")
        parser.add_argument("--program", help="program id (default: the only one)")
        parser.add_argument("--source", default="", help="name of the source system; its "
                            "column mapping is saved and reused")
        parser.add_argument("--map", default="", help="column mapping, e.g. "
                            "'date=Fecha,person=ID acompañante' (',' or ';' between pairs)")
        parser.add_argument("--by", help="id of the person importing (default: a coordinator)")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="print the result as JSON")

    def handle(self, *args, kind, file, program, source, map, by, as_json: bool, **options):
        found = program_named(program)
        importer = acting_person(found, by, role="coordinator")
        mapping = parse_map(map)
        path = Path(file)
        try:  # before reading: a file too big is refused whole
            if path.is_file():
                check_size(path.stat().st_size, path.name, settings.MAX_UPLOAD_BYTES)
        except UploadRefused as refused:
            raise CommandError(_("Nothing was imported: %(reason)s") % {"reason": refused}
                               ) from None
        data = read_file(path)
        try:
            with steps(None, path.name, unit=_("rows")) as bar:
                report = do_import_attendance(program=found, data=data, file_name=path.name,
                                              entered_by=importer, source=source,
                                              mapping=mapping or None, progress=bar.update)
        except ImportRejected as rejected:
            if as_json:
                self._print_json({"file": path.name, "imported": False, "problems": [
                    say_problem(problem) for problem in rejected.problems]})
                raise CommandError(_("Nothing was imported from %(file)s.")
                                   % {"file": path.name}) from None
            lines = "\n".join(say_problem(problem) for problem in rejected.problems)
            raise CommandError(_("Nothing was imported from %(file)s:\n%(problems)s")
                               % {"file": path.name, "problems": lines}) from None
        if as_json:
            self._print_json({"file": path.name, "imported": True, "tool": report.tool,
                              "mapping": report.mapping, "rows": report.rows,
                              "added": report.added, "changed": report.changed,
                              "unchanged": report.unchanged, "new_records": report.new_records,
                              "known_records": report.known_records})
            return
        line = _("%(file)s: %(rows)s rows; %(added)s added, %(changed)s changed, %(unchanged)s "
                 "already there.") % {"file": path.name, "rows": report.rows,
                                      "added": report.added, "changed": report.changed,
                                      "unchanged": report.unchanged}
        if report.new_records or report.known_records:
            line += " " + _("Records of %(tool)s: %(summary)s.") % {
                "tool": report.tool, "summary": report.summary()}
        self.stdout.write(self.style.SUCCESS(line))

    def _print_json(self, payload: dict) -> None:
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
