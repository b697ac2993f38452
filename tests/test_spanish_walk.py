"""Every page of every role in Spanish, spoken to as "tú", naming things as people do.

The walk signs in as each role and opens every page that role may open, with the keys of a
program that has lived a little (a planned year, a sheet typed and a session missed, a re-plan,
a photographed sheet waiting to be checked, suggestions moved along, a referral, refused
accesses in the audit trail, a job). It fails on English words and on codes where people read:
group codes, session keys, dotted audit actions, URL names, snake_case, status codes joined by
arrows; and on the formal "usted" register. The Spanish catalogue itself must be whole: every
entry translated, not fuzzy, with all of Spanish's plural forms.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.contrib import admin
from django.urls import reverse

from acompana import policy
from acompana.delivery.models import Suggestion
from acompana.delivery.selectors import sheet_page
from acompana.delivery.services import do_change_suggestion_status, do_receive_suggestion
from acompana.delivery.tests.sheets import complete_form
from acompana.forms.models import ScannedPage
from acompana.forms.tests.paper import photo, printed_specs, upload
from acompana.jobs.models import Job
from acompana.planning.models import PlannedSession
from acompana.planning.services import do_mark_session, do_plan_program
from acompana.programs.models import Person
from acompana.wellbeing.services import (
    do_acknowledge_referral,
    do_give_consent,
    do_record_assessment,
)
from tests.support import ROLE_PEOPLE
from tests.test_policy_walk import QUERIES, UNSCOPED, url_patterns

LOCALE = Path(__file__).resolve().parents[1] / "acompana" / "locale"

# English left on a Spanish page (whole words, any case unless noted).
ENGLISH = ["the", "and", "page", "pages", "read", "saved", "marks", "could not", "planned",
           "held", "missed", "received", "discussed", "adopted", "endline", "baseline",
           "refused", "allowed", "access", "submit", "download", "cancelled", "absent",
           "present", "excused", "status", "group", "session", "none", "true", "false",
           "check", "below", "waiting", "done", "failed", "pending", "of", "with", "not",
           "please", "save", "delete", "add", "change", "history", "search", "filter",
           "yes", "no longer", "view site", "log in", "log out", "password"]
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])",
                        re.IGNORECASE)
# Spanish left on an English page (words no English sentence, nor a name such as "Grupo
# Reforma", has).
SPANISH = ["sesión", "sesiones", "guardar", "página", "hoja", "plan de trabajo", "canalización",
           "cuestionario", "contraseña", "buscar", "sugerencia", "usted", "tú"]
SPANISH_RE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, SPANISH)) + r")(?![\w-])",
                        re.IGNORECASE)
# Codes where people read: (what it is, pattern).
CODES = [
    ("group code", re.compile(r"(?<![\w-])g\d\d(?![\w-])")),
    ("session key", re.compile(
        r"(?<![\w-])(?:(?:g\d\d|sup-\d\d):)?(?:bienestar|supervisores)-\d\d(?![\w-])")),
    ("dotted action name", re.compile(
        r"(?<![\w.])(?:access|write|record|account|referral|alert|export)\.[a-z_]+(?![\w.])")),
    ("URL name", re.compile(r"(?<![\w:])[a-z_]+:[a-z_]+(?![\w:])")),
    ("arrow between codes", re.compile(r"[a-z-]+ → [a-z-]+")),
    ("snake_case", re.compile(r"(?<![\w.])[a-z]+_[a-z_]+(?![\w.])")),
    ("program code", re.compile(r"(?<![\w-])ces(?![\w-])")),
]
# The formal register: the app speaks to workers as "tú".
USTED = re.compile(r"(?<!\w)(usted|ingrese|seleccione|haga clic|escriba su|verifique|"
                   r"revísela|revíselas|ábrala|olvidó su|introduzca|pulse|intente de nuevo|"
                   r"asegúrese|tenga en cuenta|por favor,? (?:corrija|escriba|elija)|"
                   r"su contraseña|sus datos|su sugerencia|no doble|escriba o|dibuje|marque|"
                   r"tache|rellene)(?!\w)",
                   re.IGNORECASE)
# Attributes people read (a screen reader says them; a tooltip shows them).
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}
# Not words of the app: machine text shown as code, what someone typed, a cited title.
SKIPPED_ELEMENTS = {"script", "style", "template", "code", "pre", "textarea", "cite"}


class VisibleText(HTMLParser):
    """The text a person reads or hears on a page: text outside scripts and styles, the
    attributes screen readers say, and the words on buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in SKIPPED_ELEMENTS:
            self._skipping.append(tag)
        self.parts += [values[name] or "" for name in READ_ATTRIBUTES if name in values]
        if tag == "input" and values.get("type") in {"submit", "button", "reset"}:
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [" ".join(part.split()) for part in parser.parts if part.strip()]


