"""A database holding every kind of record, and a snapshot of every table's rows to compare."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.urls import reverse

from acompana import policy
from acompana.accounts.services import do_create_account
from acompana.delivery.models import Suggestion
from acompana.delivery.services import (
    do_change_suggestion_status,
    do_import_attendance,
    do_receive_suggestion,
)
from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from acompana.planning.services import do_store_plan
from acompana.programs.models import Group, Person, Program
from acompana.programs.services import do_load_program
from tests.support import CES

# Text that breaks naive CSV, NULL markers and spreadsheets.
AWKWARD = '\\N al inicio, "comillas", coma; salto\nde línea, =1+1, ñ y 💬'


def fill_every_kind_of_record(settings, tmp_path, client) -> None:
    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    program = do_load_program(by=policy.OPERATOR, location=CES).program
    coordinator = Person.objects.get(code="coord-01")
    do_create_account(by=policy.OPERATOR,
                      person=coordinator, username="coordinacion", password="una-clave-larga-1")
    do_store_plan(by=policy.OPERATOR, program=program, plan={"sessions": [{
        "id": "g01:bienestar-01", "track": "wellbeing", "session": "bienestar-01",
        "group": "g01", "supervisor": "sup-01", "facilitator": "fac-01",
        "community": "reforma", "date": "2023-07-11", "start": "10:00", "end": "12:00"}]})
    do_import_attendance(program=program, entered_by=coordinator, file_name="a.csv",
                         source="commcare", mapping={"person": "ID"},
                         data=(b"date,group,session,ID,status\n"
                               b"2023-07-11,g01,bienestar-01,ac-g01-02,presente\n"
                               b"2023-08-08,g02,bienestar-01,ac-g02-01,ausente\n"))
    suggestion = do_receive_suggestion(program=program, text=AWKWARD, by=coordinator,
                                       received_on=dt.date(2023, 8, 8),
                                       group=Group.objects.get(code="g01"))
    do_change_suggestion_status(suggestion=suggestion, status="not-adopted", reason=AWKWARD,
                                by=coordinator)
    Suggestion.objects.create(program=program, text="sin grupo", received_on=dt.date(2024, 1, 2),
                              person=Person.objects.get(code="ac-g01-03"))
    Program.objects.filter(pk=program.pk).update(planning={"closures": [AWKWARD, None, 1.5]})
    client.post(reverse("accounts:login"), {"username": "coordinacion", "password": "mala"})
    client.post(reverse("accounts:login"), {"username": "coordinacion",
                                            "password": "una-clave-larga-1"})


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            tables[table] = sorted(cursor.fetchall(), key=repr)
    return tables
