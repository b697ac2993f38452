"""A quick first plan to start the solver from: each session, in date order, on the nearest
free day to its usual one, with the least-busy free co-facilitator.

It follows the same rules as the model but decides greedily, so it may leave a session
unplaced; the solver only uses it as a hint.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from acompana.domain.scheduler.agenda import Agenda, Meeting, clash
from acompana.domain.scheduler.calendar import WorkCalendar
from acompana.domain.scheduler.problem import PlanningProblem


def first_fit(problem: PlanningProblem, agenda: Agenda) -> dict[str, tuple[int, str]]:
    """Meeting -> (day, co-facilitator) for every meeting it could place."""
    calendar = WorkCalendar(problem)
    placed: dict[str, tuple[int, str]] = {}
    busy: dict[tuple[str, int], list[Meeting]] = defaultdict(list)
    load: dict[str, int] = defaultdict(int)
    after: dict[str, list] = defaultdict(list)
    for precedence in agenda.precedences:
        after[precedence.after].append(precedence)

    def book(meeting: Meeting, day: int, facilitator: str) -> None:
        placed[meeting.id] = (day, facilitator)
        load[facilitator] += 1
        for person in dict.fromkeys((*meeting.people, facilitator)):
            busy[(person, day)].append(meeting)

    def fits(meeting: Meeting, day: int, facilitator: str) -> bool:
        date = dt.date.fromordinal(day)
        for precedence in after[meeting.id]:
            before = placed.get(precedence.before)
            if before is not None and day < before[0] + precedence.days:
                return False
        for person in dict.fromkeys((*meeting.people, facilitator)):
            if calendar.unavailable(person, date) is not None:
                return False
            others = busy[(person, day)]
            if len(others) >= problem.max_sessions_per_person_per_day or any(
                    clash(problem, meeting, other) for other in others):
                return False
        return True

    for meeting in agenda.meetings:
        if meeting.fixed:
            book(meeting, meeting.days[0], meeting.facilitators[0])
    for meeting in sorted((m for m in agenda.meetings if not m.fixed),
                          key=lambda m: (m.days[0], m.usual, m.id)):
        options = sorted(((day, person) for day in meeting.days
                          for person in meeting.facilitators),
                         key=lambda o: (abs(o[0] - meeting.usual), load[o[1]], o))
        chosen = next((o for o in options if fits(meeting, *o)), None)
        if chosen is not None:
            book(meeting, *chosen)
    return placed
