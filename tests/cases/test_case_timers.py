"""Case timers in time: triage reminders and escalation, the governance review reminder, the reporter's
acknowledgement and feedback warnings, and overdue removal requests (clause 2.5). Time is travelled
with time-machine; the sweep is reminders.sweep.sweep_timers, as beat runs it."""

import datetime
import io
import threading
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import access, actions, services
from cases.models import Case, CaseEvent, Outcome, RemovalRequest, Route, Stage, SubjectKind
from cases.timers import CaseTimer, timers_of_case
from notifications.models import Kind, Notification
from reminders.models import Limits
from reminders.sweep import sweep_timers

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")

# The fixtures that raise cases and move them along, shared with the case tests.


def at(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def sweep(when):
    with time_machine.travel(when, tick=False):
        return sweep_timers()


def told(kind=None, **filters):
    """Notifications about cases (policy notifications, e.g. to acknowledge it, aside)."""
    notifications = Notification.objects.filter(link__startswith="/cases/", **filters)
    return notifications.filter(kind=kind) if kind else notifications


def due(case, kind):
    return timers_of_case(case).get(kind=kind, cancelled_at=None).due_at


@pytest.fixture
def raise_at(raise_case, staff, other_staff, governance):
    """raise_at(when): `staff` reports `staff2` at that moment; the case goes to `supervisor`."""

    def _raise(when, reporter=None, **fields):
        fields = {
            "subject_kind": SubjectKind.COLLEAGUE,
            "subject_person": other_staff,
            "subject_description": "",
            **fields,
        }
        with time_machine.travel(when, tick=False):
            return raise_case(reporter or staff, **fields)

    return _raise


def act(when, function, **kwargs):
    with time_machine.travel(when, tick=False):
        return function(**kwargs)


def move(when, case, by, name, **kwargs):
    extra = {"reason": "Recorded for the test."} if name not in ("start_triage", "start_review") else {}
    return act(when, services.case_move, case=case, by=by, move=name, **extra, **kwargs)


# --- Triage: a reminder at 2 working days ---------------------------------------------------------------


def test_a_case_raised_on_friday_afternoon_is_due_for_triage_on_tuesday_afternoon(raise_at, supervisor):
    case = raise_at(at(2026, 3, 6, 16))  # a Friday
    assert due(case, CaseTimer.TRIAGE_REMINDER) == at(2026, 3, 10, 16)
    assert due(case, CaseTimer.TRIAGE_ESCALATION) == at(2026, 3, 12, 16)

    assert sweep(at(2026, 3, 9, 16)) == 0  # Monday: one working day only
    assert sweep(at(2026, 3, 10, 15, 59)) == 0
    assert not told(Kind.TRIAGE_REMINDER).exists()

    assert sweep(at(2026, 3, 10, 16)) == 1
    reminder = told(Kind.TRIAGE_REMINDER).get()
    assert reminder.recipient == supervisor
    assert reminder.title == f"Case {case.reference} is waiting for your triage"
    assert reminder.link == case.get_absolute_url()


def test_the_easter_bank_holidays_and_the_weekend_are_not_working_days(raise_at):
    # Good Friday 26 March and Easter Monday 29 March 2027; the clocks go forward on the Sunday.
    case = raise_at(at(2027, 3, 25, 16))
    assert due(case, CaseTimer.TRIAGE_REMINDER) == at(2027, 3, 31, 16)
    assert due(case, CaseTimer.TRIAGE_ESCALATION) == at(2027, 4, 2, 16)

    sweep(at(2027, 3, 30, 16))
    assert not told(Kind.TRIAGE_REMINDER).exists()
    sweep(at(2027, 3, 31, 16))
    assert told(Kind.TRIAGE_REMINDER).count() == 1
    sweep(at(2027, 4, 1, 16))
    assert not told(Kind.ESCALATION).exists()
    sweep(at(2027, 4, 2, 16))
    assert told(Kind.ESCALATION).exists()


def test_christmas_and_new_year_are_not_working_days(raise_at):
    # Christmas Friday 25 December 2026, Boxing Day observed Monday 28, New Year's Day Friday 1 January.
    case = raise_at(at(2026, 12, 24, 10))
    assert due(case, CaseTimer.TRIAGE_REMINDER) == at(2026, 12, 30, 10)
    assert due(case, CaseTimer.TRIAGE_ESCALATION) == at(2027, 1, 4, 10)

    sweep(at(2026, 12, 29, 10))
    assert not told(Kind.TRIAGE_REMINDER).exists()
    sweep(at(2026, 12, 30, 10))
    assert told(Kind.TRIAGE_REMINDER).count() == 1
    sweep(at(2027, 1, 1, 10))
    assert not told(Kind.ESCALATION).exists()
    sweep(at(2027, 1, 4, 10))
    assert told(Kind.ESCALATION).exists()


def test_starting_triage_does_not_stop_the_clock(raise_at, supervisor):
    case = raise_at(at(2026, 3, 2, 9))
    move(at(2026, 3, 3, 9), case, supervisor, "start_triage")
    sweep(at(2026, 3, 4, 9))
    assert told(Kind.TRIAGE_REMINDER, recipient=supervisor).count() == 1


@pytest.mark.parametrize("moves", [["start_triage", "close_at_triage"], ["start_triage", "refer"]])
def test_a_triaged_case_is_neither_reminded_nor_escalated(raise_at, supervisor, moves):
    case = raise_at(at(2026, 3, 2, 9))
    for name in moves:
        case = move(at(2026, 3, 3, 9), case, supervisor, name)
    assert (
        not timers_of_case(case)
        .filter(kind__in=["triage_reminder", "triage_escalation"])
        .filter(cancelled_at=None)
    )
    sweep(at(2026, 3, 30, 9))
    assert not told(Kind.TRIAGE_REMINDER, recipient=supervisor).exists()
    assert not told(Kind.ESCALATION).exists()
    assert Case.objects.get(pk=case.pk).handler == supervisor


def test_the_sweep_checks_again_that_the_case_still_waits_for_triage(raise_at):
    """A timer that somehow outlived its case's triage does nothing when it fires."""
    case = raise_at(at(2026, 3, 2, 9))
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED_AT_TRIAGE, outcome=Outcome.NO_FURTHER_ACTION)
    assert sweep(at(2026, 3, 6, 9)) == 2
    assert not told(Kind.TRIAGE_REMINDER).exists()
    assert not told(Kind.ESCALATION).exists()
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ESCALATED).exists()


