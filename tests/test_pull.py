"""`acompana pull`: against a local server that answers as ODK Central's and CommCare HQ's
documented APIs do (session token and OData feed; form data API with ApiKey), checking auth."""

import datetime as dt
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from acompana.delivery.models import Attendance, SessionLog
from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from acompana.programs.models import Person
from acompana.wellbeing.models import Assessment
from acompana.wellbeing.services import do_give_consent

TOKEN = "lSpAIeksRu1CNZs7!qjAot2T17dPzkrw9B4iTtpj7OoIJBmXvnHM8z8Ka4QPEjR7"
API_KEY = "3a7b5c0d9e8f1a2b3c4d5e6f7a8b9c0d1e2f3a4b"


def _odk_submission(key, respondent, answers, end, submitted):
    return {"__id": key, "start": end, "end": end, "respondent": respondent,
            "gad7": {f"gad7_{n}": str(value) for n, value in enumerate(answers, start=1)},
            "meta": {"instanceID": key},
            "__system": {"submissionDate": submitted, "submitterId": "5",
                         "submitterName": "sup01", "attachmentsPresent": 0,
                         "attachmentsExpected": 0, "status": None, "reviewState": None,
                         "deviceId": "collect:Xy12AbCdEf34GhIj", "edits": 0,
                         "formVersion": "1"}}


ODK_SUBMISSIONS = [
    _odk_submission("uuid:0b7c4d1e-6a2f-4c39-8e51-3d9a7f2b1c60", "ac-g01-02",
                    [1, 1, 0, 2, 0, 1, 0], "2023-07-11T18:52:47.000-06:00",
                    "2023-07-12T01:05:33.412Z"),
    _odk_submission("uuid:7e2f9a40-1b8c-4d6e-a3f5-92c0d4b8e717", "ac-g01-03",
                    [0] * 7, "2023-07-11T19:01:22.000-06:00", "2023-07-12T01:05:35.080Z"),
]
COMMCARE_FORMS = [{
    "id": "4a6b8c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d", "received_on": "2023-07-14T15:02:44.218000Z",
    "form": {"@xmlns": "http://openrosa.org/formdesigner/ASISTENCIA", "#type": "data",
             "grupo": "Grupo Reforma", "sesion": "1",
             "asistentes": [{"acompanante": "Alicia Solís Aguilar", "estado": "presente"},
                            {"acompanante": "Josefina Hernández Escobar", "estado": "ausente"}],
             "meta": {"instanceID": "4a6b8c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d",
                      "timeStart": "2023-07-14T00:20:00.000000Z",
                      "timeEnd": "2023-07-14T00:40:12.000000Z", "username": "sup01"}},
}]


class DocumentedApis(BaseHTTPRequestHandler):
    """ODK Central (/v1/...) and CommCare HQ (/a/<domain>/api/v0.5/form/), as documented."""

    def log_message(self, *args):
        pass

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/v1/sessions" and body == {"email": "clin@ces.org.mx",
                                                    "password": "correcta"}:
            self._answer(200, {"token": TOKEN, "expiresAt": "2030-01-01T00:00:00.000Z",
                               "createdAt": "2029-12-31T00:00:00.000Z"})
        else:
            self._answer(401, {"code": 401.2, "message": "Could not authenticate with the "
                                                         "provided credentials."})

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/v1/projects/1/forms/acompana_gad7.svc/Submissions":
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._answer(401, {"code": 401.2, "message": "Could not authenticate."})
            top, skip = int(query["$top"][0]), int(query.get("$skip", ["0"])[0])
            return self._answer(200, {
                "@odata.context": "http://central/v1/projects/1/forms/acompana_gad7.svc/"
                                  "$metadata#Submissions",
                "value": self.server.odk[skip:skip + top]})
        if url.path == "/a/ces-acompanantes/api/v0.5/form/":
            if self.headers.get("Authorization") != f"ApiKey sup01@ces.org.mx:{API_KEY}":
                return self._answer(401, {"error": "unauthorized"})
            assert query["xmlns"] == ["http://openrosa.org/formdesigner/ASISTENCIA"]
            offset, limit = int(query.get("offset", ["0"])[0]), int(query["limit"][0])
            forms = COMMCARE_FORMS[offset:offset + limit]
            more = offset + limit < len(COMMCARE_FORMS)
            return self._answer(200, {"meta": {
                "limit": limit, "offset": offset, "total_count": len(COMMCARE_FORMS),
                "next": f"?limit={limit}&offset={offset + limit}&xmlns={query['xmlns'][0]}"
                if more else None, "previous": None}, "objects": forms})
        return self._answer(404, {"message": "not found"})


