"""Reads for reminders: the message each group receives before its next session, the links
that send it, and a person's calendar as a subscribable feed."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from acompana.alerts.links import whatsapp_link
from acompana.planning.models import PlannedSession, Status
from acompana.planning.selectors import session_name
from acompana.policy import Actor, as_actor, visible_sessions
from acompana.programs.models import Membership, Person, Role
from acompana.reminders.models import CalendarFeed

REMINDERS_PER_PAGE = 20


@dataclass(frozen=True)
class MemberLink:
    name: str
    link: str  # wa.me/<her number>?text=...


@dataclass(frozen=True)
class GroupReminder:
    """The message a group receives before a session, ready to send."""

    session: PlannedSession
    text: str
    group_link: str  # https://wa.me/?text=...: WhatsApp asks which chat (the group's)
    members: list[MemberLink]
    without_phone: list[str]  # members the message reaches only through the group


def session_heading(session: PlannedSession) -> str:
    """'Grupo Reforma · Sesión 3: Conociéndonos' — what people read, never the plan's codes."""
    who = session.group.name if session.group else _("Supervisors' training")
    return f"{who} · {session_name(session.session_code)}"


def reminder_text(session: PlannedSession) -> str:
    """A group session's reminder in the program's language: date, time, place, topic and what
    to bring, from the plan and the curriculum session."""
    from acompana.curriculum.selectors import current_curriculum

    lang = session.program.default_language
    with translation.override(lang):
        lesson = current_curriculum().sessions.get(session.session_code)
        day = formats.date_format(session.date, pgettext("reminder date", "l, F j"))
        place = session.community.name + (f" ({session.community.municipality})"
                                           if session.community.municipality else "")
        lines = [
            _("Reminder for %(group)s") % {"group": session.group.name},
            session_name(session.session_code),
            _("When: %(day)s, from %(start)s to %(end)s") % {
                "day": day, "start": session.start.strftime("%H:%M"),
                "end": session.end.strftime("%H:%M")},
            _("Where: %(place)s") % {"place": place},
        ]
        if lesson and lesson.materials:
            bring = "; ".join(material.item.in_lang(lang) for material in lesson.materials)
            lines.append(_("What to bring: %(things)s") % {"things": bring})
    return "\n".join(lines)


def members_at(session: PlannedSession) -> list[Person]:
    """The group's Acompañantes on the session's day."""
    if session.group_id is None:
        return []
    memberships = (Membership.objects.filter(group_id=session.group_id,
                                             joined__lte=session.date,
                                             person__role=Role.ACOMPANANTE)
                   .filter(Q(left__isnull=True) | Q(left__gte=session.date))
                   .select_related("person").order_by("person__name"))
    return [membership.person for membership in memberships]


def group_reminder(session: PlannedSession) -> GroupReminder:
    text = reminder_text(session)
    members = members_at(session)
    return GroupReminder(
        session=session, text=text,
        group_link=f"https://wa.me/?text={urllib.parse.quote(text)}",
        members=[MemberLink(name=person.name, link=whatsapp_link(person.whatsapp or person.phone,
                                                                 text))
                 for person in members if person.whatsapp or person.phone],
        without_phone=[person.name for person in members
                       if not (person.whatsapp or person.phone)])


def next_sessions(*, actor: Actor, today: dt.date) -> list[PlannedSession]:
    """Each visible group's next planned session from `today` on."""
    upcoming = (visible_sessions(actor)
                .filter(group__isnull=False, date__gte=today, status=Status.PLANNED,
                        dropped=False)
                .select_related("program").order_by("date", "start", "group__name"))
    seen: set[int] = set()
    sessions = []
    for session in upcoming.iterator(chunk_size=500):
        if session.group_id not in seen:
            seen.add(session.group_id)
            sessions.append(session)
    return sessions


def reminders_page(*, actor: Actor, today: dt.date, page: str | None) -> tuple[Page,
                                                                                list[GroupReminder]]:
    """One page of the groups' next reminders, soonest first."""
    paged = Paginator(next_sessions(actor=actor, today=today), REMINDERS_PER_PAGE).get_page(page)
    return paged, [group_reminder(session) for session in paged.object_list]


def sms_days_before(program) -> int | None:
    """Days ahead the worker sends the reminders by SMS, or None when they do not go by SMS
    (the program file leaves it off, or no SMS provider is configured)."""
    from acompana.alerts.models import Channel
    from acompana.alerts.providers import configured_channels

    reminders = program.reminders or {}
    if not reminders.get("sms") or Channel.SMS not in configured_channels():
        return None
    return int(reminders.get("days_before", 2))


def sessions_to_remind(*, program, today: dt.date) -> list[PlannedSession]:
    """The program's group sessions whose reminder goes out today (`days_before` ahead)."""
    days = int((program.reminders or {}).get("days_before", 2))
    return list(PlannedSession.objects.filter(
        program=program, group__isnull=False, status=Status.PLANNED, dropped=False,
        date=today + dt.timedelta(days=days)).select_related("group", "community", "program"))


# --- The calendar feed ----------------------------------------------------------------------

def feed_of(person: Person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


def feed_by_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 64:
        return None
    return CalendarFeed.objects.filter(token=token).select_related("person__program").first()


def feed_calendar(*, person: Person) -> bytes:
    """The person's sessions as iCalendar: each event's UID is the plan id (as in the plan's
    calendar files) and its SEQUENCE the session's revision, so a moved session replaces the
    old one in the calendar app; a missed one is cancelled."""
    from icalendar import Calendar, Event

    program = person.program
    zone = ZoneInfo(program.time_zone)
    with translation.override(program.default_language):
        calendar = Calendar()
        calendar.add("prodid", "-//Acompaña//Calendario//ES")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("Sessions of %(name)s") % {"name": person.name})
        calendar.add("x-wr-timezone", program.time_zone)
        stamp = timezone.now().replace(microsecond=0)
        sessions = visible_sessions(as_actor(person)).select_related("program").order_by(
            "date", "start", "key")
        for session in sessions.iterator(chunk_size=500):
            event = Event()
            event.add("uid", f"{session.key}@{program.code}.acompana")
            event.add("sequence", session.sequence)
            event.add("dtstamp", stamp)
            event.add("dtstart", dt.datetime.combine(session.date, session.start, tzinfo=zone))
            event.add("dtend", dt.datetime.combine(session.date, session.end, tzinfo=zone))
            event.add("summary", session_heading(session))
            event.add("location", session.community.name)
            event.add("description", "\n".join([
                _("Supervisor: %(name)s") % {"name": session.supervisor.name},
                _("Facilitator: %(name)s") % {"name": session.facilitator.name}]))
            event.add("status", {Status.HELD: "CONFIRMED", Status.MISSED: "CANCELLED"}.get(
                session.status, "TENTATIVE"))
            calendar.add_component(event)
        calendar.add_missing_timezones()
    return calendar.to_ical()
