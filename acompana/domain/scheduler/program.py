"""Build a `PlanningProblem` from a program file's mapping, validating its `planning` section.

The program file's other sections are validated by `acompana.domain.program_file`; this module
checks again only what planning relies on, so a mapping read from the database is safe too.
Every problem is one sentence naming the file, the entry, the field and what was expected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import holidays as holiday_calendars

from acompana.domain.paper import paper_for_country
from acompana.domain.scheduler.problem import (
    AUDIENCES,
    Closure,
    CohortRule,
    Community,
    Group,
    Holiday,
    MeetingRule,
    Person,
    PlanningProblem,
    SessionSpec,
    Supervision,
    Unavailability,
    UnstaffedGroup,
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PLANNING_FIELDS = {"period", "closures", "max_sessions_per_person_per_day",
                   "train_the_trainer_days", "supervisors_track", "unavailability",
                   "assessment_waves", "travel_minutes"}
SUPERVISORS_TRACK_FIELDS = {"weekday", "week_of_month", "start", "community", "facilitator",
                            "facilitators", "cohort_size", "meeting_place"}


class ProgramError(Exception):
    """A program that cannot be planned; `problems` lists every reason, one sentence each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Reader:
    """Reads typed values out of plain YAML data, collecting one sentence per problem."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.source}, {where}: {message}")

    def mapping(self, value: Any, where: str, allowed: set[str] | None = None) -> dict:
        if not isinstance(value, dict):
            self.problem(where, f"expected a mapping, got {value!r}.")
            return {}
        for key in sorted(set(value) - (allowed or set(value)), key=str):
            self.problem(f"{where}.{key}", "unknown field; expected one of "
                         f"{', '.join(sorted(allowed or ()))}.")
        return value

    def items(self, value: Any, where: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, f"expected a list, got {value!r}.")
            return []
        return value

    def date(self, value: Any, where: str) -> dt.date | None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.problem(where, f"expected a date YYYY-MM-DD, got {value!r}.")
            return None

    def time(self, value: Any, where: str) -> dt.time | None:
        # YAML 1.1 reads an unquoted 10:00 as the sexagesimal number 600 (minutes).
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
            return dt.time(value // 60, value % 60)
        try:
            return dt.time.fromisoformat(str(value))
        except ValueError:
            self.problem(where, f'expected a time HH:MM such as "10:00", got {value!r}.')
            return None

    def integer(self, value: Any, where: str, low: int, high: int | None = None) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (
                high is not None and value > high):
            expected = f"between {low} and {high}" if high is not None else f"at least {low}"
            self.problem(where, f"expected a whole number {expected}, got {value!r}.")
            return None
        return value

    def text(self, value: Any, where: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.problem(where, f"expected a non-empty text, got {value!r}.")
            return None
        return value.strip()

    def meeting_rule(self, raw: dict, where: str) -> MeetingRule | None:
        weekday = raw.get("weekday")
        if weekday not in WEEKDAYS[:5]:
            self.problem(f"{where}.weekday", f"expected a weekday monday-friday, got {weekday!r}.")
        week = raw.get("week_of_month")
        if week not in (1, 2, 3, 4, -1):
            self.problem(f"{where}.week_of_month", f"expected 1, 2, 3, 4 or -1 (the last), "
                         f"got {week!r}.")
        start = self.time(raw.get("start"), f"{where}.start")
        if weekday not in WEEKDAYS[:5] or week not in (1, 2, 3, 4, -1) or start is None:
            return None
        return MeetingRule(weekday=WEEKDAYS.index(weekday), week_of_month=week, start=start)


def problem_from_program(
    program: dict,
    sessions: Iterable[SessionSpec],
    *,
    source: str = "program.yaml",
) -> PlanningProblem:
    """A planning problem from a program file's parsed mapping and the curriculum's sessions.

    The groups take the track whose audience is the Acompañantes, the cohorts the track whose
    audience is the supervisors, whatever the curriculum calls them.

    Public holidays come from the `holidays` package for the program's country and every year
    of the period; closures, rules and unavailability from the `planning` section.
    Raises ProgramError listing every problem found.
    """
    read = _Reader(source)
    root = read.mapping(program, "top level")
    info = read.mapping(root.get("program", {}), "program")
    sessions = tuple(sessions)
    communities = _communities(read, root)
    people = _people(read, root)
    groups, unstaffed = _groups(read, root, communities, people)
    planning = read.mapping(root.get("planning"), "planning", PLANNING_FIELDS)

    period = read.mapping(planning.get("period"), "planning.period", {"start", "end"})
    start = read.date(period.get("start"), "planning.period.start")
    end = read.date(period.get("end"), "planning.period.end")
    if start and end and end < start:
        read.problem("planning.period.end", f"{end} is before the start {start}.")

    closures = []
    for index, raw in enumerate(read.items(planning.get("closures"), "planning.closures")):
        where = f"planning.closures[{index}]"
        raw = read.mapping(raw, where, {"name", "start", "end"})
        name = read.text(raw.get("name"), f"{where}.name")
        first, last = read.date(raw.get("start"), f"{where}.start"), read.date(
            raw.get("end"), f"{where}.end")
        if first and last and last < first:
            read.problem(f"{where}.end", f"{last} is before the start {first}.")
        elif name and first and last:
            closures.append(Closure(name=name, start=first, end=last))

    max_per_day = read.integer(planning.get("max_sessions_per_person_per_day", 2),
                               "planning.max_sessions_per_person_per_day", 1)
    ttt_days = read.integer(planning.get("train_the_trainer_days", 7),
                            "planning.train_the_trainer_days", 0, 90)
    cohort_rule = _cohort_rule(read, planning, communities, people)
    unavailability = _unavailability(read, planning, people, end)
    travel = _travel(read, planning, communities)

    wellbeing_track, supervisors_track = _tracks_by_audience(read, sessions)
    wellbeing = sorted((s for s in sessions if s.track == wellbeing_track), key=lambda s: s.number)
    supervision = [s for s in sessions if s.track == supervisors_track]
    waves = []
    raw_waves = read.mapping(planning.get("assessment_waves", {}), "planning.assessment_waves")
    for wave, number in raw_waves.items() if wellbeing_track else ():
        checked = read.integer(number, f"planning.assessment_waves.{wave}", 1,
                               max(len(wellbeing), 1))
        if checked is not None:
            waves.append((str(wave), checked))
    _check_session_references(read, sessions)

    if start and end:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        for track, count in ((wellbeing_track, len(wellbeing)),
                             (supervisors_track, len(supervision))):
            if track and count > months:
                read.problem("planning.period", f"the period has {months} months but the track "
                             f"'{track}' has {count} sessions (one per monthly meeting).")
    if read.problems:
        raise ProgramError(read.problems)

    country = info.get("country", "MX")
    return PlanningProblem(
        program_id=str(info.get("id", "")),
        program_name=str(info.get("name", "")),
        paper=info.get("paper_size") or paper_for_country(country),
        time_zone=str(info.get("time_zone", "America/Mexico_City")),
        period_start=start,
        period_end=end,
        communities=tuple(communities.values()),
        people=tuple(people.values()),
        groups=tuple(groups),
        supervisors=tuple(sorted(p.id for p in people.values() if p.role == "supervisor")),
        cohort_rule=cohort_rule,
        sessions=sessions,
        wellbeing_track=wellbeing_track,
        supervisors_track=supervisors_track,
        closures=tuple(closures),
        holidays=public_holidays(country, start, end),
        unavailability=tuple(unavailability),
        travel_minutes=tuple(travel),
        train_the_trainer_days=ttt_days,
        max_sessions_per_person_per_day=max_per_day,
        assessment_waves=tuple(waves),
        unstaffed=tuple(unstaffed),
    )


def _tracks_by_audience(read: _Reader, sessions: tuple[SessionSpec, ...]) -> tuple[str, str]:
    """The ids of the Acompañantes' track and of the supervisors' track: one track each.

    The plan has one kind of meeting per audience (a group's session, a cohort's session), so
    a curriculum with two tracks for one audience, or a track for no known audience, cannot be
    planned yet and is refused with the tracks named.
    """
    audience_of = {s.track: s.audience for s in sessions}
    found = []
    for kind, audience in AUDIENCES.items():
        tracks = sorted(t for t, a in audience_of.items() if a == audience)
        if not tracks:
            read.problem("curriculum", f"no track whose audience is '{audience}'; the "
                         f"{kind} sessions are planned from it (see tracks.yaml).")
        elif len(tracks) > 1:
            read.problem("curriculum", f"the tracks {', '.join(repr(t) for t in tracks)} are "
                         f"all for the audience '{audience}'; the planner plans one track per "
                         "audience (the groups' track and the supervisors' track). Merge them "
                         "or plan them as separate programs.")
        found.append(tracks[0] if len(tracks) == 1 else "")
    for track, audience in sorted(audience_of.items()):
        if audience not in AUDIENCES.values():
            read.problem("curriculum", f"track {track!r} has the audience {audience!r}; the "
                         f"planner plans the audiences {', '.join(AUDIENCES.values())}.")
    return found[0], found[1]


def public_holidays(country: str, start: dt.date, end: dt.date) -> tuple[Holiday, ...]:
    """The country's public holidays in the period, named in Spanish and English."""
    years = range(start.year, end.year + 1)
    spanish = holiday_calendars.country_holidays(country, years=years, language="es")
    english = holiday_calendars.country_holidays(country, years=years, language="en_US")
    return tuple(Holiday(date=day, name_es=name, name_en=english.get(day, name))
                 for day, name in sorted(spanish.items()) if start <= day <= end)


