"""Loading a program file: counts, idempotence, and broken files that change nothing."""

import copy

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from acompana import policy
from acompana.domain.program_file import ProgramFileError
from acompana.programs.models import Community, Group, Membership, Person, Program, Supervision
from acompana.programs.services import do_load_program
from tests.support import CES

MODELS = (Program, Community, Person, Group, Supervision, Membership)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_ces_has_nine_groups_and_three_supervisors_of_three_groups(ces):
    """CES loads with 9 groups; each of its 3 supervisors supervises exactly 3 groups."""
    assert Group.objects.filter(program=ces).count() == 9
    supervisors = Person.objects.filter(role="supervisor")
    assert supervisors.count() == 3
    for supervisor in supervisors:
        assert supervisor.supervisions.filter(end__isnull=True).count() == 3
    assert Person.objects.filter(role="coordinator").exists()
    assert Person.objects.filter(role="clinician").exists()
    assert Person.objects.filter(role="facilitator").count() >= 1


def test_membership_history_is_kept(ces):
    """A worker who moved between groups keeps both memberships."""
    moved = Person.objects.get(code="ac-g01-01")
    history = [(m.group.code, m.left is None) for m in moved.memberships.order_by("joined")]
    assert history == [("g02", False), ("g01", True)]


def test_loading_twice_changes_nothing(ces):
    before = _counts()
    report = do_load_program(by=policy.OPERATOR, location=CES)
    assert not report.changed
    assert _counts() == before


def test_load_program_command(db, capsys):
    call_command("load-program", str(CES))
    assert "Loaded Compañeros En Salud" in capsys.readouterr().out
    call_command("load-program", str(CES))
    assert "nothing changed" in capsys.readouterr().out


def _broken(mutate):
    raw = yaml.safe_load((CES / "program.yaml").read_text())
    broken = copy.deepcopy(raw)
    mutate(broken)
    return broken


def _set(path, value):
    def mutate(raw):
        target = raw
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return mutate


def _append_copy(section, index):
    return lambda raw: raw[section].append(copy.deepcopy(raw[section][index]))


BROKEN_FILES = {
    "unknown field": (_set(["groups", 2, "colour"], "red"),
                      "groups[2] (g03), field 'colour': unknown field"),
    "missing field": (lambda raw: raw["communities"][1].pop("name"),
                      "communities[1] (reforma), field 'name': required field is missing"),
    "bad weekday": (_set(["groups", 0, "meeting", "weekday"], "martes"),
                    "groups[0] (g01), field 'meeting.weekday'"),
    "bad date": (_set(["people", 10, "memberships", 0, "joined"], "el lunes"),
                 "field 'memberships.0.joined'"),
    "unknown community": (_set(["groups", 4, "community"], "atlantis"),
                          "groups[4] (g05), field 'community': unknown community 'atlantis'"),
    "unknown group": (_set(["people", 10, "memberships", 0, "group"], "g99"),
                      "field 'memberships[0].group': unknown group 'g99'"),
    "supervisor is not a supervisor": (
        _set(["groups", 1, "supervisors", 0, "person"], "fac-01"),
        "groups[1] (g02), field 'supervisors[0].person': 'fac-01' is not a person with role "
        "supervisor"),
    "duplicate id": (_append_copy("groups", 0), "field 'id': duplicate id 'g01'"),
    "left before joined": (_set(["people", 10, "memberships", 0, "left"], "1990-01-01"),
                           "is before the date she joined"),
    "bad id": (_set(["communities", 3, "id"], "Monte Rey"), "communities[3] (Monte Rey), "
               "field 'id'"),
}


@pytest.mark.parametrize("case", BROKEN_FILES, ids=list(BROKEN_FILES))
def test_broken_program_file_is_rejected_and_changes_nothing(case, ces, tmp_path):
    """Each broken file is refused with file, entry and field named; the database is unchanged."""
    mutate, expected = BROKEN_FILES[case]
    path = tmp_path / "program.yaml"
    path.write_text(yaml.safe_dump(_broken(mutate), allow_unicode=True, sort_keys=False))
    before = _counts()
    with pytest.raises(ProgramFileError) as caught:
        do_load_program(by=policy.OPERATOR, location=tmp_path)
    message = str(caught.value)
    assert str(path) in message
    assert expected in message, message
    assert _counts() == before


def test_broken_file_in_an_empty_database_loads_nothing(db, tmp_path):
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(
        _broken(_set(["groups", 8, "community"], "nowhere")), allow_unicode=True))
    with pytest.raises(CommandError, match="was not loaded"):
        call_command("load-program", str(tmp_path))
    assert all(count == 0 for count in _counts().values())


def test_the_materials_built_in_the_app_print_what_the_program_file_says(ces):
    """The app builds from the database: its groups' facilitators, meeting places and days,
    the supervisors' cohort, help lines and paper are those of the file it was loaded from."""
    from acompana.domain.program_file import printed_details, read_program_file
    from acompana.programs.selectors import program_details

    assert Group.objects.get(program=ces, code="g01").meeting_place == "Casa de salud de Reforma"
    assert program_details(ces) == printed_details(read_program_file(CES).document)


def test_materials_still_build_when_the_admin_stored_what_no_program_file_allows(ces):
    """A community code with capitals (the admin's slug field takes them) leaves the groups out
    of the printed details; the help lines and paper stay."""
    from acompana.programs.selectors import program_details

    Community.objects.filter(program=ces, code="reforma").update(code="Reforma_Centro")
    details = program_details(ces)
    assert details.groups == () and details.paper == "letter"
    assert "Línea de la Vida" in [contact.name for contact in details.contacts]
