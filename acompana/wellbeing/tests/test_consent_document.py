"""The privacy notice the app records is printed, with its version, to read aloud and sign."""

import pymupdf
import pytest

from acompana.wellbeing.services import PRIVACY_NOTICE_VERSION
from tests.support import ROLE_PEOPLE

pytestmark = pytest.mark.django_db
URL = "/bienestar/consentimiento/imprimir.pdf"


@pytest.mark.parametrize("role", ["facilitator", "supervisor", "coordinator", "clinician"])
def test_staff_print_the_notice_with_its_version_and_lines_to_sign(login_as, client, role):
    login_as(ROLE_PEOPLE[role])
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with pymupdf.open(stream=response.content, filetype="pdf") as document:
        text = " ".join(" ".join(page.get_text().split()) for page in document)
    assert f"versión {PRIVACY_NOTICE_VERSION}" in text
    assert "Aviso de privacidad" in text and "Firma o huella" in text


def test_an_acompanante_does_not_print_the_form(login_as, client):
    login_as(ROLE_PEOPLE["acompanante"])
    assert client.get(URL).status_code == 403
