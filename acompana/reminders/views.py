"""Reminders for the groups, ready to send, and each person's calendar address."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from acompana.reminders import selectors, services


def groups_view(request):
    """Each group's next session with its message: a WhatsApp group link and one per member."""
    try:
        today = dt.date.fromisoformat(request.GET.get("desde", ""))
    except ValueError:
        today = timezone.localdate()
    page, reminders = selectors.reminders_page(actor=request.actor, today=today,
                                               page=request.GET.get("page"))
    return render(request, "reminders/groups.html", {
        "page": page, "reminders": reminders, "desde": today.isoformat(),
        "sms_days": selectors.sms_days_before(request.actor.person.program)})


def my_calendar_view(request):
    """Her calendar address, to subscribe from her phone's calendar (webcal://)."""
    person = request.actor.person
    if person is None:
        raise Http404
    feed = selectors.feed_of(person)
    links = {}
    if feed is not None:
        address = request.build_absolute_uri(reverse("reminders:feed", args=[feed.token]))
        links = {"https": address, "webcal": "webcal://" + address.split("://", 1)[1]}
    return render(request, "reminders/my_calendar.html", {"feed": feed, **links})


def renew_view(request):
    if request.method != "POST" or request.actor.person is None:
        return redirect("reminders:my_calendar")
    services.do_renew_calendar_feed(person=request.actor.person, by=request.actor)
    return redirect("reminders:my_calendar")


def feed_view(request, token: str):
    """The calendar itself, for a calendar app: the secret in the address is the key."""
    feed = selectors.feed_by_token(token)
    if feed is None:
        raise Http404
    response = HttpResponse(selectors.feed_calendar(person=feed.person),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="acompana.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
