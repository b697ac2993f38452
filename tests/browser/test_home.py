"""The supervisor's home on a 360 px phone: what waits for her first, one tap to type a sheet;
the menu's sections open with or without JavaScript, on a phone and at a desk."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from acompana import policy

pytestmark = pytest.mark.browser
PASSWORD = "una-clave-larga-1"
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 800}
PROBLEMS_JS = (Path(__file__).parent / "phone_problems.js").read_text()


@pytest.fixture
def office(transactional_db, live_server):
    """CES with logins for sup-01 and the coordinator; g01's first session a month ago with no
    sheet, its second in two days (this week or next), g04's (sup-02's) first a month ago."""
    from acompana.accounts.services import do_create_account
    from acompana.planning.services import do_store_plan
    from acompana.programs.models import Person
    from acompana.programs.services import do_load_program
    from tests.support import CES

    program = do_load_program(by=policy.OPERATOR, location=CES).program
    for code in ("sup-01", "coord-01"):
        do_create_account(by=policy.OPERATOR, person=Person.objects.get(code=code),
                          username=code, password=PASSWORD)
    today = timezone.localdate()

    def session(key, group, number, day, supervisor, community):
        return {"id": key, "track": "wellbeing", "session": f"bienestar-0{number}",
                "group": group, "supervisor": supervisor, "facilitator": "fac-01",
                "community": community, "date": day.isoformat(), "start": "10:00",
                "end": "12:00", "status": "planned"}

    do_store_plan(program=program, by=policy.OPERATOR, plan={"sessions": [
        session("g01:bienestar-01", "g01", 1, today - dt.timedelta(days=30), "sup-01",
                "reforma"),
        session("g01:bienestar-02", "g01", 2, today + dt.timedelta(days=2), "sup-01",
                "reforma"),
        session("g04:bienestar-01", "g04", 1, today - dt.timedelta(days=30), "sup-02",
                "matasano")]})


def _log_in(page, live_server, username):
    page.goto(live_server.url)
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()


def test_supervisor_home_on_a_phone_leads_to_the_sheet_to_type(office, live_server, browser):
    # No service worker: on the home it fetches this week's session kits in the background
    # for the phone to keep, and on SQLite those requests lock the test's shared database.
    context = browser.new_context(viewport=PHONE, locale="es-MX", service_workers="block")
    page = context.new_page()
    _log_in(page, live_server, "sup-01")
    to_type = page.locator("#to-type")
    assert to_type.get_by_role("heading", name="Hojas por capturar").is_visible()
    assert "Grupo Reforma · Sesión 1:" in to_type.inner_text()
    assert "esperando 30 días" in to_type.inner_text()
    assert "Grupo Matasano" not in page.locator("main").inner_text()  # sup-02's group
    for section in ("#to-settle", "#absent"):
        assert "Nada pendiente" in page.locator(section).inner_text()
    assert page.evaluate(PROBLEMS_JS) == []
    page.get_by_role("button", name="Menú").click()
    page.locator("summary", has_text="Plan").click()
    assert page.get_by_role("link", name="Plan de trabajo").is_visible()
    assert page.evaluate(PROBLEMS_JS) == []  # the open menu fits too
    page.get_by_role("button", name="Menú").click()
    to_type.get_by_role("link", name="Capturarla").click()
    page.wait_for_url("**/registro/hoja/g01:bienestar-01/")
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_the_menu_sections_open_without_javascript(office, live_server, browser, viewport):
    """With JavaScript off the menu is shown whole (no fold), its sections open on a tap."""
    context = browser.new_context(viewport=viewport, locale="es-MX", java_script_enabled=False,
                                  service_workers="block")
    page = context.new_page()
    _log_in(page, live_server, "coord-01")
    groups = page.get_by_role("link", name="Grupos", exact=True)
    assert not groups.is_visible()
    page.locator("summary", has_text="Plan").click()
    groups.click()
    assert page.get_by_role("heading", name="Grupos").first.is_visible()
    context.close()
