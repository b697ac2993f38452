"""The main menu: a few sections of links, each link shown only to the roles the policy lets
open it. A section with one link left for the role is that link; with more, a disclosure
(details and summary) that opens without JavaScript, so fifteen links fit a 360 px phone."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from acompana import policy


@dataclass(frozen=True)
class Link:
    view_name: str
    label: Promise


@dataclass(frozen=True)
class Section:
    label: Promise | None  # None: its links stand alone in the menu
    links: tuple[Link, ...]


MENU = (
    Section(None, (Link("home", _("Home")),)),
    Section(pgettext_lazy("menu", "Plan"), (
        Link("planning:calendar", _("Work plan")),
        Link("programs:group_list", _("Groups")),
        Link("curriculum:index", _("Curriculum")),
        Link("reminders:groups", _("Reminders")))),
    Section(pgettext_lazy("menu", "Records"), (
        Link("forms:index", _("Paper forms")),
        Link("delivery:double_entry", _("Double entry")),
        Link("delivery:import", _("Import attendance")),
        Link("delivery:suggestions", _("Suggestions")))),
    Section(pgettext_lazy("menu", "Wellbeing"), (
        Link("wellbeing:start", _("How are you?")),
        Link("wellbeing:referrals", _("Referrals")),
        Link("wellbeing:results", _("Wellbeing results")))),
    Section(pgettext_lazy("menu", "Program"), (
        Link("reports:dashboard", _("Dashboard")),
        Link("accounts:accounts", _("Accounts")),
        Link("audit:trail", _("Audit trail")))),
    Section(pgettext_lazy("menu", "Me"), (
        Link("reminders:my_calendar", _("My calendar")),
        Link("programs:my_contact", _("My contact details")),
        Link("accounts:password", _("My password")))),
)


@dataclass(frozen=True)
class ShownSection:
    label: Promise | None
    links: list[tuple[str, Promise]]  # (address, label)

    @property
    def folded(self) -> bool:
        return self.label is not None and len(self.links) > 1


def menu_for(actor: policy.Actor) -> list[ShownSection]:
    """The sections of the menu with the links this actor may open; empty sections left out."""
    shown = []
    for section in MENU:
        links = [(reverse(link.view_name), link.label) for link in section.links
                 if policy.may_open(actor, link.view_name)]
        if links:
            shown.append(ShownSection(section.label, links))
    return shown
