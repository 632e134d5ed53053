"""Business use timers: a request waiting at a step reminds whoever must act, then escalates to the Head of
Business and Governance; a 6.4 authorisation with an end date tells its holder a week ahead, and ends.

Timers are rows (reminders.models.Timer), fired by the same sweep as the case timers. The services start
and stop them in one place, `business_use_timers_on_step`, called whenever a request reaches a state (it
is submitted, or a move is applied). Every handler checks again, at fire time, that its timer still
applies: a request's waiting timers are only good while it stays in the state they were started in (the
timer's created_at is the request's state_changed_at then).

The policy sets no deadline for these steps (6.1, 6.4, 6.5); the numbers below are the organisation's.
"""

import datetime

from django.db import models
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record_many
from core.text import day
from notifications.models import Kind as NotificationKind
from notifications.services import Message, notify_each
from people.roles import Role
from people.selectors import role_holders
from reminders.calendar import add_working_days
from reminders.sweep import handles, timer_start, timers_cancel

from .models import OPEN_STATES, BusinessUseEvent, BusinessUseRequest, State
from .selectors import who_must_act

# A request waiting this many working days at a step reminds whoever must act.
REMINDER_WORKING_DAYS = 3
# Still waiting this many working days after the reminder, it escalates to the Head of Business and
# Governance, who reads every request and can chase the supervisor or the team (5 working days in all).
ESCALATION_WORKING_DAYS = 2
# The holder of a 6.4 authorisation is told this many days before its end date that it ends.
ENDING_NOTICE_DAYS = 7
# The notice goes at the start of a working morning, not at midnight.
ENDING_NOTICE_HOUR = 9


class BusinessUseTimer(models.TextChoices):
    """The kinds of timer handled here; the subject of each is its request."""

    WAITING_REMINDER = "business_use_reminder", "Remind whoever a business use request waits for"
    WAITING_ESCALATION = "business_use_escalation", "Escalate a waiting business use request"
    ENDING_NOTICE = "business_use_ending_notice", "Tell the holder their authorisation ends soon"
    AUTHORISATION_END = "business_use_end", "End an authorisation on its end date"


WAITING_TIMERS = (BusinessUseTimer.WAITING_REMINDER, BusinessUseTimer.WAITING_ESCALATION)
AUTHORISATION_TIMERS = (BusinessUseTimer.ENDING_NOTICE, BusinessUseTimer.AUTHORISATION_END)

# What a waiting request waits for, in each reminder's words.
WAITING_FOR = {
    State.WITH_SUPERVISOR: "your approval",
    State.WITH_COMMUNICATIONS: "the communications team",
    State.CHANGES_REQUESTED: "your changes",
}
# What an escalated request waits for, in the timeline's words.
ESCALATED_WAITING = {
    State.WITH_SUPERVISOR: "the supervisor's approval",
    State.WITH_COMMUNICATIONS: "the communications team",
}


def business_use_timers_on_step(*, request):
    """The request has just reached `request.state`: stop what waited on its last step and start what
    waits on this one."""
    timers_cancel(request, kind__in=WAITING_TIMERS)
    started_at = request.state_changed_at
    if request.state in OPEN_STATES:
        reminder_at = add_working_days(started_at, REMINDER_WORKING_DAYS)
        timer_start(
            kind=BusinessUseTimer.WAITING_REMINDER, subject=request, due_at=reminder_at, started_at=started_at
        )
        # Changes asked for wait on the requester alone: they may take their time or withdraw, and no
        # decision is held up but their own, so there is nobody to escalate to.
        if request.state != State.CHANGES_REQUESTED:
            timer_start(
                kind=BusinessUseTimer.WAITING_ESCALATION,
                subject=request,
                due_at=add_working_days(reminder_at, ESCALATION_WORKING_DAYS),
                started_at=started_at,
            )
    if request.state == State.AUTHORISED:
        _start_authorisation_timers(request, started_at)


def _start_authorisation_timers(request, started_at):
    """A 6.4 authorisation with an end date ends then, and its holder hears a week before. One with no end
    date does not expire."""
    ends_at = request.authorisation_ends_at()
    if ends_at is None:
        return
    notice_day = request.to_date - datetime.timedelta(days=ENDING_NOTICE_DAYS)
    notice_at = timezone.make_aware(
        datetime.datetime.combine(notice_day, datetime.time(ENDING_NOTICE_HOUR)),
        timezone.get_current_timezone(),
    )
    if ends_at > started_at:
        # Authorised within the week before its end: the notice goes at once.
        timer_start(
            kind=BusinessUseTimer.ENDING_NOTICE,
            subject=request,
            due_at=max(notice_at, started_at),
            started_at=started_at,
        )
    timer_start(
        kind=BusinessUseTimer.AUTHORISATION_END, subject=request, due_at=ends_at, started_at=started_at
    )


# --- Handlers: the sweep calls these with a batch of due timers of one kind ------------------------------


