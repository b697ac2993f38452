"""Importing attendance files: whole or nothing, idempotent, and every broken file explained."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from acompana import policy
from acompana.delivery.models import Attendance, ImportMapping, SessionLog
from acompana.delivery.services import do_import_attendance
from acompana.domain.attendance_import import ImportRejected
from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from acompana.domain.tabular import parse_date
from acompana.programs.models import Person

HEADER = "date,group,session,person,status\n"
GOOD = HEADER + ("2023-07-11,g01,bienestar-01,ac-g01-02,present\n"
                 "2023-07-11,g01,bienestar-01,ac-g01-03,ausente\n"
                 "11/07/2023,g01,bienestar-01,ac-g01-04,justificada\n"
                 "13 de julio de 2023,g02,bienestar-01,ac-g02-01,presente\n")


@pytest.fixture
def program(ces, settings, tmp_path):
    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    return ces


def _import(program, text: str | bytes, name="asistencia.csv", **kwargs):
    data = text.encode() if isinstance(text, str) else text
    return do_import_attendance(program=program, data=data, file_name=name,
                                entered_by=Person.objects.get(code="coord-01"), **kwargs)


def test_good_file_is_imported_with_spanish_statuses_and_dates(program):
    report = _import(program, GOOD)
    assert (report.rows, report.added) == (4, 4)
    assert SessionLog.objects.count() == 2
    statuses = dict(Attendance.objects.values_list("person__code", "status"))
    assert statuses == {"ac-g01-02": "present", "ac-g01-03": "absent",
                        "ac-g01-04": "excused", "ac-g02-01": "present"}


def test_importing_the_same_file_again_adds_nothing(program):
    _import(program, GOOD)
    report = _import(program, GOOD)
    assert (report.added, report.changed, report.unchanged) == (0, 0, 4)
    assert Attendance.objects.count() == 4


@pytest.mark.parametrize("encoding", ["latin-1", "utf-8-sig"])
def test_other_encodings_work(program, encoding):
    text = HEADER + "11 de julio de 2023,g01,bienestar-01,ac-g01-02,asistió\n"
    assert _import(program, text.encode(encoding)).added == 1


def test_xlsx_with_real_dates_works(program):
    import datetime as dt

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["date", "group", "session", "person", "status"])
    sheet.append([dt.datetime(2023, 7, 11), "g01", "bienestar-01", "ac-g01-02", "present"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _import(program, buffer.getvalue(), name="export.xlsx").added == 1


COMMCARE = ("Fecha;Grupo;Sesión;ID;Asistencia\n"
            "2023-07-11;g01;bienestar-01;ac-g01-02;presente\n")
COMMCARE_MAPPING = {"date": "Fecha", "group": "Grupo", "session": "Sesión", "person": "ID",
                    "status": "Asistencia"}


def test_mapping_is_saved_per_source_and_reused(program):
    _import(program, COMMCARE, source="commcare", mapping=COMMCARE_MAPPING)
    assert ImportMapping.objects.get(source="commcare").columns == COMMCARE_MAPPING
    again = COMMCARE.replace("ac-g01-02", "ac-g01-03")
    assert _import(program, again, source="commcare").added == 1


def test_a_rejected_file_does_not_change_the_saved_mapping(program):
    _import(program, COMMCARE, source="commcare", mapping=COMMCARE_MAPPING)
    with pytest.raises(ImportRejected):
        _import(program, COMMCARE, source="commcare",
                mapping={**COMMCARE_MAPPING, "person": "Nombre"})
    assert ImportMapping.objects.get(source="commcare").columns == COMMCARE_MAPPING


BROKEN = {
    "missing column": (HEADER.replace(",status", "") + "2023-07-11,g01,bienestar-01,ac-g01-02\n",
                       "row 1: no column for status (a column named status, estado, "
                       "asistencia, or a mapping status=<column>). The file's columns are "
                       "'date', 'group', 'session', 'person'."),
    "unknown person": (HEADER + "2023-07-11,g01,bienestar-01,ac-g09-99,present\n",
                       "row 2, column 'person': 'ac-g09-99' is not a member of group g01 (by id, "
                       "name or number on the sheet)."),
    "bad date": (HEADER + "31/02/2023,g01,bienestar-01,ac-g01-02,present\n",
                 "row 2, column 'date': '31/02/2023' is not a date"),
    "unknown session": (HEADER + "2023-07-11,g01,bienestar-99,ac-g01-02,present\n",
                        "row 2, column 'session': unknown curriculum session 'bienestar-99'; "
                        "expected a session's id, title or number."),
    "bad status": (HEADER + "2023-07-11,g01,bienestar-01,ac-g01-02,quizá\n",
                   "row 2, column 'status': 'quizá' is not present, absent or excused"),
    "duplicate row": (HEADER + "2023-07-11,g01,bienestar-01,ac-g01-02,present\n" * 2,
                      "row 3, column 'person': this person appears twice for the same session "
                      "(also on row 2)."),
    "row that breaks halfway": (GOOD + "2023-07-12,g01,bienes", "row 6, column 'session'"),
    "wrong encoding": (GOOD.encode("utf-16"), "it holds binary data"),
    "empty": (HEADER, "The file has no rows."),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_file_is_rejected_whole_with_its_message(case, program):
    """Good rows before the broken one are not stored either."""
    text, expected = BROKEN[case]
    with pytest.raises(ImportRejected) as rejected:
        _import(program, text)
    assert expected in str(rejected.value), str(rejected.value)
    assert not Attendance.objects.exists() and not SessionLog.objects.exists()


def test_command_imports_and_explains_refusals(program, tmp_path, capsys):
    good, bad = tmp_path / "julio.csv", tmp_path / "agosto.csv"
    good.write_text(GOOD)
    bad.write_text(BROKEN["bad date"][0])
    call_command("import", "attendance", str(good))
    assert "4 filas; 4 agregadas" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No se importó nada de agosto.csv"):
        call_command("import", "attendance", str(bad))


@pytest.mark.parametrize("text, expected", [
    ("2023-07-11", (2023, 7, 11)), ("11/07/2023", (2023, 7, 11)), ("1-7-2023", (2023, 7, 1)),
    ("11 de julio de 2023", (2023, 7, 11)), ("3 septiembre 2023", (2023, 9, 3)),
    ("30 de febrero de 2024", None), ("ayer", None),
])
def test_dates_in_the_forms_people_write_them(text, expected):
    got = parse_date(text)
    assert ((got.year, got.month, got.day) if got else None) == expected


def test_upload_page_imports_and_a_refused_file_keeps_the_typed_mapping(program, login_as,
                                                                        client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    login_as("sup-01")
    bad = SimpleUploadedFile("x.csv", BROKEN["bad date"][0].encode())
    response = client.post(reverse("delivery:import"),
                           {"file": bad, "source": "commcare", "mapping": "date=date"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "fila 2, columna &#x27;date&#x27;" in body and "commcare" in body
    good = SimpleUploadedFile("julio.csv", GOOD.encode())
    response = client.post(reverse("delivery:import"), {"file": good})
    assert response.status_code == 200 and Attendance.objects.count() == 4


def test_supervisor_cannot_import_for_another_supervisors_group(program, login_as, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    login_as("sup-02")
    response = client.post(reverse("delivery:import"),
                           {"file": SimpleUploadedFile("julio.csv", GOOD.encode())})
    assert response.status_code == 400
    assert "g01" in response.content.decode() and not Attendance.objects.exists()


def test_every_log_added_or_changed_has_one_audit_entry_with_its_rows_and_its_figures(program):
    """Rows are written in bulk by SQL; each session log touched has one entry holding its
    fields (when new) and its rows' before and after, not an entry per row."""
    from acompana.audit import recording
    from acompana.audit.models import AuditEntry

    _import(program, GOOD)
    row = Attendance.objects.get(person__code="ac-g01-02")
    assert not AuditEntry.objects.filter(target__startswith="delivery.attendance#").exists()
    log = AuditEntry.objects.get(action=recording.CREATE,
                                 target=f"delivery.sessionlog#{row.log_id}").changes
    assert log["date"] == [None, "2023-07-11"] and log["outcome"] == [None, "held"]
    assert log["updated_at"][1].endswith("Z")  # as Python writes times
    assert log["attendance"]["ac-g01-02"] == [None, "present"]
    assert len(log["attendance"]) == Attendance.objects.filter(log_id=row.log_id).count()
    assert "attendance_present" not in log  # counted from the rows it holds: not repeated

    _import(program, GOOD.replace("ac-g01-02,present", "ac-g01-02,ausente"))
    updated = AuditEntry.objects.get(action=recording.UPDATE,
                                     target=f"delivery.sessionlog#{row.log_id}")
    assert updated.changes == {"attendance": {"ac-g01-02": ["present", "absent"]}}
    figures = SessionLog.objects.values_list("attendance_present", "attendance_marked")
    assert figures.get(pk=row.log_id) == (0, 3)


