"""The policy module against every view of the program pages, for every role."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from acompana import policy
from tests.support import ROLE_PEOPLE

# Expected status per role for each page. g01 and its member ac-g01-02 belong to sup-01 and
# are facilitated by fac-01; g04 (sup-02) and g03 (facilitated by fac-03 and fac-01? no) differ.
OWN_GROUP, OTHER_GROUP = "g01", "g05"
OWN_MEMBER, OTHER_MEMBER = "ac-g01-02", "ac-g05-01"

PAGES = {
    "home": ("home", {}),
    "group list": ("programs:group_list", {}),
    "own group": ("programs:group_detail", {"code": OWN_GROUP}),
    "other group": ("programs:group_detail", {"code": OTHER_GROUP}),
    "own member": ("programs:person_detail", {"code": OWN_MEMBER}),
    "other member": ("programs:person_detail", {"code": OTHER_MEMBER}),
    "admin": ("admin:index", {}),
}

EXPECTED = {
    #                home group-list own-group other-group own-member other-member admin
    "coordinator": (200, 200, 200, 200, 200, 200, 200),
    "supervisor": (200, 200, 200, 404, 200, 404, 403),
    "facilitator": (200, 200, 200, 404, 200, 404, 403),
    "clinician": (200, 200, 200, 200, 200, 200, 403),
    "acompanante": (200, 403, 403, 403, 200, 404, 403),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_every_role_against_every_page(role, login_as, client):
    """Each role opens exactly the pages its rule allows; out-of-scope records are 404."""
    login_as(ROLE_PEOPLE[role])
    got = tuple(client.get(reverse(name, kwargs=kwargs)).status_code
                for name, kwargs in PAGES.values())
    assert got == EXPECTED[role], dict(zip(PAGES, got, strict=True))


def test_facilitator_scope_follows_the_program_file(ces, login_as, client):
    """fac-01 facilitates g01 but not g05: the fixture's premise, checked."""
    from acompana.programs.models import Group

    assert Group.objects.filter(code=OWN_GROUP, facilitators__code="fac-01").exists()
    assert not Group.objects.filter(code=OTHER_GROUP, facilitators__code="fac-01").exists()


def test_anonymous_visitor_is_sent_to_login(ces, client):
    for name, kwargs in PAGES.values():
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_login_page_is_public(client, db):
    assert client.get(reverse("accounts:login")).status_code == 200


def test_user_with_no_person_reaches_nothing(ces, client):
    """A login that is not linked to a person of the program has no role and opens nothing."""
    user = get_user_model().objects.create_user("nadie", password="una-clave-larga-1")
    client.force_login(user)
    for name, kwargs in PAGES.values():
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


def test_refusals_are_logged(login_as, client, caplog):
    login_as(ROLE_PEOPLE["acompanante"])
    with caplog.at_level("WARNING", logger="acompana.policy"):
        client.get(reverse("programs:group_list"))
    assert "access refused" in caplog.text and "programs:group_list" in caplog.text


def _url_names(resolver: URLResolver, namespace: str = "") -> list[str]:
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"{namespace}?")
    return names


def test_every_url_has_a_rule():
    """Deny by default is not enough: every route must be decided in the policy module."""
    missing = [name for name in _url_names(get_resolver())
               if name not in policy.PUBLIC_VIEWS and policy.rule_for(name) is None]
    assert missing == []
