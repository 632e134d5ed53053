"""Reminders are data: each timer is a row with a due time, swept by Celery beat."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Q
from django.utils import timezone

from core.compiled import CompiledQuery


class Limits(models.Model):
    """The organisation's limit for every timer, in one row; the defaults follow the policy and the law.

    Where the Social Media Policy sets no number, the default is the organisation's own choice, and the
    comment names the clause the limit serves.
    """

    # Clause 3.2 (supervisors take timely action on breaches) and 9.1 (concerns go to the supervisor or a
    # Head of Service): the organisation's limits, in working days, for triage and for escalating to the
    # Head of Service.
    triage_reminder_working_days = models.PositiveSmallIntegerField(default=2)
    triage_escalation_working_days = models.PositiveSmallIntegerField(default=4)
    # Clauses 3.1 and 9.2 (the Head of Business and Governance decides on a referred concern): the
    # organisation's limit, in working days, before they are reminded.
    governance_reminder_working_days = models.PositiveSmallIntegerField(default=10)
    # Reporter feedback: EU whistleblowing directive (2019/1937) article 9(1)(b) acknowledgement within 7
    # days and 9(1)(f) feedback within 3 months, followed as best practice (not UK law).
    reporter_acknowledgement_days = models.PositiveSmallIntegerField(default=7)
    reporter_feedback_months = models.PositiveSmallIntegerField(default=3)
    # The same directive's deadlines: the organisation's warning ahead of them.
    reporter_warning_days = models.PositiveSmallIntegerField(
        default=2, help_text="Warn the handler this many days before either reporter deadline."
    )
    # UK GDPR article 33(1): decide within 72 hours whether to report a personal data breach to the ICO.
    breach_decision_hours = models.PositiveSmallIntegerField(default=72)
    # UK GDPR article 33(1) again: the organisation's reminders and escalation inside those 72 hours.
    breach_reminder_hours = models.CharField(max_length=50, default="24,48")
    breach_escalation_hours = models.PositiveSmallIntegerField(default=60)
    # Clause 3.2 (supervisors make sure staff know their obligations under the policy): the organisation's
    # days before staff who have not acknowledged the current version are reminded.
    acknowledgement_reminder_days = models.PositiveSmallIntegerField(default=14)
    # Clause 10.1 (the policy is reviewed on a rolling programme): alerts before the review date.
    review_alert_days = models.CharField(
        max_length=50, default="90,30,7", help_text="Days before a policy's review date to alert its owner."
    )

    class Meta:
        verbose_name = verbose_name_plural = "limits"

    def __str__(self):
        return "Reminder and escalation limits"

    @classmethod
    def current(cls):
        row = _CURRENT_LIMITS.rows()
        return cls.from_db(DEFAULT_DB_ALIAS, _LIMITS_FIELDS, row[0]) if row else cls.objects.create()

    @staticmethod
    def numbers(text):
        return sorted(
            {int(part) for part in text.replace(" ", "").split(",") if part.isdigit()}, reverse=True
        )


# Read on every case page and by every sweep: compiled once (core.compiled); numbers and text only.
_LIMITS_FIELDS = [field.attname for field in Limits._meta.concrete_fields]
_CURRENT_LIMITS = CompiledQuery(lambda: Limits.objects.order_by("pk").values_list(*_LIMITS_FIELDS)[:1])


class Timer(models.Model):
    """Something to do at a time about something (its subject): remind, warn, escalate. Fired once: the
    sweep claims it atomically.

    The engine knows neither the subjects nor the kinds: the app that handles a kind declares it and
    registers its handler with the sweep (reminders.sweep.handles), e.g. cases.timers.CaseTimer.
    """

    kind = models.CharField(max_length=30)
    due_at = models.DateTimeField()
    fired_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # No index of its own: the unique constraint's, subject first, serves.
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", db_index=False)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
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
            # Subject first: the same index finds a subject's timers (timers_of, cancelling them).
            models.UniqueConstraint(fields=["subject_type", "subject_id", "kind", "note"], name="one_timer"),
        ]

    def __str__(self):
        return f"{self.kind_label} at {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def kind_label(self):
        from .sweep import kind_label

        return kind_label(self.kind)


class SentReminder(models.Model):
    """A reminder about something with no timer of its own (a policy to acknowledge, a review falling due),
    recorded so that it is sent once: the unique key is the claim."""

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.key
