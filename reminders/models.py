"""Reminders are data: each timer is a row with a due time, swept by Celery beat."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Limits(models.Model):
    """The organisation's limit for every timer, in one row; the defaults follow the policy and the law."""

    triage_reminder_working_days = models.PositiveSmallIntegerField(default=2)
    triage_escalation_working_days = models.PositiveSmallIntegerField(default=4)
    governance_reminder_working_days = models.PositiveSmallIntegerField(default=10)
    # Reporter feedback, after the EU whistleblowing directive's timings (best practice).
    reporter_acknowledgement_days = models.PositiveSmallIntegerField(default=7)
    reporter_feedback_months = models.PositiveSmallIntegerField(default=3)
    reporter_warning_days = models.PositiveSmallIntegerField(
        default=2, help_text="Warn the handler this many days before either reporter deadline."
    )
    # UK GDPR article 33: decide within 72 hours whether to report a personal data breach to the ICO.
    breach_decision_hours = models.PositiveSmallIntegerField(default=72)
    breach_reminder_hours = models.CharField(max_length=50, default="24,48")
    breach_escalation_hours = models.PositiveSmallIntegerField(default=60)
    acknowledgement_reminder_days = models.PositiveSmallIntegerField(default=14)
    review_alert_days = models.CharField(
        max_length=50, default="90,30,7", help_text="Days before a policy's review date to alert its owner."
    )

    class Meta:
        verbose_name = verbose_name_plural = "limits"

    def __str__(self):
        return "Reminder and escalation limits"

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls.objects.create()

    @staticmethod
    def numbers(text):
        return sorted(
            {int(part) for part in text.replace(" ", "").split(",") if part.isdigit()}, reverse=True
        )


class Timer(models.Model):
    """Something to do at a time: remind, warn, escalate. Fired once: the sweep claims it atomically."""

    class Kind(models.TextChoices):
        TRIAGE_REMINDER = "triage_reminder", "Remind the handler to triage"
        TRIAGE_ESCALATION = "triage_escalation", "Escalate an untriaged case to the Head of Service"
        GOVERNANCE_REMINDER = "governance_reminder", "Remind the governance head to decide"
        REPORTER_ACKNOWLEDGEMENT = "reporter_acknowledgement", "Warn: acknowledge the reporter"
        REPORTER_FEEDBACK = "reporter_feedback", "Warn: give the reporter feedback"
        BREACH_REMINDER = "breach_reminder", "Remind: personal data breach decision"
        BREACH_ESCALATION = "breach_escalation", "Escalate: personal data breach decision"
        REMOVAL_OVERDUE = "removal_overdue", "A removal request's deadline has passed"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    due_at = models.DateTimeField()
    fired_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="timers"
    )
    removal_request = models.ForeignKey(
        "cases.RemovalRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="timers"
    )
    note = models.CharField(max_length=100, blank=True, help_text="e.g. which reminder of several this is.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            # The sweep reads only waiting timers, by due time: fast however many cases there are.
            models.Index(
                fields=["due_at"],
                condition=Q(fired_at__isnull=True, cancelled_at__isnull=True),
                name="timers_waiting",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "case", "note"],
                condition=Q(removal_request__isnull=True),
                name="one_case_timer",
            ),
            models.UniqueConstraint(
                fields=["kind", "removal_request", "note"],
                condition=Q(removal_request__isnull=False),
                name="one_removal_request_timer",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.due_at:%Y-%m-%d %H:%M}"


class SentReminder(models.Model):
    """A reminder about something with no timer of its own (a policy to acknowledge, a review falling due),
    recorded so that it is sent once: the unique key is the claim."""

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.key