def _still_waiting(timers, *, states):
    """The requests of these timers still in the state the timer was started in, by id."""
    requests = BusinessUseRequest.objects.filter(
        pk__in={t.subject_id for t in timers}, state__in=states
    ).select_related("requester", "approver")
    by_id = {request.pk: request for request in requests}
    return [
        (timer, by_id[timer.subject_id])
        for timer in timers
        if timer.subject_id in by_id and by_id[timer.subject_id].state_changed_at == timer.created_at
    ]


@handles(BusinessUseTimer.WAITING_REMINDER)
def waiting_reminders_send(*, timers, now):
    """Remind whoever each request still waits for (business_use.selectors.who_must_act)."""
    batch = []
    for _timer, request in _still_waiting(timers, states=OPEN_STATES):
        waiting_for = WAITING_FOR[request.state]
        title = (
            f"Your business use request {request.reference} is waiting for your changes"
            if request.state == State.CHANGES_REQUESTED
            else f"Reminder: business use request {request.reference} is waiting for {waiting_for}"
        )
        link = request.get_absolute_url()
        batch += [
            Message(person, NotificationKind.BUSINESS_USE_WAITING, title, link, request)
            for person in who_must_act(request)
        ]
    notify_each(batch)


@handles(BusinessUseTimer.WAITING_ESCALATION)
def waiting_escalations_send(*, timers, now):
    """Escalate each request still waiting at its step to the Head(s) of Business and Governance: the
    timeline records it, and they are told (never about their own request)."""
    waiting = _still_waiting(timers, states=(State.WITH_SUPERVISOR, State.WITH_COMMUNICATIONS))
    if not waiting:
        return
    days = REMINDER_WORKING_DAYS + ESCALATION_WORKING_DAYS
    heads = list(role_holders(Role.GOVERNANCE))
    events, batch = [], []
    for _timer, request in waiting:
        events.append(
            BusinessUseEvent(
                request=request,
                actor=None,
                at=now,
                from_state=request.state,
                to_state=request.state,
                label="Escalated to the Head of Business and Governance",
                text=f"Waiting for {ESCALATED_WAITING[request.state]} for {days} working days.",
            )
        )
        title = (
            f"Business use request {request.reference} has been escalated to you: waiting {days} working days"
        )
        batch += [
            Message(head, NotificationKind.ESCALATION, title, request.get_absolute_url(), request)
            for head in heads
            if head.pk != request.requester_id
        ]
    BusinessUseEvent.objects.bulk_create(events)
    audit_record_many(
        {
            "actor": None,
            "action": AuditEntry.Action.CHANGE,
            "what": f"business use request {event.request.reference}: escalated",
            "details": {"business_use_request": event.request.pk, "state": event.to_state},
        }
        for event in events
    )
    notify_each(batch)


@handles(BusinessUseTimer.ENDING_NOTICE)
def ending_notices_send(*, timers, now):
    """Tell the holder of each authorisation still standing that it ends soon."""
    batch = [
        Message(
            request.requester,
            NotificationKind.BUSINESS_USE_DECIDED,
            f"Your authorisation {request.reference} ends on {day(request.to_date)}",
            request.get_absolute_url(),
        )
        for _timer, request in _still_waiting(timers, states=(State.AUTHORISED,))
    ]
    notify_each(batch)


@handles(BusinessUseTimer.AUTHORISATION_END)
def authorisations_end(*, timers, now):
    """End each authorisation still standing on its end date: the state moves to Ended (a conditional
    update on the rows locked here is the claim), the timeline and the audit log record it as the system's
    doing, and the holder is told."""
    ids = [request.pk for _timer, request in _still_waiting(timers, states=(State.AUTHORISED,))]
    standing = BusinessUseRequest.objects.filter(pk__in=ids, state=State.AUTHORISED)
    ids = list(standing.select_for_update().values_list("pk", flat=True))
    if not ids or not standing.filter(pk__in=ids).update(state=State.ENDED, state_changed_at=now):
        return
    ended = list(
        BusinessUseRequest.objects.filter(pk__in=ids, state=State.ENDED, state_changed_at=now).select_related(
            "requester"
        )
    )
    BusinessUseEvent.objects.bulk_create(
        BusinessUseEvent(
            request=request,
            actor=None,
            at=now,
            from_state=State.AUTHORISED,
            to_state=State.ENDED,
            label="Authorisation ended",
            text=f"The authorisation ran to {day(request.to_date)}.",
        )
        for request in ended
    )
    audit_record_many(
        {
            "actor": None,
            "action": AuditEntry.Action.CHANGE,
            "what": f"business use request {request.reference}: authorisation ended",
            "details": {"business_use_request": request.pk, "from": State.AUTHORISED, "to": State.ENDED},
        }
        for request in ended
    )
    notify_each(
        Message(
            request.requester,
            NotificationKind.BUSINESS_USE_DECIDED,
            f"Your business use request {request.reference} is now: ended",
            request.get_absolute_url(),
        )
        for request in ended
    )
