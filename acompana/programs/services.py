"""Writes to the program's people and places. Each function is one user-visible action."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from acompana import policy
from acompana.domain.program_file import (
    EMAIL_PATTERN,
    PERSON_PHONE_PATTERN,
    WEEKDAYS,
    ProgramDocument,
    read_program_file,
)
from acompana.programs.models import (
    Community,
    Group,
    Membership,
    Person,
    Program,
    Provenance,
    Supervision,
)


@dataclass
class LoadReport:
    """What loading a program file did: counts of records created and updated per kind."""

    program: Program
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def count(self, kind: str, created: bool, updated: bool) -> None:
        self.created[kind] = self.created.get(kind, 0) + int(created)
        self.updated[kind] = self.updated.get(kind, 0) + int(updated)


def do_load_program(*, location: Path | str, by: policy.Actor) -> LoadReport:
    """Load a program file whole or not at all; loading the same file again changes nothing.

    The program file grants every role, the clinician's included: the operator's alone.
    Raises ProgramFileError (with every problem named) before touching the database.
    """
    policy.authorize(by, "programs.do_load_program")
    document = read_program_file(location).document
    with transaction.atomic():
        return _store_program(document)


def _store_program(document: ProgramDocument) -> LoadReport:
    info = document.program
    program, created, updated = _upsert(
        Program.objects, {"code": info.id},
        {"name": info.name, "country": info.country, "time_zone": info.time_zone,
         "default_language": info.default_language,
         "planning": _json_ready(document.planning),
         "care": document.care.model_dump(mode="json", exclude_defaults=True),
         "paper_size": info.paper_size or "",
         "reminders": document.reminders.model_dump(mode="json", exclude_defaults=True)})
    report = LoadReport(program=program)
    report.count("programs", created, updated)

    communities: dict[str, Community] = {}
    for entry in document.communities:
        community, created, updated = _upsert(
            Community.objects, {"program": program, "code": entry.id},
            {"name": entry.name, "municipality": entry.municipality,
             "travel_minutes_from_hub": entry.travel_minutes_from_hub})
        communities[entry.id] = community
        report.count("communities", created, updated)

    people: dict[str, Person] = {}
    for entry in document.people:
        person, created, updated = _upsert(
            Person.objects, {"program": program, "code": entry.id},
            {"name": entry.name, "role": entry.role, "community": communities[entry.community],
             "provenance": Provenance.PROGRAM_FILE},
            fill_blank=_contact_details(entry))
        people[entry.id] = person
        report.count("people", created, updated)

    groups: dict[str, Group] = {}
    for entry in document.groups:
        group, created, updated = _upsert(
            Group.objects, {"program": program, "code": entry.id},
            {"name": entry.name, "community": communities[entry.community],
             "meeting_weekday": WEEKDAYS.index(entry.meeting.weekday),
             "meeting_week_of_month": entry.meeting.week_of_month,
             "meeting_start": entry.meeting.start, "meeting_place": entry.meeting_place})
        groups[entry.id] = group
        report.count("groups", created, updated)
        facilitators = {people[code] for code in entry.facilitators}
        if set(group.facilitators.all()) != facilitators:
            group.facilitators.set(facilitators)
            report.count("groups", False, not created)
        for supervision in entry.supervisors:
            _, created, updated = _upsert(
                Supervision.objects,
                {"supervisor": people[supervision.person], "group": group,
                 "start": supervision.from_},
                {"end": supervision.to})
            report.count("supervisions", created, updated)

    for entry in document.people:
        for membership in entry.memberships:
            _, created, updated = _upsert(
                Membership.objects,
                {"person": people[entry.id], "group": groups[membership.group],
                 "joined": membership.joined},
                {"left": membership.left})
            report.count("memberships", created, updated)
    return report


def _json_ready(value):
    """YAML dates become ISO strings so the planning rules store as JSON and compare equal."""
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _contact_details(entry) -> dict[str, str]:
    return {name: getattr(entry, name) for name in ("phone", "whatsapp", "email")
            if getattr(entry, name)}


def _upsert(manager, keys: dict, values: dict, fill_blank: dict | None = None):
    """Create or update one record; return (record, created, updated) and write only changes.

    `fill_blank` values are written only where the record has none: a person's own phone or
    e-mail, once she has edited it, is not overwritten by loading the program file again.
    """
    fill_blank = fill_blank or {}
    record = manager.filter(**keys).first()
    if record is None:
        return manager.create(**keys, **values, **fill_blank), True, False
    values = values | {name: value for name, value in fill_blank.items()
                       if not getattr(record, name)}
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, values[name])
    if changed:
        record.save(update_fields=changed)
    return record, False, bool(changed)


class ContactDetailsError(Exception):
    """Contact details that cannot be saved; `problems` maps each field to a sentence."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(problems.values()))


def do_update_contact_details(*, person: Person, by, phone: str, whatsapp: str,
                              email: str) -> Person:
    """A person's own phone, WhatsApp and e-mail, where alerts reach her. The audit trail
    records that they changed, never the numbers (Person.AUDIT_REDACTED_FIELDS)."""
    policy.authorize(by, "programs.do_update_contact_details", person)
    typed = {"phone": phone.strip(), "whatsapp": whatsapp.strip(), "email": email.strip()}
    problems = {}
    for name in ("phone", "whatsapp"):
        if not re.fullmatch(PERSON_PHONE_PATTERN, typed[name]):
            problems[name] = _("Write the number with digits only, starting with + and the "
                               "country code if it has one, for example +52 963 000 0000.")
    if len(typed["email"]) > 254 or not re.fullmatch(EMAIL_PATTERN, typed["email"]):
        problems["email"] = _("Write an e-mail address such as name@example.org, or leave it "
                              "empty.")
    if problems:
        raise ContactDetailsError(problems)
    changed = [name for name, value in typed.items() if getattr(person, name) != value]
    with transaction.atomic():
        for name in changed:
            setattr(person, name, typed[name])
        if changed:
            person.save(update_fields=changed)
    return person