@pytest.fixture
def server(settings, tmp_path, ces):
    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), DocumentedApis)
    httpd.odk = list(ODK_SUBMISSIONS)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    settings.ODK_CENTRAL = {"url": url, "email": "clin@ces.org.mx", "password": "correcta"}
    settings.COMMCARE = {"url": url, "domain": "ces-acompanantes",
                         "username": "sup01@ces.org.mx", "api_key": API_KEY}
    yield httpd
    httpd.shutdown()
    httpd.server_close()


ODK_PULL = ["pull", "odk", "--project", "1", "--form", "acompana_gad7", "--instrument", "gad7",
            "--wave", "baseline"]


def test_pull_from_odk_central_imports_what_is_new_each_time(server, capsys):
    for code in ("ac-g01-02", "ac-g01-03", "ac-g01-04"):
        person = Person.objects.get(code=code)
        do_give_consent(person=person, method="signed-paper", recorded_by=person)
    call_command(*ODK_PULL)
    assert "2 nuevas, 0 ya estaban" in capsys.readouterr().out
    assert dict(Assessment.objects.values_list("person__code", "taken_on")) == {
        "ac-g01-02": dt.date(2023, 7, 11), "ac-g01-03": dt.date(2023, 7, 11)}
    server.odk.append(_odk_submission("uuid:c3d5e7f9-2a4b-4c6d-8e0f-1a2b3c4d5e6f", "ac-g01-04",
                                      [2, 2, 1, 1, 0, 0, 1], "2023-07-20T10:38:15.000-06:00",
                                      "2023-07-20T16:44:02.907Z"))
    call_command(*ODK_PULL)
    assert "1 nueva, 2 ya estaban" in capsys.readouterr().out
    assert set(Assessment.objects.values_list("source", flat=True)) == {"odk"}


def test_wrong_odk_credentials_are_one_clear_line(server, settings):
    settings.ODK_CENTRAL = {**settings.ODK_CENTRAL, "password": "equivocada"}
    with pytest.raises(CommandError, match="ACOMPANA_ODK_PASSWORD"):
        call_command(*ODK_PULL)


def test_pull_from_commcare_imports_the_repeat_group_on_the_day_in_chiapas(server, capsys):
    call_command("pull", "commcare", "--xmlns", "http://openrosa.org/formdesigner/ASISTENCIA")
    log = SessionLog.objects.get()
    assert (log.group.code, log.session_code, log.date) == ("g01", "bienestar-01",
                                                           dt.date(2023, 7, 13))
    assert dict(Attendance.objects.values_list("person__code", "status")) == {
        "ac-g01-02": "present", "ac-g01-03": "absent"}
    call_command("pull", "commcare", "--xmlns", "http://openrosa.org/formdesigner/ASISTENCIA")
    assert "0 nuevas, 1 ya estaba" in capsys.readouterr().out


def test_wrong_commcare_key_is_one_clear_line(server, settings):
    settings.COMMCARE = {**settings.COMMCARE, "api_key": "otra"}
    with pytest.raises(CommandError, match="ACOMPANA_COMMCARE_API_KEY"):
        call_command("pull", "commcare", "--xmlns", "http://openrosa.org/formdesigner/ASISTENCIA")
