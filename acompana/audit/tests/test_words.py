"""Every action the code records and every sensitive page it logs has words on the trail's
page: a new one added without them would show as code to the coordinator."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from acompana import policy
from acompana.audit.words import ACTIONS, PAGES, Lookups, Words

SOURCE = Path(__file__).resolve().parents[2]
# An action named where it is recorded: record("alert.sent", …), action="account.role", or a
# conditional choice between two ("alert.gave-up" if … else "alert.failed").
RECORDED = re.compile(r'(?:action=|record\(|if \w+ else |\()"([a-z-]+\.[a-z-]+)"')


def _recorded_actions() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found.update(RECORDED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_recorded_action_has_words():
    actions = {action for action in _recorded_actions()
               if action.split(".")[0] in {prefix.split(".")[0] for prefix in ACTIONS}}
    assert "alert.gave-up" in actions  # the search finds a conditional action
    assert actions - ACTIONS.keys() == set()


def test_every_sensitive_page_has_words():
    assert policy.SENSITIVE_VIEWS - PAGES.keys() == set()


@pytest.mark.django_db
def test_a_command_is_named_as_the_servers_administration_not_as_code():
    with translation.override("es"):
        who = Lookups([]).who("acompana load-program")
    assert who == Words("La administración del servidor (comando load-program)")


@pytest.mark.django_db
def test_a_session_logs_rows_and_its_planned_session_are_in_words(ces):
    """A log's entry holds its detail rows by kind and, from an import, the planned session it
    marked held: each row is a line of its own, named and with its statuses in Spanish."""
    from acompana.audit.models import AuditEntry
    from acompana.audit.words import rows
    from acompana.programs.models import Person

    name = Person.objects.get(code="ac-g01-02").name
    entry = AuditEntry.objects.create(
        actor="coord-01 (coordinator)", action="record.update", target="delivery.sessionlog#7",
        outcome="allowed", changes={
            "attendance": {"ac-g01-02": ["absent", "present"]},
            "fidelity": {"2": [None, {"activity": "Respiración", "status": "adapted"}]},
            "feedback": {"1-3": [2, 4]},
            "planned_session_status": ["missed", "held"],
            "planned_session_status_reason": ["lluvia", ""]})
    with translation.override("es"):
        shown = [(change.field, change.before, change.after)
                 for change in rows([entry])[0].changes]
    assert shown == [
        (Words(f"Asistencia de {name}"), Words("Ausente"), Words("Presente")),
        (Words("Actividad 2"), Words("∅"), Words("Adaptada")),
        (Words("Caritas, pregunta 1: carita 3"), Words("2"), Words("4")),
        (Words("sesión planeada: estado"), Words("No realizada"), Words("Realizada")),
        (Words("sesión planeada: motivo"), Words("lluvia"), Words("∅"))]


@pytest.mark.django_db
def test_dates_and_a_logs_own_fields_read_as_words(ces):
    """An entry keeps dates as ISO text: the page shows them as people write them, and a log's
    version and last save under their Spanish names, never as field codes."""
    from acompana.audit.models import AuditEntry
    from acompana.audit.words import rows

    entry = AuditEntry.objects.create(
        actor="coord-01 (coordinator)", action="record.update", target="delivery.sessionlog#7",
        outcome="allowed", changes={"date": ["2023-07-11", "2023-07-12"], "version": [1, 2],
                                    "updated_at": [None, "2023-07-12T16:05:00.000Z"]})
    with translation.override("es"):
        shown = [(change.field, change.before, change.after)
                 for change in rows([entry])[0].changes]
    assert shown[:2] == [
        (Words("fecha"), Words("11 de julio de 2023"), Words("12 de julio de 2023")),
        (Words("versión"), Words("1"), Words("2"))]
    field, before, after = shown[2]
    assert field == Words("guardado por última vez") and before == Words("∅")
    assert after.text.startswith("12 de julio de 2023") and not after.code
