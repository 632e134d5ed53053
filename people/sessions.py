"""Sessions: a new key at sign-in (Django's login() does that), an idle timeout, an absolute limit, and
signing out ends the person's other sessions.

Each session keeps when it was signed in to and when it was last used (seconds since the epoch). Signing
out stamps the person with `sessions_ended_at`; any session of theirs signed in to before that stamp is
ended at its next request. A password change ends the other sessions through Django's session hash
(`update_session_auth_hash` keeps only the session that made the change).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# Writing the session on every request would cost a database write each time; a minute's precision on the
# idle timeout is enough.
LAST_SEEN_PRECISION = 60


def session_start(sender, request, user, **kwargs):
    """user_logged_in: remember when this session was signed in to."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def sessions_end_others(sender, request, user, **kwargs):
    """user_logged_out: end every other session the person has (this one is being flushed)."""
    if user is not None and user.pk:
        get_user_model().objects.filter(pk=user.pk).update(sessions_ended_at=timezone.now())


def session_ended_because(request, now):
    """Why the signed-in session of this request has ended, or None while it is still valid."""
    session = request.session
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT, signed_in_at)
    if signed_in_at is None:
        return "Your session has ended. Please log in again."
    if now - last_seen_at > settings.SESSION_IDLE_SECONDS:
        return "You were logged out because you had not used focuspolicy for a while. Please log in again."
    if now - signed_in_at > settings.SESSION_MAX_SECONDS:
        return "Your session has reached its time limit. Please log in again."
    ended_at = request.user.sessions_ended_at
    if ended_at is not None and signed_in_at <= ended_at.timestamp():
        return "You logged out elsewhere, which ended this session. Please log in again."
    return None


class SessionLimitsMiddleware:
    """Ends a signed-in session that has been idle too long, is too old, or was ended by signing out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            reason = session_ended_because(request, now)
            if reason:
                # Not logout(): that would end the person's other sessions too, which only signing out does.
                request.session.flush()
                request.user = AnonymousUser()
                if request.path.startswith("/api/"):
                    # The API answers an anonymous request itself (401 or 403), never with a redirect.
                    return self.get_response(request)
                messages.info(request, reason)
                return redirect_to_login(request.get_full_path())
            if now - request.session.get(LAST_SEEN_AT, 0) >= LAST_SEEN_PRECISION:
                request.session[LAST_SEEN_AT] = now
        return self.get_response(request)
