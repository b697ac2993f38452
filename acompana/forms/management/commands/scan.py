"""`acompana scan FILES... [--json] [--spec-dir DIR]`: read filled paper forms from photos."""

import json

from django.core.management.base import BaseCommand, CommandError

from acompana.domain.omr.errors import OmrError
from acompana.domain.omr.forms import rebuild_spec
from acompana.domain.omr.read import PageReading, batch_to_dict, scan
from acompana.domain.omr.spec import FormIdentity
from acompana.domain.omr.store import SpecDirectory
from acompana.forms.selectors import spec_lookup
from acompana.programs.models import Program


class Command(BaseCommand):
    help = ("Read filled Acompaña paper forms from photos or scans (JPEG, PNG, PDF) and show "
            "each answer, flagging the rows a person must check.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="photos or scans; a PDF may hold many pages")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="print the readings as JSON")
        parser.add_argument("--spec-dir", help="a folder of form layouts saved when the forms "
                            "were printed elsewhere (default: the layouts this installation "
                            "kept when it printed them)")
        parser.add_argument("--program", default="", help="refuse sheets of another program")
        parser.add_argument("--group", default="", help="refuse sheets of another group")
        parser.add_argument("--session", default="", help="refuse sheets of another session "
                            "or wave")

    def handle(self, *args, files, as_json, spec_dir, program, group, session, **options):
        expected = (FormIdentity("", 0, program, group, session)
                    if program or group or session else None)
        lookup = SpecDirectory(spec_dir) if spec_dir else self._printed_layouts(program)
        results = list(scan(files, lookup, expected))
        if as_json:
            self.stdout.write(json.dumps(batch_to_dict(results), ensure_ascii=False, indent=1))
        else:
            for result in results:
                self._show(result)
        problems = sum(isinstance(r, OmrError) for r in results)
        if problems:
            raise CommandError(f"{problems} of {len(results)} pages could not be read.")

    @staticmethod
    def _printed_layouts(program: str):
        """The layouts kept when `acompana forms` or the app printed the forms."""
        programs = Program.objects.filter(code=program) if program else Program.objects.all()
        return spec_lookup(programs.get()) if programs.count() == 1 else rebuild_spec

    def _show(self, result: PageReading | OmrError) -> None:
        if isinstance(result, OmrError):
            self.stderr.write(self.style.ERROR(str(result)))
            return
        rows = [f for f in result.fields if f.kind != "text"]
        self.stdout.write(self.style.SUCCESS(
            f"{result.source}: {result.identity.describe()}: {len(rows)} rows read, "
            f"{len(result.flagged)} to check."))
        for note in result.notes:
            self.stdout.write(f"  note: {note}")
        for field in rows:
            shown = field.value if field.value is not None else "-"
            check = f"   CHECK: {field.reason}" if field.flagged else ""
            self.stdout.write(f"  {field.label}: {shown}{check}")
