"""Forms printed by the project, marked as hands mark them and photographed as phones do: every
row is read right or flagged for a person, never silently wrong.

The marks come from `handmarks`, which knows nothing of how the reader decides.
"""

from dataclasses import replace

import cv2
import numpy as np
import pytest

from acompana.domain.omr.errors import NotAnAcompanaFormError, OutOfFrameError
from acompana.domain.omr.handmarks import (
    DEGRADATIONS,
    MARK_KINDS,
    HandPhoto,
    RowTruth,
    Sheet,
    draw_fill,
    draw_ring,
    draw_scribble,
    draw_tick,
    hand_photo,
    photograph,
    pick_pen,
    printed_page,
)
from acompana.domain.omr.read import PageReading, read_photo
from acompana.domain.omr.tests.samples import attendance, questionnaire

# Kinds whose rows a careful reader reads without asking anyone (most of the time).
READ_WITHOUT_ASKING = {"fill", "tick", "cross", "ring", "scribble_out", "light_pencil",
                       "blank"}


@pytest.fixture(scope="module")
def forms():
    return [*questionnaire("a4"), *attendance("letter")]


@pytest.fixture(scope="module")
def lookup(forms):
    specs = {spec.identity.sheet: spec for spec in forms}
    return lambda identity: specs.get(replace(identity, copy=1))


def outcomes(photo, results) -> dict[str, list[str]]:
    """Per row kind, how each row came out: right, flagged, or wrong (with what was read)."""
    found: dict[str, list[str]] = {}
    for result in results:
        assert isinstance(result, PageReading), result
        truth = photo.sheets[result.identity]
        for field in result.fields:
            if field.kind == "text":
                continue
            expected = truth[field.field_id]
            outcome = ("flagged" if field.flagged else "right" if field.value == expected.value
                       else f"wrong: {field.field_id} read {field.value!r}, drawn "
                            f"{expected.drawn}")
            found.setdefault(expected.kind, []).append(outcome)
    return found


def never_wrong(found: dict[str, list[str]]) -> None:
    wrong = [outcome for rows in found.values() for outcome in rows
             if outcome.startswith("wrong")]
    assert not wrong, wrong


@pytest.mark.parametrize("kind", MARK_KINDS)
def test_each_way_of_marking_is_read_or_flagged(kind, forms, lookup):
    """Every row of a questionnaire and an attendance sheet marked the same way, photographed."""
    for number, spec in enumerate(forms[:2]):
        photo = hand_photo([spec], "scan", seed=100 + number,
                           kinds={row.id: kind for row in spec.rows})
        found = outcomes(photo, read_photo(photo.image, lookup))
        never_wrong(found)
        if kind in READ_WITHOUT_ASKING:
            rows = found[kind if kind != "blank" or not spec.rows[0].required else "fill"]
            assert rows.count("right") >= 0.6 * len(rows), (kind, rows)


@pytest.mark.parametrize("degradation", [d for d in DEGRADATIONS if d != "cut_top"])
def test_each_kind_of_bad_photo_is_read_or_flagged(degradation, forms, lookup):
    """Marks of every kind, on a photo degraded one way; a photo of two sheets reads both. (A
    photocopy can wash light pencil out altogether: the benchmark counts that, not this.)"""
    weights = {kind: 0.0 if degradation == "photocopy" and "pencil" in kind else 1.0
               for kind in MARK_KINDS}
    photo = hand_photo(forms[:2], degradation, seed=7, weights=weights)
    results = read_photo(photo.image, lookup)
    assert len(results) == len(photo.sheets)
    found = outcomes(photo, results)
    never_wrong(found)
    rows = [outcome for kind in READ_WITHOUT_ASKING for outcome in found.get(kind, [])]
    assert rows.count("right") >= 0.6 * len(rows), rows


def test_a_photo_with_two_sheets_reads_both(forms, lookup):
    photo = hand_photo([forms[0], forms[1]], "two_sheets", seed=3)
    results = read_photo(photo.image, lookup)
    assert {r.identity for r in results} == set(photo.sheets)
    assert all("2 sheets" in r.notes[-1] for r in results)


