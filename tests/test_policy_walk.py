"""Every URL pattern, every role, with real records of another supervisor's scope.

A supervisor (and anyone without the whole program in scope) asking for a group, session,
person or suggestion of another supervisor's groups gets 404; a view not meant for her role at
all gets 403; a login with no role reaches nothing. A new URL with parameters must be added to
SCOPED or UNSCOPED below, or this test fails: no route escapes the walk.
"""

from dataclasses import asdict

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from acompana import policy
from acompana.delivery.models import Suggestion
from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from acompana.domain.omr.spec import FormIdentity
from acompana.forms.models import ScannedPage
from acompana.jobs.models import Job
from acompana.planning.services import do_store_plan
from acompana.programs.models import Person
from acompana.wellbeing.services import do_give_consent, do_record_assessment
from tests.support import ROLE_PEOPLE

# g05 is sup-02's group, facilitated by fac-02 and fac-03; ac-g05-01 is one of its members.
OTHER_GROUP, OTHER_MEMBER, OTHER_SESSION = "g05", "ac-g05-01", "g05:bienestar-01"

# Views whose parameters name a program record: (URL name) -> kwargs filled in by `records`.
SCOPED = {
    "programs:group_detail": {"code": "group"},
    "programs:person_detail": {"code": "member"},
    "planning:session": {"key": "session"},
    "planning:mark": {"key": "session"},
    "delivery:entry": {"key": "session"},
    "delivery:saved": {"key": "session"},
    "delivery:kit": {"key": "session"},
    "delivery:handout": {"key": "session"},
    "delivery:second_entry": {"key": "session"},
    "delivery:compare": {"key": "session"},
    "delivery:settle": {"key": "session"},
    "delivery:suggestion": {"pk": "suggestion"},
    "reports:group": {"code": "group"},
    "wellbeing:person_results": {"code": "member"},
    "wellbeing:person_fhir": {"code": "member"},
    "wellbeing:paper_entry": {"code": "member"},
    "wellbeing:record_consent": {"code": "member"},
    "wellbeing:referral": {"pk": "referral"},
    "wellbeing:acknowledge": {"pk": "referral"},
    "jobs:job": {"pk": "job"},
    "jobs:download": {"pk": "job"},
    "forms:review": {"pk": "scan"},
    "forms:discard": {"pk": "scan"},
    "forms:print_sheet": {"key": "session"},
    "accounts:account": {"code": "member"},
}
# Views whose query string names a record of another supervisor's scope.
QUERY_SCOPED = {"forms:print_slips"}
# Scoped views whose record even a whole-program role may not see: the roles that see it.
SEEN_BY = {"forms:review": {"coordinator"}, "forms:discard": {"coordinator"},
           # A job is seen by the person who started it alone (the coordinator, here).
           "jobs:job": {"coordinator"}, "jobs:download": {"coordinator"}}
# Views whose parameters name no program record.
UNSCOPED = {
    "curriculum:session": {"code": "bienestar-01"},
    "curriculum:download": {"code": "bienestar-01", "kind": "handout"},
    "curriculum:track_zip": {"track": "bienestar"},
    "planning:download": {"kind": "json"},
    "reports:export": {"table": "sesiones", "fmt": "csv"},
    "reports:monthly": {"fmt": "xlsx"},
    "wellbeing:question": {"instrument": "who5", "number": 1},
    "audit:export": {"fmt": "csv"},
    "accounts:reset": {"uid": "MQ", "token": "caducado"},
    # Public: the secret in the address is the key (acompana.reminders), no record otherwise.
    "reminders:feed": {"token": "nada"},
}
# The Django admin's own parameters (the whole namespace is for coordinators only).
ADMIN_PARAMETERS = {"app_label": "programs", "object_id": "1", "content_type_id": "1", "id": "1",
                    "url": "nada/"}
QUERIES = {"admin:autocomplete": {"app_label": "programs", "model_name": "membership",
                                  "field_name": "person", "term": "a"},
           "reports:monthly": {"month": "2023-07"},
           "forms:print_slips": {"group": OTHER_GROUP},
           "forms:print_questionnaires": {"instrument": "who5", "wave": "baseline"}}
