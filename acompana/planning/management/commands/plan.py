"""`acompana plan --program DIR`: plan (or re-plan) a program's year and write every output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from acompana.domain.scheduler.outputs import PlanFileError, read_plan_json, write_outputs
from acompana.domain.scheduler.program import ProgramError
from acompana.domain.scheduler.sessions import CurriculumError, read_session_specs
from acompana.domain.scheduler.solve import plan_program, summary


class Command(BaseCommand):
    help = ("Plan a program's sessions (or re-plan from a plan.json) and write plan.json, "
            "workplan.xlsx, .ics calendars, a chart and a PDF.")

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

    def handle(self, *args, **options):
        path = options["program"] / "program.yaml"
        try:
            program = yaml.safe_load(path.read_text(encoding="utf-8"))
            sessions = read_session_specs(options["curriculum"])
            previous = read_plan_json(options["replan"]) if options["replan"] else None
            outcome = plan_program(program, sessions, previous=previous,
                                   as_of=options["as_of"], time_limit=options["time_limit"],
                                   source=str(path))
        except (OSError, yaml.YAMLError) as error:
            raise CommandError(f"{path}: cannot read the program file ({error}).") from error
        except (ProgramError, CurriculumError, PlanFileError) as error:
            raise CommandError(str(error)) from error
        if outcome.plan is None:
            raise CommandError(f"{outcome.explanation.es}\n\n{outcome.explanation.en}")
        language = (program.get("program") or {}).get("default_language", "es")
        out = options["out"] or Path("out") / outcome.problem.program_id
        files = write_outputs(outcome.problem, outcome.plan, out, language)
        self.stdout.write("\n".join(summary(outcome)))
        self.stdout.write(f"Archivos / files: {len(files)} in {out}")

