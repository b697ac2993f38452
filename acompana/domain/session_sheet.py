"""The attendance-and-feedback sheet of one session, as plain data, and its validation.

Typed entry, double entry, imports and scanned paper forms all produce a `SessionSheet`; one
validation decides whether it can be saved, with an error per field, so every route into the
records is held to the same rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from acompana.domain.messages import N_, Message

ATTENDANCE = ("present", "absent", "excused")
FIDELITY = ("done", "adapted", "skipped")
OUTCOMES = ("held", "cancelled")


@dataclass(frozen=True)
class SessionSheet:
    """What a paper sheet holds. Keys of `attendance` are person ids; of `feedback`, a
    (question number, face) pair with how many participants chose that face."""

    outcome: str
    date: dt.date | None
    facilitator: str
    duration_minutes: int | None = None
    cancel_reason: str = ""
    attendance: dict[str, str] = field(default_factory=dict)
    fidelity: dict[int, str] = field(default_factory=dict)
    feedback: dict[tuple[int, int], int] = field(default_factory=dict)
    notes: str = ""


@dataclass(frozen=True)
class SheetRules:
    """What the sheet is checked against: the group's roster and the session's contents."""

    roster: tuple[str, ...]
    activities: tuple[str, ...]
    questions: int
    faces: int = 3
    facilitators: tuple[str, ...] = ()


def validate_sheet(sheet: SessionSheet, rules: SheetRules) -> dict[str, Message]:
    """Every problem, keyed by the form field it belongs to; empty when the sheet can be saved."""
    errors: dict[str, Message] = {}
    if sheet.outcome not in OUTCOMES:
        errors["outcome"] = Message(N_("Choose whether the session was held or cancelled."))
    if sheet.date is None:
        errors["date"] = Message(N_("Write the date of the session (day/month/year)."))
    if rules.facilitators and sheet.facilitator not in rules.facilitators:
        errors["facilitator"] = Message(N_("Choose who facilitated the session."))
    if sheet.outcome == "cancelled":
        if not sheet.cancel_reason.strip():
            errors["cancel_reason"] = Message(N_("Say why the session was cancelled."))
        return errors
    if sheet.duration_minutes is None or not 10 <= sheet.duration_minutes <= 600:
        errors["duration_minutes"] = Message(
            N_("Write how long the session lasted, in minutes (10-600)."))
    for person in rules.roster:
        status = sheet.attendance.get(person)
        if status not in ATTENDANCE:
            errors[f"attendance-{person}"] = Message(N_("Mark present, absent or excused."))
    for person in sheet.attendance:
        if person not in rules.roster:
            errors[f"attendance-{person}"] = Message(
                N_("%(person)s is not a member of this group."), {"person": person})
    for position in range(1, len(rules.activities) + 1):
        if sheet.fidelity.get(position) not in FIDELITY:
            errors[f"fidelity-{position}"] = Message(N_("Mark done, adapted or skipped."))
    present = sum(1 for status in sheet.attendance.values() if status == "present")
    for question in range(1, rules.questions + 1):
        answers = 0
        for face in range(1, rules.faces + 1):
            count = sheet.feedback.get((question, face), 0)
            if count < 0:
                errors[f"feedback-{question}-{face}"] = Message(
                    N_("A count cannot be negative."))
            answers += max(count, 0)
        if answers > present:
            errors[f"feedback-{question}"] = Message(
                N_("%(answers)s answers for question %(question)s, but only %(present)s "
                   "present."),
                {"answers": answers, "question": question, "present": present})
    return errors
