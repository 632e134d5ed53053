"""Each role's work queues on the home page, from cases (focuspolicy.work says who sees which): each bounded
to the most urgent QUEUE_ROWS with a capped count, and compiled once per process for each shape of the
person's rights (reminders.due.QueueQueries)."""

import datetime
import functools

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core.paths import path_for_pk
from core.text import day
from people.roles import Role
from reminders.due import QueueQueries, WorkItem
from reminders.models import Limits, Timer

from . import access
from .models import (
    AWAITING_DECISION,
    CLOSED_STAGES,
    GOVERNANCE_STAGES,
    TRIAGE_STAGES,
    Case,
    DisciplinaryReferral,
    RemovalRequest,
)
from .selectors import leavers_open_cases_of, manages_all_cases, referrals_seen_by, sees_referrals
from .timers import CaseTimer, feedback_due

_CASE_TYPE = ContentType.objects.filter(app_label=Case._meta.app_label, model=Case._meta.model_name)


def _timer(kind, field):
    """A case's latest timer of `kind` that still stands (not cancelled): its `field`. Read through the
    timers' unique index, subject first."""
    return Subquery(
        Timer.objects.filter(
            # The content type by a subquery, not its id: the queues' queries are compiled once per process.
            subject_type=Subquery(_CASE_TYPE.values("pk")[:1]),
            subject_id=OuterRef("pk"),
            kind=kind,
            cancelled_at__isnull=True,
        )
        .order_by("-created_at")
        .values(field)[:1]
    )


def _each_shape(waiting, shown, model=Case):
    """A queue's QueueQueries for those who manage every case and for the others (access.cases_handled_by):
    `waiting(user_id, every_case)`."""
    return {
        every_case: QueueQueries(model, functools.partial(waiting, every_case=every_case), shown)
        for every_case in (True, False)
    }


_TRIAGE = _each_shape(
    lambda user_id, every_case: access.cases_handled_by_id(user_id, every_case=every_case).filter(
        stage__in=TRIAGE_STAGES, handler=user_id
    ),
    lambda cases: cases.only("id", "reference", "stage", "due_on").order_by("due_soonest", "pk"),
)


def triage_work(*, user):
    """Cases routed, reassigned or escalated to this person and waiting for triage (as triage_queue), by
    their deadline (Case.due_on: the triage timer's day, the triage limit in working days, Limits)."""
    return _TRIAGE[manages_all_cases(user)].queue(
        "triage",
        "Cases awaiting triage",
        [user.pk],
        lambda case: WorkItem(
            case.reference, case.get_absolute_url(), f"{case.get_stage_display()}: triage", case.due_on
        ),
        reverse("cases:triage_queue"),
        empty=not user.is_active,
    )


_REPORTER_FEEDBACK = _each_shape(
    lambda user_id, every_case: (
        access.cases_handled_by_id(user_id, every_case=every_case)
        .filter(handler=user_id)
        .exclude(stage__in=CLOSED_STAGES)
        .annotate(clock=_timer(CaseTimer.REPORTER_FEEDBACK, "created_at"))
        .filter(clock__isnull=False)
    ),
    lambda cases: cases.only("id", "reference").order_by("clock", "pk"),
)


def reporter_feedback_work(*, user):
    """Open cases this person handles whose reporter is still owed feedback: 3 months (Limits
    reporter_feedback_months) from the clock's start, unless a message or closing gave it (cases.timers)."""
    limits = SimpleLazyObject(Limits.current)  # read only if there are rows

    return _REPORTER_FEEDBACK[manages_all_cases(user)].queue(
        "reporter_feedback",
        "Reporter feedback due",
        [user.pk],
        lambda case: WorkItem(
            case.reference,
            case.get_absolute_url(),
            "Give the reporter feedback",
            feedback_due(case.clock, limits),
        ),
        empty=not user.is_active,
    )


def reporter_messages_work(*, user):
    """Messages from reporters awaiting an answer, on the cases this person answers (cases.notify.answerers:
    those they handle, and for the governance head those in the governance stages), the longest waiting
    first. A message to the reporter answers them (cases.services.case_message_reporter)."""
    return _REPORTER_MESSAGES[manages_all_cases(user)].queue(
        "reporter_messages",
        "Messages from reporters awaiting an answer",
        [user.pk],
        lambda case: WorkItem(
            case.reference,
            f"{case.get_absolute_url()}#timeline-heading",
            f"Answer the reporter (waiting since {day(case.reporter_waiting_since)})",
        ),
        empty=not user.is_active,
    )


def _answered_by(user_id, every_case):
    mine = Q(handler=user_id)
    if every_case:  # the governance head answers in the governance stages too
        mine |= Q(stage__in=GOVERNANCE_STAGES)
    cases = access.cases_handled_by_id(user_id, every_case=every_case)
    return cases.filter(mine, reporter_waiting_since__isnull=False)


_REPORTER_MESSAGES = _each_shape(
    _answered_by,
    lambda cases: cases.only("id", "reference", "reporter_waiting_since").order_by(
        "reporter_waiting_since", "pk"
    ),
)


def governance_review_work(*, user):
    """Referred cases and those under review, waiting for the governance head's decision, by their deadline
    (Case.due_on: the review timer's day, Limits governance_reminder_working_days)."""
    if not user.has_perm("cases.manage_all_cases"):
        return None
    return _GOVERNANCE_REVIEW.queue(
        "governance_review",
        "Cases awaiting governance review",
        [user.pk],
        lambda case: WorkItem(
            case.reference, case.get_absolute_url(), f"{case.get_stage_display()}: decide", case.due_on
        ),
        reverse("cases:governance_queue"),
        empty=not user.is_active,
    )


