"""Who may see and do what: the one place access is decided.

Every URL name has a rule here (deny by default: a view without a rule is refused), and every
query that returns program records is narrowed here to what the actor may see, so a record
outside that scope answers 404, never a hint that it exists. Views do not check roles themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import redirect, render
from django.utils import timezone

from acompana.programs.models import Group, Person, Role

logger = logging.getLogger("acompana.policy")

ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR, Role.CLINICIAN})

# Views anyone may open, logged in or not.
PUBLIC_VIEWS = frozenset({"accounts:login", "set_language", "javascript-catalog",
                          # A calendar app fetches it with the secret in its address, no login.
                          "reminders:feed"})

# URL name -> roles allowed. Namespaces listed in NAMESPACE_RULES cover all their views.
VIEW_RULES: dict[str, frozenset[Role]] = {
    "home": ALL_ROLES,
    "accounts:logout": ALL_ROLES,
    "programs:group_list": STAFF_ROLES,
    "programs:group_detail": STAFF_ROLES,
    "programs:person_detail": ALL_ROLES,
    "programs:my_contact": ALL_ROLES,
    # A job page shows only the jobs she started (acompana.jobs.selectors.own_job).
    "jobs:job": ALL_ROLES,
    "jobs:download": ALL_ROLES,
    "curriculum:index": STAFF_ROLES,
    "curriculum:session": STAFF_ROLES,
    "curriculum:download": STAFF_ROLES,
    "curriculum:track_zip": STAFF_ROLES,
    "planning:calendar": STAFF_ROLES,
    "planning:grid": STAFF_ROLES,
    "planning:session": STAFF_ROLES,
    "planning:mark": frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR}),
    "planning:replan": frozenset({Role.COORDINATOR}),
    "planning:download": STAFF_ROLES,
    "delivery:entry": frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR}),
    "delivery:saved": frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR}),
    "delivery:second_entry": frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR}),
    "delivery:compare": frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR}),
    "delivery:settle": frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
    "delivery:double_entry": frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
    "delivery:import": frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
    "delivery:suggestions": frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
    "reports:dashboard": frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
    "reports:group": frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
    "reports:export": frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
    "reports:monthly": frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
    "delivery:suggestion_new": frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
    "delivery:suggestion": frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
    # Wellbeing: individual answers and scores reach only the worker and the clinician.
    "wellbeing:consent": frozenset({Role.ACOMPANANTE}),
    # The notice printed to read aloud and sign: for whoever runs the check in a session.
    "wellbeing:consent_document": STAFF_ROLES,
    "wellbeing:start": frozenset({Role.ACOMPANANTE}),
    "wellbeing:question": frozenset({Role.ACOMPANANTE}),
    "wellbeing:done": frozenset({Role.ACOMPANANTE}),
    "wellbeing:my_results": frozenset({Role.ACOMPANANTE}),
    "wellbeing:person_results": frozenset({Role.CLINICIAN}),
    "wellbeing:paper_entry": frozenset({Role.CLINICIAN}),
    "wellbeing:record_consent": frozenset({Role.CLINICIAN}),
    "wellbeing:referrals": frozenset({Role.CLINICIAN}),
    "wellbeing:referral": frozenset({Role.CLINICIAN}),
    "wellbeing:acknowledge": frozenset({Role.CLINICIAN}),
    "wellbeing:audit": frozenset({Role.CLINICIAN}),
    "wellbeing:results": frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.CLINICIAN}),
    "wellbeing:evaluation_report": frozenset({Role.COORDINATOR, Role.SUPERVISOR,
                                              Role.CLINICIAN}),
    # The audit trail: the coordination and the program's auditor read it; nobody edits it.
    "audit:trail": frozenset({Role.COORDINATOR, Role.AUDITOR}),
    "audit:export": frozenset({Role.COORDINATOR, Role.AUDITOR}),
    # Paper forms: questionnaires are the clinician's, sheets and slips the supervisors'.
    "forms:index": frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.CLINICIAN}),
    "forms:upload": frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.CLINICIAN}),
    "forms:review": frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.CLINICIAN}),
    "forms:discard": frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.CLINICIAN}),
    "forms:print_sheet": frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR}),
    "forms:print_slips": frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
    "forms:print_questionnaires": frozenset({Role.CLINICIAN}),
    # The groups' reminders, ready to send; everyone's own calendar address.
    "reminders:groups": frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR}),
    "reminders:my_calendar": ALL_ROLES,
    "reminders:renew": ALL_ROLES,
}

# Views that show or export one person's confidential data: every visit and every refusal is
# written to the audit trail.
SENSITIVE_VIEWS = frozenset({
    "wellbeing:my_results", "wellbeing:done", "wellbeing:person_results",
    "wellbeing:paper_entry", "wellbeing:record_consent", "wellbeing:referrals",
    "wellbeing:referral", "wellbeing:acknowledge", "forms:review",
})
# Pages never kept in a browser's or proxy's cache: the sensitive ones and those with answers.
NO_STORE_VIEWS = SENSITIVE_VIEWS | {"wellbeing:question", "wellbeing:consent",
                                    "wellbeing:start"}
NAMESPACE_RULES: dict[str, frozenset[Role]] = {
    # Django admin is the coordinators' back office; confidential models are never registered.
    "admin": frozenset({Role.COORDINATOR}),
}


@dataclass(frozen=True)
class Actor:
    """The logged-in user as the policy sees them: a role and the person they are.

    `operator` is the server's operator at the command line (setting up the server, loading the
    program file): trusted with what only she can do, such as granting the clinician role.
    """

    user_id: int | None
    person: Person | None
    operator: bool = False

    @property
    def role(self) -> Role | None:
        return Role(self.person.role) if self.person else None


# The server's operator, acting from the command line.
OPERATOR = Actor(user_id=None, person=None, operator=True)


def as_actor(by: Actor | Person | None) -> Actor:
    """The actor behind a service's `by=`: a Person, an Actor, or None (nobody: refused)."""
    if isinstance(by, Actor):
        return by
    if by is None:
        return Actor(user_id=None, person=None)
    return Actor(user_id=by.user_id, person=by)


