"""`acompana backup` and `acompana restore` lose nothing, and refuse what is not a backup."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from acompana.audit.models import AuditEntry
from acompana.delivery.models import Suggestion
from acompana.ops.tests.records import fill_every_kind_of_record, snapshot
from acompana.programs.models import Person


@pytest.fixture
def filled(transactional_db, settings, tmp_path, client):
    fill_every_kind_of_record(settings, tmp_path, client)


def _change_everything_a_little():
    Suggestion.objects.all().delete()
    Person.objects.filter(code="ac-g01-02").update(name="Otro nombre")
    AuditEntry.objects.create(action="after-the-backup", outcome="allowed")


def test_round_trip_loses_nothing(filled, tmp_path):
    before = snapshot()
    assert all(before[table] for table in ("programs_person", "delivery_attendance",
                                           "audit_auditentry", "axes_accesslog",
                                           "auth_user_user_permissions"))
    call_command("backup", out=str(tmp_path / "copy.bak"))
    _change_everything_a_little()
    assert snapshot() != before
    call_command("restore", str(tmp_path / "copy.bak"))
    assert snapshot() == before


def test_restored_audit_trail_is_still_append_only(filled, tmp_path):
    call_command("backup", out=str(tmp_path / "copy.bak"))
    call_command("restore", str(tmp_path / "copy.bak"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.exists()


@pytest.mark.parametrize("content", [b"", b"not a backup at all" * 100, b"SQLite format 3\x00"])
def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(filled, tmp_path, content):
    before = snapshot()
    junk = tmp_path / "junk.bak"
    junk.write_bytes(content)
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(junk))
    assert snapshot() == before
