"""Two-factor sign-in (django-otp): a time-based code from an authenticator app (TOTP), with ten
single-use backup codes.

Who is asked for a second factor: with REQUIRE_2FA on, everyone holding a role above Staff (any role but
Staff, or a superuser); and anyone, Staff included, who has enrolled a device. Until such a person has
given their code in this session, they reach only the two-factor pages and sign-out, and the API refuses
their session.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import JsonResponse
from django.urls import reverse
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from audit.services import audit_record
from people.roles import Role

BACKUP_CODES = 10
# Whether the person had a second factor when this session signed in (kept in the session so that each
# request costs no query for it; enrolling sets it, and a reset is caught by the pages themselves).
ENROLLED = "two_factor_enrolled"
API_REFUSAL = (
    "This session has not finished two-factor sign-in. Sign in in the browser and give the code from "
    "your authenticator app, then try again."
)


def holds_role_above_staff(user):
    return user.is_superuser or bool(user.role_names() - {Role.STAFF.value})


def needs_second_factor(user, session=None):
    """Whether this signed-in person must give a second factor before using focuspolicy."""
    if settings.REQUIRE_2FA and holds_role_above_staff(user):
        return True
    if session is not None:
        return session.get(ENROLLED, False)
    return user_has_device(user)


def session_note_enrolment(sender, request, user, **kwargs):
    """user_logged_in: note in the session whether the person has a second factor."""
    request.session[ENROLLED] = user_has_device(user)


def totp_device_for_enrolment(user):
    """The person's authenticator device that is waiting for its first code, made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def two_factor_enrol(*, user, device):
    """Confirm the authenticator device that gave a right code and make new backup codes, returned once.
    Any earlier devices of the person are replaced."""
    for old in devices_for_user(user, confirmed=None):
        if old != device:
            old.delete()
    device.confirmed = True
    device.save()
    backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGE,
        what=f"Two-factor sign-in set up by {user.username}",
        details={"event": "two-factor enrolled", "username": user.username},
    )
    return codes


@transaction.atomic
def two_factor_reset(*, user, by, reason=""):
    """Recovery: remove the person's authenticator and backup codes so that they enrol again at their next
    sign-in. Audited; `by` is the administrator (None from the command line)."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE,
        what=f"Two-factor sign-in reset for {user.username}",
        details={
            "event": "two-factor reset",
            "username": user.username,
            "devices_removed": removed,
            "reason": reason,
        },
    )
    return removed


class SecondFactorMiddleware:
    """Keeps a person who needs a second factor, and has not given it in this session, to the two-factor
    pages and sign-out (after django_otp's OTPMiddleware, which sets request.user.is_verified())."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self._open(request.path):
            if needs_second_factor(user, request.session):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": API_REFUSAL}, status=403)
                page = "signin:verify" if user_has_device(user) else "signin:enrol"
                return redirect_to_login(request.get_full_path(), reverse(page))
        return self.get_response(request)

    @staticmethod
    def _open(path):
        return path.startswith(
            (reverse("signin:two_factor"), reverse("logout"), "/" + settings.STATIC_URL.lstrip("/"))
        )
