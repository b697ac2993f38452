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
                          # The installable app's shell: nothing of anyone's in them.
                          "offline:service_worker", "offline:manifest", "offline:offline_page",
                          # The one-time link to choose a password: the link is the key.
                          "accounts:reset",
                          # A calendar app fetches it with the secret in its address, no login.
                          "reminders:feed"})
# Who uses the installable app's queue: the Acompañantes (questionnaires) and those who take a
# session's attendance (facilitators, supervisors, coordinators).
OFFLINE_ROLES = frozenset({Role.ACOMPANANTE, Role.FACILITATOR, Role.SUPERVISOR,
                           Role.COORDINATOR})

# URL name -> roles allowed. Namespaces listed in NAMESPACE_RULES cover all their views.
VIEW_RULES: dict[str, frozenset[Role]] = {
    "home": ALL_ROLES,
    "accounts:logout": ALL_ROLES,
    "accounts:password": ALL_ROLES,
    # Logins: given and reset by whoever holds the rights they carry (the services decide
    # which; these pages list them).
    "accounts:accounts": frozenset({Role.COORDINATOR, Role.CLINICIAN}),
    "accounts:account": frozenset({Role.COORDINATOR, Role.CLINICIAN}),
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
    "delivery:kit": frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR}),
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
    "wellbeing:answer": frozenset({Role.ACOMPANANTE}),
    # The Acompañante's own pages: a session's handout, a suggestion of hers.
    "delivery:handout": frozenset({Role.ACOMPANANTE}),
    "delivery:my_suggestion": frozenset({Role.ACOMPANANTE}),
    # The installable app: this device's key and the sync of what waited on it.
    "offline:key": OFFLINE_ROLES,
    "offline:send": OFFLINE_ROLES,
    "wellbeing:person_results": frozenset({Role.CLINICIAN}),
    "wellbeing:person_fhir": frozenset({Role.CLINICIAN}),
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
                                    "wellbeing:start", "wellbeing:person_fhir"}
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


# Pages showing one person's wellbeing answers or scores (her own, or the clinician's view).
INDIVIDUAL_RESULT_VIEWS = ("wellbeing:my_results", "wellbeing:person_results",
                           "wellbeing:paper_entry")


def sees_individual_results(actor: Actor) -> bool:
    """Whether the actor may open any page with individual results (her session is kept short)."""
    return any(may_open(actor, view_name) for view_name in INDIVIDUAL_RESULT_VIEWS)


def may_decide_suggestion(actor: Actor) -> bool:
    """The program's coordination decides what becomes of a suggestion."""
    return actor.role == Role.COORDINATOR


def visible_audit_entries(actor: Actor):
    """The audit trail of the actor's program: all of it for the auditor; for coordinators, all
    but who opened whose confidential wellbeing record (that alone would hint at a referral);
    for the clinician, exactly those visits to confidential records."""
    from acompana.audit.models import AuditEntry

    if actor.person is None:
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.filter(program=actor.person.program_id)
    confidential = Q(action__in=SENSITIVE_VIEWS) | Q(subject__in=SENSITIVE_VIEWS)
    if actor.role == Role.AUDITOR:
        return entries
    if actor.role == Role.COORDINATOR:
        return entries.exclude(confidential)
    if actor.role == Role.CLINICIAN:
        return entries.filter(confidential)
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
ACTION_RULES: dict[str, ActionRule] = {
    # A device's key and its submissions are always the acting person's own.
    "offline.do_issue_device_key": ActionRule(roles=OFFLINE_ROLES),
    "offline.do_receive_submission": ActionRule(roles=OFFLINE_ROLES),
    # An Acompañante's own suggestion to the program (named or anonymous).
    "delivery.do_send_own_suggestion": ActionRule(roles=frozenset({Role.ACOMPANANTE})),
    # A person's answers as FHIR resources: the program's clinician alone.
    "wellbeing.do_export_fhir_responses": ActionRule(
        roles=frozenset({Role.CLINICIAN}),
        scope=lambda actor, person: person.program_id == actor.person.program_id),
}


