"""Reads of the program's people and places, always through the policy's scopes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from pydantic import ValidationError

from acompana.domain.curriculum.model import ProgramDetails
from acompana.domain.program_file import (
    CareBlock,
    ProgramDocument,
    help_contacts,
    is_example_number,
    printed_details,
)
from acompana.policy import Actor, visible_groups, visible_people
from acompana.programs.models import Group, Membership, Person, Supervision


def _current(prefix: str, start: str, end: str) -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}{start}__lte": today}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": today}))


def group_list(*, actor: Actor) -> QuerySet[Group]:
    """The actor's groups with their number of current members."""
    return visible_groups(actor).annotate(
        member_count=Count("memberships", filter=_current("memberships__", "joined", "left"),
                           distinct=True))


@dataclass(frozen=True)
class GroupPage:
    group: Group
    current_members: list[Membership]
    past_members: list[Membership]
    supervisors: list[Supervision]


def group_page(*, actor: Actor, code: str) -> GroupPage:
    """A group the actor may see, its members now and before; 404 for any other group."""
    group = get_object_or_404(visible_groups(actor).prefetch_related("facilitators"), code=code)
    memberships = list(Membership.objects.filter(group=group).select_related("person")
                       .order_by("person__name"))
    today = timezone.localdate()
    current = [m for m in memberships if m.joined <= today and (m.left is None or m.left >= today)]
    past = [m for m in memberships if m not in current]
    supervisors = list(group.supervisions.select_related("supervisor").order_by("-start"))
    return GroupPage(group=group, current_members=current, past_members=past,
                     supervisors=supervisors)


def person_page(*, actor: Actor, code: str) -> Person:
    """A person's record with their group history; 404 outside the actor's scope."""
    memberships = Membership.objects.select_related("group").order_by("-joined")
    return get_object_or_404(
        visible_people(actor).prefetch_related(Prefetch("memberships", queryset=memberships)),
        code=code)


def program_as_file(program) -> dict:
    """The program as stored, in the program file's shape: what the scheduler plans from.

    The database is the truth once a file is loaded (admins edit it), so planning reads this.
    """
    from acompana.domain.program_file import WEEKDAYS

    people = Person.objects.filter(program=program).select_related("community").order_by("code")
    memberships: dict[int, list[dict]] = {}
    for m in Membership.objects.filter(group__program=program).select_related("group"):
        memberships.setdefault(m.person_id, []).append(
            {"group": m.group.code, "joined": m.joined, **({"left": m.left} if m.left else {})})
    groups = (Group.objects.filter(program=program).select_related("community")
              .prefetch_related("facilitators", "supervisions__supervisor").order_by("code"))
    return {
        "program": {"id": program.code, "name": program.name, "country": program.country,
                    "time_zone": program.time_zone,
                    "default_language": program.default_language,
                    **({"paper_size": program.paper_size} if program.paper_size else {})},
        "communities": [
            {"id": c.code, "name": c.name, "municipality": c.municipality,
             "travel_minutes_from_hub": c.travel_minutes_from_hub}
            for c in program.communities.order_by("code")],
        "people": [
            {"id": p.code, "name": p.name, "role": p.role, "community": p.community.code,
             **({"memberships": memberships[p.pk]} if p.pk in memberships else {})}
            for p in people],
        "groups": [
            {"id": g.code, "name": g.name, "community": g.community.code,
             "meeting": {"weekday": WEEKDAYS[g.meeting_weekday],
                         "week_of_month": g.meeting_week_of_month,
                         "start": g.meeting_start.strftime("%H:%M")},
             "supervisors": [{"person": s.supervisor.code, "from": s.start,
                              **({"to": s.end} if s.end else {})}
                             for s in g.supervisions.all()],
             "facilitators": sorted(f.code for f in g.facilitators.all()),
             **({"meeting_place": g.meeting_place} if g.meeting_place else {})}
            for g in groups],
        "planning": program.planning,
    }


def program_care(program) -> CareBlock:
    """The program's path to care as its program file set it (defaults where it is silent)."""
    return CareBlock.model_validate(program.care or {})


def example_numbers(program) -> list[tuple[str, str]]:
    """(whose, number) of every phone on the path to care that is still an example number
    (+52 963 000 0000): the clinic and help lines the handouts print, and the clinicians' and
    coordinators' phones the alerts ring. A worker at risk must not be sent to a dead line."""
    care = program_care(program)
    found = [(contact.name, contact.phone) for contact in help_contacts(care)]
    if care.clinic:
        found.append((care.clinic.name, care.clinic.whatsapp or ""))
    for name, phone, whatsapp in Person.objects.filter(
            program=program, role__in=["clinician", "coordinator"]).order_by("name").values_list(
            "name", "phone", "whatsapp"):
        found += [(name, phone), (name, whatsapp)]
    return [(whose, number) for whose, number in dict.fromkeys(found)
            if is_example_number(number)]


def program_details(program) -> ProgramDetails:
    """The program as its printed materials name it: its name, where to get help, who
    facilitates its groups where, and its paper (read as the program file it was loaded from)."""
    try:
        document = ProgramDocument.model_validate(
            {**program_as_file(program), "care": program.care or {}})
    except ValidationError:  # edited in the admin beyond what a program file allows (a code
        # with capitals): the materials still build, with the help lines but not the groups
        return ProgramDetails(name=program.name, contacts=help_contacts(program_care(program)),
                              paper=program.paper)
    return printed_details(document)
