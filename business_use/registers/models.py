"""The two registers of section 6 and the history of every change to their entries."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.limits import LONG_TEXT, length_checks
from core.paths import path_for_pk
from people.roles import Role


class _RegisterEntries(models.QuerySet):
    def in_use(self):
        return self.filter(**{f"{self.model.ended_field}__isnull": True})


class _Entry(models.Model):
    # Who keeps the register: only they add, change and retire its entries; everyone signed in reads it.
    keeper_role = None
    # When the entry went out of use (retired, withdrawn); empty while in use.
    ended_field = None

    class Meta:
        abstract = True

    @classmethod
    def is_keeper(cls, user):
        return user.is_authenticated and user.has_role(cls.keeper_role)

    @property
    def in_use(self):
        return getattr(self, self.ended_field) is None


class OfficialAccount(_Entry):
    """An official focus account (6.1), kept by the communications team, who alone post on it (6.3)."""

    keeper_role = Role.COMMS
    ended_field = "retired_at"

    # Business use requests name the account by its code (BusinessUseRequest.account): it never changes.
    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100, help_text="As staff know it, e.g. focus Facebook.")
    platform = models.CharField(max_length=50, help_text="e.g. Facebook, X (Twitter), blog.")
    handle = models.CharField(max_length=100, blank=True, help_text="e.g. @focuscharity.")
    link = models.URLField(max_length=500, blank=True)
    service = models.CharField("owning service", max_length=100, help_text="e.g. focus, Services4Me.")
    posters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="official_accounts_to_post_on",
        verbose_name="who may post on it",
        help_text="Members of the communications team (6.3).",
    )
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = _RegisterEntries.as_manager()

    class Meta:
        ordering = ["service", "name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_for_pk("business_use:account", self.pk)


class ApprovedSite(_Entry):
    """A professional site or tool approved for use at work, and its conditions (6.4, 6.6)."""

    keeper_role = Role.INFOSEC
    ended_field = "withdrawn_at"

    name = models.CharField(max_length=200)
    link = models.URLField(max_length=500, blank=True)
    purpose = models.TextField("what it is for", max_length=LONG_TEXT)
    conditions = models.TextField("conditions of use", max_length=LONG_TEXT)
    approved_on = models.DateField(default=timezone.localdate)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_on = models.DateField("review date", null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The answer to a 6.6 question ("which sites are acceptable?") the entry was made from, if any.
    from_request = models.OneToOneField(
        "business_use.BusinessUseRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_site",
    )

    objects = _RegisterEntries.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            *length_checks(purpose=LONG_TEXT, conditions=LONG_TEXT),
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gte=models.F("approved_on")),
                name="business_use_approved_site_review_after_approval",
                violation_error_message="The review date cannot be before the approval.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_for_pk("business_use:site", self.pk)

    def is_due_for_review(self, today=None):
        return self.review_on is not None and self.review_on <= (today or timezone.localdate())


class RegisterChange(models.Model):
    """One change to a register entry: who, when, and each field as it was and as it became."""

    account = models.ForeignKey(OfficialAccount, null=True, on_delete=models.CASCADE, related_name="changes")
    site = models.ForeignKey(ApprovedSite, null=True, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    label = models.CharField(max_length=50)
    # [{"field": label, "from": text, "to": text}, ...]
    changes = models.JSONField(default=list, blank=True)
    note = models.TextField(max_length=LONG_TEXT, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            *length_checks(note=LONG_TEXT),
            models.CheckConstraint(
                condition=Q(account__isnull=False, site__isnull=True)
                | Q(account__isnull=True, site__isnull=False),
                name="business_use_register_change_of_one_entry",
            ),
        ]

    def __str__(self):
        return f"{self.account or self.site} {self.label} {self.at:%Y-%m-%d %H:%M}"
