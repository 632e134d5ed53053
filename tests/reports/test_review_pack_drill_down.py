"""Each count of a policy's review pack drills down to what is behind it: the cases raised and closed as a
breach since the last review, and each clause's, to All cases; each clause's disciplinary findings to
Disciplinary records. Every link lists exactly as many as the pack counts, and only what the reader may
see; a reader who may not open a list gets the count without a link."""

import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from cases import services
from cases.models import Outcome
from people.models import User
from policies import services as policy_services
from policies.models import Policy
from tests.factories import case_raised
from tests.reports.drill_down import drill_downs, listed
from tests.reports.moments import NOW, at

pytestmark = pytest.mark.django_db

ALL_CASES, RECORDS = reverse("cases:all"), reverse("discipline:list")
BREACHES = "Breaches of the Social Media Policy by clause"
FACT = r"<dt>{}</dt><dd>(?:<a href=\"(?P<href>[^\"]*)\">)?(?P<value>\d+)"


def fact(page, term):
    """(value, link or None) of a count in the pack's facts."""
    found = re.search(FACT.format(re.escape(term)), page)
    return int(found["value"]), found["href"] and found["href"].replace("&amp;", "&")


def counts_and_links(page):
    """Every count of the pack with its link: (what, value, link or None)."""
    raised = fact(page, "Concerns raised since the last review")
    closed = fact(page, "Closed as a breach since then")
    return [("raised", *raised), ("closed as a breach", *closed), *drill_downs(page, BREACHES)]


@pytest.fixture
def more_since(pack_world, reviewed, policy_text, raise_at, move_at, close_at, clause, staff, governance):
    """Beside the pack's world: R, closed as a breach since the review and reopened (not closed now); M,
    closed as a breach on the morning of the review's day, before the approval (the pack counts whole
    days, as the lists filter them); and N, under another policy whose clause 5.2 has the same number,
    closed as a breach since (in no count of this policy's pack)."""
    r = raise_at(at(2026, 2, 9, 8), staff, clauses=[clause("5.3")])
    close_at(r, at(2026, 2, 10), Outcome.CONTENT_REMOVED)
    with time_machine.travel(at(2026, 2, 11, 9), tick=False):
        services.case_move(case=r, by=governance, move="reopen_review", reason="New evidence.")
    m = raise_at(at(2025, 12, 30, 8), staff, clauses=[clause("5.3")])
    for hour, move in enumerate(["start_triage", "refer", "start_review"], start=5):
        move_at(at(2026, 1, 1, hour), m, move)
    move_at(at(2026, 1, 1, 8), m, "close", outcome=Outcome.POLICE_REFERRAL)

    other = policy_services.policy_import(text=policy_text, title="Another Policy").version
    Policy.objects.filter(pk=other.policy_id).update(owner=governance)
    policy_services.version_approve(version=other, by=governance)
    with time_machine.travel(at(2026, 2, 12, 8), tick=False):
        n = case_raised(other.policy, staff, clauses=[other.clauses().get(number="5.2")])
    close_at(n, at(2026, 2, 13), Outcome.CONTENT_REMOVED)
    return {**pack_world, "R": r, "M": m, "N": n}


def open_pack(client, reader, policy):
    client.force_login(reader)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("reports:review_pack", args=[policy.slug]))
    assert response.status_code == 200
    return response.text


def test_every_count_of_the_pack_lists_as_many_as_it_counts(client, governance, more_since, reviewed):
    page = open_pack(client, governance, reviewed)
    counts = counts_and_links(page)
    with time_machine.travel(NOW, tick=False):
        for what, value, href in counts:
            if not value or what == "No clause recorded":  # no filter lists the cases citing no clause
                assert href is None, what
                continue
            assert href, what
            references = listed(client, href)
            assert len(references) == value, (what, href)
            assert more_since["X"].reference not in references  # about the reader: in no count, no list
            assert more_since["N"].reference not in references  # another policy's


def test_the_links_list_the_cases_and_records_behind_the_counts(client, governance, more_since, reviewed):
    page = open_pack(client, governance, reviewed)
    world = {name: case.reference for name, case in more_since.items()}
    with time_machine.travel(NOW, tick=False):
        closed, closed_link = fact(page, "Closed as a breach since then")
        # A, E, G and M (closed on the review's day); not R (reopened), O (before), N (another policy).
        assert closed_link.startswith(f"{ALL_CASES}?")
        assert set(listed(client, closed_link)) == {world["A"], world["E"], world["G"], world["M"]}
        rows = {
            (label, href.split("?")[0]): (value, href)
            for label, value, href in drill_downs(page, BREACHES)
            if href
        }
        value, five_three = rows[("Clause 5.3", ALL_CASES)]
        assert set(listed(client, five_three)) == {world["E"], world["M"]} and value == 2
        value, records = rows[("Clause 5.2", RECORDS)]
        assert value == 1 and len(listed(client, records)) == 1
        raised, raised_link = fact(page, "Concerns raised since the last review")
        assert raised == len(listed(client, raised_link)) == 8  # A to G and R; not M (December)


@pytest.fixture
def reader_without_hr_records(team):
    """A deputy given All cases and the reports, not the disciplinary records."""
    deputy = User.objects.create_user(username="deputy", password="x", first_name="Dee", last_name="Puty")
    deputy.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_reports", "manage_all_cases"], content_type__app_label="cases"
        )
    )
    return User.objects.get(pk=deputy.pk)


def test_a_reader_without_hr_records_gets_the_case_links_only(
    client, reader_without_hr_records, more_since, reviewed
):
    page = open_pack(client, reader_without_hr_records, reviewed)
    counts = counts_and_links(page)
    assert f'href="{RECORDS}' not in page
    assert all(href is None or href.startswith(f"{ALL_CASES}?") for _, _, href in counts)
    with time_machine.travel(NOW, tick=False):
        for what, value, href in counts:
            if href:
                assert len(listed(client, href)) == value, what


@pytest.fixture
def reader_of_handled_cases(supervisor):
    """A supervisor given the reports' right alone: their pack counts the cases they handle."""
    supervisor.user_permissions.add(Permission.objects.get(codename="view_reports"))
    return type(supervisor).objects.get(pk=supervisor.pk)  # fresh permission cache


def test_a_reader_of_the_cases_they_handle_gets_no_links(
    client, reader_of_handled_cases, more_since, reviewed
):
    page = open_pack(client, reader_of_handled_cases, reviewed)
    assert f'href="{ALL_CASES}' not in page and f'href="{RECORDS}' not in page
    # Their counts are the cases they handle, staff's: A, X (not about them), C, E and R raised since the
    # review's day (M in December; N is another policy's).
    raised, _ = fact(page, "Concerns raised since the last review")
    assert raised == 5
    assert client.get(ALL_CASES).status_code == 404


def test_the_pdf_has_no_links(client, governance, more_since, reviewed):
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("reports:review_pack_pdf", args=[reviewed.slug]))
    assert response.status_code == 200
    assert response.context["raised_link"] is None
    assert all(cases is None and records is None for _, cases, records in response.context["breach_rows"])