def _communities(read: _Reader, root: dict) -> dict[str, Community]:
    found = {}
    for index, raw in enumerate(read.items(root.get("communities"), "communities")):
        where = f"communities[{index}]"
        raw = read.mapping(raw, where)
        key = read.text(raw.get("id"), f"{where}.id")
        minutes = read.integer(raw.get("travel_minutes_from_hub", 0),
                               f"{where}.travel_minutes_from_hub", 0)
        if key and minutes is not None:
            found[key] = Community(id=key, name=str(raw.get("name", key)),
                                   travel_minutes_from_hub=minutes)
    return found


def _people(read: _Reader, root: dict) -> dict[str, Person]:
    found = {}
    for index, raw in enumerate(read.items(root.get("people"), "people")):
        raw = read.mapping(raw, f"people[{index}]")
        key = read.text(raw.get("id"), f"people[{index}].id")
        if key:
            found[key] = Person(id=key, name=str(raw.get("name", key)),
                                role=str(raw.get("role", "")))
    return found


def _groups(read: _Reader, root: dict, communities: dict,
            people: dict) -> tuple[list[Group], list[UnstaffedGroup]]:
    """The groups to plan, and those left out because they have no supervisor or facilitator
    yet (listed, not refused: a program being set up adds groups before their staff)."""
    groups, unstaffed = [], []
    for index, raw in enumerate(read.items(root.get("groups"), "groups")):
        raw = read.mapping(raw, f"groups[{index}]")
        where = f"groups[{index}] ({raw.get('id')})"
        key = read.text(raw.get("id"), f"{where}.id")
        community = raw.get("community")
        if community not in communities:
            read.problem(f"{where}.community", f"unknown community {community!r}; expected an "
                         "id listed under communities.")
        rule = read.meeting_rule(read.mapping(raw.get("meeting"), f"{where}.meeting"),
                                 f"{where}.meeting")
        supervisions = []
        for s_index, entry in enumerate(read.items(raw.get("supervisors"),
                                                   f"{where}.supervisors")):
            s_where = f"{where}.supervisors[{s_index}]"
            entry = read.mapping(entry, s_where)
            person = entry.get("person")
            if getattr(people.get(person), "role", None) != "supervisor":
                read.problem(f"{s_where}.person", f"{person!r} is not a person with role "
                             "supervisor.")
            first = read.date(entry["from"], f"{s_where}.from") if entry.get("from") else None
            last = read.date(entry["to"], f"{s_where}.to") if entry.get("to") else None
            supervisions.append(Supervision(person=person, start=first, end=last))
        facilitators = tuple(read.items(raw.get("facilitators"), f"{where}.facilitators"))
        lacks = tuple(role for role, staff in (("supervisor", supervisions),
                                               ("facilitator", facilitators)) if not staff)
        for f_index, person in enumerate(facilitators):
            if person not in people:
                read.problem(f"{where}.facilitators[{f_index}]", f"unknown person {person!r}.")
        if key and rule and lacks:
            unstaffed.append(UnstaffedGroup(id=key, name=str(raw.get("name", key)), lacks=lacks))
        elif key and rule:
            groups.append(Group(id=key, name=str(raw.get("name", key)), community=community,
                                meeting=rule, supervisions=tuple(supervisions),
                                facilitators=facilitators))
    return groups, unstaffed