def test_a_session_planned_twice_for_a_group_is_logged_on_the_nearest_date(program):
    """A second year plans bienestar-01 again: a log of July 2024 belongs to July 2024's."""
    from acompana.planning.models import PlannedSession, Status
    from acompana.planning.services import do_store_plan

    def planned(key: str, date: str) -> dict:
        return {"id": key, "track": "wellbeing", "session": "bienestar-01", "group": "g01",
                "supervisor": "sup-01", "facilitator": "fac-01", "community": "reforma",
                "date": date, "start": "10:00", "end": "12:00", "status": "planned"}

    do_store_plan(by=policy.OPERATOR, program=program, plan={"sessions": [
        planned("g01:b01:2023", "2023-07-11"), planned("g01:b01:2024", "2024-07-09"),
        planned("g01:b01:2022", "2022-07-12")]})
    _import(program, HEADER + "2024-07-10,g01,bienestar-01,ac-g01-02,presente\n"
                              "2023-07-12,g01,bienestar-01,ac-g01-02,presente\n")
    logged = dict(SessionLog.objects.values_list("date", "planned__key"))
    assert {str(date): key for date, key in logged.items()} == {
        "2024-07-10": "g01:b01:2024", "2023-07-12": "g01:b01:2023"}
    assert PlannedSession.objects.get(key="g01:b01:2022").status == Status.PLANNED


