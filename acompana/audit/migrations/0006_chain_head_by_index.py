"""The chain's trigger finds the previous entry by the primary key's index, whatever the
statistics say.

PL/pgSQL plans the trigger's `ORDER BY id DESC LIMIT 1` once per connection; planned while the
statistics said the trail was nearly empty (a fresh or newly loaded database), it scanned the
whole table and sorted it, once per entry: a statement writing thousands of entries then took
time in the square of their number (the 30,000 entries of an import of 100,000 attendance rows,
minutes). Sequential scans are turned off for the trigger's own queries, which read nothing else.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER FUNCTION audit_entry_chain() SET enable_seqscan = off")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER FUNCTION audit_entry_chain() RESET enable_seqscan")


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_hash_chain_triggers")]
    operations = [migrations.RunPython(forwards, backwards)]
