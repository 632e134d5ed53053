"""The figures of a clause's page and of the clauses' index, worked out by hand on the known cases
(conftest.py: `world` and `clause_world`), beside the published figures; the period filter and bad input.

The hand calculation, for clause 5.2 from 1 January to 30 April 2026 (120 days: 31 + 28 + 31 + 30), as the
governance head reads it on 15 May 2026:

- Cases: A, B (January), E, F (March), G (April) = 5. X is about the reader; O was raised in December.
- Staff in post: headofservice, supervisor, staff (Community Support: 3), supervisor2, staff2 (Supported
  Living: 2), governance (no team) = 6.
- Per 100 employees a year: 5 × 100 × 365 / (6 × 120) = 182,500 / 720 = 253.47.
- Closed: A (5 → 19 Jan, 14 days), B (9 → 12 Jan, 3), E (3 → 10 Mar, 7), F (4 → 25 Mar, 21) = 4;
  calendar days in order 3, 7, 14, 21: the median is (7 + 14) / 2 = 10.5.
- Substantiated: A (content removed) and F (disciplinary referral) = 2 of the 4 closed: 50%.
- Repeat subjects: staff2, the subject of E and F: 1 colleague, 2 cases (G is the only case about staff).
- Community Support (staff's: A, E, F): 3 cases, 3 members: 3 × 36,500 / (3 × 120) = 304.17; closed 3
  (14, 7, 21: median 14), substantiated 2 (A, F): 2/3 = 67%.
  Supported Living (staff2's: B, G): 2 cases, 2 members: 2 × 36,500 / (2 × 120) = 304.17; closed 1 (B: 3),
  substantiated 0: 0%.
- Months: January 2 (A, B) over 31 days: 2 × 36,500 / (6 × 31) = 392.47; February 0; March 2 (E, F):
  392.47; April 1 (G) over 30 days: 36,500 / (6 × 30) = 202.78.
"""

import re

import pytest
import time_machine
from django.urls import reverse

from policies.services import version_approve
from tests.reports.moments import NOW, PERIOD, at

pytestmark = pytest.mark.django_db

CLAUSE = reverse("reports:clause", args=["social-media-policy", "5.2"])
INDEX = reverse("reports:clauses")


@pytest.fixture
def read(client, governance, policy):
    """read(address, params): the page as the governance head sees it on 15 May 2026."""

    def _read(address, params=None, user=None):
        client.force_login(user or governance)
        with time_machine.travel(NOW, tick=False):
            return client.get(address, params or {})

    return _read


def rows(response, caption_start):
    """The rows of the table whose caption starts so, each cell as text: [[header, cell, ...], ...]."""
    html = response.text
    start = html.index(f"<caption>{caption_start}")
    body = html[html.index("<tbody", start) : html.index("</table>", start)]
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        found.append([text_of(cell) for cell in cells])
    return found


def text_of(cell):
    """A cell's text as shown: without tags and the link's words for screen readers."""
    text = re.sub(r'<span class="visually-hidden">.*?</span>|<[^>]+>', "", cell, flags=re.S)
    return re.sub(r"\s+", " ", text).strip()


def test_the_headline_figures_of_a_clause_beside_the_published_ones(read, clause_world):
    response = read(CLAUSE, PERIOD)

    assert response.status_code == 200
    headline = {row[0]: row[1:] for row in rows(response, "Clause 5.2, cases raised")}
    assert headline["Cases raised"][0] == "5"
    assert headline["Reports per 100 employees a year"][0] == "253.47"
    assert headline["Closed"][0] == "4"
    assert headline["Median calendar days to close"][0] == "10.5"
    assert headline["Substantiated"][0] == "2"
    assert headline["Substantiation rate"][0] == "50%"
    assert headline["Repeat subjects"][0] == "1 colleague"
    assert headline["Cases about repeat subjects"][0] == "2"
    # Beside each, the published figure with its source and edition (reports migration 0003).
    edition = "NAVEX, 2024 Whistleblowing &amp; Incident Management Benchmark Report"
    assert (
        headline["Reports per 100 employees a year"][1]
        == f"1.57 reports per 100 employees (All regions; {edition})"
    )
    assert headline["Median calendar days to close"][1] == (
        f"58 calendar days (Europe; {edition})21 calendar days (North America; {edition})"
    )
    assert headline["Substantiation rate"][1] == f"46% (All regions; {edition})"
    assert "among 6 members of staff in post" in response.text


def test_outcomes_teams_and_months(read, clause_world):
    response = read(CLAUSE, PERIOD)

    outcomes = {label: value for label, value in rows(response, "Clause 5.2 by outcome")}
    assert outcomes == {
        "No further action (closed at triage)": "1",
        "No breach found": "1",
        "Resolved informally": "0",
        "Content removed": "1",
        "Disciplinary referral made": "1",
        "Referred to the police": "0",
        "Withdrawn by the reporter": "0",
        "Closed: the policy was unclear": "0",
        "Not closed": "1",
    }
    # Team, cases, staff in post, per 100 a year, closed, median days, substantiated, rate.
    assert rows(response, "Clause 5.2 by the reporter") == [
        ["Community Support", "3", "3", "304.17", "3", "14", "2", "67%"],
        ["Supported Living", "2", "2", "304.17", "1", "3", "0", "0%"],
    ]
    # Month, cases, per 100 a year, closed, median days, substantiated, rate.
    assert rows(response, "Clause 5.2 by month") == [
        ["Jan 2026", "2", "392.47", "2", "8.5", "1", "50%"],
        ["Feb 2026", "0", "0.00", "0", "—", "0", "—"],
        ["Mar 2026", "2", "392.47", "2", "14", "1", "50%"],
        ["Apr 2026", "1", "202.78", "0", "—", "0", "—"],
    ]