# --- Triage: escalation at 4 working days -----------------------------------------------------------------


def test_an_untriaged_case_is_escalated_to_the_head_of_service(
    raise_at, supervisor, head_of_service, governance, other_staff, django_capture_on_commit_callbacks
):
    case = raise_at(at(2026, 3, 2, 9))  # a Monday
    sweep(at(2026, 3, 4, 9))
    assert not told(Kind.ESCALATION).exists()
    assert sweep(at(2026, 3, 6, 8, 59)) == 0
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(at(2026, 3, 6, 9)) == 1

    case.refresh_from_db()
    assert case.handler == head_of_service
    assert case.stage == Stage.SUBMITTED
    assert access.case_relation(head_of_service, case) == access.HANDLER
    assert access.case_relation(supervisor, case) is None  # handed over, as a reassignment does

    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.ESCALATED)
    assert event.actor is None
    assert not event.visible_to_reporter
    assert event.text.startswith("Not triaged within 4 working days: escalated from")
    assert str(head_of_service) in event.text

    to_head = told(Kind.ESCALATION, recipient=head_of_service).get()
    assert to_head.title == (
        f"Case {case.reference} has been escalated to you: it was not triaged within 4 working days"
    )
    assert told(Kind.ESCALATION, recipient=governance).count() == 1
    assert not told(recipient=other_staff).exists()  # the subject is never told

    assert sorted(m.to[0] for m in mail.outbox) == sorted([head_of_service.email, governance.email])
    for message in mail.outbox:
        assert case.get_absolute_url() in message.body
        assert case.description not in message.body
        assert other_staff.last_name not in message.body + message.subject
        assert "Facebook" not in message.body + message.subject


