"""Data protection (UK GDPR): how long each kind of record is kept (article 5(1)(e)), legal holds that stop
the clock, subject access requests (article 15) and erasure requests (article 17)."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.limits import LONG_TEXT, length_checks


class RecordKind(models.TextChoices):
    CONCERN_CLOSED_AT_TRIAGE = "concern_closed_at_triage", "Concerns closed at triage with no further action"
    CLOSED_CASE = "closed_case", "Other closed cases"
    DISCIPLINARY_RECORD = "disciplinary_record", "Disciplinary records"
    AUDIT_ENTRY = "audit_entry", "Audit entries"
    BUSINESS_USE_REQUEST = "business_use_request", "Business use requests"
    EVIDENCE = "evidence", "Evidence"


# The organisation's defaults, in one place: (months, counted from, what happens). The data migration
# creates them; RetentionRule.schedule() puts back any row that is missing. Evidence has no period of its
# own: it goes with its case.
DEFAULT_SCHEDULE = {
    RecordKind.CONCERN_CLOSED_AT_TRIAGE: (12, "closing", "anonymised"),
    RecordKind.CLOSED_CASE: (72, "closing", "anonymised"),
    RecordKind.DISCIPLINARY_RECORD: (72, "the employee leaving", "anonymised"),
    RecordKind.AUDIT_ENTRY: (84, "the entry", "deleted"),
    RecordKind.BUSINESS_USE_REQUEST: (24, "the decision (or withdrawal)", "anonymised"),
    RecordKind.EVIDENCE: (None, "its case", "deleted with its case"),
}


class RetentionRule(models.Model):
    """How long one kind of record is kept before `apply_retention` anonymises or deletes it."""

    kind = models.CharField(max_length=30, choices=RecordKind.choices, unique=True)
    months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1200)],
        help_text="Kept this many months from the event below; empty only for evidence, which goes with "
        "its case.",
    )
    counted_from = models.CharField(max_length=100, help_text="The event the period is counted from.")
    then = models.CharField("what happens then", max_length=100)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__isnull=False) | Q(kind="evidence"),
                name="retention_rule_has_a_period",
                violation_error_message="Every kind of record but evidence needs a period.",
            )
        ]

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        # The constraint again, for the admin: its form leaves the fixed kind out, and with it the check.
        if self.months is None and self.kind != RecordKind.EVIDENCE:
            raise ValidationError({"months": "Every kind of record but evidence needs a period."})

    def period_label(self):
        if self.months is None:
            return f"With {self.counted_from}"
        years, months = divmod(self.months, 12)
        parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
        parts += [f"{months} month{'s' if months != 1 else ''}"] if months else []
        return f"{' '.join(parts)} after {self.counted_from}"

    @classmethod
    def schedule(cls):
        """{kind: rule} for every kind, putting back the default of any kind whose row is missing."""
        rules = {rule.kind: rule for rule in cls.objects.all()}
        missing = [
            cls(kind=kind, months=months, counted_from=counted_from, then=then)
            for kind, (months, counted_from, then) in DEFAULT_SCHEDULE.items()
            if kind not in rules
        ]
        if missing:
            cls.objects.bulk_create(missing, ignore_conflicts=True)
            rules = {rule.kind: rule for rule in cls.objects.all()}
        return rules


class LegalHoldQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(lifted_at__isnull=True)


class LegalHold(models.Model):
    """A hold on a case or on everything about a person, placed by the Head of Business and Governance
    (e.g. litigation or an investigation): nothing under it is anonymised or deleted until it is lifted."""

    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(max_length=LONG_TEXT)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(max_length=LONG_TEXT, blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        permissions = [("manage_legal_holds", "Can place and lift legal holds")]
        constraints = [
            *length_checks(reason=LONG_TEXT, lift_reason=LONG_TEXT),
            models.CheckConstraint(
                condition=Q(case__isnull=False, person__isnull=True)
                | Q(case__isnull=True, person__isnull=False),
                name="legal_hold_on_a_case_or_a_person",
            ),
            models.CheckConstraint(condition=Q(reason__gt=""), name="legal_hold_gives_a_reason"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | Q(lift_reason__gt=""),
                name="legal_hold_lifted_with_a_reason",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(lifted_at__isnull=True), name="one_legal_hold_per_case"
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(lifted_at__isnull=True), name="one_legal_hold_per_person"
            ),
        ]

    def __str__(self):
        return f"Legal hold on {self.case or self.person}"

    @property
    def in_force(self):
        return self.lifted_at is None


def one_calendar_month_after(day):
    """Article 12(3): one month from receipt, to the same day of the next month; relativedelta keeps to the
    month's last day when that day does not exist (31 January → 28 or 29 February)."""
    return day + relativedelta(months=1)


class SubjectAccessRequest(models.Model):
    """A person's request for the data held about them (UK GDPR article 15)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_by = models.CharField(
        "who asked",
        max_length=200,
        help_text="The person themselves, or who asked for them (e.g. a solicitor).",
    )
    received_on = models.DateField()
    due_on = models.DateField(help_text="One calendar month after it was received.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # When the archive was first produced: the request is answered and its reminders stop.
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        permissions = [("handle_subject_access", "Can record and answer subject access and erasure requests")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gt=models.F("received_on")), name="sar_due_after_receipt"
            )
        ]

    def __str__(self):
        return f"Subject access request {self.pk} ({self.person})"

    def is_overdue(self, today=None):
        return self.answered_at is None and self.due_on < (today or timezone.localdate())


class ErasureRequest(models.Model):
    """A person's request to have their data erased (UK GDPR article 17), with its decision."""

    class Decision(models.TextChoices):
        GRANTED = "granted", "Granted: anonymise their data now"
        REFUSED = "refused", "Refused"

    class Ground(models.TextChoices):
        # Article 17(3): where the right to erasure does not apply.
        FREEDOM_OF_EXPRESSION = (
            "17_3_a",
            "17(3)(a): exercising the right of freedom of expression and information",
        )
        LEGAL_OBLIGATION = (
            "17_3_b",
            "17(3)(b): compliance with a legal obligation, or a task in the public interest",
        )
        PUBLIC_HEALTH = "17_3_c", "17(3)(c): reasons of public interest in the area of public health"
        ARCHIVING = "17_3_d", "17(3)(d): archiving, research or statistics in the public interest"
        LEGAL_CLAIMS = "17_3_e", "17(3)(e): the establishment, exercise or defence of legal claims"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_by = models.CharField("who asked", max_length=200)
    received_on = models.DateField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    ground = models.CharField("legal ground for refusing", max_length=10, choices=Ground.choices, blank=True)
    reason = models.TextField(max_length=LONG_TEXT)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    # What granting it anonymised, by kind: counts only.
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            *length_checks(reason=LONG_TEXT),
            models.CheckConstraint(condition=Q(reason__gt=""), name="erasure_decision_gives_a_reason"),
            models.CheckConstraint(
                condition=Q(decision="granted", ground="") | Q(decision="refused", ground__gt=""),
                name="erasure_refusal_names_its_ground",
            ),
        ]

    def __str__(self):
        return f"Erasure request {self.pk} ({self.person}): {self.get_decision_display()}"
