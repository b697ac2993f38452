"""Classifying a row from its bubbles' measurements: each bubble's shape, then the row whole."""

from acompana.domain.omr.marks import (
    CANCELLED,
    CORRECTED,
    EMPTY,
    FAINT_ONLY,
    MARKED,
    MULTIPLE,
    BubbleMeasure,
    classify_page,
    classify_row,
)

BLANK = {"cover": 0.0, "strength": 0.01, "peak": 0.02}
FULL = {"cover": 1.0, "strength": 0.85, "solid": 0.98, "light": 1.0, "peak": 0.86,
        "crossed": 1.0}
PARTIAL = {"cover": 0.5, "strength": 0.8, "solid": 0.3, "light": 0.55, "peak": 0.82, "tall": 1.0}
CROSS = {"cover": 0.35, "strength": 0.6, "light": 0.45, "peak": 0.7, "crossed": 0.8}
TICK = {"cover": 0.15, "strength": 0.5, "light": 0.25, "peak": 0.7, "crossed": 0.05, "tall": 0.7}
RING = {"cover": 0.0, "strength": 0.02, "peak": 0.03, "ring": 0.7, "far": 0.5, "sides": 4}
LIGHT = {"cover": 0.1, "strength": 0.3, "light": 0.9, "peak": 0.35, "tall": 1.0}
FAINT = {"cover": 0.0, "strength": 0.23, "light": 0.1, "peak": 0.25}
SCRIBBLE = {"cover": 0.9, "strength": 0.8, "solid": 0.5, "light": 1.0, "peak": 0.85,
            "ring": 0.95, "far": 0.7, "sides": 4, "arms": 6, "crossed": 0.9}  # its zigzags
# leave the circle as thin strokes (4 to 11 of them on the hands benchmark's photos)
X_OVER_FULL = {**FULL, "ring": 0.5, "far": 0.3, "sides": 4, "arms": 4, "x_arms": 4}
X_TWO_ARMS = {**FULL, "ring": 0.3, "far": 0.1, "sides": 3, "arms": 2, "x_arms": 2}
NEIGHBOURS_SPILL = {**BLANK, "ring": 0.3, "far": 0.2, "sides": 1}
LINE_THROUGH = {**TICK, "tall": 0.2, "ring": 0.15, "sides": 2}  # a stray line along the row
PENCIL_TICK = {"cover": 0.01, "strength": 0.2, "light": 0.2, "peak": 0.3, "tall": 0.7}
RUBBED = {"cover": 0.0, "strength": 0.06, "peak": 0.08}
CREASE_TRACE = {**PENCIL_TICK, "tall": 0.1}


def row(*bubbles, required=False):
    measures = [BubbleMeasure(str(n), **b) for n, b in enumerate(bubbles, start=1)]
    return classify_row(measures, required)


def test_one_clear_mark_of_any_kind_is_its_value():
    for mark in (FULL, PARTIAL, CROSS, TICK, RING, LIGHT):
        reading = row(BLANK, mark, BLANK)
        assert (reading.value, reading.status, reading.flagged) == ("2", MARKED, False), mark
        assert reading.confidence >= 0.5


def test_empty_row_is_flagged_only_when_an_answer_is_needed():
    assert row(BLANK, BLANK).status == EMPTY and not row(BLANK, BLANK).flagged
    needed = row(BLANK, BLANK, required=True)
    assert needed.flagged and needed.value is None and "nothing is marked" in needed.reason


def test_a_faint_mark_alone_is_flagged_with_its_candidate():
    reading = row(BLANK, BLANK, FAINT)
    assert (reading.status, reading.value, reading.candidate) == (FAINT_ONLY, None, "3")
    assert reading.flagged and reading.confidence < 0.5


def test_two_choosing_marks_are_flagged_not_guessed():
    for pair in ((FULL, FULL), (FULL, PARTIAL), (CROSS, TICK), (TICK, RING), (FULL, TICK)):
        reading = row(pair[0], BLANK, pair[1])
        assert (reading.status, reading.value, reading.flagged) == (MULTIPLE, None, True), pair


def test_a_tick_or_ring_beside_a_scribbled_bubble_is_the_answer():
    for chosen in (TICK, RING, FULL):
        reading = row(SCRIBBLE, BLANK, chosen)
        assert (reading.status, reading.value, reading.flagged) == (CORRECTED, "3", False)
        assert "1 cancelled (scribble)" in reading.reason


def test_the_printed_correction_reads_the_other_filled_bubble():
    reading = row(X_OVER_FULL, BLANK, FULL)
    assert (reading.status, reading.value, reading.flagged) == (CORRECTED, "3", False)


