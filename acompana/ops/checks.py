"""Acompaña's own deployment checks, run by `acompana check-deploy` beside Django's --deploy.

Each names what is wrong and the environment variable that fixes it (docs/deployment.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]", ""})
PLACEHOLDER_WORDS = ("replace", "change-me", "changeme")


@register("acompana", deploy=True)
def secret_key_from_environment(app_configs, **kwargs) -> list[Error]:
    if not settings.SECRET_KEY_FROM_ENVIRONMENT:
        return [Error(f"The secret key comes from the generated file {settings.DATA_DIR}/"
                      "secret_key, not from the environment.",
                      hint="Set ACOMPANA_SECRET_KEY (python3 -c 'import secrets; "
                           "print(secrets.token_urlsafe(50))').", id="acompana.E001")]
    if any(word in settings.SECRET_KEY.lower() for word in PLACEHOLDER_WORDS):
        return [Error("ACOMPANA_SECRET_KEY still holds the example's placeholder.",
                      hint="Generate a real key.", id="acompana.E001")]
    return []


@register("acompana", deploy=True)
def debug_off(app_configs, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return [Error("Debug pages are on: they show code and settings to anyone.",
                      hint="Unset ACOMPANA_DEBUG.", id="acompana.E002")]
    return []


@register("acompana", deploy=True)
def https_on(app_configs, **kwargs) -> list[Error]:
    if not settings.HTTPS:
        return [Error("HTTPS is off: passwords and records would cross the network in clear.",
                      hint="Serve the site over HTTPS with nginx and set ACOMPANA_HTTPS=1 (it "
                           "turns on the redirect to HTTPS, HSTS and secure cookies).",
                      id="acompana.E003")]
    missing = [name for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
                                 "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS")
               if not getattr(settings, name, None)]
    if missing:
        return [Error(f"ACOMPANA_HTTPS=1 but {', '.join(missing)} is off.",
                      hint="Do not override these settings.", id="acompana.E004")]
    return []


@register("acompana", deploy=True)
def public_host_name(app_configs, **kwargs) -> list[Error]:
    hosts = {host.strip() for host in settings.ALLOWED_HOSTS}
    if "*" in hosts:
        return [Error("ALLOWED_HOSTS accepts any host name.",
                      hint="Set ACOMPANA_ALLOWED_HOSTS to the site's name.", id="acompana.E005")]
    if hosts <= LOCAL_HOSTS:
        return [Error("The app answers only to this machine's own names (localhost).",
                      hint="Set ACOMPANA_ALLOWED_HOSTS to the name people type, e.g. "
                           "acompana.example.org.", id="acompana.E005")]
    return []


@register("acompana", deploy=True)
def email_configured(app_configs, **kwargs) -> list[Error]:
    problems = []
    if not settings.EMAIL_HOST or not settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        problems.append(Error(
            "E-mail is not configured: referrals to the clinician would not be sent.",
            hint="Set ACOMPANA_EMAIL_HOST, ACOMPANA_EMAIL_PORT, ACOMPANA_EMAIL_HOST_USER and "
                 "ACOMPANA_EMAIL_HOST_PASSWORD.", id="acompana.E006"))
    if settings.DEFAULT_FROM_EMAIL.endswith("@localhost"):
        problems.append(Error(
            f"Mail would be sent from {settings.DEFAULT_FROM_EMAIL}, which no one can answer.",
            hint="Set ACOMPANA_DEFAULT_FROM_EMAIL to the program's address.",
            id="acompana.E007"))
    return problems
