"""Services about people: a person leaving (their access ends once, whoever notices first)."""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import LoginSession, User

# What other apps do when a person leaves (revoke their API tokens, remove their per-case rights, record
# it in the audit log): they register here, because people imports none of them.
_LEAVING_HANDLERS = []


def when_person_leaves(handler):
    """Register handler(*, person, by) to run, in the leaving's transaction, when a person's access ends."""
    _LEAVING_HANDLERS.append(handler)
    return handler


# The key under which a session notes the key it was last remembered by: Django gives a session a new key
# at login and at a password change (update_session_auth_hash), and leaving must know the new one.
REMEMBERED_KEY = "people_remembered_session_key"


def login_session_remember(*, user, session):
    """Remember the session a person is signed in with, unless it is already remembered under its
    current key (then it costs nothing); forget their sessions that no longer exist."""
    key = session.session_key
    if not key or session.get(REMEMBERED_KEY) == key:
        return
    # Each of the person's own rows asks for its session by key: the cost follows their sessions, not
    # everyone's (NOT IN would read every live session of every person at each sign-in).
    live = Session.objects.filter(session_key=OuterRef("session_key"), expire_date__gt=timezone.now())
    LoginSession.objects.filter(user=user).exclude(Exists(live)).delete()
    LoginSession.objects.get_or_create(session_key=key, defaults={"user": user})
    session[REMEMBERED_KEY] = key


@transaction.atomic
def person_leave(*, person, by=None, now=None):
    """End the access of a person who has left: they are no longer active, every session they signed in
    with ends, and each registered handler runs (API tokens revoked, per-case rights removed, audited).

    Claimed with a conditional update, so that it is carried out once, however many requests or sweeps
    notice the leaving at the same time. Returns True if this call carried it out.
    """
    now = now or timezone.now()
    claimed = User.objects.filter(pk=person.pk, access_ended_at__isnull=True).update(
        is_active=False, access_ended_at=now
    )
    if not claimed:
        return False
    person.is_active = False
    person.access_ended_at = now
    sessions = LoginSession.objects.filter(user=person)
    # Through the session engine, one by one (a person has a few): the cached copy in Redis goes too,
    # rather than lingering there until it expires.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in sessions.values_list("session_key", flat=True):
        store().delete(key)
    sessions.delete()
    for handler in _LEAVING_HANDLERS:
        handler(person=person, by=by)
    return True


def leavers_due(*, today):
    """People who have left (unticked, or their leaving date has come) whose access has not yet ended."""
    return User.objects.filter(access_ended_at__isnull=True).filter(
        Q(is_active=False) | Q(left_on__lte=today)
    )


def leavers_sweep(*, now=None):
    """Carry out the leaving of everyone whose date has passed, even if they never come back. Returns how
    many this sweep carried out (another worker's claims are skipped)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return sum(person_leave(person=person, now=now) for person in leavers_due(today=today).iterator())
