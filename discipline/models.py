"""Disciplinary records that HR keeps to the ACAS Code of Practice on disciplinary procedures (clauses 2.4,
2.5 and 5.2 of the Social Media Policy).

A record moves through the ACAS steps in order: opened, investigated, invited to a hearing in writing,
heard, decided, and if the employee appeals, appeal lodged and appeal decided. STEP_ORDER is the one
place that says which step may follow which; discipline.services enforces it.
"""

from functools import lru_cache

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.models import DisciplinaryReferral
from core.choices import ChoiceLabels
from core.limits import CLAUSE_TEXT, LONG_TEXT, TIMELINE_TEXT, length_checks
from people.models import User
from reminders.due import WorkItem


class Step(models.TextChoices):
    OPENED = "opened", "Opened"
    INVESTIGATED = "investigated", "Investigation complete"
    INVITED = "invited", "Invited to a hearing"
    HEARD = "heard", "Hearing held"
    DECIDED = "decided", "Outcome decided"
    APPEAL_LODGED = "appeal_lodged", "Appeal lodged"
    APPEAL_DECIDED = "appeal_decided", "Appeal decided"


# Each step and the one step that may come before it: no hearing before an invitation, no outcome before
# a hearing, no appeal before an outcome.
STEP_ORDER = {
    Step.INVESTIGATED: Step.OPENED,
    Step.INVITED: Step.INVESTIGATED,
    Step.HEARD: Step.INVITED,
    Step.DECIDED: Step.HEARD,
    Step.APPEAL_LODGED: Step.DECIDED,
    Step.APPEAL_DECIDED: Step.APPEAL_LODGED,
}


# The same choice HR receives on a referral (clause 5.2).
Severity = DisciplinaryReferral.Severity


class Outcome(models.TextChoices):
    NO_ACTION = "no_action", "No action"
    INFORMAL_ACTION = "informal_action", "Informal action"
    FIRST_WRITTEN_WARNING = "first_written_warning", "First written warning"
    FINAL_WRITTEN_WARNING = "final_written_warning", "Final written warning"
    DISMISSAL = "dismissal", "Dismissal"


WARNINGS = (Outcome.FIRST_WRITTEN_WARNING, Outcome.FINAL_WRITTEN_WARNING)
# A hearing arranged and not yet held, or an appeal lodged and not yet decided: waiting for HR.
HEARING_OR_APPEAL_WAITING = Q(hearing_arranged_for__isnull=False, hearing_held_on__isnull=True) | Q(
    appeal_lodged_on__isnull=False, appeal_outcome=""
)
# A hearing found the breach when the outcome in force (after any appeal) is some action: the review pack's
# disciplinary findings, and the record list's outcome `finding`.
FINDINGS = (
    Outcome.INFORMAL_ACTION,
    Outcome.FIRST_WRITTEN_WARNING,
    Outcome.FINAL_WRITTEN_WARNING,
    Outcome.DISMISSAL,
)

# What waits next on a record after each ACAS step, as HR's lists say it beside its date, if it has one
# (DisciplinaryRecord.next_work).
WAITING_FOR = {
    Step.OPENED: "Investigation",
    Step.INVESTIGATED: "Invitation to a hearing",
    Step.INVITED: "Hearing",
    Step.HEARD: "The outcome",
    Step.DECIDED: "Nothing: decided",
    Step.APPEAL_LODGED: "Appeal hearing and decision",
    Step.APPEAL_DECIDED: "Nothing: appeal decided",
}


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Original decision upheld"
    VARIED = "varied", "Decision varied"
    OVERTURNED = "overturned", "Decision overturned"


class WarningPeriods(models.Model):
    """How long a warning stays live by default, in one row that HR can change in the admin."""

    first_written_warning_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    final_written_warning_months = models.PositiveSmallIntegerField(
        default=24, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )

    class Meta:
        verbose_name = verbose_name_plural = "warning periods"

    def __str__(self):
        return "Warning periods"

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls.objects.create()

    def default_expiry(self, outcome, decided_on):
        """When a warning given on `decided_on` expires by default; None if the outcome is no warning."""
        months = {
            Outcome.FIRST_WRITTEN_WARNING: self.first_written_warning_months,
            Outcome.FINAL_WRITTEN_WARNING: self.final_written_warning_months,
        }.get(outcome)
        return decided_on + relativedelta(months=months) if months else None


