"""The session sheet's validation: one rule set for typed, imported and scanned sheets."""

import datetime as dt

from acompana.domain.session_sheet import SessionSheet, SheetRules, validate_sheet

RULES = SheetRules(roster=("ana", "bety"), activities=("Bienvenida", "Respirar"), questions=2,
                   facilitators=("sup-01",))


def _sheet(**changes) -> SessionSheet:
    values = {"outcome": "held", "date": dt.date(2023, 7, 11), "facilitator": "sup-01",
              "duration_minutes": 120, "attendance": {"ana": "present", "bety": "absent"},
              "fidelity": {1: "done", 2: "adapted"}, "feedback": {(1, 3): 1, (2, 2): 1}}
    return SessionSheet(**(values | changes))


def test_complete_sheet_is_valid():
    assert validate_sheet(_sheet(), RULES) == {}


def test_every_missing_mark_is_named_by_its_field():
    errors = validate_sheet(_sheet(attendance={"ana": "present"}, fidelity={1: "done"}), RULES)
    assert set(errors) == {"attendance-bety", "fidelity-2"}
    assert str(errors["attendance-bety"]) == "Mark present, absent or excused."


def test_someone_outside_the_roster_is_refused():
    errors = validate_sheet(_sheet(attendance={"ana": "present", "bety": "absent",
                                               "carla": "present"}), RULES)
    assert str(errors["attendance-carla"]) == "carla is not a member of this group."


def test_more_feedback_than_people_present_is_refused():
    errors = validate_sheet(_sheet(feedback={(1, 1): 1, (1, 3): 1}), RULES)
    assert str(errors["feedback-1"]) == "2 answers for question 1, but only 1 present."


def test_cancelled_needs_a_reason_and_nothing_else():
    errors = validate_sheet(_sheet(outcome="cancelled", attendance={}, fidelity={}), RULES)
    assert set(errors) == {"cancel_reason"}
    assert validate_sheet(_sheet(outcome="cancelled", cancel_reason="Lluvia", attendance={}),
                          RULES) == {}


def test_duration_and_date_are_checked():
    errors = validate_sheet(_sheet(duration_minutes=None, date=None, facilitator="x"), RULES)
    assert set(errors) == {"duration_minutes", "date", "facilitator"}
