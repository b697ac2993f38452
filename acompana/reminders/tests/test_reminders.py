"""Reminders the groups receive before each session, and each person's calendar feed."""

import urllib.parse

import pytest
from django.urls import reverse
from icalendar import Calendar

from acompana import policy
from acompana.alerts.models import OutboxMessage
from acompana.alerts.services import deliver_due_alerts
from acompana.alerts.tests.provider_server import ProviderServer
from acompana.audit.models import AuditEntry
from acompana.planning.models import PlannedSession
from acompana.planning.services import do_mark_session, do_store_plan
from acompana.policy import Refused
from acompana.programs.models import Person
from acompana.reminders.models import CalendarFeed
from acompana.reminders.selectors import sms_days_before
from acompana.reminders.services import do_queue_session_reminders, do_renew_calendar_feed
from tests.support import small_plan


def _plan(date_g01="2023-08-08", date_g05="2023-08-11"):
    return small_plan(code="bienestar-02", supervisors_day="2023-08-07", date_g01=date_g01,
                      date_g05=date_g05)


@pytest.fixture
def planned(ces):
    do_store_plan(program=ces, plan=_plan(), by=policy.OPERATOR)
    return ces


def test_each_group_gets_a_reminder_with_its_date_place_topic_and_what_to_bring(
        planned, login_as, client):
    """The coordinator sees one message per group, in Spanish, with the right date and place,
    a WhatsApp link for the group's chat and one per member who has a number."""
    Person.objects.filter(code="ac-g01-02").update(whatsapp="+52 963 111 2222")
    login_as("coord-01")
    response = client.get(reverse("reminders:groups"), {"desde": "2023-08-01"})
    assert response.status_code == 200
    reminders = {r.session.group.code: r for r in response.context["reminders"]}
    assert set(reminders) == {"g01", "g05"}  # the supervisors' meeting is not a group's
    g01, g05 = reminders["g01"].text, reminders["g05"].text
    assert "Grupo Reforma" in g01 and "martes 8 de agosto" in g01
    assert "De 10:00 a 12:00" in g01 or "de 10:00 a 12:00" in g01
    assert "Lugar: Reforma (Ángel Albino Corzo)" in g01
    assert "Sesión 2:" in g01 and "Qué llevar:" in g01
    assert "viernes 11 de agosto" in g05 and "Laguna del Cofre" in g05
    assert "g01" not in g01 and "bienestar-02" not in g01  # names, never codes
    assert reminders["g01"].group_link == "https://wa.me/?text=" + urllib.parse.quote(g01)
    [member] = reminders["g01"].members
    assert member.link.startswith("https://wa.me/529631112222?text=")
    assert "https://wa.me/?text=" in response.content.decode()


def test_a_facilitator_sees_only_her_groups_reminders(planned, login_as, client):
    login_as("fac-01")
    response = client.get(reverse("reminders:groups"), {"desde": "2023-08-01"})
    assert [r.session.group.code for r in response.context["reminders"]] == ["g01"]


@pytest.fixture
def sms(settings):
    server = ProviderServer(answers=[(201, {"sid": "SM1", "status": "queued"}, 0)])
    settings.ACOMPANA_SMS = {"base_url": server.start(), "account_sid": "AC01",
                             "auth_token": "secreto", "from": "+15005550006"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.ACOMPANA_ALERT_TIMEOUT = 0.5
    yield server
    server.stop()


def test_sms_reminders_go_through_the_outbox_when_the_program_turns_them_on(planned, sms):
    """Two days before (the default), each member with a phone gets the reminder by SMS, once."""
    import datetime as dt

    Person.objects.filter(code__in=["ac-g01-01", "ac-g01-02"]).update(phone="+52 963 111 0000")
    day_before = dt.date(2023, 8, 6)
    assert do_queue_session_reminders(today=day_before) == 0  # the program has not turned it on
    planned.reminders = {"sms": True}
    planned.save()
    assert do_queue_session_reminders(today=day_before) == 2
    assert do_queue_session_reminders(today=day_before) == 0  # never twice
    assert set(OutboxMessage.objects.values_list("channel", flat=True)) == {"sms"}
    assert deliver_due_alerts() == 2
    assert sms_days_before(planned) == 2
    body = urllib.parse.parse_qs(sms.received[0].body.decode())["Body"][0]
    assert "Grupo Reforma" in body and "8 de agosto" in body


def _feed(client, person_code):
    feed = CalendarFeed.objects.get(person__code=person_code)
    client.logout()  # a calendar app has no login
    response = client.get(reverse("reminders:feed", args=[feed.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_feed_keeps_its_uids_and_raises_sequence_when_a_replan_moves_a_session(
        planned, login_as, client):
    login_as("sup-01")
    response = client.post(reverse("reminders:renew"))
    assert response.status_code == 302
    page = client.get(reverse("reminders:my_calendar")).content.decode()
    assert "webcal://testserver/recordatorios/calendario/" in page
    events = {str(e["uid"]): e for e in _feed(client, "sup-01").walk("VEVENT")}
    uid = "g01:bienestar-02@ces.acompana"
    assert set(events) == {uid, "sup-01:supervisores-01@ces.acompana"}
    assert events[uid]["sequence"] == 0
    assert str(events[uid]["summary"]).startswith("Grupo Reforma · Sesión 2: ")
    assert "g01" not in str(events[uid]["summary"])
    do_store_plan(program=planned, plan=_plan(date_g01="2023-08-15"), reason="re-plan",
                  by=Person.objects.get(code="coord-01"))
    event = {str(e["uid"]): e for e in _feed(client, "sup-01").walk("VEVENT")}[uid]
    assert event["sequence"] == 1
    assert event.decoded("dtstart").date().isoformat() == "2023-08-15"
    session = PlannedSession.objects.get(key="g01:bienestar-02")
    do_mark_session(session=session, status="missed", reason="Camino cerrado",
                    by=Person.objects.get(code="coord-01"))
    event = {str(e["uid"]): e for e in _feed(client, "sup-01").walk("VEVENT")}[uid]
    assert (event["sequence"], str(event["status"])) == (2, "CANCELLED")


def test_renewing_the_address_turns_the_old_one_off_and_is_hers_alone(planned, client):
    person = Person.objects.get(code="sup-01")
    old = do_renew_calendar_feed(person=person, by=person).token
    new = do_renew_calendar_feed(person=person, by=person).token
    assert old != new
    assert client.get(reverse("reminders:feed", args=[old])).status_code == 404
    assert client.get(reverse("reminders:feed", args=[new])).status_code == 200
    entries = AuditEntry.objects.filter(action="calendar-feed.renewed")
    assert entries.count() == 2 and all(new not in str(e.changes) + e.target for e in entries)
    with pytest.raises(Refused):
        do_renew_calendar_feed(person=person, by=Person.objects.get(code="coord-01"))
