"""The audit trail in the back office: readable, never added to, changed or deleted."""

from django.contrib import admin

from acompana.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "subject", "target", "outcome"]
    list_filter = ["outcome", "action"]
    search_fields = ["actor", "subject", "target"]
    actions = None  # no "delete selected"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
