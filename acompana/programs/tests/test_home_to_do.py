"""Each role's home is a to-do list: what waits for her, by name, with a link to do it.

The fixture is CES's nine groups with five monthly wellbeing sessions each (the real
curriculum), on Tuesday 17 October 2023: three sessions past, the fourth this week. Sheets are
typed, cancelled, typed twice and suggestions received through the services the pages call.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from acompana import policy
from acompana.delivery.models import Suggestion
from acompana.delivery.selectors import sheet_page
from acompana.delivery.services import (
    do_change_suggestion_status,
    do_receive_suggestion,
    do_record_second_entry,
    do_save_session_log,
)
from acompana.domain.session_sheet import SessionSheet
from acompana.planning.services import do_store_plan
from acompana.programs.models import Group, Membership, Person

TODAY = dt.datetime(2023, 10, 17, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
DATES = ["2023-07-11", "2023-08-08", "2023-09-12", "2023-10-19", "2023-11-14"]


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield timezone.localdate()


def _plan(program) -> dict:
    """Five wellbeing sessions for each of the nine groups, with its supervisor, its first
    facilitator and its community."""
    sessions = []
    for group in Group.objects.filter(program=program).prefetch_related(
            "facilitators", "supervisions__supervisor").select_related("community"):
        supervisor = group.supervisions.all()[0].supervisor.code
        facilitator = sorted(f.code for f in group.facilitators.all())[0]
        for number, date in enumerate(DATES, start=1):
            sessions.append({
                "id": f"{group.code}:bienestar-{number:02d}", "track": "wellbeing",
                "session": f"bienestar-{number:02d}", "group": group.code,
                "supervisor": supervisor, "facilitator": facilitator,
                "community": group.community.code, "date": date, "start": "10:00",
                "end": "12:00", "status": "planned"})
    return {"sessions": sessions}


def _members(group: str) -> list[str]:
    return list(Membership.objects.filter(group__code=group, left=None)
                .order_by("person__code").values_list("person__code", flat=True))


def _type(key: str, by: str, *, absent=(), excused=(), outcome="held", second_by=None,
          minutes=110):
    """Type a session's sheet as the entry page does: everyone present but those named."""
    person = Person.objects.get(code=by)
    page = sheet_page(actor=policy.as_actor(person), key=key)
    attendance = {p.code: "excused" if p.code in excused else "absent" if p.code in absent
                  else "present" for p in page.roster}
    held = outcome == "held"
    sheet = SessionSheet(
        outcome=outcome, date=page.planned.date, facilitator=page.planned.facilitator.code,
        duration_minutes=minutes if held else None,
        cancel_reason="" if held else "Se cayó el puente",
        attendance=attendance if held else {},
        fidelity={n: "done" for n in range(1, len(page.activities) + 1)} if held else {})
    log = do_save_session_log(group=page.planned.group, session_code=page.planned.session_code,
                              sheet=sheet, rules=page.rules, entered_by=person,
                              planned=page.planned, expected_version=None,
                              keep_as_first_entry=True)
    if second_by:
        other = Person.objects.get(code=second_by)
        do_record_second_entry(log=log, sheet=SessionSheet(**{**sheet.__dict__,
                                                              "duration_minutes": minutes + 5}),
                               rules=page.rules, entered_by=other)
    return log


@pytest.fixture
def year(ces, today):
    """sup-01 (g01-g03): g01 typed to date with two women absent twice in a row; g02's third
    sheet not typed; g03's second typed twice with a difference, its third not typed.
    sup-02 (g04-g06): g04's women absent twice (not sup-01's to see); g05's third cancelled.
    A suggestion from g01 waits for a decision; one from g02 was adopted."""
    do_store_plan(program=ces, plan=_plan(ces), by=policy.OPERATOR)
    g01, g04 = _members("g01"), _members("g04")
    _type("g01:bienestar-01", "sup-01", absent=[g01[2]])
    _type("g01:bienestar-02", "sup-01", absent=[g01[0]], excused=[g01[1]])
    _type("g01:bienestar-03", "sup-01", absent=[g01[0], g01[1]])
    _type("g02:bienestar-01", "sup-01")
    _type("g02:bienestar-02", "sup-01")
    _type("g03:bienestar-01", "sup-01")
    _type("g03:bienestar-02", "sup-01", second_by="coord-01")
    _type("g04:bienestar-01", "sup-02")
    _type("g04:bienestar-02", "sup-02", absent=[g04[0]])
    _type("g04:bienestar-03", "sup-02", absent=[g04[0]])
    _type("g05:bienestar-03", "sup-02", outcome="cancelled")
    coordinator = Person.objects.get(code="coord-01")
    waiting = do_receive_suggestion(program=ces, text="Que las sesiones empiecen a las once",
                                    received_on=dt.date(2023, 9, 20), by=coordinator,
                                    group=Group.objects.get(code="g01"))
    adopted = do_receive_suggestion(program=ces, text="Traer agua para todas",
                                    received_on=dt.date(2023, 9, 1), by=coordinator,
                                    group=Group.objects.get(code="g02"))
    do_change_suggestion_status(suggestion=adopted, status=Suggestion.Status.ADOPTED,
                                reason="", by=coordinator)
    return {"g01": g01, "g04": g04, "waiting": waiting, "adopted": adopted}