# Not governance_queue(...).filter(...): with both stage lists PostgreSQL misjudged the rows and sorted every
# referred case; alone, this list walks case_governance_queue_idx (its stages are among its own).
_GOVERNANCE_REVIEW = QueueQueries(
    Case,
    lambda user_id: (
        access.cases_handled_by_id(user_id, every_case=True)
        .filter(stage__in=AWAITING_DECISION)
        .order_by("stage_changed_at", "pk")
    ),
    lambda cases: cases.only("id", "reference", "stage", "due_on"),
)


def removal_deadlines_work(*, user):
    """Removal requests still awaiting removal, due or missed (clause 2.5), on cases the person manages,
    the earliest deadline first."""
    if not user.has_perm("cases.manage_all_cases"):
        return None
    return _REMOVAL_DEADLINES.queue(
        "removal_deadlines",
        "Removal deadlines (2.5)",
        [user.pk],
        lambda request: WorkItem(
            request.case.reference,
            request.case.get_absolute_url(),
            f"Removal requested from {request.requested_from} (2.5)",
            request.deadline,
        ),
        empty=not user.is_active,
    )


_REMOVAL_DEADLINES = QueueQueries(
    RemovalRequest,
    lambda user_id: RemovalRequest.objects.filter(
        status=RemovalRequest.Status.PENDING, case__in=access.cases_handled_by_id(user_id, every_case=True)
    ),
    lambda requests: (
        requests.select_related("case")
        .only("id", "deadline", "requested_from", "case__reference")
        .order_by("deadline", "pk")
    ),
)


def breach_decisions_work(*, user):
    """Possible personal data breaches still waiting for the decision whether to report them to the ICO,
    with the hours left of the 72 (UK GDPR article 33; Limits breach_decision_hours)."""
    limits = SimpleLazyObject(Limits.current)  # read only if there are rows
    every_case = manages_all_cases(user)
    # As access.cases_for_breach_decision: the governance head's every flagged case, or those granted to
    # the Head of Information & Security while they hold the role; nothing for anyone else.
    may_decide = user.is_active and (every_case or user.has_role(Role.INFOSEC))

    return _BREACH_DECISIONS[every_case].queue(
        "breach_decisions",
        "Personal data breach decisions",
        [user.pk],
        lambda case: WorkItem(
            case.reference,
            f"{case.get_absolute_url()}#breach-heading",
            "Decide whether to report to the ICO",
            case.personal_data_breach_at + datetime.timedelta(hours=limits.breach_decision_hours),
            in_hours=True,
        ),
        empty=not may_decide,
    )


_BREACH_DECISIONS = _each_shape(
    lambda user_id, every_case: access.cases_for_breach_decision_by_id(user_id, every_case=every_case).filter(
        breach_decision__isnull=True
    ),
    lambda cases: cases.only("id", "reference", "personal_data_breach_at").order_by(
        "personal_data_breach_at", "pk"
    ),
)


# What a row says of a handler (User.__str__).
_HANDLER_NAME = ("handler__first_name", "handler__last_name", "handler__username")


def leavers_work(*, user):
    """Open cases whose handler has left, to reassign: no deadline, the oldest first."""
    return _LEAVERS.queue(
        "leavers",
        "Open cases of people who have left",
        [user.pk, timezone.localdate()],
        lambda case: WorkItem(case.reference, case.get_absolute_url(), f"Reassign: {case.handler} has left"),
        f"{reverse('cases:governance_queue')}#leavers",
        empty=not manages_all_cases(user),
    )


_LEAVERS = QueueQueries(
    Case,
    leavers_open_cases_of,
    # Only what the row shows: the case's every column and its team's cost more Python than the query.
    lambda cases: (
        cases.select_related(None).select_related("handler").only("id", "reference", *_HANDLER_NAME)
    ),
)


def referrals_awaiting_record_work(*, user):
    """Referrals to HR from which no disciplinary record has been opened yet, the oldest first; only for
    those who may open records (HR)."""
    if not user.has_perm("discipline.manage_disciplinary_records"):
        return None
    return _REFERRALS_AWAITING_RECORD.queue(
        "referrals",
        "Referrals awaiting a disciplinary record",
        [user.pk],
        lambda referral: WorkItem(
            referral.case.reference,
            path_for_pk("cases:referral", referral.pk),
            f"Open a disciplinary record ({referral.get_severity_display().lower()} referral)",
        ),
        reverse("cases:referrals"),
        empty=not sees_referrals(user),
    )


def _awaiting_record(user_id):
    # NOT EXISTS rather than a LEFT JOIN … IS NULL: an anti-join PostgreSQL estimates well, so it walks the
    # referrals in date order and stops at the 25th without a record, instead of joining them all.
    record = DisciplinaryReferral._meta.get_field("disciplinary_record").related_model
    return referrals_seen_by(user_id).exclude(Exists(record.objects.filter(referral=OuterRef("pk"))))


_REFERRALS_AWAITING_RECORD = QueueQueries(
    DisciplinaryReferral,
    _awaiting_record,
    lambda referrals: (
        referrals.select_related(None)
        .select_related("case")
        .only("id", "severity", "case__reference")
        .order_by("recorded_at", "pk")
    ),
)
