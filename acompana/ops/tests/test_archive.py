"""`acompana export-all` and `acompana import-all`: every record out and back, nothing lost."""

import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from acompana.delivery.models import Suggestion
from acompana.ops.archive import archived_models
from acompana.ops.tests.records import fill_every_kind_of_record, snapshot
from acompana.programs.models import Program
from tests.support import empty_audit_trail_for_flush


@pytest.fixture
def exported(transactional_db, settings, tmp_path, client):
    fill_every_kind_of_record(settings, tmp_path, client)
    path = tmp_path / "everything.zip"
    call_command("export-all", out=str(path))
    return path


def _empty_the_database():
    empty_audit_trail_for_flush()
    call_command("flush", interactive=False, verbosity=0)  # migrate's own rows come back


def test_manifest_lists_every_table_with_columns_counts_and_hashes(exported):
    with zipfile.ZipFile(exported) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = {entry["table"] for entry in manifest["tables"]}
        assert names == {model._meta.db_table for model in archived_models()}
        assert "programs_group_facilitators" in names  # many-to-many tables too
        people = next(e for e in manifest["tables"] if e["table"] == "programs_person")
        assert people["rows"] == 92 and people["columns"][:2] == ["id", "program_id"]
        assert len(people["sha256"]) == 64
        assert archive.read(people["file"]).decode().count("\n") == 93


def test_round_trip_into_an_empty_database_loses_nothing(exported):
    before = snapshot()
    _empty_the_database()
    assert snapshot() != before
    call_command("import-all", str(exported))
    assert snapshot() == before
    # New records get new ids: the sequences moved past the imported ones.
    newest = Suggestion.objects.order_by("pk").last()
    added = Suggestion.objects.create(program=Program.objects.get(), text="nueva",
                                      received_on=newest.received_on)
    assert added.pk > newest.pk


def test_a_database_with_records_is_refused(exported):
    before = snapshot()
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("import-all", str(exported))
    assert snapshot() == before


def test_a_changed_archive_is_refused_before_anything_is_written(exported, tmp_path):
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(changed, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "tables/programs_person.csv":
                data = data.replace(b"sup-01", b"sup-99")
            target.writestr(item, data)
    _empty_the_database()
    empty = snapshot()
    with pytest.raises(CommandError, match="does not match its SHA-256"):
        call_command("import-all", str(changed))
    assert snapshot() == empty
