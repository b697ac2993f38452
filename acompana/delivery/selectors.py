"""Reads for delivery entry: what a session's sheet must hold, the log as it stands, and its
double entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from acompana.curriculum.selectors import curriculum_session
from acompana.delivery.models import (
    Attendance,
    FidelityItem,
    SessionLog,
    SheetEntry,
    SheetResolution,
    Suggestion,
)
from acompana.domain.curriculum.html_render import picture_html
from acompana.domain.double_entry import disagreements, sheet_fields
from acompana.domain.session_sheet import SessionSheet, SheetRules
from acompana.domain.todo import (
    ABSENCES_IN_A_ROW,
    Listing,
    absent_in_a_row,
    days_waiting,
    recent_since,
)
from acompana.planning.models import PlannedSession
from acompana.planning.models import Status as PlanStatus
from acompana.policy import Actor, visible_groups, visible_sessions, visible_suggestions
from acompana.programs.models import Group, Membership, Person


@dataclass(frozen=True)
class SheetPage:
    planned: PlannedSession
    roster: list[Person]
    activities: list[str]
    questions: list[str]
    rules: SheetRules
    log: SessionLog | None
    facilitators: list[Person]


def sheet_page(*, actor: Actor, key: str) -> SheetPage:
    """Everything the entry page of a group session needs, within the actor's scope."""
    planned = get_object_or_404(visible_sessions(actor).filter(group__isnull=False), key=key)
    members = (Membership.objects.filter(group=planned.group, joined__lte=planned.date)
               .exclude(left__lt=planned.date).select_related("person")
               .order_by("person__name"))
    roster = [m.person for m in members]
    session = curriculum_session(planned.session_code)
    lang = get_language()
    activities = [activity.name.in_lang(lang) for activity in session.activities]
    questions = [question.in_lang(lang) for question in session.evaluation_questions]
    facilitators = sorted({planned.supervisor, planned.facilitator,
                           *planned.group.facilitators.all()}, key=lambda p: p.name)
    rules = SheetRules(roster=tuple(p.code for p in roster), activities=tuple(activities),
                       questions=len(questions), faces=3,
                       facilitators=tuple(p.code for p in facilitators))
    log = SessionLog.objects.filter(planned=planned).prefetch_related(
        "attendance__person", "fidelity", "feedback").first()
    return SheetPage(planned=planned, roster=roster, activities=activities, questions=questions,
                     rules=rules, log=log, facilitators=facilitators)


def kit_sessions(*, actor: Actor, days: int = 7) -> list[PlannedSession]:
    """The sessions the actor facilitates or supervises from today for `days` days: those whose
    kit her phone keeps, to open and take attendance with no signal."""
    import datetime as dt

    from django.db.models import Q
    from django.utils import timezone

    if actor.person is None:
        return []
    today = timezone.localdate()
    return list(visible_sessions(actor).filter(
        Q(facilitator=actor.person) | Q(supervisor=actor.person), group__isnull=False,
        date__gte=today, date__lte=today + dt.timedelta(days=days)).order_by("date", "start"))


def log_sheet(log: SessionLog) -> SessionSheet:
    """The saved log as the sheet it was typed from."""
    return SessionSheet(
        outcome=log.outcome, date=log.date, facilitator=log.facilitator.code,
        duration_minutes=log.duration_minutes, cancel_reason=log.cancel_reason,
        attendance={a.person.code: a.status for a in log.attendance.all()},
        fidelity={f.position: f.status for f in log.fidelity.all()},
        feedback={(f.question, f.face): f.count for f in log.feedback.all()}, notes=log.notes)


@dataclass(frozen=True)
class Difference:
    """A box the two entries disagree on, as a person reads it."""

    field: str
    label: str
    first: str
    second: str
    saved: str


@dataclass(frozen=True)
class Comparison:
    page: SheetPage
    first: SheetEntry | None
    second: SheetEntry | None
    differences: list[Difference]
    resolution: SheetResolution | None


def comparison(*, actor: Actor, key: str) -> Comparison:
    """A sheet's two entries side by side, each box they disagree on named and readable."""
    page = sheet_page(actor=actor, key=key)
    entries = ({e.round: e for e in page.log.entries.select_related("entered_by")}
               if page.log else {})
    first, second = entries.get(SheetEntry.Round.FIRST), entries.get(SheetEntry.Round.SECOND)
    differences = []
    if first and second:
        saved = sheet_fields(log_sheet(page.log), page.rules)
        readable = _reader(page)
        differences = [Difference(d.field, box_label(d.field, page), readable(d.field, d.first),
                                  readable(d.field, d.second),
                                  readable(d.field, saved.get(d.field, "")))
                       for d in disagreements(first.values, second.values)]
    resolution = SheetResolution.objects.filter(log=page.log).select_related(
        "resolved_by").first() if page.log else None
    return Comparison(page=page, first=first, second=second, differences=differences,
                      resolution=resolution)


