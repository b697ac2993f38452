"""The clinician opens Acompaña on her phone, finds the urgent referral at the top of her home,
and marks it contacted with one tap."""

import pytest

from acompana import policy
from acompana.accounts.services import do_create_account
from acompana.programs.models import Person
from acompana.wellbeing.services import do_give_consent, do_record_assessment

pytestmark = pytest.mark.browser
PASSWORD = "una-clave-larga-1"


@pytest.fixture
def referrals(transactional_db, live_server):
    from acompana.programs.services import do_load_program
    from tests.support import CES

    do_load_program(location=CES, by=policy.OPERATOR)
    do_create_account(person=Person.objects.get(code="clin-01"), username="dolores",
                      password=PASSWORD, by=policy.OPERATOR)
    opened = {}
    for code, answers in (("ac-g01-03", [3, 3, 3, 3, 3, 2, 0, 0, 0]),
                          ("ac-g01-04", [0, 0, 0, 0, 0, 0, 0, 0, 2])):
        person = Person.objects.get(code=code)
        person.phone = "+52 963 123 4567"
        person.save()
        do_give_consent(person=person, method="in-app", recorded_by=person)
        opened[code] = do_record_assessment(person=person, instrument="phq9", wave="baseline",
                                            responses=answers, mode="self",
                                            entered_by=person)[1]
    return opened


def test_clinician_acknowledges_the_most_urgent_referral_with_one_tap(referrals, live_server,
                                                                       page):
    risk = referrals["ac-g01-04"]
    page.goto(live_server.url)
    page.get_by_label("Nombre de usuario").fill("dolores")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 2
    first = rows.first
    assert first.get_attribute("data-referral") == str(risk.pk)  # the risk answer on top
    assert "respuesta de riesgo" in first.inner_text()
    assert first.get_by_role("link", name="Llamar").get_attribute("href") == "tel:+529631234567"
    first.get_by_role("button", name="Contactada").click()
    page.wait_for_url(f"{live_server.url}/")
    row = page.locator(f'tr[data-referral="{risk.pk}"]')
    assert "contactada hace" in row.inner_text()
    assert row.get_by_role("button", name="Contactada").count() == 0
    risk.refresh_from_db()
    assert risk.acknowledged_by.code == "clin-01" and risk.status == "contacted"
