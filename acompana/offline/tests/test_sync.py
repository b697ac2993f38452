"""The server's side of the phone's queue: each submission stored once, through the same service
and rules as online; nothing stored from a session that has ended."""

import json
import uuid

import pytest

from acompana.offline.models import DeviceKey, Submission
from acompana.offline.services import SubmissionRefused, do_receive_submission
from acompana.programs.models import Person
from acompana.wellbeing.models import Assessment, Referral
from acompana.wellbeing.services import do_give_consent

RISK = {str(n): 0 for n in range(1, 9)} | {"9": 2}


def _assessment(instrument="phq9", responses=RISK):
    return {"instrument": instrument, "responses": responses, "taken_on": "2023-07-20"}


@pytest.fixture
def ana(ces):
    person = Person.objects.get(code="ac-g01-02")
    do_give_consent(person=person, method="in-app", recorded_by=person)
    return person


def test_the_same_submission_sent_twice_is_stored_once(ana):
    """A retry (the phone lost the answer) gets the first answer and stores nothing more."""
    submission_id = str(uuid.uuid4())
    first = do_receive_submission(by=ana, submission_id=submission_id, kind="assessment",
                                  payload=_assessment())
    again = do_receive_submission(by=ana, submission_id=submission_id, kind="assessment",
                                  payload=_assessment())
    assert (first.pk, first.status) == (again.pk, "accepted")
    assessment = Assessment.objects.get(person=ana)
    assert (assessment.total, assessment.taken_on.isoformat()) == (2, "2023-07-20")
    # The risk answer opened the referral through the wellbeing service, once.
    assert Referral.objects.filter(person=ana, status="open").count() == 1
    assert first.outcome == {"assessment": assessment.pk, "referral": True}


def test_consent_and_one_per_wave_apply_at_sync_as_online(ana):
    do_receive_submission(by=ana, submission_id=str(uuid.uuid4()), kind="assessment",
                          payload=_assessment())
    second = do_receive_submission(by=ana, submission_id=str(uuid.uuid4()),
                                   kind="assessment", payload=_assessment())
    assert second.status == "refused"
    assert second.message == "Este cuestionario ya se respondió en esta medición."
    other = Person.objects.get(code="ac-g01-03")  # never gave consent
    refused = do_receive_submission(by=other, submission_id=str(uuid.uuid4()),
                                    kind="assessment", payload=_assessment())
    assert refused.status == "refused" and "consentimiento" in refused.message
    assert Assessment.objects.count() == 1


def test_another_persons_submission_id_is_refused(ana):
    submission_id = str(uuid.uuid4())
    do_receive_submission(by=ana, submission_id=submission_id, kind="assessment",
                          payload=_assessment())
    with pytest.raises(SubmissionRefused, match="otra persona"):
        do_receive_submission(by=Person.objects.get(code="ac-g01-03"),
                              submission_id=submission_id, kind="assessment",
                              payload=_assessment())


def test_a_sync_from_an_ended_session_stores_nothing(ana, client):
    """Logged out (or expired): the server answers with the login page and stores nothing; the
    phone keeps the submission for the next login."""
    response = client.post("/app/enviar/", json.dumps({
        "id": str(uuid.uuid4()), "kind": "assessment", "payload": _assessment()}),
        content_type="application/json")
    assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"]
    assert not Submission.objects.exists() and not Assessment.objects.exists()


def test_keys_are_given_only_to_their_person(ana, login_as, client):
    login_as("ac-g01-02")
    mine = client.get("/app/clave/").json()
    assert mine["key_id"] == client.get("/app/clave/").json()["key_id"]  # one per session
    login_as("ac-g01-03")
    theirs = client.get("/app/clave/", {"tengo": mine["key_id"]}).json()
    assert theirs["keys"] == {} and theirs["key_id"] != mine["key_id"]
    login_as("ac-g01-02")
    again = client.get("/app/clave/", {"tengo": mine["key_id"]}).json()
    assert again["keys"] == {mine["key_id"]: mine["key"]}
    assert DeviceKey.objects.filter(person=ana).count() == 2  # a new login, a new key


def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["scope"] == "/" and manifest["display"] == "standalone"
