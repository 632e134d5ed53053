"""The timers of playbook steps: each open step of a case citing its clause reminds the handler on the day
it falls due and, missed, is escalated to the Head of Business and Governance the day after.

A step's clock starts at its start point (PlaybookStep.Start): when the concern is raised with the clause
cited, or when the case is referred. Its timers are about the case, one per step (the note names it):
cases.timers starts them at those moments, and they stop when the step is done (its action recorded, or
considered), when the case is closed or when the step is deleted. Each handler checks again at fire time.
"""

import datetime

from django.db import models
from django.db.models import Min
from django.utils import timezone

from core.text import day
from notifications.models import Kind
from notifications.services import notify_each
from people.roles import Role
from people.selectors import role_holders
from reminders.calendar import add_working_days
from reminders.models import Timer
from reminders.sweep import handles, timers_cancel, timers_of, timers_waiting

from .models import (
    CLOSED_STAGES,
    Case,
    CaseClause,
    CaseEvent,
    DisciplinaryReferral,
    LegalAdvice,
    PlatformNotice,
    PoliceReferral,
    RemovalRequest,
    Stage,
)
from .notify import case_messages
from .playbook_models import ActionKind, PlaybookStep, StepConsidered


class PlaybookTimer(models.TextChoices):
    STEP_DUE = "playbook_step_due", "Remind the handler: a playbook step falls due"
    STEP_MISSED = "playbook_step_missed", "Escalate a missed playbook step to the governance head"


PLAYBOOK_TIMERS = tuple(PlaybookTimer)

# Each action a step may expect: its record, and the field of the day it was done.
ACTION_RECORDS = {
    ActionKind.REMOVAL_REQUEST: (RemovalRequest, "sent_on"),
    ActionKind.PLATFORM_NOTICE: (PlatformNotice, "sent_on"),
    ActionKind.POLICE_REFERRAL: (PoliceReferral, "referred_on"),
    ActionKind.DISCIPLINARY_REFERRAL: (DisciplinaryReferral, "recorded_at"),
    ActionKind.LEGAL_ADVICE: (LegalAdvice, "advised_on"),
}


def day_start(value):
    """The local midnight that starts the day `value`."""
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def step_note(step_id):
    return f"step {step_id}"


def _step_id(timer):
    return int(timer.note.removeprefix("step "))


def step_due_on(step, started_at):
    """The day a step falls due: its working days after its start. It is missed from the next day."""
    return timezone.localdate(add_working_days(started_at, step.working_days))


def as_day(value):
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


# --- Starting and stopping ----------------------------------------------------------------------------


def _steps_for(cases, start):
    """{case: [its steps with this start point]}, for cases of one or several policies."""
    cited = {}
    for case_id, number, policy_id in CaseClause.objects.filter(case__in=cases).values_list(
        "case_id", "number", "case__policy_version__policy_id"
    ):
        cited.setdefault((policy_id, number), []).append(case_id)
    if not cited:
        return {}
    steps = PlaybookStep.objects.filter(
        starts_from=start,
        policy_id__in={policy for policy, _ in cited},
        clause_number__in={number for _, number in cited},
    )
    found = {case.pk: [] for case in cases}
    for step in steps:
        for case_id in cited.get((step.policy_id, step.clause_number), []):
            found[case_id].append(step)
    return found


def playbook_timers_start(*, case, start, started_at):
    """Start the timers of the case's steps that start now (`start`, at `started_at`). A step that already
    had its timers on this case (a case referred again after reopening) keeps them: a step is done once."""
    _create([(case, _steps_for([case], start).get(case.pk, []), started_at)])


def _create(starts):
    """The timers of each (case, its steps, when their clock started), in a fixed number of queries."""
    cases = [case for case, steps, _ in starts if steps]
    if not cases:
        return
    existing = set(
        timers_of(*cases).filter(kind__in=PLAYBOOK_TIMERS).values_list("subject_id", "note").distinct()
    )
    timers = []
    for case, steps, started_at in starts:
        for step in steps:
            note = step_note(step.pk)
            if (case.pk, note) in existing:
                continue
            due_on = step_due_on(step, started_at)
            missed_from = due_on + datetime.timedelta(days=1)
            timers += [
                Timer(kind=PlaybookTimer.STEP_DUE, subject=case, note=note, due_at=day_start(due_on)),
                Timer(kind=PlaybookTimer.STEP_MISSED, subject=case, note=note, due_at=day_start(missed_from)),
            ]
    Timer.objects.bulk_create(timers, batch_size=1000)


