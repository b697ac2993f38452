"""A photographed sheet, sent from the session's page, checked beside its picture and saved."""

import pytest

from acompana import policy
from acompana.delivery.models import SessionLog
from acompana.forms.services import do_print_attendance_form
from acompana.forms.tests.paper import photo, printed_specs
from acompana.planning.models import PlannedSession
from acompana.programs.models import Membership
from tests.browser.conftest import SESSION_KEY, SUPERVISOR_PASSWORD

pytestmark = pytest.mark.browser
PASSWORD, KEY = SUPERVISOR_PASSWORD, SESSION_KEY


@pytest.fixture
def sheet_photo(planned, tmp_path):
    """sup-01's session, its sheet printed and filled: all present but one double mark."""
    do_print_attendance_form(planned=PlannedSession.objects.get(key=KEY), by=policy.OPERATOR)
    roster = planned
    marks = {f"attendance:{code}": "present" for code in roster}
    marks[f"attendance:{roster[0]}"] = ("present", "absent")
    specs = printed_specs(PlannedSession.objects.get(key=KEY).program, "attendance")
    for spec in specs:
        marks |= {row.id: "done" for row in spec.rows if row.id.startswith("activity:")}
    paths = []
    for number, spec in enumerate(specs, start=1):
        path = tmp_path / f"hoja-{number}.jpg"
        path.write_bytes(photo(spec, marks, seed=number, photographed=True))
        paths.append(str(path))
    return roster[0], paths


def test_a_photographed_sheet_is_checked_beside_its_picture_and_saved(sheet_photo,
                                                                      live_server, page):
    doubtful, paths = sheet_photo
    page.goto(f"{live_server.url}/plan/sesion/{KEY}/")
    page.fill("input[name='username']", "sup-01")
    page.fill("input[name='password']", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/plan/sesion/{KEY}/")
    page.set_input_files("form[action$='/formularios/subir/'] input[type='file']", paths)
    page.click("form[action$='/formularios/subir/'] button[type='submit']")
    if len(paths) > 1:  # several pages: they wait in the list
        page.click("table.list a")
    page.wait_for_selector("text=Lo que se leyó, junto al papel")
    assert page.locator("img[src^='data:image/png']").count() >= 5
    assert page.locator("tr.flagged").count() == 1
    assert "hay más de una marca en esta línea" in page.locator("tr.flagged").inner_text()
    assert not page.is_checked(f"input[name='attendance-{doubtful}'][value='present']")
    page.check(f"input[name='attendance-{doubtful}'][value='absent']")  # as the paper shows
    page.fill("#id_duration", "110")
    page.click("button:has-text('Confirmar y guardar la hoja')")
    page.wait_for_url(f"**/registro/hoja/{KEY}/guardada/")
    log = SessionLog.objects.get()
    assert log.duration_minutes == 110
    assert log.attendance.get(person__code=doubtful).status == "absent"
    assert log.attendance.filter(status="present").count() == len(
        Membership.objects.filter(group__code="g01", left=None)) - 1
