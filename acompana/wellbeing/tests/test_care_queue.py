"""The clinician's home is her work queue: most urgent first, one tap to say she made contact,
escalation to the backup contact when nobody does in time (frozen clock), the coordination told
that something waits without learning who, and the time to first contact in the report."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from acompana.alerts.models import OutboxMessage
from acompana.audit.models import AuditEntry
from acompana.delivery.selectors import sheet_page
from acompana.delivery.tests.sheets import KEY, complete_form
from acompana.policy import actor_of
from acompana.programs.models import Person
from acompana.wellbeing.models import Referral
from acompana.wellbeing.selectors import time_to_first_contact
from acompana.wellbeing.services import (
    WellbeingError,
    do_acknowledge_referral,
    do_add_referral_note,
    do_escalate_overdue_referrals,
    do_give_consent,
    do_record_assessment,
)
from tests.support import run_worker

ITEM9 = [0, 0, 0, 0, 0, 0, 0, 0, 1]
SEVERE_NO_ITEM9 = [3, 3, 3, 3, 3, 2, 0, 0, 0]  # 17: moderately severe


def _consenting(code: str) -> Person:
    person = Person.objects.get(code=code)
    do_give_consent(person=person, method="in-app", recorded_by=person)
    return person


def _refer(code: str, answers) -> Referral:
    person = _consenting(code)
    return do_record_assessment(person=person, instrument="phq9", wave="baseline",
                                responses=answers, mode="self", entered_by=person)[1]


def test_queue_puts_a_risk_answer_first_and_one_tap_marks_her_contacted(ces, login_as, client):
    severe = _refer("ac-g01-03", SEVERE_NO_ITEM9)
    risk = _refer("ac-g01-04", ITEM9)
    assert (severe.urgency, risk.urgency) == ("severe", "item9")
    login_as("clin-01")
    home = client.get(reverse("home")).content.decode()
    assert home.index(f'data-referral="{risk.pk}"') < home.index(f'data-referral="{severe.pk}"')
    client.post(reverse("wellbeing:acknowledge", args=[risk.pk]))
    risk.refresh_from_db()
    assert risk.acknowledged_by.code == "clin-01" and risk.status == "contacted"
    first = risk.acknowledged_at
    client.post(reverse("wellbeing:acknowledge", args=[risk.pk]))  # a second tap: no change
    risk.refresh_from_db()
    assert risk.acknowledged_at == first
    entry = AuditEntry.objects.get(action="referral.acknowledged")
    assert entry.target == f"wellbeing.referral#{risk.pk}" and entry.subject == ""


def test_an_unacknowledged_risk_answer_alerts_the_backup_contact_after_four_hours(
        transactional_db, ces, settings, django_capture_on_commit_callbacks):
    Person.objects.filter(code="clin-02").update(email="respaldo@example.org")
    opened = timezone.now()
    with time_machine.travel(opened, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            referral = _refer("ac-g01-04", ITEM9)
        assert referral.contact_due_at == opened + dt.timedelta(hours=4)
        clock.shift(dt.timedelta(hours=3, minutes=59))
        run_worker()  # the escalation task waits for its time
        assert do_escalate_overdue_referrals() == []
        clock.shift(dt.timedelta(minutes=2))
        run_worker()
        referral.refresh_from_db()
        assert referral.escalated_at is not None
        to_backup = OutboxMessage.objects.get(topic="referral.escalated")
        assert to_backup.recipient.code == "clin-02"
        assert do_escalate_overdue_referrals() == []  # never twice
    assert AuditEntry.objects.filter(action="referral.escalated").count() == 1


def test_a_severe_band_waits_72_hours_and_an_acknowledged_one_never_escalates(ces):
    opened = timezone.now()
    with time_machine.travel(opened, tick=False) as clock:
        severe = _refer("ac-g01-03", SEVERE_NO_ITEM9)
        contacted = _refer("ac-g01-04", ITEM9)
        do_acknowledge_referral(referral=contacted, by=Person.objects.get(code="clin-01"))
        clock.shift(dt.timedelta(hours=71))
        assert do_escalate_overdue_referrals() == []
        clock.shift(dt.timedelta(hours=2))
        assert [r.pk for r in do_escalate_overdue_referrals()] == [severe.pk]


def test_coordinator_learns_that_a_referral_waits_too_long_but_not_whose(ces, login_as, client):
    opened = timezone.now()
    with time_machine.travel(opened, tick=False) as clock:
        referral = _refer("ac-g01-04", ITEM9)
        login_as("coord-01")
        assert 'id="overdue"' not in client.get(reverse("home")).content.decode()
        clock.shift(dt.timedelta(hours=3))  # she comes back before her idle session ends
        assert 'id="overdue"' not in client.get(reverse("home")).content.decode()
        clock.shift(dt.timedelta(hours=2))
        home = client.get(reverse("home")).content.decode()
    assert 'id="overdue"' in home
    assert "tel:+529630000001" in home and "https://wa.me/529630000001?text=" in home
    assert referral.person.name not in home and "ac-g01-04" not in home
    alert = home.split('id="overdue"')[1].split("</section>")[0]
    assert referral.person.memberships.first().group.name not in alert  # nor her group


def test_referral_notes_kind_is_validated_and_closing_closes(ces):
    referral = _refer("ac-g01-04", ITEM9)
    clinician = Person.objects.get(code="clin-01")
    with pytest.raises(WellbeingError):
        do_add_referral_note(referral=referral, kind="diagnosis", text="x", by=clinician)
    do_add_referral_note(referral=referral, kind="contact", text="Llamé.", by=clinician)
    referral.refresh_from_db()
    assert referral.acknowledged_at is not None  # a contact note is the first contact
    do_add_referral_note(referral=referral, kind="closing", text="En seguimiento.", by=clinician)
    referral.refresh_from_db()
    assert referral.status == "closed"
    assert AuditEntry.objects.filter(action="referral.closed").exists()


def test_another_role_cannot_acknowledge(ces):
    from acompana.policy import Refused

    referral = _refer("ac-g01-04", ITEM9)
    with pytest.raises(Refused):
        do_acknowledge_referral(referral=referral, by=Person.objects.get(code="coord-01"))


def test_time_to_first_contact_per_wave_median_and_longest(ces):
    start = timezone.now()
    clinician = Person.objects.get(code="clin-01")
    with time_machine.travel(start, tick=False) as clock:
        first, second = _refer("ac-g01-03", ITEM9), _refer("ac-g01-04", ITEM9)
        _refer("ac-g01-05", ITEM9)
        clock.shift(dt.timedelta(hours=2))
        do_acknowledge_referral(referral=first, by=clinician)
        clock.shift(dt.timedelta(hours=4))
        do_acknowledge_referral(referral=second, by=clinician)
    [baseline] = time_to_first_contact(program=ces)
    assert (baseline.referrals, baseline.contacted, baseline.waiting) == (3, 2, 1)
    assert (baseline.median_hours, baseline.longest_hours) == (4.0, 6.0)


def test_paper_questionnaires_a_wave_session_collected_wait_on_her_home_until_entered(
        planned, login_as, client):
    supervisor = login_as("sup-01")
    page = sheet_page(actor=actor_of(supervisor.user), key=KEY)
    assert client.post(reverse("delivery:entry", args=[KEY]),
                       complete_form(page)).status_code == 302
    login_as("clin-01")
    home = client.get(reverse("home")).content.decode()
    backlog = home.split('id="paper-backlog"')[1]
    assert "Sesión 1" in backlog and f"<td class=\"num\">{len(page.roster)}</td>" in backlog
    member = _consenting(page.roster[0].code)
    do_record_assessment(person=member, instrument="who5", wave="baseline", responses=[3] * 5,
                         mode="paper", entered_by=Person.objects.get(code="clin-01"))
    backlog = client.get(reverse("home")).content.decode().split('id="paper-backlog"')[1]
    assert f"<td class=\"num\">{len(page.roster) - 1}</td>" in backlog


def test_evaluation_report_shows_time_to_first_contact_without_names(ces, login_as, client):
    import io

    from pypdf import PdfReader

    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        referral = _refer("ac-g01-04", ITEM9)
        clock.shift(dt.timedelta(hours=3))
        do_acknowledge_referral(referral=referral, by=Person.objects.get(code="clin-01"))
    login_as("coord-01")
    response = client.get(reverse("wellbeing:evaluation_report"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "primer contacto" in text or "first contact" in text
    assert "3.0" in text or "3,0" in text
    assert referral.person.name not in text