def test_a_crease_across_a_blank_row_is_not_a_mark(forms, lookup):
    """A questionnaire left blank, folded across each row in turn: no row gets an answer."""
    spec = forms[0]
    for number, row in enumerate(spec.rows):
        photo = hand_photo([spec], "crease", seed=20 + number,
                           kinds={r.id: "blank" for r in spec.rows})
        (reading,) = read_photo(photo.image, lookup)
        assert all(f.value is None for f in reading.fields), row.id
        assert sum(f.flagged for f in reading.fields) <= 1


def test_the_top_of_the_page_out_of_the_photo_says_so(forms, lookup):
    photo = hand_photo([forms[0]], "scan", seed=1)
    cut = photo.image[round(0.08 * photo.image.shape[0]):]
    (result,) = read_photo(cut, lookup)
    assert isinstance(result, OutOfFrameError), result
    assert "top edge" in result.reason and "out of the photo" in result.reason
    for seed in (1, 2, 3):  # cut as a hurried photo cuts it: read all the same, or refused
        photo = hand_photo([forms[0]], "cut_top", seed=seed)
        (result,) = read_photo(photo.image, lookup)
        if isinstance(result, PageReading):
            never_wrong(outcomes(photo, [result]))
        else:
            assert isinstance(result, OutOfFrameError), result


def test_rubbed_out_pencil_is_not_an_answer(forms, lookup):
    spec = forms[0]
    photo = hand_photo([spec], "scan", seed=5,
                       kinds={row.id: "rubbed_pencil" for row in spec.rows})
    found = outcomes(photo, read_photo(photo.image, lookup))
    never_wrong(found)


def right_share(kind, forms, lookup, seeds=(31, 32)) -> float:
    """Rows of one kind, on a questionnaire and an attendance sheet, photographed: never wrong;
    the share read right without asking anyone."""
    rows = []
    for number, spec in enumerate(forms[:2]):
        for seed in seeds:
            photo = hand_photo([spec], "scan", seed=seed + 10 * number,
                               kinds={row.id: kind for row in spec.rows})
            found = outcomes(photo, read_photo(photo.image, lookup))
            never_wrong(found)
            rows += found[kind]
    return rows.count("right") / len(rows)


def test_the_printed_correction_is_read_as_the_other_filled_bubble(forms, lookup):
    """An X over a filled bubble (as the form's picture shows) and another bubble filled: the
    other one, whenever the X's arms show past the fill."""
    # These photos: 0.82 read right now, since a blotchy fill spilling all round is no
    # scribble and a patchy one no cross; 0.76 before that, 0.68 when an X had to show three
    # arms past the fill (0.09 before the reader knew the correction at all). The bar sits
    # between.
    assert right_share("x_correction", forms, lookup) >= 0.79


def test_a_fresh_pencil_mark_beside_a_rubbed_out_one_is_the_answer(forms, lookup):
    assert right_share("rubbed_pencil", forms, lookup) >= 0.85  # 1.0 now, 0.41 before


def test_a_stray_line_across_the_row_is_not_a_mark(forms, lookup):
    # These photos: 0.94 read right now, since a thick line lying along the row is no tick;
    # 0.91 before that, 0.76 when lines were sought only across 4 mm gaps (a line tangent to
    # the row's circles shows only between them), 0.68 before lines along the row were set
    # aside. The bar sits between, so going back fails.
    assert right_share("stray_line", forms, lookup) >= 0.925


