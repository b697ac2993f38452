"""The to-do lists' date arithmetic, with no database."""

import datetime as dt

from acompana.domain.todo import absent_in_a_row, days_waiting, week_of


def test_the_week_runs_monday_to_sunday():
    assert week_of(dt.date(2023, 10, 17)) == (dt.date(2023, 10, 16), dt.date(2023, 10, 22))
    assert week_of(dt.date(2023, 10, 22)) == (dt.date(2023, 10, 16), dt.date(2023, 10, 22))


def test_a_sheet_dated_ahead_has_waited_no_days():
    assert days_waiting(dt.date(2023, 9, 12), dt.date(2023, 10, 17)) == 35
    assert days_waiting(dt.date(2023, 10, 18), dt.date(2023, 10, 17)) == 0


def test_absent_from_each_of_the_last_two_sessions_excused_or_not():
    """Newest first: 'c' then 'b'. Ana missed both (once excused); Eva missed 'a' and 'c' but
    came to 'b'; Sol joined after 'b' (not marked there): an unknown is not an absence."""
    marks = {"ana": [("b", "excused"), ("c", "absent")],
             "eva": [("a", "absent"), ("b", "present"), ("c", "absent")],
             "sol": [("c", "absent")]}
    found = absent_in_a_row(marks, ["c", "b", "a"])
    assert list(found) == ["ana"]
    assert [(a.session, a.excused) for a in found["ana"]] == [("c", False), ("b", True)]


def test_a_group_with_one_session_held_has_nobody_absent_twice():
    assert absent_in_a_row({"ana": [("a", "absent")]}, ["a"]) == {}
