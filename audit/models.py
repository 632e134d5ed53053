from django.conf import settings
from django.db import models
from django.utils import timezone

from core.choices import ChoiceLabels


class AuditEntry(ChoiceLabels, models.Model):
    """Who read or changed which case, when and from where (clause 7.1, UK GDPR accountability).

    Written only through `audit.chain.append` (by `audit_record` and `audit_record_many`), which chains
    each entry to the one before it by hash; never edited or deleted through the app (nor, with the
    grants in the README, by the app's database role).
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CHANGE = "change", "Changed"
        DOWNLOAD = "download", "Downloaded evidence"
        EXPORT = "export", "Exported"
        # A step refused because the person had lost their right to the case or record meanwhile.
        REFUSED = "refused", "Refused"

    # Set before the insert (not auto_now_add, which sets it during the save), because the hash covers it.
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    case = models.ForeignKey("cases.Case", null=True, on_delete=models.PROTECT, related_name="audit_entries")
    what = models.CharField(max_length=300, help_text="What was read or changed, in words.")
    # Anything more to know, e.g. an export's filters and row count, or the disciplinary record read.
    details = models.JSONField(default=dict, blank=True)
    # The hash chain (audit.chain): the previous entry's hash, and this one's over that and its content.
    # Empty until chained; the database default lets bulk SQL (seed_scale) insert and chain afterwards.
    prev_hash = models.CharField(max_length=64, default="", db_default="", editable=False)
    hash = models.CharField(max_length=64, default="", db_default="", editable=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        permissions = [("export_auditentry", "Can export audit entries")]
        # The log is read newest first, filtered by case, person or action: each filter an index with the
        # time, so that a page is a range of one index however many millions of entries there are.
        indexes = [
            models.Index(fields=["case", "at"]),
            models.Index(fields=["actor", "at"], name="audit_entry_actor_at_idx"),
            models.Index(fields=["action", "at"], name="audit_entry_action_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display().lower()} {self.what}"

    def detail_lines(self):
        """The details as (label, text) lines a person reads, not as the stored keys and JSON."""
        return [(_label(key), _readable(key, value)) for key, value in (self.details or {}).items()]


_FORMATS = {"xlsx": "Excel", "csv": "CSV", "pdf": "PDF"}


def _label(key):
    key = str(key).replace("_", " ")
    return key[:1].upper() + key[1:]


def _readable(key, value):
    if key == "format":
        return _FORMATS.get(value, str(value).upper())
    if isinstance(value, dict):
        return "; ".join(f"{_label(name)}: {_readable(name, item)}" for name, item in value.items()) or "none"
    if isinstance(value, list | tuple):
        return ", ".join(_readable(key, item) for item in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == "":
        return "—"
    return str(value)


class ChainStart(models.Model):
    """Where the kept chain begins after its oldest entries were deleted under the retention schedule: the
    first entry kept links to the hash of the last one deleted, which is kept here, so that verify_audit
    checks the chain from there and still notices any other entry missing. The newest row counts."""

    after_id = models.BigIntegerField(help_text="The last entry deleted: the chain goes on after it.")
    prev_hash = models.CharField(max_length=64, help_text="That entry's hash.")
    deleted = models.PositiveIntegerField(help_text="How many entries this deletion removed.")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return f"audit chain continues after entry {self.after_id} ({self.at:%Y-%m-%d})"