def actor_of(user) -> Actor:
    """The actor behind a request's user; anonymous users and users with no person have no role."""
    if not user.is_authenticated:
        return Actor(user_id=None, person=None)
    person = Person.objects.filter(user=user).select_related("program").first()
    return Actor(user_id=user.pk, person=person)


def rule_for(view_name: str) -> frozenset[Role] | None:
    """The roles allowed on a URL name, or None when the view has no rule (then: refused)."""
    if view_name in VIEW_RULES:
        return VIEW_RULES[view_name]
    namespace = view_name.split(":", 1)[0] if ":" in view_name else None
    return NAMESPACE_RULES.get(namespace) if namespace else None


def may_open(actor: Actor, view_name: str) -> bool:
    if view_name in PUBLIC_VIEWS:
        return True
    allowed = rule_for(view_name)
    return allowed is not None and actor.role in allowed


# --- Scopes: what records an actor may see ------------------------------------------------

def sees_whole_program(actor: Actor) -> bool:
    """Coordinators and clinicians see every group, session and person of their program."""
    return actor.person is not None and actor.role in (Role.COORDINATOR, Role.CLINICIAN)


def visible_groups(actor: Actor) -> QuerySet[Group]:
    """Groups the actor may open: all for coordinators and clinicians, own ones otherwise."""
    groups = Group.objects.select_related("community")
    if actor.person is None:
        return groups.none()
    groups = groups.filter(program=actor.person.program_id)
    if sees_whole_program(actor):
        return groups
    today = timezone.localdate()
    match actor.role:
        case Role.SUPERVISOR:
            current = Q(supervisions__start__lte=today) & (
                Q(supervisions__end__isnull=True) | Q(supervisions__end__gte=today))
            return groups.filter(current, supervisions__supervisor=actor.person).distinct()
        case Role.FACILITATOR:
            return groups.filter(facilitators=actor.person)
        case _:
            return groups.none()


