"""`acompana curriculum check`: every problem of the curriculum sources, one per line."""

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

    def handle(self, *args, action, strict, source, **options):
        problems = check_curriculum(source, strict=strict)
        for problem in problems:
            self.stdout.write(problem.report_line())
        errors = sum(problem.is_error for problem in problems)
        summary = f"{errors} error(s), {len(problems) - errors} warning(s) in {source}."
        if errors:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
