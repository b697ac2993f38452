"""Logging in as a person would, in a real browser on a phone-sized screen."""

import pytest

from acompana import policy
from acompana.accounts.services import do_create_account
from acompana.programs.models import Person

pytestmark = pytest.mark.browser
PASSWORD = "una-clave-larga-1"


@pytest.fixture
def accounts(transactional_db, live_server):
    from acompana.programs.services import do_load_program
    from tests.support import CES

    do_load_program(by=policy.OPERATOR, location=CES)
    for code in ("coord-01", "sup-01"):
        do_create_account(by=policy.OPERATOR,
                          person=Person.objects.get(code=code), username=code, password=PASSWORD)


def _log_in(page, live_server, username):
    page.goto(live_server.url)
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()


def test_coordinator_sees_all_groups_in_spanish_and_switches_to_english(accounts, live_server,
                                                                         page):
    _log_in(page, live_server, "coord-01")
    assert page.get_by_role("heading", name="Todos los grupos").is_visible()
    assert page.locator("table.list tbody tr").count() == 9
    assert page.get_by_text("Coordinación del programa").is_visible()
    page.get_by_role("button", name="Menú").click()  # on a phone the menu folds into a button
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", name="All groups").is_visible()
    page.get_by_role("button", name="Menu").click()
    assert page.get_by_role("button", name="Español").is_visible()


def test_supervisor_sees_her_three_groups(accounts, live_server, page):
    _log_in(page, live_server, "sup-01")
    assert page.get_by_role("heading", name="Mis grupos").is_visible()
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 3
    assert "Grupo Reforma" in rows.first.inner_text()
    rows.first.get_by_role("link").click()
    assert page.get_by_role("heading", name="Grupo Reforma").is_visible()


def test_wrong_password_keeps_the_user_name_and_says_why(accounts, live_server, page):
    page.goto(live_server.url)
    page.get_by_label("Nombre de usuario").fill("sup-01")
    page.get_by_label("Contraseña").fill("equivocada")
    page.get_by_role("button", name="Iniciar sesión").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Nombre de usuario").input_value() == "sup-01"
