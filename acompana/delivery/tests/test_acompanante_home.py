"""The Acompañante's own page: her next session in words, her attendance this year, the handouts
of her group's sessions, and suggestions she sends, named or anonymous."""

import datetime as dt

import pytest
from django.utils import timezone

from acompana import policy
from acompana.audit.models import AuditEntry
from acompana.delivery.models import Attendance, SessionLog, Suggestion, SuggestionChange
from acompana.delivery.services import SuggestionError, do_send_own_suggestion
from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from acompana.planning.models import PlannedSession
from acompana.planning.services import do_store_plan
from acompana.programs.models import Person


@pytest.fixture
def sessions(ces, settings, tmp_path):
    """g01's session two weeks ago (held, Ana absent) and its next one, in a week."""
    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    today = timezone.localdate()
    plan = [{"id": key, "track": "wellbeing", "session": code, "group": "g01",
             "supervisor": "sup-01", "facilitator": "fac-01", "community": "reforma",
             "date": day.isoformat(), "start": "10:00", "end": "12:00"}
            for key, code, day in (("g01:antes", "bienestar-01", today - dt.timedelta(days=14)),
                                   ("g01:despues", "bienestar-02", today + dt.timedelta(days=7)))]
    do_store_plan(program=ces, plan={"sessions": plan}, by=policy.OPERATOR)
    past = PlannedSession.objects.get(key="g01:antes")
    log = SessionLog.objects.create(planned=past, group=past.group, session_code=past.session_code,
                                    date=past.date, outcome="held",
                                    facilitator=past.facilitator, entered_by=past.facilitator)
    Attendance.objects.create(log=log, person=Person.objects.get(code="ac-g01-02"),
                              status="absent")
    from acompana.delivery.services import refresh_figures
    from acompana.reports.services import refresh_program_days

    refresh_figures(SessionLog.objects.filter(pk=log.pk))
    refresh_program_days(ces.pk, {past.date})
    return past


def test_her_page_says_her_next_session_in_words_and_her_year(sessions, login_as, client):
    login_as("ac-g01-02")
    page = client.get("/").content.decode()
    assert "Mi próxima sesión" in page and "Reforma" in page
    assert "Vamos a platicar de:" in page
    assert 'class="session-picture"' in page and 'alt="Un círculo"' in page  # its picture
    assert "Viniste a 0 sesiones de 1." in page
    assert "/registro/folleto/g01:antes/" in page and "faltaste" in page
    assert "800 911 2000" in page  # how to reach help


def test_a_handout_is_hers_only_for_her_groups_sessions(sessions, login_as, client):
    login_as("ac-g01-02")
    assert client.get("/registro/folleto/g01:antes/").status_code == 200
    login_as("ac-g05-01")
    assert client.get("/registro/folleto/g01:antes/").status_code == 404


def test_an_anonymous_suggestion_links_to_no_one(ces, client, login_as):
    """Not the suggestion, not its history, not the audit trail names who sent it."""
    ana = login_as("ac-g01-02")
    response = client.post("/registro/mi-sugerencia/", {"text": "Más tiempo para platicar",
                                                        "anonymous": "yes"})
    assert "sin tu nombre" in response.content.decode()
    suggestion = Suggestion.objects.get()
    assert (suggestion.person, suggestion.group.code) == (None, "g01")
    assert not SuggestionChange.objects.filter(suggestion=suggestion).exists()
    [entry] = [e for e in AuditEntry.objects.filter(action="record.create")
               if "Más tiempo para platicar" in str(e.changes)]
    assert entry.user_id is None and ana.code not in entry.actor and entry.address is None


def test_a_named_suggestion_says_who(ces, login_as):
    ana = login_as("ac-g01-02")
    suggestion = do_send_own_suggestion(by=ana, text="Sesiones en la tarde", anonymous=False)
    assert suggestion.person == ana and suggestion.changes.get().by == ana
    with pytest.raises(SuggestionError):
        do_send_own_suggestion(by=ana, text="  ", anonymous=True)