QUOTED = re.compile(r"'[^']*'")


def problems_of(html: str, *, codes: bool = True, language: str = "es",
                quoting: bool = False) -> list[str]:
    """What is wrong with a page, one line each, with the offending text. `codes` False: a
    back-office page whose lists show records' codes as their id columns. `quoting`: a page
    that quotes, between single quotes, what was in the file sent (its columns and values)."""
    found = []
    other_language = ENGLISH_RE if language == "es" else SPANISH_RE
    for text in visible_text(html):
        text = QUOTED.sub("'…'", text) if quoting else text
        for match in other_language.finditer(text):
            found.append(f"wrong language {match.group(0)!r} in {text!r}")
        for what, pattern in CODES if codes else ():
            for match in pattern.finditer(text):
                found.append(f"{what} {match.group(0)!r} in {text!r}")
        for match in USTED.finditer(text) if language == "es" else ():
            found.append(f"usted {match.group(0)!r} in {text!r}")
    return found


# --- The catalogue -------------------------------------------------------------------------

def _plural_count(po: polib.POFile) -> int:
    return int(re.search(r"nplurals\s*=\s*(\d+)", po.metadata["Plural-Forms"]).group(1))


def test_spanish_catalogue_is_whole():
    """Every entry translated, none fuzzy, every plural with all of Spanish's forms."""
    po = polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))
    forms = _plural_count(po)
    assert forms == 3
    wrong = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            wrong.append(("fuzzy", entry.msgid))
        if entry.msgid_plural:
            given = [entry.msgstr_plural.get(n, "") for n in range(forms)]
            if not all(given):
                wrong.append(("plural forms missing", entry.msgid, given))
        elif not entry.msgstr:
            wrong.append(("untranslated", entry.msgid))
    assert wrong == [], "\n".join(map(str, wrong))


def test_spanish_catalogue_speaks_as_tu():
    """The register chosen is "tú": no translation addresses the reader as "usted"."""
    po = polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))
    formal = [(entry.msgid, match.group(0)) for entry in po if not entry.obsolete
              for text in [entry.msgstr, *entry.msgstr_plural.values()]
              for match in USTED.finditer(text or "")]
    assert formal == [], "\n".join(map(str, formal))


# --- A program that has lived a little -------------------------------------------------------

