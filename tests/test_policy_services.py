"""Every write service asks the policy itself, whoever calls it: a view, the admin, a command.

The services are found by introspection (every `do_*` of every app's services and of the
operator's modules), so a new service without a rule, or one that forgets to ask, fails here.
Each is then called directly with each role the rule leaves out, and must refuse before
changing anything; a refusal is audited, and over HTTP it answers 403, never a silent 200.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django.urls import reverse

import acompana
from acompana import policy
from acompana.audit.models import AuditEntry
from acompana.programs.models import Group, Person
from tests.support import ROLE_PEOPLE

# Parameters that name the acting person (kept as each service names it).
ACTOR_PARAMETERS = ("by", "entered_by", "recorded_by")
# The audit trail's own recorder writes the refusals: it cannot ask the policy about itself.
NOT_ACTIONS = {"audit.do_record_access"}
ROLES = {**ROLE_PEOPLE, "auditor": "aud-01"}


def write_services() -> dict[str, object]:
    """'<app>.<do_name>' -> function, for every do_* defined in acompana's modules."""
    found = {}
    for module_info in pkgutil.walk_packages(acompana.__path__, "acompana."):
        name = module_info.name
        if ".tests" in name or ".migrations" in name or ".management" in name \
                or name.startswith("acompana.domain"):
            continue
        module = importlib.import_module(name)
        for attribute, function in vars(module).items():
            if attribute.startswith("do_") and inspect.isfunction(function) \
                    and function.__module__ == name:
                found[f"{name.split('.')[1]}.{attribute}"] = function
    return found


SERVICES = write_services()


def _actor_parameter(function) -> str:
    parameters = inspect.signature(function).parameters
    names = [name for name in ACTOR_PARAMETERS if name in parameters]
    assert names, f"{function.__qualname__} takes no acting person (by=)"
    assert parameters[names[0]].kind is inspect.Parameter.KEYWORD_ONLY
    return names[0]


def _dummy_call(function, actor) -> None:
    """Call with the actor and nothing else worth reading: the policy must answer first."""
    parameters = inspect.signature(function).parameters
    arguments = {name: None for name, parameter in parameters.items()
                 if parameter.default is inspect.Parameter.empty}
    arguments[_actor_parameter(function)] = actor
    function(**arguments)


def test_services_are_found():
    assert {"delivery.do_save_session_log", "accounts.do_create_account",
            "wellbeing.do_record_assessment", "programs.do_load_program"} <= set(SERVICES)


@pytest.mark.parametrize("action", sorted(set(SERVICES) - NOT_ACTIONS))
def test_every_service_has_a_rule_and_an_acting_person(action):
    assert action in policy.ACTION_RULES, f"{action} has no rule in policy.ACTION_RULES"
    _actor_parameter(SERVICES[action])


class Asked(Exception):
    pass


@pytest.mark.parametrize("action", sorted(set(SERVICES) - NOT_ACTIONS))
def test_every_service_asks_the_policy_first_with_its_own_name(action, monkeypatch):
    def authorize(by, asked, obj=None):
        raise Asked(asked)

    monkeypatch.setattr(policy, "authorize", authorize)
    with pytest.raises(Asked) as asked:
        _dummy_call(SERVICES[action], policy.OPERATOR)
    assert str(asked.value) == action


@pytest.fixture
def people(ces):
    Person.objects.create(program=ces, code="aud-01", name="Auditora", role="auditor",
                          community=ces.communities.first())
    return {role: Person.objects.get(code=code) for role, code in ROLES.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(set(SERVICES) - NOT_ACTIONS))
def test_every_service_refuses_every_role_its_rule_leaves_out(action):
    rule = policy.ACTION_RULES[action]
    left_out = [role for role in sorted(ROLES) if role not in rule.roles]
    for role in left_out:  # a person of that role (the refusal needs no more of her)
        before = AuditEntry.objects.filter(action="write.refused").count()
        with pytest.raises(policy.Refused):
            _dummy_call(SERVICES[action], Person(code=ROLES[role], role=role))
        assert AuditEntry.objects.filter(action="write.refused").count() == before + 1, role
    with pytest.raises(policy.Refused):  # nobody
        _dummy_call(SERVICES[action], None)
    if not rule.operator:
        with pytest.raises(policy.Refused):
            _dummy_call(SERVICES[action], policy.OPERATOR)