def test_the_escalation_goes_to_governance_when_the_head_of_service_already_handles_the_case(
    raise_at, head_of_service, governance
):
    # Not about staff2, whom the Head of Service manages (they could not handle it: cases.conflicts).
    case = raise_at(
        at(2026, 3, 2, 9),
        route=Route.HEAD_OF_SERVICE,
        subject_kind=SubjectKind.PUBLIC,
        subject_person=None,
        subject_description="A page called 'Local News'",
    )
    assert case.handler == head_of_service
    sweep(at(2026, 3, 6, 9))
    case.refresh_from_db()
    assert case.handler == governance
    escalations = told(Kind.ESCALATION, recipient=governance)
    assert escalations.count() == 1  # told once, as the new handler
    assert "escalated to you" in escalations.get().title
    assert told(Kind.ESCALATION, recipient=head_of_service).count() == 0
    assert "the Head of Business and Governance" in CaseEvent.objects.get(kind=CaseEvent.Kind.ESCALATED).text


def test_a_head_of_service_who_is_the_subject_is_never_told_of_the_escalation(
    raise_case, staff, supervisor, head_of_service, governance
):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        case = raise_case(
            staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=head_of_service, subject_description=""
        )
    assert case.handler == supervisor
    sweep(at(2026, 3, 6, 9))
    case.refresh_from_db()
    assert case.handler == governance
    assert not told(recipient=head_of_service).exists()
    assert access.case_relation(head_of_service, case) is None


def test_with_nobody_else_to_take_it_the_escalation_is_still_recorded_and_governance_told(
    raise_at, governance, head_of_service
):
    # About the Head of Service, and the governance head took it on: nobody to escalate it to.
    case = raise_at(at(2026, 3, 2, 9), subject_person=head_of_service)
    act(
        at(2026, 3, 2, 10),
        services.case_reassign,
        case=case,
        by=governance,
        to=governance,
        reason="I will take this one.",
    )
    sweep(at(2026, 3, 6, 9))
    case.refresh_from_db()
    assert case.handler == governance
    assert CaseEvent.objects.get(kind=CaseEvent.Kind.ESCALATED).text == (
        "Not triaged within 4 working days: escalated to the Head of Business and Governance."
    )
    assert told(Kind.ESCALATION, recipient=governance).count() == 1


# --- Once, and only once ----------------------------------------------------------------------------------


def test_a_second_sweep_sends_nothing(raise_at, governance):
    case = raise_at(at(2026, 3, 2, 9))
    move(at(2026, 3, 2, 10), case, case.handler, "start_triage")
    assert sweep(at(2026, 3, 6, 9)) == 2
    count = Notification.objects.count()
    events = CaseEvent.objects.count()
    assert sweep(at(2026, 3, 6, 9)) == 0
    assert sweep(at(2026, 3, 6, 12)) == 0
    assert Notification.objects.count() == count
    assert CaseEvent.objects.count() == events


def test_two_sweeps_at_the_same_instant_fire_once(raise_at):
    raise_at(at(2026, 3, 2, 9))
    with time_machine.travel(at(2026, 3, 4, 9), tick=False):
        assert sweep_timers() == 1
        assert sweep_timers() == 0
    assert told(Kind.TRIAGE_REMINDER).count() == 1


def test_the_run_reminders_command_sweeps_the_timers_once(raise_at):
    raise_at(at(2026, 3, 2, 9))
    for expected in ("timers fired: 1", "timers fired: 0"):
        out = io.StringIO()
        with time_machine.travel(at(2026, 3, 4, 9), tick=False):
            call_command("run_reminders", stdout=out)
        assert expected in out.getvalue()
    assert told(Kind.TRIAGE_REMINDER).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL, as in CI")
