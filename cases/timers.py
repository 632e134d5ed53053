"""Case timers (triage, governance review, reporter feedback, removal requests): when they start, when
they stop, and what the sweep does when one falls due.

Timers are rows (reminders.models.Timer): the case services start them when something happens, through
the `case_timers_on_*` functions below, and cancel them when what they wait for is done; the sweep
(reminders.sweep) fires them and calls the handlers registered here with `@handles`. Every handler
checks again, at fire time, that its timer still applies, and does nothing if it does not.

What the words mean here:

- The *clock* starts when a concern is raised, and again when a closed case is reopened.
  `Timer.created_at` is the moment a timer's clock started; the reporter deadlines count from it.
- Triage and governance limits are working days (reminders.calendar: England and Wales, bank holidays
  excluded); the reporter deadlines are calendar days and months, as in the EU whistleblowing directive.
- A case is *triaged* when it leaves triage: closed at triage or referred. Starting triage does not stop
  the clock.
- A referred case is *decided* when action starts on it or it is closed.
- The reporter is *acknowledged* by the first message sent to them after the clock started.
- The reporter is *given feedback* when the case is closed, or by a message sent to them at least
  `reporter_acknowledgement_days` after the clock started (an earlier message is the acknowledgement).
- A removal request is *overdue* from the local midnight after its deadline day, while still pending
  (RemovalRequest.overdue_from, clause 2.5).
- Due times are fixed when a timer starts: a change to Limits applies to timers started afterwards.
- *Rounds*: a timer kind is unique per (subject, note). The first round has an empty note; a reopened case
  starts a new round ("round 2", "round 3", …) and the timers of earlier rounds stay as history.

Who is told is decided as for every case notification (cases.notify): never the subject of a concern,
nor the person who did what is being told; neutral titles, and a link to the case page.
"""

from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from django.db import models
from django.db.models import Min, Q
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record_many
from core.text import day
from notifications.models import Kind
from notifications.services import notify_each
from people.roles import Role
from people.selectors import role_holders
from reminders.calendar import add_working_days, working_days_taken
from reminders.models import Limits
from reminders.sweep import handles, timer_start, timers_cancel, timers_of

from .models import (
    AWAITING_DECISION,
    CLOSED_STAGES,
    TRIAGE_STAGES,
    Case,
    CaseEvent,
    CaseUserObjectPermission,
    RemovalRequest,
    Stage,
)
from .notify import case_messages, case_referred_notify
from .playbook_models import PlaybookStep
from .playbook_timers import playbook_timers_on_close, playbook_timers_start


class CaseTimer(models.TextChoices):
    """The kinds of timer handled here. The subject of each is its case, but for REMOVAL_OVERDUE: its
    removal request. (The breach clock's kinds are cases.breach.BreachTimer.)"""

    TRIAGE_REMINDER = "triage_reminder", "Remind the handler to triage"
    TRIAGE_ESCALATION = "triage_escalation", "Escalate an untriaged case to the Head of Service"
    GOVERNANCE_REMINDER = "governance_reminder", "Remind the governance head to decide"
    REPORTER_ACKNOWLEDGEMENT = "reporter_acknowledgement", "Warn: acknowledge the reporter"
    REPORTER_FEEDBACK = "reporter_feedback", "Warn: give the reporter feedback"
    REMOVAL_OVERDUE = "removal_overdue", "A removal request's deadline has passed"


TRIAGE_TIMERS = (CaseTimer.TRIAGE_REMINDER, CaseTimer.TRIAGE_ESCALATION)
# The timer whose due time is a case's deadline at each stage (Case.due_on), as the home queues show it.
STAGE_DEADLINES = {
    **dict.fromkeys(TRIAGE_STAGES, CaseTimer.TRIAGE_REMINDER),
    **dict.fromkeys(AWAITING_DECISION, CaseTimer.GOVERNANCE_REMINDER),
}
REPORTER_TIMERS = (CaseTimer.REPORTER_ACKNOWLEDGEMENT, CaseTimer.REPORTER_FEEDBACK)


# --- Helpers ------------------------------------------------------------------------------------------


def acknowledgement_due(started_at, limits):
    return timezone.localtime(started_at) + relativedelta(days=limits.reporter_acknowledgement_days)


def feedback_due(started_at, limits):
    return timezone.localtime(started_at) + relativedelta(months=limits.reporter_feedback_months)


def timers_of_case(case):
    """Every timer about a case: its own, and those of its removal requests."""
    return timers_of(case) | timers_of(*case.removalrequests.all())


def _start_triage_timers(case, started_at, limits):
    timer_start(
        kind=CaseTimer.TRIAGE_REMINDER,
        subject=case,
        started_at=started_at,
        due_at=add_working_days(started_at, limits.triage_reminder_working_days),
    )
    timer_start(
        kind=CaseTimer.TRIAGE_ESCALATION,
        subject=case,
        started_at=started_at,
        due_at=add_working_days(started_at, limits.triage_escalation_working_days),
    )


