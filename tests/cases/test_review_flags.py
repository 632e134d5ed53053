"""Clause 10.1 from the evidence of cases: a clause cited in more cases closed as a breach (substantiated)
in 12 months than POLICY_REVIEW_SUBSTANTIATED_CITATIONS, or in a case closed because the policy was
unclear, is flagged for the next review; the policy's owner is told once per clause in a review; the review
pack lists the flags with links to the cases behind them; approving the next version clears them."""

import html
import re

import pytest
import time_machine
from django.urls import reverse

from cases import services
from cases.models import Outcome, Stage
from notifications.models import Kind, Notification
from policies import services as policy_services
from policies.models import ClauseFlag
from tests.cases.playbook_fixtures import at
from tests.factories import case_moved_to
from tests.reports.drill_down import listed

pytestmark = pytest.mark.django_db

NOW = at(2026, 6, 15, 12)


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.POLICY_REVIEW_SUBSTANTIATED_CITATIONS = 3


@pytest.fixture
def close_citing(raise_case, staff, governance, policy):
    """close_citing(outcome, *numbers, when=NOW): a case citing the clauses, closed with the outcome."""

    def close(outcome, *numbers, when=NOW):
        version = policy.current_version()
        with time_machine.travel(when, tick=False):
            case = raise_case(staff, clauses=[version.clauses().get(number=n) for n in numbers])
            case = case_moved_to(case, Stage.UNDER_REVIEW, governance=governance)
            return services.case_move(
                case=case, by=governance, move="close", reason="Recorded for the test.", outcome=outcome
            )

    return close


def told(owner):
    return Notification.objects.filter(recipient=owner, kind=Kind.REVIEW_DUE)


def test_at_the_threshold_no_flag_one_over_a_flag_and_the_owner_told_once(close_citing, governance):
    for _ in range(3):
        close_citing(Outcome.CONTENT_REMOVED, "2.5")
    assert not ClauseFlag.objects.exists()
    assert not told(governance).exists()

    close_citing(Outcome.DISCIPLINARY_REFERRAL, "2.5")
    flag = ClauseFlag.objects.get()
    assert (flag.clause_number, flag.reason, flag.cases_counted) == (
        "2.5",
        ClauseFlag.Reason.SUBSTANTIATED,
        4,
    )
    (notification,) = told(governance)
    assert notification.title == "Clause 2.5 of the Social Media Policy is flagged for its next review"
    assert notification.link == reverse("reports:review_pack", args=["social-media-policy"])

    close_citing(Outcome.POLICE_REFERRAL, "2.5")
    flag.refresh_from_db()
    assert flag.cases_counted == 5
    assert told(governance).count() == 1


def test_cases_closed_without_a_breach_are_not_counted(close_citing):
    for _ in range(3):
        close_citing(Outcome.CONTENT_REMOVED, "2.5")
    close_citing(Outcome.NO_BREACH, "2.5")
    assert not ClauseFlag.objects.exists()


def test_cases_closed_more_than_12_months_ago_are_not_counted(close_citing):
    close_citing(Outcome.CONTENT_REMOVED, "2.5", when=at(2025, 6, 14, 12))
    for _ in range(3):
        close_citing(Outcome.CONTENT_REMOVED, "2.5")
    assert not ClauseFlag.objects.exists()
    close_citing(Outcome.CONTENT_REMOVED, "2.5", when=at(2025, 6, 16, 12))
    close_citing(Outcome.CONTENT_REMOVED, "2.5")
    assert ClauseFlag.objects.get().cases_counted == 5


def test_each_clause_is_counted_on_its_own(close_citing):
    for _ in range(4):
        close_citing(Outcome.CONTENT_REMOVED, "2.5", "5.2")
    close_citing(Outcome.CONTENT_REMOVED, "5.3")
    assert sorted(ClauseFlag.objects.values_list("clause_number", flat=True)) == ["2.5", "5.2"]


