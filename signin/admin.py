"""Administrators see sign-in lockouts in the admin and lift them; lifting one is audited."""

import axes.admin  # noqa: F401 - registers axes' admin first, so that we can replace it
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model

from audit.models import AuditEntry
from audit.services import audit_record

from .twofactor import two_factor_reset


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


@admin.action(
    description="Reset two-factor sign-in (they set it up again at their next sign-in)",
    permissions=["change"],
)
def reset_two_factor(modeladmin, request, queryset):
    """Recovery for people who lost their phone and backup codes: an administrator removes their devices."""
    for person in queryset:
        two_factor_reset(user=person, by=request.user, reason="Reset in the admin")
    modeladmin.message_user(request, f"Two-factor sign-in reset for {len(queryset)} person(s).")


# The people app cannot import this one (it sits below the audit log), so the action joins its User admin
# from here.
_user_admin = admin.site.get_model_admin(get_user_model())
_user_admin.actions = [*(_user_admin.actions or []), reset_two_factor]
