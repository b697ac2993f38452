"""Read and validate a program file (`programs/<id>/program.yaml`) into plain frozen data.

A program file describes one CHW program: its communities, people, groups and who supervises
whom. It is validated whole before anything is stored, and every problem names the file, the
entry and the field, so a coordinator can fix the file without reading code.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from acompana.domain.curriculum.model import HelpContact, MeetingGroup, ProgramDetails
from acompana.domain.instruments.registry import INSTRUMENTS
from acompana.domain.paper import paper_for_country

PROGRAM_FILE_NAME = "program.yaml"

Role = Literal["acompanante", "supervisor", "coordinator", "facilitator", "clinician", "auditor"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[str, ...] = Weekday.__args__  # type: ignore[attr-defined]
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
# The database's limits: an id is a slug of up to 50 characters, a name up to 200.
ID = Field(pattern=ID_PATTERN, max_length=50)
NAME = Field(min_length=1, max_length=200)
JSON_LEAVES = (str, int, float, bool, type(None), dt.date, dt.time)  # dates stored as ISO text


class ProgramFileError(Exception):
    """A program file that cannot be loaded; `problems` lists every reason, one sentence each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ProgramInfo(_Strict):
    id: str = ID
    name: str = NAME
    country: str = Field(pattern=r"^[A-Z]{2}$")
    time_zone: str = Field(min_length=1, max_length=64)
    default_language: Literal["es", "en"] = "es"
    # The paper every form prints on; unset, it follows the country (see domain/paper.py).
    paper_size: Literal["letter", "a4"] | None = None


class CommunityEntry(_Strict):
    id: str = ID
    name: str = NAME
    municipality: str = Field(default="", max_length=200)
    travel_minutes_from_hub: int = Field(default=0, ge=0, le=7 * 24 * 60)  # a week at most


class MembershipEntry(_Strict):
    group: str
    joined: dt.date
    left: dt.date | None = None


# A phone number as people write it: digits with an optional leading +, and spaces, dashes, dots
# or brackets between them; a help line may be short (911), a person's number has 8 digits or more.
PHONE_PATTERN = r"^\+?[0-9][0-9 ().-]{1,28}[0-9]$"
PERSON_PHONE_PATTERN = r"^(\+?[0-9][0-9 ().-]{6,28}[0-9])?$"
EMAIL_PATTERN = r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$"
PERSON_PHONE = Field(default="", max_length=30, pattern=PERSON_PHONE_PATTERN)
EMAIL = Field(default="", max_length=254, pattern=EMAIL_PATTERN)


class PersonEntry(_Strict):
    id: str = ID
    name: str = NAME
    role: Role
    community: str
    memberships: tuple[MembershipEntry, ...] = ()
    phone: str = PERSON_PHONE
    whatsapp: str = PERSON_PHONE
    email: str = EMAIL


class MeetingRule(_Strict):
    weekday: Weekday
    week_of_month: int = Field(ge=-1, le=4)
    start: dt.time = dt.time(10, 0)


class SupervisionEntry(_Strict):
    person: str
    from_: dt.date = Field(alias="from")
    to: dt.date | None = None


class GroupEntry(_Strict):
    id: str = ID
    name: str = NAME
    community: str
    meeting: MeetingRule
    supervisors: tuple[SupervisionEntry, ...] = Field(min_length=1)
    facilitators: tuple[str, ...] = ()
    # Printed in the facilitator guides (e.g. "Casa de salud de Reforma"); unset, left out.
    meeting_place: str = Field(default="", max_length=200)


Wave = Literal["baseline", "midline", "endline"]
# The questionnaires every wave asks unless the program chooses: five instruments, 50 items.
DEFAULT_INSTRUMENTS: tuple[str, ...] = ("who5", "pss10", "cbi", "phq9", "gad7")


class ClinicEntry(_Strict):
    """Where a worker gets care: named, with a number she can call, and when it answers."""

    name: str = NAME
    phone: str = Field(pattern=PHONE_PATTERN, max_length=30)
    whatsapp: str = PERSON_PHONE
    hours: str = Field(default="", max_length=200)


class HelpLineEntry(_Strict):
    name: str = NAME
    phone: str = Field(pattern=PHONE_PATTERN, max_length=30)
    hours: str = Field(default="", max_length=200)
    topic: Literal["crisis", "violence", "addiction", "emergency", "general"] = "general"