def _start_governance_timer(case, started_at, limits):
    timer_start(
        kind=CaseTimer.GOVERNANCE_REMINDER,
        subject=case,
        started_at=started_at,
        due_at=add_working_days(started_at, limits.governance_reminder_working_days),
    )


def _start_reporter_timers(case, started_at, limits, *, acknowledged=False):
    warning = relativedelta(days=limits.reporter_warning_days)
    if not acknowledged:
        timer_start(
            kind=CaseTimer.REPORTER_ACKNOWLEDGEMENT,
            subject=case,
            started_at=started_at,
            due_at=acknowledgement_due(started_at, limits) - warning,
        )
    timer_start(
        kind=CaseTimer.REPORTER_FEEDBACK,
        subject=case,
        started_at=started_at,
        due_at=feedback_due(started_at, limits) - warning,
    )


# --- Events: the case services call these ---------------------------------------------------------------


def case_due_refresh(*, case):
    """Store the case's deadline at its stage (Case.due_on): the day its stage's timer that still stands is
    due, none at a stage without one. Called after the timers change; the one place that sets it."""
    kind = STAGE_DEADLINES.get(case.stage)
    standing = timers_of(case).filter(kind=kind, cancelled_at__isnull=True)
    timer = kind and standing.order_by("-created_at").first()
    case.due_on = timezone.localdate(timer.due_at) if timer else None
    Case.objects.filter(pk=case.pk).update(due_on=case.due_on)


def case_timers_on_raise(*, case):
    """A concern is raised: the triage clock and the reporter's deadlines start."""
    limits = Limits.current()
    _start_triage_timers(case, case.created_at, limits)
    _start_reporter_timers(case, case.created_at, limits)
    playbook_timers_start(case=case, start=PlaybookStep.Start.CITED, started_at=case.created_at)
    case_due_refresh(case=case)


def case_timers_on_stage_change(*, case, by, previous):
    """The case moved from `previous` to `case.stage`: stop what is done, start what now applies."""
    if previous in TRIAGE_STAGES and case.stage not in TRIAGE_STAGES:
        case_timers_on_triaged(case=case)
    if case.stage == Stage.REFERRED:
        case_timers_on_refer(case=case)
        case_referred_notify(case=case, by=by)
    if previous in AWAITING_DECISION and case.stage not in AWAITING_DECISION:
        case_timers_on_decision(case=case)
    if case.stage in CLOSED_STAGES:
        case_timers_on_close(case=case)
    if previous in CLOSED_STAGES and case.stage not in CLOSED_STAGES:
        case_timers_on_reopen(case=case)
    case_due_refresh(case=case)
    case_timings_record(case=case, previous=previous)


def case_timings_record(*, case, previous):
    """Store the working days the first triage or the first decision took, when this move ends it
    (triaged, decided: see above); a reopened case keeps its first. The one place that sets them, but for
    the cases made before (cases.timings_sql, which counts the same)."""
    done = {}
    if case.triage_working_days is None and previous in TRIAGE_STAGES and case.stage not in TRIAGE_STAGES:
        done["triage_working_days"] = working_days_taken(case.created_at, case.stage_changed_at)
    if (
        case.decision_working_days is None
        and previous in AWAITING_DECISION
        and case.stage not in AWAITING_DECISION
    ):
        referrals = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STAGE, to_stage=Stage.REFERRED)
        referred = referrals.aggregate(first=Min("at"))["first"]
        if referred is not None:
            done["decision_working_days"] = working_days_taken(referred, case.stage_changed_at)
    if done:
        for name, days in done.items():
            setattr(case, name, days)
        Case.objects.filter(pk=case.pk).update(**done)


def case_timers_on_triaged(*, case):
    timers_cancel(case, kind__in=TRIAGE_TIMERS)


def case_timers_on_refer(*, case):
    """Referred: the governance head has `governance_reminder_working_days` to decide."""
    _start_governance_timer(case, case.stage_changed_at, Limits.current())
    playbook_timers_start(case=case, start=PlaybookStep.Start.REFERRED, started_at=case.stage_changed_at)


def case_timers_on_decision(*, case):
    timers_cancel(case, kind=CaseTimer.GOVERNANCE_REMINDER)


def case_timers_on_close(*, case):
    """Closed: the reporter sees the outcome stage on their case, which is the feedback owed to them."""
    timers_cancel(case, kind__in=REPORTER_TIMERS)
    playbook_timers_on_close(case=case)


