"""`acompana xlsform INSTRUMENT`: the instrument as an XLSForm for ODK, Kobo or CommCare."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from acompana.domain.instruments import INSTRUMENTS
from acompana.domain.instruments.xlsform import write_xlsform


class Command(BaseCommand):
    help = "Write an instrument as an XLSForm (Spanish and English labels)."

    def add_arguments(self, parser):
        parser.add_argument("instrument", help=f"one of {', '.join(sorted(INSTRUMENTS))}")
        parser.add_argument("--out", help="the .xlsx to write (default: <instrument>.xlsx)")

    def handle(self, *args, instrument, out, **options):
        if instrument not in INSTRUMENTS:
            raise CommandError(f"Unknown instrument '{instrument}'; expected one of "
                               f"{', '.join(sorted(INSTRUMENTS))}.")
        path = write_xlsform(instrument, Path(out or f"{instrument}.xlsx"))
        self.stdout.write(f"{path}")
