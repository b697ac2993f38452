"""Login accounts for the program's people: given, reset, closed and re-roled only here.

Every function asks the policy first (nobody hands out rights she lacks; the clinician role is
the operator's or another clinician's to give) and writes its audit entry in the same
transaction. Passwords and reset codes never reach the audit trail.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from acompana import policy
from acompana.audit.recording import record_account_change
from acompana.programs.models import Person, Role

# Coordinators run the back office (Django admin) for these apps' records: never `auth` (logins
# are changed here, by rule) nor `audit` (read through the policy, in the app).
COORDINATOR_ADMIN_APPS = ("programs",)


class AccountError(Exception):
    """An account that cannot be created or changed, with the reason in a sentence."""


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _sync_back_office(user, role: str) -> None:
    """Coordinators (only they) reach the back office, for the program's records alone."""
    user.is_staff = role == Role.COORDINATOR
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.filter(
        content_type__app_label__in=COORDINATOR_ADMIN_APPS) if user.is_staff else [])


def do_create_account(*, person: Person, username: str, password: str | None = None,
                      by: policy.Actor | Person | None) -> tuple[object, str]:
    """Give a person a login; return the user and the password (generated when not given)."""
    actor = policy.authorize(by, "accounts.do_create_account", person)
    User = get_user_model()
    username = username.strip()
    if not username:
        raise AccountError(_("Write a user name."))
    if person.user_id is not None:
        raise AccountError(_("%(name)s already has the account '%(username)s'.") % {
            "name": person.name, "username": person.user.username})
    if User.objects.filter(username=username).exists():
        raise AccountError(_("The user name '%(username)s' is taken; choose another.")
                           % {"username": username})
    if password:
        _validate(password)
    password = password or generate_password()
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password,
                                        first_name=person.name[:150])
        _sync_back_office(user, person.role)
        person.user = user
        person.save(update_fields=["user"])
        record_account_change(actor, "account.create", person, {"username": [None, username]})
    return user, password


def do_issue_password_reset(*, person: Person, by: policy.Actor | Person | None) -> str:
    """A one-time code for the person to set a new password herself: the path of the page
    where she uses it. It stops working once used, or when the password changes."""
    actor = policy.authorize(by, "accounts.do_issue_password_reset", person)
    user = _user_of(person)
    if not user.is_active:
        raise AccountError(_("%(name)s's login is closed.") % {"name": person.name})
    record_account_change(actor, "account.reset-issued", person, {})
    from django.urls import reverse

    return reverse("accounts:reset", kwargs={
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user)})


def do_reset_password(*, person: Person, token: str, password: str,
                      by: policy.Actor | Person | None) -> None:
    """The person sets her new password with the code she was given (hers alone to use)."""
    actor = policy.authorize(by, "accounts.do_reset_password", person)
    user = _user_of(person)
    if not user.is_active or not default_token_generator.check_token(user, token):
        raise AccountError(_("This link was used already or is too old: ask the coordination "
                             "for a new one."))
    _validate(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_account_change(actor, "account.password-reset", person, {})


def do_change_own_password(*, person: Person, old_password: str, password: str,
                           by: policy.Actor | Person | None) -> None:
    """Every person changes her own password, knowing the current one."""
    actor = policy.authorize(by, "accounts.do_change_own_password", person)
    user = _user_of(person)
    if not user.check_password(old_password):
        raise AccountError(_("The current password is not right."))
    _validate(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_account_change(actor, "account.password-change", person, {})


def do_deactivate_account(*, person: Person, by: policy.Actor | Person | None) -> None:
    """Close a login: it no longer opens, and any open session ends at its next request."""
    actor = policy.authorize(by, "accounts.do_deactivate_account", person)
    user = _user_of(person)
    if actor.person is not None and actor.person.pk == person.pk:
        raise AccountError(_("You cannot close your own login."))
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        record_account_change(actor, "account.deactivate", person, {"active": [True, False]})


def do_change_role(*, person: Person, role: str, by: policy.Actor | Person | None) -> None:
    """Give a person another role: both the old and the new role must be the actor's to give."""
    actor = policy.authorize(by, "accounts.do_change_role", (person, role))
    if role not in Role.values:
        raise AccountError(_("Unknown role."))
    with transaction.atomic():
        old = person.role
        person.role = role
        person.save(update_fields=["role"])
        if person.user_id is not None:
            _sync_back_office(person.user, role)
        record_account_change(actor, "account.role", person, {"role": [old, role]})


def _user_of(person: Person):
    if person.user_id is None:
        raise AccountError(_("%(name)s has no login.") % {"name": person.name})
    return person.user


def _validate(password: str, user=None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from error
