"""Login accounts for the program's people."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

from acompana.programs.models import Person, Role

# Coordinators run the back office (Django admin) for these apps' records.
COORDINATOR_ADMIN_APPS = ("programs", "auth", "audit")


class AccountError(Exception):
    """An account that cannot be created, with the reason in a sentence."""


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def do_create_account(*, person: Person, username: str, password: str | None = None
                      ) -> tuple[object, str]:
    """Give a person a login; return the user and the password (generated when not given)."""
    User = get_user_model()
    if person.user_id is not None:
        raise AccountError(f"{person.name} already has the account '{person.user.username}'.")
    if User.objects.filter(username=username).exists():
        raise AccountError(f"The user name '{username}' is taken; choose another.")
    password = password or generate_password()
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password,
                                        first_name=person.name[:150])
        if person.role == Role.COORDINATOR:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.user_permissions.set(Permission.objects.filter(
                content_type__app_label__in=COORDINATOR_ADMIN_APPS))
        person.user = user
        person.save(update_fields=["user"])
    return user, password
