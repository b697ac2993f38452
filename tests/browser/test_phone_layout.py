"""Every page of every role at 360 x 740 px, as a cheap phone shows it: nothing overflows sideways,
the menu is one button, type is at least 16 px and buttons and fields at least 44 px high.

The pages are those of the policy walk (tests/test_policy_walk.py), with the same records; each
role opens the HTML pages the policy lets her open.
"""

from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from acompana import policy
from acompana.programs.models import Person
from tests.test_policy_walk import (
    QUERIES,
    ROLES,
    _url,
    records,  # noqa: F401  (a fixture)
    url_patterns,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}

# What a page breaks at 360 px: the document scrolls sideways, an element sticks out (unless it
# sits in a region that scrolls on its own, such as the year's planning grid), a text smaller
# than 16 px, a button or field lower or narrower than 44 px.
PROBLEMS_JS = (Path(__file__).parent / "phone_problems.js").read_text()


@pytest.fixture
def scopes(records, ces):  # noqa: F811
    """The walk's records of sup-02's group, and the same kinds of records in sup-01's group g01
    (the supervisor's and facilitator's own pages)."""
    from acompana.delivery.models import Suggestion
    from acompana.planning.services import do_store_plan

    do_store_plan(program=ces, plan={"sessions": [{
        "id": "g01:bienestar-01", "track": "wellbeing", "session": "bienestar-01",
        "group": "g01", "supervisor": "sup-01", "facilitator": "fac-01",
        "community": "reforma", "date": "2023-07-11", "start": "10:00", "end": "12:00"}]},
        by=policy.OPERATOR)
    own_suggestion = Suggestion.objects.create(
        program=ces, group=ces.groups.get(code="g01"), text="una idea del grupo",
        received_on="2023-08-08")
    return [records, {**records, "group": "g01", "member": "ac-g01-01",
                      "session": "g01:bienestar-01", "suggestion": own_suggestion.pk}]


def _html_pages(client: Client, actor, scopes) -> list[str]:
    """The HTML pages this role may open that answer 200, in either scope."""
    urls = []
    for name, parameters in url_patterns():
        if name in policy.PUBLIC_VIEWS or name.startswith("admin:") \
                or not policy.may_open(actor, name):
            continue
        for url in dict.fromkeys(_url(name, parameters, scope) for scope in scopes):
            urls.extend(_if_html(client, url, QUERIES.get(name, {})))
    return urls


def _if_html(client: Client, url: str, query: dict) -> list[str]:
    response = client.get(url, query)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        return [url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")]
    return []


def _login_cookie(client: Client, code: str, live_server) -> dict:
    person = Person.objects.get(code=code)
    if person.user is None:
        from acompana.accounts.services import do_create_account

        do_create_account(person=person, username=code, password="una-clave-larga-1",

                          by=policy.OPERATOR)
        person.refresh_from_db()
    client.force_login(person.user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value,
            "url": live_server.url}


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="on SQLite the live server shares the test's one in-memory connection across threads, "
           "and this walk's interleaved writes (the test client's and the served pages') "
           "deadlock it since the audit trail is hash-chained; the walk runs on PostgreSQL")
def test_every_page_of_every_role_fits_a_phone(scopes, live_server, browser):
    """No page of any role overflows at 360 px, and its menu folds into one button."""
    wrong = {}
    for role, code in sorted(ROLES.items()):
        client = Client()
        cookie = _login_cookie(client, code, live_server)
        actor = policy.actor_of(Person.objects.get(code=code).user)
        context = browser.new_context(viewport=PHONE, locale="es-MX")
        context.add_cookies([cookie])
        page = context.new_page()
        for url in _html_pages(client, actor, scopes):
            page.goto(live_server.url + url)
            problems = page.evaluate(PROBLEMS_JS)
            if not page.locator(".topbar nav").is_hidden():
                problems.append("the menu is open before its button is pressed")
            if problems:
                wrong[f"{role} {url}"] = problems
        context.close()
    assert wrong == {}, "\n".join(f"{where}: {problems}" for where, problems in wrong.items())


def test_the_menu_opens_from_one_button(ces, live_server, browser):
    client = Client()
    context = browser.new_context(viewport=PHONE, locale="es-MX")
    context.add_cookies([_login_cookie(client, "coord-01", live_server)])
    page = context.new_page()
    page.goto(live_server.url)
    page.get_by_role("button", name="Menú").click()
    page.locator("summary", has_text="Plan").click()  # the menu's sections open in place
    page.get_by_role("link", name="Grupos", exact=True).click()
    assert page.get_by_role("heading", name="Grupos").first.is_visible()
    context.close()


def test_the_month_on_a_phone_is_a_list_of_days_with_sessions(ces, live_server, browser):
    """At 360 px the calendar lists the days that have sessions, each with its weekday, and each
    session is a line to tap with its group's name whole (a grid's narrow cells broke names
    letter by letter)."""
    from acompana.planning.services import do_store_plan
    from tests.support import small_plan

    do_store_plan(by=policy.OPERATOR, program=ces, plan=small_plan(
        code="bienestar-01", supervisors_day="2023-07-03", date_g01="2023-07-11",
        date_g05="2023-07-12"))
    client = Client()
    context = browser.new_context(viewport=PHONE, locale="es-MX")
    context.add_cookies([_login_cookie(client, "coord-01", live_server)])
    page = context.new_page()
    page.goto(f"{live_server.url}/plan/?month=2023-07")
    days = page.locator("table.calendar td").filter(has=page.locator(".day"))
    shown = [text.split()[:2] for text in days.all_inner_texts() if text.strip()]
    visible = [day for day, cell in zip(shown, days.all(), strict=True) if cell.is_visible()]
    assert visible == [["3", "lunes"], ["11", "martes"], ["12", "miércoles"]]
    chip = page.locator("a.chip", has_text="Grupo Reforma")
    box = chip.bounding_box()
    assert box["height"] >= 44 and box["width"] > 250
    assert chip.inner_text().startswith("Grupo Reforma ·")  # on one line, the name whole
    assert box["height"] < 70
    page.goto(f"{live_server.url}/plan/?month=2024-12")
    assert page.get_by_text("No hay sesiones este mes.").is_visible()
    context.close()
