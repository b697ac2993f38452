"""Typing in a session's paper sheet: validation that keeps what was typed, the work plan
updated, and two people saving the same log at once."""

import datetime as dt

import pytest
from django.urls import reverse

from acompana.delivery.models import Attendance, FidelityItem, SessionLog
from acompana.delivery.selectors import sheet_page
from acompana.delivery.services import SheetRejected, StaleEdit, do_save_session_log
from acompana.delivery.tests.sheets import KEY, complete_form
from acompana.domain.session_sheet import SessionSheet
from acompana.policy import actor_of


def test_saving_a_sheet_stores_everything_and_marks_the_session_held(planned, supervisor,
                                                                    client):
    page = sheet_page(actor=actor_of(supervisor.user), key=KEY)
    response = client.post(reverse("delivery:entry", args=[KEY]), complete_form(page))
    assert response.status_code == 302
    log = SessionLog.objects.get()
    assert (log.duration_minutes, log.notes) == (115, "Llovió; empezamos tarde.")
    assert Attendance.objects.filter(log=log, status="present").count() == len(page.roster)
    assert list(FidelityItem.objects.values_list("activity", flat=True)) == page.activities
    planned.refresh_from_db()
    assert planned.status == "held"


def test_refused_sheet_keeps_what_was_typed_and_names_each_field(planned, supervisor, client):
    page = sheet_page(actor=actor_of(supervisor.user), key=KEY)
    first = page.roster[0].code
    form = complete_form(page, duration_minutes="", notes="Nota que no se pierde")
    del form[f"attendance-{first}"]
    response = client.post(reverse("delivery:entry", args=[KEY]), form)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Marca presente, ausente o justificada." in body
    assert "Escribe cuánto duró la sesión" in body
    assert "Nota que no se pierde" in body
    assert not SessionLog.objects.exists()


def test_cancelled_session_is_missed_in_the_plan_with_its_reason(planned, supervisor, client):
    response = client.post(reverse("delivery:entry", args=[KEY]), {
        "date": "2023-07-11", "outcome": "cancelled", "facilitator": "sup-01",
        "cancel_reason": "Camino cerrado por deslave"})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.status_reason) == ("missed", "Camino cerrado por deslave")


def test_second_save_from_an_old_version_is_refused(planned, supervisor, client):
    """Two supervisors open the same log; the slower one's save is refused, not lost."""
    actor = actor_of(supervisor.user)
    page = sheet_page(actor=actor, key=KEY)
    sheet = SessionSheet(outcome="held", date=dt.date(2023, 7, 11), facilitator="sup-01",
                         duration_minutes=120,
                         attendance={p.code: "present" for p in page.roster},
                         fidelity={n: "done" for n in range(1, len(page.activities) + 1)})
    save = {"group": planned.group, "session_code": "bienestar-01", "rules": page.rules,
            "entered_by": supervisor, "planned": planned}
    do_save_session_log(sheet=sheet, expected_version=None, **save)
    do_save_session_log(sheet=sheet, expected_version=1, **save)  # the first editor again
    with pytest.raises(StaleEdit):
        do_save_session_log(sheet=sheet, expected_version=1, **save)  # opened at version 1
    assert SessionLog.objects.get().version == 2


def test_conflict_page_shows_both_versions(planned, supervisor, client):
    page = sheet_page(actor=actor_of(supervisor.user), key=KEY)
    client.post(reverse("delivery:entry", args=[KEY]), complete_form(page))  # version 1 saved
    client.post(reverse("delivery:entry", args=[KEY]), complete_form(page, version="1", notes="A"))
    response = client.post(reverse("delivery:entry", args=[KEY]),
                           complete_form(page, version="1", notes="B"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Otra persona guardó esta hoja antes" in body
    assert "<td>Notas</td><td>A</td><td>B</td>" in body  # the paper's words, not the field's
    assert SessionLog.objects.get().notes == "A"


def test_invalid_sheet_is_rejected_by_the_service_too(planned, supervisor):
    page = sheet_page(actor=actor_of(supervisor.user), key=KEY)
    with pytest.raises(SheetRejected) as rejected:
        do_save_session_log(group=planned.group, session_code="bienestar-01",
                            sheet=SessionSheet(outcome="held", date=None, facilitator="sup-01"),
                            rules=page.rules, entered_by=supervisor, planned=planned,
                            expected_version=None)
    assert "date" in rejected.value.errors


def test_other_supervisors_cannot_open_the_sheet(planned, login_as, client):
    login_as("sup-02")
    assert client.get(reverse("delivery:entry", args=[KEY])).status_code == 404


def test_a_date_other_than_the_plans_is_saved_only_once_confirmed(planned, supervisor, client):
    """The plan had Tuesday 11 July; a sheet dated the 15th is not saved silently: the page says
    by how much, and saves once the box confirms the paper's date."""
    page = sheet_page(actor=actor_of(supervisor.user), key=KEY)
    form = complete_form(page, date="2023-07-15")
    response = client.post(reverse("delivery:entry", args=[KEY]), form)
    body = response.content.decode()
    assert response.status_code == 400 and not SessionLog.objects.exists()
    assert "el martes 11 de julio de 2023; la hoja dice sábado 15 de julio de 2023, 4 días " \
           "después" in body
    assert 'name="confirm_date" value="2023-07-15"' in body
    assert "Llovió; empezamos tarde." in body
    # A box ticked for another date does not confirm this one.
    stale = client.post(reverse("delivery:entry", args=[KEY]),
                        {**form, "date": "2023-07-16", "confirm_date": "2023-07-15"})
    assert stale.status_code == 400 and "5 días después" in stale.content.decode()
    response = client.post(reverse("delivery:entry", args=[KEY]),
                           {**form, "confirm_date": "2023-07-15"})
    assert response.status_code == 302
    assert SessionLog.objects.get().date == dt.date(2023, 7, 15)


def test_each_error_is_under_its_field_not_glued_to_the_name(planned, supervisor, client):
    page = sheet_page(actor=actor_of(supervisor.user), key=KEY)
    first = page.roster[0]
    form = complete_form(page)
    del form[f"attendance-{first.code}"]
    body = client.post(reverse("delivery:entry", args=[KEY]), form).content.decode()
    name_cell = f'<th scope="row" id="attendance-{first.code}-label">{first.name}</th>'
    assert name_cell in body  # the name alone in its cell
    after = body.split(name_cell, 1)[1]
    row_error = after.index('<tr class="row-error"><td colspan="4"><span class="field-error" '
                            f'id="attendance-{first.code}-error"')
    assert row_error < after.index("<tr>")  # the row right under hers
