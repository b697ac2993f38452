"""Reading pages back: printed PDFs, synthetic photos, and every way a page can be refused."""

import json
from dataclasses import replace

import cv2
import numpy as np
import pymupdf
import pytest
import segno

from acompana.domain.omr.errors import (
    DuplicatePageError,
    MissingMarkersError,
    NotAnAcompanaFormError,
    OmrError,
    UnknownFormError,
    UnknownFormVersionError,
    UnreadableFileError,
    UnreadableQrError,
    WrongSessionError,
)
from acompana.domain.omr.forms import suggestion_slip
from acompana.domain.omr.geometry import PX_PER_MM, marker_boxes, qr_box
from acompana.domain.omr.read import read_files, read_page, scan
from acompana.domain.omr.spec import FormIdentity
from acompana.domain.omr.store import SpecDirectory, write_forms
from acompana.domain.omr.synthetic import (
    RENDER_DPI,
    answer,
    fill,
    page_image,
    photographed_form,
)
from acompana.domain.omr.tests.samples import attendance, questionnaire

CLEAR = {"full": 0.4, "partial": 0.1, "light": 0.1, "tick": 0.1, "cross": 0.1,
         "correction": 0.1, "blank": 0.1}


@pytest.fixture(scope="module")
def sheet():
    return attendance()[0]


@pytest.fixture(scope="module")
def lookup(sheet):
    specs = {s.identity.sheet: s for s in [*attendance(), *questionnaire()]}
    return specs.get


@pytest.fixture(scope="module")
def filled(sheet):
    """The attendance sheet filled with clear marks, scanned flat."""
    rng = np.random.default_rng(7)
    answers = {row.id: answer(row, ["full", "tick", "cross", "correction"][n % 4], rng)
               for n, row in enumerate(sheet.rows)}
    return fill(page_image(sheet), sheet, answers, rng), answers


def values_of(answers):
    return {key: a.value for key, a in answers.items()}


def test_blank_printed_pdf_reads_back_every_page(tmp_path):
    roster = [(f"p{n}", f"Participante {n}") for n in range(25)]
    pdf = write_forms(attendance(roster=roster), tmp_path / "asistencia.pdf", tmp_path / "specs")
    readings = read_files([pdf], SpecDirectory(tmp_path / "specs"))
    assert [(r.identity.page, r.source) for r in readings] == [
        (1, f"{pdf} page 1"), (2, f"{pdf} page 2")]
    rows = [f for r in readings for f in r.fields if f.kind != "text"]
    assert all(f.value is None for f in rows)
    assert all(f.flagged == (f.field_id.split(":")[0] in ("attendance", "activity")) for f in rows)


def test_filled_page_in_a_scanned_pdf(tmp_path, filled, sheet, lookup):
    image, answers = filled
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_image(page.rect, stream=cv2.imencode(".png", image)[1].tobytes())
    document.save(tmp_path / "scan.pdf")
    (reading,) = read_files([tmp_path / "scan.pdf"], lookup)
    assert reading.values() == values_of(answers)
    assert not reading.flagged


def test_upside_down_and_skewed(filled, lookup):
    image, answers = filled
    height, width = image.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), 180 + 15, 0.75)
    turned = cv2.warpAffine(image, turn, (width, height), borderValue=(90, 90, 90))
    reading = read_page(turned, lookup)
    assert reading.values() == values_of(answers)


@pytest.mark.parametrize("make, seed, photo", [(attendance, 3, True), (questionnaire, 4, True),
                                               (attendance, 5, False)])
def test_degraded_photos_are_read_or_flagged_never_misread(make, seed, photo, lookup):
    spec = make()[0]
    image, answers = photographed_form(spec, seed, photo=photo)
    reading = read_page(image, lookup)
    for field in reading.fields:
        if field.kind == "text":
            continue
        truth = answers[field.field_id]
        if truth.should_flag:
            assert field.flagged, field
        else:
            assert field.value == truth.value and not field.flagged, (field, truth)


