"""The record list's filters: each narrows the page and its downloads alike; a value that does not fit is
shown as an error and not used on the page, and stops a download rather than exporting more than asked."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from discipline.models import Outcome, RecordClause
from people.models import User
from tests.exports.conftest import clauses_of
from tests.exports.read_back import csv_rows, xlsx_rows
from tests.factories import make_policy

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def records(make_record, staff, other_staff, supervisor):
    """a: a live first warning in `team`; b: an expired final warning for agency staff in `other_team`;
    c: still open, about a contractor."""
    return {
        "a": make_record(staff, opened_on=days_ago(10), decided=Outcome.FIRST_WRITTEN_WARNING),
        "b": make_record(
            other_staff,
            opened_on=days_ago(400),
            decided=Outcome.FINAL_WRITTEN_WARNING,
            expires_on=days_ago(5),
            employment_type=User.EmploymentType.AGENCY,
            clause_numbers=("2.4", "5.3"),
        ),
        "c": make_record(
            supervisor,
            opened_on=days_ago(100),
            employment_type=User.EmploymentType.CONTRACTOR,
            clause_numbers=("6.4",),
        ),
    }


def filter_cases(team, other_team):
    return {
        "opened from": ({"opened_from": days_ago(100).isoformat()}, {"a", "c"}),
        "opened to": ({"opened_to": days_ago(100).isoformat()}, {"b", "c"}),
        "opened between": (
            {"opened_from": days_ago(150).isoformat(), "opened_to": days_ago(50).isoformat()},
            {"c"},
        ),
        "outcome": ({"outcome": Outcome.FIRST_WRITTEN_WARNING}, {"a"}),
        # a was decided 20 days after it opened (in ten days' time), b a year ago; c not yet.
        "decided from": ({"decided_from": days_ago(100).isoformat()}, {"a"}),
        "a finding": ({"outcome": "finding"}, {"a", "b"}),
        "policy": ({"policy": "social-media-policy"}, {"a", "b", "c"}),
        "team": ({"team": other_team.pk}, {"b"}),
        "employment type": ({"employment_type": User.EmploymentType.CONTRACTOR}, {"c"}),
        "clause": ({"clause": "2.4"}, {"b"}),
        "live warnings": ({"warning": "live"}, {"a"}),
        "expired warnings": ({"warning": "expired"}, {"b"}),
        "no filters": ({}, {"a", "b", "c"}),
        "two filters": ({"team": team.pk, "warning": "live"}, {"a"}),
    }


FILTERS = [
    "opened from",
    "opened to",
    "opened between",
    "outcome",
    "decided from",
    "a finding",
    "policy",
    "team",
    "employment type",
    "clause",
    "live warnings",
    "expired warnings",
    "no filters",
    "two filters",
]


def listed(response, records):
    return {key for key, record in records.items() if record.reference in response.text}


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_narrows_the_list(client, hr, records, team, other_team, name):
    params, expected = filter_cases(team, other_team)[name]
    client.force_login(hr)
    response = client.get(reverse("discipline:list"), params)
    assert response.status_code == 200
    assert listed(response, records) == expected
    assert len(response.context["records"]) == len(expected)


@pytest.mark.parametrize("format", ["csv", "xlsx"])
@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_narrows_the_downloads(client, hr, records, team, other_team, name, format):
    params, expected = filter_cases(team, other_team)[name]
    client.force_login(hr)
    response = client.get(reverse(f"discipline:export_{format}"), params)
    rows = (csv_rows if format == "csv" else xlsx_rows)(response)
    references = {row[0] for row in rows[1:]}
    assert references == {records[key].reference for key in expected}


def test_the_clause_choices_are_the_clauses_in_use_in_reading_order(client, hr, records, make_record, staff):
    make_record(staff, clause_numbers=("10.1", "2.5"))
    client.force_login(hr)
    form = client.get(reverse("discipline:list")).context["form"]
    numbers = [value for value, _ in form.fields["clause"].choices]
    assert numbers == ["", "2.4", "2.5", "5.2", "5.3", "6.4", "10.1"]


# A filter that does not fit: (query, the field in error, its message, the records still listed).
INVALID = {
    "outcome": ({"outcome": "sacked"}, "outcome", "Select a valid choice", {"a", "b", "c"}),
    "date": ({"opened_from": "last tuesday"}, "opened_from", "Enter a valid date", {"a", "b", "c"}),
    "range": (
        # The start is used; the end, before it, is not.
        {"opened_from": days_ago(50).isoformat(), "opened_to": days_ago(150).isoformat()},
        "opened_to",
        "The end of the range must not be before its start",
        {"a"},
    ),
    "team": ({"team": "99999"}, "team", "Select a valid choice", {"a", "b", "c"}),
    "clause": ({"clause": "9.9"}, "clause", "Select a valid choice", {"a", "b", "c"}),
    "warning": ({"warning": "forgotten"}, "warning", "Select a valid choice", {"a", "b", "c"}),
    "decided from": ({"decided_from": "2026-02-30"}, "decided_from", "Enter a valid date", {"a", "b", "c"}),
    "policy": ({"policy": "no-such-policy"}, "policy", "Select a valid choice", {"a", "b", "c"}),
}


@pytest.mark.parametrize("name", list(INVALID))
def test_a_filter_that_does_not_fit_is_shown_as_an_error_and_not_used(client, hr, records, name):
    params, field, message, expected = INVALID[name]
    client.force_login(hr)
    response = client.get(reverse("discipline:list"), params)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert "Some filters were not used" in response.text
    assert listed(response, records) == expected
    assert "Download CSV" not in response.text
    assert "Correct the filters to download these records." in response.text


def test_a_finding_is_some_action_and_no_action_is_none(client, hr, records, make_record, staff):
    make_record(staff, decided=Outcome.NO_ACTION, reference="DR-NO-ACTION")
    client.force_login(hr)
    response = client.get(reverse("discipline:list"), {"outcome": "finding"})
    assert listed(response, records) == {"a", "b"}
    assert "DR-NO-ACTION" not in response.text


def test_a_policy_and_a_clause_choose_one_citation(client, hr, records, make_record, staff, governance):
    """With a policy, a clause number is that policy's: a record citing 6.4 of another policy and 5.2 of
    this one is not among this policy's 6.4 records (as the review pack counts them)."""
    other = clauses_of(make_policy(governance, title="Another Policy"))
    both = make_record(staff, clause_numbers=("5.2",), reference="DR-BOTH")
    RecordClause.objects.create(record=both, clause=other["6.4"], number="6.4", text=other["6.4"].text)
    client.force_login(hr)
    page = reverse("discipline:list")

    def references(params):
        return {record.reference for record, _ in client.get(page, params).context["records"]}

    assert references({"clause": "6.4"}) == {records["c"].reference, "DR-BOTH"}
    assert references({"clause": "6.4", "policy": "social-media-policy"}) == {records["c"].reference}
    assert references({"clause": "6.4", "policy": "another-policy"}) == {"DR-BOTH"}
    assert references({"policy": "another-policy"}) == {"DR-BOTH"}


