"""`acompana export-all [--out FILE.zip]`: every record, one CSV per table, with a manifest."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from acompana import policy
from acompana.ops.archive import do_export_all


class Command(BaseCommand):
    help = ("Write every record of the database to one zip: a CSV per table and manifest.json "
            "(tables, columns, row counts, SHA-256). It holds password hashes and the audit "
            "trail: keep it as carefully as the database.")

    def add_arguments(self, parser):
        parser.add_argument("--out", help="zip to write (default: <data dir>/exports/"
                                          "acompana-<date-time>.zip)")

    def handle(self, *args, out, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(out) if out else settings.DATA_DIR / "exports" / f"acompana-{stamp}.zip"
        path.parent.mkdir(parents=True, exist_ok=True)
        manifest = do_export_all(out=path, by=policy.OPERATOR)
        rows = sum(table["rows"] for table in manifest["tables"])
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {rows} records from {len(manifest['tables'])} tables to {path}"))