def _is_herself(actor: Actor, person: Person) -> bool:
    return actor.person is not None and actor.person.pk == person.pk


ACTION_RULES.update({
    # Her phone, WhatsApp and e-mail are the person's own to keep up to date.
    "programs.do_update_contact_details": ActionRule(roles=ALL_ROLES, scope=_is_herself),
    # A page's slow work: the roles each kind names (acompana.jobs.registry.JOB_KINDS).
    # The clinician acts on the referrals of her own program.
    "wellbeing.do_acknowledge_referral": ActionRule(roles=frozenset({Role.CLINICIAN}),
                                                 scope=lambda actor, referral: _same_program(
                                                     actor, referral.person)),
    "wellbeing.do_add_referral_note": ActionRule(roles=frozenset({Role.CLINICIAN}),
                                              scope=lambda actor, referral: _same_program(
                                                  actor, referral.person)),
    # The worker queues the groups' SMS reminders each morning.
    "reminders.do_queue_session_reminders": ActionRule(operator=True),
    # Her calendar's secret address is her own to renew.
    "reminders.do_renew_calendar_feed": ActionRule(roles=ALL_ROLES, scope=_is_herself),
    "jobs.do_start_job": ActionRule(roles=ALL_ROLES, scope=lambda actor, kind: _may_start(actor,
                                                                                       kind)),
})


def _same_program(actor: Actor, person: Person) -> bool:
    return actor.person is not None and actor.person.program_id == person.program_id


def _may_start(actor: Actor, kind: str) -> bool:
    from acompana.jobs.registry import JOB_KINDS

    return kind in JOB_KINDS and actor.role in JOB_KINDS[kind].roles


def program_of(record: Any) -> int | None:
    """The program a record belongs to: itself, its `program`, or that of its group or person."""
    if isinstance(record, (list, tuple)):
        return None
    if record.__class__.__name__ == "Program":
        return record.pk
    for path in ("program_id", "group", "person", "log", "referral", "session", "planned"):
        value = getattr(record, path, None)
        if value is None:
            continue
        if path == "program_id":
            return value
        return program_of(value)
    return None


def _records(record: Any) -> list:
    return list(record) if isinstance(record, (list, tuple)) else [record]


def in_own_program(actor: Actor, record: Any) -> bool:
    """The record (or every record of a list) belongs to the actor's program."""
    return actor.person is not None and all(
        program_of(item) == actor.person.program_id for item in _records(record))


def _group_of(record: Any) -> Group | None:
    if isinstance(record, Group):
        return record
    for path in ("group", "log", "planned", "session"):
        value = getattr(record, path, None)
        if value is not None:
            return _group_of(value)
    return None


def in_own_groups(actor: Actor, record: Any) -> bool:
    """The record's group is one the actor may open (all of the program's for a coordinator)."""
    if not in_own_program(actor, record):
        return False
    groups = [_group_of(item) for item in _records(record)]
    if any(group is None for group in groups):
        return sees_whole_program(actor)
    return visible_groups(actor).filter(pk__in={group.pk for group in groups}).count() == len(
        {group.pk for group in groups})


def in_own_sessions(actor: Actor, record: Any) -> bool:
    """Sessions she leads, supervises or facilitates, or of her groups; all for a coordinator."""
    sessions = _records(record)
    if not in_own_program(actor, sessions):
        return False
    if actor.role == Role.COORDINATOR:
        return True
    return all(may_mark_session(actor, session) or (
        session.group_id is not None and visible_groups(actor).filter(
            pk=session.group_id).exists()) for session in sessions)


def is_herself(actor: Actor, person: Any) -> bool:
    """The record is the actor's own (an Acompañante consenting or answering for herself)."""
    person = getattr(person, "person", person)
    return actor.person is not None and getattr(person, "pk", None) == actor.person.pk


def herself_or_clinician(actor: Actor, person: Any) -> bool:
    """Confidential wellbeing records: the worker herself, or the clinician of her program."""
    person = getattr(person, "person", person)
    if actor.role == Role.CLINICIAN:
        return in_own_program(actor, person)
    return is_herself(actor, person)