def test_pencil_a_photocopy_washed_out_is_flagged_rather_than_read_as_empty(forms, lookup):
    """Light pencil on every row, photocopied: the copy washes much of it out to a trace,
    which is flagged (or read), never taken for an empty row; only strokes faded past any
    trace (darker than the page's empty bubbles by less than they vary among themselves) can
    still pass for empty. These photos: 3 of 102 rows read empty now (2.9 %); 17 (16.7 %) by
    the reader before traces were set against the page's own empty bubbles."""
    rows = []
    for number, spec in enumerate(forms[:2]):
        for seed in range(40, 46):
            photo = hand_photo([spec], "photocopy", seed=seed + 10 * number,
                               kinds={row.id: "light_pencil" for row in spec.rows})
            rows += outcomes(photo, read_photo(photo.image, lookup))["light_pencil"]
    wrong = [outcome for outcome in rows if outcome.startswith("wrong")]
    assert len(wrong) <= 0.06 * len(rows), wrong


def lines_into_marks(spec, seed: int) -> HandPhoto:
    """Every row ticked or ringed, and a slip of the pen running along it from the left
    that stops in or just short of the marked bubble, as a pen lifted late does."""
    rng = np.random.default_rng(seed)
    sheet, pen, r = Sheet(printed_page(spec), rng), pick_pen(rng), spec.bubble_mm / 2
    truth = {}
    for row in spec.rows:
        choice = row.choices[int(rng.integers(len(row.choices)))]
        how = str(rng.choice(["tick", "ring"]))
        {"tick": draw_tick, "ring": draw_ring}[how](sheet, np.array([choice.x, choice.y]),
                                                     r, pen)
        start = (min(c.x for c in row.choices) - rng.uniform(15, 25),
                 choice.y + rng.uniform(-1, 1))
        sheet.stroke(np.array([start, (choice.x - r * rng.uniform(0.2, 1.0),
                                       choice.y + rng.uniform(-1, 1))]), pen, 0.3)
        truth[row.id] = RowTruth("stray_line", choice.value, ((choice.value, how),))
    image, _ = photograph([sheet.finish()], "scan", rng)
    return HandPhoto(image, "scan", {spec.identity: truth})


def test_a_stray_line_that_runs_into_a_tick_or_ring_does_not_take_it_away(forms, lookup):
    """The line is taken out of the page only as far as its ink goes on, and a row left
    empty where a line ends in a bubble, or beside what is left of a ring, is flagged. These
    photos: 2 of 102 rows read empty now (small ticks whose foot the line runs into, and
    whose tail is too faint to count as ink beside the circle), 3 by the reader before."""
    rows = []
    for seed in range(12):
        photo = lines_into_marks(forms[seed % 2], seed)
        rows += outcomes(photo, read_photo(photo.image, lookup))["stray_line"]
    wrong = [outcome for outcome in rows if outcome.startswith("wrong")]
    assert len(wrong) <= 2, wrong
    assert rows.count("right") >= 0.8 * len(rows), rows


def turned(image: np.ndarray, degrees: float) -> np.ndarray:
    """The photo turned on the table, all of it still in view (the table's colour fills the
    corners)."""
    height, width = image.shape[:2]
    table = tuple(int(v) for v in image[2, 2])
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    cos, sin = abs(turn[0, 0]), abs(turn[0, 1])
    size = (round(width * cos + height * sin), round(width * sin + height * cos))
    turn[:, 2] += (np.array(size) - (width, height)) / 2
    return cv2.warpAffine(image, turn, size, borderValue=table)


def cut_off(image: np.ndarray, side: str, share: float) -> np.ndarray:
    """The photo taken too close: `share` of the page's height (or width) on `side` is left
    out of it. The page is the paper, far lighter than the table it lies on."""
    paper = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) > 185
    rows, columns = np.flatnonzero(paper.mean(axis=1) > 0.2), np.flatnonzero(
        paper.mean(axis=0) > 0.2)
    top, bottom, left, right = rows[0], rows[-1], columns[0], columns[-1]
    down, across = round(share * (bottom - top)), round(share * (right - left))
    return {"top": image[top + down:], "bottom": image[:bottom - down],
            "left": image[:, left + across:], "right": image[:, :right - across]}[side]