def test_reading_as_json_with_boxes_on_the_straightened_page(filled, lookup):
    reading = read_page(filled[0], lookup)
    data = json.loads(reading.to_json())
    assert data["identity"]["occasion"] == "s05"
    field = next(f for f in data["fields"] if f["field_id"] == "attendance:rosa")
    assert field["label"] == "Rosa Méndez Ruiz: Asistencia" and len(field["box_px"]) == 4
    x, y, w, h = field["box_px"]
    assert reading.crop("attendance:rosa").shape == (h, w)
    assert reading.image.shape[1] == round(210 * PX_PER_MM)


def test_a_page_that_is_not_ours():
    blank = np.full((1200, 900), 255, np.uint8)
    with pytest.raises(NotAnAcompanaFormError, match="no Acompaña QR code"):
        read_page(blank)
    code = np.array(segno.make("https://example.org/menu").matrix, np.uint8)
    foreign = cv2.resize(255 - 255 * code, None, fx=12, fy=12, interpolation=cv2.INTER_NEAREST)
    foreign = cv2.copyMakeBorder(foreign, 100, 100, 100, 100, cv2.BORDER_CONSTANT, value=255)
    with pytest.raises(NotAnAcompanaFormError, match="not printed by Acompaña"):
        read_page(foreign)


def test_an_unknown_form_version(sheet):
    future = replace(sheet, identity=replace(sheet.identity, form_version=99))
    with pytest.raises(UnknownFormVersionError, match="layout version 99"):
        read_page(page_image(future), lambda identity: future)


def test_a_form_whose_layout_was_not_saved():
    with pytest.raises(UnknownFormError, match="--spec-dir"):
        read_page(page_image(questionnaire()[0]))


def cover_markers(image, count):
    covered = image.copy()
    scale = RENDER_DPI / 25.4
    for box in list(marker_boxes("a4").values())[:count]:
        x, y, w, h = box.to_px(scale)
        covered[y - 8:y + h + 8, x - 8:x + w + 8] = 255
    return covered


def test_a_sheet_whose_qr_code_is_covered_is_ours_photographed_badly(filled, lookup):
    """Corner markers found, QR code under a thumb or a shadow: say so, not 'not a form'."""
    covered = filled[0].copy()
    x, y, w, h = qr_box("a4").to_px(RENDER_DPI / 25.4)
    covered[y - 4:y + h // 2, x - 4:x + w + 4] = 120  # a thumb's shadow over its upper half
    with pytest.raises(UnreadableQrError, match="QR code .* could not be read"):
        read_page(covered, lookup)


def test_missing_corner_markers(filled, lookup):
    with pytest.raises(MissingMarkersError, match="only 2 of its 4"):
        read_page(cover_markers(filled[0], 2), lookup)
    one_covered = read_page(cover_markers(filled[0], 1), lookup)
    assert one_covered.values() == values_of(filled[1])
    assert "other three" in one_covered.notes[0]


def test_the_same_sheet_twice_in_a_batch(tmp_path, filled, lookup):
    first, second = tmp_path / "a.png", tmp_path / "b.jpg"
    cv2.imwrite(str(first), filled[0])
    cv2.imwrite(str(second), filled[0])
    results = list(scan([first, second], lookup))
    assert results[0].source == str(first)
    assert isinstance(results[1], DuplicatePageError) and str(first) in str(results[1])
    with pytest.raises(DuplicatePageError, match="scanned twice"):
        read_files([first, second], lookup)


def test_copies_of_a_slip_are_different_sheets(tmp_path):
    pdf = write_forms(suggestion_slip("ces", "g01"), tmp_path / "buzon.pdf", copies=2)
    assert [r.identity.copy for r in read_files([pdf])] == [1, 2]


def test_a_sheet_of_another_session(filled, lookup):
    expected = FormIdentity("attendance", 1, "ces", "g01", "s06")
    with pytest.raises(WrongSessionError, match="session or wave s05 instead of s06"):
        read_page(filled[0], lookup, expected)
    assert read_page(filled[0], lookup, replace(expected, occasion="s05"))


def test_a_file_that_is_not_an_image(tmp_path):
    bad = tmp_path / "foto.jpg"
    bad.write_text("hola")
    (problem,) = scan([bad])
    assert isinstance(problem, UnreadableFileError) and isinstance(problem, OmrError)
    assert str(problem).startswith(str(bad))
