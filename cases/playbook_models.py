"""Per-clause playbooks: what the organisation expects to be done about a case citing a clause, and by
when (e.g. clause 2.5: a removal request within 2 working days). Set by the Head of Business and
Governance, who has overall responsibility for the policy (3.1). Given from cases.models too."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.limits import LONG_TEXT, length_checks


class ActionKind(models.TextChoices):
    """The actions on a case a playbook step may expect (cases.action_models), by their record."""

    REMOVAL_REQUEST = "removal_request", "Removal request"
    PLATFORM_NOTICE = "platform_notice", "Notice to the platform"
    POLICE_REFERRAL = "police_referral", "Police referral"
    DISCIPLINARY_REFERRAL = "disciplinary_referral", "Disciplinary referral to HR"
    LEGAL_ADVICE = "legal_advice", "Legal advice"


REQUIRED_NEEDS_ACTION = "A required step names the action that does it; otherwise make it a step to consider."


class PlaybookStep(models.Model):
    """One expected step for cases citing a clause. Keyed by the policy and the clause's number, not a
    Clause row: a clause is a row of one version, and the playbook follows its number across versions."""

    class Requirement(models.TextChoices):
        REQUIRED = "required", "Required"
        CONSIDER = "consider", "To consider"

    class Start(models.TextChoices):
        CITED = "cited", "When the clause is cited (the concern is raised)"
        REFERRED = "referred", "When the case is referred to the Head of Business and Governance"

    policy = models.ForeignKey("policies.Policy", on_delete=models.CASCADE, related_name="+")
    clause_number = models.CharField(max_length=20)
    action = models.CharField(
        "action expected",
        max_length=30,
        choices=ActionKind.choices,
        blank=True,
        help_text="Done when this action is recorded on the case; none for a step that is only considered.",
    )
    requirement = models.CharField(max_length=10, choices=Requirement.choices, default=Requirement.REQUIRED)
    label = models.CharField(max_length=200, help_text="What is expected, as the checklist says it.")
    working_days = models.PositiveSmallIntegerField(validators=[MaxValueValidator(60)])
    starts_from = models.CharField(max_length=10, choices=Start.choices, default=Start.REFERRED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["policy", "clause_number", "working_days", "pk"]
        indexes = [models.Index(fields=["policy", "clause_number"], name="playbook_step_clause_idx")]
        constraints = [
            # A required step is done by its action; only a step to consider may be done by a note.
            models.CheckConstraint(
                condition=Q(requirement="consider") | ~Q(action=""),
                name="required_step_names_an_action",
                violation_error_message=REQUIRED_NEEDS_ACTION,
            ),
            models.CheckConstraint(condition=Q(working_days__lte=60), name="playbook_step_days_in_range"),
        ]

    def __str__(self):
        return f"Clause {self.clause_number}: {self.label}"

    @property
    def is_to_consider(self):
        return self.requirement == self.Requirement.CONSIDER

    def describe(self):
        """The step in one line, for the timeline and the audit log."""
        days = f"{self.working_days} working day{'' if self.working_days == 1 else 's'}"
        start = "the citing" if self.starts_from == self.Start.CITED else "the referral"
        return f"{self.label} ({self.get_requirement_display().lower()}, within {days} of {start})"


class StepConsidered(models.Model):
    """A step to consider, considered on a case, with the note of what was decided."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="steps_considered")
    step = models.ForeignKey(PlaybookStep, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(max_length=LONG_TEXT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "step"], name="step_considered_once"),
            *length_checks(note=LONG_TEXT),
        ]

    def __str__(self):
        return f"{self.case}: {self.step.label} considered"
