"""Reads for delivery entry: what a session's sheet must hold, and the log as it stands."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from acompana.curriculum.selectors import curriculum_session
from acompana.delivery.models import SessionLog
from acompana.domain.session_sheet import SheetRules
from acompana.planning.models import PlannedSession
from acompana.policy import Actor, visible_sessions
from acompana.programs.models import Membership, Person


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
