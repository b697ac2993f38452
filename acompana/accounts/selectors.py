"""Reading who has a login: the people an actor may give, reset or close one for."""

from __future__ import annotations

from dataclasses import dataclass

from acompana import policy
from acompana.programs.models import Person


@dataclass(frozen=True)
class AccountRow:
    person: Person
    username: str
    active: bool
    may_manage: bool


def accounts(*, actor: policy.Actor) -> list[AccountRow]:
    """The program's people the actor may see, with their login and whether she manages it."""
    people = policy.visible_people(actor).select_related("user").order_by("role", "name")
    return [AccountRow(person=person, username=person.user.username if person.user else "",
                       active=bool(person.user and person.user.is_active),
                       may_manage=policy.may_take(actor, "accounts.do_create_account", person))
            for person in people]


def account_of(*, actor: policy.Actor, code: str) -> AccountRow:
    """One person's login as the accounts page shows it; 404 outside the actor's scope."""
    from django.shortcuts import get_object_or_404

    person = get_object_or_404(policy.visible_people(actor).select_related("user"), code=code)
    return AccountRow(person=person, username=person.user.username if person.user else "",
                      active=bool(person.user and person.user.is_active),
                      may_manage=policy.may_take(actor, "accounts.do_create_account", person))


def reset_link_holder(*, uid: str, token: str) -> Person | None:
    """The person a one-time password link was made for, while it still works."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_str
    from django.utils.http import urlsafe_base64_decode

    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return Person.objects.filter(user=user).select_related("user").first()
