"""Who may open the clause analytics (role × page): the governance head only, as the reports page; anyone
else gets a 404, as for a case they may not see. And their queries do not grow with the cases."""

import pytest
import time_machine
from django.urls import reverse

from tests.reports.moments import NOW, at

pytestmark = pytest.mark.django_db

PAGES = {
    "index": reverse("reports:clauses"),
    "clause": reverse("reports:clause", args=["social-media-policy", "5.2"]),
}
ROLES = {
    "governance": 200,
    "staff": 404,
    "supervisor": 404,
    "head_of_service": 404,
    "hr": 404,
    "administrator": 404,
    "comms": 404,
    "infosec": 404,
    "outsider": 404,
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("role", "status"), ROLES.items())
def test_only_the_governance_head_opens_the_clause_analytics(client, policy, request, role, status, page):
    client.force_login(request.getfixturevalue(role))
    assert client.get(PAGES[page]).status_code == status


@pytest.mark.parametrize("page", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, policy, page):
    response = client.get(PAGES[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", PAGES)
def test_a_governance_head_who_has_left_is_refused(client, policy, governance, page):
    client.force_login(governance)
    governance.is_active = False
    governance.save()
    assert client.get(PAGES[page]).status_code in (302, 404)


@pytest.mark.parametrize("page", PAGES)
def test_only_reads_are_allowed(client, policy, governance, page):
    client.force_login(governance)
    assert client.post(PAGES[page]).status_code == 405


# The session, the reader and their rights, the policy and clause, then the figures: a few grouped queries
# (the cases by month, team, outcome and days to close; repeat subjects; staff by team; teams; the
# published figures), however many cases.
MAX_QUERIES = {"index": 10, "clause": 14}


def _cases(raise_at, clause, staff, other_staff, how_many):
    for n in range(how_many):
        reporter = staff if n % 2 else other_staff
        raise_at(at(2026, 1 + n % 4, 1 + n % 27, 10), reporter, clauses=[clause("5.2"), clause("6.4")])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("how_many", [1, 50])
def test_the_queries_do_not_grow_with_the_cases(
    client, governance, raise_at, clause, staff, other_staff, django_assert_max_num_queries, page, how_many
):
    _cases(raise_at, clause, staff, other_staff, how_many)
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(MAX_QUERIES[page]):
        assert client.get(PAGES[page], {"raised_from": "2026-01-01"}).status_code == 200
