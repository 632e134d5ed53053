"""What is done about a case, each a record of its own: the governance head's actions (legal advice,
removal requests, notices to the platform, police and disciplinary referrals, clauses 2.4, 2.5 and 9.2)
and the personal data breach decision. Given from cases.models too (kept apart for its size)."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.limits import LONG_TEXT, length_checks
from reminders.due import WorkItem

from .models import Case, CaseClause, Platform


class CaseAction(models.Model):
    """What the Head of Business and Governance does about a case (clauses 2.4, 2.5, 9.2)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="%(class)ss")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["recorded_at", "pk"]


class LegalAdvice(CaseAction):
    advised_on = models.DateField("date of the advice")
    adviser = models.CharField(max_length=200, blank=True)
    summary = models.TextField(max_length=LONG_TEXT)

    class Meta(CaseAction.Meta):
        constraints = [*length_checks(summary=LONG_TEXT)]
        verbose_name_plural = "legal advice"

    def __str__(self):
        return f"Legal advice on {self.advised_on:%d %b %Y}"


class RemovalRequest(CaseAction):
    """Clause 2.5: a request to remove a posting, with a deadline."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting removal"
        REMOVED = "removed", "Confirmed removed"
        NOT_COMPLIED = "not_complied", "Not complied with"

    requested_from = models.CharField("to whom", max_length=200)
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="If the request is to staff: not complying may itself be a disciplinary matter.",
    )
    sent_on = models.DateField()
    deadline = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    timers = GenericRelation(
        "reminders.Timer", object_id_field="subject_id", content_type_field="subject_type"
    )

    class Meta(CaseAction.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("sent_on")), name="deadline_not_before_sent"
            )
        ]
        # The governance head's removal deadlines: the requests still pending, the earliest deadline first.
        indexes = [
            models.Index(fields=["deadline", "id"], condition=Q(status="pending"), name="removal_pending_idx")
        ]

    def __str__(self):
        return f"Removal request to {self.requested_from} by {self.deadline:%d %b %Y}"

    # Clause 2.5, in one place: the whole deadline day is allowed; from the next day a request still pending
    # is overdue, and a member of staff who did not comply may be referred to HR for that alone.

    def overdue_from(self):
        """The local midnight after the deadline day."""
        day_after = self.deadline + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))

    def is_overdue(self, today=None):
        return self.status == self.Status.PENDING and self.deadline < (today or timezone.localdate())

    def is_referable(self):
        """Not complied with by a member of staff, who may be referred to HR for it (2.5)."""
        return self.status == self.Status.NOT_COMPLIED and self.staff_member_id is not None


class PlatformNotice(CaseAction):
    platform = models.CharField(max_length=20, choices=Platform.choices)
    reference = models.CharField("the platform's reference", max_length=200, blank=True)
    sent_on = models.DateField()
    summary = models.TextField(max_length=LONG_TEXT, blank=True)

    class Meta(CaseAction.Meta):
        constraints = [*length_checks(summary=LONG_TEXT)]

    def __str__(self):
        return f"Notice to {self.get_platform_display()}"


class PoliceReferral(CaseAction):
    reference = models.CharField("police reference", max_length=200)
    force = models.CharField("police force", max_length=200, blank=True)
    referred_on = models.DateField()
    summary = models.TextField(max_length=LONG_TEXT, blank=True)

    class Meta(CaseAction.Meta):
        constraints = [*length_checks(summary=LONG_TEXT)]

    def __str__(self):
        return f"Police referral {self.reference}"


class DisciplinaryReferral(CaseAction):
    """Clause 2.4 and 5.2: a referral to HR, who may open a disciplinary process."""

    class Severity(models.TextChoices):
        MISCONDUCT = "misconduct", "Misconduct"
        GROSS_MISCONDUCT = "gross_misconduct", "Gross misconduct"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    allegation = models.TextField(max_length=LONG_TEXT)
    clauses_breached = models.ManyToManyField(CaseClause, related_name="+")
    severity = models.CharField(max_length=20, choices=Severity.choices)
    removal_request = models.ForeignKey(
        RemovalRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Clause 2.5: failing to comply with this removal request.",
    )

    class Meta(CaseAction.Meta):
        constraints = [*length_checks(allegation=LONG_TEXT)]
        permissions = [("view_referrals_to_hr", "Can see disciplinary referrals made to HR")]
        # HR's list, newest first, a page at a time: without it each page joins every case.
        indexes = [models.Index(fields=["recorded_at", "id"], name="referral_recorded_idx")]

    def __str__(self):
        return f"Disciplinary referral of {self.person} ({self.get_severity_display().lower()})"

    def next_work(self):
        """What waits next (reminders.due): a disciplinary record to open, then what waits on the record."""
        record = getattr(self, "disciplinary_record", None)  # None when no record was opened from it.
        if record is not None:
            return record.next_work()
        return WorkItem(self.case.reference, "", "Open a disciplinary record")


class BreachDecision(models.Model):
    """UK GDPR article 33: whether a possible personal data breach was reported to the Information
    Commissioner's Office, and why. Recorded once, by the Head of Information & Security or the Head of
    Business and Governance."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="breach_decision")
    reported_to_ico = models.BooleanField("reported to the ICO")
    reasons = models.TextField(max_length=LONG_TEXT)
    ico_reference = models.CharField("ICO reference", max_length=100, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            *length_checks(reasons=LONG_TEXT),
            models.CheckConstraint(condition=Q(reasons__gt=""), name="breach_decision_gives_reasons"),
            models.CheckConstraint(
                condition=Q(reported_to_ico=False) | Q(ico_reference__gt=""),
                name="breach_report_has_ico_reference",
            ),
        ]

    def __str__(self):
        return f"{self.case}: {'reported' if self.reported_to_ico else 'not reported'} to the ICO"
