"""All cases' filters for the review pack's lists: `closed_from` (closed on or after a day, at triage or
after review, and not reopened since) and `policy` (the policy raised under, which makes a clause number
that policy's)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from cases import services
from cases.models import Stage
from policies.models import Policy
from tests.factories import case_moved_to, case_raised, make_policy

pytestmark = pytest.mark.django_db

ALL = reverse("cases:all")
LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def listed(client, **params):
    response = client.get(ALL, params)
    assert response.status_code == 200
    assert "Some filters were not used" not in response.text
    return {case.reference for case in response.context["page"]}


@pytest.fixture
def closings(policy, staff, governance, move_to):
    """Cases closed at moments in local time: `triage` closed at triage at 00:30 on 2 March (British
    summer time starts later); `review` closed after review at 23:30 on 30 June (BST: 22:30 UTC); `late`
    closed on 1 March at 23:59; `reopened` closed on 3 March and reopened for review; `open` never closed."""
    made = {}
    for name, moment in [
        ("triage", at(datetime.date(2026, 3, 2), 0).replace(minute=30)),
        ("review", at(datetime.date(2026, 6, 30), 23).replace(minute=30)),
        ("late", at(datetime.date(2026, 3, 1), 23).replace(minute=59)),
        ("reopened", at(datetime.date(2026, 3, 3), 12)),
        ("open", at(datetime.date(2026, 3, 3), 12)),
    ]:
        with time_machine.travel(moment, tick=False):
            case = case_raised(policy, staff)
            if name == "triage":
                made[name] = case_moved_to(case, Stage.CLOSED_AT_TRIAGE, governance=governance)
            elif name == "open":
                made[name] = case_moved_to(case, Stage.UNDER_REVIEW, governance=governance)
            else:
                made[name] = case_moved_to(case, Stage.CLOSED, governance=governance)
    with time_machine.travel(at(datetime.date(2026, 3, 4), 9), tick=False):
        services.case_move(case=made["reopened"], by=governance, move="reopen_review", reason="New evidence.")
    return {name: case.reference for name, case in made.items()}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-03-01", {"late", "triage", "review"}),
        ("2026-03-02", {"triage", "review"}),
        ("2026-06-30", {"review"}),
        ("2026-07-01", set()),
    ],
)
def test_closed_from_takes_whole_local_days_and_only_cases_closed_now(
    client, governance, closings, day, expected
):
    client.force_login(governance)
    assert listed(client, closed_from=day) == {closings[name] for name in expected}


def test_closed_from_with_an_outcome(client, governance, closings):
    """case_moved_to closes after review with no breach found; closing at triage is no further action."""
    client.force_login(governance)
    assert listed(client, closed_from="2026-03-02", outcome="no_breach") == {closings["review"]}
    assert listed(client, closed_from="2026-03-01", outcome="no_further_action") == {closings["triage"]}


@pytest.fixture
def two_policies(policy, staff, governance):
    """S: this policy's 5.2; T: another policy's 5.2; U: this policy, no clause."""
    other = make_policy(governance, title="Another Policy")
    return {
        "S": case_raised(policy, staff).reference,
        "T": case_raised(other, staff).reference,
        "U": case_raised(policy, staff, clauses=[]).reference,
    }


def test_a_clause_number_with_a_policy_is_that_policys(client, governance, two_policies):
    client.force_login(governance)
    assert listed(client, clause="5.2") == {two_policies["S"], two_policies["T"]}
    assert listed(client, clause="5.2", policy="social-media-policy") == {two_policies["S"]}
    assert listed(client, clause="5.2", policy="another-policy") == {two_policies["T"]}
    assert listed(client, policy="social-media-policy") == {two_policies["S"], two_policies["U"]}
    assert Policy.objects.count() == 2


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"closed_from": "2026-02-30"}, "closed_from", "Enter a valid date"),
        ({"policy": "no-such-policy"}, "policy", "Select a valid choice"),
        ({"clause": "nothing"}, "clause", "Select a valid choice"),
    ],
)
def test_a_bad_value_is_shown_and_not_used(client, governance, two_policies, params, field, message):
    client.force_login(governance)
    response = client.get(ALL, params)
    assert response.status_code == 200
    assert "Some filters were not used" in response.text
    assert message in response.context["form"].errors[field][0]
    assert {case.reference for case in response.context["page"]} == set(two_policies.values())


def test_the_filters_are_offered_on_the_page(client, governance, two_policies):
    client.force_login(governance)
    page = client.get(ALL).text
    assert 'name="closed_from"' in page and 'type="date"' in page
    assert '<option value="another-policy">Another Policy</option>' in page
