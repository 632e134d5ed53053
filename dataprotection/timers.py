"""A subject access request's clock (UK GDPR article 12(3): answered within one month of receipt): a
reminder a week before the due date, and an escalation from the day after it, each through the reminder
engine's timers (reminders.sweep). Both stop once the archive has been produced."""

import datetime

from django.db import models
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record_many
from core.text import day
from notifications.models import Kind
from notifications.services import Message, notify_each
from people.roles import Role
from people.selectors import role_holders
from reminders.models import Timer
from reminders.sweep import handles

REMINDER_DAYS_BEFORE = 7
# When in the day a reminder goes: working hours, local time.
REMINDER_HOUR = 9


class SubjectAccessTimer(models.TextChoices):
    REMINDER = "sar_reminder", "Remind: subject access request due in a week"
    ESCALATION = "sar_escalation", "Escalate: subject access request overdue"


def _at(day_, hour=0):
    return timezone.make_aware(datetime.datetime.combine(day_, datetime.time(hour)))


def subject_access_timers_start(request):
    Timer.objects.bulk_create(
        [
            Timer(
                kind=SubjectAccessTimer.REMINDER,
                subject=request,
                due_at=_at(request.due_on - datetime.timedelta(days=REMINDER_DAYS_BEFORE), REMINDER_HOUR),
            ),
            # Overdue from the local midnight after the due day: the whole due day is allowed.
            Timer(
                kind=SubjectAccessTimer.ESCALATION,
                subject=request,
                due_at=_at(request.due_on + datetime.timedelta(days=1)),
            ),
        ]
    )


def _waiting(timers):
    from .models import SubjectAccessRequest

    ids = dict.fromkeys(timer.subject_id for timer in timers)
    requests = SubjectAccessRequest.objects.filter(answered_at__isnull=True).in_bulk(list(ids))
    return [requests[pk] for pk in ids if pk in requests]


def _who_answers():
    """The Head of Business and Governance and the Head of Information & Security: who answer requests."""
    return list(role_holders([Role.GOVERNANCE, Role.INFOSEC]))


@handles(SubjectAccessTimer.REMINDER)
def subject_access_reminders_send(*, timers, now):
    requests = _waiting(timers)
    people = _who_answers() if requests else []
    notify_each(
        Message(
            recipient,
            Kind.ACTION_DUE,
            f"Reminder: a subject access request is due by {day(request.due_on)}",
            reverse("dataprotection:request", args=[request.pk]),
        )
        for request in requests
        for recipient in {request.recorded_by, *people}
        if recipient.pk != request.person_id
    )


@handles(SubjectAccessTimer.ESCALATION)
def subject_access_escalations_send(*, timers, now):
    requests = _waiting(timers)
    people = list(role_holders(Role.GOVERNANCE)) if requests else []
    notify_each(
        Message(
            recipient,
            Kind.ESCALATION,
            f"Escalated: a subject access request was due by {day(request.due_on)} and is not answered",
            reverse("dataprotection:request", args=[request.pk]),
        )
        for request in requests
        for recipient in {request.recorded_by, *people}
        if recipient.pk != request.person_id
    )
    audit_record_many(
        {
            "actor": None,
            "action": AuditEntry.Action.CHANGE,
            "what": f"escalated subject access request {request.pk}: overdue",
            "details": {"subject_access_request": request.pk},
        }
        for request in requests
    )