def test_crossed_out_and_filled_reads_the_filled_one():
    """The convention printed on earlier forms: cross the wrong one, fill the right one."""
    reading = row(CROSS, BLANK, FULL)
    assert (reading.status, reading.value, reading.flagged) == (CORRECTED, "3", False)


def test_only_a_cancelled_answer_is_flagged():
    reading = row(SCRIBBLE, BLANK, BLANK)
    assert (reading.status, reading.value, reading.flagged) == (CANCELLED, None, True)
    two_traces = row(SCRIBBLE, {**PENCIL_TICK, "peak": 0.25}, PENCIL_TICK)
    assert two_traces.flagged and two_traces.value is None


def test_a_light_tick_beside_a_scribbled_bubble_is_the_answer():
    reading = row(SCRIBBLE, BLANK, PENCIL_TICK)
    assert (reading.status, reading.value, reading.flagged) == (CORRECTED, "3", False)
    assert not row(SCRIBBLE, CREASE_TRACE, BLANK).value  # a flat trace is no answer


def test_ink_reaching_over_from_the_next_bubble_is_no_ring():
    reading = row(FULL, NEIGHBOURS_SPILL, BLANK)
    assert (reading.value, reading.flagged) == ("1", False)


def test_a_clear_mark_beside_a_nearly_as_dark_one_is_flagged():
    reading = row(FULL, {"cover": 0.05, "strength": 0.33, "peak": 0.4})
    assert reading.flagged and reading.candidate == "1"
    assert row(FULL, {"cover": 0.0, "strength": 0.15, "peak": 0.16}).value == "1"


def test_a_line_along_the_row_beside_a_clear_mark_is_no_rival():
    reading = row(LINE_THROUGH, TICK, LINE_THROUGH)
    assert (reading.status, reading.value, reading.flagged) == (MARKED, "2", False)
    alone = row(LINE_THROUGH, BLANK, BLANK)
    assert alone.flagged and alone.value is None


def test_a_pencil_mark_clearly_darker_than_a_rubbed_out_one_is_read():
    reading = row(RUBBED, BLANK, PENCIL_TICK)
    assert (reading.status, reading.value, reading.flagged) == (MARKED, "3", False)


def test_a_flat_trace_or_one_little_darker_than_its_row_stays_flagged():
    assert row(BLANK, CREASE_TRACE, BLANK).flagged
    assert row({**RUBBED, "peak": 0.18}, BLANK, PENCIL_TICK).flagged


def test_an_x_over_a_fill_beside_anything_but_a_fill_is_flagged():
    reading = row(X_OVER_FULL, BLANK, TICK)
    assert (reading.status, reading.value, reading.flagged) == (MULTIPLE, None, True)


def paper(tone: float) -> dict:
    """A bubble nobody marked, as a washed-out photo shows it: its mean darkness `tone`."""
    return {**BLANK, "tone": tone}


def page_of(*rows, required=False):
    return classify_page([([BubbleMeasure(str(n), **b) for n, b in enumerate(r, start=1)],
                           required) for r in rows])


# A photocopied page: empty bubbles hover around 0.010 mean darkness, give or take 0.003.
EMPTY_ROWS = [(paper(0.007 + 0.001 * (n % 6)), paper(0.012 - 0.001 * (n % 5)),
               paper(0.009 + 0.001 * (n % 4))) for n in range(12)]
# ... and a page whose empty rows are each alike to within the photo's noise.
ALIKE_ROWS = [(paper(0.008 + 0.001 * (n % 4)), paper(0.009 + 0.001 * (n % 4)),
               paper(0.0085 + 0.001 * (n % 4))) for n in range(12)]


def test_a_mark_washed_out_to_a_trace_is_flagged_not_read_as_empty():
    """A pencil fill a photocopy washed out: no threshold sees it, but its disc is clearly
    darker than the page's empty bubbles and the rest of its row."""
    washed = (paper(0.008), paper(0.045), paper(0.009))
    readings = page_of(washed, *ALIKE_ROWS)
    assert readings[0].flagged and readings[0].value is None
    assert readings[0].candidate == "2" and "washed-out" in readings[0].reason
    assert not any(r.flagged for r in readings[1:])  # empty rows all alike stand
    alone = row(*washed)
    assert alone.status == EMPTY and not alone.flagged  # without the page, nothing to go by


def test_a_crease_darkening_a_whole_row_alike_is_no_trace():
    creased = (paper(0.030), paper(0.034), paper(0.031))
    readings = page_of(creased, *EMPTY_ROWS)
    assert not readings[0].flagged and readings[0].status == EMPTY


