from django.contrib import admin

from .models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    """The retention schedule: administrators change a period; the kinds of record are fixed."""

    list_display = ["__str__", "months", "counted_from", "then"]
    fields = ["kind", "months", "counted_from", "then"]
    readonly_fields = ["kind", "counted_from", "then"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
