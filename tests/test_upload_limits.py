"""An upload over the size limit is dropped while it streams in, never held whole, and the
person who sent it is told which file and why."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from acompana.uploads import refused_uploads

LIMIT = 64 * 1024


def test_a_file_past_the_limit_is_skipped_as_it_arrives_and_a_small_one_is_kept(settings):
    settings.MAX_UPLOAD_BYTES = LIMIT
    request = RequestFactory().post("/", {
        "big": SimpleUploadedFile("grande.pdf", b"%PDF-" + b"0" * (50 * LIMIT)),
        "small": SimpleUploadedFile("chica.csv", b"date,group\n")})
    refusals = refused_uploads(request)
    assert "big" not in request.FILES
    assert request.FILES["small"].read() == b"date,group\n"
    assert [refusal.message.params["name"] for refusal in refusals] == ["grande.pdf"]


def test_import_page_names_the_file_too_large_to_receive(ces, login_as, client, settings):
    settings.MAX_UPLOAD_BYTES = LIMIT
    login_as("coord-01")
    response = client.post(reverse("delivery:import"), {
        "file": SimpleUploadedFile("asistencia.csv", b"date,group\n" * (LIMIT // 5)),
        "source": "", "mapping": "fecha=date"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "asistencia.csv" in page and "no se recibió" in page
    assert "fecha=date" in page  # what was typed is kept


@pytest.mark.django_db
def test_paper_forms_page_names_the_photo_too_large_to_receive(ces, login_as, client, settings):
    settings.MAX_UPLOAD_BYTES = LIMIT
    login_as("coord-01")
    response = client.post(reverse("forms:upload"), {
        "files": [SimpleUploadedFile("hoja.jpg", b"\xff\xd8\xff" + b"0" * (3 * LIMIT))]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "hoja.jpg" in page and "no se recibió" in page
