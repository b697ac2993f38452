"""The program file's care block and people's contact details: validated, loaded, and edited by
the person herself without the numbers reaching the audit trail."""

import pytest
import yaml
from django.urls import reverse

from acompana import policy
from acompana.audit.models import AuditEntry
from acompana.domain.program_file import ProgramFileError, read_program_file
from acompana.forms.services import ScanRefused, do_print_questionnaires
from acompana.programs.models import Person
from acompana.programs.selectors import program_care
from acompana.programs.services import do_load_program
from tests.support import CES


def _write(tmp_path, change) -> None:
    raw = yaml.safe_load((CES / "program.yaml").read_text())
    change(raw)
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))


def test_ces_chooses_a_shorter_set_that_asks_phq9_in_every_wave():
    care = read_program_file(CES).document.care
    for wave in ("baseline", "midline", "endline"):
        assert "phq9" in care.wave_instruments(wave)
    assert care.wave_instruments("baseline") == ("who5", "pss4", "phq9", "gad7")
    assert care.help_lines[0].phone == "800 911 2000"
    assert care.backup_contact == "clin-02"


@pytest.mark.parametrize(("change", "named"), [
    (lambda raw: raw["care"].update(backup_contact="sup-01"),
     "care, field 'backup_contact': 'sup-01' is not a person with role clinician or coordinator"),
    (lambda raw: raw["care"]["instruments"].update(midline=["who5", "bdi"]),
     "care, field 'instruments.midline': unknown questionnaire 'bdi'; expected one of"),
    (lambda raw: raw["care"]["instruments"].update(endline=["who5", "gad7"]),
     "care, field 'instruments.endline': PHQ-9 is missing"),
    (lambda raw: raw["care"]["clinic"].update(phone="llamar a Lupita"),
     "care, field 'clinic.phone': expected a phone number"),
    (lambda raw: raw["people"][1].update(email="dolores at ces"),
     "people[1] (clin-01), field 'email': expected an e-mail address"),
    (lambda raw: raw["care"]["escalation_hours"].update(item9=0),
     "care, field 'escalation_hours.item9'"),
    (lambda raw: raw["care"].update(show_score=True), "care, field 'show_score': unknown field"),
])
def test_care_block_mistakes_are_named(tmp_path, change, named):
    _write(tmp_path, change)
    with pytest.raises(ProgramFileError) as caught:
        read_program_file(tmp_path)
    assert any(named in problem for problem in caught.value.problems), caught.value.problems


def test_care_block_and_contacts_are_loaded_and_a_reload_keeps_what_she_edited(ces, tmp_path):
    care = program_care(ces)
    assert care.clinic.name == "Clínica de Salud Mental CES"
    assert care.escalation_hours.item9 == 4
    clinician = Person.objects.get(code="clin-01")
    assert clinician.phone == "+52 963 000 0001"
    clinician.phone = "+52 963 111 2222"
    clinician.save()
    assert not do_load_program(location=CES, by=policy.OPERATOR).changed
    assert Person.objects.get(code="clin-01").phone == "+52 963 111 2222"


def test_she_edits_her_own_contact_details_and_the_trail_never_holds_them(login_as, client):
    login_as("clin-01")
    url = reverse("programs:my_contact")
    response = client.post(url, {"phone": "963 12", "whatsapp": "", "email": "no"})
    assert response.status_code == 400
    assert b'value="963 12"' in response.content  # what she typed stays
    assert "digits" in response.content.decode() or "dígitos" in response.content.decode()
    response = client.post(url, {"phone": "+52 963 555 0101", "whatsapp": "+52 963 555 0101",
                                 "email": "dolores@example.org"})
    assert response.status_code == 302
    assert Person.objects.get(code="clin-01").email == "dolores@example.org"
    entries = AuditEntry.objects.filter(target__startswith="programs.person#")
    written = " ".join(str(entry.changes) for entry in entries)
    assert "555 0101" not in written and "dolores@example.org" not in written
    assert "963 000 0001" not in written  # nor the numbers the program file loaded
    assert entries.filter(changes__has_key="email").exists()


def test_paper_printing_offers_and_accepts_only_the_waves_chosen_set(ces):
    with pytest.raises(ScanRefused, match="PSS10|pss10"):
        do_print_questionnaires(program=ces, instrument="pss10", wave="baseline", copies=1,
                                by=Person.objects.get(code="clin-01"))
    assert do_print_questionnaires(program=ces, instrument="who5", wave="midline", copies=1,
                                   by=Person.objects.get(code="clin-01")).startswith(b"%PDF")
