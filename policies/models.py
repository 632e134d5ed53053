from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone

from core.limits import CLAUSE_TEXT, LONG_TEXT, POLICY_TEXT, length_checks


class Policy(models.Model):
    """A policy of the organisation, e.g. the Social Media Policy. Its text lives in its versions."""

    title = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_policies",
        help_text="Responsible for the policy and its review (the Head of Business and Governance, 3.1).",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        default=36, help_text="Clause 10.1: a rolling programme of review over three years."
    )
    case_prefix = models.CharField(
        max_length=10,
        blank=True,
        help_text="Starts the reference of cases under this policy; default: its initials.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "policies"
        permissions = [
            ("manage_policy", "Can manage any policy (approve versions, reviews, comments)"),
            ("view_team_acknowledgements", "Can see the acknowledgements of the staff they oversee"),
            ("view_all_acknowledgements", "Can see everyone's acknowledgements"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("policies:policy", args=[self.slug])

    def get_case_prefix(self):
        """e.g. SMP for the Social Media Policy."""
        return (
            self.case_prefix or "".join(word[0] for word in self.title.split() if word[0].isalnum()).upper()
        )

    def current_version(self):
        """The approved version staff must follow, or None before the first approval."""
        return self.versions.filter(status=PolicyVersion.Status.APPROVED).first()

    def latest_version(self):
        return self.versions.order_by("-number").first()

    def is_managed_by(self, user):
        """The owner, or an administrator, approves versions, moves reviews and answers comments."""
        return user.is_active and (user.pk == self.owner_id or user.has_perm("policies.manage_policy"))


class PolicyVersion(models.Model):
    """One text of a policy. Its sections and clauses never change once imported: new text, new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    source_text = models.TextField(max_length=POLICY_TEXT)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the parsed structure.")
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    effective_date = models.DateField(null=True, blank=True)
    next_review_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            *length_checks(source_text=POLICY_TEXT),
            models.UniqueConstraint(fields=["policy", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["policy"], condition=Q(status="approved"), name="one_approved_version_per_policy"
            ),
        ]

    def __str__(self):
        return f"{self.policy.title} v{self.number} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("policies:version", args=[self.policy.slug, self.number])

    @property
    def is_current(self):
        return self.status == self.Status.APPROVED

    def review_due_after(self, approved_on):
        return approved_on + relativedelta(months=self.policy.review_interval_months)

    def review_is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.is_current and self.next_review_date is not None and self.next_review_date < today

    def clauses(self):
        return (
            Clause.objects.filter(section__version=self)
            .select_related("section")
            .order_by("section__number", "position")
        )


def in_force_from_sql(version="") -> Coalesce:
    """The day a version took effect, in SQL: its effective date, or the day it was approved when it has
    none. `version` is the path to the version from the model queried, e.g. "section__version__" from
    Clause. Only versions ever approved (approved_at set) were ever in force."""
    return Coalesce(f"{version}effective_date", TruncDate(f"{version}approved_at"))


class ReviewDateChange(models.Model):
    """A review brought forward (clause 10.1: earlier should new legislation be made)."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="review_changes")
    previous_date = models.DateField(null=True)
    new_date = models.DateField()
    reason = models.TextField(max_length=LONG_TEXT)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [*length_checks(reason=LONG_TEXT)]
        ordering = ["-changed_at"]

    def __str__(self):
        return f"Review of {self.version} moved to {self.new_date:%d %b %Y}"


class Section(models.Model):
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    intro = models.TextField(
        max_length=LONG_TEXT, blank=True, help_text="Text under the heading before the first clause."
    )

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="unique_section_number"),
            *length_checks(intro=LONG_TEXT),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


def clause_number_order(number):
    """The sort key for clause numbers in the policy's reading order: 2.5 before 10.1, 5.2 before 5.10."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in number.split(".")]


class Clause(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveSmallIntegerField(help_text="The clause's place in its section: 2 in 5.2.")
    number = models.CharField(max_length=20, help_text="As written in the policy, e.g. 5.2.")
    text = models.TextField(max_length=LONG_TEXT)
    # Clause text and its items in one field for full-text search. Safe to store twice because a
    # version's clauses never change after import.
    search_document = models.TextField(max_length=CLAUSE_TEXT, editable=False)

    class Meta:
        ordering = ["section", "position"]
        constraints = [
            *length_checks(text=LONG_TEXT, search_document=CLAUSE_TEXT),
            models.UniqueConstraint(fields=["section", "position"], name="unique_clause_position"),
            models.UniqueConstraint(fields=["section", "number"], name="unique_clause_number"),
        ]

    def __str__(self):
        return f"{self.number} {self.text[:60]}"

    def get_absolute_url(self):
        version = self.section.version
        if version.is_current:
            return reverse("policies:clause", args=[version.policy.slug, self.number])
        return reverse("policies:version_clause", args=[version.policy.slug, version.number, self.number])


class ClauseItem(models.Model):
    """A bullet item of a clause, in order (e.g. the seven items of 5.2)."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=LONG_TEXT)

    class Meta:
        ordering = ["clause", "position"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "position"], name="unique_item_position"),
            *length_checks(text=LONG_TEXT),
        ]

    def __str__(self):
        return self.text[:60]


