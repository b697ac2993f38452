"""The program file parser: pure, no database."""

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from acompana.domain.program_file import ProgramFileError, read_program_file

CES = Path(__file__).resolve().parents[3] / "programs" / "ces" / "program.yaml"


def test_ces_program_file_is_valid():
    """The shipped CES file has 9 groups, each with one of 3 supervisors, 8-12 members each."""
    document = read_program_file(CES.parent).document
    assert len(document.groups) == 9
    supervisors = {g.supervisors[0].person for g in document.groups}
    assert len(supervisors) == 3
    for group in document.groups:
        members = [p for p in document.people
                   if any(m.group == group.id and m.left is None for m in p.memberships)]
        assert 8 <= len(members) <= 12, group.id


def test_ces_names_a_help_line_for_violence_at_home():
    """Sessions 8 and 10 send the facilitator to the program's violence help line."""
    care = read_program_file(CES.parent).document.care
    assert [line.name for line in care.help_lines if line.topic == "violence"] == [
        "Red Nacional de Refugios"]
    assert {line.topic for line in care.help_lines} >= {"crisis", "violence"}


def test_a_care_backup_contact_must_be_a_clinician_or_coordinator(tmp_path):
    raw = yaml.safe_load(CES.read_text(encoding="utf-8"))
    raw["care"]["backup_contact"] = "sup-01"
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    with pytest.raises(ProgramFileError, match="care, field 'backup_contact': 'sup-01' is not"):
        read_program_file(tmp_path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ProgramFileError, match="no such program file"):
        read_program_file(tmp_path)


def test_not_yaml_is_rejected(tmp_path):
    (tmp_path / "program.yaml").write_text("program: [unclosed\n")
    with pytest.raises(ProgramFileError, match="not valid YAML"):
        read_program_file(tmp_path)


def test_every_problem_is_reported_at_once(tmp_path):
    """Two broken entries give two sentences, so the file is fixed in one pass."""
    raw = yaml.safe_load(CES.read_text())
    raw["groups"][0]["community"] = "atlantis"
    raw["people"][0]["role"] = "chief"
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    with pytest.raises(ProgramFileError) as caught:
        read_program_file(tmp_path)
    assert len(caught.value.problems) == 1  # schema errors stop before cross-references
    assert "people[0] (coord-01), field 'role'" in caught.value.problems[0]


@pytest.mark.parametrize(("change", "named"), [
    (lambda raw: raw["people"][1].update(name="Ana\x00"), "people[1].name: the text holds a NUL"),
    (lambda raw: raw["planning"].update(rest=float("nan")), "planning.rest: nan is not a number"),
    (lambda raw: raw["planning"].update({dt.date(2023, 9, 16): "fiesta"}),
     "planning: the key datetime.date(2023, 9, 16) must be text"),
    (lambda raw: raw["groups"][0].update(name="x" * 201), "groups[0] (g01), field 'name'"),
    (lambda raw: raw["communities"][0].update(travel_minutes_from_hub=10**10),
     "field 'travel_minutes_from_hub'"),
])
def test_values_no_database_could_keep_are_named(tmp_path, change, named):
    """PostgreSQL refuses NUL characters, NaN in JSON and overlong text: the file is refused
    first, with the place named, instead of failing half-way through the load."""
    raw = yaml.safe_load(CES.read_text())
    change(raw)
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    with pytest.raises(ProgramFileError, match=re.escape(named)):
        read_program_file(tmp_path)


def test_an_entry_that_contains_itself_is_named(tmp_path):
    """YAML anchors can make an entry contain itself; the file is refused, not looped over."""
    (tmp_path / "program.yaml").write_text(
        CES.read_text().replace("\nplanning:\n", "\nplanning:\n  loop: &loop\n    again: *loop\n"))
    with pytest.raises(ProgramFileError, match=re.escape("planning.loop.again: this entry "
                                                         "contains itself")):
        read_program_file(tmp_path)


def test_ces_names_where_each_group_and_the_supervisors_meet():
    """The facilitator guides print each group's meeting place, facilitators and usual day."""
    from acompana.domain.program_file import printed_details

    details = printed_details(read_program_file(CES.parent).document)
    reforma = details.groups_of("acompanantes")[0]
    assert (reforma.name, reforma.place, reforma.facilitators) == (
        "Grupo Reforma", "Casa de salud de Reforma",
        ("Gloria Morales Roblero", "Natividad Zunún Trujillo"))
    assert (reforma.weekday, reforma.week_of_month, reforma.start) == (1, 2, "10:00")
    assert all(group.place for group in details.groups)
    (cohort,) = details.groups_of("supervisors")
    assert cohort.facilitators == ("Dolores Zunún Aguilar",) and "Jaltenango" in cohort.place
    assert details.paper == "letter"


def test_a_program_without_meeting_places_still_loads_and_prints_none(tmp_path):
    from acompana.domain.program_file import printed_details

    raw = yaml.safe_load(CES.read_text(encoding="utf-8"))
    for group in raw["groups"]:
        del group["meeting_place"]
    del raw["planning"]["supervisors_track"]["meeting_place"]
    raw["program"]["paper_size"] = "a4"
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    details = printed_details(read_program_file(tmp_path).document)
    assert {group.place for group in details.groups} == {""} and details.paper == "a4"


def test_a_meeting_place_is_a_short_text(tmp_path):
    raw = yaml.safe_load(CES.read_text(encoding="utf-8"))
    raw["groups"][1]["meeting_place"] = "x" * 201
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    with pytest.raises(ProgramFileError, match=r"groups\[1\] \(g02\), field 'meeting_place'"):
        read_program_file(tmp_path)
