"""Double data entry of a paper sheet: two people type the same sheet, the boxes are compared.

As in the best paper-based studies, a second person re-enters the sheet without seeing the first
entry; every box where the two differ is settled by someone looking at the paper, and each
person's entry error rate is the share of the boxes she typed that differ from the settled value.
A sheet is handled here as its boxes: form field name -> text, the same names the entry page uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from acompana.domain.messages import N_, Message
from acompana.domain.session_sheet import SessionSheet, SheetRules

Fields = dict[str, str]


def sheet_fields(sheet: SessionSheet, rules: SheetRules) -> Fields:
    """Every box of the paper sheet as text, in the order of the sheet; empty when left blank."""
    fields = {"date": sheet.date.isoformat() if sheet.date else "", "outcome": sheet.outcome,
              "facilitator": sheet.facilitator, "cancel_reason": sheet.cancel_reason,
              "duration_minutes": "" if sheet.duration_minutes is None
              else str(sheet.duration_minutes)}
    for person in rules.roster:
        fields[f"attendance-{person}"] = sheet.attendance.get(person, "")
    for position in range(1, len(rules.activities) + 1):
        fields[f"fidelity-{position}"] = sheet.fidelity.get(position, "")
    for question in range(1, rules.questions + 1):
        for face in range(1, rules.faces + 1):
            count = sheet.feedback.get((question, face), 0)
            fields[f"feedback-{question}-{face}"] = str(count) if count else ""  # blank box: 0
    fields["notes"] = sheet.notes
    return fields


def sheet_from_fields(fields: Mapping[str, str]) -> SessionSheet:
    """The sheet that a set of boxes (a posted form, or settled values) describes."""
    def number(name: str) -> int | None:
        try:
            return int(fields.get(name, ""))
        except ValueError:
            return None

    try:
        date = dt.date.fromisoformat(fields.get("date", ""))
    except ValueError:
        date = None
    attendance = {name.removeprefix("attendance-"): value for name, value in fields.items()
                  if name.startswith("attendance-") and value}
    fidelity = {int(name.removeprefix("fidelity-")): value for name, value in fields.items()
                if name.startswith("fidelity-") and name.removeprefix("fidelity-").isdigit()
                and value}
    feedback = {}
    for name in fields:
        parts = name.split("-")
        is_box = (parts[0] == "feedback" and len(parts) == 3 and parts[1].isdigit()
                  and parts[2].isdigit())
        if is_box and (count := number(name)):  # a blank box, or text not a number, is 0
            feedback[(int(parts[1]), int(parts[2]))] = count
    return SessionSheet(outcome=fields.get("outcome", ""), date=date,
                        facilitator=fields.get("facilitator", ""),
                        duration_minutes=number("duration_minutes"),
                        cancel_reason=fields.get("cancel_reason", ""), attendance=attendance,
                        fidelity=fidelity, feedback=feedback, notes=fields.get("notes", ""))


def same(first: str, second: str) -> bool:
    """Two boxes agree when they hold the same text; spacing in free text does not count."""
    return " ".join(first.split()) == " ".join(second.split())


@dataclass(frozen=True)
class Disagreement:
    field: str
    first: str
    second: str


def disagreements(first: Fields, second: Fields) -> list[Disagreement]:
    """Every box where the two entries differ, in the order of the sheet."""
    names = [*first, *(name for name in second if name not in first)]
    return [Disagreement(name, first.get(name, ""), second.get(name, "")) for name in names
            if not same(first.get(name, ""), second.get(name, ""))]


def resolve(first: Fields, second: Fields, choices: Mapping[str, str]
            ) -> tuple[Fields, dict[str, Message]]:
    """The settled sheet: boxes that agree as typed, each disagreement as chosen ("1" for the
    first entry's value, "2" for the second's); with an error for each one left unchosen."""
    settled = dict(first) | {name: value for name, value in second.items() if name not in first}
    unchosen: dict[str, Message] = {}
    for difference in disagreements(first, second):
        match choices.get(difference.field):
            case "1":
                settled[difference.field] = difference.first
            case "2":
                settled[difference.field] = difference.second
            case _:
                unchosen[difference.field] = Message(
                    N_("Choose the value written on the paper sheet."))
    return settled, unchosen


@dataclass(frozen=True)
class EntryScore:
    """How one entry compares with the settled sheet: boxes filled in, and boxes wrong."""

    fields: int
    errors: int

    @property
    def rate(self) -> float | None:
        return self.errors / self.fields if self.fields else None


def score_entry(entry: Fields, settled: Fields) -> EntryScore:
    """Count the boxes filled in the entry or in the settled sheet, and those that differ.

    Boxes blank in both (the attendance of a cancelled session) were not typed and do not count.
    """
    names = [name for name in {*entry, *settled}
             if entry.get(name, "").strip() or settled.get(name, "").strip()]
    errors = sum(1 for name in names if not same(entry.get(name, ""), settled.get(name, "")))
    return EntryScore(fields=len(names), errors=errors)
