"""The coordinators' back office for program records. Confidential wellbeing data is never here."""

from django.contrib import admin

from acompana.programs.models import Community, Group, Membership, Person, Program, Supervision


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


class SupervisionInline(admin.TabularInline):
    model = Supervision
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "country"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "travel_minutes_from_hub"]
    search_fields = ["name", "municipality"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "role", "community"]
    list_filter = ["role", "community"]
    search_fields = ["name", "code"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "community", "meeting_weekday", "meeting_week_of_month"]
    inlines = [SupervisionInline, MembershipInline]
    filter_horizontal = ["facilitators"]
