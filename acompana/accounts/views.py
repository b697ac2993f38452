"""Logins in the app: the coordination gives, resets and closes them; everyone changes her own
password; a person sets a new one herself with the one-time link she was given."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from acompana.accounts import selectors, services


def accounts_view(request):
    """The program's people and their logins."""
    return render(request, "accounts/accounts.html",
                  {"rows": selectors.accounts(actor=request.actor)})


@sensitive_post_parameters("password")
def account_view(request, code: str):
    """One person's login: give it, hand her a one-time link to set her password, or close it."""
    row = selectors.account_of(actor=request.actor, code=code)
    person, error, typed, link = row.person, "", {"username": person_default(row)}, ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "create":
                typed = {"username": request.POST.get("username", "").strip()}
                services.do_create_account(person=person, username=typed["username"],
                                           by=request.actor)
                person.refresh_from_db()
                link = services.do_issue_password_reset(person=person, by=request.actor)
            elif action == "reset":
                link = services.do_issue_password_reset(person=person, by=request.actor)
            elif action == "deactivate":
                services.do_deactivate_account(person=person, by=request.actor)
                messages.success(request, _("%(name)s's login is closed.") % {
                    "name": person.name})
                return redirect("accounts:account", code=code)
        except services.AccountError as problem:
            error = str(problem)
        row = selectors.account_of(actor=request.actor, code=code)
    return render(request, "accounts/account.html", {
        "row": row, "error": error, "typed": typed,
        "link": request.build_absolute_uri(link) if link else ""},
        status=400 if error else 200)


def person_default(row: selectors.AccountRow) -> str:
    return row.username or row.person.code


@sensitive_post_parameters("old_password", "password", "password_again")
def password_view(request):
    """Change one's own password, knowing the current one."""
    error = ""
    if request.method == "POST":
        password = request.POST.get("password", "")
        try:
            if password != request.POST.get("password_again", ""):
                raise services.AccountError(_("The two new passwords are not the same."))
            services.do_change_own_password(
                person=request.actor.person, old_password=request.POST.get("old_password", ""),
                password=password, by=request.actor)
        except services.AccountError as problem:
            error = str(problem)
        else:
            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect("home")
    return render(request, "accounts/password.html", {"error": error},
                  status=400 if error else 200)


@never_cache
@sensitive_post_parameters("password", "password_again")
def reset_view(request, uid: str, token: str):
    """The person sets her new password with the one-time link she was given."""
    person = selectors.reset_link_holder(uid=uid, token=token)
    error = ""
    if person is None:
        error = _("This link was used already or is too old: ask the coordination for a new one.")
    elif request.method == "POST":
        password = request.POST.get("password", "")
        try:
            if password != request.POST.get("password_again", ""):
                raise services.AccountError(_("The two new passwords are not the same."))
            services.do_reset_password(person=person, token=token, password=password, by=person)
        except services.AccountError as problem:
            error = str(problem)
        else:
            messages.success(request, _("Your new password is set: log in with it."))
            return redirect("accounts:login")
    return render(request, "accounts/reset.html", {"person": person, "error": error},
                  status=400 if error else 200)