def test_days_near_the_same_plan_take_the_free_plans_in_date_order(program):
    """Two days of a file both nearest one plan: the earlier day takes it and the later the
    nearest plan still free; another group's days, each near a plan of its own, in the same
    file take their own."""
    from acompana.planning.services import do_store_plan

    def planned(key: str, group: str, date: str) -> dict:
        return {"id": key, "track": "wellbeing", "session": "bienestar-01", "group": group,
                "supervisor": "sup-01", "facilitator": "fac-01", "community": "reforma",
                "date": date, "start": "10:00", "end": "12:00", "status": "planned"}

    do_store_plan(by=policy.OPERATOR, program=program, plan={"sessions": [
        planned("g01:jul", "g01", "2023-07-11"), planned("g01:sep", "g01", "2023-09-11"),
        planned("g01:may", "g01", "2023-05-02"),
        planned("g02:jul", "g02", "2023-07-11"), planned("g02:aug", "g02", "2023-08-11")]})
    _import(program, HEADER + "2023-07-12,g01,bienestar-01,ac-g01-02,presente\n"
                              "2023-07-10,g01,bienestar-01,ac-g01-02,presente\n"
                              "2023-08-10,g02,bienestar-01,ac-g02-01,presente\n"
                              "2023-07-10,g02,bienestar-01,ac-g02-01,presente\n")
    logs = {(log.group.code, str(log.date)): log.planned.key
            for log in SessionLog.objects.select_related("group", "planned")}
    assert logs == {("g01", "2023-07-10"): "g01:jul", ("g01", "2023-07-12"): "g01:sep",
                    ("g02", "2023-07-10"): "g02:jul", ("g02", "2023-08-10"): "g02:aug"}


