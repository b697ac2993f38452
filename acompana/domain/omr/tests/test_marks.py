"""Classifying a row from its bubbles' measurements."""

from acompana.domain.omr.marks import (
    CORRECTED,
    EMPTY,
    FAINT_ONLY,
    MARKED,
    MULTIPLE,
    BubbleMeasure,
    classify_row,
)

BLANK = (0.0, 0.01, 0.0)
FULL = (1.0, 0.85, 0.98)
PARTIAL = (0.6, 0.8, 0.4)
CROSS = (0.5, 0.8, 0.0)
TICK = (0.3, 0.75, 0.0)
LIGHT = (1.0, 0.5, 0.95)
FAINT = (0.0, 0.23, 0.0)


def row(*bubbles, required=False):
    measures = [BubbleMeasure(str(n), *b) for n, b in enumerate(bubbles, start=1)]
    return classify_row(measures, required)


def test_one_clear_mark_of_any_kind_is_its_value():
    for mark in (FULL, PARTIAL, CROSS, TICK, LIGHT):
        reading = row(BLANK, mark, BLANK)
        assert (reading.value, reading.status, reading.flagged) == ("2", MARKED, False)
        assert reading.confidence >= 0.5


def test_empty_row_is_flagged_only_when_an_answer_is_needed():
    assert row(BLANK, BLANK).status == EMPTY and not row(BLANK, BLANK).flagged
    needed = row(BLANK, BLANK, required=True)
    assert needed.flagged and needed.value is None and "nothing is marked" in needed.reason


def test_a_faint_mark_alone_is_flagged_with_its_candidate():
    reading = row(BLANK, BLANK, FAINT)
    assert (reading.status, reading.value, reading.candidate) == (FAINT_ONLY, None, "3")
    assert reading.flagged and reading.confidence < 0.5


def test_two_marks_are_flagged_not_guessed():
    for pair in ((FULL, FULL), (FULL, PARTIAL), (CROSS, TICK)):
        reading = row(pair[0], BLANK, pair[1])
        assert (reading.status, reading.value, reading.flagged) == (MULTIPLE, None, True)


def test_crossed_out_and_filled_reads_the_filled_one():
    reading = row(CROSS, BLANK, FULL)
    assert (reading.status, reading.value, reading.flagged) == (CORRECTED, "3", False)
    assert "1 crossed out" in reading.reason


def test_a_clear_mark_beside_a_nearly_as_dark_one_is_flagged():
    reading = row(FULL, (0.05, 0.33, 0.0))
    assert reading.flagged and reading.candidate == "1"
    assert row(FULL, (0.0, 0.2, 0.0)).value == "1"  # an erasure's ghost is no rival
