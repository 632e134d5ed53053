from django.contrib import admin

from .models import AuditEntry
from .views import audit_entries


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log can be read by those allowed, and changed by nobody."""

    list_display = ["at", "actor", "action", "case", "what", "ip_address"]
    list_filter = ["action"]
    search_fields = ["case__reference", "actor__username", "what"]

    def get_queryset(self, request):
        # The same entries as the audit log page: none about the reader's own case or record.
        return audit_entries(user=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
