"""The cases through the API: what the handler's page shows, what the reporter's list shows and nothing
more, filters, pages, audit entries, and a bounded number of queries however many cases there are."""

import base64
import datetime
import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases import services
from cases.breach import breach_decision_record
from cases.models import Case, Platform, Stage, SubjectKind

pytestmark = pytest.mark.django_db

LIST = reverse("api:case-list")


def detail_url(case):
    return reverse("api:case-detail", args=[case.reference])


@pytest.fixture
def noted(cases, supervisor):
    """The breach case with an internal note and a message to the reporter."""
    case = cases["breach"]
    services.case_add_note(case=case, by=supervisor, text="The subject has done this before; see HR.")
    services.case_message_reporter(case=case, by=supervisor, text="Thank you, we are looking into it.")
    return case


def test_a_case_reads_as_on_its_handlers_page(client, supervisor, staff, other_staff, noted):
    client.force_login(supervisor)
    body = client.get(detail_url(noted)).json()
    assert body["reference"] == noted.reference
    assert (body["stage"], body["stage_label"]) == ("submitted", "Submitted")
    assert (body["outcome"], body["outcome_label"]) == ("", "")
    assert (body["subject_kind"], body["subject_person"]) == ("colleague", str(other_staff))
    assert (body["platform"], body["platform_name"]) == ("facebook", "Facebook")
    assert body["links"] == ["https://facebook.example/posts/1"]
    assert body["description"] == noted.description
    assert body["identifies_service_user_or_carer"] is True
    assert body["discloses_confidential_information"] is False
    assert body["personal_data_breach_at"] is not None
    assert [clause["number"] for clause in body["clauses"]] == ["5.2"]
    assert body["clauses"][0]["text"] == noted.clauses.get().text
    assert (body["reporter"], body["reporter_team"], body["handler"]) == (
        str(staff),
        "Community Support",
        str(supervisor),
    )
    assert body["url"] == f"http://testserver{noted.get_absolute_url()}"
    # The timeline as the handler sees it: internal notes included, with who wrote them.
    kinds = [(event["kind"], event["actor"]) for event in body["events"]]
    assert ("note", str(supervisor)) in kinds and ("message", str(supervisor)) in kinds
    assert body["evidence"] == []
    assert body["breach_decision_due_at"] is not None and body["breach_decision"] is None


def test_the_head_of_information_security_reads_the_breach_decision(client, infosec, cases):
    breach_decision_record(
        case=cases["breach"], by=infosec, reported_to_ico=True, reasons="Health data.", ico_reference="ICO-1"
    )
    client.force_login(infosec)
    decision = client.get(detail_url(cases["breach"])).json()["breach_decision"]
    assert decision["reported_to_ico"] is True
    assert (decision["ico_reference"], decision["reasons"], decision["decided_by"]) == (
        "ICO-1",
        "Health data.",
        str(infosec),
    )


def test_the_list_shows_a_summary_of_the_case_and_the_detail_its_content(client, supervisor, noted):
    client.force_login(supervisor)
    response = client.get(LIST)
    row = next(r for r in response.json()["results"] if r["reference"] == noted.reference)
    assert "events" not in row and "evidence" not in row and "description" not in row
    assert row["handler"] == {"id": supervisor.pk, "name": str(supervisor)}
    # What the case is about is on its detail only (tests/api/test_api_summaries.py says more).
    assert noted.description not in response.text
    assert noted.description in client.get(row["detail"]).text


def test_evidence_is_listed_with_its_audited_download_address(client, supervisor, staff, raise_case):
    note = SimpleUploadedFile("what-i-saw.txt", b"The post named the service user.", "text/plain")
    case = raise_case(staff, evidence_files=[note])
    client.force_login(supervisor)
    (item,) = client.get(detail_url(case)).json()["evidence"]
    stored = case.evidence.get()
    assert item["name"] == "what-i-saw.txt"
    assert (item["content_type"], item["size"], item["uploaded_by"]) == (stored.content_type, 32, str(staff))
    assert item["url"] == "http://testserver" + reverse("cases:evidence", args=[case.reference, stored.pk])
    assert item["sha256"] == hashlib.sha256(b"The post named the service user.").hexdigest()


def test_the_reporter_sees_only_what_their_list_shows(client, other_staff, other_supervisor, cases):
    """staff2's concern is closed with an outcome: neither the outcome nor the handler reaches them."""
    client.force_login(other_staff)
    response = client.get(reverse("api:my-concern-list"))
    (row,) = response.json()["results"]
    public = cases["public"]
    assert row == {
        "reference": public.reference,
        "stage": "closed",
        "stage_label": "Closed",
        "raised_at": row["raised_at"],
        "url": f"http://testserver{public.get_absolute_url()}",
    }
    assert public.outcome and public.outcome not in response.text
    assert str(other_supervisor) not in response.text
    assert "Recorded for the test." not in response.text


def test_the_reporter_cannot_read_their_case_through_the_handlers_endpoint(client, staff, noted):
    client.force_login(staff)
    response = client.get(detail_url(noted))
    assert response.status_code == 404
    assert "looking into it" not in response.text and "done this before" not in response.text


# --- Audit ---------------------------------------------------------------------------------------------


def test_reading_a_case_is_audited_like_the_page(client, governance, cases):
    client.force_login(governance)
    client.get(detail_url(cases["breach"]), REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).get()
    assert (entry.actor, entry.case, entry.ip_address) == (governance, cases["breach"], "10.1.2.3")
    assert entry.details == {"via": "api"}
    assert "through the API" in entry.what


def test_lists_are_not_audited_and_refusals_are_not_views(client, governance, outsider, cases):
    client.force_login(governance)
    client.get(LIST)
    client.force_login(outsider)
    client.get(detail_url(cases["breach"]))
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).exists()


