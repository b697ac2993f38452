"""An Acompañante answers a questionnaire on a phone with no signal; the answers wait on the phone,
encrypted, and arrive once when the signal returns; the next person on the phone cannot read them.
"""

import time

import pytest

from acompana import policy
from acompana.accounts.services import do_create_account
from acompana.programs.models import Person
from acompana.wellbeing.models import Assessment, Referral
from acompana.wellbeing.services import do_give_consent

pytestmark = pytest.mark.browser
PASSWORD = "una-clave-larga-1"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def workers(transactional_db, live_server):
    from acompana.programs.services import do_load_program
    from tests.support import CES

    do_load_program(location=CES, by=policy.OPERATOR)
    people = []
    for code, username in (("ac-g01-02", "ana"), ("ac-g01-03", "berta")):
        person = Person.objects.get(code=code)
        do_create_account(person=person, username=username, password=PASSWORD, by=policy.OPERATOR)
        do_give_consent(person=person, method="in-app", recorded_by=person)
        people.append(person)
    return people


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="es-MX")
    yield context
    context.close()


def log_in(page, live_server, username):
    page.goto(live_server.url + "/cuenta/entrar/")
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_load_state("networkidle")


def log_out(page):
    page.get_by_role("button", name="Menú").click()
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_url("**/cuenta/entrar/**")
    page.wait_for_load_state("networkidle")


def kept_for_offline(page, path):
    """Wait until the service worker keeps the page and this login's key is on the phone."""
    page.wait_for_function("""async (path) => {
        const cache = await caches.open("acompana-pages");
        if (!(await cache.match(path))) return false;
        const [items, keys] = await window.AcompanaQueue.dump();
        return keys.some((k) => k.current);
    }""", arg=path, timeout=20000)


def answer_phq9(page, answers):
    from tests.browser.test_phone_layout import PROBLEMS_JS

    page.get_by_role("button", name="Cuestionario sobre la Salud del Paciente (PHQ-9)").click()
    for number, value in enumerate(answers, start=1):
        assert page.get_by_text(f"pregunta {number} de 9").is_visible()
        if number == 1:  # the phone's own question screen fits 360 px too
            assert page.evaluate(PROBLEMS_JS) == []
        page.locator(f"#question-options input[value='{value}']").check()
        page.get_by_role("button", name="Siguiente").click()


def wait_for(condition, seconds=45):
    """Poll the database until the condition holds (the server writes in its own thread; the
    in-memory SQLite of the tests answers "locked" meanwhile)."""
    from django.db import OperationalError

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass
        time.sleep(0.2)
    return condition()


def open_questionnaires_then_lose_signal(page, live_server, phone) -> None:
    """Ana opens her questionnaires with signal (the phone keeps the page), then loses it."""
    log_in(page, live_server, "ana")
    page.goto(live_server.url + "/bienestar/responder/")
    kept_for_offline(page, "/bienestar/responder/")
    phone.set_offline(True)
    page.reload()


def test_answered_offline_arrives_once_when_the_signal_returns(workers, live_server, phone):
    ana = workers[0]
    page = phone.new_page()
    open_questionnaires_then_lose_signal(page, live_server, phone)
    answer_phq9(page, [0, 0, 0, 0, 0, 0, 0, 0, 1])
    # A risk answer: the help numbers at once, with no signal.
    page.get_by_role("heading", name="No estás sola").wait_for()
    assert page.get_by_text("800 911 2000").first.is_visible()
    # Encrypting and keeping take a moment on a busy phone: wait for the queue to say so.
    page.get_by_text("1 envío pendiente").wait_for()
    page.close()
    assert not Assessment.objects.filter(person=ana).exists()

    phone.set_offline(False)
    page = phone.new_page()
    page.goto(live_server.url + "/")
    assert wait_for(lambda: Assessment.objects.filter(person=ana).exists())
    page.wait_for_function("() => document.getElementById('pending').hidden")
    page.reload()
    page.wait_for_load_state("networkidle")
    assessment = Assessment.objects.get(person=ana)
    assert (assessment.instrument, assessment.total, assessment.mode) == ("phq9", 1, "self")
    assert Referral.objects.filter(person=ana, status="open").count() == 1


def test_the_next_person_on_the_phone_cannot_read_what_waits(workers, live_server, phone):
    ana, berta = workers
    page = phone.new_page()
    open_questionnaires_then_lose_signal(page, live_server, phone)
    answer_phq9(page, [2, 1, 0, 3, 0, 0, 1, 0, 0])
    phone.set_offline(False)
    # Ana's session ends on the server before the phone sends (she logs out elsewhere).
    page.route("**/app/enviar/", lambda route: route.abort())
    page.goto(live_server.url + "/")
    log_out(page)
    page.unroute("**/app/enviar/")

    log_in(page, live_server, "berta")
    page.goto(live_server.url + "/bienestar/responder/")
    kept_for_offline(page, "/bienestar/responder/")
    assert page.get_by_text("Alguien más dejó envíos en este teléfono").is_visible()
    # Berta (or anyone on the phone) finds Ana's submission, but no key opens it.
    found = page.evaluate("""async () => {
        const [items, keys] = await window.AcompanaQueue.dump();
        const opened = [];
        for (const item of items) for (const k of keys) {
            try { await crypto.subtle.decrypt({name: "AES-GCM", iv: item.iv}, k.key, item.data);
                  opened.push(item.id); } catch (e) {}
        }
        const asked = await fetch("/app/clave/?tengo=" + items.map((i) => i.key_id).join(","));
        return {items: items.length, opened, keys: Object.keys((await asked.json()).keys)};
    }""")
    assert found == {"items": 1, "opened": [], "keys": []}
    assert not Assessment.objects.filter(person__in=workers).exists()

    # Ana logs in again on the phone: her answers are opened and arrive, once.
    log_out(page)
    log_in(page, live_server, "ana")
    assert wait_for(lambda: Assessment.objects.filter(person=ana).count() == 1)
    assert not Assessment.objects.filter(person=berta).exists()


def test_a_sync_after_the_session_expired_waits_for_the_next_login(workers, live_server, phone):
    """The server refuses a sync from an ended session; the phone keeps the answers and sends
    them after the same person logs in again."""
    from django.contrib.sessions.models import Session

    ana = workers[0]
    page = phone.new_page()
    open_questionnaires_then_lose_signal(page, live_server, phone)
    answer_phq9(page, [1, 1, 1, 1, 1, 1, 1, 1, 0])
    Session.objects.all().delete()  # her session expires while the phone has no signal
    phone.set_offline(False)
    page.evaluate("() => window.AcompanaQueue.sync()")
    assert page.evaluate("async () => (await window.AcompanaQueue.dump())[0].length") == 1
    page.get_by_text("1 envío pendiente").wait_for()
    assert not Assessment.objects.filter(person=ana).exists()

    log_in(page, live_server, "ana")
    assert wait_for(lambda: Assessment.objects.filter(person=ana).count() == 1)
    assert Assessment.objects.get(person=ana).total == 8