def box_label(name: str, page: SheetPage) -> str:
    """What a box is called on the paper sheet."""
    fixed = {"date": _("Date"), "outcome": _("Outcome"), "facilitator": _("Facilitator"),
             "cancel_reason": _("Reason for cancelling"),
             "duration_minutes": _("Duration (minutes)"), "notes": _("Notes")}
    if name in fixed:
        return fixed[name]
    kind, _sep, rest = name.partition("-")
    if kind == "attendance":
        names = {person.code: person.name for person in page.roster}
        return _("Attendance: %(name)s") % {"name": names.get(rest, rest)}
    if kind == "fidelity" and rest.isdigit() and 0 < int(rest) <= len(page.activities):
        return _("Fidelity: %(activity)s") % {"activity": page.activities[int(rest) - 1]}
    question, _sep, face = rest.partition("-")
    if kind == "feedback" and question.isdigit() and 0 < int(question) <= len(page.questions):
        text = page.questions[int(question) - 1]
        return (_("Feedback: %(question)s, face %(face)s") % {"question": text, "face": face}
                if face else _("Feedback: %(question)s") % {"question": text})
    return name


def _reader(page: SheetPage):
    """Turns a box's stored value into words: statuses translated, people by name."""
    words = {**dict(SessionLog.Outcome.choices), **dict(Attendance.Status.choices),
             **dict(FidelityItem.Status.choices)}
    people = {person.code: person.name for person in page.facilitators}

    def readable(name: str, value: str) -> str:
        if name == "facilitator":
            return people.get(value, value)
        if name == "outcome" or name.startswith(("attendance-", "fidelity-")):
            return str(words.get(value, value))
        return value

    return readable


@dataclass(frozen=True)
class PersonEntryErrors:
    name: str
    sheets: int
    fields: int
    errors: int

    @property
    def rate(self) -> float | None:
        return self.errors / self.fields if self.fields else None


@dataclass(frozen=True)
class DoubleEntryOverview:
    awaiting_second: list[SessionLog]
    awaiting_second_count: int
    awaiting_settlement: list[SessionLog]
    awaiting_settlement_count: int
    people: list[PersonEntryErrors]


def double_entry_overview(*, actor: Actor, limit: int = 50) -> DoubleEntryOverview:
    """Sheets waiting for their second entry or their settlement, and each person's entry
    error rate over the settled sheets, within the actor's groups."""
    logs = _double_entry_logs(actor)
    typed_once = logs.filter(entries__round=SheetEntry.Round.FIRST).exclude(
        entries__round=SheetEntry.Round.SECOND)
    typed_twice = _awaiting_settlement(logs)
    rows = (SheetEntry.objects.filter(log__group__in=visible_groups(actor),
                                      fields__isnull=False)
            .values("entered_by__name")
            .annotate(sheets=Count("id"), fields=Sum("fields"), errors=Sum("errors"))
            .order_by("entered_by__name"))
    people = [PersonEntryErrors(row["entered_by__name"], row["sheets"], row["fields"],
                                row["errors"]) for row in rows]
    return DoubleEntryOverview(
        awaiting_second=list(typed_once[:limit]), awaiting_second_count=typed_once.count(),
        awaiting_settlement=list(typed_twice[:limit]),
        awaiting_settlement_count=typed_twice.count(), people=people)


def _double_entry_logs(actor: Actor):
    return (SessionLog.objects.filter(group__in=visible_groups(actor), planned__isnull=False)
            .select_related("group", "planned").order_by("date", "group__code"))


def _awaiting_settlement(logs):
    """Sheets typed twice whose disagreements nobody has settled yet."""
    return logs.filter(entries__round=SheetEntry.Round.SECOND, resolution__isnull=True)


def sheets_to_settle(*, actor: Actor, limit: int = 20) -> Listing:
    """Her groups' sheets typed twice and waiting to be settled with the paper in hand."""
    return Listing.first(_awaiting_settlement(_double_entry_logs(actor)), limit)


# --- Home pages' to-do lists -------------------------------------------------------------

@dataclass(frozen=True)
class SheetToType:
    planned: PlannedSession
    age_days: int


def sheets_to_type(*, actor: Actor, today: dt.date, limit: int = 20) -> Listing:
    """Her groups' sessions that were held, or whose planned date has passed, with no sheet
    typed yet: oldest first, each with the days it has waited. A session marked missed needs
    no sheet."""
    sessions = (PlannedSession.objects.filter(group__in=visible_groups(actor), log__isnull=True,
                                              dropped=False)
                .filter(Q(date__lt=today) | Q(status=PlanStatus.HELD))
                .exclude(status=PlanStatus.MISSED)
                .select_related("group", "community", "supervisor")
                .order_by("date", "start", "group__name"))
    return Listing.first(sessions, limit,
                         lambda session: SheetToType(session, days_waiting(session.date, today)))