def _cohort_rule(read: _Reader, planning: dict, communities: dict,
                 people: dict) -> CohortRule | None:
    where = "planning.supervisors_track"
    raw = read.mapping(planning.get("supervisors_track"), where, SUPERVISORS_TRACK_FIELDS)
    rule = read.meeting_rule(raw, where) if raw else None
    community = raw.get("community")
    if raw and community not in communities:
        read.problem(f"{where}.community", f"unknown community {community!r}; expected an id "
                     "listed under communities.")
    if "facilitator" in raw and "facilitators" in raw:
        read.problem(where, "give either facilitator (one person) or facilitators (a list, one "
                     "per cohort in turn), not both.")
    facilitators = tuple(raw["facilitators"]) if isinstance(raw.get("facilitators"), list) else (
        (raw["facilitator"],) if "facilitator" in raw else ())
    if raw and not facilitators:
        read.problem(f"{where}.facilitator", "expected the person who leads the supervisors' "
                     "sessions.")
    for person in facilitators:
        if person not in people:
            read.problem(f"{where}.facilitator", f"unknown person {person!r}.")
    if "meeting_place" in raw:  # printed in the supervisors' guide, as a group's is
        place = read.text(raw["meeting_place"], f"{where}.meeting_place")
        if place and len(place) > 200:
            read.problem(f"{where}.meeting_place", "expected at most 200 characters.")
    size = read.integer(raw.get("cohort_size", 12), f"{where}.cohort_size", 1)
    if rule is None or size is None:
        return None
    return CohortRule(meeting=rule, community=community, facilitators=facilitators,
                      cohort_size=size)


