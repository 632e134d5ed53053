"""What the reporter does on their case after raising it: send a message to those handling it, add
evidence, withdraw it; and when they will hear (clause 9).

Each service takes `by`, the reporting User, or None for an anonymous reporter (who has no account and is
found by their receipt key by the caller): with None, the case must name no reporter (and evidence they
add is stored with no uploader). Each change writes
its timeline event (shown to the reporter) and audit entry in one transaction, and tells those who answer
the reporter (cases.notify.answerers); the subject of a concern is never told.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from audit.services import step_record
from core.errors import DomainError
from reminders.models import Limits
from reminders.sweep import timers_of

from . import access, notify, services
from .evidence import evidence_store
from .models import MOVES, Case, CaseEvent
from .timers import CaseTimer, acknowledgement_due, feedback_due

WITHDRAW = MOVES["withdraw"]


def _lock_as_reporter(case, by, what):
    case = Case.objects.select_for_update().get(pk=case.pk)
    allowed = case.is_anonymous if by is None else access.is_reporter_of(by, case)
    if not allowed:
        raise DomainError(f"Only the reporter of a concern can {what}.")
    if case.anonymised_at is not None:
        raise DomainError("This concern's details have been deleted under the retention schedule.")
    return case


@transaction.atomic
def reporter_send_message(*, case, text, by):
    """A message from the reporter to those handling the case. It waits for an answer in their work queue
    until one of them messages the reporter (cases.services.case_message_reporter)."""
    case = _lock_as_reporter(case, by, "send a message on it")
    if case.is_closed:  # Nobody is handling it to answer: a new concern is raised instead.
        raise DomainError("This concern is closed: you cannot send a message on it. Raise a new concern.")
    text = (text or "").strip()
    if not text:
        raise DomainError("Write the message before sending it.")
    event = step_record(
        CaseEvent(
            case=case, kind=CaseEvent.Kind.REPORTER_MESSAGE, actor=by, text=text, visible_to_reporter=True
        ),
        actor=by,
        case=case,
        what=f"the reporter sent a message on {case.reference}",
    )
    if case.reporter_waiting_since is None:
        case.reporter_waiting_since = event.at
        case.save(update_fields=["reporter_waiting_since", "updated_at"])
    notify.from_reporter_notify(case=case, by=by, what="sent a message")
    return event


@transaction.atomic
def reporter_add_evidence(*, case, files, by, note=""):
    """More evidence from the reporter while the case is open, with the checks and sealing of raising
    (cases.evidence.evidence_store); `note` says what it shows. All or nothing."""
    case = _lock_as_reporter(case, by, "add evidence to it")
    if case.is_closed:
        raise DomainError("This concern is closed: evidence can no longer be added. Raise a new concern.")
    saved = evidence_store(case=case, by=by, files=files)
    names = ", ".join(evidence.original_name for evidence in saved)
    note = (note or "").strip()
    step_record(
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.EVIDENCE,
            actor=by,
            text=f"The reporter added evidence: {names}" + (f"\n\n{note}" if note else ""),
            visible_to_reporter=True,
        ),
        actor=by,
        case=case,
        what=f"the reporter added evidence to {case.reference}: {names}",
    )
    notify.from_reporter_notify(case=case, by=by, what="added evidence")
    return saved


def withdrawal_refusal(case):
    """Why the reporter cannot withdraw the case now, or None if they can (the stages are the withdraw
    move's, cases.workflow.MOVES)."""
    if case.withdrawn_at is not None:
        if case.is_closed:
            return "You have withdrawn this concern."
        return (
            "You withdrew this concern and it was continued, as the policy requires in some cases: it cannot "
            "be withdrawn again. You can still send a message to the people handling it."
        )
    if case.is_closed:
        return "This concern is closed."
    if case.stage not in WITHDRAW.sources:
        return (
            "This concern has been passed to the Head of Business and Governance for a governance review: "
            "it can no longer be withdrawn. You can still send a message to the people handling it."
        )
    return None


@transaction.atomic
def reporter_withdraw(*, case, reason, by):
    """The reporter withdraws the concern, with their reason: it is closed at triage as withdrawn, and the
    handler is told, who may continue it where the policy requires it (reopen_triage, with a reason: a
    safeguarding matter, a concern about a colleague that must be looked into)."""
    case = _lock_as_reporter(case, by, "withdraw it")
    refusal = withdrawal_refusal(case)
    if refusal:
        raise DomainError(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why you want to withdraw your concern.")
    case = services.move_apply(case=case, by=by, spec=WITHDRAW, reason=f"Their reason: {reason}")
    case.withdrawn_at = case.stage_changed_at
    case.save(update_fields=["withdrawn_at", "updated_at"])
    notify.case_withdrawn_notify(case=case, by=by)
    return case


# --- When the reporter will hear ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReporterDates:
    """By when the reporter is acknowledged and given feedback, and when they were (None: not yet).
    No feedback date once the case is closed: closing it is the feedback (cases.timers)."""

    acknowledge_by: datetime.datetime
    acknowledged_at: datetime.datetime | None
    feedback_by: datetime.datetime | None
    feedback_at: datetime.datetime | None


def reporter_dates(*, case):
    """The reporter's dates, from the clocks the timers keep (their created_at, cases.timers): a closed
    case that was reopened counts its feedback from the reopening."""
    limits = Limits.current()
    clocks = dict.fromkeys((CaseTimer.REPORTER_ACKNOWLEDGEMENT, CaseTimer.REPORTER_FEEDBACK), case.created_at)
    for kind, started_at in (
        timers_of(case).filter(kind__in=list(clocks)).order_by("created_at").values_list("kind", "created_at")
    ):
        clocks[kind] = started_at
    messages = list(
        case.events.filter(kind=CaseEvent.Kind.MESSAGE).order_by("at").values_list("at", flat=True)
    )

    def first_from(start):
        return next((at for at in messages if at >= start), None)

    acknowledge_from = clocks[CaseTimer.REPORTER_ACKNOWLEDGEMENT]
    feedback_from = clocks[CaseTimer.REPORTER_FEEDBACK]
    closed = case.is_closed
    return ReporterDates(
        acknowledge_by=acknowledgement_due(acknowledge_from, limits),
        acknowledged_at=first_from(acknowledge_from),
        feedback_by=None if closed else feedback_due(feedback_from, limits),
        feedback_at=None if closed else first_from(acknowledgement_due(feedback_from, limits)),
    )