@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_fire_each_timer_once(raise_at):
    raise_at(at(2026, 3, 2, 9))
    barrier = threading.Barrier(2)
    fired = []

    def worker():
        try:
            barrier.wait()
            fired.append(sweep_timers(now=at(2026, 3, 6, 9)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(fired) == 2  # the reminder and the escalation, each by one worker
    assert told(Kind.TRIAGE_REMINDER).count() == 1
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.ESCALATED).count() == 1


# --- Limits -------------------------------------------------------------------------------------------------


def test_the_organisation_limits_set_the_due_times(raise_at, supervisor, governance):
    limits = Limits.current()
    limits.triage_reminder_working_days = 1
    limits.triage_escalation_working_days = 3
    limits.governance_reminder_working_days = 5
    limits.reporter_acknowledgement_days = 10
    limits.reporter_feedback_months = 2
    limits.reporter_warning_days = 3
    limits.save()

    case = raise_at(at(2026, 3, 6, 16))  # a Friday
    assert due(case, CaseTimer.TRIAGE_REMINDER) == at(2026, 3, 9, 16)
    assert due(case, CaseTimer.TRIAGE_ESCALATION) == at(2026, 3, 11, 16)
    assert due(case, CaseTimer.REPORTER_ACKNOWLEDGEMENT) == at(2026, 3, 13, 16)
    assert due(case, CaseTimer.REPORTER_FEEDBACK) == at(2026, 5, 3, 16)
    case = move(at(2026, 3, 9, 10), case, supervisor, "start_triage")
    case = move(at(2026, 3, 9, 11), case, supervisor, "refer")
    assert due(case, CaseTimer.GOVERNANCE_REMINDER) == at(2026, 3, 16, 11)

    sweep(at(2026, 3, 16, 11))
    assert told(Kind.TRIAGE_REMINDER, recipient=governance).count() == 1
    assert "escalated" not in CaseEvent.objects.filter(case=case).values_list("kind", flat=True)


# --- Governance review: a reminder at 10 working days -------------------------------------------------------


def test_a_referred_case_without_a_decision_reminds_the_governance_head(raise_at, supervisor, governance):
    case = raise_at(at(2026, 3, 24, 9))
    case = move(at(2026, 3, 25, 9), case, supervisor, "start_triage")
    # Referred on Thursday 26 March 2026: ten working days, less Good Friday and Easter Monday.
    case = move(at(2026, 3, 26, 11), case, supervisor, "refer")
    assert due(case, CaseTimer.GOVERNANCE_REMINDER) == at(2026, 4, 13, 11)
    move(at(2026, 3, 27, 9), case, governance, "start_review")  # reviewing is not deciding

    sweep(at(2026, 4, 13, 10, 59))
    assert not told(Kind.TRIAGE_REMINDER, recipient=governance).exists()
    assert sweep(at(2026, 4, 13, 11)) == 1
    reminder = told(Kind.TRIAGE_REMINDER, recipient=governance).get()
    assert reminder.title == f"Case {case.reference} is waiting for your decision"
    assert sweep(at(2026, 4, 14, 11)) == 0
    assert told(Kind.TRIAGE_REMINDER, recipient=governance).count() == 1


@pytest.mark.parametrize("decision", ["start_action", "close"])
def test_a_decision_stops_the_governance_reminder(raise_at, supervisor, governance, decision):
    case = raise_at(at(2026, 3, 2, 9))
    case = move(at(2026, 3, 2, 10), case, supervisor, "start_triage")
    case = move(at(2026, 3, 2, 11), case, supervisor, "refer")
    case = move(at(2026, 3, 3, 9), case, governance, "start_review")
    extra = {"outcome": Outcome.NO_BREACH} if decision == "close" else {}
    move(at(2026, 3, 4, 9), case, governance, decision, **extra)
    sweep(at(2026, 3, 20, 9))
    assert not told(Kind.TRIAGE_REMINDER, recipient=governance).exists()


def test_the_governance_reminder_goes_to_every_governance_head_but_the_subject(
    raise_case, staff, supervisor, governance, second_governance_head
):
    second_head = second_governance_head
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        case = raise_case(
            staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=second_head, subject_description=""
        )
    case = move(at(2026, 3, 2, 10), case, supervisor, "start_triage")
    move(at(2026, 3, 2, 11), case, supervisor, "refer")
    sweep(at(2026, 3, 16, 11))
    assert told(Kind.TRIAGE_REMINDER, recipient=governance).count() == 1
    assert not told(recipient=second_head).exists()


# --- The reporter: acknowledgement within 7 days, feedback within 3 months ---------------------------------


@pytest.fixture
def referred_at(raise_at, supervisor):
    """A case raised and referred at once, so that no triage escalation changes its handler."""

    def _referred(when):
        case = raise_at(when)
        case = move(when, case, supervisor, "start_triage")
        return move(when, case, supervisor, "refer")

    return _referred


def test_the_handler_is_warned_before_the_reporter_must_be_acknowledged(referred_at, supervisor):
    case = referred_at(at(2026, 3, 2, 9))
    # Calendar days: due Monday 9 March, warned two days before, on the Saturday.
    assert due(case, CaseTimer.REPORTER_ACKNOWLEDGEMENT) == at(2026, 3, 7, 9)
    sweep(at(2026, 3, 7, 8, 59))
    assert not told(Kind.REPORTER_FEEDBACK).exists()
    sweep(at(2026, 3, 7, 9))
    warning = told(Kind.REPORTER_FEEDBACK, recipient=supervisor).get()
    assert warning.title == f"Case {case.reference}: acknowledge the reporter by 9 March 2026"
    sweep(at(2026, 3, 8, 9))
    assert told(Kind.REPORTER_FEEDBACK).count() == 1


def test_a_message_to_the_reporter_is_the_acknowledgement(raise_at, supervisor):
    case = raise_at(at(2026, 3, 2, 9))
    act(at(2026, 3, 3, 9), services.case_message_reporter, case=case, by=supervisor, text="Thank you.")
    sweep(at(2026, 3, 8, 9))
    assert not told(Kind.REPORTER_FEEDBACK).exists()


def test_the_handler_is_warned_before_feedback_is_due_unless_it_was_given(referred_at, supervisor):
    case = referred_at(at(2026, 3, 2, 9))
    # Three months on is 2 June 2026 (across the change to summer time): warned on 31 May.
    assert due(case, CaseTimer.REPORTER_FEEDBACK) == at(2026, 5, 31, 9)
    # Acknowledged the next day: that is not yet the feedback.
    act(at(2026, 3, 3, 9), services.case_message_reporter, case=case, by=supervisor, text="Thank you.")
    sweep(at(2026, 5, 31, 8, 59))
    assert not told(Kind.REPORTER_FEEDBACK).exists()
    sweep(at(2026, 5, 31, 9))
    warning = told(Kind.REPORTER_FEEDBACK, recipient=supervisor).get()
    assert warning.title == f"Case {case.reference}: give the reporter feedback by 2 June 2026"


def test_a_message_a_week_or_more_after_raising_is_the_feedback(raise_at, supervisor):
    case = raise_at(at(2026, 3, 2, 9))
    act(at(2026, 3, 9, 9), services.case_message_reporter, case=case, by=supervisor, text="We found ...")
    assert (
        not timers_of_case(case)
        .filter(kind__in=["reporter_acknowledgement", "reporter_feedback"])
        .filter(cancelled_at=None)
    )
    sweep(at(2026, 6, 30, 9))
    assert not told(Kind.REPORTER_FEEDBACK).exists()


def test_closing_the_case_stops_the_reporter_warnings(raise_at, supervisor):
    case = raise_at(at(2026, 3, 2, 9))
    move(at(2026, 3, 3, 9), case, supervisor, "close_at_triage")
    sweep(at(2026, 6, 30, 9))
    assert not told(Kind.REPORTER_FEEDBACK).exists()


def test_a_reopened_case_starts_new_rounds_of_its_timers(raise_at, supervisor):
    case = raise_at(at(2026, 3, 2, 9))
    act(at(2026, 3, 2, 10), services.case_message_reporter, case=case, by=supervisor, text="Thank you.")
    case = move(at(2026, 3, 3, 9), case, supervisor, "close_at_triage")
    case = move(at(2026, 3, 16, 9), case, supervisor, "reopen_triage")

    waiting = timers_of_case(case).filter(cancelled_at=None, fired_at=None)
    assert {(t.kind, t.note) for t in waiting} == {
        ("triage_reminder", "round 2"),
        ("triage_escalation", "round 2"),
        ("reporter_feedback", "round 2"),  # already acknowledged: no new acknowledgement warning
    }
    assert due(case, CaseTimer.TRIAGE_REMINDER) == at(2026, 3, 18, 9)
    assert due(case, CaseTimer.REPORTER_FEEDBACK) == at(2026, 6, 14, 9)
    assert sweep(at(2026, 3, 17, 9)) == 0
    assert sweep(at(2026, 3, 18, 9)) == 1
    assert told(Kind.TRIAGE_REMINDER, recipient=supervisor).count() == 1


# --- Removal requests (clause 2.5) -------------------------------------------------------------------------


@pytest.fixture
def under_review(raise_at, supervisor, governance):
    case = raise_at(at(2026, 3, 2, 9))
    case = move(at(2026, 3, 2, 10), case, supervisor, "start_triage")
    case = move(at(2026, 3, 2, 11), case, supervisor, "refer")
    return move(at(2026, 3, 2, 12), case, governance, "start_review")


def request_removal(case, governance, other_staff):
    return act(
        at(2026, 3, 9, 10),
        actions.removal_request_record,
        case=case,
        by=governance,
        requested_from=str(other_staff),
        staff_member=other_staff,
        sent_on=datetime.date(2026, 3, 9),
        deadline=datetime.date(2026, 3, 13),
    )


def test_a_removal_request_past_its_deadline_is_marked_overdue_once(
    under_review, supervisor, governance, other_staff, django_capture_on_commit_callbacks
):
    request = request_removal(under_review, governance, other_staff)
    assert due(under_review, CaseTimer.REMOVAL_OVERDUE) == at(2026, 3, 14)
    sweep(at(2026, 3, 13, 23, 59))
    assert not told(Kind.ACTION_DUE).exists()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sweep(at(2026, 3, 14))
    request.refresh_from_db()
    assert request.overdue_notified_at == at(2026, 3, 14)
    assert request.status == RemovalRequest.Status.PENDING
    assert {n.recipient for n in told(Kind.ACTION_DUE)} == {supervisor, governance}
    title = f"Case {under_review.reference}: a removal request is overdue"
    assert set(told(Kind.ACTION_DUE).values_list("title", flat=True)) == {title}
    assert not told(recipient=other_staff).exists()
    event = CaseEvent.objects.filter(case=under_review, kind=CaseEvent.Kind.ACTION).last()
    assert event.text.endswith("is overdue: no removal was confirmed by 13 March 2026 (clause 2.5).")
    assert event.actor is None
    for message in mail.outbox:
        assert under_review.get_absolute_url() in message.body
        assert other_staff.last_name not in message.body + message.subject

    count = Notification.objects.count()
    sweep(at(2026, 3, 14))
    sweep(at(2026, 3, 20))
    assert Notification.objects.count() == count


def test_a_resolved_removal_request_is_never_overdue(under_review, governance, other_staff):
    request = request_removal(under_review, governance, other_staff)
    act(
        at(2026, 3, 12, 9),
        actions.removal_request_resolve,
        removal_request=request,
        by=governance,
        status=RemovalRequest.Status.REMOVED,
    )
    sweep(at(2026, 3, 20))
    assert not told(Kind.ACTION_DUE).exists()
    request.refresh_from_db()
    assert request.overdue_notified_at is None


def test_a_removal_request_already_marked_overdue_is_not_marked_again(under_review, governance, other_staff):
    request = request_removal(under_review, governance, other_staff)
    RemovalRequest.objects.filter(pk=request.pk).update(overdue_notified_at=at(2026, 3, 14))
    sweep(at(2026, 3, 20))
    assert not told(Kind.ACTION_DUE).exists()


def test_a_sweep_costs_the_same_queries_for_few_or_many_due_cases(raise_at, head_of_service):
    """Reminders, escalations and warnings for 2 cases or 20: the same number of queries."""

    def queries_for(n, start):
        for i in range(n):
            raise_at(start + datetime.timedelta(minutes=i))
        with time_machine.travel(start + datetime.timedelta(days=14), tick=False):
            with CaptureQueriesContext(connection) as captured:
                assert sweep_timers() >= 3 * n
        return len(captured)

    few = queries_for(2, at(2026, 3, 2, 10))
    many = queries_for(20, at(2026, 4, 13, 10))
    assert many <= few, (few, many)
