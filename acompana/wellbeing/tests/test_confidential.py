"""Wellbeing data: consent first, the path to care, and individual results seen only by the
worker herself and the clinician — every role against every wellbeing view."""

import logging
import re

import pytest
from django.core import mail
from django.urls import reverse

from acompana.audit.models import AuditEntry
from acompana.programs.models import Person
from acompana.wellbeing.models import Assessment, Referral
from acompana.wellbeing.services import (
    WellbeingError,
    do_give_consent,
    do_record_assessment,
    do_withdraw_consent,
)
from tests.support import ROLE_PEOPLE, run_worker

WORKER = ROLE_PEOPLE["acompanante"]  # ac-g01-02, in sup-01's group g01
PHQ9_ITEM9_ONLY = [0, 0, 0, 0, 0, 0, 0, 0, 1]


@pytest.fixture
def worker(ces):
    person = Person.objects.get(code=WORKER)
    do_give_consent(person=person, method="in-app", recorded_by=person)
    return person


def _answer_all(client, instrument, answers):
    for number, value in enumerate(answers, start=1):
        response = client.post(reverse("wellbeing:question", args=[instrument, number]),
                               {"answer": str(value)})
    return response


def test_no_assessment_without_consent_and_none_after_withdrawal(ces):
    person = Person.objects.get(code=WORKER)
    with pytest.raises(WellbeingError, match="no ha dado su consentimiento|has not given"):
        do_record_assessment(person=person, instrument="who5", wave="baseline",
                             responses=[3] * 5, mode="self", entered_by=person)
    do_give_consent(person=person, method="in-app", recorded_by=person)
    do_record_assessment(person=person, instrument="who5", wave="baseline",
                         responses=[3] * 5, mode="self", entered_by=person)
    do_withdraw_consent(person=person, by=person)
    with pytest.raises(WellbeingError):
        do_record_assessment(person=person, instrument="gad7", wave="baseline",
                             responses=[0] * 7, mode="self", entered_by=person)
    assert Assessment.objects.count() == 1


def test_consent_page_records_consent_only_when_she_agrees(ces, login_as, client):
    login_as(WORKER)
    response = client.post(reverse("wellbeing:consent"), {})
    assert response.status_code == 400
    client.post(reverse("wellbeing:consent"), {"agree": "yes"})
    consent = Person.objects.get(code=WORKER).consents.get()
    assert (consent.method, consent.notice_version) == ("in-app", "2023-06")


def test_self_assessment_one_question_per_screen_with_no_score_in_any_address(worker,
                                                                            login_as, client):
    login_as(WORKER)
    first = client.get(reverse("wellbeing:question", args=["who5", 1]))
    assert first["Cache-Control"] == "no-store"
    assert first.content.decode().count('name="answer"') == 6  # WHO-5: six options, one item
    response = _answer_all(client, "who5", [5, 4, 3, 2, 1])
    assert response.status_code == 302 and "?" not in response["Location"]
    assessment = Assessment.objects.get()
    assert (assessment.total, assessment.mode) == (60.0, "self")
    done = client.get(response["Location"])
    assert done["Cache-Control"] == "no-store"
    # her score is the clinician's unless shown (phone numbers may hold the digits)
    assert not re.search(r"(?<![\d ])60(?![\d ])", done.content.decode())


def test_item_9_opens_a_referral_at_once_and_tells_her_where_to_get_help(worker, login_as,
                                                                         client):
    login_as(WORKER)
    response = _answer_all(client, "phq9", PHQ9_ITEM9_ONLY)
    page = client.get(response["Location"]).content.decode()
    assert "No estás sola" in page and "800 911 2000" in page
    referral = Referral.objects.get()
    assert referral.reasons[0]["key"] == "self_harm_thoughts"


def test_clinician_is_emailed_and_works_the_referral_queue(transactional_db, worker, login_as,
                                                           client,
                                                           django_capture_on_commit_callbacks):
    clinician = login_as(ROLE_PEOPLE["clinician"])
    clinician.email = "clinica@example.org"  # her own contact details, as she keeps them
    clinician.save()
    with django_capture_on_commit_callbacks(execute=True):
        do_record_assessment(person=worker, instrument="phq9", wave="baseline",
                             responses=PHQ9_ITEM9_ONLY, mode="self", entered_by=worker)
    run_worker()  # the outbox's e-mail leaves from the background worker
    assert [m.to for m in mail.outbox] == [["clinica@example.org"]]
    assert "1" not in mail.outbox[0].subject  # the message names no answer or score
    queue = client.get(reverse("wellbeing:referrals")).content.decode()
    referral = Referral.objects.get()
    assert worker.name in queue
    client.post(reverse("wellbeing:referral", args=[referral.pk]),
                {"kind": "contact", "text": "Llamé por teléfono; cita el martes."})
    client.post(reverse("wellbeing:referral", args=[referral.pk]),
                {"kind": "closing", "text": "En seguimiento en el centro de salud."})
    referral.refresh_from_db()
    assert referral.status == "closed" and referral.notes.count() == 2