def _section(html: str, section_id: str) -> str:
    return html.split(f'id="{section_id}"')[1].split("</section>")[0]


def _name(code: str) -> str:
    return Person.objects.get(code=code).name


def test_supervisor_home_lists_her_sheets_to_type_with_their_age(year, client, login_as):
    """The sheets of her groups' past sessions with no sheet, oldest first, each a link to type
    it and the days it has waited; this week's sessions are not yet due."""
    login_as("sup-01")
    to_type = _section(client.get(reverse("home")).content.decode(), "to-type")
    assert to_type.index("Grupo Letrero") < to_type.index("Grupo Monterrey")
    for key in ("g02:bienestar-03", "g03:bienestar-03"):
        assert reverse("delivery:entry", args=[key]) in to_type
    assert reverse("delivery:entry", args=["g01:bienestar-03"]) not in to_type  # typed
    assert reverse("delivery:entry", args=["g02:bienestar-04"]) not in to_type  # this week
    assert "esperando 35 días" in to_type  # 12 September to 17 October
    assert "12 de septiembre ·" in to_type  # this year's dates without their year


def test_dates_of_another_year_carry_their_year(year, client, login_as):
    """Opened years later (a program's old plan), a date says its year: "12 de septiembre"
    alone would read as this year's."""
    with time_machine.travel(dt.datetime(2026, 12, 7, 12, 0, tzinfo=TODAY.tzinfo), tick=False):
        login_as("sup-01")
        to_type = _section(client.get(reverse("home")).content.decode(), "to-type")
    assert "12 de septiembre de 2023 ·" in to_type
    assert "Sesión 3:" in to_type and "bienestar-" not in re.sub(r'href="[^"]*"', "", to_type)


def test_supervisor_home_lists_this_weeks_sessions_by_name_and_place(year, client, login_as):
    login_as("sup-01")
    week = _section(client.get(reverse("home")).content.decode(), "this-week")
    assert "jueves 19 de octubre" in week
    for group, place in (("Grupo Reforma", "Reforma"), ("Grupo Letrero", "Letrero"),
                         ("Grupo Monterrey", "Monterrey")):
        assert f"{group} · Sesión 4:" in week and f"· {place}</li>" in week
    assert "Grupo Matasano" not in week and "g01" not in week


def test_supervisor_home_lists_women_absent_twice_in_a_row_with_their_reasons(
        year, client, login_as):
    """Absent from g01's last two sessions: the first without any reason (to ask her), the
    second excused once; a woman absent at the first and third session is not listed."""
    login_as("sup-01")
    absent = _section(client.get(reverse("home")).content.decode(), "absent")
    first, second, third = (_name(code) for code in year["g01"][:3])
    assert first in absent and second in absent and third not in absent
    first_row = absent.split(first)[1].split("</li>\n")[0]
    assert "Sin motivo registrado: pregúntale por qué" in first_row
    second_row = absent.split(second)[1].split("</ul>")[0]
    assert "justificada (dio un motivo)" in second_row and "sin motivo registrado" in second_row
    assert "Sesión 2:" in second_row and "Sesión 3:" in second_row


def test_supervisor_home_lists_double_entries_to_settle(year, client, login_as):
    login_as("sup-01")
    settle = _section(client.get(reverse("home")).content.decode(), "to-settle")
    assert reverse("delivery:compare", args=["g03:bienestar-02"]) in settle
    assert "Grupo Monterrey · Sesión 2:" in settle


def test_supervisor_never_sees_another_supervisors_groups(year, client, login_as):
    """sup-01's home names nothing of sup-02's groups: no sheet, session, absence or place."""
    login_as("sup-01")
    html = client.get(reverse("home")).content.decode()
    todo = html.split("<h2>Mis grupos</h2>")[0]
    for other in ("Grupo Matasano", "Grupo Laguna del Cofre", "g04:", "g05:",
                  _name(year["g04"][0])):
        assert other not in todo
    login_as("sup-02")
    html = client.get(reverse("home")).content.decode()
    assert _name(year["g04"][0]) in _section(html, "absent")
    assert "Grupo Reforma" not in html.split("<h2>Mis grupos</h2>")[0]


