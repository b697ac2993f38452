"""Form layouts and specs: pure data, no images."""

import pytest

from acompana.domain.omr.errors import NotAnAcompanaFormError
from acompana.domain.omr.forms import rebuild_spec, suggestion_slip
from acompana.domain.omr.geometry import content_box, marker_boxes, qr_box
from acompana.domain.omr.spec import BubbleRow, Choice, FaceScale, FormIdentity, FormSpec
from acompana.domain.omr.tests.samples import attendance, questionnaire


def test_identity_travels_in_the_qr_payload_and_back():
    identity = FormIdentity("questionnaire", 1, "ces", "grupo|1", "sesión 5", "who5", "letter",
                            2, 3, 17)
    assert FormIdentity.from_payload(identity.to_payload()) == identity


def test_a_foreign_qr_code_is_not_an_acompana_form():
    with pytest.raises(NotAnAcompanaFormError, match="not printed by Acompaña"):
        FormIdentity.from_payload("https://example.org/menu")


def test_spec_json_round_trip():
    for spec in attendance() + questionnaire() + suggestion_slip("ces", "g01"):
        assert FormSpec.from_json(spec.to_json()) == spec


def test_long_roster_flows_onto_more_pages_each_knowing_its_rows():
    roster = [(f"p{n}", f"Participante {n}") for n in range(40)]
    pages = attendance(roster=roster)
    assert len(pages) >= 2
    assert [(p.identity.page, p.identity.pages) for p in pages] == [
        (n, len(pages)) for n in range(1, len(pages) + 1)]
    attendance_rows = [f.id for p in pages for f in p.rows if f.id.startswith("attendance:")]
    assert attendance_rows == [f"attendance:p{n}" for n in range(40)]
    assert all(p.rows for p in pages[:-1])


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_bubbles_are_big_apart_and_clear_of_markers_and_qr(paper):
    for spec in attendance(paper) + questionnaire(paper) + suggestion_slip("ces", "g01", paper):
        area = content_box(paper)
        assert spec.bubble_mm >= 5
        centres = [(c.x, c.y) for row in spec.rows for c in row.choices]
        r = spec.bubble_mm / 2
        for x, y in centres:
            assert area.x <= x - r and x + r <= area.x + area.w
            assert area.y <= y - r and y + r <= area.y + area.h
        for n, (x, y) in enumerate(centres):
            for x2, y2 in centres[n + 1:]:
                assert (x - x2) ** 2 + (y - y2) ** 2 >= (spec.bubble_mm + 1.5) ** 2
        for box in [*marker_boxes(paper).values(), qr_box(paper)]:
            assert box.y + box.h < area.y or box.y > area.y + area.h


def test_questions_beyond_one_line_get_the_roster_again():
    questions = [f"Pregunta {n}" for n in range(1, 6)]
    pages = attendance(questions=questions)
    ids = {f.id for p in pages for f in p.rows}
    for person in ("ana", "petrona"):
        assert {f"q{n}:{person}" for n in range(1, 6)} <= ids
    assert sum(f.id == "attendance:ana" for p in pages for f in p.rows) == 1
    assert all(isinstance(f, FaceScale) for p in pages for f in p.rows if f.id.startswith("q"))


def test_rows_that_need_an_answer():
    rows = {f.id: f for p in attendance() for f in p.rows}
    assert rows["attendance:ana"].required and rows["activity:1"].required
    assert not rows["q1:ana"].required


def test_a_face_scale_has_three_or_five_faces():
    row = next(f for p in attendance() for f in p.rows if isinstance(f, FaceScale))
    with pytest.raises(ValueError, match="3 or 5 faces"):
        FaceScale("q", "q", (*row.choices, Choice("4", "otra", 0, 0)), row.box)
    assert isinstance(row, BubbleRow)


def test_suggestion_slip_is_rebuilt_from_its_qr_identity_alone():
    slip = suggestion_slip("ces", "g03", "letter")[0]
    assert rebuild_spec(slip.identity) == slip
    assert rebuild_spec(questionnaire()[0].identity) is None
