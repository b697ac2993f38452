"""Typing a paper sheet in with the keyboard alone, as in office hours: Tab from box to box,
arrow keys and Space for the marks, digits for the counts, Enter to save."""

import pytest
from playwright.sync_api import expect

from acompana.delivery.models import SessionLog
from tests.browser.conftest import SESSION_KEY, SUPERVISOR_PASSWORD

pytestmark = pytest.mark.browser
PASSWORD, KEY = SUPERVISOR_PASSWORD, SESSION_KEY
MOST_TABS = 80  # more presses than the page has stops: a box that is not reached fails


def _tab_to(page, selector: str) -> None:
    """Press Tab until the box is focused, as a person moving through the page would."""
    target = page.locator(selector)
    for _press in range(MOST_TABS):
        if target.evaluate("box => box === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with Tab")


def _log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/registro/hoja/{KEY}/")
    # The user name box takes the focus when the page opens; on a busy machine that happens a
    # moment after the page is there, and keys pressed before it are lost.
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type("sup-01")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/registro/hoja/{KEY}/")


def _radio(name: str, value: str) -> str:
    return f"input[name='{name}'][value='{value}']"


def test_a_sheet_typed_with_the_keyboard_alone_is_saved(planned, live_server, page):
    roster = planned
    _log_in(page, live_server)
    _tab_to(page, _radio("outcome", "held"))  # the planned date and "held" come filled in
    page.keyboard.press("ArrowRight")  # a slip: cancelled ...
    page.keyboard.press("ArrowLeft")  # ... and back to held
    _tab_to(page, "#id_duration")
    page.keyboard.type("115")
    for index, person in enumerate(roster):
        _tab_to(page, _radio(f"attendance-{person}", "present"))  # no mark yet: the first one
        if index == 1:
            page.keyboard.press("ArrowRight")  # absent
        else:
            page.keyboard.press("Space")  # present
    for position in (1, 2, 3):
        _tab_to(page, _radio(f"fidelity-{position}", "done"))
        page.keyboard.press("ArrowRight" if position == 3 else "Space")  # the last one adapted
    _tab_to(page, "input[name='feedback-1-3']")
    page.keyboard.type("4")
    _tab_to(page, "input[name='feedback-2-2']")
    page.keyboard.type("2")
    _tab_to(page, "textarea[name='notes']")
    page.keyboard.type("Llovió; empezamos tarde.")
    _tab_to(page, "button[type='submit'].primary")
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/registro/hoja/{KEY}/guardada/")
    assert page.get_by_role("heading", name="Guardado").is_visible()
    assert page.get_by_role("status").filter(has_text="quedó guardada").is_visible()
    log = SessionLog.objects.get()
    statuses = dict(log.attendance.values_list("person__code", "status"))
    assert (log.outcome, log.duration_minutes, log.notes) == ("held", 115,
                                                              "Llovió; empezamos tarde.")
    assert statuses == {person: "absent" if index == 1 else "present"
                        for index, person in enumerate(roster)}
    assert list(log.fidelity.values_list("status", flat=True)) == ["done", "done", "adapted"]
    assert dict(((f.question, f.face), f.count) for f in log.feedback.all()) == {
        (1, 3): 4, (2, 2): 2}


def test_a_refused_save_keeps_everything_typed(planned, live_server, page):
    roster = planned
    _log_in(page, live_server)
    _tab_to(page, "#id_duration")
    page.keyboard.type("5")  # too short: refused
    _tab_to(page, _radio(f"attendance-{roster[0]}", "present"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # excused
    _tab_to(page, "input[name='feedback-1-1']")
    page.keyboard.type("1")
    _tab_to(page, "textarea[name='notes']")
    page.keyboard.type("Nota que no se pierde")
    _tab_to(page, "button[type='submit'].primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_text("La hoja no se guardó").is_visible()
    assert page.locator("#id_duration").input_value() == "5"
    assert page.locator(_radio(f"attendance-{roster[0]}", "excused")).is_checked()
    assert page.locator("input[name='feedback-1-1']").input_value() == "1"
    assert page.locator("textarea[name='notes']").input_value() == "Nota que no se pierde"
    assert page.locator(".field-error").filter(has_text="cuánto duró").is_visible()
    assert not SessionLog.objects.exists()


def test_a_date_other_than_the_plans_is_confirmed_before_it_is_saved(planned, live_server,
                                                                    page):
    """The sheet says the 13th, the plan the 11th: the warning under the date says so, and the
    sheet is saved once the box is ticked."""
    roster = planned
    _log_in(page, live_server)
    page.fill("#id_date", "2023-07-13")
    page.fill("#id_duration", "110")
    for person in roster:
        page.check(_radio(f"attendance-{person}", "present"))
    for position in (1, 2, 3):
        page.check(_radio(f"fidelity-{position}", "done"))
    with page.expect_navigation():
        page.click("button[type='submit'].primary")

    warning = page.locator("#date-error")
    assert warning.is_visible() and "2 días después" in warning.inner_text()
    date_box, warning_box = page.locator("#id_date").bounding_box(), warning.bounding_box()
    assert warning_box["y"] >= date_box["y"] + date_box["height"] - 1  # under the field
    assert not SessionLog.objects.exists()
    page.check("input[name='confirm_date']")
    with page.expect_navigation():
        page.click("button[type='submit'].primary")
    page.wait_for_url(f"**/registro/hoja/{KEY}/guardada/")
    assert str(SessionLog.objects.get().date) == "2023-07-13"
