"""The main menu: grouped into a few sections so a coordinator's fifteen links fit a phone,
each link shown only to those the policy lets open it, and no JavaScript needed to open one."""

import re

import pytest
from django.urls import reverse

from acompana import policy
from acompana.menu import MENU, menu_for
from acompana.programs.models import Person
from tests.support import ROLE_PEOPLE


def _nav(html: str) -> str:
    return html.split('<nav aria-label="Menú principal">')[1].split("</nav>")[0]


@pytest.mark.parametrize("role", sorted(ROLE_PEOPLE))
def test_the_menu_shows_each_role_exactly_the_pages_she_may_open(role, ces, client, login_as):
    person = login_as(ROLE_PEOPLE[role])
    actor = policy.as_actor(Person.objects.get(pk=person.pk))
    nav = _nav(client.get(reverse("home")).content.decode())
    shown = set(re.findall(r'<a href="([^"]+)"', nav))
    allowed = {reverse(link.view_name) for section in MENU for link in section.links
               if policy.may_open(actor, link.view_name)}
    assert shown == allowed


def test_the_coordinators_fifteen_links_fold_into_six_entries(ces, client, login_as):
    """Home, then Plan, Records, Wellbeing, Program and her own pages: a section of several
    links is a details element (it opens without JavaScript); a section of one is that link."""
    login_as("coord-01")
    nav = _nav(client.get(reverse("home")).content.decode())
    assert len(re.findall(r"<a href=", nav)) >= 15
    sections = menu_for(policy.as_actor(Person.objects.get(code="coord-01")))
    assert len(sections) == 6
    assert re.findall(r"<summary>([^<]+)</summary>", nav) == ["Plan", "Registro", "Programa",
                                                              "Mi cuenta"]
    plan = nav.split("<summary>Plan</summary>")[1].split("</details>")[0]
    assert f'<a href="{reverse("programs:group_list")}">Grupos</a>' in plan


def test_an_acompanantes_menu_stays_short(ces, client, login_as):
    login_as("ac-g01-02")
    nav = _nav(client.get(reverse("home")).content.decode())
    assert f'<a href="{reverse("wellbeing:start")}">¿Cómo estás?</a>' in nav
    assert re.findall(r"<summary>([^<]+)</summary>", nav) == ["Mi cuenta"]
