"""`acompana scan`: the thin command over the reader, run on real files."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from acompana.domain.omr.forms import questionnaire_form, suggestion_slip
from acompana.domain.omr.store import write_forms
from acompana.forms.management.commands.scan import Command

pytestmark = pytest.mark.django_db  # with no --spec-dir, layouts come from the database


@pytest.fixture
def printed(tmp_path):
    """A questionnaire (needs its saved layout) and two suggestion slips, as printed PDFs."""
    spec_dir = tmp_path / "specs"
    questionnaire = questionnaire_form("ces", "bienestar", "Bienestar", [(1, "Me he sentido "
                                       "alegre")], [("1", "Sí"), ("0", "No")], "linea-base")
    return (write_forms(questionnaire, tmp_path / "cuestionario.pdf", spec_dir),
            write_forms(suggestion_slip("ces", "g01"), tmp_path / "buzon.pdf", copies=2),
            spec_dir)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(Command(), *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_scan_prints_json_of_every_page(printed):
    questionnaire, slips, spec_dir = printed
    out, _ = run(questionnaire, slips, "--spec-dir", spec_dir, "--json")
    data = json.loads(out)
    assert [p["identity"]["form_type"] for p in data["pages"]] == [
        "questionnaire", "suggestion", "suggestion"]
    assert data["problems"] == []
    item = data["pages"][0]["fields"][1]
    assert (item["field_id"], item["value"], item["status"]) == ("item:1", None, "empty")


def test_scan_reads_slips_without_saved_layouts_and_names_what_it_cannot_read(printed):
    questionnaire, slips, _ = printed
    with pytest.raises(CommandError, match="1 of 3 pages could not be read"):
        call_command(Command(), str(slips), str(questionnaire), stdout=StringIO(),
                     stderr=(err := StringIO()))
    assert f"{questionnaire} page 1: this is the questionnaire form" in err.getvalue()
    assert "--spec-dir" in err.getvalue()


def test_scan_refuses_sheets_of_another_group(printed):
    _, slips, _ = printed
    with pytest.raises(CommandError):
        call_command(Command(), str(slips), "--group", "g02", stdout=StringIO(),
                     stderr=(err := StringIO()))
    assert "group g01 instead of g02" in err.getvalue()
