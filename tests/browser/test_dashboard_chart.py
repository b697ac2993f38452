"""The dashboard's charts are drawn by the browser (Chart.js, served from the app) from the
page's data, under a Content-Security-Policy that allows no inline script."""

import pytest

from tests.browser.conftest import SUPERVISOR_PASSWORD

pytestmark = pytest.mark.browser
STRICT = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"


def test_the_sessions_chart_is_drawn_in_the_browser_under_a_strict_csp(planned, live_server,
                                                                        page):
    def with_strict_policy(route):
        response = route.fetch()
        route.fulfill(response=response,
                      headers={**response.headers, "content-security-policy": STRICT})

    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.route(f"{live_server.url}/informes/", with_strict_policy)
    page.goto(live_server.url)
    page.get_by_label("Nombre de usuario").fill("sup-01")
    page.get_by_label("Contraseña").fill(SUPERVISOR_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.goto(f"{live_server.url}/informes/")
    canvas = page.locator("#chart-sessions")
    canvas.wait_for()
    page.wait_for_function("document.getElementById('chart-sessions').chart !== undefined")
    drawn = page.evaluate("""() => {
        const canvas = document.getElementById('chart-sessions');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width,
                                                            canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
        const chart = canvas.chart;
        return {painted, kind: chart.config.type, title: chart.options.plugins.title.text,
                labels: chart.data.labels, series: chart.data.datasets.map(d => d.label),
                width: canvas.width};
    }""")
    assert drawn["kind"] == "bar" and drawn["title"] == "Sesiones por mes"
    assert drawn["series"] == ["Planeada", "Realizada"] and drawn["labels"] == ["07/23"]
    assert drawn["width"] > 100 and drawn["painted"] > 500, drawn
    assert not [text for text in refused if "script" in text], refused