class MaterialChange(models.Model):
    """A clause of a draft that its author marked as changed materially from the version before it. Once
    the draft is approved, staff who acknowledged that version re-acknowledge only these clauses
    (ClauseReacknowledgement) instead of the whole policy. Marked only before approval."""

    clause = models.OneToOneField(Clause, on_delete=models.CASCADE, related_name="material_change")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Material change to {self.clause.number}"


class ClauseFlag(models.Model):
    """Clause 10.1: a clause the evidence of cases says to look at in the policy's next review: cited in
    more cases closed as a breach in 12 months than POLICY_REVIEW_SUBSTANTIATED_CITATIONS, or in a case
    closed because the policy was unclear. Keyed by the clause's number, which outlives its versions. Open
    until the review ends (the next version is approved: policies.services.version_approve)."""

    class Reason(models.TextChoices):
        SUBSTANTIATED = "substantiated", "Cited in many substantiated cases in 12 months"
        POLICY_UNCLEAR = "policy_unclear", "A case was closed because the policy was unclear"

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="clause_flags")
    clause_number = models.CharField(max_length=20)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    cases_counted = models.PositiveIntegerField(help_text="The cases behind the flag, in the last 12 months.")
    flagged_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["policy", "clause_number", "reason"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "clause_number", "reason"],
                condition=Q(cleared_at__isnull=True),
                name="one_open_flag_per_clause_and_reason",
            )
        ]

    def __str__(self):
        return f"{self.policy} clause {self.clause_number}: {self.get_reason_display()}"


class Acknowledgement(models.Model):
    """A member of staff confirms they have read a version of a policy: by reading it all, or, having
    acknowledged the version before, by reading its material changes (ClauseReacknowledgement, recorded
    with it). Either way this row is what every list and reminder of who has acknowledged counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="acknowledgements")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="one_acknowledgement_per_version")
        ]

    def __str__(self):
        return f"{self.user} acknowledged {self.version}"


class ClauseReacknowledgement(models.Model):
    """A member of staff confirms they have read a material change to a clause (MaterialChange): the
    clause-level record behind an Acknowledgement made by reading a version's changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clause_reacknowledgements"
    )
    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="reacknowledgements")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "clause"], name="one_reacknowledgement_per_clause")
        ]

    def __str__(self):
        return f"{self.user} re-acknowledged clause {self.clause.number}"


class Comment(models.Model):
    """Clause 10.2: staff comment on the policy, or on one clause, and suggest improvements."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="comments")
    clause = models.ForeignKey(
        Clause, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="policy_comments"
    )
    body = models.TextField(max_length=LONG_TEXT)
    created_at = models.DateTimeField(default=timezone.now)
    addressed_at = models.DateTimeField(null=True, blank=True)
    addressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [*length_checks(body=LONG_TEXT)]
        ordering = ["-created_at"]

    def __str__(self):
        return f"Comment by {self.author} on {self.clause.number if self.clause else self.policy}"

    def get_absolute_url(self):
        return reverse("policies:comment", args=[self.policy.slug, self.pk])

    @property
    def is_addressed(self):
        return self.addressed_at is not None

    def is_visible_to(self, user):
        """The commenter sees their own comments; the policy's manager sees all of them."""
        return user.pk == self.author_id or self.policy.is_managed_by(user)


class CommentReply(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=LONG_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [*length_checks(body=LONG_TEXT)]
        ordering = ["created_at"]
        verbose_name_plural = "comment replies"

    def __str__(self):
        return f"Reply by {self.author}"
