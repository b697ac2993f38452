"""Every reader of outside files, fed random and damaged files: it returns what the file holds
or raises its own clear error, never anything else. No database."""

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acompana.domain.attendance_import import (
    AttendanceFile,
    Directory,
    ImportRejected,
    Member,
    parse_attendance,
    read_table,
)
from acompana.domain.instruments.xlsform import read_submissions
from acompana.domain.program_file import ProgramFileError, read_program_file
from acompana.domain.tests.mutations import (
    TRICKY_TEXT,
    XLSX_CELLS,
    csv_text,
    mutated_bytes,
    mutated_table,
    workbook_with_broken_member,
    xlsx_bytes,
)
from acompana.domain.uploads import UploadRefused, check_upload

PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
CES = Path(__file__).resolve().parents[3] / "programs" / "ces" / "program.yaml"

ATTENDANCE = [["date", "group", "session", "person", "status"],
              ["2023-07-11", "g01", "bienestar-01", "ac-g01-02", "present"],
              ["11/07/2023", "g01", "bienestar-01", "ac-g01-03", "ausente"],
              ["13 de julio de 2023", "g02", "bienestar-02", "ac-g02-01", "justificada"]]
GROUPS = {"g01": {"ac-g01-02", "ac-g01-03"}, "g02": {"ac-g02-01"}}
GOOD_XLSX = xlsx_bytes([[dt.datetime(2023, 7, 11) if cell == "2023-07-11" else cell
                         for cell in row] for row in ATTENDANCE])
ANY_FILE = st.one_of(
    st.binary(max_size=2000),
    mutated_bytes(csv_text(ATTENDANCE).encode()),
    mutated_bytes(GOOD_XLSX),
    workbook_with_broken_member(GOOD_XLSX),
)


def _parsed(table) -> AttendanceFile:
    directory = Directory(
        groups={"g01": "Grupo Reforma", "g02": "Grupo Letrero"},
        sessions={"bienestar-01": ("Respirar",), "bienestar-02": ("Agradecer",)},
        members={group: [Member(code, code) for code in people]
                 for group, people in GROUPS.items()},
        session_numbers={1: "bienestar-01", 2: "bienestar-02"})
    return parse_attendance(table, mapping={}, directory=directory)


@PROPERTY
@given(data=ANY_FILE, name=st.sampled_from(["a.csv", "a.xlsx", "a", "a.exe"]))
def test_upload_check_names_a_kind_it_accepts_or_refuses(data, name):
    try:
        kind = check_upload(data, name, accept={"csv", "xlsx", "png", "jpeg"})
    except UploadRefused as refused:
        assert str(refused)
    else:
        assert kind in {"csv", "xlsx", "png", "jpeg"}


@PROPERTY
@given(data=ANY_FILE)
def test_any_file_reads_as_a_table_or_is_rejected(data):
    try:
        table = read_table(data, "asistencia")
    except ImportRejected as rejected:
        assert rejected.problems
        return
    assert all(isinstance(name, str) for name in table.header)
    assert all(isinstance(cell, str) for row in table.rows for cell in row)


@PROPERTY
@given(table=mutated_table(ATTENDANCE), separator=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]))
def test_a_damaged_attendance_csv_is_all_rows_or_rejected(table, separator, encoding):
    """Every row is checked: a file is either read whole, each row valid, or rejected."""
    data = csv_text(table, separator).encode(encoding, errors="replace")
    try:
        checked = _parsed(read_table(data, "asistencia.csv"))
    except ImportRejected as rejected:
        assert rejected.problems and all(str(problem) for problem in rejected.problems)
        return
    assert checked.rows == sum(len(people) for people in checked.sessions.values()) > 0
    for (group, _session, _date), people in checked.sessions.items():
        for person, status in people.items():
            assert person in GROUPS[group] and status in {"present", "absent", "excused"}


@PROPERTY
@given(rows=st.lists(st.lists(XLSX_CELLS, max_size=7), max_size=8),
       header=st.booleans())
def test_a_workbook_of_any_cells_is_read_or_rejected(rows, header):
    table = [ATTENDANCE[0], *rows] if header else rows
    try:
        _parsed(read_table(xlsx_bytes(table), "asistencia.xlsx"))
    except ImportRejected as rejected:
        assert rejected.problems


GOOD_SUBMISSIONS = [["respondent", *(f"gad7_{n}" for n in range(1, 8)), "KEY"],
                    ["ac-g01-02", "1", "1", "1", "1", "1", "1", "1", "uuid:1"],
                    ["ac-g01-03", "0", "Nunca", "Several days", "", "NA", "3", "0", "uuid:2"]]


@PROPERTY
@given(text=st.one_of(st.text(max_size=500),
                      mutated_table(GOOD_SUBMISSIONS).map(csv_text),
                      mutated_bytes(csv_text(GOOD_SUBMISSIONS).encode()).map(
                          lambda data: data.decode("utf-8", errors="replace"))))
def test_submissions_are_read_whole_or_refused(text):
    try:
        submissions = read_submissions("gad7", read_table(text.encode(), "envios.csv"))
    except ImportRejected as error:
        assert error.problems
        return
    for submission in submissions:
        assert submission.respondent
        assert set(submission.answers) == set(range(1, 8))
        assert all(value is None or 0 <= value <= 3 for value in submission.answers.values())


CES_DOCUMENT = yaml.safe_load(CES.read_text(encoding="utf-8"))
YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TRICKY_TEXT,
              st.dates(), st.datetimes()),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.one_of(st.text(max_size=8), st.integers(),
                                                         st.dates()), children, max_size=3)),
    max_leaves=6)


@st.composite
def mutated_program(draw) -> str:
    """The CES program file with one value somewhere replaced, removed or its key renamed."""
    document = copy.deepcopy(CES_DOCUMENT)
    for _ in range(draw(st.integers(1, 3))):
        node, path = document, []
        while isinstance(node, dict | list) and node and draw(st.integers(0, 3)):
            key = (draw(st.sampled_from(sorted(node, key=str))) if isinstance(node, dict)
                   else draw(st.integers(0, len(node) - 1)))
            path.append((node, key))
            node = node[key]
        if not path:
            continue
        parent, key = path[-1]
        action = draw(st.sampled_from(["replace", "replace", "remove", "rename"]))
        if action == "replace":
            parent[key] = draw(YAML_VALUES)
        elif action == "remove":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = parent.pop(key)
    return yaml.safe_dump(document, allow_unicode=True)


@PROPERTY
@given(text=st.one_of(mutated_program(),
                      mutated_bytes(CES.read_bytes()).map(
                          lambda data: data.decode("utf-8", errors="replace"))))
def test_a_damaged_program_file_loads_or_names_its_problems(text, tmp_path_factory):
    path = tmp_path_factory.mktemp("program") / "program.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        read_program_file(path)
    except ProgramFileError as error:
        assert error.problems and all(str(path) in problem for problem in error.problems)


@pytest.mark.parametrize("data", [b"\xff\xfe\x00\x00", b"program: [\n", "program: ñ".encode(
    "latin-1")])
def test_a_program_file_that_is_not_yaml_is_named(tmp_path, data):
    (tmp_path / "program.yaml").write_bytes(data)
    with pytest.raises(ProgramFileError, match="program.yaml"):
        read_program_file(tmp_path)
