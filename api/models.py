import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

PREFIX_LENGTH = 8


def key_hash(key):
    """SHA-256 of a key, in hex. A fast hash is enough here: keys are 256 random bits, so nobody can guess
    one from its hash by trying keys (a slow hash such as PBKDF2 protects low-entropy passwords, and would
    cost every API request its time)."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A person's key for the API, made and revoked by that person only. Only a hash of the key is kept:
    the key itself is shown once, when it is made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the system that uses it.")
    # The key's first characters: shown in the list, and the index that finds the token for a request.
    key_prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_name"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="api_token_expires_after_creation"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def new_key(cls):
        return secrets.token_urlsafe(32)

    @classmethod
    def default_expiry(cls, now=None):
        return (now or timezone.now()) + datetime.timedelta(days=settings.API_TOKEN_DAYS)

    def matches(self, key):
        return secrets.compare_digest(self.key_hash, key_hash(key))

    def is_usable(self, now=None):
        return self.revoked_at is None and self.expires_at > (now or timezone.now())