class EscalationHours(_Strict):
    """Hours an urgent referral may wait unacknowledged before the backup contact is alerted."""

    item9: float = Field(default=4, gt=0, le=24 * 14)
    severe: float = Field(default=72, gt=0, le=24 * 14)


class CareBlock(_Strict):
    """The program's path to care: who is called, how fast, and what each wave asks."""

    clinic: ClinicEntry | None = None
    backup_contact: str | None = Field(default=None, pattern=ID_PATTERN, max_length=50)
    help_lines: tuple[HelpLineEntry, ...] = ()
    escalation_hours: EscalationHours = EscalationHours()
    show_scores_to_worker: bool = False
    instruments: dict[Wave, tuple[str, ...]] = Field(default_factory=dict)

    def wave_instruments(self, wave: str) -> tuple[str, ...]:
        """The questionnaires of a wave, in the order they are asked."""
        return self.instruments.get(wave) or DEFAULT_INSTRUMENTS  # type: ignore[call-overload]


class RemindersBlock(_Strict):
    """The reminders the groups receive before each session."""

    days_before: int = Field(default=2, ge=0, le=14)
    # Also by SMS through the outbox's provider (when the deployment configures one).
    sms: bool = False


class ProgramDocument(_Strict):
    program: ProgramInfo
    communities: tuple[CommunityEntry, ...] = Field(min_length=1)
    people: tuple[PersonEntry, ...]
    groups: tuple[GroupEntry, ...]
    planning: dict[str, Any] = Field(default_factory=dict)
    care: CareBlock = CareBlock()
    reminders: RemindersBlock = RemindersBlock()


@dataclass(frozen=True)
class ProgramFile:
    """A validated program file and where it came from."""

    path: Path
    document: ProgramDocument

    @property
    def raw_planning(self) -> dict[str, Any]:
        return self.document.planning


def read_program_file(location: Path | str) -> ProgramFile:
    """Parse and validate a program directory (or its program.yaml); raise ProgramFileError."""
    path = Path(location)
    if path.is_dir():
        path = path / PROGRAM_FILE_NAME
    if not path.is_file():
        raise ProgramFileError([f"{path}: no such program file; expected {PROGRAM_FILE_NAME}."])
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ProgramFileError([f"{path}: not valid YAML: {error}"]) from error
    if not isinstance(raw, dict):
        raise ProgramFileError([f"{path}: expected a mapping with program, communities, "
                                "people and groups at the top level."])
    if problems := _unstorable(raw, "", json_only=False):
        raise ProgramFileError([f"{path}: {problem}" for problem in problems])
    try:
        document = ProgramDocument.model_validate(raw)
    except ValidationError as error:
        raise ProgramFileError(
            [f"{path}: {_describe_location(raw, err['loc'])}: {_describe_error(err)}"
             for err in error.errors()]
        ) from error
    problems = [f"{path}: {problem}" for problem in _cross_reference_problems(document)]
    if problems:
        raise ProgramFileError(problems)
    return ProgramFile(path=path, document=document)


def _unstorable(value: Any, where: str, *, json_only: bool,
                ancestors: frozenset[int] = frozenset()) -> list[str]:
    """Values no database keeps as written: text holding a NUL character anywhere, an entry
    that contains itself (YAML anchors allow it), and, in the planning rules (kept as JSON),
    keys that are not text and values JSON has no form for (NaN, infinity, sets, binary)."""
    json_only = json_only or where == "planning"
    if isinstance(value, str):
        return ([f"{where or 'top level'}: the text holds a NUL character (\\0); remove it."]
                if "\x00" in value else [])
    if isinstance(value, float) and not math.isfinite(value):
        return [f"{where}: {value} is not a number that can be stored; write a number."]
    if isinstance(value, dict | list) and id(value) in ancestors:
        return [f"{where}: this entry contains itself (a YAML alias to itself); write it out."]
    inside = ancestors | {id(value)}
    if isinstance(value, dict):
        problems = []
        for key, item in value.items():
            if json_only and not isinstance(key, str):
                problems.append(f"{where}: the key {key!r} must be text; put it in quotes.")
            label = f"{where}.{key}" if where else str(key)
            problems += _unstorable(key, label, json_only=json_only)
            problems += _unstorable(item, label, json_only=json_only, ancestors=inside)
        return problems
    if isinstance(value, list):
        return [problem for index, item in enumerate(value)
                for problem in _unstorable(item, f"{where}[{index}]", json_only=json_only,
                                           ancestors=inside)]
    if json_only and not isinstance(value, JSON_LEAVES):
        return [f"{where}: a value of type {type(value).__name__} cannot be stored; write "
                "text, a number, a date, a list or a mapping."]
    return []