@dataclass(frozen=True)
class SuggestionSource:
    """Who a suggestion comes from, as the policy checks it: a group, a person, or both."""

    program: Any
    group: Any = None
    person: Any = None

    @property
    def pk(self) -> str:
        return f"{getattr(self.group, 'pk', '')}/{getattr(self.person, 'pk', '')}"


def suggestion_source_in_reach(actor: Actor, source: SuggestionSource) -> bool:
    """A suggestion of her groups or of their members (all of the program's for coordination)."""
    return in_own_program(actor, source.program) and (
        source.group is None or in_own_groups(actor, source.group)) and (
        source.person is None or visible_people(actor).filter(pk=source.person.pk).exists())


def scans_in_reach(actor: Actor, scans: Any) -> bool:
    """Scanned pages the actor may see (visible_scans decides)."""
    ids = {scan.pk for scan in _records(scans)}
    return visible_scans(actor).filter(pk__in=ids).count() == len(ids)


# Forms each role may send and confirm: questionnaires hold screening answers, the clinician's.
FORMS_BY_ROLE: dict[Role, frozenset[str]] = {
    Role.CLINICIAN: frozenset({"questionnaire"}),
    Role.COORDINATOR: frozenset({"attendance", "suggestion"}),
    Role.SUPERVISOR: frozenset({"attendance", "suggestion"}),
}


def forms_received_by(actor: Actor) -> frozenset[str]:
    """Which kinds of paper form the actor may send and confirm."""
    return FORMS_BY_ROLE.get(actor.role, frozenset()) if actor.role else frozenset()


# Roles whose rights each role holds whole, and may so grant (a login, a role): nobody hands
# out rights she lacks. The clinician role is granted by the operator or another clinician.
GRANTABLE_ROLES: dict[Role, frozenset[Role]] = {
    Role.COORDINATOR: frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR,
                                 Role.ACOMPANANTE}),
    Role.CLINICIAN: frozenset({Role.CLINICIAN}),
}


def may_grant(actor: Actor, role: str) -> bool:
    """Whether the actor may give someone the rights of `role` (a login, a new role)."""
    if actor.operator:
        return True
    return actor.role is not None and role in GRANTABLE_ROLES.get(actor.role, frozenset())


def account_in_reach(actor: Actor, person: Any) -> bool:
    """A login the actor may give, reset or close: a person of her program with a role whose
    rights she holds (never the clinician's for a coordinator)."""
    return in_own_program(actor, person) and may_grant(actor, person.role)


def role_change_in_reach(actor: Actor, change: Any) -> bool:
    """(person, new role): both the role she has and the one she gets are the actor's to give."""
    person, role = change
    return account_in_reach(actor, person) and may_grant(actor, role)


COORDINATION = frozenset({Role.COORDINATOR})
SHEET_TYPISTS = frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR})
OFFICE = frozenset({Role.COORDINATOR, Role.SUPERVISOR})
SCAN_READERS = frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.CLINICIAN})
CARE = frozenset({Role.CLINICIAN})