def test_what_was_typed_in_a_filter_is_kept(client, hr, records):
    client.force_login(hr)
    response = client.get(reverse("discipline:list"), {"opened_from": "last tuesday"})
    assert 'value="last tuesday"' in response.text


@pytest.mark.parametrize("format", ["csv", "xlsx"])
@pytest.mark.parametrize("name", ["outcome", "date", "range"])
def test_a_download_with_a_filter_that_does_not_fit_exports_nothing(client, hr, records, name, format):
    params, field, message, _ = INVALID[name]
    client.force_login(hr)
    response = client.get(reverse(f"discipline:export_{format}"), params, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("discipline:list") + "?")
    assert "Nothing was exported: correct the filters below, then download again." in response.text
    assert message in response.context["form"].errors[field][0]
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


@override_settings(EXPORT_EXCEL_MAX_ROWS=2)
def test_an_excel_download_of_records_past_the_row_limit_says_so_and_exports_nothing(client, hr, records):
    client.force_login(hr)
    response = client.get(reverse("discipline:export_xlsx"), follow=True)
    assert response.redirect_chain[0][0] == reverse("discipline:list") + "?"
    assert "an Excel download holds at most 2 rows, and these filters match more" in response.text
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
    assert client.get(reverse("discipline:export_csv")).status_code == 200
