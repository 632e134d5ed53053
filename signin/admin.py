"""Administrators see sign-in lockouts in the admin and lift them; lifting one is audited."""

import axes.admin  # noqa: F401 - registers axes' admin first, so that we can replace it
import django_otp.plugins.otp_static.admin  # noqa: F401 - registered first, so that we can take them out
import django_otp.plugins.otp_totp.admin  # noqa: F401
from axes.models import AccessAttempt
from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from audit.services import audit_record

from .oidc import provider_link_forget
from .twofactor import two_factor_reset


def _lift_record(request, attempt):
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.CHANGE,
        what=f"Sign-in lockout lifted: {attempt.username}"[:300],
        details={"event": "sign-in lockout lifted", "username": attempt.username},
    )


admin.site.unregister(AccessAttempt)

# A device's secret (and django-otp's QR code page) would let whoever reads it make the person's codes: no
# device is shown in the admin, to anyone. Recovery is the reset action below, which removes them all.
for device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device):
        admin.site.unregister(device)


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
    """An action of the User admin (focuspolicy/admin.py). Recovery for people who lost their phone and
    backup codes: an administrator removes their devices."""
    for person in queryset:
        two_factor_reset(user=person, by=request.user, reason="Reset in the admin")
    modeladmin.message_user(request, f"Two-factor sign-in reset for {len(queryset)} person(s).")


@admin.action(
    description="Unlink from the organisation account (found by e-mail address at their next sign-in)",
    permissions=["change"],
)
def forget_provider_link(modeladmin, request, queryset):
    """An action of the User admin (focuspolicy/admin.py), for the refusal "linked to another account":
    the person's account at the provider was remade, so its subject changed."""
    linked = queryset.exclude(oidc_subject=None)
    for person in linked:
        provider_link_forget(user=person, by=request.user)
    modeladmin.message_user(request, f"Unlinked {len(linked)} person(s) from the organisation account.")
