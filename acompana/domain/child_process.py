"""Run work in a child process: a CP-SAT solve, so a native abort cannot take the caller with
it; drawing with matplotlib, so no request thread imports it or holds the GIL drawing.

OR-Tools 9.15's presolve can abort the whole process (SIGABRT from an uncaught
`std::out_of_range: absl::btree_map::at` while it carries a solution hint through presolve:
google/or-tools issues 5288 and 5091). In the web app that process would be the server's
worker. Here the solve runs in a child started by the `forkserver` context (a clean process
that has imported the scheduler once; each child is a quick fork of it, never of a threaded
server), sends each better plan it finds while it searches, and its answer at the end. If it
dies, the caller learns how (`ChildDied`) and keeps the last plan it heard of.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

# The child starts from a server that imported only the scheduler (not the
# parent's __main__, not Django): starting one costs a fork, not an interpreter.
_PRELOAD = ["acompana.domain.scheduler.solve"]
_GRACE_SECONDS = 30.0  # beyond the solver's own limit: building the model, explaining


class ChildDied(Exception):
    """The child ended without an answer: killed by a signal, exited, or overran its time."""

    def __init__(self, how: str):
        self.how = how  # "SIGABRT", "exit 1", "timeout"
        super().__init__(f"the solver's process ended without an answer ({how})")


def run_in_child(function: Callable[..., Any], kwargs: dict[str, Any], *, timeout: float,
                 on_progress: Callable[[Any], None] | None = None) -> Any:
    """`function(**kwargs)` in a child process; its return value, or ChildDied.

    With `on_progress`, the function is also given `report`: `report(item)` in the child calls
    `on_progress(item)` here (a better plan found so far). An exception raised by `function`
    is raised here too.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, daemon=True, name="acompana-solver",
                            args=(sending, function, kwargs, on_progress is not None))
    child.start()
    sending.close()
    deadline = time.monotonic() + timeout + _GRACE_SECONDS
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ChildDied("timeout")
            if not receiving.poll(min(left, 1.0)):
                continue
            try:
                kind, value = receiving.recv()
            except (EOFError, OSError):
                break  # the child is gone; its exit code says how
            if kind == "progress":
                if on_progress is not None:
                    on_progress(value)
            elif kind == "error":
                raise value
            else:
                return value
        child.join(5)
        raise ChildDied(_how_it_ended(child.exitcode))
    finally:
        receiving.close()
        if child.is_alive():
            child.kill()
        child.join(5)


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is None:
        return "no exit"
    if exitcode < 0:
        try:
            return signal.Signals(-exitcode).name
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit {exitcode}"


def _child_main(sending: Connection, function: Callable[..., Any], kwargs: dict[str, Any],
                reports: bool) -> None:
    def report(item: Any) -> None:
        sending.send(("progress", item))

    try:
        result = function(**kwargs, **({"report": report} if reports else {}))
    except Exception as error:  # the caller re-raises it; a native abort never gets here
        sending.send(("error", error))
    else:
        sending.send(("result", result))
    finally:
        sending.close()
