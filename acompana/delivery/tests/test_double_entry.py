"""Double entry: a blind second typing of the paper sheet, its disagreements settled box by box
through the same save as the entry page, and each person's entry error rate."""

import pytest
from django.urls import reverse

from acompana.delivery.models import SessionLog, SheetEntry, SheetResolution
from acompana.delivery.selectors import double_entry_overview, sheet_page
from acompana.delivery.services import EntryRefused, do_record_second_entry
from acompana.delivery.tests.sheets import KEY, complete_form
from acompana.domain.double_entry import sheet_from_fields
from acompana.policy import actor_of
from acompana.programs.models import Person


@pytest.fixture
def first_entry(planned, supervisor, client):
    """sup-01 types the sheet on the entry page: the first entry."""
    page = sheet_page(actor=actor_of(supervisor.user), key=KEY)
    form = complete_form(page)
    assert client.post(reverse("delivery:entry", args=[KEY]), form).status_code == 302
    return page, form


def _second(client, form):
    return client.post(reverse("delivery:second_entry", args=[KEY]), form)


def test_the_first_typed_save_is_kept_as_the_first_entry_and_later_edits_do_not_change_it(
        first_entry, client):
    page, form = first_entry
    client.post(reverse("delivery:entry", args=[KEY]), form | {"version": "1", "notes": "Otra"})
    entry = SheetEntry.objects.get()
    assert (entry.round, entry.entered_by.code) == (1, "sup-01")
    assert entry.values["notes"] == "Llovió; empezamos tarde."
    assert entry.values[f"attendance-{page.roster[0].code}"] == "present"
    assert SessionLog.objects.get().notes == "Otra"


def test_the_second_entry_page_is_blank_and_shows_nothing_saved(first_entry, login_as, client):
    login_as("coord-01")
    body = client.get(reverse("delivery:second_entry", args=[KEY])).content.decode()
    assert 'name="date" value=""' in body
    assert "Llovió" not in body and "checked>" not in body and "selected>" not in body
    assert 'data-draft-key="second-g01:bienestar-01"' in body


def test_a_second_entry_does_not_change_the_saved_log(first_entry, login_as, client):
    _page, form = first_entry
    login_as("coord-01")
    response = _second(client, form | {"duration_minutes": "150", "notes": "Otra nota"})
    assert response.status_code == 302
    log = SessionLog.objects.get()
    assert (log.version, log.duration_minutes, log.notes) == (1, 115, "Llovió; empezamos tarde.")
    second = SheetEntry.objects.get(round=2)
    assert (second.entered_by.code, second.values["duration_minutes"]) == ("coord-01", "150")
    assert not SheetResolution.objects.exists()