def visible_people(actor: Actor) -> QuerySet[Person]:
    """People whose record the actor may open: own record always; members of visible groups."""
    if actor.person is None:
        return Person.objects.none()
    people = Person.objects.filter(program=actor.person.program_id).select_related("community")
    if sees_whole_program(actor):
        return people
    if actor.role == Role.ACOMPANANTE:
        return people.filter(pk=actor.person.pk)
    return people.filter(Q(pk=actor.person.pk)
                         | Q(memberships__group__in=visible_groups(actor))).distinct()


def visible_sessions(actor: Actor):
    """Planned sessions the actor may see: her groups' sessions and the ones she takes part in."""
    from acompana.planning.models import PlannedSession

    if actor.person is None:
        return PlannedSession.objects.none()
    sessions = PlannedSession.objects.filter(program=actor.person.program_id).select_related(
        "group", "supervisor", "facilitator", "community")
    if sees_whole_program(actor):
        return sessions
    mine = Q(supervisor=actor.person) | Q(facilitator=actor.person)
    if actor.role == Role.ACOMPANANTE:
        groups = actor.person.memberships.filter(left__isnull=True).values("group")
        return sessions.filter(group__in=groups)
    # Her groups by id (a handful): with no subquery in the OR, each part uses its index.
    groups = list(visible_groups(actor).values_list("pk", flat=True))
    return sessions.filter(mine | Q(group__in=groups))


def may_mark_session(actor: Actor, session) -> bool:
    """Coordinators, and the supervisor or facilitator of that session, record what happened."""
    return actor.role == Role.COORDINATOR or (
        actor.person is not None
        and actor.person.pk in (session.supervisor_id, session.facilitator_id))


def visible_suggestions(actor: Actor):
    """Suggestions from the actor's groups and their members; all of them for coordinators."""
    from acompana.delivery.models import Suggestion

    if actor.person is None:
        return Suggestion.objects.none()
    suggestions = Suggestion.objects.filter(program=actor.person.program_id).select_related(
        "person", "group")
    if actor.role == Role.COORDINATOR:
        return suggestions
    groups = visible_groups(actor)
    return suggestions.filter(Q(group__in=groups) | Q(person__memberships__group__in=groups)
                              ).distinct()


def visible_scans(actor: Actor):
    """Scanned paper pages: questionnaires (screening answers) to the clinician alone; sheets
    and slips of the actor's groups to coordinators and supervisors."""
    from acompana.forms.models import ScannedPage

    if actor.person is None:
        return ScannedPage.objects.none()
    scans = ScannedPage.objects.filter(program=actor.person.program_id)
    if actor.role == Role.CLINICIAN:
        return scans.filter(form_type=ScannedPage.FormType.QUESTIONNAIRE)
    if actor.role in (Role.COORDINATOR, Role.SUPERVISOR):
        return scans.exclude(form_type=ScannedPage.FormType.QUESTIONNAIRE).filter(
            group__in=visible_groups(actor))
    return scans.none()


def may_decide_suggestion(actor: Actor) -> bool:
    """The program's coordination decides what becomes of a suggestion."""
    return actor.role == Role.COORDINATOR


def visible_audit_entries(actor: Actor):
    """The audit trail: all of it for the auditor; for coordinators, all but who opened whose
    confidential wellbeing record (that alone would hint at a referral)."""
    from acompana.audit.models import AuditEntry

    if actor.role == Role.AUDITOR:
        return AuditEntry.objects.all()
    if actor.role == Role.COORDINATOR:
        return AuditEntry.objects.exclude(action__in=SENSITIVE_VIEWS).exclude(
            subject__in=SENSITIVE_VIEWS)
    return AuditEntry.objects.none()


# --- Writes: every do_* service asks here before it changes anything ---------------------

class Refused(PermissionDenied):
    """A write the acting person may not make. Django answers it with 403; it is audited."""

    def __init__(self, action: str, reason: str = ""):
        self.action = action
        self.reason = reason
        super().__init__(reason or action)


@dataclass(frozen=True)
class ActionRule:
    """Who may take an action: roles, whether the operator may, and a scope test on the record."""

    roles: frozenset[Role] = frozenset()
    operator: bool = False
    # (actor, record) -> bool: the record is within the actor's reach (her group, her own, ...).
    scope: Callable[[Actor, Any], bool] | None = field(default=None, compare=False)


