"""Playbook steps in time: a step still open reminds the case's handler on the day it falls due and is
escalated to the Head of Business and Governance the day after (missed); a step done (its action recorded,
considered), a closed case or a deleted step stops its timers. Time is travelled with time-machine; the
sweep is reminders.sweep.sweep_timers, as beat runs it."""

import datetime

import pytest
import time_machine

from cases import actions, playbooks
from cases.models import ActionKind, CaseEvent, Outcome, PlaybookStep
from cases.playbook_timers import PlaybookTimer
from notifications.models import Kind, Notification
from reminders.sweep import sweep_timers, timers_of
from tests.cases.playbook_fixtures import MAUNDY_THURSDAY, at, move

pytestmark = pytest.mark.django_db


def sweep(when):
    with time_machine.travel(when, tick=False):
        return sweep_timers()


def reminders(**filters):
    return Notification.objects.filter(title__contains="playbook", **filters)


def test_an_open_step_reminds_the_handler_when_due_then_escalates_to_the_governance_head(
    raise_citing, step, supervisor, governance
):
    step("2.5")
    case = raise_citing(MAUNDY_THURSDAY, "2.5")
    sweep(at(2026, 4, 7, 23, 59))
    assert not reminders().exists()

    sweep(at(2026, 4, 8, 0, 1))
    (due,) = reminders()
    assert (due.recipient, due.kind) == (supervisor, Kind.ACTION_DUE)
    assert due.title == f"Case {case.reference}: a step of the clause 2.5 playbook is due today"

    sweep(at(2026, 4, 9, 0, 1))
    (missed,) = reminders(kind=Kind.ESCALATION)
    assert missed.recipient == governance
    event = case.events.get(kind=CaseEvent.Kind.ESCALATED)
    assert event.text == "Playbook step missed (clause 2.5): Send a removal request, due 8 April 2026."

    sweep(at(2026, 4, 20))
    assert reminders().count() == 2


def test_a_step_done_by_its_action_stops_its_timers(raise_citing, step, supervisor, governance):
    step("2.5")
    case = raise_citing(MAUNDY_THURSDAY, "2.5")
    for name, who in [("start_triage", supervisor), ("refer", supervisor), ("start_review", governance)]:
        case = move(at(2026, 4, 7, 9), case, who, name)
    with time_machine.travel(at(2026, 4, 7, 10), tick=False):
        actions.removal_request_record(
            case=case,
            by=governance,
            requested_from="The author",
            sent_on=datetime.date(2026, 4, 7),
            deadline=datetime.date(2026, 4, 9),
        )
    waiting = timers_of(case).filter(kind__in=list(PlaybookTimer), cancelled_at__isnull=True)
    assert not waiting.exists()
    sweep(at(2026, 4, 20))
    assert not reminders().exists()


def test_another_action_does_not_stop_the_step(raise_citing, step, supervisor, governance):
    step("2.5")
    case = raise_citing(MAUNDY_THURSDAY, "2.5")
    for name, who in [("start_triage", supervisor), ("refer", supervisor), ("start_review", governance)]:
        case = move(at(2026, 4, 7, 9), case, who, name)
    with time_machine.travel(at(2026, 4, 7, 10), tick=False):
        actions.legal_advice_record(
            case=case, by=governance, advised_on=datetime.date(2026, 4, 7), summary="Advice."
        )
    sweep(at(2026, 4, 8, 0, 1))
    assert reminders().count() == 1


def test_a_step_considered_stops_its_timers(raise_citing, step, supervisor):
    considered = step(
        "2.3",
        action=ActionKind.POLICE_REFERRAL,
        requirement=PlaybookStep.Requirement.CONSIDER,
        label="Consider a police referral",
    )
    case = raise_citing(MAUNDY_THURSDAY, "2.3")
    with time_machine.travel(at(2026, 4, 7), tick=False):
        playbooks.playbook_step_consider(
            case=case, step=considered, by=supervisor, note="Not for the police."
        )
    sweep(at(2026, 4, 20))
    assert not reminders().exists()


def test_a_closed_case_stops_its_steps_timers(raise_citing, step, supervisor, governance):
    step("2.5")
    case = raise_citing(MAUNDY_THURSDAY, "2.5")
    for name, who in [("start_triage", supervisor), ("refer", supervisor), ("start_review", governance)]:
        case = move(at(2026, 4, 7, 9), case, who, name)
    move(at(2026, 4, 7, 10), case, governance, "close", outcome=Outcome.NO_BREACH)
    sweep(at(2026, 4, 20))
    assert not reminders().exists()


def test_a_deleted_step_stops_its_timers(raise_citing, step, governance):
    removal = step("2.5")
    raise_citing(MAUNDY_THURSDAY, "2.5")
    playbooks.playbook_step_delete(step=removal, by=governance)
    sweep(at(2026, 4, 20))
    assert not reminders().exists()


def test_a_step_counted_from_the_referral_starts_its_clock_then(raise_citing, step, supervisor, governance):
    step("2.5", starts_from=PlaybookStep.Start.REFERRED, working_days=1)
    case = raise_citing(at(2026, 4, 1, 9), "2.5")
    assert not timers_of(case).filter(kind__in=list(PlaybookTimer)).exists()
    move(at(2026, 4, 7, 9), case, supervisor, "start_triage")
    move(at(2026, 4, 7, 10), case, supervisor, "refer")
    sweep(at(2026, 4, 7, 23))
    assert not reminders().exists()
    sweep(at(2026, 4, 8, 0, 1))
    assert reminders(kind=Kind.ACTION_DUE).count() == 1


def test_a_step_added_later_starts_for_the_open_cases_citing_its_clause(raise_citing, policy, governance):
    case = raise_citing(MAUNDY_THURSDAY, "2.5")
    closed = raise_citing(MAUNDY_THURSDAY, "5.2")
    with time_machine.travel(at(2026, 4, 2, 12), tick=False):
        playbooks.playbook_step_add(
            policy=policy,
            clause_number="2.5",
            by=governance,
            action=ActionKind.REMOVAL_REQUEST,
            requirement=PlaybookStep.Requirement.REQUIRED,
            label="Send a removal request",
            working_days=2,
            starts_from=PlaybookStep.Start.CITED,
        )
    assert not timers_of(closed).filter(kind__in=list(PlaybookTimer)).exists()
    sweep(at(2026, 4, 8, 0, 1))
    (due,) = reminders()
    assert case.reference in due.title


def test_the_sweep_sends_each_reminder_once(raise_citing, step):
    step("2.5")
    raise_citing(MAUNDY_THURSDAY, "2.5")
    sweep(at(2026, 4, 8, 0, 1))
    sweep(at(2026, 4, 8, 0, 2))
    assert reminders().count() == 1
