"""FHIR: each instrument a Questionnaire with its LOINC codes, a person's answers a Bundle of
QuestionnaireResponses that only the clinician may take, every export audited."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from acompana.audit.models import AuditEntry
from acompana.domain.instruments import INSTRUMENTS
from acompana.domain.instruments.fhir import questionnaire
from acompana.policy import Refused
from acompana.programs.models import Person
from acompana.wellbeing.services import (
    do_export_fhir_responses,
    do_give_consent,
    do_record_assessment,
)


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_every_instrument_is_a_valid_fhir_questionnaire(instrument_id):
    document = questionnaire(instrument_id)
    parsed = Questionnaire.model_validate(document)
    assert parsed.url.endswith(f"/{instrument_id}")
    assert len(parsed.item) == len(INSTRUMENTS[instrument_id].items) + 1  # and the total


@pytest.mark.parametrize("instrument_id, panel, first_item, total", [
    ("phq9", "44249-1", "44250-9", "44261-6"), ("gad7", "69737-5", "69725-0", "70274-6")])
def test_loinc_codes_where_loinc_has_the_instrument(instrument_id, panel, first_item, total):
    document = questionnaire(instrument_id)
    assert document["code"][0] == {"system": "http://loinc.org", "code": panel,
                                   "display": document["code"][0]["display"]}
    assert document["item"][0]["code"][0]["code"] == first_item
    assert document["item"][-1]["code"][0]["code"] == total


@pytest.fixture
def answered(ces):
    person = Person.objects.get(code="ac-g01-02")
    do_give_consent(person=person, method="signed-paper", recorded_by=person)
    do_record_assessment(person=person, instrument="gad7", wave="baseline",
                         responses={1: 1, 2: 1, 3: 0, 4: 2, 5: None, 6: 1, 7: 0}, mode="paper",
                         entered_by=Person.objects.get(code="clin-01"))
    return person


def test_the_clinician_exports_her_answers_as_valid_questionnaire_responses(answered):
    document = do_export_fhir_responses(person=answered,
                                        by=Person.objects.get(code="clin-01"))
    (entry,) = Bundle.model_validate(document).entry
    response = entry.resource
    assert response.questionnaire.endswith("/gad7") and response.status == "completed"
    answers = {item.linkId: item.answer for item in response.item}
    assert answers["gad7_1"][0].valueCoding.code == "1" and answers["gad7_5"] is None
    assert AuditEntry.objects.filter(subject="wellbeing.do_export_fhir_responses",
                                     target="ac-g01-02", outcome="allowed").exists()


@pytest.mark.parametrize("code", ["coord-01", "sup-01", "ac-g01-02"])
def test_nobody_else_may_export_her_answers(answered, code):
    with pytest.raises(Refused):
        do_export_fhir_responses(person=answered, by=Person.objects.get(code=code))
    assert AuditEntry.objects.filter(subject="wellbeing.do_export_fhir_responses",
                                     outcome="refused").exists()


def test_the_command_writes_the_bundle_and_refuses_a_coordinator(answered, tmp_path):
    out = tmp_path / "alicia.json"
    call_command("fhir", "responses", "ac-g01-02", "--by", "clin-01", "--out", str(out))
    assert json.loads(out.read_text())["resourceType"] == "Bundle"
    with pytest.raises(CommandError, match="clínica de salud mental"):
        call_command("fhir", "responses", "ac-g01-02", "--by", "coord-01")


def test_the_clinicians_download_page(answered, login_as, client):
    login_as("clin-01")
    response = client.get("/bienestar/resultados/persona/ac-g01-02/fhir.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    Bundle.model_validate(json.loads(response.content))
    login_as("coord-01")
    assert client.get("/bienestar/resultados/persona/ac-g01-02/fhir.json").status_code == 403