def test_the_outcome_policy_unclear_is_offered_on_closing(client, governance, raise_case, staff, move_to):
    case = move_to(raise_case(staff), Stage.UNDER_REVIEW)
    client.force_login(governance)
    page = client.get(case.get_absolute_url()).text
    assert '<option value="policy_unclear">Closed: the policy was unclear</option>' in page


def test_a_case_closed_as_policy_unclear_flags_its_clauses_at_once(close_citing, governance):
    close_citing(Outcome.POLICY_UNCLEAR, "2.3")
    flag = ClauseFlag.objects.get()
    assert (flag.clause_number, flag.reason, flag.cases_counted) == (
        "2.3",
        ClauseFlag.Reason.POLICY_UNCLEAR,
        1,
    )
    assert told(governance).count() == 1
    close_citing(Outcome.POLICY_UNCLEAR, "2.3")
    assert ClauseFlag.objects.get().cases_counted == 2
    assert told(governance).count() == 1


def test_a_clause_already_flagged_for_another_reason_is_not_told_again(close_citing, governance):
    close_citing(Outcome.POLICY_UNCLEAR, "2.5")
    for _ in range(4):
        close_citing(Outcome.CONTENT_REMOVED, "2.5")
    assert ClauseFlag.objects.count() == 2
    assert told(governance).count() == 1


def test_a_policy_without_an_owner_is_flagged_all_the_same(close_citing, policy, governance):
    policy.owner = None
    policy.save()
    close_citing(Outcome.POLICY_UNCLEAR, "2.3")
    assert ClauseFlag.objects.exists()
    assert not told(governance).exists()


# --- The review pack ------------------------------------------------------------------------------------

FLAG_ROW = re.compile(
    r'<th scope="row" data-label="Clause">Clause (?P<number>[\d.]+)</th>'
    r'<td data-label="Reason">(?P<reason>[^<]*)</td>'
    r'<td class="number" data-label="Cases in 12 months">(?:<a href="(?P<href>[^"]*)">)?(?P<count>\d+)'
)


def flag_rows(page):
    return [
        (row["number"], row["reason"], int(row["count"]), row["href"] and html.unescape(row["href"]))
        for row in FLAG_ROW.finditer(page)
    ]


def test_the_review_pack_lists_the_flagged_clauses_and_the_cases_behind_them(
    client, close_citing, governance
):
    unclear = close_citing(Outcome.POLICY_UNCLEAR, "2.3")
    breaches = [close_citing(Outcome.CONTENT_REMOVED, "2.5") for _ in range(4)]
    close_citing(Outcome.NO_BREACH, "2.5")
    with time_machine.travel(NOW, tick=False):
        client.force_login(governance)
        page = client.get(reverse("reports:review_pack", args=["social-media-policy"])).text
        rows = flag_rows(page)
        assert [(number, reason, count) for number, reason, count, _ in rows] == [
            ("2.3", "A case was closed because the policy was unclear", 1),
            ("2.5", "Cited in many substantiated cases in 12 months", 4),
        ]
        assert listed(client, rows[0][3]) == [unclear.reference]
        assert sorted(listed(client, rows[1][3])) == sorted(case.reference for case in breaches)


def test_the_flags_clear_when_the_next_version_is_approved(client, close_citing, governance, draft_v2):
    close_citing(Outcome.POLICY_UNCLEAR, "2.3")
    with time_machine.travel(at(2026, 6, 16), tick=False):
        policy_services.version_approve(version=draft_v2, by=governance)
    assert ClauseFlag.objects.get().cleared_at is not None
    client.force_login(governance)
    page = client.get(reverse("reports:review_pack", args=["social-media-policy"])).text
    assert flag_rows(page) == []
    assert "No clause has been flagged by the cases since the last review." in page
    # A new review cycle: the clause may be flagged, and its owner told, again.
    close_citing(Outcome.POLICY_UNCLEAR, "2.3", when=at(2026, 6, 17))
    assert ClauseFlag.objects.filter(cleared_at__isnull=True).count() == 1
    assert told(governance).count() == 2
