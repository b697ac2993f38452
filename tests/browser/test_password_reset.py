"""A password chosen by the person herself, with the one-time link the coordination gave her,
on a 360-pixel phone in a real browser."""

import pytest

from acompana import policy
from acompana.accounts.services import do_create_account
from acompana.programs.models import Person

pytestmark = pytest.mark.browser
COORDINATOR_PASSWORD = "una-clave-larga-1"
HER_PASSWORD = "la-mia-solamente-5"


@pytest.fixture
def coordination(transactional_db, live_server):
    from acompana.programs.services import do_load_program
    from tests.support import CES

    do_load_program(by=policy.OPERATOR, location=CES)
    do_create_account(by=policy.OPERATOR, person=Person.objects.get(code="coord-01"),
                      username="coord-01", password=COORDINATOR_PASSWORD)


def _log_in(page, url, username, password):
    page.goto(url)
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()


def test_the_supervisor_chooses_her_password_with_the_link_she_was_given(
        coordination, live_server, browser, page):
    _log_in(page, live_server.url, "coord-01", COORDINATOR_PASSWORD)
    menu = page.get_by_role("button", name="Menú")
    if menu.is_visible():  # on a narrow window the menu folds into a button
        menu.click()
    page.locator("summary", has_text="Programa").click()  # accounts are in the program section
    page.get_by_role("link", name="Cuentas", exact=True).click()
    page.get_by_role("link", name="Angélica Cruz Villatoro").click()
    page.get_by_label("Nombre de usuario").fill("angelica")
    page.get_by_role("button", name="Dar acceso").click()
    link = page.get_by_label("Enlace para elegir contraseña").input_value()
    assert "/cuenta/nueva-clave/" in link

    # Her own phone: 360 pixels wide, nobody logged in.
    phone = browser.new_context(locale="es-MX", viewport={"width": 360, "height": 740})
    try:
        hers = phone.new_page()
        hers.goto(link)
        assert hers.get_by_role("heading", name="Elige tu contraseña").is_visible()
        assert hers.evaluate("document.documentElement.scrollWidth") <= 360
        hers.get_by_label("Contraseña nueva (10 caracteres o más)").fill(HER_PASSWORD)
        hers.get_by_label("Contraseña nueva, otra vez").fill(HER_PASSWORD)
        hers.get_by_role("button", name="Guardar mi contraseña").click()
        assert hers.get_by_text("Tu contraseña nueva está lista").is_visible()
        _log_in(hers, live_server.url, "angelica", HER_PASSWORD)
        assert hers.get_by_role("heading", name="Mis grupos").is_visible()
        # The link was for once: opened again, it says so.
        hers.goto(link)
        assert hers.get_by_role("alert").is_visible()
    finally:
        phone.close()
