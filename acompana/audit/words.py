"""The audit trail in people's words: actions, pages, people and records named as people do.

The entries keep codes (actions, view names, field names, person codes, ids): the exports and
the hash chain need them as they were written. The pages show words instead: each code is
looked up once per page (one query per kind of record), and a code with no words yet is shown
as code (in a <code> element), never passed off as a word.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acompana.audit.recording import AUDITED_APPS

ACTIONS = {
    "record.create": gettext_lazy("Record created"),
    "record.update": gettext_lazy("Record changed"),
    "record.delete": gettext_lazy("Record deleted"),
    "login": gettext_lazy("Logged in"),
    "logout": gettext_lazy("Logged out"),
    "login.failed": gettext_lazy("Login failed"),
    "login.locked-out": gettext_lazy("Login locked after too many attempts"),
    "access.refused": gettext_lazy("Access refused"),
    "write.refused": gettext_lazy("Change refused"),
    "export": gettext_lazy("Records exported"),
    "account.create": gettext_lazy("Login given"),
    "account.deactivate": gettext_lazy("Login closed"),
    "account.role": gettext_lazy("Role changed"),
    "account.password-change": gettext_lazy("Password changed"),
    "account.password-reset": gettext_lazy("Password chosen with a one-time link"),
    "account.reset-issued": gettext_lazy("One-time link to choose a password given"),
    "referral.acknowledged": gettext_lazy("Referral acknowledged"),
    "referral.note": gettext_lazy("Follow-up note on a referral"),
    "referral.closed": gettext_lazy("Referral closed"),
    "referral.escalated": gettext_lazy("Referral passed to the backup contact"),
    "alert.sent": gettext_lazy("Alert sent"),
    "alert.failed": gettext_lazy("Alert could not be sent"),
    "alert.gave-up": gettext_lazy("Alert given up after every try"),
    "calendar-feed.renewed": gettext_lazy("Calendar address renewed"),
}
# The pages whose opening is recorded (policy.SENSITIVE_VIEWS), and so named in the trail.
PAGES = {
    "wellbeing:my_results": gettext_lazy("Her own results"),
    "wellbeing:done": gettext_lazy("Questionnaire finished"),
    "wellbeing:person_results": gettext_lazy("A person's results"),
    "wellbeing:paper_entry": gettext_lazy("Questionnaire typed from paper"),
    "wellbeing:record_consent": gettext_lazy("Consent recorded"),
    "wellbeing:referrals": gettext_lazy("Referral queue"),
    "wellbeing:referral": gettext_lazy("A referral"),
    "wellbeing:acknowledge": gettext_lazy("Referral acknowledged"),
    "forms:review": gettext_lazy("Checking a scanned sheet"),
}
_PERSON_AND_ROLE = re.compile(r"^(?P<code>\S+) \((?P<role>[a-z]+)\)$")
# A change made outside a request names the command run (audit.acting.acting_as).
_COMMAND = re.compile(r"^acompana (?P<command>[a-z][a-z-]*)$")
_RECORD = re.compile(r"^(?P<model>[a-z_]+\.[a-z_]+)#(?P<pk>\d+)$")
# Entries whose target is the user name typed or logged in with.
_LOGIN_ACTIONS = {"login", "logout", "login.failed", "login.locked-out"}
# What an account's entries record that is no field of the person's record.
ACCOUNT_FIELDS = {"username": gettext_lazy("user name"),
                  "active": gettext_lazy("login open")}
# What a session log's entry records besides its own fields: the planned session an import
# marked held (as model, field), and its detail rows by kind, {row: [before, after]} each.
PLANNED_SESSION_FIELDS = {"planned_session_status": "status",
                          "planned_session_status_reason": "status_reason"}
LOG_DETAILS = {"attendance": ("delivery.attendance", "status"),
               "fidelity": ("delivery.fidelityitem", "status"),
               "feedback": ("delivery.feedbackcount", "count")}


@dataclass(frozen=True)
class Words:
    """A text to show, and whether it is a code shown as code (no words for it yet)."""

    text: str
    code: bool = False


@dataclass(frozen=True)
class Change:
    field: Words
    before: Words
    after: Words


@dataclass(frozen=True)
class Row:
    entry: object
    who: Words
    action: Words
    record: Words
    changes: list[Change]


def action_words(action: str) -> Words:
    """An action, or the page that was opened, in words."""
    if action in ACTIONS:
        return Words(str(ACTIONS[action]))
    if action in PAGES:
        return Words(_("Opened: %(page)s") % {"page": PAGES[action]})
    return Words(action, code=True)


class Lookups:
    """Names of the people and records a page of entries mentions, read in a few queries."""

    def __init__(self, entries: Iterable) -> None:
        from acompana.programs.models import Person

        codes, wanted, usernames, user_ids = set(), defaultdict(set), set(), set()
        for entry in entries:
            match = _PERSON_AND_ROLE.match(entry.actor or "")
            codes.update({match["code"]} if match else set())
            if entry.actor and not match and not _COMMAND.match(entry.actor):
                usernames.add(entry.actor)  # logged in, before the request knew the person
            if entry.action in _LOGIN_ACTIONS and entry.target:
                usernames.add(entry.target)
            if entry.subject and ":" not in entry.subject and "." not in entry.subject:
                codes.add(entry.subject)
            record = _RECORD.match(entry.target or "")
            if record and _readable(record["model"]):
                wanted[record["model"]].add(int(record["pk"]))
            if record and record["model"] == "delivery.sessionlog" and entry.changes:
                codes.update(entry.changes.get("attendance") or {})
            for _model, field in _fields(entry):
                if not isinstance(field, models.ForeignKey):
                    continue
                values = entry.changes.get(field.attname, entry.changes.get(field.name, []))
                ids = {value for value in values if isinstance(value, int)}
                if _is_user(field):
                    user_ids |= ids
                elif _readable(field.related_model._meta.label_lower):
                    wanted[field.related_model._meta.label_lower].update(ids)
        self.people = dict(Person.objects.filter(code__in=codes).values_list("code", "name"))
        # A login is named by the person it belongs to, and a person's login by its user name.
        self.by_username = {username: (name, role) for username, name, role in
                            Person.objects.filter(user__username__in=usernames).values_list(
                                "user__username", "name", "role")}
        self.usernames = dict(get_user_model().objects.filter(pk__in=user_ids).values_list(
            "pk", "username"))
        self.records = {label: _named(apps.get_model(label)).in_bulk(pks)
                        for label, pks in wanted.items()}

    def who(self, actor: str) -> Words:
        match = _PERSON_AND_ROLE.match(actor or "")
        command = _COMMAND.match(actor or "")
        if command:
            return Words(_("The server's administration (command %(command)s)")
                         % {"command": command["command"]})
        from acompana.programs.models import Role

        if not match:
            if actor in self.by_username:
                name, role = self.by_username[actor]
                return Words(f"{name} ({dict(Role.choices).get(role, role)})")
            return Words(actor or "—", code=bool(actor))
        name = self.people.get(match["code"], match["code"])
        role = dict(Role.choices).get(match["role"], match["role"])
        return Words(f"{name} ({role})")

    def record(self, entry) -> Words:
        if entry.action == "access.refused":
            page = PAGES.get(entry.subject)
            return Words(f"{entry.target} ({page})" if page else entry.target)
        if entry.action in _LOGIN_ACTIONS and entry.target in self.by_username:
            return Words(_("login of %(name)s") % {"name": self.by_username[entry.target][0]})
        match = _RECORD.match(entry.target or "")
        if match:
            model = apps.get_model(match["model"])
            found = self.records.get(match["model"], {}).get(int(match["pk"]))
            name = str(found) if found is not None else _("no. %(pk)s") % {"pk": match["pk"]}
            return Words(f"{model._meta.verbose_name}: {name}")
        if entry.subject in self.people:
            return Words(self.people[entry.subject])
        text = " ".join(part for part in (entry.target, entry.subject) if part)
        return Words(text, code=bool(text))

    def value(self, field: models.Field | None, value) -> Words:
        if value is None or value == "":
            return Words("∅")
        if field is None:
            return Words(str(value), code=True)
        if isinstance(field, models.ForeignKey) and _is_user(field) and value in self.usernames:
            return Words(_("login %(username)s") % {"username": self.usernames[value]})
        if isinstance(field, models.ForeignKey):
            found = self.records.get(field.related_model._meta.label_lower, {}).get(value)
            return Words(str(found)) if found is not None else Words(str(value), code=True)
        choices = field.flatchoices or _status_choices(field)
        if choices:
            label = dict(choices).get(value)
            return Words(str(label)) if label is not None else Words(str(value), code=True)
        if isinstance(value, bool):
            return Words(_("yes") if value else _("no"))
        if isinstance(value, dict | list) or getattr(field, "primary_key", False):
            return Words(str(value), code=True)
        if isinstance(field, models.CharField) and field.name in {"key", "code", "session_code",
                                                                   "username"}:
            return Words(str(value), code=True)  # an identifier, not a word
        return Words(_when(field, value) or str(value))


def _when(field: models.Field, value) -> str | None:
    """A date or a time the entry keeps as JSON text (ISO), as people read it: "12 de julio de
    2023", a time in the server's zone."""
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is None:
            return None
        moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        return formats.date_format(moment, "DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        day = parse_date(str(value))
        return formats.date_format(day) if day else None
    return None


def _status_choices(field: models.Field) -> list:
    """The statuses a history row stores as bare codes (its fields have no choices)."""
    if field.name not in {"old_status", "new_status"}:
        return []
    label = field.model._meta.label_lower
    if label == "planning.planchange":
        from acompana.planning.models import Status

        return Status.choices
    if label == "delivery.suggestionchange":
        from acompana.delivery.models import Suggestion

        return Suggestion.Status.choices
    return []


def _is_user(field: models.Field) -> bool:
    return field.related_model is get_user_model()


def _field_words(field: models.Field) -> Words:
    """A field's name in words: its verbose name, a foreign key's model's when it has none of
    its own; a field never named for people is shown as code."""
    unnamed = str(field.verbose_name) == field.name.replace("_", " ")
    if unnamed and isinstance(field, models.ForeignKey):
        return Words(str(field.related_model._meta.verbose_name))
    return Words(field.name, code=True) if unnamed else Words(str(field.verbose_name))


def _named(model: type[models.Model]) -> models.QuerySet:
    """The model's rows with what their names read (groups, people) joined in one query."""
    related = [f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    return model._base_manager.select_related(*related)


def _readable(label: str) -> bool:
    """Records named in the trail by their name: the program's, never the confidential ones."""
    return label.split(".")[0] in AUDITED_APPS


def _fields(entry) -> list[tuple[type[models.Model], models.Field]]:
    match = _RECORD.match(entry.target or "")
    if not match or not entry.changes:
        return []
    try:
        model = apps.get_model(match["model"])
    except LookupError:
        return []
    found = []
    for name in entry.changes:
        field = _field(model, name)
        if field is not None:
            found.append((model, field))
    return found


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.concrete:
        return field
    # A foreign key stored by its column ("group_id"); a reverse relation is no field of the row.
    return next((f for f in model._meta.concrete_fields if f.attname == name), None)


def _detail_changes(lookups: Lookups, kind: str, changed: dict) -> list[Change]:
    """A session log's changed detail rows of one kind, a change each: whose attendance, which
    activity, which face of which question, with the statuses in words."""
    model, name = LOG_DETAILS[kind]
    field = apps.get_model(model)._meta.get_field(name)
    found = []
    for row, values in changed.items():
        before, after = ([*values, None, None] if isinstance(values, list) else
                         [None, values])[:2]
        before, after = (value.get(name) if isinstance(value, dict) else value
                         for value in (before, after))
        if kind == "attendance":
            label = _("Attendance of %(person)s") % {
                "person": lookups.people.get(row, row)}
        elif kind == "fidelity":
            label = _("Activity %(number)s") % {"number": row}
        else:
            question, _dash, face = row.rpartition("-")
            label = _("Faces, question %(question)s: face %(face)s") % {
                "question": question, "face": face}
        found.append(Change(Words(label), lookups.value(field, before),
                            lookups.value(field, after)))
    return found


def rows(entries: Iterable) -> list[Row]:
    """A page of audit entries in words."""
    from acompana.delivery.models import SessionLog
    from acompana.planning.models import PlannedSession

    entries = list(entries)
    lookups = Lookups(entries)
    shown = []
    for entry in entries:
        match = _RECORD.match(entry.target or "")
        try:
            model = apps.get_model(match["model"]) if match else None
        except LookupError:
            model = None
        changes = []
        for name, values in (entry.changes or {}).items():
            if model is SessionLog and name in LOG_DETAILS and isinstance(values, dict):
                changes.extend(_detail_changes(lookups, name, values))
                continue
            if model is SessionLog and name in PLANNED_SESSION_FIELDS:
                field = PlannedSession._meta.get_field(PLANNED_SESSION_FIELDS[name])
                changes.append(Change(
                    Words(_("planned session: %(field)s") % {"field": field.verbose_name}),
                    *(lookups.value(field, value) for value in [*values, None, None][:2])))
                continue
            field = _field(model, name) if model is not None else None
            before, after = (values + [None, None])[:2] if isinstance(values, list) \
                else (None, values)
            if field is not None:
                label = _field_words(field)
            elif name in ACCOUNT_FIELDS:
                label = Words(str(ACCOUNT_FIELDS[name]))
            else:
                label = Words(name, code=True)
            changes.append(Change(label, lookups.value(field, before),
                                  lookups.value(field, after)))
        shown.append(Row(entry=entry, who=lookups.who(entry.actor),
                         action=action_words(entry.action), record=lookups.record(entry),
                         changes=changes))
    return shown
