"""The Spanish catalogue is complete and its compiled .mo matches the committed .po."""

from pathlib import Path

import polib
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "acompana" / "locale" / "es" / "LC_MESSAGES"


def test_every_message_has_a_spanish_translation():
    po = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_compiled_catalogue_matches_the_source():
    """A .po edited without `compilemessages` would ship stale Spanish."""
    po = {e.msgid: e.msgstr for e in polib.pofile(str(LOCALE / "django.po"))
          if e.msgstr and not e.obsolete}
    mo = {e.msgid: e.msgstr for e in polib.mofile(str(LOCALE / "django.mo"))
          if e.msgid and not e.msgid_plural}
    assert mo == po


def test_interface_is_spanish_by_default():
    with translation.override("es"):
        assert translation.gettext("Log out") == "Cerrar sesión"
