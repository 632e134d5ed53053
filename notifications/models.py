"""A notification is a record first (who, what, link, when, read or not); channels then deliver it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.compiled import CompiledQuery
from core.counts import MOST, capped
from core.limits import LONG_TEXT, length_checks


class Kind(models.TextChoices):
    CASE_ROUTED = "case_routed", "A case routed or reassigned to you"
    CASE_REFERRED = "case_referred", "A case referred to you"
    REPORTER_MESSAGE = "reporter_message", "A message about a concern you raised"
    TRIAGE_REMINDER = "triage_reminder", "A case waiting for your triage or decision"
    REPORTER_FEEDBACK = "reporter_feedback", "Acknowledging or giving feedback to a reporter falling due"
    ACTION_DUE = "action_due", "An action of yours falling due or overdue"
    ESCALATION = "escalation", "An escalation to you"
    PERSONAL_DATA_BREACH = "personal_data_breach", "A possible personal data breach to decide on"
    POLICY_TO_ACKNOWLEDGE = "policy_to_acknowledge", "A policy version to acknowledge"
    ACKNOWLEDGEMENT_SUMMARY = "acknowledgement_summary", "Your team's outstanding acknowledgements"
    COMMENT_REPLY = "comment_reply", "A reply to your comment on a policy"
    REVIEW_DUE = "review_due", "A policy review falling due"
    BUSINESS_USE_WAITING = "business_use_waiting", "A business use request waiting for you"
    BUSINESS_USE_DECIDED = "business_use_decided", "A decision on your business use request"
    REFERRAL_TO_HR = "referral_to_hr", "A disciplinary referral to HR"
    FROM_REPORTER = "from_reporter", "A message or evidence from the reporter of a case you handle"
    CASE_WITHDRAWN = "case_withdrawn", "A concern withdrawn by its reporter"


# Escalations and breach clocks reach the person however they have set their preferences.
MANDATORY_KINDS = frozenset({Kind.ESCALATION, Kind.PERSONAL_DATA_BREACH})


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Neutral words only: a notification never carries case details, names or what was posted.
    title = models.CharField(max_length=200)
    link = models.CharField(max_length=300, help_text="A path in the app, e.g. /cases/SMP-2026-0042/.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # What the notification asks someone to act on (a case, a referral, a request), so that it is marked
    # read for everyone once anyone has done it (services.notifications_clear). Empty for news.
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="unread_notifications",
            ),
            # Clearing finds the unread notifications about one thing, whoever they went to.
            models.Index(
                fields=["about_type", "about_id"],
                condition=Q(read_at__isnull=True, about_id__isnull=False),
                name="unread_notifications_about",
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.title}"

    @property
    def is_read(self):
        return self.read_at is not None

    @classmethod
    def unread_badge(cls, recipient):
        """The navigation's count of unread notifications, on every page: up to 99, then "99+", so that it
        reads at most a hundred entries of the unread index."""
        return capped(len(_UNREAD.rows(recipient.pk)))


# On every page: compiled once (core/compiled.py); reads at most MOST + 1 entries of the unread index.
_UNREAD = CompiledQuery(
    lambda recipient_id: (
        Notification.objects.filter(recipient=recipient_id, read_at__isnull=True)
        .order_by()
        .values_list("pk")[: MOST + 1]
    )
)


class Delivery(models.Model):
    """One channel's attempt to deliver one notification, with its attempts and its last error."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", "In the app"
        EMAIL = "email", "E-mail"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # When it may go: now for "immediately", the next digest time for "daily digest".
    due_at = models.DateTimeField(default=timezone.now)
    digest = models.BooleanField(default=False, help_text="Sent with others in the person's daily digest.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(max_length=LONG_TEXT, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [*length_checks(last_error=LONG_TEXT)]
        ordering = ["due_at", "pk"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(status__in=["pending", "sending"]), name="deliveries_to_send"
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} for {self.notification_id}: {self.get_status_display()}"


class Preference(models.Model):
    """How a person wants one kind of notification: e-mail at once, a daily digest, or in the app only."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", "By e-mail at once"
        DIGEST = "digest", "In a daily e-mail digest"
        IN_APP = "in_app", "In the app only"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()} – {self.get_mode_display()}"
