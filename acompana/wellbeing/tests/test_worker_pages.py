"""What the worker reads about herself: no score and no clinical label by default, kind words
about how she is compared with before, where to call; after a risk answer the finish page leads
with 'Call now' and promises only what the outbox really did."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from acompana.alerts.models import OutboxMessage
from acompana.alerts.services import deliver_due_alerts
from acompana.alerts.tests.provider_server import ProviderServer
from acompana.domain.instruments import INSTRUMENTS
from acompana.programs.models import Person, Program
from acompana.wellbeing.models import Referral
from acompana.wellbeing.selectors import battery
from acompana.wellbeing.services import do_give_consent, do_record_assessment
from tests.support import ROLE_PEOPLE

WORKER = ROLE_PEOPLE["acompanante"]
PHQ9_ITEM9 = [0, 0, 0, 0, 0, 0, 0, 0, 2]
HARDEST = {"who5": [0] * 5, "pss4": [4, 0, 0, 4], "phq9": [3] * 9, "gad7": [3] * 7}


@pytest.fixture
def worker(ces, login_as):
    person = login_as(WORKER)
    do_give_consent(person=person, method="in-app", recorded_by=person)
    return person


def _answer(client, instrument, answers):
    for number, value in enumerate(answers, start=1):
        response = client.post(reverse("wellbeing:question", args=[instrument, number]),
                               {"answer": str(value)})
    return response


def _text(response) -> str:
    """The page as she reads it: tags and scripts out, entities decoded."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _band_labels() -> set[str]:
    return {text for instrument in INSTRUMENTS.values() for band in instrument.bands
            for text in (band.label.es, band.label.en)}


def test_her_pages_never_show_a_band_name_or_a_score(worker, client):
    """Every questionnaire of the wave answered at its hardest, then every page of hers read,
    in Spanish and English, for every band name of every instrument."""
    for instrument in battery(worker, "baseline"):
        _answer(client, instrument, HARDEST[instrument])
    # Later waves (the same answers a season on) so her page compares with before.
    for instrument in ("who5", "phq9"):
        do_record_assessment(person=worker, instrument=instrument, wave="midline",
                             responses=[5] * 5 if instrument == "who5" else [0] * 9,
                             mode="self", entered_by=worker)
    pages = ["home", "wellbeing:start", "wellbeing:done", "wellbeing:my_results",
             "wellbeing:consent"]
    for lang in ("es", "en"):
        client.post(reverse("set_language"), {"language": lang})
        for name in pages:
            text = _text(client.get(reverse(name)))
            for label in _band_labels():
                assert not re.search(rf"\b{re.escape(label)}\b", text, re.I), (lang, name, label)
            assert "27" not in text and "Puntaje" not in text and "score" not in text.lower()
        text = _text(client.get(reverse("wellbeing:my_results")))
        assert "mejor que" in text or "better than" in text  # WHO-5 went from 0 to 100


def test_a_program_may_choose_to_show_her_scores(worker, client):
    program = Program.objects.get(code="ces")
    program.care = program.care | {"show_scores_to_worker": True}
    program.save()
    _answer(client, "who5", [5] * 5)
    assert "100" in _text(client.get(reverse("wellbeing:my_results")))


def test_after_a_risk_answer_the_page_leads_with_call_now_and_only_says_what_is_true(
        worker, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # no provider
    done = client.get(_answer(client, "phq9", PHQ9_ITEM9).url)
    html = done.content.decode()
    assert html.index('id="call-now"') < html.index('id="who-will-call"')
    assert 'href="tel:8009112000"' in html and 'href="tel:+529630000000"' in html
    with translation.override("es"):
        assert "Llama ahora" in html
    said = _text(done).split("¿Dónde")[0]
    assert "4 horas" in said and "Clínica de Salud Mental CES" in said
    assert "mensaje" not in said.split("lista")[0]  # nothing was sent: no message is claimed
    assert "lista de casos urgentes" in said
    assert 'class="button primary" href="/bienestar/cuestionarios/"' not in html


@pytest.fixture
def sms(settings):
    server = ProviderServer(answers=[(201, {"sid": "SM1"}, 0)])
    settings.ACOMPANA_SMS = {"base_url": server.start(), "account_sid": "AC1",
                             "auth_token": "t", "from": "+15005550006"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.ACOMPANA_ALERT_TIMEOUT = 0.5
    yield server
    server.stop()


def test_the_promise_follows_the_outbox_being_sent_then_sent_then_failed(worker, client, sms):
    done_url = _answer(client, "phq9", PHQ9_ITEM9).url
    page = client.get(done_url)
    assert "Se está enviando" in _text(page) or "being sent" in _text(page)
    assert b'http-equiv="refresh"' in page.content  # it updates itself until it has gone
    deliver_due_alerts()
    page = _text(client.get(done_url))
    assert "SMS" in page and ("se envió un mensaje" in page or "sent a message" in page)
    OutboxMessage.objects.update(status=OutboxMessage.Status.FAILED)
    page = _text(client.get(done_url))
    assert "SMS" not in page and "lista de casos urgentes" in page


def test_a_typed_paper_questionnaire_with_item9_opens_the_same_urgent_referral(ces, login_as,
                                                                              client):
    member = Person.objects.get(code=WORKER)
    do_give_consent(person=member, method="signed-paper", recorded_by=member)
    login_as("clin-01")
    answers = {f"item-{n}": str(v) for n, v in enumerate(PHQ9_ITEM9, start=1)}
    response = client.post(reverse("wellbeing:paper_entry", args=[WORKER]), {
        "instrument": "phq9", "wave": "baseline", "taken_on": "2023-07-11", **answers})
    assert response.status_code == 302
    referral = Referral.objects.get(person=member)
    assert referral.urgency == "item9" and referral.contact_due_at is not None
    assert f'data-referral="{referral.pk}"' in client.get(reverse("home")).content.decode()
