"""Business use requests in the Django admin are read-only: every change goes through the services, which
write the timeline and the audit log. Only the Head of Business and Governance sees them."""

from django.contrib import admin
from django.db.models import URLField

from core.admin import ReadOnlyAdminMixin
from people.roles import Role

from . import models


class ReadOnly(ReadOnlyAdminMixin):
    def has_view_permission(self, request, obj=None):
        return request.user.has_role(Role.GOVERNANCE)


class EventInline(ReadOnly, admin.TabularInline):
    model = models.BusinessUseEvent
    extra = 0
    fields = ["at", "actor", "label", "from_state", "to_state", "text"]
    readonly_fields = fields


@admin.register(models.BusinessUseRequest)
class BusinessUseRequestAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["reference", "kind", "state", "requester", "approver", "created_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["requester", "approver"]
    search_fields = ["requester__username", "requester__last_name", "site", "recommended_for"]
    inlines = [EventInline]
    formfield_overrides = {URLField: {"assume_scheme": "https"}}