# --- Filters and pages ---------------------------------------------------------------------------------


def listed(client, **query):
    response = client.get(LIST, query)
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


def test_filters(client, governance, cases):
    client.force_login(governance)
    breach, public = cases["breach"].reference, cases["public"].reference
    assert listed(client) == {breach, public}
    assert listed(client, stage=Stage.CLOSED) == {public}
    assert listed(client, stage=Stage.SUBMITTED) == {breach}
    assert listed(client, platform=Platform.TWITTER) == {public}
    assert listed(client, subject_kind=SubjectKind.COLLEAGUE) == {breach}
    assert listed(client, clause="5.2") == {breach, public}
    # Empty values mean no filter, as on the pages' forms.
    assert listed(client, stage="", clause="", raised_from="") == {breach, public}


def test_the_raised_dates_are_inclusive_days(client, governance, cases):
    Case.objects.filter(pk=cases["breach"].pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 30))
    )
    client.force_login(governance)
    breach = cases["breach"].reference
    assert listed(client, raised_from="2026-03-01", raised_to="2026-03-01") == {breach}
    assert breach not in listed(client, raised_from="2026-03-02")
    assert listed(client, raised_to="2026-02-28") == set()


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"stage": "lost"}, "stage"),
        ({"platform": "myspace"}, "platform"),
        ({"clause": "five"}, "clause"),
        # A clause no case you may see cites, as on the page, where the list offers only those.
        ({"clause": "5.3"}, "clause"),
        ({"raised_from": "yesterday"}, "raised_from"),
        ({"raised_to": "2026-02-30"}, "raised_to"),
    ],
)
def test_a_value_that_does_not_fit_is_refused_by_name(client, governance, cases, query, named):
    client.force_login(governance)
    response = client.get(LIST, query)
    assert response.status_code == 400
    assert list(response.json()) == [named]


@pytest.fixture
def many_cases(raise_case, staff, governance, cases):
    """53 more of staff's concerns, so that governance's list runs to two pages."""
    for _ in range(53):
        raise_case(staff)
    return Case.objects.exclude(subject_person=governance).count()


def test_the_list_comes_in_pages_of_fifty_newest_first(client, governance, many_cases):
    client.force_login(governance)
    first = client.get(LIST).json()
    assert "count" not in first  # A million cases are not counted for each page.
    assert len(first["results"]) == 50 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    assert client.get(second["previous"]).json()["results"] == first["results"]
    rows = first["results"] + second["results"]
    assert len({row["reference"] for row in rows}) == many_cases == 55
    raised = [row["raised_at"] for row in rows]
    assert raised == sorted(raised, reverse=True)
    # Page numbers are not used: the first page, as on the pages.
    assert client.get(LIST, {"page": 999999999999}).json()["results"] == first["results"]


def cursor_of(value):
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


NOW = "2026-01-01T00:00:00+00:00"
SORT_KEYS = {
    "reference": lambda row: row["reference"],
    "stage": lambda row: (Stage.values.index(row["stage"]), row["raised_at"]),
    "raised": lambda row: row["raised_at"],
    "age": lambda row: row["raised_at"],
    "due": lambda row: row["due_on"] or "9999-12-31",  # No deadline last.
    "-due": lambda row: row["due_on"] or "0001-01-01",  # Still last, the reverse way.
}


@pytest.mark.parametrize(
    "sort",
    ["reference", "-reference", "stage", "-stage", "raised", "-raised", "age", "-age", "due", "-due"],
)
def test_the_pages_follow_the_sort(client, governance, move_to, many_cases, sort):
    for case in Case.objects.filter(stage=Stage.SUBMITTED).order_by("pk")[:3]:
        move_to(case, Stage.REFERRED)
    client.force_login(governance)
    page = client.get(LIST, {"sort": sort}).json()
    rows = page["results"]
    while page["next"]:
        page = client.get(page["next"]).json()
        rows += page["results"]
    key = sort.removeprefix("-")
    descending = sort.startswith("-") != (key == "age")  # The youngest first: the newest raised.
    assert [row["reference"] for row in rows] == [
        row["reference"]
        for row in sorted(rows, key=SORT_KEYS[sort if key == "due" else key], reverse=descending)
    ]
    assert len({row["reference"] for row in rows}) == len(rows) == many_cases


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "bi",
        cursor_of(["n", [1]]),
        cursor_of(["n", ["not a day", 1]]),
        cursor_of(["n", [NOW, 10**30]]),
    ],
)
def test_a_cursor_the_list_did_not_give_is_refused(client, governance, cases, cursor):
    # Not base64, not JSON, the wrong length, not a time, a key beyond any the database holds.
    client.force_login(governance)
    response = client.get(LIST, {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()


def queries_for(client, url, **query):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, query).status_code == 200
    return len(queries)


@pytest.fixture
def twelve_more(raise_case, staff, cases):
    for _ in range(12):
        raise_case(staff)


def test_the_list_costs_the_same_queries_for_one_case_or_many(
    client, governance, twelve_more, django_assert_max_num_queries
):
    client.force_login(governance)
    assert len(client.get(LIST, {"platform": Platform.TWITTER}).json()["results"]) == 1
    # Session, user, permissions; page, clauses.
    with django_assert_max_num_queries(7):
        assert len(client.get(LIST).json()["results"]) == 14
    assert queries_for(client, LIST) == queries_for(client, LIST, platform=Platform.TWITTER)


def test_my_concerns_cost_the_same_queries_for_one_or_many(client, staff, other_staff, twelve_more):
    client.force_login(staff)
    many = queries_for(client, reverse("api:my-concern-list"))
    client.force_login(other_staff)
    assert queries_for(client, reverse("api:my-concern-list")) == many
