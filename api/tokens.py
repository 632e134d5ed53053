"""API tokens: each person makes, lists and revokes their own (nobody makes one for someone else), and
the authentication that reads them. A token ends when it expires, when it is revoked, when its person
changes their password and when they leave."""

import datetime

from django.db import transaction
from django.utils import timezone
from rest_framework import authentication, exceptions

from audit.models import AuditEntry
from audit.services import audit_record
from core.errors import DomainError
from people.services import person_leave

from .models import PREFIX_LENGTH, ApiToken, key_hash

MAX_DAYS = 365
# last_used_at is written at most this often per token, so that a busy client does not write every time.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, user, name, days=None, now=None):
    """Make a token for `user` (always the person asking). Returns (token, key): the key is not kept and
    must be shown to them now."""
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise DomainError("Give the token a name.")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise DomainError(f"A token lasts between 1 and {MAX_DAYS} days.")
    key = ApiToken.new_key()
    expires_at = now + datetime.timedelta(days=days) if days else ApiToken.default_expiry(now)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_prefix=key[:PREFIX_LENGTH],
        key_hash=key_hash(key),
        created_at=now,
        expires_at=expires_at,
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGE,
        what=f"created API token {token}",
        details={"api_token": token.pk, "expires_at": expires_at.isoformat()},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, user, pk, now=None):
    """Revoke one of the person's own tokens. Someone else's token is not found."""
    now = now or timezone.now()
    token = ApiToken.objects.filter(user=user, pk=pk, revoked_at__isnull=True).first()
    if token is None:
        raise DomainError("No such token, or it is already revoked.")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=now)
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGE,
        what=f"revoked API token {token}",
        details={"api_token": token.pk},
    )
    return token


@transaction.atomic
def api_tokens_revoke_all(*, person, by=None, reason, now=None):
    """Revoke every usable token of a person (their password changed, or they left). Returns how many."""
    now = now or timezone.now()
    count = ApiToken.objects.filter(user=person, revoked_at__isnull=True).update(revoked_at=now)
    if count:
        audit_record(
            actor=by,
            action=AuditEntry.Action.CHANGE,
            what=f"revoked {count} API token(s) of {person}: {reason}",
            details={"person": person.pk, "api_tokens_revoked": count},
        )
    return count


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`: found by its prefix, compared by hash in constant time; refused when
    expired or revoked, or when its person has left (whose leaving is then carried out)."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        now = timezone.now()
        candidates = ApiToken.objects.select_related("user").filter(key_prefix=key[:PREFIX_LENGTH])
        token = next((candidate for candidate in candidates if candidate.matches(key)), None)
        if token is None or not token.is_usable(now):
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        user = token.user
        if user.has_left(timezone.localdate(now)):
            person_leave(person=user, now=now)
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token


class RevokeApiTokensOnPasswordChange:
    """Listed in AUTH_PASSWORD_VALIDATORS for its password_changed(), which Django calls whenever a
    password is saved (the change page, the reset link, the admin, `changepassword`): the person's API
    tokens end with their old password. It refuses no password."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk:
            api_tokens_revoke_all(person=user, by=user, reason="password changed")

    def get_help_text(self):
        return "Changing your password ends your API tokens."
