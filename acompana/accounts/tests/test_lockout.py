"""Repeated failed logins lock the user name, through the real login form, and the trail says so;
passwords are stored as Argon2id hashes."""

from django.conf import settings
from django.urls import reverse

from acompana.audit import recording
from acompana.audit.models import AuditEntry

PASSWORD = "una-clave-larga-1"


def test_five_failures_lock_the_user_name_and_the_lockout_is_in_the_trail(login_as, client):
    user = login_as("sup-01").user
    client.logout()
    url = reverse("accounts:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": "sup-01", "password": "wrong-password"})
    assert response.status_code == 429
    # Locked: even the right password is refused now, and nobody is logged in.
    response = client.post(url, {"username": "sup-01", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "quince minutos" in response.content.decode()  # the page says for how long

    failed = AuditEntry.objects.filter(action=recording.LOGIN_FAILED, target="sup-01")
    locked = AuditEntry.objects.filter(action=recording.LOCKED_OUT, target="sup-01")
    assert failed.count() == settings.AXES_FAILURE_LIMIT + 1  # every attempt failed
    assert locked.count() == 2  # when it locked, and the attempt refused while locked
    assert set(locked.values_list("outcome", "address")) == {("refused", "127.0.0.1")}
    assert not AuditEntry.objects.filter(action=recording.LOGIN, pk__gt=failed.first().pk,
                                         user_id=user.pk).exists()


def test_another_user_name_is_not_locked(login_as, client):
    login_as("sup-01")
    login_as("sup-02")
    client.logout()
    url = reverse("accounts:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "sup-01", "password": "wrong-password"})
    response = client.post(url, {"username": "sup-02", "password": PASSWORD})
    assert response.status_code == 302


def test_passwords_are_stored_as_argon2id(login_as):
    user = login_as("sup-01").user
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)
