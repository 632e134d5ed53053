"""Anonymous reporting: a concern raised without an account and followed with a receipt key, as the
whistleblowing platforms (GlobaLeaks, NAVEX EthicsPoint) allow, for people who fear reprisal.

Nothing identifies the device: no account, no session, no IP address or user agent in the database, the
audit log or our logs (the views are `audit.context.untraced`). The one trace of a client is the
wrong-key throttle's counter, named by a keyed hash of its address and kept in the cache for a minute.

The receipt key is RECEIPT_KEY_LENGTH characters drawn by `secrets` from a 32-letter alphabet: 120 bits,
which no one guesses. Only its HMAC-SHA256 under a server secret (ANONYMOUS_RECEIPT_SECRET, never in the
database) is kept. Not a slow salted hash: slowness protects passwords people choose, which can be
guessed; a random 120-bit key cannot, and without the secret a copy of the database cannot even test a
guess. The same key always gives the same HMAC, so its case is found by one indexed lookup; a salted hash
would have to be tried against every row.
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import salted_hmac
from guardian.shortcuts import assign_perm

from audit.context import client_address
from audit.services import step_record
from core.errors import DomainError

from . import access, services
from .models import AnonymousReceipt, Case, CaseEvent, Evidence

# Crockford's base 32: no I, L, O or U, so that a key copied by hand is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_KEY_LENGTH = 24
_MISREAD = str.maketrans({"I": "1", "L": "1", "O": "0"})
_THROTTLE_SECONDS = 60


def receipt_key_new():
    key = "".join(secrets.choice(ALPHABET) for _ in range(RECEIPT_KEY_LENGTH))
    return "-".join(key[i : i + 4] for i in range(0, RECEIPT_KEY_LENGTH, 4))


def _normalised(key):
    """The key as typed, without spaces, dashes or case, and with letters taken for digits put right."""
    return "".join(c for c in (key or "").upper().translate(_MISREAD) if c in ALPHABET)


def _secret():
    return settings.ANONYMOUS_RECEIPT_SECRET or settings.SECRET_KEY


def key_digest(key):
    return salted_hmac(
        "focuspolicy.anonymous-receipt",
        _normalised(key),
        secret=_secret(),
        algorithm="sha256",
    ).hexdigest()


@transaction.atomic
def case_raise_anonymously(*, policy_version, **concern):
    """Raise a concern with no reporter (cases.services.case_raise) and give it a receipt key.

    Returns the case and the key: the key is shown to the reporter once and kept nowhere."""
    case = services.case_raise(reporter=None, policy_version=policy_version, **concern)
    key = receipt_key_new()
    AnonymousReceipt.objects.create(case=case, key_digest=key_digest(key))
    return case, key


def case_for_receipt_key(key):
    """The anonymous case this key opens, or None: the same None for every key that opens nothing."""
    if len(_normalised(key)) != RECEIPT_KEY_LENGTH:
        return None
    return (
        Case.objects.filter(anonymous_receipt__key_digest=key_digest(key), reporter__isnull=True)
        .select_related("handler")
        .first()
    )


# --- The wrong-key throttle ------------------------------------------------------------------------------


def _throttle_key(request):
    """The client's counter in the cache: a keyed hash of its address, never the address itself."""
    address = client_address(request.META, settings.TRUSTED_PROXY_COUNT) or "unknown"
    digest = salted_hmac("focuspolicy.anonymous-throttle", address, secret=_secret()).hexdigest()
    return f"anonymous-key-tries:{digest}"


def key_tries_exhausted(request):
    return cache.get(_throttle_key(request), 0) >= settings.ANONYMOUS_KEY_TRIES_PER_MINUTE


def key_try_failed(request):
    """Count a wrong key against this client for a minute from its first wrong key."""
    name = _throttle_key(request)
    cache.add(name, 0, timeout=_THROTTLE_SECONDS)
    try:
        cache.incr(name)
    except ValueError:  # Expired between the two calls: start again.
        cache.set(name, 1, timeout=_THROTTLE_SECONDS)


# --- Putting a name to it --------------------------------------------------------------------------------


@transaction.atomic
def case_claim_anonymous(*, case, by):
    """The reporter, signed in and holding the key, puts their name to their anonymous concern: it becomes
    theirs to follow like any other, and the key opens nothing any more. Never the other way: no service
    takes a name off a case."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_anonymous:
        raise DomainError("This concern already has a name to it.")
    if not by.is_active or not by.has_perm("cases.add_case"):
        raise DomainError("Your account cannot raise concerns.")
    if by.pk == case.handler_id or access.case_relation(by, case) is not None:
        raise DomainError(
            "You have a part in handling this concern, so you cannot be its reporter. "
            "Tell the Head of Business and Governance."
        )
    case.reporter, case.reporter_team = by, by.team
    case.save(update_fields=["reporter", "reporter_team", "updated_at"])
    AnonymousReceipt.objects.filter(case=case).delete()
    # What the anonymous reporter wrote and added is theirs: their page shows it to them.
    Evidence.objects.filter(case=case, uploaded_by=None).update(uploaded_by=by)
    case.events.filter(
        actor=None, kind__in=[CaseEvent.Kind.RAISED, CaseEvent.Kind.REPORTER_MESSAGE, CaseEvent.Kind.EVIDENCE]
    ).update(actor=by)
    assign_perm("cases.follow_case", by, case)
    step_record(
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.NAMED,
            actor=by,
            text="The reporter put their name to the concern.",
            visible_to_reporter=True,
        ),
        actor=by,
        case=case,
        what=f"put their name to anonymous concern {case.reference}",
    )
    return case
