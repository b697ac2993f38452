"""The `acompana` command.

Every subcommand is a Django management command living in the app it belongs to
(`acompana/<app>/management/commands/<name>.py`), so each bounded context adds its own
commands without touching this file: `acompana serve`, `acompana load-program DIR`, ...
`acompana --help` lists them, one line each; Django's own commands stay available
(`acompana help --commands` lists every one).
"""

import os
import sys

HELP_WORDS = ({"--help"}, {"-h"}, {"help"}, set())


def main(argv: list[str] | None = None) -> None:
    """Run an Acompaña subcommand (a Django management command) with the project settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acompana.settings")
    from django.core.management import execute_from_command_line

    from acompana.audit.acting import acting_as

    args = sys.argv[1:] if argv is None else argv
    if set(args) in HELP_WORDS:
        sys.stdout.write(overview())
        return
    # Records changed by a command are audited as changed by that command.
    with acting_as(" ".join(["acompana", *args[:1]])):
        execute_from_command_line(["acompana", *args])


def overview() -> str:
    """Each of Acompaña's own commands with the first sentence of its help."""
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    lines = ["Usage: acompana <command> [options]   (acompana <command> --help for its options)",
             "", "Commands:"]
    own = sorted((name, app) for name, app in get_commands().items()
                 if app.startswith("acompana."))
    width = max(len(name) for name, _app in own)
    for name, app in own:
        text = " ".join(str(load_command_class(app, name).help).split())
        first = text.split(". ")[0].rstrip(".")
        lines.append(f"  {name.ljust(width)}  {first}")
    lines += ["", "Django's own commands (migrate, createsuperuser, ...) work too: "
              "acompana help --commands lists them all."]
    return "\n".join(lines) + "\n"