def _unavailability(read: _Reader, planning: dict, people: dict,
                    period_end: dt.date | None) -> list[Unavailability]:
    found = []
    for index, raw in enumerate(read.items(planning.get("unavailability"),
                                           "planning.unavailability")):
        where = f"planning.unavailability[{index}]"
        raw = read.mapping(raw, where, {"person", "start", "end", "reason"})
        person = raw.get("person")
        if person not in people:
            read.problem(f"{where}.person", f"unknown person {person!r}.")
        first = read.date(raw.get("start"), f"{where}.start")
        # No end: away until the end of the period (e.g. she left the program).
        last = read.date(raw["end"], f"{where}.end") if raw.get("end") else period_end
        if first and last and last < first:
            read.problem(f"{where}.end", f"{last} is before the start {first}.")
        elif person in people and first and last:
            found.append(Unavailability(person=person, start=first, end=last,
                                        reason=str(raw.get("reason", ""))))
    return found


def _travel(read: _Reader, planning: dict, communities: dict) -> list[tuple[str, str, int]]:
    pairs = []
    for index, raw in enumerate(read.items(planning.get("travel_minutes"),
                                           "planning.travel_minutes")):
        where = f"planning.travel_minutes[{index}]"
        raw = read.mapping(raw, where, {"from", "to", "minutes"})
        ends = [raw.get("from"), raw.get("to")]
        for name, community in zip(("from", "to"), ends, strict=True):
            if community not in communities:
                read.problem(f"{where}.{name}", f"unknown community {community!r}.")
        minutes = read.integer(raw.get("minutes"), f"{where}.minutes", 0)
        if all(c in communities for c in ends) and minutes is not None:
            pairs.append((ends[0], ends[1], minutes))
    return pairs


def _check_session_references(read: _Reader, sessions: tuple[SessionSpec, ...]) -> None:
    known = {s.id for s in sessions}
    for session in sessions:
        for prerequisite in session.prerequisites:
            if prerequisite not in known:
                read.problem(f"curriculum {session.id}.prerequisites",
                             f"unknown session {prerequisite!r}.")
