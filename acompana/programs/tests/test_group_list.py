"""The list of groups is paginated: a national program has a thousand."""

from django.urls import reverse

from acompana.programs import views


def test_the_group_list_is_paginated_by_name(ces, login_as, client, monkeypatch):
    monkeypatch.setattr(views, "GROUPS_PER_PAGE", 4)
    login_as("coord-01")
    first = client.get(reverse("programs:group_list"))
    names = [group.name for group in first.context["page"]]
    assert len(names) == 4 and names == sorted(names)
    assert 'href="?page=2"' in first.content.decode()
    last = client.get(reverse("programs:group_list"), {"page": "3"})
    assert len(last.context["page"]) == 1  # nine groups: 4 + 4 + 1


def test_a_groups_page_says_where_it_meets(ces, login_as, client):
    login_as("coord-01")
    page = client.get(reverse("programs:group_detail", args=["g01"])).content.decode()
    assert "Casa de salud de Reforma" in page
