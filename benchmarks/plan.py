"""Work-plan scheduler benchmark: CES, and generated programs of 100 and 1,000 groups.

Targets (2 cores): CES proven optimal in < 2 s; 1,000 groups, a plan the checker accepts in
< 60 s. Run from the repository root:

    PYTHONPATH=. python benchmarks/plan.py [--time-limit-large 50] [--workers 2]

Time is wall time of `plan_program` (reading the program, building and solving). The gap is
relative to the solver's bound; for programs planned in stages it is the sum of the parts'
bounds, each within its part's candidate days and with the cohorts' dates fixed, so it is not
a proof of global optimality.
"""

from __future__ import annotations

import argparse
import time

from acompana.domain.scheduler.check import check_plan
from acompana.domain.scheduler.solve import plan_program
from acompana.domain.scheduler.tests.programs import (
    ces_program,
    curriculum_sessions,
    generated_program,
)


def run(name: str, program: dict, time_limit: float, workers: int) -> None:
    started = time.perf_counter()
    outcome = plan_program(program, curriculum_sessions(), time_limit=time_limit,
                           workers=workers)
    seconds = time.perf_counter() - started
    if outcome.plan is None:
        print(f"{name:>12}  {outcome.status}  {seconds:6.2f} s\n{outcome.explanation.en}")
        return
    solver = outcome.plan.solver
    started = time.perf_counter()
    violations = check_plan(outcome.problem, outcome.plan)
    check_seconds = time.perf_counter() - started
    print(f"{name:>12}  {len(program['groups']):5d} groups  {len(outcome.plan.sessions):6d} rows"
          f"  {solver.status:8s}  {seconds:6.2f} s  objective {solver.objective:6d}  "
          f"bound {solver.bound:6d}  gap {solver.gap:6.2%}  parts {solver.parts:3d}  "
          f"checker {len(violations)} violations ({check_seconds:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit-large", type=float, default=50.0,
                        help="solver seconds for the generated programs (default 50)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    run("CES", ces_program(), 30.0, args.workers)
    for groups in (100, 1000):
        run(f"{groups} groups", generated_program(groups), args.time_limit_large, args.workers)


if __name__ == "__main__":
    main()