def case_timers_on_reopen(*, case):
    """Reopened: new rounds of what applies at the stage it reopens to, and of the reporter's feedback
    deadline, counted from the reopening. A reporter already acknowledged is not acknowledged again."""
    limits = Limits.current()
    started_at = case.stage_changed_at
    if case.stage in TRIAGE_STAGES:
        _start_triage_timers(case, started_at, limits)
    elif case.stage in AWAITING_DECISION:
        _start_governance_timer(case, started_at, limits)
    acknowledged = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.MESSAGE).exists()
    _start_reporter_timers(case, started_at, limits, acknowledged=acknowledged)


def case_timers_on_message_to_reporter(*, case, event):
    """A message to the reporter acknowledges them; sent late enough after the clock started, it is also
    the feedback owed to them (see the module's definitions)."""
    limits = Limits.current()
    timers_cancel(case, kind=CaseTimer.REPORTER_ACKNOWLEDGEMENT, created_at__lte=event.at)
    started_by = timezone.localtime(event.at) - relativedelta(days=limits.reporter_acknowledgement_days)
    timers_cancel(case, kind=CaseTimer.REPORTER_FEEDBACK, created_at__lte=started_by)


def case_timers_on_removal_request(*, removal_request):
    timer_start(
        kind=CaseTimer.REMOVAL_OVERDUE,
        subject=removal_request,
        started_at=removal_request.recorded_at,
        due_at=removal_request.overdue_from(),
    )


def case_timers_on_removal_resolved(*, removal_request):
    timers_cancel(removal_request)


# --- Handlers: the sweep calls these with a batch of due timers of one kind ------------------------------


def _cases(timers, **filters):
    # Only what a reminder says and whom it goes to: a sweep may load thousands of cases at once.
    return (
        Case.objects.filter(pk__in={t.subject_id for t in timers}, **filters)
        .select_related("handler")
        .only("id", "reference", "subject_person_id", "handler__id", "handler__is_active")
    )


@handles(CaseTimer.TRIAGE_REMINDER)
def triage_reminders_send(*, timers, now):
    """Remind the handler of each case still waiting for triage."""
    batch = []
    for case in _cases(timers, stage__in=TRIAGE_STAGES):
        batch += case_messages(
            case=case,
            recipients=[case.handler],
            kind=Kind.TRIAGE_REMINDER,
            title=f"Case {case.reference} is waiting for your triage",
        )
    notify_each(batch)


def escalation_target(*, case, heads):
    """The Head of Service of the reporter's team; the governance head instead if that person has left,
    is the subject or the reporter, or already handles the case. None if nobody else can take it."""
    barred = {case.subject_person_id, case.reporter_id, case.handler_id}
    team_head = case.reporter_team.head_of_service if case.reporter_team else None
    for person in [team_head, *heads]:
        if person is not None and person.is_active and person.pk not in barred:
            return person
    return None


def _hand_over(changes, now):
    """Make `to` the handler of each case in place of `before`, with the grants case_reassign gives: the
    new handler may handle the case, the one before no longer. In bulk: (case, before, to) triples."""
    if not changes:
        return
    permission = Permission.objects.get(content_type__app_label="cases", codename="handle_case")
    before = Q()
    for case, previous, _to in changes:
        if previous is not None:
            before |= Q(content_object_id=case.pk, user_id=previous.pk)
    if before:
        CaseUserObjectPermission.objects.filter(before, permission=permission).delete()
    CaseUserObjectPermission.objects.bulk_create(
        [
            CaseUserObjectPermission(permission=permission, user=to, content_object=case)
            for case, _, to in changes
        ],
        ignore_conflicts=True,
    )
    for case, _previous, to in changes:
        case.handler, case.updated_at = to, now
    Case.objects.bulk_update([case for case, _, _ in changes], ["handler", "updated_at"])