def test_coordinator_home_lists_missed_and_at_risk_sessions(year, client, login_as):
    """At risk: past their date with no sheet, across the program (with their supervisor).
    Missed: g05's third session, cancelled, with no new date yet."""
    login_as("coord-01")
    html = client.get(reverse("home")).content.decode()
    at_risk = _section(html, "to-type")
    for key in ("g02:bienestar-03", "g06:bienestar-01", "g09:bienestar-03"):
        assert reverse("delivery:entry", args=[key]) in at_risk
    assert reverse("delivery:entry", args=["g05:bienestar-03"]) not in at_risk  # cancelled
    missed = _section(html, "missed")
    assert reverse("planning:session", args=["g05:bienestar-03"]) in missed
    assert "Grupo Laguna del Cofre · Sesión 3:" in missed and "Se cayó el puente" in missed


def test_coordinator_home_lists_groups_falling_behind(year, client, login_as):
    """Three sessions were planned before today: g01 held them all, g02 two, g05 none held."""
    login_as("coord-01")
    behind = _section(client.get(reverse("home")).content.decode(), "behind")
    assert "Grupo Reforma" not in behind
    assert "Grupo Letrero</strong></a> · realizadas: 2 de 3 planeadas a la fecha" in behind
    assert "Grupo Laguna del Cofre</strong></a> · realizadas: 0 de 3" in behind


def test_coordinator_home_lists_suggestions_waiting_for_a_decision(year, client, login_as):
    login_as("coord-01")
    decide = _section(client.get(reverse("home")).content.decode(), "to-decide")
    assert reverse("delivery:suggestion", args=[year["waiting"].pk]) in decide
    assert "Que las sesiones empiecen a las once" in decide and "Grupo Reforma" in decide
    assert "esperando 27 días" in decide
    assert "Traer agua" not in decide


def test_facilitator_home_lists_her_next_sessions_with_their_guide(year, client, login_as):
    login_as("fac-01")
    upcoming = _section(client.get(reverse("home")).content.decode(), "next-sessions")
    assert reverse("curriculum:session", args=["bienestar-04"]) in upcoming
    assert reverse("delivery:kit", args=["g01:bienestar-04"]) in upcoming
    assert "Grupo Reforma · Sesión 4:" in upcoming and "jueves 19 de octubre" in upcoming
    assert "g01:bienestar-03" not in upcoming  # past


def test_each_list_says_plainly_when_nothing_is_pending(ces, today, client, login_as):
    """With no plan, every list says 'Nada pendiente' rather than showing an empty box."""
    login_as("sup-01")
    html = client.get(reverse("home")).content.decode()
    for section in ("to-type", "this-week", "absent", "to-settle"):
        assert "Nada pendiente" in _section(html, section), section
    login_as("coord-01")
    html = client.get(reverse("home")).content.decode()
    for section in ("to-type", "missed", "behind", "to-decide"):
        assert "Nada pendiente" in _section(html, section), section
    login_as("fac-01")
    assert "Nada pendiente" in _section(client.get(reverse("home")).content.decode(),
                                        "next-sessions")


def test_the_saved_page_offers_the_next_sheet_to_type(year, client, login_as):
    """After saving g02's third sheet, the next is g03's third (the oldest left); after that
    one, nothing is pending."""
    login_as("sup-01")
    form = _complete_form("g02:bienestar-03")
    response = client.post(reverse("delivery:entry", args=["g02:bienestar-03"]), form,
                           follow=True)
    following = _section(response.content.decode(), "next-sheet")
    assert reverse("delivery:entry", args=["g03:bienestar-03"]) in following
    assert "Grupo Monterrey · Sesión 3:" in following and "1 hoja por capturar" in following
    response = client.post(reverse("delivery:entry", args=["g03:bienestar-03"]),
                           _complete_form("g03:bienestar-03"), follow=True)
    assert "Nada pendiente" in _section(response.content.decode(), "next-sheet")


def _complete_form(key: str) -> dict:
    page = sheet_page(actor=policy.as_actor(Person.objects.get(code="sup-01")), key=key)
    data = {"date": page.planned.date.isoformat(), "outcome": "held",
            "facilitator": page.planned.facilitator.code, "duration_minutes": "115"}
    data |= {f"attendance-{person.code}": "present" for person in page.roster}
    return data | {f"fidelity-{n}": "done" for n in range(1, len(page.activities) + 1)}


@pytest.mark.parametrize("code", ["sup-01", "coord-01", "fac-01"])
def test_a_home_takes_a_bounded_number_of_queries(year, client, login_as, code,
                                                  django_assert_max_num_queries):
    """Nine groups, forty-five sessions, eleven sheets: each home in a fixed handful of
    queries (none per group, session, sheet or person)."""
    login_as(code)
    client.get(reverse("home"))  # the curriculum and the session loaded once
    with django_assert_max_num_queries(16):
        assert client.get(reverse("home")).status_code == 200


def test_the_to_do_lists_read_in_english_on_the_english_side(year, client, login_as, settings):
    login_as("sup-01")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("home")).content.decode()
    assert "Sheets to type" in html and "waiting 35 days" in _section(html, "to-type")
    assert "Thursday October 19" in _section(html, "this-week")
    assert " de " not in _section(html, "this-week").split("Session 4")[0]
