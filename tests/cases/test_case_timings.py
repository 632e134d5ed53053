"""Each case keeps the working days its first triage and its first decision took (Case.triage_working_days
and decision_working_days), set by the move that ends them and kept when it is reopened; All cases filters
by them (`time_to_triage`, `time_to_decision`) against the limits."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from cases.models import Case, Outcome, Stage
from reminders.models import Limits
from tests.confirm import confirmed

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
ALL = reverse("cases:all")


def at(month, day, hour, minute=0):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def moves(client, governance):
    """moves(case, [(when, move name), …]): each made through the case page, by its handler or, for the
    governance head's moves, by them."""

    def _moves(case, steps):
        for when, name in steps:
            by = (
                governance
                if name in ("start_review", "start_action", "close", "reopen_review")
                else case.handler
            )
            client.force_login(by)
            stage = Case.objects.get(pk=case.pk).stage
            data = {"move": name, f"{name}-expected_stage": stage, f"{name}-reason": "Recorded for the test."}
            if name == "close":
                data[f"{name}-outcome"] = Outcome.NO_BREACH
            with time_machine.travel(when, tick=False):
                response = client.post(reverse("cases:move", args=[case.reference]), confirmed(data))
            assert response.status_code == 302, response.text
        return Case.objects.get(pk=case.pk)

    return _moves


def raised(raise_case, staff, when):
    with time_machine.travel(when, tick=False):
        return raise_case(staff)


def taken(case):
    return Case.objects.values_list("triage_working_days", "decision_working_days").get(pk=case.pk)


def test_the_moves_that_end_triage_and_the_decision_store_their_working_days(raise_case, staff, moves):
    case = raised(raise_case, staff, at(1, 9, 15))  # a Friday afternoon
    case = moves(case, [(at(1, 12, 10), "start_triage")])
    assert taken(case) == (None, None)  # starting triage does not stop the clock
    # Referred on Tuesday after the time of day it was raised: Monday, Tuesday and one more.
    case = moves(case, [(at(1, 13, 16), "refer"), (at(1, 14, 9), "start_review")])
    assert taken(case) == (3, None)
    # Decided on Friday morning, earlier in the day than it was referred: Wednesday to Friday.
    case = moves(case, [(at(1, 16, 10), "close")])
    assert taken(case) == (3, 3)
    # Reopened for review and decided again much later: the first decision stands.
    moves(case, [(at(1, 19, 9), "reopen_review"), (at(2, 20, 9), "close")])
    assert taken(case) == (3, 3)


def test_closing_at_triage_ends_triage_and_a_reopened_case_keeps_its_first(raise_case, staff, moves):
    case = raised(raise_case, staff, at(1, 5, 10))
    case = moves(case, [(at(1, 5, 11), "close_at_triage")])
    assert taken(case) == (1, None)  # dealt with on the day it arrived
    case = moves(case, [(at(1, 6, 9), "reopen_triage"), (at(1, 20, 9), "refer")])
    assert taken(case) == (1, None)
    # Action started on the governance head's review: decided 5 working days after the referral.
    moves(case, [(at(1, 21, 9), "start_review"), (at(1, 27, 9), "start_action")])
    assert taken(case) == (1, 5)


def listed(response):
    return {case.reference for case in response.context["page"]}


def test_all_cases_lists_the_cases_by_the_span_their_timings_took(
    client, governance, raise_case, staff, moves
):
    # Triage: the reminder at 2 working days, the limit at 4; the decision's limit 10.
    quick = moves(raised(raise_case, staff, at(1, 5, 10)), [(at(1, 5, 11), "close_at_triage")])
    later = moves(
        raised(raise_case, staff, at(1, 5, 10)), [(at(1, 8, 9), "start_triage"), (at(1, 8, 10), "refer")]
    )
    slow = moves(
        raised(raise_case, staff, at(1, 5, 10)), [(at(1, 12, 9), "start_triage"), (at(1, 20, 9), "refer")]
    )
    moves(later, [(at(1, 9, 9), "start_review"), (at(1, 26, 9), "start_action")])
    waiting = raised(raise_case, staff, at(1, 5, 10))
    client.force_login(governance)
    expected = {
        ("time_to_triage", "within_reminder"): {quick},
        ("time_to_triage", "after_reminder"): {later},
        ("time_to_triage", "within_limit"): {quick, later},
        ("time_to_triage", "over_limit"): {slow},
        ("time_to_decision", "within_reminder"): set(),
        ("time_to_decision", "within_limit"): set(),
        ("time_to_decision", "over_limit"): {later},
    }
    for (name, span), cases in expected.items():
        response = client.get(ALL, {name: span})
        assert "Some filters were not used" not in response.text
        assert listed(response) == {case.reference for case in cases}, (name, span)
    assert waiting.reference in listed(client.get(ALL))

    # Against the limits as they stand now: `later` took 3 working days, within a reminder at 3.
    limits = Limits.current()
    limits.triage_reminder_working_days = 3
    limits.save()
    assert listed(client.get(ALL, {"time_to_triage": "within_reminder"})) == {
        quick.reference,
        later.reference,
    }


def test_a_span_that_does_not_exist_is_shown_and_not_used(client, governance, raise_case, staff):
    case = raised(raise_case, staff, at(1, 5, 10))
    client.force_login(governance)
    response = client.get(ALL, {"time_to_triage": "soon", "time_to_decision": "3"})
    assert response.status_code == 200
    assert "Some filters were not used" in response.text
    assert set(response.context["form"].errors) == {"time_to_triage", "time_to_decision"}
    assert listed(response) == {case.reference}
    assert Case.objects.get(pk=case.pk).stage == Stage.SUBMITTED
