"""Cases in the Django admin are read-only: every change goes through the services, which write the
timeline and the audit log. Only people with the role-wide case permission see them at all."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from . import models


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    view_permission = "cases.manage_all_cases"


@admin.register(models.Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "stage", "platform", "subject_kind", "handler", "created_at"]
    list_filter = ["stage", "platform", "subject_kind"]
    search_fields = ["reference"]


for model in [
    models.CaseClause,
    models.CaseEvent,
    models.Evidence,
    models.LegalAdvice,
    models.RemovalRequest,
    models.PlatformNotice,
    models.PoliceReferral,
    models.DisciplinaryReferral,
    models.ReferenceCounter,
    models.BreachDecision,
    models.CaseUserObjectPermission,
    models.CaseGroupObjectPermission,
]:
    admin.site.register(model, ReadOnlyAdmin)
