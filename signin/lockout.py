"""Sign-in lockout: after LOGIN_FAILURE_LIMIT failed attempts for a username, sign-in with it is refused
for LOGIN_COOLOFF_MINUTES (django-axes counts and refuses; this module words the refusal and audits it).

A known and an unknown username get the same page, status and wording, and neither checks a password
while locked, so the answer tells nobody whether the account exists.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render

from audit.models import AuditEntry
from audit.services import audit_record
from people.forms import LoginForm

LOCKED_MESSAGE = (
    "Too many failed attempts to log in with this username. Try again in {minutes} minutes, "
    "or ask an administrator to lift the lock."
)


class LockoutBackend(AxesStandaloneBackend):
    """Refuses sign-in for a locked-out username.

    authenticate() without a request comes from code (a shell, the test client's login()), never from a
    person at the sign-in page, so it is left to the other backends instead of raising an error.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, credentials, *args, **kwargs):
    """The login page again, with the lockout message instead of the form's error (AXES_LOCKOUT_CALLABLE)."""
    form = LoginForm(request, initial={"username": (credentials or {}).get("username", "")})
    message = LOCKED_MESSAGE.format(minutes=settings.LOGIN_COOLOFF_MINUTES)
    context = {"form": form, "locked_out": message, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


def lockout_record(sender, request, username, ip_address, **kwargs):
    """user_locked_out: every refusal for a locked username goes into the audit log."""
    audit_record(
        actor=None,
        action=AuditEntry.Action.CHANGE,
        what=f"Sign-in locked after repeated failures: {username}"[:300],
        details={"event": "sign-in lockout", "username": username, "ip_address": ip_address},
    )


def log_client(username, ip_address, user_agent, path_info, request):
    """How django-axes names a sign-in attempt in its log lines: by the page alone. Its own wording holds
    the username, address and browser, which are personal data and must stay out of the logs."""
    return f'path_info: "{path_info}"'