class DisciplinaryRecordQuerySet(models.QuerySet):
    def live_warnings(self, today=None):
        today = today or timezone.localdate()
        return self.filter(outcome_in_force__in=WARNINGS, warning_expires_on__gt=today)

    def expired_warnings(self, today=None):
        today = today or timezone.localdate()
        return self.filter(outcome_in_force__in=WARNINGS, warning_expires_on__lte=today)


@lru_cache(maxsize=1)
def _record_url_template():
    # One reverse() for every record's link: HR's list links each row three times (issue 13).
    return reverse("discipline:detail", args=["REFERENCE"])


class DisciplinaryRecord(ChoiceLabels, models.Model):
    reference = models.CharField(max_length=20, unique=True)
    referral = models.OneToOneField(
        DisciplinaryReferral,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disciplinary_record",
        help_text="The referral from a case this record was opened from, if any.",
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The case whose evidence the investigation draws on.",
    )
    employee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # As they were when the record was opened, for reporting by team and employment type.
    employee_team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    employment_type = models.CharField(max_length=20, blank=True)
    allegation = models.TextField(max_length=LONG_TEXT)
    severity = models.CharField(max_length=20, choices=Severity.choices)
    step = models.CharField(max_length=20, choices=Step.choices, default=Step.OPENED, db_index=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField(default=timezone.localdate, db_index=True)

    # Investigation.
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    investigation_summary = models.TextField(max_length=LONG_TEXT, blank=True)
    investigation_completed_on = models.DateField(null=True, blank=True)

    # The written invitation to the hearing.
    invitation_sent_on = models.DateField(null=True, blank=True)
    hearing_arranged_for = models.DateField(null=True, blank=True)
    hearing_time = models.TimeField(null=True, blank=True)
    # Database defaults on the details added later: bulk SQL (seed_scale) fills records without them.
    hearing_place = models.CharField(max_length=200, blank=True, db_default="")
    # ACAS: the invitation must tell the employee of their statutory right to be accompanied.
    told_of_right_to_be_accompanied = models.BooleanField(default=False, db_default=False)
    invited_companion = models.CharField(
        max_length=200,
        blank=True,
        db_default="",
        help_text="Who the employee said would accompany them, if known.",
    )
    invitation_notes = models.TextField(max_length=LONG_TEXT, blank=True)

    # The hearing.
    hearing_held_on = models.DateField(null=True, blank=True)
    heard_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    companion = models.CharField(
        max_length=200, blank=True, help_text="A colleague or trade union representative, if any."
    )
    hearing_attendees = models.TextField(
        max_length=LONG_TEXT,
        blank=True,
        db_default="",
        help_text="Who attended the hearing, and in what role.",
    )
    hearing_notes = models.TextField(max_length=LONG_TEXT, blank=True)

    # The outcome of the hearing.
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_reasons = models.TextField(max_length=LONG_TEXT, blank=True)
    decided_on = models.DateField(null=True, blank=True)

    # The appeal.
    appeal_lodged_on = models.DateField(null=True, blank=True)
    appeal_grounds = models.TextField(max_length=LONG_TEXT, blank=True)
    appeal_heard_on = models.DateField(null=True, blank=True)
    appeal_heard_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal_outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, blank=True)
    appeal_reasons = models.TextField(max_length=LONG_TEXT, blank=True)

    # What stands after any appeal, and when a warning stops counting. Set by discipline.services only.
    outcome_in_force = models.CharField(max_length=30, choices=Outcome.choices, blank=True, db_index=True)
    warning_expires_on = models.DateField(null=True, blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    objects = DisciplinaryRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        # HR's queues on their home page (discipline.selectors): each read in its order from a small index,
        # rather than by reading every record (7 ms and 3 ms of every HR home page at a million cases).
        indexes = [
            models.Index(
                fields=["hearing_arranged_for", "appeal_lodged_on", "id"],
                condition=HEARING_OR_APPEAL_WAITING,
                # With the employee (never one's own record), the count reads the index alone: otherwise
                # PostgreSQL counted by reading the table (14 ms -> 0.1 ms).
                include=["employee"],
                name="record_hearing_waiting_idx",
            ),
            models.Index(
                fields=["warning_expires_on", "id"],
                condition=Q(outcome_in_force__in=WARNINGS),
                include=["employee"],
                name="record_warning_idx",
            ),
        ]
        permissions = [
            ("manage_disciplinary_records", "Can open and keep disciplinary records (HR)"),
            ("view_disciplinary_records", "Can read disciplinary records"),
            ("export_disciplinary_records", "Can export disciplinary records"),
        ]
        constraints = [
            *length_checks(
                allegation=LONG_TEXT,
                investigation_summary=LONG_TEXT,
                invitation_notes=LONG_TEXT,
                hearing_attendees=LONG_TEXT,
                hearing_notes=LONG_TEXT,
                outcome_reasons=LONG_TEXT,
                appeal_grounds=LONG_TEXT,
                appeal_reasons=LONG_TEXT,
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(hearing_held_on__isnull=False),
                name="no_outcome_before_a_hearing",
                violation_error_message="An outcome needs a hearing first.",
            ),
            models.CheckConstraint(
                condition=Q(appeal_lodged_on__isnull=True) | ~Q(outcome=""),
                name="no_appeal_before_an_outcome",
                violation_error_message="An appeal needs an outcome first.",
            ),
            models.CheckConstraint(
                condition=Q(warning_expires_on__isnull=True) | Q(outcome_in_force__in=WARNINGS),
                name="only_warnings_expire",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return _record_url_template().replace("REFERENCE", self.reference)

    @property
    def is_warning(self):
        return self.outcome_in_force in WARNINGS

    def warning_is_live(self, today=None):
        # As live_warnings: a warning with no expiry on record (set by hand; the services always give one)
        # is not counted live rather than breaking every page that shows it.
        if not self.is_warning or self.warning_expires_on is None:
            return False
        return self.warning_expires_on > (today or timezone.localdate())

    def warning_status(self, today=None):
        """ "live", "expired" or "" for outcomes that are not warnings: expiry needs no job to run."""
        if not self.is_warning:
            return ""
        return "live" if self.warning_is_live(today) else "expired"

    def next_work(self, today=None):
        """What waits next on the record and by when (reminders.due): the hearing on the day arranged, a
        live warning until it expires; the next ACAS step, undated, otherwise."""
        what, due = WAITING_FOR[self.step], None
        if self.step == Step.INVITED:
            due = self.hearing_arranged_for
        elif self.step in (Step.DECIDED, Step.APPEAL_DECIDED) and self.warning_is_live(today):
            what, due = f"{self.get_outcome_in_force_display()} expires", self.warning_expires_on
        return WorkItem(self.reference, self.get_absolute_url(), what, due)

    def next_steps(self):
        return [step for step, before in STEP_ORDER.items() if before == self.step]

    def progress(self):
        """Each ACAS step with "done", "next" or "" (still to come), for the record's page."""
        done = list(Step).index(Step(self.step))
        following = self.next_steps()
        return [
            (step, "done" if position <= done else "next" if step in following else "")
            for position, step in enumerate(Step)
        ]

    def employment_type_label(self):
        """The employment type as it was when the record was opened, in words."""
        types = dict(User.EmploymentType.choices)
        return types.get(self.employment_type, self.employment_type)


class RecordClause(models.Model):
    """A clause the employee is alleged to have breached, with its text as it stood when the record opened."""

    record = models.ForeignKey(DisciplinaryRecord, on_delete=models.CASCADE, related_name="clauses")
    clause = models.ForeignKey("policies.Clause", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=20)
    text = models.TextField(max_length=CLAUSE_TEXT)

    class Meta:
        ordering = ["record", "clause__section__number", "clause__position"]
        constraints = [
            models.UniqueConstraint(fields=["record", "clause"], name="unique_record_clause"),
            *length_checks(text=CLAUSE_TEXT),
        ]
        # Which clauses records cite, clause by clause, for the list's clause filter and its choices.
        indexes = [models.Index(fields=["clause", "record"], name="record_clause_cited_idx")]

    def __str__(self):
        return f"{self.record} – clause {self.number}"


class RecordEvent(ChoiceLabels, models.Model):
    """One step of a disciplinary record, written in the same transaction as the change."""

    record = models.ForeignKey(DisciplinaryRecord, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(max_length=20, choices=Step.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=TIMELINE_TEXT, blank=True)

    class Meta:
        constraints = [*length_checks(text=TIMELINE_TEXT)]
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.record} {self.get_step_display()} {self.at:%Y-%m-%d}"


class LetterTemplate(models.Model):
    """The wording of a letter HR send at a step, with placeholders such as {{ employee_name }} that
    discipline.letters fills with the record's values. HR edit them; defaults come with the migrations."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation to a disciplinary hearing"
        OUTCOME = "outcome", "Outcome of the disciplinary hearing"
        APPEAL_OUTCOME = "appeal_outcome", "Outcome of the appeal"

    kind = models.CharField(max_length=20, choices=Kind.choices, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=LONG_TEXT)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [*length_checks(body=LONG_TEXT)]
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()

    def get_absolute_url(self):
        return reverse("discipline:letter_template", args=[self.kind])