@pytest.fixture
def lived(ces, login_as, client):
    """The CES year planned, then a few months of work by each role (see the module's doc)."""
    do_plan_program(by=policy.OPERATOR, program=ces)
    supervisor = login_as(ROLE_PEOPLE["supervisor"])
    g01 = list(PlannedSession.objects.filter(group__code="g01").order_by("date"))
    # A sheet typed: its history goes planned -> held.
    page = sheet_page(actor=policy.actor_of(supervisor.user), key=g01[0].key)
    assert client.post(reverse("delivery:entry", args=[g01[0].key]),
                       complete_form(page, date=str(g01[0].date))).status_code == 302
    # A session missed, then the year re-planned around it.
    do_mark_session(session=g01[1], status="missed", reason="Camino cerrado por la lluvia",
                    by=supervisor)
    do_plan_program(by=policy.OPERATOR, program=ces)
    # A photographed sheet with a doubtful mark, waiting to be checked.
    key = PlannedSession.objects.filter(group__code="g01", status="planned") \
        .order_by("date").first().key
    assert client.get(reverse("forms:print_sheet", args=[key])).status_code == 200
    specs = [s for s in printed_specs(ces, "attendance") if s.identity.group == "g01"]
    roster = [row.id.split(":")[1] for row in specs[0].rows if row.id.startswith("attendance:")]
    marks = {f"attendance:{code}": "present" for code in roster}
    marks[f"attendance:{roster[0]}"] = ("present", "absent")
    response = client.post(reverse("forms:upload"), {
        "files": [upload(f"hoja-{n}.jpg", photo(spec, marks, seed=7))
                  for n, spec in enumerate(specs, start=1)], "session": ""})
    assert response.status_code == 200
    uploaded = problems_of(response.content.decode())
    # Suggestions moved along.
    coordinator = Person.objects.get(code="coord-01")
    suggestion = do_receive_suggestion(program=ces, text="Reunirnos en la escuela",
                                       received_on=dt.date(2023, 8, 8), by=coordinator,
                                       group=ces.groups.get(code="g01"))
    do_change_suggestion_status(suggestion=suggestion, status="discussed", reason="",
                                by=coordinator)
    do_change_suggestion_status(suggestion=suggestion, status="not-adopted",
                                reason="La escuela está cerrada", by=coordinator)
    Suggestion.objects.create(program=ces, text="Más tiempo para platicar",
                              received_on=dt.date(2023, 9, 1),
                              person=Person.objects.get(code=ROLE_PEOPLE["acompanante"]))
    # A member at risk, referred; her questionnaires at baseline and endline.
    member = Person.objects.get(code=ROLE_PEOPLE["acompanante"])
    do_give_consent(person=member, method="paper", recorded_by=member)
    do_record_assessment(person=member, instrument="who5", wave="baseline",
                         responses=[2, 2, 3, 1, 2], mode="paper", entered_by=member)
    _assessment, referral = do_record_assessment(
        person=member, instrument="phq9", wave="baseline", responses=[1] * 8 + [1],
        mode="paper", entered_by=member)
    do_record_assessment(person=member, instrument="who5", wave="endline",
                         responses=[3, 3, 3, 2, 3], mode="paper", entered_by=member)
    do_acknowledge_referral(referral=referral, by=Person.objects.get(code="clin-01"))
    # Refused accesses in the audit trail; a job started.
    login_as(ROLE_PEOPLE["acompanante"])
    client.get(reverse("wellbeing:person_results", args=["ac-g05-01"]))
    client.get(reverse("audit:trail"))
    job = Job.objects.create(kind="reports.monthly", owner=coordinator,
                             title="Informe mensual", params={"month": "2023-09"})
    return {"group": "g01", "member": ROLE_PEOPLE["acompanante"], "session": g01[0].key,
            "suggestion": suggestion.pk, "referral": referral.pk,
            "scan": ScannedPage.objects.filter(status="pending").first().pk, "job": job.pk,
            "uploaded": uploaded}


# Keys of the role's own records for the views that take them (see tests/test_policy_walk.py).
KEYS = {
    "programs:group_detail": {"code": "group"}, "programs:person_detail": {"code": "member"},
    "planning:session": {"key": "session"}, "planning:mark": {"key": "session"},
    "delivery:entry": {"key": "session"}, "delivery:saved": {"key": "session"},
    "delivery:kit": {"key": "session"}, "delivery:handout": {"key": "session"},
    "delivery:second_entry": {"key": "session"}, "delivery:compare": {"key": "session"},
    "delivery:settle": {"key": "session"}, "delivery:suggestion": {"pk": "suggestion"},
    "reports:group": {"code": "group"}, "wellbeing:person_results": {"code": "member"},
    "wellbeing:person_fhir": {"code": "member"}, "wellbeing:paper_entry": {"code": "member"},
    "wellbeing:record_consent": {"code": "member"}, "wellbeing:referral": {"pk": "referral"},
    "wellbeing:acknowledge": {"pk": "referral"}, "jobs:job": {"pk": "job"},
    "jobs:download": {"pk": "job"}, "forms:review": {"pk": "scan"},
    "forms:discard": {"pk": "scan"}, "forms:print_sheet": {"key": "session"},
    "accounts:account": {"code": "member"},
}


