"""The program's own people and places printed in: built with the CES program file, the guides
list each group with its facilitators, place and usual day, and the handouts name who
facilitates; nothing is left blank for someone to fill in by hand."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import docx
import openpyxl
import pytest

from acompana.domain.curriculum.build import BuildReport, build
from acompana.domain.curriculum.tests.test_build import pdf_text
from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from acompana.domain.program_file import printed_details, read_program_file

CES = Path(__file__).resolve().parents[4] / "programs" / "ces"
FACILITATORS = "Elena Villatoro Pérez, Gloria Morales Roblero y Natividad Zunún Trujillo"
COORDINATOR = "Dolores Zunún Aguilar"
OFFICE = "Oficina de Compañeros En Salud, Jaltenango de la Paz"


@pytest.fixture(scope="module")
def ces_bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The tiny curriculum built in Spanish for the CES program."""
    root = tmp_path_factory.mktemp("ces")
    source = write_curriculum(root / "curriculum")
    program = printed_details(read_program_file(CES).document)
    return source, build(source, root / "out", langs=["es"], program=program)


def test_the_wellbeing_guide_lists_every_group_with_facilitators_place_and_day(ces_bundle):
    _, report = ces_bundle
    text = pdf_text(report.out_dir / "es/bienestar/bienestar-guia-facilitacion.pdf")
    assert "Grupos: quién facilita, dónde y cuándo" in text
    assert ("Grupo Reforma Gloria Morales Roblero y Natividad Zunún Trujillo Casa de salud de "
            "Reforma segundo martes de cada mes, 10:00") in text
    assert "Casa de salud de Plan Alta" in text and OFFICE not in text  # its own groups only
    guide = docx.Document(report.out_dir / "es/bienestar/bienestar-guia-facilitacion.docx")
    table = guide.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [
        "Grupo", "Facilitadoras", "Lugar", "Se reúne"]
    assert [cell.text for cell in table.rows[1].cells] == [
        "Grupo Reforma", "Gloria Morales Roblero y Natividad Zunún Trujillo",
        "Casa de salud de Reforma", "segundo martes de cada mes, 10:00"]
    assert len(table.rows) == 1 + 9


def test_the_supervisors_guide_lists_their_cohort(ces_bundle):
    _, report = ces_bundle
    text = pdf_text(report.out_dir / "es/supervisores/supervisores-guia-facilitacion.pdf")
    assert f"Supervisoras {COORDINATOR} {OFFICE} primer lunes de cada mes, 09:00" in text


def test_handouts_name_the_facilitators_and_no_blank_to_fill_in(ces_bundle):
    """A wellbeing handout serves nine groups in nine places: it names the facilitators, not a
    place; the supervisors meet in one place, so theirs names it."""
    _, report = ces_bundle
    wellbeing = pdf_text(report.out_dir / "es/bienestar/bienestar-01/"
                         "bienestar-01-hoja-participantes.pdf")
    assert f"Facilitadoras: {FACILITATORS}" in wellbeing
    assert "Lugar:" not in wellbeing and "Nos reunimos en" not in wellbeing
    assert "___" not in wellbeing
    supervisors = pdf_text(report.out_dir / "es/supervisores/supervisores-01/"
                           "supervisores-01-hoja-participantes.pdf")
    assert f"Facilitadora: {COORDINATOR} · Lugar: {OFFICE}" in supervisors


def test_the_practice_workbook_prints_on_the_programs_paper(ces_bundle):
    _, report = ces_bundle
    workbook = openpyxl.load_workbook(
        report.out_dir / "es/practica/practica-excel-asistencia-resuelto.xlsx")
    assert {sheet.page_setup.paperSize for sheet in workbook.worksheets} == {1}  # letter


def test_a_changed_meeting_place_builds_the_guides_again_and_nothing_is_left_blank(
        ces_bundle, tmp_path):
    """Another place is another guide; a group without one prints no place at all."""
    source, _ = ces_bundle
    program = printed_details(read_program_file(CES).document)
    out = tmp_path / "out"
    build(source, out, langs=["es"], track="bienestar", program=program)
    moved = dataclasses.replace(program, groups=tuple(
        dataclasses.replace(group, place="") if group.name == "Grupo Reforma" else group
        for group in program.groups))
    again = build(source, out, langs=["es"], track="bienestar", program=moved)
    assert {"es/bienestar/bienestar-guia-facilitacion.pdf",
            "es/bienestar/bienestar-guia-facilitacion.docx"} <= set(again.rendered)
    guide = docx.Document(out / "es/bienestar/bienestar-guia-facilitacion.docx")
    assert guide.tables[0].rows[1].cells[2].text == ""