def test_a_crease_darkening_one_band_across_a_bubble_is_no_trace():
    """A fold's line crosses one bubble darker than the others: its darkness lies in a band
    (the disc's darkest third 0.12 above its lightest), where a washed-out fill's is even."""
    readings = page_of((paper(0.008), {**paper(0.040), "band": 0.12}, paper(0.009)),
                       *EMPTY_ROWS)
    assert not readings[0].flagged and readings[0].status == EMPTY


def test_where_pencil_washed_out_on_several_rows_the_empty_rows_are_doubtful():
    readings = page_of((paper(0.008), paper(0.045), paper(0.009)),
                       (paper(0.036), paper(0.007), paper(0.009)), *EMPTY_ROWS)
    assert all(r.flagged and r.value is None for r in readings)
    assert "washed out" in readings[5].reason


def test_an_x_showing_two_arms_past_its_fill_is_the_correction_beside_a_clean_fill():
    reading = row(X_TWO_ARMS, BLANK, FULL)
    assert (reading.status, reading.value, reading.flagged) == (CORRECTED, "3", False)


def test_two_strokes_at_right_angles_alone_do_not_cancel_a_fill():
    """A stray line cutting across a fill's edge leaves it twice, at right angles too."""
    assert (row(X_TWO_ARMS, BLANK, BLANK).value, row(X_TWO_ARMS, TICK).flagged) == ("1", True)
    both = row(X_TWO_ARMS, BLANK, X_TWO_ARMS)
    assert both.flagged and both.value is None


def test_one_washed_out_trace_makes_the_uneven_empty_rows_of_its_page_doubtful():
    """Where one row's pencil washed out to a trace, a row whose darkest bubble stands out from
    its others by more than the photo's noise may hold a fill washed out further still; rows
    all alike stand, and without a trace elsewhere on the page the uneven row stands too."""
    uneven = (paper(0.009), paper(0.010), paper(0.014))
    readings = page_of((paper(0.008), paper(0.045), paper(0.009)), uneven, *ALIKE_ROWS)
    assert readings[1].flagged and readings[1].value is None
    assert "washed out" in readings[1].reason
    assert not any(r.flagged for r in readings[2:])
    assert not any(r.flagged for r in page_of(uneven, *ALIKE_ROWS))


def test_the_paper_is_measured_on_the_lightest_bubbles_of_a_page_full_of_pencil():
    """Erasures and light pencil on half a page's bubbles put its median among them; its
    lightest quarter is still paper, and a trace stands out against that."""
    pencilled = [(paper(0.020 + 0.002 * (n % 5)), paper(0.008 + 0.0005 * (n % 3)),
                  paper(0.030 + 0.003 * (n % 4))) for n in range(12)]
    readings = page_of((paper(0.0085), paper(0.026), paper(0.008)), *pencilled)
    assert readings[0].flagged and readings[0].candidate == "2"


def test_a_trace_where_a_fold_was_taken_out_is_no_washed_out_mark():
    creased = (paper(0.008), {**paper(0.045), "fold": True}, paper(0.009))
    assert not any(r.flagged for r in page_of(creased, *ALIKE_ROWS))


def test_a_blotchy_fill_spilling_all_round_is_no_scribble():
    """Ink all round past the circle, but no thin strokes leaving it: a fill that spilled,
    beside the printed correction the other fill is the one crossed out."""
    blotchy = {**FULL, "ring": 0.62, "far": 0.6, "sides": 4, "arms": 1}
    assert row(blotchy, BLANK, BLANK).value == "1"
    reading = row(X_OVER_FULL, blotchy)
    assert (reading.status, reading.value, reading.flagged) == (CORRECTED, "2", False)


def test_a_patchy_fill_that_measures_like_a_cross_is_a_fill():
    """Light ink over nearly all the disc, dark ink in streaks: a fill, not the cross of the
    earlier convention that cancels (beside another fill, two readings remain)."""
    patchy = {**CROSS, "light": 0.95}
    assert row(patchy, BLANK, FULL).flagged
    reading = row(X_OVER_FULL, BLANK, {**TICK, "light": 0.9})
    assert (reading.status, reading.value, reading.flagged) == (CORRECTED, "3", False)


def test_a_thick_line_lying_along_the_row_is_no_tick():
    """A felt-tip line through a bubble spreads as far up and down as a small tick, but it
    lies long and thin along the row; a tick's strokes slant."""
    thick_line = {**TICK, "tall": 0.4, "slant": 4.0, "elongation": 5.0}
    reading = row(thick_line, TICK)
    assert (reading.status, reading.value, reading.flagged) == (MARKED, "2", False)
    assert row({**TICK, "slant": 40.0, "elongation": 3.0}, BLANK).value == "1"