WHOLE_PROGRAM = {"coordinator", "clinician"}
ROLES = {**ROLE_PEOPLE, "auditor": "aud-01"}


def url_patterns(resolver: URLResolver = None, namespace: str = ""):
    """(URL name, parameter names) of every route, in every namespace."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or '?'}", set(pattern.pattern.regex.groupindex)


@pytest.fixture
def records(ces, settings, tmp_path):
    """Real records of sup-02's group g05 (one member at risk, referred), and an auditor."""
    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    settings.MATERIALS_DIR = tmp_path / "materials"
    do_store_plan(by=policy.OPERATOR, program=ces, plan={"sessions": [{
        "id": OTHER_SESSION, "track": "wellbeing", "session": "bienestar-01",
        "group": OTHER_GROUP, "supervisor": "sup-02", "facilitator": "fac-02",
        "community": "laguna-del-cofre", "date": "2023-07-14", "start": "10:00",
        "end": "12:00"}]})
    suggestion = Suggestion.objects.create(
        program=ces, group=ces.groups.get(code=OTHER_GROUP), text="otra supervisora",
        person=Person.objects.get(code=OTHER_MEMBER), received_on="2023-08-08")
    member = Person.objects.get(code=OTHER_MEMBER)
    do_give_consent(person=member, method="paper", recorded_by=member)
    _assessment, referral = do_record_assessment(
        person=member, instrument="phq9", wave="baseline", responses=[0] * 8 + [1],
        mode="paper", entered_by=member)
    scan = ScannedPage.objects.create(
        program=ces, form_type="attendance", group=ces.groups.get(code=OTHER_GROUP),
        occasion="bienestar-01", page=1, pages=1, payload="walk", source="hoja.jpg",
        reading={"identity": asdict(FormIdentity("attendance", 1, ces.code, OTHER_GROUP,
                                                 "bienestar-01")), "fields": []},
        image=b"", uploaded_by=Person.objects.get(code="sup-02"))
    Person.objects.create(program=ces, code="aud-01", name="Auditora", role="auditor",
                          community=ces.communities.first())
    job = Job.objects.create(kind="reports.monthly", owner=Person.objects.get(code="coord-01"),
                             title="Informe mensual")
    return {"group": OTHER_GROUP, "member": OTHER_MEMBER, "session": OTHER_SESSION,
            "suggestion": suggestion.pk, "referral": referral.pk,
            "scan": scan.pk, "job": job.pk}


def _kwargs(name: str, parameters: set[str], records: dict) -> dict:
    if name in SCOPED:
        return {key: records[value] for key, value in SCOPED[name].items()}
    if name in UNSCOPED:
        return UNSCOPED[name]
    if name.startswith("admin:"):
        return {key: ADMIN_PARAMETERS[key] for key in parameters}
    assert not parameters, f"{name} takes {parameters}: add it to SCOPED or UNSCOPED"
    return {}


def _url(name: str, parameters: set[str], records: dict) -> str:
    if name == "admin:?":  # the admin's unnamed catch-all
        return reverse("admin:index") + "nada/"
    assert not name.endswith(":?"), f"unnamed route in {name}: give it a name"
    return reverse(name, kwargs=_kwargs(name, parameters, records))


def _walk(client, records):
    for name, parameters in url_patterns():
        if name in policy.PUBLIC_VIEWS:
            continue
        url = _url(name, parameters, records)
        yield name, url, client.get(url, QUERIES.get(name, {})).status_code


