"""Damaged and random files fed to every importer that writes: each stores the whole file or
nothing, and refuses with its own clear error, never another exception.

Each example runs inside a transaction rolled back at its end, so all start from the same data.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acompana.delivery.models import Attendance
from acompana.delivery.services import do_import_attendance
from acompana.domain.attendance_import import STATUSES, ImportRejected
from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from acompana.domain.instruments.xlsform import read_submissions
from acompana.domain.tabular import parse_date, plain, read_table
from acompana.domain.tests.mutations import (
    TRICKY_TEXT,
    csv_text,
    mutated_bytes,
    mutated_table,
    workbook_with_broken_member,
    xlsx_bytes,
)
from acompana.programs.models import Person
from acompana.wellbeing.models import Assessment
from acompana.wellbeing.services import do_give_consent
from tests.support import CES

PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

ATTENDANCE = [["date", "group", "session", "person", "status"],
              ["2023-07-11", "g01", "bienestar-01", "ac-g01-02", "present"],
              ["11/07/2023", "g01", "bienestar-01", "ac-g01-03", "ausente"],
              ["11 de julio de 2023", "g01", "bienestar-02", "ac-g01-04", "justificada"],
              ["2023-07-13", "g02", "bienestar-01", "ac-g02-01", "presente"]]
GOOD_XLSX = xlsx_bytes(ATTENDANCE)
SUBMISSIONS = [["respondent", *(f"gad7_{n}" for n in range(1, 8))],
               ["ac-g01-02", "1", "1", "1", "1", "1", "1", "1"],
               ["ac-g01-03", "0", "Nunca", "Several days", "", "NA", "3", "0"]]


def _snapshot() -> tuple[dict[str, int], str]:
    """Row counts of every table and a digest of the attendance records."""
    counts = {model._meta.db_table: model.objects.count() for model in apps.get_models()}
    attendance = sorted(Attendance.objects.values_list("log_id", "person_id", "status"))
    return counts, hashlib.sha256(repr(attendance).encode()).hexdigest()


@contextmanager
def _rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def program(ces, settings, tmp_path):
    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    return ces


@PROPERTY
@given(data=st.one_of(
    mutated_table(ATTENDANCE).map(lambda table: csv_text(table).encode()),
    mutated_table(ATTENDANCE).map(xlsx_bytes),
    mutated_bytes(csv_text(ATTENDANCE).encode()),
    mutated_bytes(GOOD_XLSX),
    workbook_with_broken_member(GOOD_XLSX),
    st.binary(max_size=500)))
def test_an_attendance_file_is_imported_whole_or_not_at_all(program, data):
    importer = Person.objects.get(code="coord-01")
    before = _snapshot()
    with _rolled_back():
        try:
            report = do_import_attendance(program=program, data=data, file_name="asistencia",
                                          entered_by=importer)
        except ImportRejected as rejected:
            assert rejected.problems and all(str(problem) for problem in rejected.problems)
            assert _snapshot() == before
            return
        assert report.rows == report.added + report.changed + report.unchanged > 0
        assert Attendance.objects.count() == before[0]["delivery_attendance"] + report.added


@PROPERTY
@given(table=mutated_table(ATTENDANCE))
def test_every_row_of_an_imported_file_is_stored_as_written(program, table):
    importer = Person.objects.get(code="coord-01")
    with _rolled_back():
        try:
            do_import_attendance(program=program, data=csv_text(table).encode(),
                                 file_name="asistencia.csv", entered_by=importer)
        except ImportRejected:
            return
        stored = {(a.log.group.code, a.log.session_code, a.log.date, a.person.code): a.status
                  for a in Attendance.objects.select_related("log__group", "person")}
        assert len(stored) == len(table) - 1
        for date, group, session, person, status in table[1:]:
            key = (group.strip(), session.strip(), parse_date(date), person.strip())
            if key in stored:  # else written by name or number, which the directory resolved
                assert stored[key] == STATUSES[plain(status)]


CES_DOCUMENT = yaml.safe_load(CES.joinpath("program.yaml").read_text(encoding="utf-8"))


@st.composite
def _damaged_program(draw) -> bytes:
    """The CES file with values replaced or removed, or its bytes damaged."""
    if draw(st.integers(0, 2)) == 0:
        return draw(mutated_bytes(CES.joinpath("program.yaml").read_bytes()))
    document = copy.deepcopy(CES_DOCUMENT)
    section = draw(st.sampled_from(["program", "communities", "people", "groups",
                                    "planning"]))
    entries = document[section]
    values = st.one_of(
        # what a database cannot keep: NUL, overlong text, NaN, huge numbers, date keys
        st.sampled_from([None, "", "Ana\x00", "x" * 300, float("nan"), float("inf"), 10**12,
                         -1, {dt.date(2023, 9, 16): "fiesta"}]),
        st.integers(), st.floats(), TRICKY_TEXT, st.dates(),
        st.lists(st.text(max_size=5), max_size=2),
        st.dictionaries(st.one_of(st.text(max_size=5), st.dates()), st.text(max_size=5),
                        max_size=2))
    target = (entries if isinstance(entries, dict)
              else entries[draw(st.integers(0, len(entries) - 1))])
    key = draw(st.sampled_from(["name", "name", *sorted(target)] if "name" in target
                               else sorted(target)))  # a name changes without breaking links
    if draw(st.booleans()):
        target[key] = draw(values)
    else:
        del target[key]
    return yaml.safe_dump(document, allow_unicode=True).encode()


@PROPERTY
@given(data=_damaged_program())
def test_a_damaged_program_file_loads_whole_or_changes_nothing(ces, tmp_path, data):
    path = tmp_path / "program.yaml"
    path.write_bytes(data)
    before = _snapshot()
    with _rolled_back():
        try:
            call_command("load-program", str(path), stdout=io.StringIO())
        except CommandError as error:
            assert "was not loaded" in str(error)
            assert _snapshot() == before
            return
        document = yaml.safe_load(data)
        for person in document["people"]:
            assert Person.objects.get(program__code=document["program"]["id"],
                                      code=person["id"]).name == person["name"].strip()


@pytest.fixture
def consented(ces):
    for code in ("ac-g01-02", "ac-g01-03", "ac-g01-04"):
        person = Person.objects.get(code=code)
        do_give_consent(person=person, method="signed-paper", recorded_by=person)


@PROPERTY
@given(data=st.one_of(mutated_table(SUBMISSIONS).map(lambda table: csv_text(table).encode()),
                      mutated_bytes(csv_text(SUBMISSIONS).encode()),
                      st.binary(max_size=300)))
def test_a_submissions_file_is_stored_whole_or_not_at_all(consented, tmp_path, data):
    path = tmp_path / "gad7.csv"
    path.write_bytes(data)
    before = _snapshot()
    with _rolled_back():
        try:
            call_command("import-submissions", "gad7", str(path), "--wave", "baseline",
                         stdout=io.StringIO())
        except CommandError as error:
            assert str(error).startswith("No se importó nada de gad7.csv")
            assert _snapshot() == before
            return
        stored = Assessment.objects.count() - before[0]["wellbeing_assessment"]
        assert stored == len(read_submissions("gad7", read_table(data, "gad7.csv")))


def test_a_submissions_file_in_latin1_is_read_and_a_wrong_answer_named(consented, tmp_path):
    path = Path(tmp_path / "latin.csv")
    path.write_bytes(csv_text(SUBMISSIONS).replace("Nunca", "Ningún día").encode("latin-1"))
    with pytest.raises(CommandError, match="latin.csv.*'Ningún día'"):
        call_command("import-submissions", "gad7", str(path), "--wave", "baseline")
    assert not Assessment.objects.exists()