def test_an_empty_row_where_a_stray_line_ends_beside_leftover_ink_is_flagged():
    """A line taken out of the page takes the foot of the tick or the side of the ring it ran
    into with it; what is left beside the circle says something was there."""
    ended = {**BLANK, "line_end": "beside", "ring": 0.12, "sides": 2}
    reading = row(BLANK, ended, BLANK)
    assert reading.flagged and reading.value is None and reading.candidate == "2"
    assert "stray line ends" in reading.reason
    assert row(BLANK, {**BLANK, "line_end": "in"}, BLANK).flagged  # a small tick all gone
    assert not row(BLANK, {**BLANK, "line_end": "beside"}, BLANK).flagged  # nothing left


def test_a_ring_beside_a_pencil_stroke_is_flagged():
    """A ring's ink lies outside its disc, so nothing inside weighs it against a pencil stroke
    in another bubble; an eraser leaves a ring of a rubbed-out ring. A stray line passing
    along the row beside a ring is no rival."""
    reading = row(PENCIL_TICK, RING, BLANK)
    assert reading.flagged and reading.value is None and reading.status == MULTIPLE
    assert row({**PENCIL_TICK, "slant": 5.0, "elongation": 4.0}, RING, BLANK).value == "2"


def test_a_lone_line_along_the_row_in_one_third_of_the_disc_is_not_read():
    """A stroke along the row whose ink lies all in one horizontal third of the disc is a line
    passing, not a light tick; a tick with a line through it crosses the thirds."""
    line = {**PENCIL_TICK, "tall": 0.28, "slant": 6.0, "elongation": 3.4, "tone": 0.07,
            "band": 0.24}
    reading = row(line, BLANK, BLANK)
    assert reading.flagged and reading.value is None and reading.candidate == "1"
    assert row({**line, "band": 0.14}, BLANK, BLANK).value == "1"


def test_a_crease_streak_along_the_row_is_no_faint_mark():
    """A crease leaves a flat light streak along the row, many times longer than wide, in
    each bubble it crosses: no faint mark to look at, nor a washed-out trace; a light stroke
    that spreads up and down the page still is one."""
    streak = {"cover": 0.0, "strength": 0.15, "peak": 0.25, "light": 0.14, "tall": 0.13,
              "elongation": 9.0, "tone": 0.04, "band": 0.07}
    reading = row(streak, streak, BLANK)
    assert (reading.status, reading.flagged) == (EMPTY, False)
    assert not any(r.flagged for r in page_of((streak, paper(0.008), streak), *ALIKE_ROWS))
    assert row({**streak, "tall": 0.5, "slant": 40.0}, streak, BLANK).flagged
    # Where a stray line was taken out through the disc, the flat streak is what is left of
    # the mark it ran through: a person looks.
    assert row({**streak, "lined": 0.2}, BLANK, BLANK).flagged


def test_a_faint_ring_all_round_is_flagged_not_read_as_empty():
    """A ring in light pencil, or washed out by a yellowed or shadowed photo, is under the ink
    threshold just outside the circle, but its light ink still goes round three or four
    sides."""
    reading = row({**BLANK, "light_ring": 0.54}, BLANK, BLANK)
    assert reading.flagged and reading.value is None and reading.candidate == "1"


def test_ink_beside_a_circle_on_two_sides_alone_is_no_part_ring():
    """What spills from a neighbour's ring or scribble shows on two sides of a bubble; a ring
    partly lost still shows light ink on a third."""
    spill = {**BLANK, "ring": 0.21, "sides": 2}
    assert not row(spill, BLANK, BLANK).flagged
    assert row({**spill, "light_ring": 0.3}, BLANK, BLANK).flagged


def test_light_ink_left_in_a_disc_a_stray_line_ran_through_is_flagged():
    """A line taken out of the page takes most of a small tick it crossed; what is left, light
    but well above the row's own noise, says something was there. A line crossing clean
    bubbles leaves nothing to look at."""
    crossed = {**BLANK, "lined": 0.23, "light": 0.016, "peak": 0.078}
    reading = row(BLANK, crossed, BLANK)
    assert reading.flagged and reading.value is None and reading.candidate == "2"
    assert not row(BLANK, {**BLANK, "lined": 0.2}, BLANK).flagged


def test_a_ring_dark_in_places_and_light_all_round_is_a_ring():
    """A ring drawn lightly shows dark ink on two sides only, but light ink all round: a ring,
    the answer beside a line passing along the row; ink on two sides alone is not."""
    light_ring = {**BLANK, "ring": 0.33, "sides": 2, "light_ring": 0.83}
    line = {**TICK, "tall": 0.45, "slant": 9.0, "elongation": 2.8}
    reading = row(line, BLANK, light_ring)
    assert (reading.status, reading.value, reading.flagged) == (MARKED, "3", False)
    assert row(line, BLANK, {**light_ring, "light_ring": 0.0}).flagged
