"""What goes into the audit trail, who reads it, and that nobody edits it through the admin."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from acompana import policy
from acompana.audit import recording
from acompana.audit.models import AuditEntry
from acompana.audit.services import do_record_access
from acompana.delivery.models import Suggestion
from acompana.programs.models import Community, Group, Membership, Person, Program
from tests.support import ROLE_PEOPLE


def _entries(action: str, **filters):
    return AuditEntry.objects.filter(action=action, **filters).order_by("id")


@pytest.fixture
def auditor(ces, login_as):
    """An auditor of the CES program (the CES file has none)."""
    Person.objects.create(program=ces, code="aud-01", name="Auditora Externa", role="auditor",
                          community=ces.communities.first())
    return login_as("aud-01")


def test_a_change_made_through_a_page_names_who_and_keeps_before_and_after(login_as, client):
    login_as("sup-01")
    client.post(reverse("delivery:suggestion_new"), {
        "group": "g01", "person": "ac-g01-02", "received_on": "2023-08-08",
        "text": "Empezar a las 10."})
    suggestion = Suggestion.objects.get()
    created = _entries(recording.CREATE, target=f"delivery.suggestion#{suggestion.pk}").get()
    assert created.actor == "sup-01 (supervisor)" and created.user_id is not None
    assert created.address == "127.0.0.1"
    assert created.changes["text"] == [None, "Empezar a las 10."]

    login_as("coord-01")
    client.post(reverse("delivery:suggestion", args=[suggestion.pk]),
                {"status": "not-adopted", "reason": "No hay transporte antes."})
    updated = _entries(recording.UPDATE, target=f"delivery.suggestion#{suggestion.pk}").get()
    assert updated.actor == "coord-01 (coordinator)"
    assert updated.changes == {"status": ["received", "not-adopted"],
                               "reason": ["", "No hay transporte antes."]}


def test_deleting_a_record_keeps_what_it_held(ces):
    membership = Membership.objects.filter(person__code="ac-g01-02").first()
    pk, joined = membership.pk, membership.joined
    membership.delete()
    deleted = _entries(recording.DELETE, target=f"programs.membership#{pk}").get()
    assert deleted.changes["joined"] == [joined.isoformat(), None]


def test_changes_to_a_many_to_many_relation_are_kept(ces):
    group = Group.objects.get(code="g05")
    fac = Person.objects.get(code="fac-01")
    last = AuditEntry.objects.order_by("id").last().pk
    group.facilitators.add(fac)
    entry = _entries(recording.UPDATE, target=f"programs.group#{group.pk}", pk__gt=last).get()
    assert entry.changes == {"programs.group_facilitators": [None, [fac.pk]]}


def test_a_change_rolled_back_leaves_no_entry(ces):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        Person.objects.filter(code="ac-g01-02").get().delete()
        raise RuntimeError("the save fails after the delete")
    assert AuditEntry.objects.count() == before


def test_a_command_names_itself(ces):
    from acompana.audit.acting import acting_as

    with acting_as("acompana load-program"):
        person = Person.objects.get(code="ac-g01-02")
        person.name = "Otra"
        person.save()
    entry = _entries(recording.UPDATE, subject="ac-g01-02").get()
    assert entry.actor == "acompana load-program" and entry.address is None
    assert entry.changes == {"name": [entry.changes["name"][0], "Otra"]}


def test_logins_and_failed_logins_are_kept_with_the_address(login_as, client):
    login_as("sup-01")  # creates the account
    client.logout()
    url = reverse("accounts:login")
    client.post(url, {"username": "sup-01", "password": "not-the-password"})
    client.post(url, {"username": "sup-01", "password": "una-clave-larga-1"})
    failed = _entries(recording.LOGIN_FAILED).get()
    assert (failed.target, failed.outcome, failed.address) == ("sup-01", "refused", "127.0.0.1")
    login = _entries(recording.LOGIN).last()
    assert (login.target, login.outcome) == ("sup-01", "allowed")


def test_every_refused_access_is_kept(login_as, client):
    login_as(ROLE_PEOPLE["acompanante"])
    client.get(reverse("programs:group_list"))
    refused = _entries(recording.ACCESS_REFUSED).get()
    assert refused.actor == "ac-g01-02 (acompanante)"
    assert (refused.subject, refused.target) == ("programs:group_list",
                                                 reverse("programs:group_list"))


@pytest.mark.parametrize(("role", "status"), [("coordinator", 200), ("supervisor", 403),
                                              ("clinician", 403), ("acompanante", 403)])
def test_who_opens_the_trail(login_as, client, role, status):
    login_as(ROLE_PEOPLE[role])
    assert client.get(reverse("audit:trail")).status_code == status
    assert client.get(reverse("audit:export", args=["csv"])).status_code == status


def _as(code: str) -> policy.Actor:
    return policy.as_actor(Person.objects.get(code=code))


def test_auditor_reads_everything_coordinators_not_who_opened_confidential_records(
        auditor, client, login_as):
    do_record_access(actor=_as("clin-01"), action="wellbeing:person_results",
                     subject="ac-g01-02", allowed=True)
    do_record_access(actor=_as("sup-01"), action="programs:group_list", subject="g01",
                     allowed=True)
    body = client.get(reverse("audit:trail")).content.decode()
    # The page named in words; a page with no words yet shown as its code.
    assert "Abrió: Resultados de una persona" in body and "programs:group_list" in body
    login_as("coord-01")
    body = client.get(reverse("audit:trail")).content.decode()
    assert "Resultados de una persona" not in body and "programs:group_list" in body


def test_the_trail_is_scoped_to_the_readers_program(auditor, client, login_as):
    """Another program's entries (or entries of no program: the operator's) are not hers."""
    other = Program.objects.create(code="otro", name="Otro", country="GT",
                                   time_zone="America/Guatemala")
    place = Community.objects.create(program=other, code="x", name="Lejos")
    stranger = Person.objects.create(program=other, code="coord-09", name="Ajena",
                                     role="coordinator", community=place)
    do_record_access(actor=policy.as_actor(stranger), action="programs:group_list",
                     subject="ajeno-99", allowed=True)
    do_record_access(actor=None, action="programs:group_list", subject="nadie-99", allowed=True)
    do_record_access(actor=_as("sup-01"), action="programs:group_list", subject="propio-01",
                     allowed=True)
    login_as("coord-01")
    body = client.get(reverse("audit:trail")).content.decode()
    assert "propio-01" in body and "ajeno-99" not in body and "nadie-99" not in body


def test_the_clinicians_audit_page_lists_only_visits_to_confidential_records(login_as, client):
    """It read every entry of every program (AuditEntry.objects.all())."""
    do_record_access(actor=_as("sup-01"), action="programs:group_list", subject="g01-visto",
                     allowed=True)
    do_record_access(actor=_as("clin-01"), action="wellbeing:person_results",
                     subject="ac-g01-02", allowed=True)
    login_as("clin-01")
    body = client.get(reverse("wellbeing:audit")).content.decode()
    # Whose record, by her name (the clinician's own page), never the code.
    name = Person.objects.get(code="ac-g01-02").name
    assert name in body and "ac-g01-02" not in body and "g01-visto" not in body


def test_trail_filters_and_exports(auditor, client):
    hostile = "=HYPERLINK(\"http://x\")"
    do_record_access(actor=_as("sup-01"), action="record.update", subject="ac-g01-02",
                     target=hostile, allowed=True)
    response = client.get(reverse("audit:trail"), {"kind": "records", "record": "HYPERLINK"})
    assert response.status_code == 200 and "HYPERLINK" in response.content.decode()
    assert len(response.context["page"].object_list) == 1
    today = dt.date.today().isoformat()
    csv = client.get(reverse("audit:export", args=["csv"]),
                     {"record": "HYPERLINK", "start": today}).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("at,actor")
    assert "'=HYPERLINK" in csv
    xlsx = client.get(reverse("audit:export", args=["xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_back_office_has_no_audit_trail_nor_logins_even_for_a_superuser(login_as, client):
    """The trail is read in the app, through the policy; logins change through the accounts
    services. The admin offers neither, whatever permissions the login holds."""
    coordinator = login_as("coord-01")
    coordinator.user.is_superuser = True
    coordinator.user.save()
    entry = do_record_access(actor=None, action="view-results", subject="ac-g01-02",
                             allowed=False)
    index = client.get(reverse("admin:index")).content.decode()
    assert "auditentry" not in index and "/admin/auth/" not in index
    for path in ("audit/auditentry/", f"audit/auditentry/{entry.pk}/change/", "auth/user/",
                 f"auth/user/{coordinator.user.pk}/password/", "auth/group/"):
        assert client.get(reverse("admin:index") + path).status_code in (302, 404), path


def test_a_record_of_many_fields_shows_them_folded_and_a_short_change_open(auditor, client):
    """Loading the program creates records of a dozen fields each: on the page they fold behind
    a count, so a hundred entries stay readable; a change of one or two fields shows at once."""
    group = Group.objects.get(code="g01")
    group.name = "Grupo Reforma Centro"
    group.save()
    body = client.get(reverse("audit:trail"), {"record": "programs.group#"}).content.decode()
    assert "<details><summary>" in body and "campos</summary>" in body
    changed = client.get(reverse("audit:trail"), {"kind": "records",
                                                  "record": f"programs.group#{group.pk}"})
    row = next(line for line in changed.content.decode().split("<tr>")
               if "Registro cambiado" in line)
    assert "<details>" not in row and "Grupo Reforma Centro" in row


def test_logins_and_accounts_are_named_by_the_person_not_by_code(auditor, login_as, client):
    """A login names the person it belongs to (the entry keeps the user name); an account
    given shows its user name under its name in words, and the person's login by its user
    name, never a bare number."""
    login_as("sup-01")  # gives sup-01 a login (account.create) and logs her in
    login_as("aud-01")
    entries = client.get(reverse("audit:trail"), {"kind": "logins"}).content.decode()
    supervisor = Person.objects.get(code="sup-01").name
    row = next(line for line in entries.split("<tr>") if "Entró" in line and supervisor in line)
    assert f"acceso de {supervisor}" in row and "<code>sup-01</code>" not in row
    given = client.get(reverse("audit:trail"), {"record": "programs.person#"}).content.decode()
    row = next(line for line in given.split("<tr>") if "Acceso dado" in line)
    assert "nombre de usuario: ∅ → <code>sup-01</code>" in row or \
        "nombre de usuario: ∅ → sup-01" in row
    assert "<code>username</code>" not in given
    changed = next(line for line in given.split("<tr>") if "usuario: ∅ →" in line
                   and "nombre de usuario" not in line)
    assert "acceso «sup-01»" in changed
