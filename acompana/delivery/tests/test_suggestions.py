"""Suggestions from the Acompañantes: recorded, followed, decided with reasons, history kept."""

import pytest
from django.urls import reverse

from acompana.audit.models import AuditEntry
from acompana.delivery.models import Suggestion


@pytest.fixture
def supervisor(login_as):
    return login_as("sup-01")


def _new(client, **changes):
    data = {"group": "g01", "person": "ac-g01-02", "received_on": "2023-08-08",
            "text": "Que la reunión empiece a las 10 para quienes vienen de lejos."} | changes
    return client.post(reverse("delivery:suggestion_new"), data)


def test_supervisor_records_a_suggestion_and_keeps_text_when_refused(supervisor, client):
    response = _new(client, received_on="")
    assert response.status_code == 400
    assert "Que la reunión empiece a las 10" in response.content.decode()
    response = _new(client)
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.status, suggestion.person.code) == ("received", "ac-g01-02")


def test_only_coordination_decides_and_not_adopting_needs_a_reason(supervisor, client,
                                                                  login_as):
    _new(client)
    suggestion = Suggestion.objects.get()
    response = client.post(reverse("delivery:suggestion", args=[suggestion.pk]),
                           {"status": "adopted"})
    assert response.status_code == 403  # a supervisor cannot decide, and is told so
    suggestion.refresh_from_db()
    assert suggestion.status == "received"
    assert AuditEntry.objects.filter(action="write.refused",
                                     subject="delivery.do_change_suggestion_status").exists()
    login_as("coord-01")
    response = client.post(reverse("delivery:suggestion", args=[suggestion.pk]),
                           {"status": "not-adopted", "reason": ""})
    assert response.status_code == 400
    client.post(reverse("delivery:suggestion", args=[suggestion.pk]),
                {"status": "discussed"})
    client.post(reverse("delivery:suggestion", args=[suggestion.pk]),
                {"status": "not-adopted", "reason": "El transporte sale a las 9."})
    suggestion.refresh_from_db()
    history = list(suggestion.changes.values_list("old_status", "new_status"))
    assert history == [("", "received"), ("received", "discussed"),
                       ("discussed", "not-adopted")]
    assert suggestion.reason == "El transporte sale a las 9."


def test_other_supervisors_do_not_see_the_suggestion(supervisor, client, login_as):
    _new(client)
    pk = Suggestion.objects.get().pk
    login_as("sup-02")
    assert client.get(reverse("delivery:suggestion", args=[pk])).status_code == 404
    assert "empiece a las 10" not in client.get(reverse("delivery:suggestions")).content.decode()


def test_a_long_list_of_suggestions_is_paginated(supervisor, client):
    """Fifty a page, newest first, the filter kept from page to page."""
    from acompana.delivery.views import SUGGESTIONS_PER_PAGE
    from acompana.programs.models import Group

    group = Group.objects.get(code="g01")
    Suggestion.objects.bulk_create(
        Suggestion(program_id=group.program_id, group=group, text=f"Sugerencia {n}",
                   received_on=f"2023-08-{1 + n % 28:02d}")
        for n in range(SUGGESTIONS_PER_PAGE + 3))
    first = client.get(reverse("delivery:suggestions"), {"status": "received"})
    assert len(first.context["page"]) == SUGGESTIONS_PER_PAGE
    assert 'href="?status=received&amp;page=2"' in first.content.decode()
    second = client.get(reverse("delivery:suggestions"), {"status": "received", "page": "2"})
    assert len(second.context["page"]) == 3
