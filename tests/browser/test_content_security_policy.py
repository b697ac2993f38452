"""Under the Content-Security-Policy every page's own scripts still run and nothing is refused:
the sheet's draft kept in the browser, the filters that send themselves, the dashboard."""

import pytest

from tests.browser.conftest import SESSION_KEY, SUPERVISOR_PASSWORD

pytestmark = pytest.mark.browser


def _watch_for_refusals(page) -> list[str]:
    refusals: list[str] = []
    page.on("console", lambda message: refusals.append(message.text)
            if "Content Security Policy" in message.text else None)
    return refusals


def test_pages_scripts_run_and_nothing_is_refused(planned, live_server, page):
    refusals = _watch_for_refusals(page)
    page.goto(f"{live_server.url}/registro/hoja/{SESSION_KEY}/")
    page.get_by_label("Nombre de usuario").fill("sup-01")
    page.get_by_label("Contraseña").fill(SUPERVISOR_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"**/registro/hoja/{SESSION_KEY}/")

    # The sheet's inline script (with the page's nonce) keeps a draft through a reload.
    page.locator("textarea[name='notes']").fill("Llovió mucho")
    page.reload()
    assert page.locator("textarea[name='notes']").input_value() == "Llovió mucho"

    # The plan's filters send themselves when changed (site.js, no inline handler).
    page.goto(f"{live_server.url}/plan/")
    page.locator("select[name='group']").select_option("g01")
    page.wait_for_url("**group=g01**")

    for path in ("/", "/informes/", "/plan/cuadricula/"):
        page.goto(f"{live_server.url}{path}")
    assert refusals == []
