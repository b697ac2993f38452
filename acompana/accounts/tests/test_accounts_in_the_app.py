"""Logins managed in the app (issue 20): the coordination gives and closes them and hands out
one-time links; every person chooses and changes her own password; all of it audited."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from acompana import policy
from acompana.accounts import services
from acompana.audit.models import AuditEntry
from acompana.programs.models import Person

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "mi-clave-nueva-7"


def authenticate(*, username: str, password: str):
    """The user a login with these would open, or None (as the login page decides)."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    return user if user is not None and user.check_password(password) else None


def test_the_coordinator_gives_a_login_and_a_link_the_person_uses_herself(login_as, client):
    login_as("coord-01")
    response = client.post(reverse("accounts:account", args=["fac-02"]),
                           {"action": "create", "username": "natividad"})
    assert response.status_code == 200
    link = response.context["link"]
    assert "/cuenta/nueva-clave/" in link
    person = Person.objects.get(code="fac-02")
    assert person.user.username == "natividad"
    client.logout()
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    response = client.post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert authenticate(username="natividad", password=NEW_PASSWORD) is not None
    # The link works once.
    again = client.post(path, {"password": "otra-clave-mas-8",
                               "password_again": "otra-clave-mas-8"})
    assert again.status_code == 400
    assert authenticate(username="natividad", password=NEW_PASSWORD) is not None
    actions = list(AuditEntry.objects.filter(subject="fac-02", action__startswith="account.")
                   .order_by("id").values_list("action", "actor"))
    assert actions == [("account.create", "coord-01 (coordinator)"),
                       ("account.reset-issued", "coord-01 (coordinator)"),
                       ("account.password-reset", "fac-02 (facilitator)")]
    assert NEW_PASSWORD not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_the_coordinator_never_gives_nor_resets_the_clinicians_login(login_as, client):
    login_as("coord-01")
    clinician = Person.objects.get(code="clin-01")
    response = client.post(reverse("accounts:account", args=["clin-01"]),
                           {"action": "create", "username": "clinica"})
    assert response.status_code == 403
    services.do_create_account(person=clinician, username="clin-01", by=policy.OPERATOR)
    for action in ("reset", "deactivate"):
        response = client.post(reverse("accounts:account", args=["clin-01"]),
                               {"action": action})
        assert response.status_code == 403, action
    clinician.refresh_from_db()
    assert clinician.user.is_active
    assert AuditEntry.objects.filter(action="write.refused", outcome="refused").count() == 3


def test_a_closed_login_no_longer_opens(login_as, client):
    supervisor = Person.objects.get(code="sup-02")
    services.do_create_account(person=supervisor, username="sup-02",
                               password="una-clave-larga-2", by=policy.OPERATOR)
    login_as("coord-01")
    response = client.post(reverse("accounts:account", args=["sup-02"]),
                           {"action": "deactivate"})
    assert response.status_code == 302
    assert authenticate(username="sup-02", password="una-clave-larga-2") is None
    assert AuditEntry.objects.filter(action="account.deactivate", subject="sup-02").exists()


def test_every_person_changes_her_own_password(login_as, client):
    worker = login_as("ac-g01-02")
    response = client.post(reverse("accounts:password"), {
        "old_password": "una-clave-larga-1", "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    worker.user.refresh_from_db()
    assert worker.user.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200  # still logged in
    wrong = client.post(reverse("accounts:password"), {
        "old_password": "no-es-la-clave", "password": "otra-clave-mas-8",
        "password_again": "otra-clave-mas-8"})
    assert wrong.status_code == 400
    assert AuditEntry.objects.filter(action="account.password-change",
                                     subject="ac-g01-02").count() == 1


def test_nobody_changes_another_persons_password_with_her_own_rule(ces):
    coordinator, worker = Person.objects.get(code="coord-01"), Person.objects.get(code="sup-01")
    services.do_create_account(person=worker, username="sup-01", password="una-clave-larga-1",
                               by=policy.OPERATOR)
    with pytest.raises(policy.Refused):
        services.do_change_own_password(person=worker, old_password="una-clave-larga-1",
                                        password=NEW_PASSWORD, by=coordinator)


def test_the_pages_speak_spanish(login_as, client):
    login_as("coord-01")
    body = client.get(reverse("accounts:account", args=["fac-02"])).content.decode()
    assert "Dar acceso" in body
    assert "Nombre de usuario" in body
