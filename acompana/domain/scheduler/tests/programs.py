"""Programs to plan in tests and benchmarks: CES-like, and generated ones of any size."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from acompana.domain.scheduler.problem import SessionSpec

CES_PROGRAM = Path(__file__).with_name("ces_program.yaml")
DISTRICT_SUPERVISORS = 12  # a generated district: 12 supervisors x 3 groups, 12 facilitators
# Each supervisor's three groups meet on different days (as in CES), rotating by supervisor.
MEETING_PATTERNS = (
    (("tuesday", 2), ("thursday", 2), ("tuesday", 3)),
    (("wednesday", 2), ("friday", 2), ("wednesday", 3)),
    (("tuesday", 4), ("thursday", 3), ("thursday", 4)),
)


def curriculum_sessions() -> list[SessionSpec]:
    """The two tracks as in CURRICULUM_PLAN.md: 12 wellbeing sessions, 12 supervisors'."""
    sessions = []
    for number in range(1, 13):
        # bienestar-01 and -02 are prepared by supervisores-01; then n by supervisores-(n-1).
        preparing = 1 if number <= 2 else number - 1
        prerequisites = [f"supervisores-{preparing:02d}"]
        if number > 1:
            prerequisites.append(f"bienestar-{number - 1:02d}")
        sessions.append(SessionSpec(id=f"bienestar-{number:02d}", track="bienestar",
                                    number=number, duration_minutes=120,
                                    prerequisites=tuple(prerequisites), audience="acompanantes"))
    for number in range(1, 13):
        prerequisites = (f"supervisores-{number - 1:02d}",) if number > 1 else ()
        sessions.append(SessionSpec(id=f"supervisores-{number:02d}", track="supervisores",
                                    number=number, duration_minutes=180,
                                    prerequisites=prerequisites, audience="supervisors"))
    return sessions


def ces_program() -> dict:
    """A fresh copy of the CES-like program mapping, as yaml.safe_load gives it."""
    return copy.deepcopy(_CES)


_CES = yaml.safe_load(CES_PROGRAM.read_text(encoding="utf-8"))


def generated_program(groups: int) -> dict:
    """A program of `groups` groups in districts like CES, three times the staff per district.

    Proportions as in CES: one supervisor per three groups, as many facilitators as supervisors
    (each group has two of its district's facilitators), one coordinator per four cohorts.
    """
    program = ces_program()
    communities = [{"id": "jaltenango", "name": "Jaltenango de la Paz",
                    "travel_minutes_from_hub": 0}]
    people, group_entries = [], []
    district_size = 3 * DISTRICT_SUPERVISORS
    for first in range(0, groups, district_size):
        district = first // district_size + 1
        count = min(district_size, groups - first)
        supervisors = -(-count // 3)
        facilitators = [f"fac-{district:03d}-{n + 1:02d}" for n in range(supervisors)]
        people += [{"id": f"sup-{district:03d}-{n + 1:02d}", "role": "supervisor",
                    "name": f"Supervisora {district}-{n + 1}", "community": "jaltenango"}
                   for n in range(supervisors)]
        people += [{"id": f, "name": f"Facilitadora {f[4:]}", "role": "facilitator",
                    "community": "jaltenango"} for f in facilitators]
        for k in range(count):
            number = first + k + 1
            supervisor = k // 3
            weekday, week = MEETING_PATTERNS[supervisor % 3][k % 3]
            community = f"com-{number:04d}"
            communities.append({"id": community, "name": f"Comunidad {number}",
                                "travel_minutes_from_hub": 30 + (number * 37) % 120})
            pair = [facilitators[k % supervisors]]
            if supervisors > 1:
                pair.append(facilitators[(k + max(1, supervisors // 2) + k // supervisors)
                                         % supervisors])
            group_entries.append({
                "id": f"g{number:04d}", "name": f"Grupo {number}", "community": community,
                "meeting": {"weekday": weekday, "week_of_month": week,
                            "start": "10:00" if supervisor % 2 == 0 else "14:00"},
                "supervisors": [{"person": f"sup-{district:03d}-{supervisor + 1:02d}",
                                 "from": "2022-01-10"}],
                "facilitators": list(dict.fromkeys(pair))})
    cohorts = -(-sum(p["role"] == "supervisor" for p in people) // DISTRICT_SUPERVISORS)
    coordinators = [f"coord-{n + 1:02d}" for n in range(-(-cohorts // 4))]
    people += [{"id": c, "name": f"Coordinadora {c[6:]}", "role": "coordinator",
                "community": "jaltenango"} for c in coordinators]
    program.update(communities=communities, people=people, groups=group_entries)
    track = program["planning"]["supervisors_track"]
    track.pop("facilitator")
    track.update(facilitators=coordinators, cohort_size=DISTRICT_SUPERVISORS)
    program["planning"]["unavailability"] = [
        {"person": p["id"], "start": "2023-10-02", "end": "2023-10-13", "reason": "Vacaciones"}
        for p in people[::25] if p["role"] == "facilitator"]
    return program


def second_program() -> dict:
    """Another country's program of 24 groups and 6 supervisors (four groups each), its own
    period and closures: big enough to be planned in stages, where hints pass between stages
    (the path on which OR-Tools 9.15's presolve aborted)."""
    program = ces_program()
    program["program"].update(id="sierra", name="Programa de la Sierra", country="GT",
                              time_zone="America/Guatemala")
    days = (("tuesday", 2), ("thursday", 2), ("wednesday", 3), ("friday", 3))
    communities = [{"id": "hub", "name": "Cabecera", "travel_minutes_from_hub": 0}]
    people = [{"id": "coord-01", "name": "Coordinadora", "role": "coordinator",
               "community": "hub"}]
    people += [{"id": f"sup-{n:02d}", "name": f"Supervisora {n}", "role": "supervisor",
                "community": "hub"} for n in range(1, 7)]
    people += [{"id": f"fac-{n:02d}", "name": f"Facilitadora {n}", "role": "facilitator",
                "community": "hub"} for n in range(1, 7)]
    groups = []
    for number in range(1, 25):
        supervisor, k = (number - 1) // 4 + 1, (number - 1) % 4
        communities.append({"id": f"c{number:02d}", "name": f"Aldea {number}",
                            "travel_minutes_from_hub": 20 + (number * 29) % 100})
        weekday, week = days[k]
        groups.append({
            "id": f"g{number:02d}", "name": f"Grupo {number}", "community": f"c{number:02d}",
            "meeting": {"weekday": weekday, "week_of_month": week,
                        "start": "09:00" if supervisor % 2 else "14:00"},
            "supervisors": [{"person": f"sup-{supervisor:02d}", "from": "2024-06-01"}],
            "facilitators": [f"fac-{supervisor:02d}", f"fac-{supervisor % 6 + 1:02d}"]})
    program.update(communities=communities, people=people, groups=groups)
    planning = program["planning"]
    planning["period"] = {"start": "2025-02-01", "end": "2026-01-31"}
    planning["closures"] = [
        {"name": "Semana Santa", "start": "2025-04-13", "end": "2025-04-20"},
        {"name": "Fin de año", "start": "2025-12-19", "end": "2026-01-04"}]
    planning["supervisors_track"].update(community="hub", facilitator="coord-01")
    planning["unavailability"] = [
        {"person": "fac-03", "start": "2025-07-07", "end": "2025-07-18", "reason": "Vacaciones"}]
    return program
