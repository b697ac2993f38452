"""Submissions pulled from the servers they were collected on, shaped as the servers export them.

ODK Central: a session token (`POST /v1/sessions`), then the form's OData `Submissions` feed,
page by page. CommCare HQ: the form data API (`/a/<domain>/api/v0.5/form/`) with
`Authorization: ApiKey user:key`, page by page. Each submission becomes one row named as the
server's own CSV export names it (ODK: `KEY`, `SubmissionDate`, group paths joined by `-`;
CommCare: `formid`, `completed_time`, `form.` paths, a repeat group's items one row each), so
the importers read a pull exactly as they read a downloaded export.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping

from django.utils.translation import gettext as _

PAGE = 250
TIMEOUT_SECONDS = 60


class PullFailed(Exception):
    """The server could not be reached or refused; the message says what to check."""


def _request(url: str, *, headers: Mapping[str, str], data: bytes | None = None,
             what: str) -> dict:
    request = urllib.request.Request(url, data=data, headers={
        "Accept": "application/json", **headers}, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        if error.code in (401, 403):
            raise PullFailed(_("%(server)s refused the credentials (%(code)s): check %(what)s.")
                             % {"server": _host(url), "code": error.code, "what": what}) from None
        raise PullFailed(_("%(server)s answered %(code)s to %(url)s.")
                         % {"server": _host(url), "code": error.code, "url": url}) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        raise PullFailed(_("%(server)s cannot be reached: %(reason)s.")
                         % {"server": _host(url), "reason": reason}) from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise PullFailed(_("%(server)s did not answer JSON at %(url)s; is the address right?")
                         % {"server": _host(url), "url": url}) from None


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def odk_submissions(*, url: str, email: str, password: str, project: str, form: str
                    ) -> list[dict[str, str]]:
    """Every submission of an ODK Central form, as rows of its CSV export."""
    if not (url and email and password):
        raise PullFailed(_("Set ACOMPANA_ODK_URL, ACOMPANA_ODK_EMAIL and ACOMPANA_ODK_PASSWORD "
                           "to pull from ODK Central."))
    base = url.rstrip("/")
    what = "ACOMPANA_ODK_EMAIL, ACOMPANA_ODK_PASSWORD"
    session = _request(f"{base}/v1/sessions", headers={"Content-Type": "application/json"},
                       data=json.dumps({"email": email, "password": password}).encode(),
                       what=what)
    headers = {"Authorization": f"Bearer {session.get('token', '')}"}
    feed = (f"{base}/v1/projects/{urllib.parse.quote(str(project))}/forms/"
            f"{urllib.parse.quote(form)}.svc/Submissions")
    rows, skip = [], 0
    while True:
        page = _request(f"{feed}?%24top={PAGE}&%24skip={skip}", headers=headers, what=what)
        values = page.get("value", [])
        rows += [_odk_row(submission) for submission in values]
        if not values or (len(values) < PAGE and "@odata.nextLink" not in page):
            return rows
        skip += len(values)


def _odk_row(submission: Mapping) -> dict[str, str]:
    """A submission of the OData feed as a row of Central's CSV export."""
    system = submission.get("__system", {})
    row = {"SubmissionDate": str(system.get("submissionDate", "")),
           "KEY": str(submission.get("__id", ""))}
    row |= dict(_flatten({key: value for key, value in submission.items()
                          if not key.startswith(("__", "@"))}, separator="-"))
    row["ReviewState"] = str(system.get("reviewState") or "")
    return row


def commcare_forms(*, url: str, domain: str, username: str, api_key: str, xmlns: str
                   ) -> list[dict[str, str]]:
    """Every form of `xmlns` in a CommCare project space, as rows of its Excel export, a
    repeat group's items one row each (the form's columns repeated)."""
    if not (url and domain and username and api_key):
        raise PullFailed(_("Set ACOMPANA_COMMCARE_DOMAIN, ACOMPANA_COMMCARE_USERNAME and "
                           "ACOMPANA_COMMCARE_API_KEY to pull from CommCare."))
    endpoint = f"{url.rstrip('/')}/a/{urllib.parse.quote(domain)}/api/v0.5/form/"
    headers = {"Authorization": f"ApiKey {username}:{api_key}"}
    what = "ACOMPANA_COMMCARE_USERNAME, ACOMPANA_COMMCARE_API_KEY"
    next_url = f"{endpoint}?{urllib.parse.urlencode({'xmlns': xmlns, 'limit': 100})}"
    rows, forms = [], 0
    while next_url:
        page = _request(next_url, headers=headers, what=what)
        for form in page.get("objects", []):
            rows += _commcare_rows(form, forms)
            forms += 1
        following = (page.get("meta") or {}).get("next")
        next_url = urllib.parse.urljoin(endpoint, following) if following else ""
    return rows


def _commcare_rows(submission: Mapping, number: int) -> Iterator[dict[str, str]]:
    form = submission.get("form", {})
    meta = form.get("meta", {})
    parent = {"number": str(number), "completed_time": str(meta.get("timeEnd", "")),
              "started_time": str(meta.get("timeStart", "")),
              "username": str(meta.get("username", "")),
              "received_on": str(submission.get("received_on", "")),
              "formid": str(submission.get("id") or meta.get("instanceID", ""))}
    repeats = {key: value for key, value in form.items() if isinstance(value, list)}
    parent |= dict(_flatten({key: value for key, value in form.items()
                             if key not in repeats and key != "meta"}, separator=".",
                            prefix="form"))
    if not repeats:
        yield parent
        return
    for name, items in repeats.items():
        for item in items:
            yield parent | dict(_flatten(item, separator=".", prefix=f"form.{name}"))


def _flatten(value: Mapping, *, separator: str, prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, inner in value.items():
        if key.startswith(("@", "#")):
            continue
        name = f"{prefix}{separator}{key}" if prefix else key
        if isinstance(inner, Mapping):
            yield from _flatten(inner, separator=separator, prefix=name)
        elif not isinstance(inner, list):
            yield name, "" if inner is None else str(inner)


def rows_as_csv(rows: list[dict[str, str]]) -> bytes:
    """The rows as a CSV file (columns in the order first seen), for the importers."""
    header: dict[str, None] = {}
    for row in rows:
        header |= dict.fromkeys(row)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(header), restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