def test_one_day_takes_the_nearest_plan_without_a_log_and_unplanned_days_their_supervisor(
        program):
    """A session held once in the file takes, of its group's plans of that curriculum session,
    the nearest one still without a log (the first planned, of two as near), and its
    facilitator; a session with no plan left is facilitated by the group's supervisor."""
    from acompana.planning.models import PlannedSession
    from acompana.planning.services import do_store_plan
    from acompana.programs.models import Supervision

    def planned(key: str, group: str, date: str, facilitator: str) -> dict:
        return {"id": key, "track": "wellbeing", "session": "bienestar-01", "group": group,
                "supervisor": "sup-01", "facilitator": facilitator, "community": "reforma",
                "date": date, "start": "10:00", "end": "12:00", "status": "planned"}

    do_store_plan(by=policy.OPERATOR, program=program, plan={"sessions": [
        planned("g01:early", "g01", "2023-07-08", "fac-01"),
        planned("g01:late", "g01", "2023-07-14", "sup-01"),  # as near as early: planned after
        planned("g01:far", "g01", "2023-09-11", "fac-01"),
        planned("g02:taken", "g02", "2023-07-11", "fac-01")]})
    _import(program, HEADER + "2023-07-11,g02,bienestar-01,ac-g02-01,presente\n")
    _import(program, HEADER + "2023-07-11,g01,bienestar-01,ac-g01-02,presente\n"
                              "2023-07-12,g02,bienestar-01,ac-g02-01,presente\n")
    logs = {(log.group.code, str(log.date)): (log.planned.key if log.planned else None,
                                              log.facilitator.code)
            for log in SessionLog.objects.select_related("group", "planned", "facilitator")}
    supervisor = Supervision.objects.get(group__code="g02", end__isnull=True).supervisor.code
    assert logs == {("g02", "2023-07-11"): ("g02:taken", "fac-01"),
                    ("g01", "2023-07-11"): ("g01:early", "fac-01"),
                    ("g02", "2023-07-12"): (None, supervisor)}
    assert PlannedSession.objects.get(key="g01:late").status == "planned"


def test_a_planned_session_marked_held_is_told_in_its_new_logs_entry(program):
    """One entry per log: the planned session the import marks held (here one marked missed,
    with its reason) has no entry of its own, nor has the plan's history row, itself a record
    of the change; the log's entry holds the session's status and reason before and after."""
    from acompana.audit import recording
    from acompana.audit.models import AuditEntry
    from acompana.planning.models import PlannedSession, Status
    from acompana.planning.services import do_mark_session, do_store_plan

    do_store_plan(by=policy.OPERATOR, program=program, plan={"sessions": [{
        "id": "g01:b01", "track": "wellbeing", "session": "bienestar-01", "group": "g01",
        "supervisor": "sup-01", "facilitator": "fac-01", "community": "reforma",
        "date": "2023-07-11", "start": "10:00", "end": "12:00", "status": "planned"}]})
    planned = PlannedSession.objects.get(key="g01:b01")
    do_mark_session(session=planned, status=Status.MISSED, reason="lluvia",
                    by=Person.objects.get(code="coord-01"))
    entries = AuditEntry.objects.count()
    _import(program, HEADER + "2023-07-11,g01,bienestar-01,ac-g01-02,presente\n")

    planned.refresh_from_db()
    assert (planned.status, planned.status_reason) == (Status.HELD, "")
    assert planned.changes.latest("id").new_status == Status.HELD
    log = SessionLog.objects.get(planned=planned)
    written = AuditEntry.objects.order_by("id")[entries:]
    assert [(entry.action, entry.target) for entry in written] == [
        (recording.CREATE, f"delivery.sessionlog#{log.pk}")]
    changes = written[0].changes
    assert changes["planned_session_status"] == ["missed", "held"]
    assert changes["planned_session_status_reason"] == ["lluvia", ""]
    assert changes["planned_id"] == [None, planned.pk]


def test_an_import_run_outside_a_request_is_recorded_under_its_program(program):
    """A command's (or the worker's) import has no person's request to say whose its entries
    are: they belong to the program imported into, so its coordinator and auditor see them."""
    from acompana.audit.acting import acting_as
    from acompana.audit.models import AuditEntry
    from acompana.planning.models import PlannedSession, Status
    from acompana.planning.services import do_mark_sessions

    entries = AuditEntry.objects.count()
    with acting_as("acompana import"):
        _import(program, GOOD)
    written = AuditEntry.objects.order_by("id")[entries:]
    assert written and {entry.program_id for entry in written} == {program.pk}
    coordinator = policy.as_actor(Person.objects.get(code="coord-01"))
    assert set(policy.visible_audit_entries(coordinator).values_list("id", flat=True)) >= {
        entry.id for entry in written}

    do_store_plan_for_g01(program)
    entries = AuditEntry.objects.count()
    with acting_as("acompana mark"):
        do_mark_sessions(sessions=list(PlannedSession.objects.filter(program=program)),
                         status=Status.MISSED, reason="lluvia", by=coordinator)
    assert {entry.program_id for entry in AuditEntry.objects.order_by("id")[entries:]} == {
        program.pk}


