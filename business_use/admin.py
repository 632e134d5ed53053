"""Business use requests in the Django admin are read-only: every change goes through the services, which
write the timeline and the audit log. Only the Head of Business and Governance sees them."""

from django.contrib import admin
from django.db.models import URLField

from people.roles import Role

from . import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_role(Role.GOVERNANCE)

    def has_module_permission(self, request):
        return self.has_view_permission(request)


class EventInline(admin.TabularInline):
    model = models.BusinessUseEvent
    extra = 0
    fields = ["at", "actor", "label", "from_state", "to_state", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.BusinessUseRequest)
class BusinessUseRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "state", "requester", "approver", "created_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["requester", "approver"]
    search_fields = ["requester__username", "requester__last_name", "site", "recommended_for"]
    inlines = [EventInline]
    formfield_overrides = {URLField: {"assume_scheme": "https"}}
