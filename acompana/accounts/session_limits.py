"""Sessions for shared phones: they end after idleness, and an Acompañante's with the browser.

A phone passed from hand to hand must not stay logged in as whoever used it last: a session
unused for longer than the actor's limit is ended at the next request (30 minutes for anyone
who can see individual wellbeing results; the program's setting, or 4 hours, for the rest), and
an Acompañante's session cookie lives only until the browser closes.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from acompana.policy import Actor, actor_of, sees_individual_results
from acompana.programs.models import Role

LAST_SEEN_KEY = "acompana_last_seen"
REFRESH_SECONDS = 60  # the session is written at most once a minute to note activity


def idle_limit(actor: Actor) -> dt.timedelta:
    """How long the actor's session may sit unused."""
    if sees_individual_results(actor):
        return dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES_INDIVIDUAL_RESULTS)
    planning = actor.person.program.planning if actor.person else {}
    return dt.timedelta(minutes=int(planning.get("session_idle_minutes",
                                                 settings.SESSION_IDLE_MINUTES_DEFAULT)))


class SessionLimitsMiddleware:
    """Ends idle sessions before any view runs; notes activity and browser-close sessions after."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            last_seen = request.session.get(LAST_SEEN_KEY)
            actor = actor_of(request.user)
            if last_seen is not None and time.time() - last_seen > idle_limit(
                    actor).total_seconds():
                minutes = int(idle_limit(actor).total_seconds() // 60)
                logout(request)
                messages.info(request, _("Your session closed after %(minutes)s minutes "
                                         "without use; log in again.") % {"minutes": minutes})
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        response = self.get_response(request)
        if request.user.is_authenticated:
            self._note_activity(request)
        return response

    @staticmethod
    def _note_activity(request) -> None:
        now = time.time()
        if now - request.session.get(LAST_SEEN_KEY, 0) > REFRESH_SECONDS:
            request.session[LAST_SEEN_KEY] = now
        person = getattr(getattr(request, "actor", None), "person", None)
        if person is None:
            person = actor_of(request.user).person
        if (person is not None and person.role == Role.ACOMPANANTE
                and not request.session.get_expire_at_browser_close()):
            request.session.set_expiry(0)


def client_address(request) -> str | None:
    """The address login throttling counts by: behind nginx (HTTPS set), the right-most entry of
    X-Forwarded-For, which nginx itself appended; otherwise the connection's address."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")
