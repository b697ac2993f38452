"""`acompana curriculum check`: every problem of the curriculum sources, one per line."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from acompana.domain.curriculum import check_curriculum


class Command(BaseCommand):
    help = "Work with the curriculum sources (curriculum/FORMAT.md)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser(
            "check", help="report every problem as file:line: field: message")
        check.add_argument("--strict", action="store_true",
                           help="missing English text or handouts are errors, not warnings")
        check.add_argument("--source", default="curriculum", help="the curriculum folder")
        check.add_argument("--json", action="store_true", dest="as_json",
                           help="print the problems as JSON")

    def handle(self, *args, action, strict, source, as_json, **options):
        if not Path(source).is_dir():
            raise CommandError(f"{source}: no such folder; give the curriculum folder with "
                               "--source.")
        problems = check_curriculum(source, strict=strict)
        errors = sum(problem.is_error for problem in problems)
        if as_json:
            self.stdout.write(json.dumps({
                "source": str(source), "errors": errors, "warnings": len(problems) - errors,
                "problems": [{"file": p.file, "line": p.line, "field": p.field,
                              "message": p.message, "error": p.is_error} for p in problems]},
                ensure_ascii=False, indent=2))
            if errors:
                raise CommandError(f"{errors} error(s) in {source}.")
            return
        for problem in problems:
            self.stdout.write(problem.report_line())
        summary = f"{errors} error(s), {len(problems) - errors} warning(s) in {source}."
        if errors:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
