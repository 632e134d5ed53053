"""Business use requests in time: a request waiting 3 working days at a step reminds whoever must act, and
2 working days later escalates to the Head of Business and Governance; every move stops the timers of the
step it leaves. Time is travelled with time-machine; the sweep is reminders.sweep.sweep_timers, as beat
runs it."""

import datetime
import zoneinfo

import pytest
import time_machine

from business_use import services
from business_use.models import BusinessUseEvent, Kind, State
from business_use.timers import BusinessUseTimer
from notifications.models import Kind as NotificationKind
from notifications.models import Notification
from reminders.sweep import sweep_timers, timers_of
from tests.business_use.conftest import FIELDS, MOVE_DETAILS

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def sweep(when):
    with time_machine.travel(when, tick=False):
        return sweep_timers()


def submit(when, requester, kind=Kind.OFFICIAL_POST, **fields):
    with time_machine.travel(when, tick=False):
        return services.business_use_submit(requester=requester, kind=kind, **{**FIELDS[kind], **fields})


def move(when, request, by, name):
    with time_machine.travel(when, tick=False):
        return services.business_use_move(request=request, by=by, move=name, **MOVE_DETAILS)


def reminders(person):
    return Notification.objects.filter(
        recipient=person, kind=NotificationKind.BUSINESS_USE_WAITING, title__contains="waiting for"
    ).exclude(title__startswith="A business use request")


def escalations(person):
    return Notification.objects.filter(recipient=person, kind=NotificationKind.ESCALATION)


def due(request, kind):
    return timers_of(request).get(kind=kind, cancelled_at=None, fired_at=None).due_at


def test_a_request_sent_on_friday_afternoon_reminds_the_supervisor_on_wednesday(
    staff, supervisor, governance
):
    request = submit(at(2026, 3, 6, 16), staff)  # a Friday
    assert due(request, BusinessUseTimer.WAITING_REMINDER) == at(2026, 3, 11, 16)
    assert due(request, BusinessUseTimer.WAITING_ESCALATION) == at(2026, 3, 13, 16)

    assert sweep(at(2026, 3, 11, 15, 59)) == 0
    assert not reminders(supervisor).exists()
    assert sweep(at(2026, 3, 11, 16)) == 1
    [reminder] = reminders(supervisor)
    assert (
        reminder.title == f"Reminder: business use request {request.reference} is waiting for your approval"
    )
    assert reminder.link == request.get_absolute_url()
    assert not escalations(governance).exists()
    # A sweep run again sends nothing twice.
    assert sweep(at(2026, 3, 11, 16, 5)) == 0
    assert reminders(supervisor).count() == 1


def test_still_waiting_two_working_days_later_it_escalates_to_the_governance_head(
    staff, supervisor, governance
):
    request = submit(at(2026, 3, 6, 16), staff)
    sweep(at(2026, 3, 12, 16))
    assert not escalations(governance).exists()
    sweep(at(2026, 3, 13, 16))
    [escalation] = escalations(governance)
    assert request.reference in escalation.title
    assert escalation.link == request.get_absolute_url()
    event = BusinessUseEvent.objects.get(request=request, label__startswith="Escalated")
    assert event.actor is None
    assert event.to_state == State.WITH_SUPERVISOR
    assert "supervisor's approval for 5 working days" in event.text
    # The escalation is news of a request still waiting: it changes nothing of the request.
    request.refresh_from_db()
    assert request.state == State.WITH_SUPERVISOR
    assert request.approver == supervisor


def test_the_easter_bank_holidays_and_the_weekend_are_not_working_days(staff):
    # Good Friday 26 March and Easter Monday 29 March 2027.
    request = submit(at(2027, 3, 25, 16), staff)
    assert due(request, BusinessUseTimer.WAITING_REMINDER) == at(2027, 4, 1, 16)
    assert due(request, BusinessUseTimer.WAITING_ESCALATION) == at(2027, 4, 5, 16)


