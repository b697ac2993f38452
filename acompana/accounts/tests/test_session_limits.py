"""Sessions on shared phones: idle sessions end, an Acompañante's ends with the browser, login
throttling counts by user name at an address, and every page carries a Content-Security-Policy."""

import time

from django.conf import settings
from django.urls import reverse

from acompana.accounts.session_limits import LAST_SEEN_KEY
from acompana.programs.models import Program

PASSWORD = "una-clave-larga-1"


def _idle_for(client, minutes: float) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - minutes * 60
    session.save()


def test_the_clinicians_session_ends_after_30_idle_minutes(login_as, client):
    login_as("clin-01")
    assert client.get(reverse("wellbeing:referrals")).status_code == 200
    _idle_for(client, 29)
    assert client.get(reverse("wellbeing:referrals")).status_code == 200
    _idle_for(client, 31)
    response = client.get(reverse("wellbeing:referrals"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert "30 minutos sin uso" in page


def test_others_follow_the_programs_setting(login_as, client):
    login_as("coord-01")
    client.get(reverse("home"))
    _idle_for(client, 31)
    assert client.get(reverse("home")).status_code == 200  # 4 hours by default
    program = Program.objects.get()
    program.planning = {**program.planning, "session_idle_minutes": 20}
    program.save()
    _idle_for(client, 21)
    assert client.get(reverse("home")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_acompanantes_session_ends_when_the_browser_closes(login_as, client):
    login_as("ac-g01-01")
    client.get(reverse("wellbeing:start"))
    assert client.session.get_expire_at_browser_close()
    login_as("coord-01")
    client.get(reverse("home"))
    assert not client.session.get_expire_at_browser_close()


def test_anonymous_tries_do_not_lock_the_clinician_out_from_her_own_address(login_as, client):
    login_as("clin-01")
    client.logout()
    url = reverse("accounts:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "clin-01", "password": "adivinando"},
                    REMOTE_ADDR="203.0.113.66")
    # The guesser's address is locked for that name, even with the right password...
    locked = client.post(url, {"username": "clin-01", "password": PASSWORD},
                         REMOTE_ADDR="203.0.113.66")
    assert locked.status_code == 429
    # ...and the clinician, from her own address, logs in.
    response = client.post(url, {"username": "clin-01", "password": PASSWORD},
                           REMOTE_ADDR="10.20.0.5")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_behind_nginx_the_address_is_the_one_nginx_appended(rf, settings):
    from acompana.accounts.session_limits import client_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7", REMOTE_ADDR="127.0.0.1")
    assert client_address(request) == "127.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_address(request) == "198.51.100.7"  # the first entry is the client's to forge


def test_pages_carry_a_content_security_policy(login_as, client):
    """Inline scripts run only with the page's nonce (tests/browser check they still work)."""
    login_as("coord-01")
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "object-src 'none'" in policy
