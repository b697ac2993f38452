"""Alerts leave through the outbox: a risk answer writes its rows in the same request, the worker
sends them as each provider documents, retries timeouts and server errors with back-off, and a
provider's failure never loses the worker's answers."""

import base64
import datetime as dt
import json
import urllib.parse

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from acompana.alerts.models import OutboxMessage
from acompana.alerts.services import MAX_ATTEMPTS, deliver_due_alerts
from acompana.alerts.tests.provider_server import ProviderServer
from acompana.audit.models import AuditEntry
from acompana.programs.models import Person
from acompana.wellbeing.models import Assessment, Referral
from acompana.wellbeing.services import do_give_consent
from tests.support import ROLE_PEOPLE

WORKER = ROLE_PEOPLE["acompanante"]
PHQ9_ITEM9 = [0, 0, 0, 0, 0, 0, 0, 0, 2]  # "más de la mitad de los días"
TWILIO_SID, TWILIO_TOKEN = "AC0123456789abcdef", "secreto-sms"
WHATSAPP_TOKEN, PHONE_NUMBER_ID = "EAAG-secreto", "106540352242922"


@pytest.fixture
def provider():
    server = ProviderServer()
    yield server
    server.stop()


@pytest.fixture
def sms(settings, provider):
    provider.answers = [(201, {"sid": "SM123", "status": "queued"}, 0)]
    settings.ACOMPANA_SMS = {"base_url": provider.start(), "account_sid": TWILIO_SID,
                             "auth_token": TWILIO_TOKEN, "from": "+15005550006"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # SMS alone
    settings.ACOMPANA_ALERT_TIMEOUT = 0.5
    return provider


@pytest.fixture
def whatsapp(settings, provider):
    provider.answers = [(200, {"messaging_product": "whatsapp",
                               "contacts": [{"input": "529630000001", "wa_id": "529630000001"}],
                               "messages": [{"id": "wamid.HBgM"}]}, 0)]
    settings.ACOMPANA_WHATSAPP = {"base_url": provider.start(), "version": "v21.0",
                                  "phone_number_id": PHONE_NUMBER_ID, "token": WHATSAPP_TOKEN,
                                  "template": "alerta_acompana", "language": "es_MX"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.ACOMPANA_ALERT_TIMEOUT = 0.5
    return provider


@pytest.fixture
def worker(ces):
    person = Person.objects.get(code=WORKER)
    do_give_consent(person=person, method="in-app", recorded_by=person)
    return person


def answer_phq9(client, answers):
    for number, value in enumerate(answers, start=1):
        response = client.post(reverse("wellbeing:question", args=["phq9", number]),
                               {"answer": str(value)})
    return response


def test_a_risk_answer_writes_its_outbox_row_and_the_sms_goes_as_twilio_documents(
        worker, login_as, client, sms, django_capture_on_commit_callbacks):
    login_as(WORKER)
    with django_capture_on_commit_callbacks(execute=True):
        answer_phq9(client, PHQ9_ITEM9)
    row = OutboxMessage.objects.get()  # written by the same request
    assert (row.channel, row.status, row.recipient.code) == ("sms", "pending", "clin-01")
    assert deliver_due_alerts() == 1
    request = sms.received[0]
    assert request.path == f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(
        f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
    form = urllib.parse.parse_qs(request.body.decode())
    assert form["To"] == ["+529630000001"] and form["From"] == ["+15005550006"]
    assert "Acompaña" in form["Body"][0]
    assert worker.name not in form["Body"][0] and "9" not in form["Body"][0].replace(
        str(row.about.split("#")[1]), "")  # no name, no answer, only the referral's number
    row.refresh_from_db()
    assert (row.status, row.provider_id) == ("sent", "SM123")
    entry = AuditEntry.objects.get(action="alert.sent")
    assert "963" not in json.dumps(entry.changes) and entry.subject == ""


def test_whatsapp_goes_as_the_cloud_api_documents(worker, login_as, client, whatsapp):
    login_as(WORKER)
    answer_phq9(client, PHQ9_ITEM9)
    assert deliver_due_alerts() == 1
    request = whatsapp.received[0]
    assert request.path == f"/v21.0/{PHONE_NUMBER_ID}/messages"
    assert request.headers["Authorization"] == f"Bearer {WHATSAPP_TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    payload = json.loads(request.body)
    assert payload["messaging_product"] == "whatsapp" and payload["to"] == "529630000001"
    assert payload["type"] == "template"
    assert payload["template"]["name"] == "alerta_acompana"
    assert payload["template"]["language"] == {"code": "es_MX"}
    assert OutboxMessage.objects.get().provider_id == "wamid.HBgM"


@pytest.mark.parametrize("failure", [(500, {"code": 20500}, 0), (200, {}, 2)],
                         ids=["server-error", "timeout"])
def test_a_failing_provider_keeps_the_answers_and_the_alert_is_retried_with_back_off(
        worker, login_as, client, sms, failure):
    sms.answers = [failure, failure, (201, {"sid": "SM9"}, 0)]
    login_as(WORKER)
    response = answer_phq9(client, PHQ9_ITEM9)
    assert response.status_code == 302  # her request never waits for, or fails with, the SMS
    assert Assessment.objects.filter(person=worker, instrument="phq9").exists()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert deliver_due_alerts() == 0
        row = OutboxMessage.objects.get()
        assert (row.status, row.attempts) == ("pending", 1)
        assert row.next_attempt_at == start + dt.timedelta(minutes=1)
        assert deliver_due_alerts() == 0  # not due yet: nothing is sent early
        clock.shift(dt.timedelta(minutes=1))
        deliver_due_alerts()
        row.refresh_from_db()
        assert row.next_attempt_at == timezone.now() + dt.timedelta(minutes=2)  # doubled
        clock.shift(dt.timedelta(minutes=2))
        assert deliver_due_alerts() == 1
    assert OutboxMessage.objects.get().status == "sent"
    assert AuditEntry.objects.filter(action="alert.failed").count() == 2


def test_a_refused_number_is_not_retried_and_after_the_last_attempt_it_gives_up(
        worker, login_as, client, sms):
    sms.answers = [(400, {"code": 21211, "message": "Invalid 'To' Phone Number"}, 0)]
    login_as(WORKER)
    answer_phq9(client, PHQ9_ITEM9)
    deliver_due_alerts()
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "HTTP 400")
    assert AuditEntry.objects.filter(action="alert.gave-up").exists()
    assert MAX_ATTEMPTS > 1


def test_email_goes_through_djangos_mail_settings(worker, login_as, client):
    Person.objects.filter(code="clin-01").update(email="clinica@example.org")
    login_as(WORKER)
    answer_phq9(client, PHQ9_ITEM9)
    assert deliver_due_alerts() == 1
    assert mail.outbox[0].to == ["clinica@example.org"]
    assert worker.name not in mail.outbox[0].body
def test_with_no_provider_no_row_is_queued_and_the_referral_waits_on_the_clinicians_home(
        worker, login_as, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    login_as(WORKER)
    answer_phq9(client, PHQ9_ITEM9)
    assert not OutboxMessage.objects.exists()
    referral = Referral.objects.get()
    assert referral.urgency == "item9"
    login_as("clin-01")
    home = client.get(reverse("home")).content.decode()
    assert reverse("wellbeing:referral", args=[referral.pk]) in home