# Action name ("<app>.<verb>_<noun>") -> rule. An action without a rule is refused.
ACTION_RULES: dict[str, ActionRule] = {}


def _is_herself(actor: Actor, person: Person) -> bool:
    return actor.person is not None and actor.person.pk == person.pk


ACTION_RULES.update({
    # Her phone, WhatsApp and e-mail are the person's own to keep up to date.
    "programs.update_contact_details": ActionRule(roles=ALL_ROLES, scope=_is_herself),
    # A page's slow work: the roles each kind names (acompana.jobs.registry.JOB_KINDS).
    # The clinician acts on the referrals of her own program.
    "wellbeing.acknowledge_referral": ActionRule(roles=frozenset({Role.CLINICIAN}),
                                                 scope=lambda actor, referral: _same_program(
                                                     actor, referral.person)),
    "wellbeing.add_referral_note": ActionRule(roles=frozenset({Role.CLINICIAN}),
                                              scope=lambda actor, referral: _same_program(
                                                  actor, referral.person)),
    # Her calendar's secret address is her own to renew.
    "reminders.renew_calendar_feed": ActionRule(roles=ALL_ROLES, scope=_is_herself),
    "jobs.start_job": ActionRule(roles=ALL_ROLES, scope=lambda actor, kind: _may_start(actor,
                                                                                       kind)),
})


def _same_program(actor: Actor, person: Person) -> bool:
    return actor.person is not None and actor.person.program_id == person.program_id


def _may_start(actor: Actor, kind: str) -> bool:
    from acompana.jobs.registry import JOB_KINDS

    return kind in JOB_KINDS and actor.role in JOB_KINDS[kind].roles


def may_take(actor: Actor, action: str, obj: Any = None) -> bool:
    """Whether the actor may take the action on the record (deny by default)."""
    rule = ACTION_RULES.get(action)
    if rule is None:
        return False
    if actor.operator:
        return rule.operator
    if actor.role not in rule.roles:
        return False
    return rule.scope is None or obj is None or rule.scope(actor, obj)


def authorize(by: Actor | Person | None, action: str, obj: Any = None) -> Actor:
    """Ask at the top of every write service: returns the actor, or records and raises Refused."""
    actor = as_actor(by)
    if may_take(actor, action, obj):
        return actor
    logger.warning("write refused: person=%s role=%s action=%s",
                   getattr(actor.person, "code", None), actor.role, action)
    from acompana.audit.services import do_record_access

    do_record_access(actor=actor, action="write.refused", subject=action[:60],
                     target=str(getattr(obj, "pk", "") or "")[:200], allowed=False)
    raise Refused(action)


# --- Enforcement ----------------------------------------------------------------------------

class PolicyMiddleware:
    """Applies the view rules to every request before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if match and match.view_name in NO_STORE_VIEWS:
            response["Cache-Control"] = "no-store"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        view_name = match.view_name if match else ""
        if view_name in PUBLIC_VIEWS:
            return None
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        actor = actor_of(request.user)
        request.actor = actor
        allowed = may_open(actor, view_name)
        if view_name in SENSITIVE_VIEWS:
            from acompana.audit.services import do_record_access

            do_record_access(actor=actor, action=view_name,
                             subject=view_kwargs.get("code", ""),
                             target=view_kwargs.get("pk", "") and str(view_kwargs["pk"]),
                             allowed=allowed)
        if allowed:
            return None
        logger.warning("access refused: user=%s role=%s view=%s",
                       request.user.pk, actor.role, view_name or request.path)
        if view_name not in SENSITIVE_VIEWS:  # those were recorded above
            from acompana.audit.recording import record_refusal

            record_refusal(request, view_name)
        return render(request, "403.html", status=403)



def _login_url() -> str:
    from django.urls import reverse

    return reverse(settings.LOGIN_URL)


def role_context(request) -> dict:
    """Template context: the actor, so menus show only what the policy allows."""
    actor = getattr(request, "actor", None)
    if actor is None:
        return {}
    return {"actor": actor}