# Every role against every wellbeing page: 200 allowed, 403 not for the role.
PAGES = {
    "consent": ("wellbeing:consent", {}),
    "start": ("wellbeing:start", {}),
    "my results": ("wellbeing:my_results", {}),
    "person results": ("wellbeing:person_results", {"code": WORKER}),
    "paper entry": ("wellbeing:paper_entry", {"code": WORKER}),
    "referrals": ("wellbeing:referrals", {}),
    "audit": ("wellbeing:audit", {}),
    "group results": ("wellbeing:results", {}),
}
EXPECTED = {
    #             consent start my  person paper referrals audit group
    "coordinator": (403, 403, 403, 403, 403, 403, 403, 200),
    "supervisor": (403, 403, 403, 403, 403, 403, 403, 200),
    "facilitator": (403, 403, 403, 403, 403, 403, 403, 403),
    "clinician": (403, 403, 403, 200, 200, 200, 200, 200),
    "acompanante": (200, 200, 200, 403, 403, 403, 403, 403),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_every_role_against_every_wellbeing_page(role, worker, login_as, client):
    login_as(ROLE_PEOPLE[role])
    got = tuple(client.get(reverse(name, kwargs=kwargs)).status_code
                for name, kwargs in PAGES.values())
    assert got == EXPECTED[role], dict(zip(PAGES, got, strict=True))


def test_referral_is_never_visible_to_the_supervisor(worker, login_as, client):
    do_record_assessment(person=worker, instrument="phq9", wave="baseline",
                         responses=PHQ9_ITEM9_ONLY, mode="self", entered_by=worker)
    referral = Referral.objects.get()
    login_as(ROLE_PEOPLE["supervisor"])
    assert client.get(reverse("wellbeing:referral", args=[referral.pk])).status_code == 403
    for name, kwargs in [("home", {}), ("programs:group_detail", {"code": "g01"}),
                         ("programs:person_detail", {"code": WORKER}),
                         ("wellbeing:results", {})]:
        page = client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert "self_harm" not in page and "Canalizaci" not in page


def test_views_and_refusals_of_individual_results_are_audited_without_scores(worker,
                                                                            login_as, client):
    do_record_assessment(person=worker, instrument="who5", wave="baseline",
                         responses=[5, 5, 5, 5, 5], mode="self", entered_by=worker)
    login_as(ROLE_PEOPLE["clinician"])
    client.get(reverse("wellbeing:person_results", args=[WORKER]))
    login_as(ROLE_PEOPLE["supervisor"])
    client.get(reverse("wellbeing:person_results", args=[WORKER]))
    entries = list(AuditEntry.objects.filter(action="wellbeing:person_results")
                   .order_by("id").values_list("actor", "subject", "outcome"))
    assert entries == [("clin-01 (clinician)", WORKER, "allowed"),
                       ("sup-01 (supervisor)", WORKER, "refused")]
    # The WHO-5 of all fives scores 25 raw, 100 in percent: neither is in what was written.
    for entry in AuditEntry.objects.filter(action="wellbeing:person_results"):
        assert not {"25", "100"} & set(re.findall(r"\d+", f"{entry.target} {entry.changes}"))
    assert not AuditEntry.objects.filter(target__startswith="wellbeing.").exists()


def test_logs_never_hold_answers_or_scores(worker, login_as, client, caplog):
    """Sentinel values planted in answers, scores and notes never reach any log."""
    caplog.set_level(logging.DEBUG)
    login_as(WORKER)
    _answer_all(client, "phq9", [3, 3, 3, 3, 3, 3, 3, 3, 3])  # total 27: the sentinel
    login_as(ROLE_PEOPLE["clinician"])
    referral = Referral.objects.get()
    client.post(reverse("wellbeing:referral", args=[referral.pk]),
                {"kind": "contact", "text": "CENTINELA-7781"})
    client.get(reverse("wellbeing:person_results", args=[WORKER]))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "CENTINELA-7781" not in logged
    total = str(Assessment.objects.get().total)  # 27.0: the largest PHQ-9 score
    assert total not in logged and "severe" not in logged
    assert "'9': 3" not in logged and '"9": 3' not in logged


def test_clinician_types_a_paper_questionnaire_and_a_refusal_keeps_the_answers(worker,
                                                                              login_as,
                                                                              client):
    login_as(ROLE_PEOPLE["clinician"])
    url = reverse("wellbeing:paper_entry", args=[WORKER])
    form = {"instrument": "gad7", "wave": "baseline", "taken_on": "",
            **{f"item-{n}": "1" for n in range(1, 8)}}
    response = client.post(url, form)
    assert response.status_code == 400
    assert response.content.decode().count("checked") == 7
    response = client.post(url, form | {"taken_on": "2023-07-11"})
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.total, assessment.mode, assessment.band) == (7, "paper", "mild")
