"""Planned sessions leave half of each page free, so their status can change in place.

A planned session is written once and then changed once or twice (held or missed, maybe
moved). With full pages (PostgreSQL's default) each change writes the row's new version on
another page and adds it to every one of the table's eight indexes; with room on its own page
the change is a heap-only update that touches no index. Half a page lets every session on it
change at once (an import of a year marks whole months held): marking the 10,000 sessions of
such an import held took 170-250 ms, 166 ms with a tenth of each page free, and 39 ms with half
(benchmarks/delivery.py). The table is small (a year of 1,000 groups: 12,000 rows), so twice
its pages cost little. Rows written from now on are laid out so (the table is not rewritten).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE planning_plannedsession SET (fillfactor = 50)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE planning_plannedsession RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("planning", "0003_calendar_event_sequence")]
    operations = [migrations.RunPython(forwards, backwards)]