def test_the_index_lists_each_clause_cited_with_its_headline_figures(read, clause_world):
    response = read(INDEX, PERIOD)

    assert response.status_code == 200
    # Clause, cases, per 100 a year, closed, median days, substantiated, rate. 5.3: B alone, 1 × 36,500 /
    # (6 × 120) = 50.69, closed in 3 days, not substantiated. 6.4: C alone, under review.
    assert rows(response, "Clauses cited")[1:] == [
        ["Clause 5.2 Social Media Policy", "5", "253.47", "4", "10.5", "2", "50%"],
        ["Clause 5.3 Social Media Policy", "1", "50.69", "1", "3", "0", "0%"],
        ["Clause 6.4 Social Media Policy", "1", "50.69", "0", "—", "0", "—"],
    ]
    assert rows(response, "Clauses cited")[0][0] == "Published"
    # Each clause opens its page for the same period.
    assert f'href="{CLAUSE}?raised_from=2026-01-01&amp;raised_to=2026-04-30"' in response.text


def test_the_default_period_is_the_last_twelve_months(read, clause_world):
    response = read(CLAUSE)

    period = response.context["period"]
    assert (period.start.isoformat(), period.end.isoformat()) == ("2025-06-01", "2026-05-15")
    # O (1 December 2025, still open) joins the five.
    headline = {row[0]: row[1] for row in rows(response, "Clause 5.2, cases raised")}
    assert headline["Cases raised"] == "6"
    assert len(rows(response, "Clause 5.2 by month")) == 12


def test_the_period_chooses_the_cases(read, clause_world):
    response = read(CLAUSE, {"raised_from": "2026-03-01", "raised_to": "2026-03-31"})

    headline = {row[0]: row[1] for row in rows(response, "Clause 5.2, cases raised")}
    # E and F over 31 days: 2 × 36,500 / (6 × 31) = 392.47; closed in 7 and 21 days; F substantiated.
    assert (headline["Cases raised"], headline["Reports per 100 employees a year"]) == ("2", "392.47")
    assert (headline["Median calendar days to close"], headline["Substantiation rate"]) == ("14", "50%")
    assert headline["Cases about repeat subjects"] == "2"


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"raised_from": "not a date"}, "Enter a valid date."),
        ({"raised_from": "31/02/2026"}, "Enter a valid date."),
        ({"raised_from": "2026-04-30", "raised_to": "2026-01-01"}, "must not be before its start"),
        ({"raised_from": "2000-01-01", "raised_to": "2026-01-01"}, "at most 10 years"),
        ({"raised_from": "9" * 400}, "Enter a valid date."),
    ],
)
@pytest.mark.parametrize("address", [CLAUSE, INDEX])
def test_dates_that_cannot_be_used_show_the_last_twelve_months_and_say_why(read, address, params, error):
    response = read(address, params)

    assert response.status_code == 200
    assert error in response.text
    period = response.context["period"]
    assert (period.start.isoformat(), period.end.isoformat()) == ("2025-06-01", "2026-05-15")


@pytest.mark.parametrize(
    "address",
    [
        "/reports/clauses/social-media-policy/99.9/",  # no such clause
        "/reports/clauses/no-such-policy/5.2/",
    ],
)
def test_a_clause_or_policy_that_does_not_exist_is_not_found(read, address):
    assert read(address).status_code == 404


def test_a_clause_no_case_cites_shows_nothing_counted(read, world):
    response = read(reverse("reports:clause", args=["social-media-policy", "10.2"]), PERIOD)

    assert response.status_code == 200
    headline = {row[0]: row[1] for row in rows(response, "Clause 10.2, cases raised")}
    assert headline["Cases raised"] == "0"
    assert headline["Reports per 100 employees a year"] == "0.00"
    assert headline["Median calendar days to close"] == "—"
    assert headline["Substantiation rate"] == "—"
    assert rows(response, "Clause 10.2 by the reporter") == [["None in this period."]]


def test_the_pages_link_to_each_other(read):
    reports = read(reverse("reports:index"), PERIOD)
    assert f'href="{INDEX}?raised_from=2026-01-01&amp;raised_to=2026-04-30"' in reports.text
    clause_page = read(CLAUSE, PERIOD)
    assert f'href="{INDEX}"' in clause_page.text
    assert 'href="/policies/social-media-policy/5.2/"' in clause_page.text
    # The policy's own clause page links to its figures.
    policy_clause = read("/policies/social-media-policy/5.2/")
    assert f'href="{CLAUSE}"' in policy_clause.text


def test_the_clause_page_does_not_name_the_repeat_subjects(read, clause_world, other_staff):
    response = read(CLAUSE, PERIOD)

    assert other_staff.get_full_name() not in response.text
    assert other_staff.username not in response.text


def test_a_clause_is_counted_across_the_versions_of_its_policy(
    read, clause_world, draft_v2, governance, raise_at, staff
):
    version_approve(version=draft_v2, by=governance)
    # H cites 5.2 as version 2 writes it; A, B, E, F and G cited it as version 1 did.
    h = raise_at(at(2026, 4, 20, 10), staff, clauses=[draft_v2.clauses().get(number="5.2")])
    assert h.policy_version == draft_v2

    headline = {row[0]: row[1] for row in rows(read(CLAUSE, PERIOD), "Clause 5.2, cases raised")}
    assert headline["Cases raised"] == "6"
    index = rows(read(INDEX, PERIOD), "Clauses cited")
    assert [row[:2] for row in index if row[0].startswith("Clause 5.2")] == [
        ["Clause 5.2 Social Media Policy", "6"]
    ]
