"""A solver process that aborts (as OR-Tools 9.15's presolve can, with SIGABRT) never takes
the caller with it: the caller is told how it died, and the plan is tried again."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from acompana.domain.child_process import ChildDied, run_in_child
from acompana.domain.scheduler.solve import plan_program
from acompana.domain.scheduler.tests.programs import ces_program, curriculum_sessions


def cpu_seconds(pid: int) -> float:
    """Processor time a process has used: it is solving once it has used some."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Aborter(threading.Thread):
    """Sends SIGABRT to the first `times` solver processes once each has used `after` seconds
    of processor time (mid-solve, however busy the machine) and, when `ready` is given, once
    it says so (e.g. the child's first report has reached the caller)."""

    def __init__(self, *, after: float, times: int, ready=lambda: True):
        super().__init__(daemon=True)
        self.after, self.times, self.ready = after, times, ready
        self.killed: list[int] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set() and len(self.killed) < self.times:
            try:
                children = multiprocessing.active_children()
            except RuntimeError:  # the parent started one at that very moment
                continue
            for child in children:
                if child.name != "acompana-solver" or child.pid in self.killed:
                    continue
                if (cpu_seconds(child.pid) >= self.after and len(self.killed) < self.times
                        and self.ready()):
                    os.kill(child.pid, signal.SIGABRT)
                    self.killed.append(child.pid)
            time.sleep(0.01)

    def __enter__(self) -> Aborter:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.join()


def work_a_long_time(*, seconds: float, report) -> str:
    report("started")
    finish = time.monotonic() + seconds
    while time.monotonic() < finish:
        pass
    return "finished"


def fail_plainly() -> None:
    raise ValueError("a plain error in the child")


def test_a_child_killed_by_sigabrt_is_reported_by_its_signal():
    heard = []  # killed once its report has been heard: a loaded machine may deliver it late
    with (Aborter(after=0.2, times=1, ready=lambda: bool(heard)) as aborter,
          pytest.raises(ChildDied) as died):
        run_in_child(work_a_long_time, {"seconds": 30}, timeout=30, on_progress=heard.append)
    assert len(aborter.killed) == 1
    assert died.value.how == "SIGABRT"
    assert "SIGABRT" in str(died.value)
    assert heard == ["started"]


def test_an_error_in_the_child_is_raised_in_the_caller():
    with pytest.raises(ValueError, match="a plain error in the child"):
        run_in_child(fail_plainly, {}, timeout=10)


def test_a_plan_whose_solver_aborts_mid_solve_is_retried_and_says_so():
    with Aborter(after=0.3, times=1) as aborter:
        outcome = plan_program(ces_program(), curriculum_sessions(), time_limit=30)
    assert len(aborter.killed) == 1
    assert outcome.plan is not None
    assert outcome.status in ("OPTIMAL", "FEASIBLE")
    [incident] = outcome.plan.solver.incidents
    assert "SIGABRT" in incident.en and "tried again (without hints, seed 1)" in incident.en
    assert "se intentó otra vez (sin pistas, semilla 1)" in incident.es


def test_a_plan_whose_every_attempt_aborts_is_a_clear_failure():
    with Aborter(after=0.0, times=3) as aborter:
        outcome = plan_program(ces_program(), curriculum_sessions(), time_limit=30)
    assert len(aborter.killed) == 3
    assert outcome.plan is None and outcome.status == "CRASHED"
    assert "(SIGABRT) in all 3 attempts" in outcome.explanation.en
    assert "el plan guardado no cambió" in outcome.explanation.es
    assert len(outcome.incidents) == 2  # the two retries, each announced
