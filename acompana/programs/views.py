"""Pages about the program's groups and people. Access is decided by acompana.policy."""

import datetime as dt

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from acompana.policy import Actor
from acompana.programs import selectors, services
from acompana.programs.models import Role
from acompana.wellbeing.selectors import help_contacts

HOME_TEMPLATES = {
    Role.COORDINATOR: "programs/home_coordinator.html",
    Role.SUPERVISOR: "programs/home_supervisor.html",
    Role.FACILITATOR: "programs/home_facilitator.html",
    Role.CLINICIAN: "programs/home_clinician.html",
    Role.ACOMPANANTE: "programs/home_acompanante.html",
    Role.AUDITOR: "programs/home_auditor.html",
}


def home(request):
    """Each role's home is a to-do list first (what waits for her, with a link to do it), then
    her groups."""
    actor = request.actor
    context = {"person": actor.person}
    if actor.role == Role.ACOMPANANTE:
        from django.utils.translation import get_language

        from acompana.delivery.selectors import acompanante_year

        context["person"] = selectors.person_page(actor=actor, code=actor.person.code)
        context["help"] = help_contacts(actor.person.program)
        context["year"] = acompanante_year(
            actor=actor, lang="en" if (get_language() or "es").startswith("en") else "es")
    else:
        context["groups"] = selectors.group_list(actor=actor)
    context |= TO_DO.get(actor.role, lambda actor, today: {})(actor, timezone.localdate())
    return render(request, HOME_TEMPLATES[actor.role], context)


def _supervisor_to_do(actor: Actor, today: dt.date) -> dict:
    from acompana.delivery import selectors as delivery
    from acompana.planning import selectors as planning

    return {"kits": delivery.kit_sessions(actor=actor),
            "to_type": delivery.sheets_to_type(actor=actor, today=today),
            "week": planning.week_sessions(actor=actor, today=today),
            "absent": delivery.absent_in_a_row_at(actor=actor, today=today),
            "to_settle": delivery.sheets_to_settle(actor=actor)}


def _facilitator_to_do(actor: Actor, today: dt.date) -> dict:
    from acompana.planning import selectors as planning

    return {"next_sessions": planning.next_sessions(actor=actor, today=today)}


def _coordinator_to_do(actor: Actor, today: dt.date) -> dict:
    from acompana.delivery import selectors as delivery
    from acompana.planning import selectors as planning
    from acompana.wellbeing import selectors as wellbeing

    return {"overdue": wellbeing.overdue_referrals_summary(actor=actor),
            "to_type": delivery.sheets_to_type(actor=actor, today=today),
            "missed": planning.missed_without_new_date(actor=actor),
            "behind": planning.groups_behind(actor=actor, today=today),
            "to_decide": delivery.suggestions_to_decide(actor=actor, today=today),
            "example_numbers": selectors.example_numbers(actor.person.program)}


def _clinician_to_do(actor: Actor, today: dt.date) -> dict:
    """Her home is her work queue."""
    from acompana.wellbeing import selectors as wellbeing

    return {"queue": wellbeing.queue_rows(actor=actor),
            "backlog": wellbeing.paper_backlog(actor=actor)}


TO_DO = {Role.SUPERVISOR: _supervisor_to_do, Role.FACILITATOR: _facilitator_to_do,
         Role.COORDINATOR: _coordinator_to_do, Role.CLINICIAN: _clinician_to_do}


GROUPS_PER_PAGE = 50


def group_list(request):
    """The actor's groups, fifty a page (a national program has a thousand)."""
    page = Paginator(selectors.group_list(actor=request.actor).order_by("name", "pk"),
                     GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "programs/group_list.html", {"groups": page, "page": page})


def group_detail(request, code: str):
    return render(request, "programs/group_detail.html",
                  {"page": selectors.group_page(actor=request.actor, code=code)})


def person_detail(request, code: str):
    return render(request, "programs/person_detail.html",
                  {"person": selectors.person_page(actor=request.actor, code=code)})


def my_contact(request):
    """Her own phone, WhatsApp and e-mail; a refused form keeps what she typed."""
    person = request.actor.person
    typed = {name: getattr(person, name) for name in ("phone", "whatsapp", "email")}
    problems: dict[str, str] = {}
    if request.method == "POST":
        typed = {name: request.POST.get(name, "") for name in typed}
        try:
            services.do_update_contact_details(person=person, by=request.actor, **typed)
            return redirect(f"{request.path}?saved=1")
        except services.ContactDetailsError as error:
            problems = error.problems
    return render(request, "programs/my_contact.html",
                  {"typed": typed, "problems": problems, "saved": "saved" in request.GET},
                  status=400 if problems else 200)
