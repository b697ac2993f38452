"""Instruments as FHIR R4 Questionnaires, and a person's answers as QuestionnaireResponses.

A clinic's record system reads these: each Questionnaire carries the instrument's LOINC panel
code and its items' codes where LOINC has them (PHQ-9 44249-1, GAD-7 69737-5, from LOINC's
PHQ-SADS panel 69729-2); WHO-5, PSS and CBI have no LOINC panel and are identified by their
canonical URL alone. Every resource is validated with fhir.resources (R4B, which R4 systems
read) before it leaves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from acompana.domain.instruments.model import Instrument
from acompana.domain.instruments.registry import get_instrument
from acompana.domain.instruments.xlsform import item_field

LOINC = "http://loinc.org"
CANONICAL = "https://acompana.org/fhir/Questionnaire"
PERSON_IDENTIFIER = "urn:acompana:person"
# LOINC's panel and total-score terms (code, display) and item codes in item order, as in
# LOINC's PHQ-SADS panel 69729-2.
LOINC_CODES: Mapping[str, tuple[tuple[str, str], tuple[str, str], tuple[str, ...]]] = {
    "phq9": (("44249-1", "PHQ-9 quick depression assessment panel"),
             ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
             ("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5",
              "44253-3", "44260-8")),
    "gad7": (("69737-5", "Generalized anxiety disorder 7 item (GAD-7)"),
             ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score "
                         "[Reported.PHQ]"),
             ("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7")),
}


def _answers_system(instrument: Instrument, option_set: str) -> str:
    return f"{CANONICAL}/{instrument.id}/answers/{option_set}"


def _coding(code: str, display: str = "") -> list[dict]:
    return [{"system": LOINC, "code": code} | ({"display": display} if display else {})]


def questionnaire(instrument_id: str, version: str = "1") -> dict:
    """The instrument as a FHIR Questionnaire (Spanish text, scored values as answer codes)."""
    instrument = get_instrument(instrument_id)
    panel, total, item_codes = LOINC_CODES.get(instrument.id, (None, None, ()))
    items = []
    for position, item in enumerate(instrument.items):
        entry = {"linkId": item_field(instrument, item.number),
                 "prefix": f"{item.number}.", "text": item.text.es, "type": "choice",
                 "required": False, "answerOption": [
                     {"valueCoding": {"system": _answers_system(instrument, item.options),
                                      "code": str(option.value), "display": option.label.es}}
                     for option in instrument.option_sets[item.options]]}
        if position < len(item_codes):
            entry["code"] = _coding(item_codes[position])
        items.append(entry)
    score = {"linkId": f"{instrument.id}_total", "text": "Puntuación total",
             "type": "decimal", "readOnly": True}
    if total:
        score["code"] = _coding(*total)
    resource = {
        "resourceType": "Questionnaire", "id": f"acompana-{instrument.id}",
        "url": f"{CANONICAL}/{instrument.id}", "version": version,
        "name": instrument.id.upper(), "title": instrument.name.es, "status": "active",
        "language": "es", "subjectType": ["Patient"],
        "description": instrument.instructions.es, "item": [*items, score]}
    if panel:
        resource["code"] = _coding(*panel)
    return Questionnaire.model_validate(resource).model_dump(mode="json", exclude_none=True)


def questionnaire_response(*, instrument_id: str, answers: Mapping[int, int | None],
                           total: float | None, taken_on: dt.date, person_code: str,
                           person_name: str, response_id: str) -> dict:
    """One completed questionnaire: each answered item with its coded answer, and the total."""
    instrument = get_instrument(instrument_id)
    items = []
    for item in instrument.items:
        value = answers.get(item.number)
        entry: dict = {"linkId": item_field(instrument, item.number), "text": item.text.es}
        if value is not None:
            option = next(option for option in instrument.option_sets[item.options]
                          if option.value == value)
            entry["answer"] = [{"valueCoding": {
                "system": _answers_system(instrument, item.options), "code": str(value),
                "display": option.label.es}}]
        items.append(entry)
    if total is not None:
        items.append({"linkId": f"{instrument.id}_total", "text": "Puntuación total",
                      "answer": [{"valueDecimal": total}]})
    resource = {
        "resourceType": "QuestionnaireResponse", "id": response_id,
        "questionnaire": f"{CANONICAL}/{instrument.id}", "status": "completed",
        "subject": {"identifier": {"system": PERSON_IDENTIFIER, "value": person_code},
                    "display": person_name},
        "authored": taken_on.isoformat(), "item": items}
    return QuestionnaireResponse.model_validate(resource).model_dump(mode="json",
                                                                     exclude_none=True)


def bundle(resources: list[dict], bundle_id: str) -> dict:
    """Resources together, as one FHIR collection Bundle (validated)."""
    from fhir.resources.R4B.bundle import Bundle

    return Bundle.model_validate({
        "resourceType": "Bundle", "id": bundle_id, "type": "collection",
        "entry": [{"resource": resource} for resource in resources]}).model_dump(
        mode="json", exclude_none=True)