@handles(CaseTimer.TRIAGE_ESCALATION)
def triage_escalations_send(*, timers, now):
    """Escalate each case still untriaged: the Head of Service of the reporter's team becomes its handler
    (as a reassignment would do it), the timeline records the escalation, and the new handler and the
    governance head(s) are told."""
    batch = []
    cases = list(
        Case.objects.select_for_update(of=("self",))
        .select_related("handler", "reporter_team__head_of_service")
        .filter(pk__in={t.subject_id for t in timers}, stage__in=TRIAGE_STAGES)
        .order_by("pk")
    )
    if not cases:
        return
    days = Limits.current().triage_escalation_working_days
    reason = f"Not triaged within {days} working days"
    late = f"it was not triaged within {days} working days"
    heads = list(role_holders(Role.GOVERNANCE))
    changes = []
    events = []
    for case in cases:
        previous, to = case.handler, escalation_target(case=case, heads=heads)
        if to is not None:
            changes.append((case, previous, to))
            role = "Head of Business and Governance" if to in heads else "Head of Service"
            handed = f"from {previous} to {to}" if previous else f"to {to}"
            text = f"{reason}: escalated {handed}, the {role}."
        else:
            text = f"{reason}: escalated to the Head of Business and Governance."
        events.append(CaseEvent(case=case, kind=CaseEvent.Kind.ESCALATED, actor=None, at=now, text=text))
    _hand_over(changes, now)
    CaseEvent.objects.bulk_create(events)
    new_handlers = {case.pk: to for case, _, to in changes}
    audit_record_many(
        {
            "actor": None,
            "action": AuditEntry.Action.CHANGE,
            "case": case,
            "what": f"escalated {case.reference}"
            + (f" to {new_handlers[case.pk]}" if case.pk in new_handlers else ""),
        }
        for case in cases
    )
    for case in cases:
        to = new_handlers.get(case.pk)
        batch += case_messages(
            case=case,
            recipients=[to],
            kind=Kind.ESCALATION,
            title=f"Case {case.reference} has been escalated to you: {late}",
        )
        batch += case_messages(
            case=case,
            recipients=heads,
            kind=Kind.ESCALATION,
            title=f"Case {case.reference} has been escalated: {late}",
            exclude=[to],
        )
    notify_each(batch)


@handles(CaseTimer.GOVERNANCE_REMINDER)
def governance_reminders_send(*, timers, now):
    """Remind the governance head(s) of each referred case still waiting for a decision."""
    batch = []
    cases = list(_cases(timers, stage__in=AWAITING_DECISION))
    heads = list(role_holders(Role.GOVERNANCE)) if cases else []
    for case in cases:
        batch += case_messages(
            case=case,
            recipients=heads,
            kind=Kind.TRIAGE_REMINDER,
            title=f"Case {case.reference} is waiting for your decision",
        )
    notify_each(batch)


@handles(CaseTimer.REPORTER_ACKNOWLEDGEMENT)
@handles(CaseTimer.REPORTER_FEEDBACK)
def reporter_deadline_warnings_send(*, timers, now):
    """Warn the handler before the reporter's acknowledgement or feedback falls due, unless it is done."""
    batch = []
    limits = Limits.current()
    cases = {case.pk: case for case in _cases(timers).exclude(stage__in=CLOSED_STAGES)}
    messages = defaultdict(list)
    for case_id, at in CaseEvent.objects.filter(case_id__in=cases, kind=CaseEvent.Kind.MESSAGE).values_list(
        "case_id", "at"
    ):
        messages[case_id].append(at)
    for timer in timers:
        case = cases.get(timer.subject_id)
        if case is None:
            continue
        if timer.kind == CaseTimer.REPORTER_ACKNOWLEDGEMENT:
            done_by_message_from = timer.created_at
            due, what = acknowledgement_due(timer.created_at, limits), "acknowledge the reporter"
        else:
            done_by_message_from = acknowledgement_due(timer.created_at, limits)
            due, what = feedback_due(timer.created_at, limits), "give the reporter feedback"
        if any(at >= done_by_message_from for at in messages[case.pk]):
            continue
        batch += case_messages(
            case=case,
            recipients=[case.handler],
            kind=Kind.REPORTER_FEEDBACK,
            title=f"Case {case.reference}: {what} by {day(due)}",
        )
    notify_each(batch)


@handles(CaseTimer.REMOVAL_OVERDUE)
def removal_requests_overdue(*, timers, now):
    """Mark each removal request still pending past its deadline as overdue, once (the conditional update
    on overdue_notified_at is the claim), note it on the case timeline and tell the case handler and the
    person who recorded it (clause 2.5)."""
    batch = []
    waiting = RemovalRequest.objects.filter(
        pk__in={t.subject_id for t in timers},
        status=RemovalRequest.Status.PENDING,
        overdue_notified_at__isnull=True,
    )
    ids = list(waiting.select_for_update().values_list("pk", flat=True))
    if not ids or not waiting.filter(pk__in=ids).update(overdue_notified_at=now):
        return
    requests = list(
        RemovalRequest.objects.filter(pk__in=ids, overdue_notified_at=now).select_related(
            "case__handler", "recorded_by"
        )
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=request.case,
            kind=CaseEvent.Kind.ACTION,
            actor=None,
            at=now,
            text=(
                f"Removal request to {request.requested_from} of {day(request.sent_on)} is overdue: "
                f"no removal was confirmed by {day(request.deadline)} (clause 2.5)."
            ),
        )
        for request in requests
    )
    for request in requests:
        batch += case_messages(
            case=request.case,
            recipients=[request.case.handler, request.recorded_by],
            kind=Kind.ACTION_DUE,
            title=f"Case {request.case.reference}: a removal request is overdue",
            about=request,
        )
    notify_each(batch)