# --- Scopes: a role the rule allows, on a record outside her reach ---------------------------

@pytest.mark.django_db
def test_a_supervisor_saves_sheets_of_her_groups_only(people):
    """sup-01 supervises g01, not g05 (sup-02's)."""
    supervisor = people["supervisor"]
    assert policy.may_take(supervisor, "delivery.do_save_session_log", Group.objects.get(
        code="g01"))
    assert not policy.may_take(policy.as_actor(supervisor), "delivery.do_save_session_log",
                               Group.objects.get(code="g05"))


@pytest.mark.django_db
def test_a_facilitator_prints_only_her_groups_sheets(people, ces):
    from acompana.planning.models import PlannedSession

    facilitator = policy.as_actor(people["facilitator"])  # fac-01: not g05's
    other = PlannedSession(program=ces, group=Group.objects.get(code="g05"),
                           supervisor=Person.objects.get(code="sup-02"),
                           facilitator=Person.objects.get(code="fac-02"))
    assert not policy.may_take(facilitator, "forms.do_print_attendance_form", other)


@pytest.mark.django_db
def test_wellbeing_writes_are_the_worker_herself_or_the_clinician(people):
    worker, other = people["acompanante"], Person.objects.get(code="ac-g05-01")
    for action in ("wellbeing.do_give_consent", "wellbeing.do_record_assessment",
                   "wellbeing.do_withdraw_consent"):
        assert policy.may_take(policy.as_actor(worker), action, worker)
        assert not policy.may_take(policy.as_actor(worker), action, other)
        assert policy.may_take(policy.as_actor(people["clinician"]), action, other)
        for role in ("coordinator", "supervisor", "facilitator", "auditor"):
            assert not policy.may_take(policy.as_actor(people[role]), action, worker), role


@pytest.mark.django_db
def test_a_supervisor_cannot_record_consent_for_a_worker_of_her_group(people):
    """Consent opens a worker's questionnaires: her supervisor records none (it was allowed)."""
    from acompana.wellbeing.services import do_give_consent

    with pytest.raises(policy.Refused):
        do_give_consent(person=people["acompanante"], method="signed-paper",
                        recorded_by=people["supervisor"])
    assert not people["acompanante"].consents.exists()


@pytest.mark.django_db
def test_a_supervisor_cannot_import_into_another_supervisors_group(people, ces):
    """A file naming g05 is read as if the group did not exist for sup-01: nothing stored."""
    from acompana.delivery.models import SessionLog
    from acompana.delivery.services import do_import_attendance
    from acompana.domain.attendance_import import ImportRejected

    data = (b"group,session,date,person,status\n"
            b"g05,bienestar-01,2023-07-14,ac-g05-01,present\n")
    with pytest.raises(ImportRejected):
        do_import_attendance(program=ces, data=data, file_name="a.csv",
                             entered_by=people["supervisor"])
    assert not SessionLog.objects.exists()


def test_a_refused_write_answers_403_never_a_silent_200(login_as, client, monkeypatch):
    """The view leaves the decision to the service; the service's refusal reaches the user."""
    from acompana.planning.models import PlannedSession
    from acompana.planning.services import do_store_plan

    program = login_as("coord-01").program
    do_store_plan(by=policy.OPERATOR, program=program, plan={"sessions": [{
        "id": "g01:bienestar-01", "track": "wellbeing", "session": "bienestar-01",
        "group": "g01", "supervisor": "sup-01", "facilitator": "fac-01",
        "community": "reforma", "date": "2023-07-11", "start": "10:00", "end": "12:00"}]})
    monkeypatch.setitem(policy.ACTION_RULES, "planning.do_mark_session", policy.ActionRule())
    response = client.post(reverse("planning:mark", kwargs={"key": "g01:bienestar-01"}),
                           {"status": "held", "reason": ""})
    assert response.status_code == 403
    assert PlannedSession.objects.get().status == "planned"
    assert AuditEntry.objects.filter(action="write.refused",
                                     subject="planning.do_mark_session").exists()
