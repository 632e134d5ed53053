"""Administrators see sign-in lockouts in the admin and lift them; lifting one is audited."""

import axes.admin  # noqa: F401 - registers axes' admin first, so that we can replace it
from axes.models import AccessAttempt
from django.contrib import admin

from audit.models import AuditEntry
from audit.services import audit_record


def _lift_record(request, attempt):
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.CHANGE,
        what=f"Sign-in lockout lifted: {attempt.username}"[:300],
        details={"event": "sign-in lockout lifted", "username": attempt.username},
    )


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAdmin(axes.admin.AccessAttemptAdmin):
    """Failed sign-in attempts by username; deleting a row lifts its lockout."""

    def delete_model(self, request, obj):
        _lift_record(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for attempt in queryset:
            _lift_record(request, attempt)
        super().delete_queryset(request, queryset)
