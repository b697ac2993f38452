"""The `acompana` command.

Every subcommand is a Django management command living in the app it belongs to
(`acompana/<app>/management/commands/<name>.py`), so each bounded context adds its own
commands without touching this file: `acompana serve`, `acompana load-program DIR`, ...
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run an Acompaña subcommand (a Django management command) with the project settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acompana.settings")
    from django.core.management import execute_from_command_line

    from acompana.audit.acting import acting_as

    args = sys.argv[1:] if argv is None else argv
    # Records changed by a command are audited as changed by that command.
    with acting_as(" ".join(["acompana", *args[:1]])):
        execute_from_command_line(["acompana", *args])
