"""The reports page: the period filter, every figure as a chart beside its table, and who may open it."""

import re

import pytest
import time_machine
from django.urls import reverse

from tests.factories import TeamFactory
from tests.reports.moments import NOW, PERIOD, at

pytestmark = pytest.mark.django_db

INDEX = reverse("reports:index")


@pytest.fixture
def read(client, governance):
    """read(params, user=governance): the reports page as the person sees it on 15 May 2026."""

    def _read(params=None, user=None):
        client.force_login(user or governance)
        with time_machine.travel(NOW, tick=False):
            return client.get(INDEX, params or {})

    return _read


def table(response, caption_start):
    """The rows of the table whose caption starts so: [(header, value), ...] as text."""
    html = response.text
    start = html.index(f"<caption>{caption_start}")
    body = html[start : html.index("</table>", start)]
    rows = re.findall(r'<th scope="row">(.*?)</th><td class="number"[^>]*>(.*?)</td>', body, re.S)
    return [(header.strip(), text_of(value)) for header, value in rows]


def text_of(cell):
    """A cell's value as shown: without its drill-down link and the link's words for screen readers."""
    return re.sub(r'<span class="visually-hidden">.*?</span>|<[^>]+>', "", cell).strip()


def test_the_default_period_is_the_last_twelve_months(read, world):
    response = read()
    assert response.status_code == 200
    period = response.context["period"]
    assert (period.start.isoformat(), period.end.isoformat()) == ("2025-06-01", "2026-05-15")
    months = table(response, "Cases raised by month")
    assert len(months) == 12
    assert months[0] == ("Jun 2025", "0")
    # O (December), A and B (January), C (February), D (April); X is about the reader.
    counted = {month: value for month, value in months if value != "0"}
    assert counted == {"Dec 2025": "1", "Jan 2026": "2", "Feb 2026": "1", "Apr 2026": "1"}
    assert 'value="01/06/2025"' in response.text
    assert "<strong>5 cases</strong> raised from 1 June 2025 to 15 May 2026" in response.text


def test_the_period_filter_chooses_the_cases(read, world):
    response = read(PERIOD)
    assert table(response, "Cases raised by month") == [
        ("Jan 2026", "2"),
        ("Feb 2026", "1"),
        ("Mar 2026", "0"),
        ("Apr 2026", "1"),
    ]
    assert table(response, "Cases by clause") == [
        ("Clause 5.2", "2"),
        ("Clause 5.3", "1"),
        ("Clause 6.4", "1"),
    ]
    assert ("Community Support", "2") in table(response, "Cases by the reporter")
    assert ("Content removed", "1") in table(response, "Cases by outcome")
    triage = table(response, "Time to triage")
    assert triage[:3] == [
        ("Within 2 working days", "2"),
        ("3 to 4 working days (after the reminder)", "1"),
        ("Over 4 working days (escalated to the Head of Service)", "1"),
    ]
    assert ("Median", "2 working days") in triage
    decision = table(response, "Time to decision")
    assert ("Median", "8 working days") in decision
    assert ("Not done yet, already past the limit", "1") in decision


def test_uk_dates_are_understood(read, world):
    response = read({"raised_from": "1/2/2026", "raised_to": "28/02/2026"})
    assert table(response, "Cases raised by month") == [("Feb 2026", "1")]