def _pages(actor: policy.Actor, records: dict) -> list[tuple[str, str, dict]]:
    """(URL name, path, query) of every page the actor may open, with her own records' keys."""
    pages = []
    for name, parameters in url_patterns():
        if name.startswith("admin:") or name.endswith(":?") or not policy.may_open(actor, name):
            continue
        if name in KEYS:
            kwargs = {key: records[value] for key, value in KEYS[name].items()}
        elif parameters:
            kwargs = UNSCOPED[name]
        else:
            kwargs = {}
        query = QUERIES.get(name, {}) | ({"group": "g01"} if name == "forms:print_slips" else {})
        pages.append((name, reverse(name, kwargs=kwargs), query))
    return pages


def _admin_pages(ces) -> list[tuple[str, str, dict]]:
    """The admin's index, and each model's list, add and change pages on her program's record."""
    pages = [("admin:index", reverse("admin:index"), {}),
             ("admin:password_change", reverse("admin:password_change"), {})]
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        if model._meta.app_label not in {"programs", "planning", "delivery", "wellbeing"}:
            continue
        pages.append((f"admin:{info}_changelist", reverse(f"admin:{info}_changelist"), {}))
        own = (model.objects.filter(pk=ces.pk) if model._meta.model_name == "program"
               else model.objects.filter(program=ces)
               if any(f.name == "program" for f in model._meta.fields) else model.objects.all())
        first = own.first()
        if first is not None:
            pages.append((f"admin:{info}_change",
                          reverse(f"admin:{info}_change", args=[first.pk]), {}))
    return pages


def pdf_text(data: bytes) -> str:
    """A printout's text as HTML paragraphs, one a line, for the same checks as a page."""
    import html

    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as document:
        lines = [line for page in document for line in page.get_text().splitlines()]
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def _check(client, pages, role: str, opened: list, wrong: list, language: str = "es") -> None:
    for name, path, query in pages:
        response = client.get(path, query)
        # A printout speaks the program's language (it goes to the group), not the reader's.
        if response.status_code == 200 and response.get("Content-Type") == "application/pdf" \
                and language == "es":
            opened.append(name)
            wrong += [f"{role} {name} ({path}, printout): {problem}" for problem in problems_of(
                pdf_text(b"".join(response.streaming_content) if response.streaming
                         else response.content), language=language)]
            continue
        # 400: a page refusing what was asked, still read by a person.
        if response.status_code not in {200, 400} or "text/html" not in response.get(
                "Content-Type", ""):
            continue
        opened.append(name)
        wrong += [f"{role} {name} ({path}): {problem}" for problem in problems_of(
            response.content.decode(), codes=not name.startswith("admin:"), language=language)]