def test_christmas_is_not_working_days(staff, supervisor):
    request = submit(at(2026, 12, 23, 10), staff)
    # 24 December, then 29 and 30 (Christmas, the weekend and Boxing Day observed on Monday 28 between).
    assert due(request, BusinessUseTimer.WAITING_REMINDER) == at(2026, 12, 30, 10)
    sweep(at(2026, 12, 29, 10))
    assert not reminders(supervisor).exists()
    sweep(at(2026, 12, 30, 10))
    assert reminders(supervisor).count() == 1


def test_a_move_stops_the_timers_of_the_step_it_leaves_and_starts_the_next(
    staff, supervisor, comms, governance
):
    request = submit(at(2026, 3, 2, 9), staff)  # a Monday
    request = move(at(2026, 3, 4, 9), request, supervisor, "approve_content")
    sweep(at(2026, 3, 5, 9))  # three working days after it was sent: no longer with the supervisor
    assert not reminders(supervisor).exists()
    assert due(request, BusinessUseTimer.WAITING_REMINDER) == at(2026, 3, 9, 9)

    sweep(at(2026, 3, 9, 9))
    [reminder] = reminders(comms)
    assert reminder.title.endswith("is waiting for the communications team")
    request = move(at(2026, 3, 10, 9), request, comms, "publish")
    assert not timers_of(request).filter(fired_at=None, cancelled_at=None).exists()
    sweep(at(2026, 4, 30, 9))
    assert not escalations(governance).exists()


def test_a_withdrawn_request_reminds_nobody(staff, supervisor, governance):
    request = submit(at(2026, 3, 2, 9), staff)
    move(at(2026, 3, 3, 9), request, staff, "withdraw")
    sweep(at(2026, 4, 30, 9))
    assert not reminders(supervisor).exists()
    assert not escalations(governance).exists()


def test_the_head_of_information_security_is_reminded_of_questions_about_acceptable_sites(
    staff, comms, infosec, governance
):
    request = submit(at(2026, 3, 2, 9), staff, kind=Kind.ADVICE)
    sweep(at(2026, 3, 5, 9))
    assert reminders(comms).count() == 1
    assert reminders(infosec).count() == 1
    sweep(at(2026, 3, 9, 9))
    assert escalations(governance).get().title.startswith(f"Business use request {request.reference}")


def test_changes_asked_for_remind_the_requester_and_never_escalate(staff, supervisor, governance):
    request = submit(at(2026, 3, 2, 9), staff)
    request = move(at(2026, 3, 2, 11), request, supervisor, "request_changes")
    assert not timers_of(request).filter(kind=BusinessUseTimer.WAITING_ESCALATION, cancelled_at=None).exists()
    sweep(at(2026, 3, 5, 11))
    [reminder] = reminders(staff)
    assert reminder.title == f"Your business use request {request.reference} is waiting for your changes"
    sweep(at(2026, 4, 30, 9))
    assert not escalations(governance).exists()
    assert not reminders(supervisor).exists()


def test_a_resubmitted_request_waits_on_the_supervisor_afresh(staff, supervisor):
    request = submit(at(2026, 3, 2, 9), staff)
    request = move(at(2026, 3, 3, 9), request, supervisor, "request_changes")
    with time_machine.travel(at(2026, 3, 4, 9), tick=False):
        request = services.business_use_resubmit(request=request, by=staff, content="Changed.")
    assert due(request, BusinessUseTimer.WAITING_REMINDER) == at(2026, 3, 9, 9)
    # The rounds before stay as history, cancelled or fired.
    assert timers_of(request).filter(kind=BusinessUseTimer.WAITING_REMINDER).count() == 3
    sweep(at(2026, 3, 6, 9))  # when the first round would have been due
    assert not reminders(supervisor).exists()
    sweep(at(2026, 3, 9, 9))
    assert reminders(supervisor).count() == 1


def test_the_governance_head_is_not_told_of_their_own_request(governance, supervisor, team):
    governance.team, governance.line_manager = team, supervisor
    governance.save()
    request = submit(at(2026, 3, 2, 9), governance)
    assert request.approver == supervisor
    sweep(at(2026, 3, 9, 9))
    assert not escalations(governance).exists()
    assert BusinessUseEvent.objects.filter(request=request, label__startswith="Escalated").exists()
