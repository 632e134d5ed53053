"""What a reporter has started but not yet raised: files kept across a form sent back with errors, and
drafts of a concern (clause 9: raising should be easy, so nothing typed or chosen is lost).

Kept files are sealed at rest with the evidence key (cases/sealed.py), like evidence, and belong to the
person who chose them: nobody else can attach, see or remove them. A kept file nobody claims is deleted
after KEPT_FILE_HOURS; one saved with a draft lives as long as the draft (DRAFT_DAYS after it was last
saved). cases.draft_services holds the rules; the beat task cases.tasks.drafts_expire deletes what is due.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from .sealed import evidence_storage

KEPT_FILE_HOURS = 24
DRAFT_DAYS = 7


class ConcernDraft(models.Model):
    """A half-written concern, as the reporter typed it (the form's own values, not yet checked)."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict, help_text="The form's fields as typed: {name: [values]}.")
    saved_at = models.DateTimeField(default=timezone.now, db_default=Now(), db_index=True)

    class Meta:
        ordering = ["-saved_at", "-pk"]

    def __str__(self):
        return f"Draft concern of {self.reporter}, saved {self.saved_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return f"{reverse('cases:raise')}?draft={self.pk}"

    def expires_at(self):
        return self.saved_at + datetime.timedelta(days=DRAFT_DAYS)

    def summary(self):
        """The start of what was seen, for the list of drafts; the platform when nothing is written yet."""
        text = " ".join((self.data.get("description") or [""])[0].split())
        if text:
            return text if len(text) <= 80 else text[:79] + "…"
        return "Nothing written yet"


def kept_path(instance, filename):
    # A generated name, as evidence_path: nothing the person typed ends up in a path.
    return f"kept/{instance.pk.hex}{instance.extension}"


class KeptFileQuerySet(models.QuerySet):
    def claimable(self, *, owner, now=None):
        """The files `owner` may still attach: their own, unexpired. Nobody else's, ever."""
        now = now or timezone.now()
        fresh = Q(draft__isnull=True, kept_at__gt=now - datetime.timedelta(hours=KEPT_FILE_HOURS))
        drafted = Q(draft__saved_at__gt=now - datetime.timedelta(days=DRAFT_DAYS))
        return self.filter(fresh | drafted, owner=owner)

    def expired(self, *, now):
        return self.filter(draft__isnull=True, kept_at__lte=now - datetime.timedelta(hours=KEPT_FILE_HOURS))


class KeptFile(models.Model):
    """An evidence file chosen on a form that was not yet submitted whole, kept for its owner.

    Its id is random (a UUID): the form carries it, and only the owner's own files are ever looked up."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    draft = models.ForeignKey(
        ConcernDraft, null=True, blank=True, on_delete=models.CASCADE, related_name="kept_files"
    )
    # Sealed at rest with the evidence key, like Evidence.file.
    file = models.FileField(upload_to=kept_path, max_length=200, storage=evidence_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, help_text="Found from the file's content, not its name.")
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    kept_at = models.DateTimeField(default=timezone.now, db_default=Now())

    objects = KeptFileQuerySet.as_manager()

    class Meta:
        ordering = ["kept_at", "pk"]
        indexes = [
            # The expiry sweep reads the loose files (not saved with a draft) by age.
            models.Index(fields=["kept_at"], condition=Q(draft__isnull=True), name="kept_file_loose_idx"),
        ]

    def __str__(self):
        return self.original_name