ROLES = sorted(ROLE_PEOPLE)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_is_in_spanish(role, lived, login_as, client):
    person = login_as(ROLE_PEOPLE[role])
    actor = policy.actor_of(person.user)
    opened, wrong = [], [f"upload: {problem}" for problem in lived.pop("uploaded")]
    _check(client, _pages(actor, lived), role, opened, wrong)
    if role == "coordinator":
        _check(client, _admin_pages(person.program), role, opened, wrong)
    assert len(opened) >= 5, opened
    assert wrong == [], f"{len(wrong)} problems:\n" + "\n".join(sorted(set(wrong)))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_is_in_english_on_the_english_side(role, lived, login_as,
                                                                      client):
    """The same walk with English chosen: no Spanish left, no codes where people read."""
    from django.conf import settings

    person = login_as(ROLE_PEOPLE[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    opened, wrong = [], []
    _check(client, _pages(policy.actor_of(person.user), lived), role, opened, wrong, "en")
    if role == "coordinator":
        _check(client, _admin_pages(person.program), role, opened, wrong, "en")
    assert len(opened) >= 5, opened
    assert wrong == [], f"{len(wrong)} problems:\n" + "\n".join(sorted(set(wrong)))


def test_refusals_are_in_spanish(lived, login_as, client):
    """What a page says when it refuses what was typed or sent: a sheet with holes, a file
    that is not an attendance file, a good file with wrong rows, a suggestion with no text."""
    supervisor = login_as(ROLE_PEOPLE["supervisor"])
    key = PlannedSession.objects.filter(group__code="g01", status="planned") \
        .order_by("date").first().key
    page = sheet_page(actor=policy.actor_of(supervisor.user), key=key)
    sheet = complete_form(page, duration_minutes="", date="2023-13-40", outcome="")
    del sheet[f"attendance-{page.roster[0].code}"]
    rows = ("date,group,session,person,status\n2023-07-11,g01,bienestar-01,ac-g01-02,presente\n"
            "fecha,g99,bienestar-99,nadie,quizá\n")
    responses = {
        "refused sheet": client.post(reverse("delivery:entry", args=[key]), sheet),
        "file that is no table": client.post(reverse("delivery:import"), {
            "source": "commcare", "file": upload("asistencia.csv", b"\x00\x01", "text/csv")}),
        "file with wrong rows": client.post(reverse("delivery:import"), {
            "source": "commcare", "file": upload("asistencia.csv", rows.encode(), "text/csv")}),
        "empty suggestion": client.post(reverse("delivery:suggestion_new"), {"text": ""}),
    }
    wrong = [f"{what}: {problem}" for what, response in responses.items()
             for problem in problems_of(response.content.decode(), quoting=True)]
    assert {r.status_code for r in responses.values()} <= {200, 400}, responses
    assert wrong == [], "\n".join(wrong)


def test_login_and_password_pages_are_in_spanish(login_as, client):
    """What a person sees before she is signed in: the login page and its refusal, the
    one-time link to choose a password (good, used up, and with passwords refused)."""
    from acompana.accounts.services import do_issue_password_reset

    person = login_as(ROLE_PEOPLE["supervisor"])
    link = do_issue_password_reset(person=person, by=policy.OPERATOR)
    client.logout()
    opened, wrong = [], []
    _check(client, [("accounts:login", reverse("accounts:login"), {}),
                    ("accounts:reset", link, {}),
                    ("accounts:reset used", reverse("accounts:reset", kwargs=UNSCOPED[
                        "accounts:reset"]), {})], "anonymous", opened, wrong)
    refused = [("accounts:login", client.post(reverse("accounts:login"), {
                    "username": person.user.username, "password": "mala"})),
               ("accounts:reset", client.post(link, {"password": "123", "password_again": "123"}))]
    for name, response in refused:
        opened.append(name)
        wrong += [f"anonymous {name} (refused): {problem}"
                  for problem in problems_of(response.content.decode())]
    assert len(opened) == 5, opened
    assert wrong == [], "\n".join(wrong)


def test_own_password_page_and_its_refusals_are_in_spanish(login_as, client):
    """Changing one's own password: the page, and Django's password rules when refused."""
    login_as(ROLE_PEOPLE["facilitator"])
    response = client.post(reverse("accounts:password"), {
        "old_password": "una-clave-larga-1", "password": "12345", "password_again": "12345"})
    assert response.status_code in {200, 400}
    text = response.content.decode()
    assert "Tu contraseña" in text or "contraseña" in text
    assert problems_of(text) == []
