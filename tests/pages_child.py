"""The process tests/test_no_drawing_in_requests.py runs: a fresh interpreter that prepares a
database (named by DATABASE_URL), plans CES, signs in as the coordinator and the clinician,
opens every page that needs no argument and the pages with charts or plan files, lets the
background worker (a process of its own, as deployed) build what they queued, opens the plan
files again, then prints one JSON line: each page's status and whether matplotlib was ever
imported in this process.
This is test code: it is never imported by the app.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acompana.settings")
os.environ.setdefault("ACOMPANA_ALLOWED_HOSTS", "testserver")  # the test client's host

import django  # noqa: E402


def pages_without_arguments() -> list[str]:
    """Every URL of the app that takes no argument, as reversed paths."""
    from django.urls import URLPattern, URLResolver, get_resolver, reverse

    found = []

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters \
                    and "(?P<" not in str(entry.pattern):
                try:
                    found.append(reverse(f"{namespace}{entry.name}"))
                except Exception:  # noqa: BLE001 a pattern that needs what the name hides
                    continue

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def main() -> None:
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from acompana import policy
    from acompana.accounts.services import do_create_account
    from acompana.planning.services import do_plan_program
    from acompana.programs.models import Person
    from acompana.programs.services import do_load_program
    from tests.support import CES

    call_command("migrate", verbosity=0)
    program = do_load_program(location=CES, by=policy.OPERATOR).program
    result = do_plan_program(program=program, time_limit=30, by=policy.OPERATOR)
    statuses: dict[str, int] = {"plan": 200 if result.stored else 500}
    extra = [reverse("reports:dashboard"), reverse("reports:group", args=["g01"]),
             reverse("reports:monthly", args=["pdf"]) + "?month=2023-09",
             reverse("wellbeing:evaluation_report"),
             *(reverse("planning:download", args=[kind])
               for kind in ("json", "xlsx", "pdf", "svg", "png", "ics"))]
    clients = {}
    for code in ("coord-01", "clin-01"):
        person = Person.objects.filter(code=code).first()
        if person is None:
            continue
        do_create_account(person=person, username=code, password="una-clave-larga-1",
                          by=policy.OPERATOR)
        clients[code] = client = Client()
        client.force_login(Person.objects.get(code=code).user)
        for path in [*pages_without_arguments(), *extra]:
            statuses[f"{code} {path}"] = client.get(path).status_code
    subprocess.run([sys.executable, "-m", "acompana", "worker", "--batch"], check=True,
                   timeout=600, capture_output=True)
    for kind in ("pdf", "png"):
        path = reverse("planning:download", args=[kind])
        statuses[f"coord-01 {path} built"] = clients["coord-01"].get(path).status_code
    print(json.dumps({"matplotlib": "matplotlib" in sys.modules, "statuses": statuses}))


if __name__ == "__main__":
    main()