def test_a_blank_end_means_today(read, world):
    response = read({"raised_from": "01/04/2026", "raised_to": ""})
    assert table(response, "Cases raised by month") == [("Apr 2026", "1"), ("May 2026", "0")]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"raised_from": "31/02/2026", "raised_to": "30/04/2026"}, "raised_from", "Enter a valid date."),
        ({"raised_from": "01/04/2026", "raised_to": "next week"}, "raised_to", "Enter a valid date."),
        (
            {"raised_from": "01/04/2026", "raised_to": "01/01/2026"},
            "raised_to",
            "The end of the range must not be before its start.",
        ),
        ({"raised_from": "01/01/2030", "raised_to": ""}, "raised_from", "must not be after today"),
        ({"raised_from": "01/01/1990", "raised_to": "01/01/2026"}, "raised_to", "at most 10 years"),
    ],
)
def test_dates_that_cannot_be_used_are_explained_kept_and_the_default_used(
    read, world, params, field, message
):
    response = read(params)
    assert response.status_code == 200
    html = response.text
    assert "These dates could not be used" in html
    assert message in html
    # The error is tied to its field, and what was typed is still in the boxes.
    assert f'id="id_{field}_error"' in html
    field_input = re.search(rf'<input[^>]*id="id_{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field_input
    assert f"id_{field}_error" in re.search(r'aria-describedby="([^"]*)"', field_input).group(1)
    for value in params.values():
        if value:
            assert f'value="{value}"' in html
    period = response.context["period"]
    assert (period.start.isoformat(), period.end.isoformat()) == ("2025-06-01", "2026-05-15")
    assert "(the last 12 months)" in html


def test_every_figure_is_a_chart_beside_a_table(read, world):
    html = read(PERIOD).text
    charts = re.findall(
        r'<svg class="chart[^"]*"[^>]*role="img" aria-labelledby="([\w-]+)-title [\w-]+-desc"', html
    )
    # The trend, month, stage, platform, clause, team, outcome, the two timings and the policy's
    # acknowledgements.
    assert len(charts) == 10
    for chart_id in charts:
        assert f'<title id="{chart_id}-title">' in html
    # Their ten tables, and the table of policies to review.
    assert html.count("<caption>") == 11
    assert '<th scope="col">Month</th>' in html
    # Charts drawn by the server: the page's only scripts are the site's own files (no inline script).
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/error-summary.js" defer>']


def test_team_names_are_escaped_in_charts_and_tables(read, world, other_team):
    other_team.name = "<b>Night</b> & Day"
    other_team.save()
    html = read(PERIOD).text
    assert "<b>Night</b>" not in html
    assert "&lt;b&gt;Night&lt;/b&gt; &amp; Day" in html


def test_acknowledgement_coverage_and_review_pack_links(read, policy, staff, team):
    from policies.services import acknowledgement_record

    acknowledgement_record(version=policy.current_version(), user=staff)
    response = read()
    assert ("Community Support", "3") in table(response, "Acknowledgement of the Social Media Policy")
    assert reverse("reports:review_pack", args=[policy.slug]) in response.text


def test_the_csv_link_carries_the_period_shown(read, world):
    html = read({"raised_from": "1/2/2026", "raised_to": "28/2/2026"}).text
    assert f'href="{reverse("reports:csv")}?raised_from=2026-02-01&amp;raised_to=2026-02-28"' in html


def test_the_query_count_does_not_grow_with_the_cases(
    client, governance, raise_at, move_at, staff, other_staff, policy, django_assert_max_num_queries
):
    def raise_many(count):
        for n in range(count):
            case = raise_at(at(2026, 1 + n % 4, 1 + n % 27, 10), staff if n % 2 else other_staff)
            if n % 3 == 0:  # some triaged and referred, so that the timings have something to measure
                move_at(at(2026, 4, 29, 10), case, "start_triage")
                move_at(at(2026, 4, 30, 10), case, "refer")

    def read():
        with time_machine.travel(NOW, tick=False):
            return client.get(INDEX, PERIOD)

    client.force_login(governance)
    raise_many(1)
    read()  # the first reading fills the working-day calendar
    with django_assert_max_num_queries(25) as one:
        read()
    raise_many(49)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = read()
    assert sum(int(value) for _, value in table(response, "Cases raised by month")) == 50


# --- Who may open it ---------------------------------------------------------------------------------------


@pytest.fixture
def people(staff, supervisor, head_of_service, governance, hr, administrator, outsider, infosec, comms):
    return {
        "governance": governance,
        "hr": hr,
        "supervisor": supervisor,
        "head_of_service": head_of_service,
        "staff": staff,
        "outsider": outsider,
        "administrator": administrator,
        "infosec": infosec,
        "comms": comms,
    }


PAGES = ["reports:index", "reports:csv", "reports:review_pack", "reports:review_pack_pdf"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "who",
    [
        "governance",
        "hr",
        "supervisor",
        "head_of_service",
        "staff",
        "outsider",
        "administrator",
        "infosec",
        "comms",
    ],
)
def test_only_the_governance_head_may_open_the_reports(client, people, policy, page, who):
    url = reverse(page, args=[policy.slug] if "review" in page else [])
    client.force_login(people[who])
    response = client.get(url)
    assert response.status_code == (200 if who == "governance" else 404)


@pytest.mark.parametrize("page", PAGES)
def test_people_not_logged_in_are_sent_to_log_in(client, policy, page):
    url = reverse(page, args=[policy.slug] if "review" in page else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_governance_head_who_has_left_sees_nothing(client, governance, policy):
    governance.is_active = False
    governance.save()
    client.force_login(governance)
    assert client.get(INDEX).status_code in (302, 404)


def test_the_reports_are_read_only(client, governance):
    client.force_login(governance)
    assert client.post(INDEX).status_code == 405
    assert client.post(reverse("reports:csv")).status_code == 405


def test_the_navigation_offers_reports_to_the_governance_head_only(client, governance, staff):
    client.force_login(governance)
    assert f'href="{INDEX}"' in client.get(reverse("home")).text
    client.force_login(staff)
    assert f'href="{INDEX}"' not in client.get(reverse("home")).text


def test_an_unknown_policy_has_no_review_pack(client, governance, policy):
    client.force_login(governance)
    assert client.get(reverse("reports:review_pack", args=["no-such-policy"])).status_code == 404


def test_a_policy_without_an_approved_version_has_no_review_pack(client, governance, policy_text):
    from policies import services

    draft = services.policy_import(text=policy_text, title="Draft Policy").version
    client.force_login(governance)
    assert client.get(reverse("reports:review_pack", args=[draft.policy.slug])).status_code == 404


def test_teams_are_listed_even_with_no_cases(read, policy):
    TeamFactory(name="Apprentices")
    assert ("Apprentices", "0") in table(read(), "Cases by the reporter")
