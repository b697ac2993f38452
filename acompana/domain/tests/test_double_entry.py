"""Double entry: a sheet as its boxes, the boxes two entries disagree on, and error rates."""

import datetime as dt

from acompana.domain.double_entry import (
    Disagreement,
    disagreements,
    resolve,
    score_entry,
    sheet_fields,
    sheet_from_fields,
)
from acompana.domain.session_sheet import SessionSheet, SheetRules, validate_sheet

RULES = SheetRules(roster=("ana", "bety"), activities=("Bienvenida", "Respirar"), questions=1,
                   facilitators=("sup-01",))
SHEET = SessionSheet(outcome="held", date=dt.date(2023, 7, 11), facilitator="sup-01",
                     duration_minutes=120, attendance={"ana": "present", "bety": "absent"},
                     fidelity={1: "done", 2: "adapted"}, feedback={(1, 3): 1},
                     notes="Llovió")


def test_a_sheet_is_its_boxes_in_the_order_of_the_paper():
    fields = sheet_fields(SHEET, RULES)
    assert list(fields) == ["date", "outcome", "facilitator", "cancel_reason",
                            "duration_minutes", "attendance-ana", "attendance-bety",
                            "fidelity-1", "fidelity-2", "feedback-1-1", "feedback-1-2",
                            "feedback-1-3", "notes"]
    assert (fields["date"], fields["attendance-bety"], fields["feedback-1-3"],
            fields["feedback-1-1"]) == ("2023-07-11", "absent", "1", "")


def test_boxes_give_back_the_same_sheet():
    assert sheet_from_fields(sheet_fields(SHEET, RULES)) == SHEET


def test_a_posted_form_with_blanks_and_text_in_number_boxes_is_read_as_typed():
    sheet = sheet_from_fields({"date": "11/07/2023", "outcome": "held", "duration_minutes": "dos",
                               "attendance-ana": "", "feedback-1-2": "x", "fidelity-x": "done"})
    assert (sheet.date, sheet.duration_minutes, sheet.attendance, sheet.fidelity) == (
        None, None, {}, {})
    assert sheet.feedback == {}


def test_entries_that_agree_have_no_disagreements_whatever_the_spacing():
    first = sheet_fields(SHEET, RULES)
    second = first | {"notes": "  Llovió \n"}
    assert disagreements(first, second) == []


def test_every_box_that_differs_is_listed_in_sheet_order():
    first = sheet_fields(SHEET, RULES)
    second = first | {"attendance-bety": "excused", "duration_minutes": "12",
                      "feedback-1-3": ""}
    assert disagreements(first, second) == [
        Disagreement("duration_minutes", "120", "12"),
        Disagreement("attendance-bety", "absent", "excused"),
        Disagreement("feedback-1-3", "1", ""),
    ]


def test_resolving_takes_the_chosen_value_of_each_disagreement():
    first = sheet_fields(SHEET, RULES)
    second = first | {"attendance-bety": "excused", "duration_minutes": "12"}
    settled, unchosen = resolve(first, second, {"attendance-bety": "2",
                                                "duration_minutes": "1"})
    assert unchosen == {}
    assert (settled["attendance-bety"], settled["duration_minutes"]) == ("excused", "120")
    assert validate_sheet(sheet_from_fields(settled), RULES) == {}


def test_a_disagreement_left_unchosen_is_named():
    first = sheet_fields(SHEET, RULES)
    _settled, unchosen = resolve(first, first | {"outcome": "cancelled"}, {"outcome": "3"})
    assert list(unchosen) == ["outcome"]
    assert str(unchosen["outcome"]) == "Choose the value written on the paper sheet."


def test_error_rate_counts_boxes_typed_and_boxes_wrong():
    settled = sheet_fields(SHEET, RULES)
    wrong = settled | {"attendance-bety": "excused", "feedback-1-2": "1"}
    # 11 boxes hold something: 10 in the settled sheet (all but the cancel reason and two
    # feedback boxes) and feedback-1-2, filled only in the wrong entry.
    score = score_entry(wrong, settled)
    assert (score.fields, score.errors) == (11, 2)
    assert score.rate == 2 / 11
    assert score_entry(settled, settled).errors == 0


def test_boxes_blank_in_both_do_not_count_for_a_cancelled_session():
    cancelled = SessionSheet(outcome="cancelled", date=dt.date(2023, 7, 11),
                             facilitator="sup-01", cancel_reason="Deslave")
    fields = sheet_fields(cancelled, RULES)
    assert score_entry(fields, fields).fields == 4  # date, outcome, facilitator, reason