def do_store_plan_for_g01(program) -> None:
    from acompana.planning.services import do_store_plan

    do_store_plan(by=policy.OPERATOR, program=program, plan={"sessions": [{
        "id": "g01:b02", "track": "wellbeing", "session": "bienestar-02", "group": "g01",
        "supervisor": "sup-01", "facilitator": "fac-01", "community": "reforma",
        "date": "2023-08-08", "start": "10:00", "end": "12:00", "status": "planned"}]})


def _big_file(rows: int, *, bad_at: int | None = None) -> str:
    """`rows` rows of g01's members, a session a day from 2023 on; row `bad_at` (counting the
    header as row 1) with a status no one writes."""
    members = [f"ac-g01-{n:02d}" for n in range(1, 10)]
    start = parse_date("2023-01-02")
    lines = [HEADER]
    for n in range(rows):
        day = start.fromordinal(start.toordinal() + n // len(members)).isoformat()
        status = "quizá" if n + 2 == bad_at else "present"
        lines.append(f"{day},g01,bienestar-01,{members[n % len(members)]},{status}\n")
    return "".join(lines)


def test_source_ids_are_kept_as_written_whatever_characters_they_hold(program):
    """A tool's record ids are its own text: a backslash or a tab in one (written to the
    database as COPY's text on PostgreSQL) is kept as it is, and known the next time."""
    from acompana.delivery.models import SessionLogSource

    odd = ["form\\7", "form\t8", "uuid:9"]
    text = "date,group,session,person,status,instanceID\n" + "".join(
        f'2023-07-11,g01,bienestar-01,ac-g01-0{n},present,"{source}"\n'
        for n, source in zip((1, 2, 3), odd, strict=True))
    report = _import(program, text, source="commcare")
    assert report.new_records == 3
    assert sorted(SessionLogSource.objects.values_list("source_id", flat=True)) == sorted(odd)
    again = _import(program, text, source="commcare")
    assert (again.new_records, again.known_records, again.added) == (0, 3, 0)


def test_a_bad_row_late_in_a_big_file_writes_nothing_and_says_where(program):
    """20,000 good rows, then one that is not: nothing is stored (no log, no row, no audit
    entry), and the error names the file, the row, the column and what was expected."""
    from acompana.audit.models import AuditEntry

    entries = AuditEntry.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        _import(program, _big_file(20_001, bad_at=20_002), name="export-nacional.csv")
    [problem] = rejected.value.problems
    assert (problem.file, problem.line, problem.column) == ("export-nacional.csv", 20_002,
                                                            "status")
    assert str(problem) == ("export-nacional.csv, row 20002, column 'status': 'quizá' is not "
                            "present, absent or excused (presente, ausente, justificada).")
    assert not Attendance.objects.exists() and not SessionLog.objects.exists()
    assert AuditEntry.objects.count() == entries


@pytest.mark.slow
def test_an_import_of_four_times_the_rows_takes_no_more_memory(program):
    """The file is read as it is checked, each row goes to the database as it is, and what
    is found among the rows (a person twice, the sessions, their logs) is found there: what
    the import holds does not grow with the file (measured with tracemalloc: 5.5 and 5.5 MB
    for 20,000 and 80,000 rows on SQLite, 2.0 and 1.4 MB on PostgreSQL; before, 11 and 22 MB,
    3.8 and 9.8 MB). This file's days (a session a day, 24 years of them) are read in chunks
    too."""
    import tracemalloc

    peaks = []
    for rows in (20_000, 80_000):
        data = _big_file(rows).encode()
        tracemalloc.start()
        try:
            _import(program, data, name=f"asistencia-{rows}.csv")
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] < 1.5 * peaks[0], [f"{peak / 1e6:.1f} MB" for peak in peaks]
