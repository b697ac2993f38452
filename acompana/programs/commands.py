"""What every `acompana` command needs from its arguments, with one clear line when it is wrong.

A command given a file that is not there, or an id the program does not have, stops with a
sentence saying so (Django prints a CommandError as one line), never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from acompana.programs.models import Person, Program


def program_named(code: str | None) -> Program:
    """The program `code`, or the only one when none is named."""
    if code:
        found = Program.objects.filter(code=code).first()
        if found is None:
            known = ", ".join(Program.objects.values_list("code", flat=True)) or "-"
            raise CommandError(_("There is no program '%(code)s'; the programs are %(known)s.")
                               % {"code": code, "known": known})
        return found
    programs = list(Program.objects.all()[:2])
    if not programs:
        raise CommandError(_("No program is loaded yet; load one first with `acompana "
                             "load-program DIR`."))
    if len(programs) > 1:
        raise CommandError(_("Several programs are loaded; name one with --program."))
    return programs[0]


def acting_person(program: Program, code: str | None, *, role: str) -> Person:
    """The person `code` of the program, or its first person with `role` when none is named."""
    if code:
        person = Person.objects.filter(program=program, code=code).first()
        if person is None:
            raise CommandError(_("%(program)s has no person '%(code)s'.")
                               % {"program": program.code, "code": code})
        return person
    person = Person.objects.filter(program=program, role=role).order_by("code").first()
    if person is None:
        raise CommandError(_("%(program)s has no %(role)s to act as; name a person with --by.")
                           % {"program": program.code, "role": role})
    return person


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CommandError(_("%(path)s: no such file.") % {"path": path}) from None
    except IsADirectoryError:
        raise CommandError(_("%(path)s is a folder; expected a file.") % {"path": path}) from None
    except OSError as error:
        raise CommandError(_("%(path)s cannot be read: %(error)s")
                           % {"path": path, "error": error.strerror}) from None


def steps(total: int | None, what: str, *, unit: str = "") -> tqdm:
    """A progress bar on the terminal (stderr), shown only when a person is watching it."""
    return tqdm(total=total, desc=what, unit=unit or "it", file=sys.stderr, disable=None,
                leave=False)
