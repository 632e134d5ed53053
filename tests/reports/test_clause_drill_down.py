"""Each count of the clause analytics links to All cases with the filters behind it, which lists exactly
as many cases as the count; only readers who may open All cases get the links."""

import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.reports.drill_down import drill_downs, listed
from tests.reports.moments import NOW, PERIOD

pytestmark = pytest.mark.django_db

CLAUSE = reverse("reports:clause", args=["social-media-policy", "5.2"])
INDEX = reverse("reports:clauses")
ALL_CASES = reverse("cases:all")
TABLES = [
    "Clause 5.2, cases raised",
    "Clause 5.2 by outcome",
    "Clause 5.2 by the reporter",
    "Clause 5.2 by month",
]
INDEX_ROW = re.compile(
    r'<tr><th scope="row"><a href="[^"]*">Clause (?P<number>[\d.]+)<.*?</th>(?P<cells>.*?)</tr>', re.S
)
LINKED = re.compile(r'<td class="number"[^>]*>(?:<a href="(?P<href>[^"]*)">)?(?P<value>\d+)')


def _linked(cells):
    found = [(int(value), href.replace("&amp;", "&") if href else None) for href, value in cells]
    # Every count above nothing is linked.
    assert all(href for value, href in found if value)
    return [(value, href) for value, href in found if href]


@pytest.mark.parametrize("params", [PERIOD, {}], ids=["January to April", "the last 12 months"])
def test_every_linked_count_of_a_clause_lists_as_many_cases(client, governance, clause_world, params):
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(CLAUSE, params).text
        checked = 0
        for caption in TABLES:
            cells = drill_downs(page, caption)
            for label, value, href in cells:
                assert href or not value, (caption, label)
                if href:
                    assert href.startswith(f"{ALL_CASES}?")
                    references = listed(client, href)
                    assert len(references) == value, (caption, label, href)
                    # The case about the reader is in no figure and in no list.
                    assert clause_world["X"].reference not in references
                    checked += 1
        assert checked > 15


def test_the_links_list_the_cases_worked_out_by_hand(client, governance, clause_world):
    w = clause_world
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(CLAUSE, PERIOD).text
        headline = {label: href for label, _, href in drill_downs(page, "Clause 5.2, cases raised")}
        assert set(listed(client, headline["Cases raised"])) == {w[k].reference for k in "ABEFG"}
        assert set(listed(client, headline["Closed"])) == {w[k].reference for k in "ABEF"}
        assert set(listed(client, headline["Substantiated"])) == {w[k].reference for k in "AF"}
        # Repeat subjects: staff2's two cases, not G (the only case about staff).
        assert set(listed(client, headline["Cases about repeat subjects"])) == {w[k].reference for k in "EF"}


def test_every_linked_count_of_the_index_lists_as_many_cases(client, governance, clause_world):
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(INDEX, PERIOD).text
        rows = {row["number"]: _linked(LINKED.findall(row["cells"])) for row in INDEX_ROW.finditer(page)}
        assert set(rows) == {"5.2", "5.3", "6.4"}
        for number, cells in rows.items():
            for value, href in cells:
                assert len(listed(client, href)) == value, (number, href)
        assert [value for value, _ in rows["5.2"]] == [5, 4, 2]


@pytest.fixture
def reader_of_handled_cases(supervisor):
    """A supervisor given the reports' right alone: their figures count the cases they handle."""
    supervisor.user_permissions.add(Permission.objects.get(codename="view_reports"))
    return type(supervisor).objects.get(pk=supervisor.pk)  # fresh permission cache


@pytest.mark.parametrize("address", [CLAUSE, INDEX])
def test_a_reader_who_may_not_open_all_cases_sees_the_figures_without_links(
    client, clause_world, reader_of_handled_cases, address
):
    client.force_login(reader_of_handled_cases)
    with time_machine.travel(NOW, tick=False):
        response = client.get(address, PERIOD)
    assert response.status_code == 200
    assert f'href="{ALL_CASES}?' not in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"repeat_subject": "yes"},
        {"repeat_subject": "yes", "clause": "5.2"},
        {"repeat_subject": "yes", "clause": "5.2", "raised_from": "2025-01-01", "raised_to": "2026-04-30"},
    ],
)
def test_repeat_subjects_are_found_only_within_a_clause_and_a_year(client, governance, clause_world, params):
    # Grouping every case by subject would read a million rows for one page: the filter is refused (and
    # left out) unless the list is one clause's cases over at most a year, as the clause page links it.
    client.force_login(governance)
    response = client.get(reverse("cases:all"), params)
    assert response.status_code == 200
    errors = response.context["form"].errors["repeat_subject"]
    assert "within one clause and a period of at most a year" in errors[0]
    without = {key: value for key, value in params.items() if key != "repeat_subject"}
    expected = [case.reference for case in client.get(reverse("cases:all"), without).context["page"]]
    assert [case.reference for case in response.context["page"]] == expected


def test_a_clause_page_over_more_than_a_year_counts_repeat_subjects_without_a_link(
    client, governance, clause_world
):
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(CLAUSE, {"raised_from": "2025-01-01", "raised_to": "2026-04-30"}).text
    headline = {label: href for label, _, href in drill_downs(page, "Clause 5.2, cases raised")}
    assert headline["Cases about repeat subjects"] is None
    assert headline["Cases raised"] is not None