# Action name ("<app>.<do_name>") -> rule. An action without a rule is refused.
ACTION_RULES.update({
    # The program file and the server's data are the operator's, at the command line.
    "programs.do_load_program": ActionRule(operator=True),
    "ops.do_backup": ActionRule(operator=True),
    "ops.do_restore": ActionRule(operator=True),
    "ops.do_export_all": ActionRule(operator=True),
    "ops.do_import_all": ActionRule(operator=True),
    "curriculum.do_build_materials": ActionRule(roles=STAFF_ROLES, operator=True),
    "curriculum.do_build_material": ActionRule(roles=STAFF_ROLES, operator=True),
    # Logins: given, reset and closed by whoever holds the rights they carry.
    "accounts.do_create_account": ActionRule(roles=COORDINATION | CARE, operator=True,
                                             scope=account_in_reach),
    "accounts.do_issue_password_reset": ActionRule(roles=COORDINATION | CARE, operator=True,
                                                   scope=account_in_reach),
    "accounts.do_deactivate_account": ActionRule(roles=COORDINATION | CARE, operator=True,
                                                 scope=account_in_reach),
    "accounts.do_change_role": ActionRule(roles=COORDINATION | CARE, operator=True,
                                          scope=role_change_in_reach),
    # Every person changes her own password (and sets it from a reset link meant for her).
    "accounts.do_change_own_password": ActionRule(roles=ALL_ROLES, scope=is_herself),
    "accounts.do_reset_password": ActionRule(roles=ALL_ROLES, scope=is_herself),
    # The back office's saves of program records: the coordinator's, in her program.
    "programs.admin_change": ActionRule(roles=COORDINATION, scope=in_own_program),
    # The work plan.
    "planning.do_store_plan": ActionRule(roles=COORDINATION, operator=True,
                                         scope=in_own_program),
    "planning.do_plan_program": ActionRule(roles=COORDINATION, operator=True,
                                           scope=in_own_program),
    "planning.do_mark_session": ActionRule(roles=SHEET_TYPISTS, scope=in_own_sessions),
    "planning.do_mark_sessions": ActionRule(roles=SHEET_TYPISTS, scope=in_own_sessions),
    # Delivery records: a supervisor or facilitator for her groups, the coordinator for all.
    "delivery.do_save_session_log": ActionRule(roles=SHEET_TYPISTS, scope=in_own_groups),
    "delivery.do_record_second_entry": ActionRule(roles=SHEET_TYPISTS, scope=in_own_groups),
    "delivery.do_settle_sheet": ActionRule(roles=OFFICE, scope=in_own_groups),
    "delivery.do_import_attendance": ActionRule(roles=OFFICE, scope=in_own_program),
    "delivery.do_receive_suggestion": ActionRule(roles=OFFICE,
                                                 scope=suggestion_source_in_reach),
    "delivery.do_change_suggestion_status": ActionRule(roles=COORDINATION,
                                                       scope=in_own_program),
    # Confidential wellbeing records: the worker herself and the clinician alone.
    "wellbeing.do_give_consent": ActionRule(roles=CARE | {Role.ACOMPANANTE},
                                            scope=herself_or_clinician),
    "wellbeing.do_withdraw_consent": ActionRule(roles=CARE | {Role.ACOMPANANTE},
                                                scope=herself_or_clinician),
    "wellbeing.do_record_assessment": ActionRule(roles=CARE | {Role.ACOMPANANTE},
                                                 scope=herself_or_clinician),
    "wellbeing.do_add_referral_note": ActionRule(roles=CARE, scope=in_own_program),
    "wellbeing.do_import_submissions": ActionRule(roles=CARE, scope=in_own_program),
    # The worker (the server's own process) alerts the backup contact of overdue referrals.
    "wellbeing.do_escalate_overdue_referrals": ActionRule(operator=True),
    # Paper forms: sheets and slips are the office's, questionnaires the clinician's.
    "forms.do_print_attendance_form": ActionRule(roles=SHEET_TYPISTS, operator=True,
                                                 scope=in_own_sessions),
    "forms.do_print_questionnaires": ActionRule(roles=CARE, operator=True,
                                                scope=in_own_program),
    "forms.do_print_suggestion_slips": ActionRule(roles=OFFICE, operator=True,
                                                  scope=in_own_groups),
    "forms.do_receive_scans": ActionRule(roles=SCAN_READERS, scope=in_own_program),
    "forms.do_discard_scan": ActionRule(roles=SCAN_READERS, scope=scans_in_reach),
    "forms.do_confirm_attendance_sheet": ActionRule(roles=OFFICE, scope=scans_in_reach),
    "forms.do_confirm_questionnaire": ActionRule(roles=CARE, scope=scans_in_reach),
    "forms.do_confirm_suggestion": ActionRule(roles=OFFICE, scope=scans_in_reach),
})


def may_take(actor: Actor | Person | None, action: str, obj: Any = None) -> bool:
    """Whether the actor may take the action on the record (deny by default)."""
    actor = as_actor(actor)
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
