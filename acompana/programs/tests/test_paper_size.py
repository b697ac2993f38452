"""Paper from the program's country (Letter in Mexico), a program setting to change it, and every
printed form defaulting to it."""

import pytest
import yaml
from django.urls import reverse

from acompana import policy
from acompana.domain.omr.spec import FormSpec
from acompana.domain.paper import paper_for_country
from acompana.domain.program_file import ProgramFileError, read_program_file
from acompana.forms.models import PrintedPage
from acompana.planning.services import do_store_plan
from acompana.programs.services import do_load_program
from tests.support import CES


def _write(tmp_path, change) -> None:
    raw = yaml.safe_load((CES / "program.yaml").read_text())
    change(raw)
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))


def test_letter_in_most_of_the_americas_a4_elsewhere():
    assert [paper_for_country(c) for c in ("MX", "US", "GT", "CO", "mx")] == ["letter"] * 5
    assert [paper_for_country(c) for c in ("PE", "HT", "ES", "RW", "ZZ")] == ["a4"] * 5


def test_a_mexican_program_prints_on_letter_by_default(ces, login_as, client):
    """CES (country MX, no setting) prints its session sheet on Letter and offers Letter first."""
    assert (ces.paper_size, ces.paper) == ("", "letter")
    do_store_plan(program=ces, plan={"sessions": [
        {"id": "g01:bienestar-01", "track": "wellbeing", "session": "bienestar-01",
         "group": "g01", "supervisor": "sup-01", "facilitator": "fac-01", "community": "reforma",
         "date": "2023-07-11", "start": "10:00", "end": "12:00"}]}, by=policy.OPERATOR)
    login_as("sup-01")
    response = client.get(reverse("forms:print_sheet", args=["g01:bienestar-01"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    specs = [FormSpec.from_json(page.spec) for page in PrintedPage.objects.all()]
    assert {spec.paper for spec in specs} == {"letter"}
    printed = " ".join(text.text for text in specs[0].texts)
    assert "Grupo: Grupo Reforma   Programa: Compañeros En Salud" in printed  # names
    assert "g01" not in printed and "bienestar-01" not in printed
    page = client.get(reverse("planning:session", args=["g01:bienestar-01"])).content.decode()
    assert "(PDF, carta)" in page
    forms_page = client.get(reverse("forms:index")).content.decode()
    assert 'value="letter" checked' in forms_page


def test_the_program_file_changes_the_paper_and_refuses_an_unknown_one(db, tmp_path):
    _write(tmp_path, lambda raw: raw["program"].update(paper_size="a4"))
    program = do_load_program(location=tmp_path, by=policy.OPERATOR).program
    assert (program.paper_size, program.paper) == ("a4", "a4")
    _write(tmp_path, lambda raw: raw["program"].update(paper_size="legal"))
    with pytest.raises(ProgramFileError, match="paper_size"):
        read_program_file(tmp_path)
