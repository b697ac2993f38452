"""Roles and logins change only through audited services with a rule; the admin is no way around.

Each attack is one a coordinator could make with nothing but her own login (issue 15).
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Permission
from django.urls import reverse

from acompana import policy
from acompana.accounts import services
from acompana.audit.models import AuditEntry
from acompana.programs.models import Community, Person, Program

pytestmark = pytest.mark.django_db


def _person_form(person: Person, **changes) -> dict:
    data = {"program": person.program_id, "code": person.code, "name": person.name,
            "role": person.role, "community": person.community_id,
            "user": person.user_id or "", "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0, "_save": "Guardar"}
    return data | changes


def test_a_coordinator_cannot_make_anyone_a_clinician_in_the_admin(login_as, client):
    coordinator = login_as("coord-01")
    for person in (Person.objects.get(code="sup-01"), coordinator):
        client.post(reverse("admin:programs_person_change", args=[person.pk]),
                    _person_form(person, role="clinician"))
        person.refresh_from_db()
        assert person.role != "clinician"


def test_a_coordinator_cannot_give_herself_anothers_login_in_the_admin(login_as, client):
    coordinator = login_as("coord-01")
    clinician = Person.objects.get(code="clin-01")
    services.do_create_account(person=clinician, username="clin-01", password="otra-clave-larga-9",
                               by=policy.OPERATOR)
    clinician.refresh_from_db()
    client.post(reverse("admin:programs_person_change", args=[coordinator.pk]),
                _person_form(coordinator, user=clinician.user_id))
    coordinator.refresh_from_db()
    assert coordinator.user_id != clinician.user_id


def test_a_coordinator_cannot_set_the_clinicians_password_anywhere(login_as, client):
    login_as("coord-01")
    clinician = Person.objects.get(code="clin-01")
    user, _ = services.do_create_account(person=clinician, username="clin-01",
                                         password="otra-clave-larga-9", by=policy.OPERATOR)
    response = client.post(reverse("admin:index") + f"auth/user/{user.pk}/password/",
                           {"password1": "tomada-por-coord-1", "password2": "tomada-por-coord-1"})
    assert response.status_code == 404
    user.refresh_from_db()
    assert user.check_password("otra-clave-larga-9")
    coordinator = Person.objects.get(code="coord-01")
    with pytest.raises(policy.Refused):
        services.do_issue_password_reset(person=clinician, by=coordinator)
    with pytest.raises(policy.Refused):
        services.do_deactivate_account(person=clinician, by=coordinator)


def test_a_coordinators_login_carries_no_auth_nor_audit_permission(login_as):
    coordinator = login_as("coord-01")
    labels = set(coordinator.user.user_permissions.values_list(
        "content_type__app_label", flat=True))
    assert labels == {"programs"}


def test_the_migration_takes_back_the_permissions_already_granted(login_as):
    user = login_as("coord-01").user
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label__in=("auth", "audit")))
    migration = importlib.import_module(
        "acompana.accounts.migrations.0001_back_office_without_auth_and_audit")
    migration.withdraw(django_apps, None)
    assert not user.user_permissions.filter(
        content_type__app_label__in=("auth", "audit")).exists()
    assert user.user_permissions.filter(content_type__app_label="programs").exists()


def test_nobody_grants_a_role_whose_rights_she_lacks(ces):
    coordinator, clinician = (Person.objects.get(code=code) for code in ("coord-01", "clin-01"))
    supervisor = Person.objects.get(code="sup-01")
    with pytest.raises(policy.Refused):
        services.do_change_role(person=supervisor, role="clinician", by=coordinator)
    with pytest.raises(policy.Refused):
        services.do_change_role(person=coordinator, role="clinician", by=coordinator)
    with pytest.raises(policy.Refused):
        services.do_change_role(person=supervisor, role="auditor", by=coordinator)
    with pytest.raises(policy.Refused):
        services.do_create_account(person=clinician, username="clin", by=coordinator)
    with pytest.raises(policy.Refused):  # a clinician holds no coordinator's rights
        services.do_change_role(person=supervisor, role="coordinator", by=clinician)
    services.do_change_role(person=supervisor, role="facilitator", by=coordinator)
    services.do_change_role(person=supervisor, role="clinician", by=policy.OPERATOR)
    supervisor.refresh_from_db()
    assert supervisor.role == "clinician"
    roles = AuditEntry.objects.filter(action="account.role", subject="sup-01")
    assert [entry.changes["role"] for entry in roles.order_by("id")] == [
        ["supervisor", "facilitator"], ["facilitator", "clinician"]]


def test_the_clinician_role_is_given_by_another_clinician(ces):
    first = Person.objects.get(code="clin-01")
    second = Person.objects.create(program=ces, code="clin-09", name="Otra clínica",
                                   role="clinician", community=ces.communities.first())
    services.do_create_account(person=first, username="clin-01", by=policy.OPERATOR)
    services.do_create_account(person=second, username="clin-09", by=first)
    assert AuditEntry.objects.filter(action="account.create", subject="clin-09",
                                     actor="clin-01 (clinician)").exists()


def test_the_admin_shows_and_changes_only_the_coordinators_program(login_as, client):
    login_as("coord-01")
    other = Program.objects.create(code="otro", name="Otro programa", country="GT",
                                   time_zone="America/Guatemala")
    place = Community.objects.create(program=other, code="x", name="Lejos")
    stranger = Person.objects.create(program=other, code="sup-01", name="Ajena Desconocida",
                                     role="supervisor", community=place)
    listing = client.get(reverse("admin:programs_person_changelist")).content.decode()
    assert "Ajena Desconocida" not in listing
    response = client.post(reverse("admin:programs_person_change", args=[stranger.pk]),
                           _person_form(stranger, name="Cambiada"))
    assert response.status_code in (302, 404)
    stranger.refresh_from_db()
    assert stranger.name == "Ajena Desconocida"
    assert "Lejos" not in client.get(reverse("admin:programs_person_add")).content.decode()


def test_a_change_made_in_the_admin_is_audited(login_as, client):
    login_as("coord-01")
    person = Person.objects.get(code="sup-01")
    response = client.post(reverse("admin:programs_person_change", args=[person.pk]),
                           _person_form(person, name="Angélica Cruz V."))
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.name == "Angélica Cruz V."
    entry = AuditEntry.objects.filter(action="record.update", subject="sup-01").latest("id")
    assert entry.changes["name"][1] == "Angélica Cruz V."
    assert entry.actor == "coord-01 (coordinator)"
