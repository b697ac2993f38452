"""The coordinators' back office for program records. Confidential wellbeing data is never here.

It is no back door: every list and choice is narrowed to the coordinator's program, every save
and delete asks the policy (`programs.admin_change`) and is audited by the programs app's
signals, and a person's role and login are read-only here (they change through the accounts
services, which hold the rules on who may grant what).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet

from acompana import policy
from acompana.programs.models import Community, Group, Membership, Person, Program, Supervision

# Model -> the lookup from it to its program.
PROGRAM_PATH = {Program: "pk", Community: "program", Person: "program", Group: "program",
                Supervision: "group__program", Membership: "group__program"}
# Foreign keys and many-to-many fields offered in forms -> the lookup to their program.
CHOICE_PATH = {"community": "program", "person": "program", "supervisor": "program",
               "group": "program", "facilitators": "program"}


def _actor(request) -> policy.Actor:
    return getattr(request, "actor", None) or policy.actor_of(request.user)


def _program_id(request) -> int | None:
    person = _actor(request).person
    return person.program_id if person else None


class ProgramScoped:
    """What every back-office page of program records shares: the program's records only,
    and the policy asked before any change."""

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).filter(
            **{PROGRAM_PATH[self.model]: _program_id(request)})

    def _may(self, request, obj=None) -> bool:
        return policy.may_take(_actor(request), "programs.admin_change", obj)

    def has_view_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_add_permission(self, request, *args):
        return self._may(request)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_module_permission(self, request):
        return self._may(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in CHOICE_PATH:
            kwargs["queryset"] = db_field.related_model.objects.filter(
                **{CHOICE_PATH[db_field.name]: _program_id(request)})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in CHOICE_PATH:
            kwargs["queryset"] = db_field.related_model.objects.filter(
                **{CHOICE_PATH[db_field.name]: _program_id(request)})
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ProgramScopedAdmin(ProgramScoped, admin.ModelAdmin):
    """A program record: created in the coordinator's program, saved only with the policy's
    leave."""

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), "program"]

    def save_model(self, request, obj, form, change):
        if not change and hasattr(obj, "program_id"):
            obj.program_id = _program_id(request)
        policy.authorize(_actor(request), "programs.admin_change", obj)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        policy.authorize(_actor(request), "programs.admin_change", obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class MembershipInline(ProgramScoped, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


class SupervisionInline(ProgramScoped, admin.TabularInline):
    model = Supervision
    extra = 0


@admin.register(Program)
class ProgramAdmin(ProgramScopedAdmin):
    list_display = ["name", "code", "country"]

    def has_add_permission(self, request, *args):
        return False  # programs come from a program file, loaded by the operator

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Community)
class CommunityAdmin(ProgramScopedAdmin):
    list_display = ["name", "municipality", "travel_minutes_from_hub"]
    search_fields = ["name", "municipality"]


@admin.register(Person)
class PersonAdmin(ProgramScopedAdmin):
    list_display = ["name", "code", "role", "community"]
    list_filter = ["role", "community"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        # A role and a login carry rights: they change through the accounts services.
        return ["role", "user"] if obj is not None else ["user"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":  # a new person gets only a role the coordinator may grant
            actor = _actor(request)
            kwargs["choices"] = [(value, label) for value, label in db_field.choices
                                 if policy.may_grant(actor, value)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or policy.may_grant(_actor(request), obj.role))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or policy.may_grant(_actor(request), obj.role))


@admin.register(Group)
class GroupAdmin(ProgramScopedAdmin):
    list_display = ["name", "code", "community", "meeting_weekday", "meeting_week_of_month"]
    inlines = [SupervisionInline, MembershipInline]
    filter_horizontal = ["facilitators"]