@pytest.mark.parametrize("side", ["top", "bottom", "left", "right"])
def test_a_page_cut_by_the_photo_is_read_or_said_to_be_out_of_frame(side, forms, lookup):
    """A printed questionnaire, marked and photographed with a few, then more, per cent of the
    page outside the photo, on either side, straight and turned (so the edge cuts one corner
    marker, or the QR code alone): each sheet is read right or flagged, or refused as out of
    frame, saying which edge; never called "not an Acompaña form". (Before: cut at the top
    through the QR code, or close to the top markers without cutting them, it was.)"""
    refused = 0
    for degradation, seed in (("scan", 61), ("tilt", 62)):
        photo = hand_photo([forms[0]], degradation, seed=seed)
        for degrees in (-7.0, 0.0, 7.0):
            for share in (0.03, 0.05, 0.08, 0.15):
                image = cut_off(turned(photo.image, degrees), side, share)
                (result,) = read_photo(image, lookup)
                if isinstance(result, PageReading):
                    never_wrong(outcomes(photo, [result]))
                    continue
                assert isinstance(result, OutOfFrameError), (seed, degrees, share, result)
                edges = result.reason.split("(its ")[1].split(")")[0]
                assert side in edges, (seed, degrees, share, result.reason)
                assert "whole page" in result.reason
                refused += 1
    assert refused >= 6  # 15 % of the page out of the photo is always too much


def test_a_photo_of_something_else_is_not_an_acompana_form():
    """A printed page of text and circles that is no Acompaña form, filling the photo and
    running out of it, and a blank wall: not ours, and never "out of frame"."""
    rng = np.random.default_rng(5)
    page = np.full((1800, 1300, 3), 245, np.uint8)
    for line in range(40):
        y = 60 + 42 * line
        cv2.putText(page, "Lorem ipsum dolor sit amet, consectetur adipiscing elit " * 2,
                    (40, y), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (30, 30, 30), 2)
        if line % 5 == 2:
            for x in range(200, 1200, 180):
                cv2.circle(page, (x + int(rng.integers(0, 9)), y + 14), 17, (20, 20, 20), 2)
    for image in (page, page[250:, 150:], np.full((1500, 1100, 3), 200, np.uint8)):
        (result,) = read_photo(image)
        assert isinstance(result, NotAnAcompanaFormError), result



def scribbled_fills_beside_ticks(spec, seed: int) -> HandPhoto:
    """Every row: one bubble filled and then scribbled out, another ticked, photographed out
    of focus (the blur runs the scribble's strokes together into a blotch)."""
    rng = np.random.default_rng(seed)
    sheet, pen, r = Sheet(printed_page(spec), rng), pick_pen(rng), spec.bubble_mm / 2
    truth = {}
    for row in spec.rows:
        wrong, chosen = (row.choices[int(n)] for n in rng.choice(len(row.choices), 2,
                                                                   replace=False))
        draw_fill(sheet, np.array([wrong.x, wrong.y]), r, pen)
        draw_scribble(sheet, np.array([wrong.x, wrong.y]), r, pen)
        draw_tick(sheet, np.array([chosen.x, chosen.y]), r, pen)
        truth[row.id] = RowTruth("scribble_out", chosen.value,
                                 ((wrong.value, "fill+scribble"), (chosen.value, "tick")))
    image, _ = photograph([sheet.finish()], "blur", rng)
    return HandPhoto(image, "blur", {spec.identity: truth})


def test_a_blurred_scribble_over_a_fill_beside_a_tick_is_never_read_as_the_fill(forms, lookup):
    """Blur can run a scribble's strokes into what looks like a fill spilling all round; beside
    a tick, that is two plausible answers: flagged, never read as the scribbled-out fill.
    (Before: one of these rows, on seed 27, was.)"""
    for seed in range(20, 32):
        photo = scribbled_fills_beside_ticks(forms[seed % 2], seed)
        (result,) = read_photo(photo.image, lookup)
        truth = photo.sheets[result.identity]
        for field in result.fields:
            if field.kind != "text" and not field.flagged:
                assert field.value != truth[field.field_id].drawn[0][0], (seed, field)

