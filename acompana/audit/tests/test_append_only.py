"""Nobody changes the audit trail: not the model, not raw SQL through the app's connection."""

import pytest
from django.db import DatabaseError, connection, transaction

from acompana.audit.models import AuditEntry, AuditEntryImmutable
from acompana.audit.services import do_record_access


@pytest.fixture
def entry(db):
    return do_record_access(actor=None, action="view-results", subject="ac-g01-02",
                            allowed=False)


def test_model_refuses_to_change_or_delete(entry):
    entry.action = "nothing"
    with pytest.raises(AuditEntryImmutable):
        entry.save()
    with pytest.raises(AuditEntryImmutable):
        entry.delete()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditentry SET subject = 'someone-else'",
    "DELETE FROM audit_auditentry",
])
def test_database_refuses_raw_changes(entry, statement):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEntry.objects.get().subject == "ac-g01-02"


def test_entries_survive_a_transactional_test(transactional_db):
    """The flush after a transactional test still works with entries present."""
    do_record_access(actor=None, action="view-results", subject="x", allowed=True)


def test_queryset_bulk_delete_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1