def test_every_route_is_walked():
    """Deny by default in the walk itself: every routed name is known to it."""
    for name, parameters in url_patterns():
        if parameters and not name.startswith("admin:"):
            assert name in SCOPED or name in UNSCOPED, name


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_route_for_every_role(role, records, login_as, client):
    login_as(ROLES[role])
    actor = policy.actor_of(Person.objects.get(code=ROLES[role]).user)
    wrong = []
    for name, url, status in _walk(client, records):
        if not policy.may_open(actor, name):
            expected = {403}
        elif (name in SCOPED or name in QUERY_SCOPED) and role not in SEEN_BY.get(
                name, WHOLE_PROGRAM):
            expected = {404}  # another supervisor's record: as if it did not exist
        elif name.startswith("admin:"):
            # Past the policy, the admin applies its own permissions (no one adds or deletes
            # audit entries) and answers 404 or a redirect for objects that do not exist.
            expected = {200, 302, 403, 404, 405}
        else:
            expected = {200, 302, 405}  # 405: GET on a POST-only view such as logout
        if status not in expected:
            wrong.append((name, url, status, expected))
    assert wrong == [], "\n".join(map(str, wrong))


def test_a_login_with_no_role_reaches_nothing(records, client):
    client.force_login(get_user_model().objects.create_user("nadie", password="x" * 12))
    reached = [(name, status) for name, _url, status in _walk(client, records) if status != 403]
    assert reached == []


# --- The admin, model by model: her program's records for the coordinator, nothing for others -

@pytest.fixture
def two_programs(records):
    """Records of another program, one of each model the admin shows."""
    from acompana.programs.models import Community, Group, Membership, Program, Supervision

    other = Program.objects.create(code="otro", name="Programa Ajeno", country="GT",
                                   time_zone="America/Guatemala")
    place = Community.objects.create(program=other, code="lejos", name="Comunidad Ajena")
    supervisor = Person.objects.create(program=other, code="sup-91", name="Supervisora Ajena",
                                       role="supervisor", community=place)
    worker = Person.objects.create(program=other, code="ac-91", name="Acompañante Ajena",
                                   role="acompanante", community=place)
    group = Group.objects.create(program=other, code="g01", name="Grupo Ajeno", community=place,
                                 meeting_weekday=1, meeting_week_of_month=2,
                                 meeting_start="10:00")
    Supervision.objects.create(supervisor=supervisor, group=group, start="2023-07-01")
    Membership.objects.create(person=worker, group=group, joined="2023-07-01")
    return {Program: other, Community: place, Person: supervisor, Group: group}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_admin_page_for_every_role(role, two_programs, login_as, client):
    from django.contrib import admin

    login_as(ROLES[role])
    ces = Person.objects.get(code="coord-01").program
    wrong = []
    for model in [model for model in admin.site._registry if model in two_programs]:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        own = model.objects.filter(pk=ces.pk).first() if model._meta.model_name == "program" \
            else model.objects.filter(program=ces).first()
        other = two_programs[model]
        pages = {
            "changelist": (reverse(f"admin:{info}_changelist"), {200}),
            "add": (reverse(f"admin:{info}_add"),
                    {403} if model._meta.model_name == "program" else {200}),
            "change own": (reverse(f"admin:{info}_change", args=[own.pk]), {200}),
            "change other": (reverse(f"admin:{info}_change", args=[other.pk]), {302}),
            "delete other": (reverse(f"admin:{info}_delete", args=[other.pk]),
                             {403} if model._meta.model_name == "program" else {302}),
            "history other": (reverse(f"admin:{info}_history", args=[other.pk]), {302}),
        }
        for page, (url, allowed) in pages.items():
            expected = allowed if role == "coordinator" else {403}
            status = client.get(url).status_code
            if status not in expected:
                wrong.append((model.__name__, page, status, expected))
        if role == "coordinator":
            listing = client.get(pages["changelist"][0]).content.decode()
            if str(other) in listing:
                wrong.append((model.__name__, "changelist lists another program's", str(other)))
    for path in ("audit/auditentry/", "auth/user/", "auth/group/"):
        status = client.get(reverse("admin:index") + path).status_code
        if status not in ({404} if role == "coordinator" else {403}):
            wrong.append((path, status))
    if role == "coordinator":  # the back office's other apps (login attempts): not hers
        assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
    assert wrong == [], "\n".join(map(str, wrong))
