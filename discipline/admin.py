"""Disciplinary records in the Django admin.

The warning periods are the one thing changed here: they are the defaults HR's outcomes use. Records are
read-only (every change goes through discipline.services, which writes the timeline and the audit log)
and come through the same door as the pages: nobody sees a record about themselves. Their clauses and
events are shown only inside their record, never listed on their own, for the same reason.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import DisciplinaryRecord, RecordClause, RecordEvent, WarningPeriods
from .selectors import records_visible_to

MANAGE = "discipline.manage_disciplinary_records"


@admin.register(WarningPeriods)
class WarningPeriodsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "first_written_warning_months", "final_written_warning_months"]

    def _may_change(self, request):
        return request.user.has_perm(MANAGE) or request.user.has_perm("discipline.change_warningperiods")

    def has_module_permission(self, request):
        return self._may_change(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._may_change(request) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_change(request)

    def has_add_permission(self, request):
        # One row: WarningPeriods.current() makes it when it is first needed.
        return self._may_change(request) and not WarningPeriods.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(ReadOnlyAdminMixin):
    view_permission = "discipline.view_disciplinary_records"


class RecordClauseInline(ReadOnly, admin.TabularInline):
    model = RecordClause
    fields = ["number", "text"]
    extra = 0


class RecordEventInline(ReadOnly, admin.TabularInline):
    model = RecordEvent
    fields = ["at", "step", "actor", "text"]
    extra = 0


@admin.register(DisciplinaryRecord)
class DisciplinaryRecordAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["reference", "employee", "severity", "step", "outcome_in_force", "warning_expires_on"]
    list_filter = ["step", "severity", "outcome_in_force"]
    search_fields = ["reference"]
    inlines = [RecordClauseInline, RecordEventInline]

    def get_queryset(self, request):
        return records_visible_to(request.user).select_related("employee")