@dataclass(frozen=True)
class MissedSession:
    """A session she was absent from, and whether a reason was given (excused) or not."""

    log: SessionLog
    excused: bool


@dataclass(frozen=True)
class AbsentInARow:
    """An Acompañante absent from her group's last sessions: to follow up."""

    person: Person
    group: Group
    absences: list[MissedSession]

    @property
    def to_ask(self) -> bool:
        """No reason recorded for at least one absence: someone should ask her why."""
        return any(not absence.excused for absence in self.absences)


def absent_in_a_row_at(*, actor: Actor, today: dt.date) -> list[AbsentInARow]:
    """The current members of her groups absent from each of their group's last two sessions
    held (recent ones only), with the reason given for each absence. Two queries however many
    groups: the groups' last two logs (a window over the recent ones), then their marks."""
    last = (SessionLog.objects.filter(group__in=visible_groups(actor), date__lte=today,
                                      date__gte=recent_since(today),
                                      outcome=SessionLog.Outcome.HELD)
            .annotate(newest=Window(RowNumber(), partition_by=[F("group_id")],
                                    order_by=[F("date").desc(), F("pk").desc()]))
            .filter(newest__lte=ABSENCES_IN_A_ROW).select_related("group"))
    by_group: dict[int, list[SessionLog]] = {}
    for log in sorted(last, key=lambda log: (log.group_id, log.newest)):
        by_group.setdefault(log.group_id, []).append(log)  # newest first
    logs = {log.pk: log for group_logs in by_group.values() for log in group_logs}
    current = Membership.objects.filter(person=OuterRef("person"), group=OuterRef("log__group"),
                                        left__isnull=True)
    marks: dict[int, dict[Person, list[tuple[SessionLog, str]]]] = {}
    for mark in (Attendance.objects.filter(log__in=list(logs)).filter(Exists(current))
                 .select_related("person")):
        log = logs[mark.log_id]
        marks.setdefault(log.group_id, {}).setdefault(mark.person, []).append(
            (log, mark.status))
    found = []
    for group_id, group_logs in by_group.items():
        for person, absences in absent_in_a_row(marks.get(group_id, {}), group_logs).items():
            found.append(AbsentInARow(person, group_logs[0].group, [
                MissedSession(absence.session, absence.excused) for absence in absences]))
    return sorted(found, key=lambda row: (row.group.name, row.person.name))


def suggestions_to_decide(*, actor: Actor, today: dt.date, limit: int = 10) -> Listing:
    """Suggestions received or discussed and not yet decided, oldest first, with their wait."""
    waiting = visible_suggestions(actor).filter(status__in=[
        Suggestion.Status.RECEIVED, Suggestion.Status.DISCUSSED]).order_by("received_on", "id")
    return Listing.first(waiting, limit, lambda suggestion: (
        suggestion, days_waiting(suggestion.received_on, today)))


@dataclass(frozen=True)
class SessionInWords:
    """A planned session as an Acompañante reads it: when, where and what about."""

    planned: PlannedSession
    title: str
    summary: str
    status: str = ""  # her attendance, for a past session: present, absent, excused or ""
    picture: str = ""  # the session's picture as an <img>, for those who read little


@dataclass(frozen=True)
class AcompananteYear:
    next_session: SessionInWords | None
    present: int
    marked: int
    past: list[SessionInWords]


def _in_words(planned: PlannedSession, lang: str, status: str = "") -> SessionInWords:
    try:
        session = curriculum_session(planned.session_code)
    except Http404:
        return SessionInWords(planned, planned.session_code, "", status)
    picture = session.pictures.get(session.picture or "")
    return SessionInWords(planned, session.title.in_lang(lang), session.summary.in_lang(lang),
                          status, picture_html(picture, lang, css_class="session-picture")
                          if picture else "")


def acompanante_year(*, actor: Actor, lang: str) -> AcompananteYear:
    """Her next session, her own attendance this year, and this year's past sessions of her
    group with how she was marked (their handouts are hers, attended or missed)."""
    import datetime as dt

    from django.utils import timezone

    person, today = actor.person, timezone.localdate()
    sessions = visible_sessions(actor).filter(group__isnull=False)
    upcoming = sessions.filter(date__gte=today).exclude(status="missed").order_by(
        "date", "start").first()
    year = sessions.filter(date__gte=dt.date(today.year, 1, 1), date__lt=today).order_by("-date")
    marks = dict(Attendance.objects.filter(person=person, log__planned__in=year)
                 .values_list("log__planned_id", "status"))
    own = Attendance.objects.filter(person=person, log__date__year=today.year)
    return AcompananteYear(
        next_session=_in_words(upcoming, lang) if upcoming else None,
        present=own.filter(status="present").count(), marked=own.count(),
        past=[_in_words(s, lang, marks.get(s.pk, "")) for s in year
              if s.pk in marks or s.status == "held"])
