"""The warning periods in the Django admin: the defaults HR's outcomes use.

Disciplinary records, their clauses and their events are not in the admin at all: they are read only on
HR's pages, through discipline.selectors.record_for_user, whose pages write the audit entry of each
reading.
"""

from django.contrib import admin

from .models import WarningPeriods

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
