"""Work-plan scheduler benchmark: plans of 9 (CES), 24, 100 and 1,000 groups, then 20 plans in
a row of the 24-group program with the cores kept busy.

Targets (2 cores): CES proven optimal in < 2 s; 1,000 groups, a plan the checker accepts in
< 60 s; the 24-group program (another country's, planned in stages, where hints pass between
stages: the path on which OR-Tools 9.15's presolve aborted the process) 20 times under CPU
load with zero aborts. Every solve runs in a child process, so an abort would be contained,
retried and counted here as an incident. Run from the repository root:

    PYTHONPATH=. python benchmarks/plan.py [--time-limit-large 50] [--workers 2]
                                           [--runs 20] [--busy 2] [--sizes 9,24,100,1000]

Time is wall time of `plan_program` (reading the program, building and solving). The gap is
relative to the solver's bound; for programs planned in stages it is the sum of the parts'
bounds, each within its part's candidate days and with the cohorts' dates fixed, so it is not
a proof of global optimality.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import ortools

from acompana.domain.scheduler.check import check_plan
from acompana.domain.scheduler.solve import Outcome, plan_program
from acompana.domain.scheduler.tests.programs import (
    ces_program,
    curriculum_sessions,
    generated_program,
    second_program,
)


def timed(program: dict, time_limit: float, workers: int) -> tuple[Outcome, float]:
    started = time.perf_counter()
    outcome = plan_program(program, curriculum_sessions(), time_limit=time_limit,
                           workers=workers)
    return outcome, time.perf_counter() - started


def run(name: str, program: dict, time_limit: float, workers: int) -> None:
    outcome, seconds = timed(program, time_limit, workers)
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
          f"checker {len(violations)} violations ({check_seconds:.2f} s)  "
          f"incidents {len(solver.incidents)}", flush=True)


def repeated_under_load(runs: int, busy: int, workers: int) -> None:
    """The 24-group program `runs` times while `busy` processes keep the cores at work."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                for _ in range(busy)]
    times, gaps, incidents, failed = [], [], 0, 0
    try:
        for _ in range(runs):
            outcome, seconds = timed(second_program(), 30.0, workers)
            times.append(seconds)
            incidents += len(outcome.incidents)
            if outcome.plan is None:
                failed += 1
                print(f"  {outcome.status}: {outcome.explanation.en}", flush=True)
            else:
                gaps.append(outcome.plan.solver.gap)
            for incident in outcome.incidents:
                print(f"  incident: {incident.en}", flush=True)
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
    print(f"24 groups x {runs} under load ({busy} busy processes): {runs - failed} plans, "
          f"{failed} without a plan, {incidents} solver processes aborted (retried); time "
          f"min {min(times):.1f} s, median {statistics.median(times):.1f} s, max "
          f"{max(times):.1f} s; gap max {max(gaps, default=0):.2%}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit-large", type=float, default=50.0,
                        help="solver seconds for the 100 and 1,000 groups (default 50)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sizes", default="9,24,100,1000",
                        help="program sizes to plan once each (9 is CES, 24 the second "
                             "program, others generated)")
    parser.add_argument("--runs", type=int, default=20,
                        help="plans of the 24-group program under load (0: none)")
    parser.add_argument("--busy", type=int, default=2, help="busy processes during those runs")
    args = parser.parse_args()
    print(f"OR-Tools {ortools.__version__}")
    for size in (int(s) for s in args.sizes.split(",") if s):
        if size == 9:
            run("CES", ces_program(), 30.0, args.workers)
        elif size == 24:
            run("24 groups", second_program(), 30.0, args.workers)
        else:
            run(f"{size} groups", generated_program(size), args.time_limit_large, args.workers)
    if args.runs:
        repeated_under_load(args.runs, args.busy, args.workers)


if __name__ == "__main__":
    main()
