"""Acompaña's own deployment checks, run by `acompana check-deploy` beside Django's --deploy.

Each names what is wrong and the environment variable that fixes it (docs/deployment.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Error, Info, register

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


@register("acompana", deploy=True)
def audit_trail_out_of_the_apps_reach(app_configs, **kwargs) -> list[CheckMessage]:
    """The app's database user may add to the audit trail, never change, empty or drop it."""
    from django.db import DatabaseError, connection

    if connection.vendor == "sqlite":
        return [Info(
            "SQLite: the audit trail's triggers refuse changes and deletes, and its hash chain "
            "shows any entry deleted, changed or slipped in (`acompana audit verify`), but "
            "whoever can write the database file can also drop those triggers or replace the "
            "file: SQLite cannot keep the trail out of the app's own reach. For that, use "
            "PostgreSQL with the role split in deploy/ (docs/deployment.md).",
            id="acompana.I010")]
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, tableowner = current_user, (SELECT rolsuper FROM pg_roles "
                "WHERE rolname = current_user), has_table_privilege(current_user, "
                "'audit_auditentry', 'UPDATE, DELETE, TRUNCATE, TRIGGER') FROM pg_tables "
                "WHERE tablename = 'audit_auditentry'")
            row = cursor.fetchone()
    except DatabaseError as error:
        return [Error(f"The database could not be asked who owns the audit trail: {error}",
                      hint="Check DATABASE_URL.", id="acompana.E010")]
    if row is None:
        return [Error("The database has no audit trail table: it is not migrated.",
                      hint="Run `acompana migrate` as the owner role.", id="acompana.E010")]
    user, owns, superuser, may_erase = row
    split = ("Serve the app as a user that owns nothing (acompana_app) and migrate as the "
             "owner (acompana_owner): deploy/postgres-roles.sql, then deploy/postgres-grants.sql "
             "after every migrate (docs/deployment.md).")
    if owns or superuser:
        return [Error(f"The app's database user '{user}' "
                      f"{'is a superuser' if superuser else 'owns the audit trail table'}: it "
                      "could drop the trail's triggers and empty it (TRUNCATE) unseen.",
                      hint=split, id="acompana.E010")]
    if may_erase:
        return [Error(f"The app's database user '{user}' may change, delete or empty audit "
                      "entries.", hint=split, id="acompana.E011")]
    return []