def _describe_location(raw: dict[str, Any], loc: tuple[Any, ...]) -> str:
    """Turn a pydantic location into 'groups[2] (g03), field meeting.weekday'."""
    if len(loc) >= 2 and isinstance(loc[1], int):
        section, index = loc[0], loc[1]
        entry = f"{section}[{index}]"
        try:
            entry_id = raw[section][index].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            entry_id = None
        if entry_id:
            entry += f" ({entry_id})"
        rest = loc[2:]
    else:
        entry, rest = str(loc[0]) if loc else "top level", loc[1:]
    field = ".".join(str(part) for part in rest)
    return f"{entry}, field '{field}'" if field else entry


def _describe_error(err: dict[str, Any]) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown field; check its spelling against the program file format"
    if err["type"] == "missing":
        return "required field is missing"
    if err["type"] == "string_pattern_mismatch" and err["loc"][-1] in ("phone", "whatsapp"):
        return ("expected a phone number: digits, optionally starting with + and the country "
                f"code, e.g. +52 963 000 0000 (got {err.get('input')!r})")
    if err["type"] == "string_pattern_mismatch" and err["loc"][-1] == "email":
        return f"expected an e-mail address such as name@example.org (got {err.get('input')!r})"
    return f"{err['msg']} (got {err.get('input')!r})"


def _cross_reference_problems(document: ProgramDocument) -> list[str]:
    """Check what a schema cannot: unique ids and references between entries."""
    problems: list[str] = []
    community_ids = _unique_ids("communities", document.communities, problems)
    _unique_ids("people", document.people, problems)
    group_ids = _unique_ids("groups", document.groups, problems)
    roles = {person.id: person.role for person in document.people}

    for index, person in enumerate(document.people):
        entry = f"people[{index}] ({person.id})"
        if person.community not in community_ids:
            problems.append(f"{entry}, field 'community': unknown community '{person.community}'"
                            "; expected an id listed under communities.")
        if person.memberships and person.role != "acompanante":
            problems.append(f"{entry}, field 'memberships': only an acompanante belongs to "
                            f"groups, but this person's role is {person.role}.")
        for m_index, membership in enumerate(person.memberships):
            where = f"{entry}, field 'memberships[{m_index}]"
            if membership.group not in group_ids:
                problems.append(f"{where}.group': unknown group '{membership.group}'; "
                                "expected an id listed under groups.")
            if membership.left and membership.left < membership.joined:
                problems.append(f"{where}.left': {membership.left} is before the date she "
                                f"joined ({membership.joined}).")

    for index, group in enumerate(document.groups):
        entry = f"groups[{index}] ({group.id})"
        if group.community not in community_ids:
            problems.append(f"{entry}, field 'community': unknown community '{group.community}'"
                            "; expected an id listed under communities.")
        for s_index, supervision in enumerate(group.supervisors):
            where = f"{entry}, field 'supervisors[{s_index}].person'"
            if roles.get(supervision.person) != "supervisor":
                problems.append(f"{where}: '{supervision.person}' is not a person with role "
                                "supervisor.")
        for f_index, facilitator in enumerate(group.facilitators):
            if roles.get(facilitator) not in ("facilitator", "supervisor", "coordinator"):
                problems.append(f"{entry}, field 'facilitators[{f_index}]': '{facilitator}' is "
                                "not a facilitator, supervisor or coordinator in people.")
    problems += _care_problems(document.care, roles)
    return problems


