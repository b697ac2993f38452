"""Browser tests drive Debian's chromium through Playwright; never a downloaded browser."""

import os
from pathlib import Path

import pytest

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
    # An English browser: the interface must still start in Spanish.
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()
