"""Files shaped exactly as CommCare, KoboToolbox, ODK Central and Excel in Mexico export them.

Each fixture under tests/exports/ is what the tool writes (delimiter, encoding, header names,
group paths, time stamps); each is imported without a typed mapping, on the day it happened, and
importing a later, cumulative export adds only what is new.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from acompana.delivery.models import Attendance, ImportMapping, SessionLog
from acompana.delivery.services import do_import_attendance
from acompana.domain.attendance_import import ImportRejected
from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from acompana.programs.models import Person
from acompana.wellbeing.models import Assessment
from acompana.wellbeing.services import do_give_consent

EXPORTS = Path(__file__).parent / "exports"


@pytest.fixture
def program(ces, settings, tmp_path):
    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    return ces


@pytest.fixture
def consented(ces):
    for code in ("ac-g01-02", "ac-g01-03", "ac-g01-04"):
        person = Person.objects.get(code=code)
        do_give_consent(person=person, method="signed-paper", recorded_by=person)
    return ces


def _import(program, name: str, **kwargs):
    return do_import_attendance(program=program, data=(EXPORTS / name).read_bytes(),
                                file_name=name, entered_by=Person.objects.get(code="coord-01"),
                                **kwargs)


def _statuses() -> dict[str, str]:
    return dict(Attendance.objects.values_list("person__code", "status"))


def test_commcare_evening_session_is_held_on_the_day_in_chiapas(program):
    """Completed 2023-07-14T00:40Z is 18:40 on the 13th in Chiapas: the log says the 13th."""
    report = _import(program, "commcare_asistencia.csv", source="commcare")
    assert report.added == 3
    log = SessionLog.objects.get()
    assert (log.group.code, log.session_code, log.date) == ("g01", "bienestar-01",
                                                           dt.date(2023, 7, 13))
    assert _statuses() == {"ac-g01-02": "present", "ac-g01-03": "absent",
                           "ac-g01-04": "excused"}
    assert sorted(log.sources.values_list("source", "source_id")) == [
        ("commcare", "3f0c1f6e-8a54-4c1b-9a53-6f1e0e2b7a10"),
        ("commcare", "9b1d8e3a-2f4e-4b8e-8f0a-1c2d3e4f5a6b"),
        ("commcare", "c7e2a9d4-5b3f-4d6a-9e8b-2a3b4c5d6e7f")]


def test_the_same_commcare_export_again_adds_nothing_and_says_so(program):
    _import(program, "commcare_asistencia.csv", source="commcare")
    report = _import(program, "commcare_asistencia.csv", source="commcare")
    assert (report.new_records, report.known_records, report.added) == (0, 3, 0)
    assert str(report.summary()) == "0 nuevas, 3 ya estaban"


def test_commcare_xlsx_with_the_repeat_group_on_its_second_sheet(program):
    """People on the 'Repeat- asistentes' sheet join their form by `number`, named as chosen."""
    report = _import(program, "commcare_asistencia_repeticion.xlsx", source="commcare")
    assert report.added == 5
    assert sorted(SessionLog.objects.values_list("group__code", "date")) == [
        ("g01", dt.date(2023, 7, 13)), ("g02", dt.date(2023, 7, 18))]
    assert _statuses() == {"ac-g01-02": "present", "ac-g01-03": "absent",
                           "ac-g01-04": "present", "ac-g02-01": "present",
                           "ac-g02-02": "excused"}


def test_mexican_excel_csv_latin1_semicolons_two_digit_years_and_names(program):
    report = _import(program, "excel_mexico_asistencia.csv", source="excel")
    assert report.added == 3
    log = SessionLog.objects.get()
    assert (log.group.code, log.session_code, log.date) == ("g01", "bienestar-01",
                                                           dt.date(2023, 7, 11))
    assert _statuses() == {"ac-g01-02": "present", "ac-g01-03": "absent",
                           "ac-g01-04": "excused"}
    assert ImportMapping.objects.get(source="excel").columns["person"] == "Acompañante"


def test_people_by_the_number_written_on_the_paper_form(program):
    report = _import(program, "excel_mexico_asistencia.csv", source="excel",
                     mapping={"person": "Núm."})
    assert report.added == 3
    assert _statuses() == {"ac-g01-02": "present", "ac-g01-03": "absent",
                           "ac-g01-04": "excused"}


def test_a_mapping_typo_is_reported_with_the_files_real_headers(program):
    with pytest.raises(ImportRejected) as rejected:
        _import(program, "excel_mexico_asistencia.csv", mapping={"date": "Fehca"})
    text = str(rejected.value)
    assert "Fehca" in text and "'Fecha'" in text
    assert "Acompañante" in text and "Asistencia" in text
    assert not SessionLog.objects.exists()


def test_a_semicolon_separated_map_and_an_unknown_field_on_the_command_line(program):
    call_command("import", "attendance", str(EXPORTS / "excel_mexico_asistencia.csv"),
                 "--map", "date=Fecha;person=Núm.")
    assert Attendance.objects.count() == 3
    with pytest.raises(CommandError, match="fecha_sesion"):
        call_command("import", "attendance", str(EXPORTS / "excel_mexico_asistencia.csv"),
                     "--map", "fecha_sesion=Fecha")


@pytest.mark.parametrize("name", ["kobo_gad7_xml.csv", "kobo_gad7_labels.csv"])
def test_kobo_default_csv_with_xml_names_or_labels(consented, name, capsys):
    call_command("import-submissions", "gad7", str(EXPORTS / name), "--wave", "baseline")
    stored = {a.person.code: a for a in Assessment.objects.select_related("person")}
    assert {code: a.total for code, a in stored.items()} == {"ac-g01-02": 5, "ac-g01-03": 0}
    # `end`, in the program's time zone: never the import day nor the UTC submission time
    assert {a.taken_on for a in stored.values()} == {dt.date(2023, 7, 11)}
    assert stored["ac-g01-02"].source_id == "5d0f7a3e-3c5b-4f7e-9d41-8a2e51c9b0a1"


def test_odk_central_cumulative_export_imports_only_what_is_new(consented, capsys):
    call_command("import-submissions", "gad7", str(EXPORTS / "odk_central_gad7.csv"),
                 "--wave", "baseline")
    assert "2 nuevas, 0 ya estaban" in capsys.readouterr().out
    call_command("import-submissions", "gad7", str(EXPORTS / "odk_central_gad7_later.csv"),
                 "--wave", "baseline")
    assert "1 nueva, 2 ya estaban" in capsys.readouterr().out
    taken = dict(Assessment.objects.values_list("person__code", "taken_on"))
    assert taken == {"ac-g01-02": dt.date(2023, 7, 11), "ac-g01-03": dt.date(2023, 7, 11),
                     "ac-g01-04": dt.date(2023, 7, 20)}
    assert Assessment.objects.get(person__code="ac-g01-04").source_id == (
        "uuid:c3d5e7f9-2a4b-4c6d-8e0f-1a2b3c4d5e6f")


def test_a_saved_mapping_gives_way_where_the_next_file_lacks_its_columns(program):
    """The source's saved mapping names CommCare's columns; a spreadsheet of the same source
    without them is read by its own names, not refused for 'formid'."""
    _import(program, "commcare_asistencia.csv", source="commcare")
    assert ImportMapping.objects.get(source="commcare").columns["source_id"] == "formid"
    report = _import(program, "excel_mexico_asistencia.csv", source="commcare")
    assert report.added == 3 and report.mapping["date"] == "Fecha"
