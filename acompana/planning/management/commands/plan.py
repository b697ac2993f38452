"""`acompana plan --program DIR`: plan (or re-plan) a program's year, write every output, and
store the plan in the database (as `serve` does), so sheets, the calendar and the reports use it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from acompana import policy
from acompana.domain.scheduler.outputs import (
    PlanFileError,
    plan_to_json,
    read_plan_json,
    write_outputs,
)
from acompana.domain.scheduler.program import ProgramError
from acompana.domain.scheduler.sessions import CurriculumError, read_session_specs
from acompana.domain.scheduler.solve import plan_program, summary
from acompana.planning.services import PlanError, do_store_plan
from acompana.programs.commands import steps
from acompana.programs.models import Program


class Command(BaseCommand):
    help = ("Plan a program's sessions (or re-plan from a plan.json), store the plan and write "
            "plan.json, workplan.xlsx, .ics calendars, a chart and a PDF.")

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, type=Path,
                            help="program directory (holding program.yaml)")
        parser.add_argument("--curriculum", type=Path, default=Path("curriculum"),
                            help="curriculum directory (default: ./curriculum)")
        parser.add_argument("--out", type=Path, help="output directory (default: out/<program>)")
        parser.add_argument("--replan", type=Path, metavar="PLAN_JSON",
                            help="re-plan from this plan.json, keeping what was held")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                            help="re-plan from this day (default: the day after the last "
                                 "session marked held or missed)")
        parser.add_argument("--time-limit", type=float, default=30.0, metavar="S",
                            help="seconds the solver may use (default: 30)")
        parser.add_argument("--no-store", action="store_true",
                            help="write the files only; do not store the plan in the database")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="print the result as JSON")

    def handle(self, *args, as_json: bool, no_store: bool, **options):
        path = options["program"] / "program.yaml"
        with steps(4, _("Work plan")) as bar:
            try:
                program = yaml.safe_load(path.read_text(encoding="utf-8"))
                sessions = read_session_specs(options["curriculum"])
                previous = read_plan_json(options["replan"]) if options["replan"] else None
                bar.update()
                outcome = plan_program(program, sessions, previous=previous,
                                       as_of=options["as_of"], time_limit=options["time_limit"],
                                       source=str(path))
                bar.update()
            except (OSError, yaml.YAMLError) as error:
                raise CommandError(f"{path}: cannot read the program file ({error}).") from None
            except (ProgramError, CurriculumError, PlanFileError) as error:
                raise CommandError(str(error)) from None
            if outcome.plan is None:
                raise CommandError(f"{outcome.explanation.es}\n\n{outcome.explanation.en}")
            language = (program.get("program") or {}).get("default_language", "es")
            out = options["out"] or Path("out") / outcome.problem.program_id
            files = write_outputs(outcome.problem, outcome.plan, out, language)
            bar.update()
            stored, said = (None, _("The plan was not stored (--no-store); store it with "
                                    "`acompana plan` without --no-store.")) if no_store else (
                self._store(outcome.problem.program_id, outcome.plan, options["program"],
                            "re-plan" if previous else "plan"))
            bar.update()
        if as_json:
            self.stdout.write(json.dumps({
                "program": outcome.problem.program_id, "status": outcome.plan.solver.status,
                "sessions": len(outcome.plan.sessions), "files": [str(f) for f in files],
                "out": str(out), "stored": stored is not None,
                "created": stored.created if stored else 0,
                "moved": len(stored.moved) if stored else 0, "message": said},
                ensure_ascii=False, indent=2))
            return
        self.stdout.write("\n".join(summary(outcome)))
        self.stdout.write(f"Archivos / files: {len(files)} in {out}")
        self.stdout.write(said)

    def _store(self, program_id: str, plan, directory: Path, reason: str):
        """Store the plan for the loaded program of that id; (report or None, what was done)."""
        try:
            program = Program.objects.filter(code=program_id).first()
        except DatabaseError:
            return None, _("The plan was not stored: the database is not ready. Run `acompana "
                           "migrate` and `acompana load-program %(dir)s`, then plan again.") % {
                "dir": directory}
        if program is None:
            return None, _("The plan was not stored: the program '%(code)s' is not loaded in "
                           "the database. Load it with `acompana load-program %(dir)s`, then "
                           "plan again.") % {"code": program_id, "dir": directory}
        try:
            report = do_store_plan(program=program, plan=plan_to_json(plan), reason=reason,
                                   by=policy.OPERATOR)
        except PlanError as error:
            return None, _("The plan was not stored: it does not fit the program as loaded "
                           "(%(problem)s). Load the program file again with `acompana "
                           "load-program %(dir)s`, then plan again.") % {
                "problem": error.problems[0], "dir": directory}
        return report, _("Plan stored: %(created)s new sessions, %(moved)s moved, "
                         "%(unchanged)s unchanged.") % {
            "created": report.created, "moved": len(report.moved),
            "unchanged": report.unchanged}