def playbook_timers_on_new_step(*, step):
    """A step added to a playbook: the open cases citing its clause whose start point has passed get its
    timers, counted from that start point."""
    cases = Case.objects.filter(
        policy_version__policy=step.policy_id, clauses__number=step.clause_number
    ).exclude(stage__in=CLOSED_STAGES)
    if step.starts_from == PlaybookStep.Start.REFERRED:
        cases = cases.filter(events__kind=CaseEvent.Kind.STAGE, events__to_stage=Stage.REFERRED).annotate(
            started_at=Min("events__at")
        )
    else:
        cases = cases.annotate(started_at=models.F("created_at"))
    cases = list(cases.only("id").distinct())
    for start in range(0, len(cases), 1000):
        _create([(case, [step], case.started_at) for case in cases[start : start + 1000]])


def playbook_timers_on_action(*, case, kind):
    """An action was recorded: the steps that expected it are done."""
    steps = PlaybookStep.objects.filter(action=kind).values_list("pk", flat=True)
    timers_cancel(case, kind__in=PLAYBOOK_TIMERS, note__in=[step_note(pk) for pk in steps])


def playbook_timers_on_considered(*, case, step):
    timers_cancel(case, kind__in=PLAYBOOK_TIMERS, note=step_note(step.pk))


def playbook_timers_on_close(*, case):
    timers_cancel(case, kind__in=PLAYBOOK_TIMERS)


def playbook_timers_on_step_deleted(*, step_id):
    timers_waiting().filter(kind__in=PLAYBOOK_TIMERS, note=step_note(step_id)).update(
        cancelled_at=timezone.now()
    )


# --- Handlers -------------------------------------------------------------------------------------------


def actions_done(case_ids):
    """{(case id, action kind): the first day it was done}, for these cases: a query per kind of action."""
    done = {}
    for kind, (model, field) in ACTION_RECORDS.items():
        rows = model.objects.filter(case_id__in=case_ids).values_list("case_id").annotate(first=Min(field))
        for case_id, first in rows.order_by():
            done[(case_id, kind)] = as_day(first)
    return done


def _open_steps(timers):
    """[(timer, case, step)] for the timers whose step is still open on a case still open."""
    cases = {
        case.pk: case
        for case in Case.objects.filter(pk__in={t.subject_id for t in timers})
        .exclude(stage__in=CLOSED_STAGES)
        .select_related("handler")
        .only("id", "reference", "subject_person_id", "handler__id", "handler__is_active")
    }
    steps = PlaybookStep.objects.in_bulk({_step_id(t) for t in timers})
    done = actions_done(list(cases))
    considered = set(
        StepConsidered.objects.filter(case_id__in=cases, step_id__in=steps).values_list("case_id", "step_id")
    )
    found = []
    for timer in timers:
        case, step = cases.get(timer.subject_id), steps.get(_step_id(timer))
        if case is None or step is None:
            continue
        if (case.pk, step.action) in done or (case.pk, step.pk) in considered:
            continue
        found.append((timer, case, step))
    return found


@handles(PlaybookTimer.STEP_DUE)
def playbook_steps_due(*, timers, now):
    """Remind each open case's handler of a playbook step that falls due today."""
    batch = []
    for _timer, case, step in _open_steps(timers):
        batch += case_messages(
            case=case,
            recipients=[case.handler],
            kind=Kind.ACTION_DUE,
            title=f"Case {case.reference}: a step of the clause {step.clause_number} playbook is due today",
        )
    notify_each(batch)


@handles(PlaybookTimer.STEP_MISSED)
def playbook_steps_missed(*, timers, now):
    """A step still open the day after it fell due was missed: the timeline says so, and the Head of
    Business and Governance is told (3.1)."""
    missed = _open_steps(timers)
    if not missed:
        return
    heads = list(role_holders(Role.GOVERNANCE))
    events, batch = [], []
    for timer, case, step in missed:
        due_on = timezone.localdate(timer.due_at) - datetime.timedelta(days=1)
        events.append(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.ESCALATED,
                actor=None,
                at=now,
                text=f"Playbook step missed (clause {step.clause_number}): {step.label}, due {day(due_on)}.",
            )
        )
        batch += case_messages(
            case=case,
            recipients=heads,
            kind=Kind.ESCALATION,
            title=f"Case {case.reference}: a step of the clause {step.clause_number} playbook was missed",
        )
    CaseEvent.objects.bulk_create(events)
    notify_each(batch)
