"""Disciplinary records through the API: HR only, never a record about oneself, the filters of the
record list, every read audited, and a bounded number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from discipline.models import AppealOutcome, Outcome, Step
from people.models import User
from tests.api.conftest import warning
from tests.factories import make_agency_worker

pytestmark = pytest.mark.django_db

LIST = reverse("api:disciplinary-record-list")
TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def detail_url(record):
    return reverse("api:disciplinary-record-detail", args=[record.reference])


def test_a_record_with_every_step(client, hr, other_staff, supervisor, head_of_service, make_record, cases):
    record = make_record(
        other_staff,
        clauses=("5.2", "5.3"),
        case=cases["breach"],
        investigator=supervisor,
        investigation_summary="Screenshots confirm the post.",
        investigation_completed_on=days(-60),
        invitation_sent_on=days(-55),
        hearing_arranged_for=days(-50),
        heard_by=head_of_service,
        companion="A union representative",
        hearing_notes="Accepted posting it.",
        appeal_lodged_on=days(-20),
        appeal_grounds="Too harsh.",
        appeal_heard_on=days(-10),
        appeal_heard_by=head_of_service,
        appeal_outcome=AppealOutcome.VARIED,
        appeal_reasons="First offence.",
        **{**warning(days(-50), days(315), Outcome.FINAL_WRITTEN_WARNING), "step": Step.APPEAL_DECIDED},
    )
    record.outcome_in_force = Outcome.FIRST_WRITTEN_WARNING
    record.save()
    client.force_login(hr)
    body = client.get(detail_url(record)).json()
    assert body["employee"] == {"id": other_staff.pk, "name": str(other_staff)}
    assert body["team"] == {"id": other_staff.team.pk, "name": "Supported Living"}
    assert (body["employment_type"], body["severity"], body["step"]) == (
        "employee",
        "misconduct",
        "appeal_decided",
    )
    assert [clause["number"] for clause in body["clauses"]] == ["5.2", "5.3"]
    assert body["investigation"] == {
        "investigator": str(supervisor),
        "summary": "Screenshots confirm the post.",
        "completed_on": days(-60).isoformat(),
    }
    assert body["hearing"]["heard_by"] == str(head_of_service)
    assert body["hearing"]["companion"] == "A union representative"
    assert (body["outcome"], body["outcome_in_force"]) == ("final_written_warning", "first_written_warning")
    assert (body["warning_expires_on"], body["warning_status"]) == (days(315).isoformat(), "live")
    assert body["appeal"]["outcome"] == "varied" and body["appeal"]["heard_by"] == str(head_of_service)
    assert (body["case"], body["opened_on"], body["opened_by"]) == (
        cases["breach"].reference,
        TODAY.isoformat(),
        str(hr),
    )


def test_hr_never_see_a_record_about_themselves(client, hr, records):
    client.force_login(hr)
    listed = {row["reference"] for row in client.get(LIST).json()["results"]}
    assert listed == {records["about_staff2"].reference}
    assert client.get(detail_url(records["about_hr"])).status_code == 404


def test_reading_a_record_is_audited(client, hr, records):
    client.force_login(hr)
    client.get(detail_url(records["about_staff2"]), REMOTE_ADDR="10.9.8.7")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW)
    assert (entry.actor, entry.ip_address) == (hr, "10.9.8.7")
    assert entry.details == {"record": records["about_staff2"].reference, "via": "api"}


def test_lists_and_refusals_are_not_audited(client, hr, governance, records):
    client.force_login(hr)
    client.get(LIST)
    client.get(detail_url(records["about_hr"]))
    client.force_login(governance)
    client.get(detail_url(records["about_staff2"]))
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).exists()


@pytest.fixture
def filed(make_record, hr, staff, other_staff):
    """Records about several people, opened on different days, with different outcomes."""
    agency = make_agency_worker()
    return {
        "live": make_record(other_staff, opened_on=days(-100), **warning(days(-90), days(275))),
        "expired": make_record(staff, opened_on=days(-500), **warning(days(-490), days(-125))),
        "open": make_record(agency, clauses=("5.3",), opened_on=days(-5)),
        "no_action": make_record(
            staff,
            opened_on=days(-40),
            step=Step.DECIDED,
            hearing_held_on=days(-30),
            outcome=Outcome.NO_ACTION,
            outcome_in_force=Outcome.NO_ACTION,
            decided_on=days(-30),
        ),
    }


def listed(client, **query):
    response = client.get(LIST, query)
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def test_filters(client, hr, staff, other_staff, filed):
    ref = {name: record.reference for name, record in filed.items()}
    client.force_login(hr)
    assert listed(client) == [ref["open"], ref["no_action"], ref["live"], ref["expired"]]  # newest first
    assert listed(client, warning="live") == [ref["live"]]
    assert listed(client, warning="expired") == [ref["expired"]]
    assert listed(client, outcome=Outcome.NO_ACTION) == [ref["no_action"]]
    assert listed(client, opened_from=days(-100).isoformat(), opened_to=days(-40).isoformat()) == [
        ref["no_action"],
        ref["live"],
    ]
    assert listed(client, team=other_staff.team.pk) == [ref["live"]]
    assert listed(client, employment_type=User.EmploymentType.AGENCY) == [ref["open"]]
    assert listed(client, clause="5.3") == [ref["open"]]
    assert listed(client, warning="", outcome="") == listed(client)
    live = client.get(LIST, {"warning": "live"}).json()["results"][0]
    expired = client.get(LIST, {"warning": "expired"}).json()["results"][0]
    assert (live["warning_status"], expired["warning_status"]) == ("live", "expired")


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"warning": "forever"}, "warning"),
        ({"outcome": "sacked"}, "outcome"),
        ({"opened_from": "last week"}, "opened_from"),
        ({"team": "Bank Staff"}, "team"),
        ({"team": str(2**63)}, "team"),
        ({"clause": "5"}, "clause"),
        ({"employment_type": "volunteer"}, "employment_type"),
    ],
)
def test_a_value_that_does_not_fit_is_refused_by_name(client, hr, filed, query, named):
    client.force_login(hr)
    response = client.get(LIST, query)
    assert response.status_code == 400
    assert list(response.json()) == [named]


def test_the_list_costs_the_same_queries_for_one_record_or_many(
    client, hr, filed, make_record, other_staff, django_assert_max_num_queries
):
    for _ in range(10):
        make_record(other_staff, clauses=("5.2", "5.3"), investigator=hr)
    client.force_login(hr)

    def queries(**query):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST, query)
        return len(response.json()["results"]), len(captured)

    (one, few), (many, lots) = queries(warning="live"), queries()
    assert (one, many) == (1, 14)
    assert few == lots
    # Session, user, permissions; page, clauses.
    with django_assert_max_num_queries(7):
        client.get(LIST)


def test_the_list_comes_in_keyset_pages_without_a_count(client, hr, filed, make_record, other_staff):
    for _ in range(52):
        make_record(other_staff, clauses=("5.2",), investigator=hr)
    client.force_login(hr)
    first = client.get(LIST).json()
    assert "count" not in first  # Years of records are not counted for each page.
    assert len(first["results"]) == 50 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["next"] is None
    references = [row["reference"] for row in first["results"] + second["results"]]
    assert len(set(references)) == len(references) == 50 + len(second["results"])
    assert client.get(second["previous"]).json()["results"] == first["results"]
    assert client.get(LIST, {"cursor": "not-a-cursor"}).status_code == 400
