"""Browser tests drive Debian's chromium through Playwright; never a downloaded browser."""

import os
from pathlib import Path

import pytest

from acompana import policy

CHROMIUM = Path(os.environ.get("ACOMPANA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing and REQUIRE_BROWSER is set "
                        "(install Debian's chromium package).")
        pytest.skip(f"browser tests skipped: {CHROMIUM} is missing "
                    "(sudo apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test's own fixtures happen outside it, one at a time.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_FLAGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    # An English browser: the interface must still start in Spanish. No service worker: its
    # prefetch of session kits would outlive the test and hold SQLite's in-memory database
    # while the test's data is flushed (tests of working offline open their own context).
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844},
                                  service_workers="block")
    yield context.new_page()
    context.close()


SUPERVISOR_PASSWORD = "una-clave-larga-1"
SESSION_KEY = "g01:bienestar-01"


@pytest.fixture
def planned(transactional_db, live_server, settings, tmp_path):
    """CES loaded, sup-01 with a login, and her group g01's first session planned (tiny
    curriculum); returns g01's members, by name."""
    from acompana.accounts.services import do_create_account
    from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
    from acompana.planning.services import do_store_plan
    from acompana.programs.models import Membership, Person
    from acompana.programs.services import do_load_program
    from tests.support import CES

    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    program = do_load_program(by=policy.OPERATOR, location=CES).program
    do_create_account(by=policy.OPERATOR,
                      person=Person.objects.get(code="sup-01"), username="sup-01",
                      password=SUPERVISOR_PASSWORD)
    do_store_plan(by=policy.OPERATOR, program=program, plan={"sessions": [{
        "id": SESSION_KEY, "track": "wellbeing", "session": "bienestar-01", "group": "g01",
        "supervisor": "sup-01", "facilitator": "fac-01", "community": "reforma",
        "date": "2023-07-11", "start": "10:00", "end": "12:00", "status": "planned"}]})
    return [m.person.code for m in Membership.objects.filter(group__code="g01", left=None)
            .select_related("person").order_by("person__name")]