def _care_problems(care: CareBlock, roles: dict[str, str]) -> list[str]:
    """The care block's references: a backup contact who can act on a referral, known
    questionnaires, none twice in a wave, and PHQ-9 (whose item 9 screens for risk) in every
    wave that is listed."""
    problems: list[str] = []
    if care.backup_contact is not None and roles.get(care.backup_contact) not in (
            "clinician", "coordinator"):
        problems.append(f"care, field 'backup_contact': '{care.backup_contact}' is not a "
                        "person with role clinician or coordinator in people.")
    for wave, instruments in care.instruments.items():
        where = f"care, field 'instruments.{wave}'"
        if not instruments:
            problems.append(f"{where}: the list is empty; name at least one questionnaire or "
                            "leave the wave out to ask the default set.")
        for instrument in instruments:
            if instrument not in INSTRUMENTS:
                problems.append(f"{where}: unknown questionnaire '{instrument}'; expected one "
                                f"of {', '.join(INSTRUMENTS)}.")
        if len(set(instruments)) != len(instruments):
            problems.append(f"{where}: a questionnaire is listed twice.")
        if instruments and "phq9" not in instruments:
            problems.append(f"{where}: PHQ-9 is missing; its item 9 is how a worker at risk "
                            "reaches the clinician, so every wave asks it.")
    return problems


def _unique_ids(section: str, entries: tuple[Any, ...], problems: list[str]) -> set[str]:
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if entry.id in seen:
            problems.append(f"{section}[{index}], field 'id': duplicate id '{entry.id}'; "
                            "each id must appear once.")
        seen.add(entry.id)
    return seen


def printed_details(document: ProgramDocument) -> ProgramDetails:
    """What the printed materials say of the program: its name, its clinic then its lines, who
    facilitates each group where and when, and the paper it prints on."""
    info = document.program
    names = {person.id: person.name for person in document.people}
    groups = [_meeting_group(group.name, "acompanantes", group.facilitators, names,
                             group.meeting_place, group.meeting)
              for group in document.groups]
    if cohort := _supervisors_cohort(document.planning.get("supervisors_track"), names):
        groups.append(cohort)
    return ProgramDetails(name=info.name, contacts=help_contacts(document.care),
                          groups=tuple(groups),
                          paper=info.paper_size or paper_for_country(info.country))


def help_contacts(care: CareBlock) -> tuple[HelpContact, ...]:
    """Where the printed materials send people for help: the clinic, then the help lines."""
    contacts = [HelpContact(care.clinic.name, care.clinic.phone, care.clinic.hours, "clinic")
                ] if care.clinic else []
    contacts += [HelpContact(line.name, line.phone, line.hours, line.topic)
                 for line in care.help_lines]
    return tuple(contacts)


# A number with six zeros in a row is an example (+52 963 000 0000), not a line anyone answers.
_EXAMPLE_NUMBER = re.compile(r"0{6,}")


def is_example_number(phone: str) -> bool:
    """Whether a phone number is a placeholder left from an example program file."""
    return bool(_EXAMPLE_NUMBER.search(re.sub(r"\D", "", phone or "")))


def _supervisors_cohort(rule: Any, names: dict[str, str]) -> MeetingGroup | None:
    """The supervisors' sessions as a group, from the planning rules (which the scheduler
    checks; here what cannot be read is simply not printed)."""
    if not isinstance(rule, dict):
        return None
    people = rule.get("facilitators")
    people = people if isinstance(people, list) else [rule.get("facilitator")]
    try:
        meeting: MeetingRule | None = MeetingRule.model_validate(
            {key: rule[key] for key in ("weekday", "week_of_month", "start") if key in rule})
    except ValidationError:
        meeting = None
    place = rule.get("meeting_place")
    return _meeting_group("", "supervisors", people, names,
                          place if isinstance(place, str) else "", meeting)


def _meeting_group(name: str, audience: str, people: Sequence[Any], names: dict[str, str],
                   place: str, meeting: MeetingRule | None) -> MeetingGroup:
    """A group as printed: its facilitators' names in alphabetical order (the database keeps
    no order of facilitators), its place and its usual meeting when known."""
    return MeetingGroup(
        name=name, audience=audience,
        facilitators=tuple(sorted(names[person] for person in people
                                  if isinstance(person, str) and person in names)),
        place=place,
        weekday=WEEKDAYS.index(meeting.weekday) if meeting else None,
        week_of_month=meeting.week_of_month if meeting else None,
        start=meeting.start.strftime("%H:%M") if meeting else "")