def test_a_second_entry_is_validated_like_the_first_and_keeps_what_was_typed(first_entry,
                                                                           login_as, client):
    _page, form = first_entry
    login_as("coord-01")
    response = _second(client, form | {"duration_minutes": "", "notes": "Mi nota"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Escribe cuánto duró la sesión" in body and "Mi nota" in body
    assert not SheetEntry.objects.filter(round=2).exists()


def test_the_first_typist_cannot_type_the_second_entry(first_entry, client):
    _page, form = first_entry
    response = _second(client, form)
    assert response.status_code == 400
    assert "debe capturarla otra persona" in response.content.decode()
    page = sheet_page(actor=actor_of(SessionLog.objects.get().entered_by.user), key=KEY)
    with pytest.raises(EntryRefused):
        do_record_second_entry(log=page.log, sheet=sheet_from_fields(form), rules=page.rules,
                               entered_by=page.log.entered_by)


def test_entries_that_agree_settle_the_sheet_at_once(first_entry, login_as, client):
    _page, form = first_entry
    login_as("fac-01")
    assert _second(client, form).status_code == 302
    resolution = SheetResolution.objects.get()
    assert (resolution.choices, resolution.resolved_by.code) == ({}, "fac-01")
    assert [(e.errors, e.fields > 0) for e in SheetEntry.objects.all()] == [(0, True)] * 2
    body = client.get(reverse("delivery:compare", args=[KEY])).content.decode()
    assert "Las dos capturas coinciden en todas las casillas" in body


def test_disagreements_are_listed_and_settled_through_the_entry_save(first_entry, login_as,
                                                                   client):
    page, form = first_entry
    ana, bety = page.roster[0], page.roster[1]
    login_as("coord-01")
    _second(client, form | {f"attendance-{ana.code}": "absent", "duration_minutes": "151",
                            f"attendance-{bety.code}": "excused"})
    login_as("sup-01")
    body = client.get(reverse("delivery:compare", args=[KEY])).content.decode()
    assert body.count('type="radio"') == 6
    assert f"Asistencia: {ana.name}" in body and "Duración (minutos)" in body
    assert "Ausente" in body and "Justificada" in body
    response = client.post(reverse("delivery:settle", args=[KEY]), {
        "version": "1", f"choice-attendance-{ana.code}": "2", "choice-duration_minutes": "1",
        f"choice-attendance-{bety.code}": "1"})
    assert response.status_code == 302
    log = SessionLog.objects.get()
    statuses = dict(log.attendance.values_list("person__code", "status"))
    assert (log.version, log.duration_minutes) == (2, 115)
    assert (statuses[ana.code], statuses[bety.code]) == ("absent", "present")
    first, second = SheetEntry.objects.order_by("round")
    assert (first.errors, second.errors) == (1, 2)
    assert first.fields == second.fields
    assert SheetResolution.objects.get().choices == {
        "duration_minutes": "1", f"attendance-{ana.code}": "2",
        f"attendance-{bety.code}": "1"}


def test_error_rate_per_person_over_settled_sheets(first_entry, login_as, client):
    page, form = first_entry
    login_as("coord-01")
    _second(client, form | {"duration_minutes": "151"})
    supervisor = login_as("sup-01")
    client.post(reverse("delivery:settle", args=[KEY]),
                {"version": "1", "choice-duration_minutes": "1"})
    fields = SheetEntry.objects.get(round=1).fields
    # The boxes typed: those about the session but the cancel reason, the roster, the
    # activities and the two feedback counts.
    assert fields == 5 + len(page.roster) + len(page.activities) + 2
    overview = double_entry_overview(actor=actor_of(supervisor.user))
    rates = {p.name: (p.sheets, p.errors, p.fields) for p in overview.people}
    coordinator = Person.objects.get(code="coord-01")
    assert rates == {supervisor.name: (1, 0, fields), coordinator.name: (1, 1, fields)}
    body = client.get(reverse("delivery:double_entry")).content.decode()
    assert f"{100 / fields:.1f} %".replace(".", ",") in body  # Spanish decimal comma


def test_a_disagreement_left_unchosen_is_named_and_nothing_is_saved(first_entry, login_as,
                                                                  client):
    _page, form = first_entry
    login_as("coord-01")
    _second(client, form | {"duration_minutes": "151", "outcome": "cancelled",
                            "cancel_reason": "Lluvia"})
    login_as("sup-01")
    response = client.post(reverse("delivery:settle", args=[KEY]),
                           {"version": "1", "choice-duration_minutes": "2"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Resultado: Elige el valor escrito en la hoja de papel." in body
    assert SessionLog.objects.get().version == 1 and not SheetResolution.objects.exists()


def test_settled_values_are_held_to_the_sheet_validation(first_entry, login_as, client):
    """Each entry is valid alone, but the values chosen together are not: refused whole."""
    page, form = first_entry
    absent = {f"attendance-{person.code}": "absent" for person in page.roster[:-1]}
    login_as("coord-01")
    _second(client, form | absent | {"feedback-1-3": "1", "feedback-2-2": ""})
    login_as("sup-01")
    choices = {f"choice-{name}": "2" for name in absent} | {"choice-feedback-1-3": "1",
                                                          "choice-feedback-2-2": "1"}
    response = client.post(reverse("delivery:settle", args=[KEY]), {"version": "1"} | choices)
    assert response.status_code == 400
    assert "4 respuestas para la pregunta 1, pero solo 1 presentes" in response.content.decode()
    assert SessionLog.objects.get().version == 1


def test_a_save_made_while_settling_is_not_overwritten(first_entry, login_as, client):
    _page, form = first_entry
    login_as("coord-01")
    _second(client, form | {"duration_minutes": "151"})
    login_as("sup-01")
    client.post(reverse("delivery:entry", args=[KEY]), form | {"version": "1", "notes": "Nueva"})
    response = client.post(reverse("delivery:settle", args=[KEY]),
                           {"version": "1", "choice-duration_minutes": "1"})
    assert response.status_code == 400
    assert "Elige de nuevo" in response.content.decode()
    assert SessionLog.objects.get().notes == "Nueva"


def test_double_entry_stays_within_the_supervisors_groups(first_entry, login_as, client):
    _page, form = first_entry
    login_as("coord-01")
    _second(client, form | {"duration_minutes": "151"})
    login_as("sup-02")
    for name in ("delivery:second_entry", "delivery:compare", "delivery:settle"):
        assert client.get(reverse(name, args=[KEY])).status_code == 404
    overview = client.get(reverse("delivery:double_entry")).content.decode()
    assert "bienestar-01" not in overview


def test_facilitators_see_the_disagreements_but_do_not_settle_them(first_entry, login_as,
                                                                   client):
    _page, form = first_entry
    login_as("coord-01")
    _second(client, form | {"duration_minutes": "151"})
    login_as("fac-01")
    body = client.get(reverse("delivery:compare", args=[KEY])).content.decode()
    assert "151" in body and 'type="radio"' not in body
    response = client.post(reverse("delivery:settle", args=[KEY]),
                           {"version": "1", "choice-duration_minutes": "1"})
    assert response.status_code == 403
    assert client.get(reverse("delivery:double_entry")).status_code == 403


def test_a_save_landing_during_the_second_entry_is_a_conflict_that_keeps_the_typing(
        first_entry, login_as, client):
    """Another person's save in the moment between opening and saving the second entry (played
    here by a receiver on the second entry's row) is answered with the conflict, not a 500."""
    from django.db.models.signals import post_save

    _page, typed = first_entry  # the same sheet typed again: the entries agree, it settles

    def someone_saves_the_log(sender, instance, created, **kwargs):
        if created and instance.round == SheetEntry.Round.SECOND:
            SessionLog.objects.filter(pk=instance.log_id).update(version=instance.log.version + 1)

    login_as("fac-01")
    post_save.connect(someone_saves_the_log, sender=SheetEntry)
    try:
        response = _second(client, typed)
    finally:
        post_save.disconnect(someone_saves_the_log, sender=SheetEntry)
    page = response.content.decode()
    assert response.status_code == 409
    assert "guardó esta hoja mientras" in page
    assert "Llovió; empezamos tarde." in page  # what she typed is still there
    assert not SheetEntry.objects.filter(round=SheetEntry.Round.SECOND).exists()
    assert not SheetResolution.objects.exists()
    assert _second(client, typed).status_code == 302  # sent again, it is kept
