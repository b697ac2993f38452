"""The work-plan scheduler: plans every group's wellbeing sessions and the supervisors' training
for a program's year with OR-Tools CP-SAT, re-plans after missed sessions, explains impossible
plans in Spanish and English, and checks any plan against every rule. Pure Python, no Django.

Entry points: `plan_program` (program file mapping + curriculum sessions -> Outcome),
`check_plan`, and `acompana.domain.scheduler.outputs.write_outputs`.
"""

from acompana.domain.scheduler.check import Violation, check_plan
from acompana.domain.scheduler.plan import Move, Plan, PlannedSession
from acompana.domain.scheduler.problem import PlanningProblem, SessionSpec
from acompana.domain.scheduler.program import ProgramError, problem_from_program
from acompana.domain.scheduler.solve import Outcome, plan_program, schedule

__all__ = ["Move", "Outcome", "Plan", "PlannedSession", "PlanningProblem", "ProgramError",
           "SessionSpec", "Violation", "check_plan", "plan_program", "problem_from_program",
           "schedule"]
