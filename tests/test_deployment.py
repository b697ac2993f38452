"""The production set-up of docs/deployment.md: `check-deploy` and the PostgreSQL roles."""

import os
import secrets
import subprocess
import sys
import uuid

import pytest
from django.db import connection

from tests.support import REPO

ENV_EXAMPLE = REPO / "deploy" / "acompana.env.example"


def documented_environment() -> dict[str, str]:
    """deploy/acompana.env.example with its REPLACE-... values filled as the guide says."""
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, value = line.split("=", 1)
            values[name] = value
    values["ACOMPANA_SECRET_KEY"] = secrets.token_urlsafe(50)
    return {name: value.replace("REPLACE-", "s3cret-") for name, value in values.items()}


def run_acompana(*args: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    """`acompana ...` in a fresh process with only the given Acompaña settings."""
    clean = {name: value for name, value in os.environ.items()
             if not name.startswith("ACOMPANA_")
             and name not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}  # set by browser tests
    clean |= {"PYTHONPATH": str(REPO), "ACOMPANA_DATA_DIR": str(tmp_path)} | env
    return subprocess.run([sys.executable, "-m", "acompana", *args], env=clean, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_refuses_the_development_configuration(tmp_path):
    result = run_acompana("check-deploy", env={}, tmp_path=tmp_path)
    assert result.returncode == 1
    for expected in ("acompana.E001", "acompana.E003", "acompana.E005", "acompana.E006",
                     "acompana.E007", "security.W004", "security.W008", "security.W012"):
        assert expected in result.stderr
    assert "The secret key comes from the generated file" in result.stderr
    assert "not ready for production" in result.stderr


def test_check_deploy_passes_with_the_documented_environment(tmp_path):
    """On SQLite (no PostgreSQL roles here: the test below checks those)."""
    result = run_acompana("check-deploy", env=documented_environment() | {
        "DATABASE_URL": f"sqlite:///{tmp_path}/acompana.sqlite3"}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Ready for production" in result.stdout
    # SQLite cannot keep the trail out of the app's reach: said plainly, without failing.
    assert "whoever can write the database file can also drop those triggers" in result.stdout


@pytest.mark.parametrize(("change", "expected"), [
    ({"ACOMPANA_DEBUG": "1"}, "acompana.E002"),
    ({"ACOMPANA_HTTPS": ""}, "acompana.E003"),
    ({"ACOMPANA_ALLOWED_HOSTS": "localhost,127.0.0.1"}, "acompana.E005"),
    ({"ACOMPANA_EMAIL_HOST": ""}, "acompana.E006"),
    ({"ACOMPANA_SECRET_KEY": "REPLACE-with-a-generated-key-" + "x" * 40}, "acompana.E001"),
])
def test_check_deploy_names_each_problem(tmp_path, change, expected):
    result = run_acompana("check-deploy", env=documented_environment() | change,
                          tmp_path=tmp_path)
    assert result.returncode == 1 and expected in result.stderr


# --- PostgreSQL roles ------------------------------------------------------------------------

def _psql(sql_file, *, database: str, variables: dict[str, str] = (), user="postgres",
          password: str | None = None, substitute: dict[str, str]) -> None:
    text = sql_file.read_text()
    for old, new in substitute.items():
        text = text.replace(old, new)
    args = ["psql", "-h", "127.0.0.1", "-U", user, "-d", database, "-v", "ON_ERROR_STOP=1",
            "-q", "-f", "-"]
    for name, value in dict(variables).items():
        args[1:1] = ["-v", f"{name}={value}"]
    env = os.environ | ({"PGPASSWORD": password} if password else {})
    subprocess.run(args, input=text, text=True, check=True, env=env, capture_output=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles; run with "
                    "DATABASE_URL=postgres://...")
def test_app_role_may_add_to_the_audit_trail_but_never_change_or_empty_it(tmp_path):
    import psycopg

    suffix = uuid.uuid4().hex[:8]
    names = {"acompana_owner": f"acompana_owner_{suffix}", "acompana_app": f"acompana_app_{suffix}",
             "DATABASE acompana": f"DATABASE acompana_{suffix}",
             "\\connect acompana": f"\\connect acompana_{suffix}"}
    database = f"acompana_{suffix}"
    try:
        _psql(REPO / "deploy" / "postgres-roles.sql", database="postgres", substitute=names,
              variables={"owner_password": "'owner-pw'", "app_password": "'app-pw'"})
        owner_url = f"postgres://{names['acompana_owner']}:owner-pw@127.0.0.1:5432/{database}"
        migrated = run_acompana("migrate", env={"DATABASE_URL": owner_url}, tmp_path=tmp_path)
        assert migrated.returncode == 0, migrated.stderr
        _psql(REPO / "deploy" / "postgres-grants.sql", database=database,
              user=names["acompana_owner"], password="owner-pw", substitute=names)
        app = psycopg.connect(host="127.0.0.1", user=names["acompana_app"], password="app-pw",
                              dbname=database, autocommit=True)
        with app:
            app.execute("INSERT INTO audit_auditentry (at, actor, action, subject, target, "
                        "outcome) VALUES (now(), '', 'test', '', '', 'allowed')")
            app.execute("INSERT INTO django_session VALUES ('k', 'd', now())")
            app.execute("DELETE FROM django_session")  # ordinary records: read and write
            for statement in ("UPDATE audit_auditentry SET action = 'x'",
                              "DELETE FROM audit_auditentry",
                              "TRUNCATE audit_auditentry",
                              "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
                              "DROP TRIGGER audit_entry_no_change ON audit_auditentry",
                              "DROP TABLE programs_person CASCADE",
                              "CREATE TABLE intruder (id int)"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    app.execute(statement)
            assert app.execute("SELECT count(*) FROM audit_auditentry").fetchone() == (1,)
        app_url = f"postgres://{names['acompana_app']}:app-pw@127.0.0.1:5432/{database}"
        serving = run_acompana("check-deploy", env=documented_environment() | {
            "DATABASE_URL": app_url}, tmp_path=tmp_path)
        assert serving.returncode == 0, serving.stderr
        # The single-user recipe: the owner serves the app, and check-deploy says why not.
        single = run_acompana("check-deploy", env=documented_environment() | {
            "DATABASE_URL": owner_url}, tmp_path=tmp_path)
        assert single.returncode == 1
        assert (f"The app's database user '{names['acompana_owner']}' owns the audit trail "
                "table") in single.stderr and "acompana.E010" in single.stderr
    finally:
        with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres",
                             autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            for role in (names["acompana_app"], names["acompana_owner"]):
                admin.execute(f'DROP ROLE IF EXISTS "{role}"')
