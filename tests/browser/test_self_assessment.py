"""An Acompañante answers a questionnaire on a phone, one large question per screen."""

import pytest

from acompana import policy
from acompana.accounts.services import do_create_account
from acompana.programs.models import Person
from acompana.wellbeing.models import Assessment, Referral

pytestmark = pytest.mark.browser
PASSWORD = "una-clave-larga-1"


@pytest.fixture
def worker(transactional_db, live_server):
    from acompana.programs.services import do_load_program
    from tests.support import CES

    do_load_program(by=policy.OPERATOR, location=CES)
    person = Person.objects.get(code="ac-g01-02")
    do_create_account(by=policy.OPERATOR, person=person, username="ana", password=PASSWORD)
    return person


def test_self_assessment_from_consent_to_the_path_to_care(worker, live_server, page):
    page.goto(live_server.url)
    page.get_by_label("Nombre de usuario").fill("ana")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_role("button", name="Menú").click()  # on a phone the menu folds into a button
    page.get_by_role("link", name="¿Cómo estás?").first.click()
    # Consent comes first, and nothing is stored without it.
    page.get_by_role("button", name="Acepto").click()
    assert page.get_by_role("alert").is_visible()
    page.get_by_label("Leí (o escuché) el aviso y acepto responder.").check()
    page.get_by_role("button", name="Acepto").click()
    page.get_by_role("link", name="Tu ánimo").click()
    answers = [0, 0, 0, 0, 0, 0, 0, 0, 1]
    for number, value in enumerate(answers, start=1):
        assert page.get_by_text(f"pregunta {number} de 9").is_visible()
        assert page.get_by_role("button", name="Leer la pregunta en voz alta").is_visible()
        page.locator(f"input[name=answer][value='{value}']").check()
        page.get_by_role("button", name="Siguiente").click()
    assert page.get_by_role("heading", name="Llama ahora").is_visible()
    assert page.get_by_role("heading", name="No estás sola").is_visible()
    assert page.get_by_role("link", name="Línea de la Vida: 800 911 2000").is_visible()
    assert "?" not in page.url
    assessment = Assessment.objects.get(person=worker)
    assert (assessment.instrument, assessment.total) == ("phq9", 1)
    assert Referral.objects.filter(person=worker, status="open").exists()
