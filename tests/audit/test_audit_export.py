"""Searching the audit log and exporting what was found: the Head of Business and Governance and the Head
of Information & Security filter by person, case and dates, download the entries as CSV, and the download
is itself audited. Everyone else gets a 404 for both."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from tests.factories import concern_about_colleague

pytestmark = pytest.mark.django_db

LOG = reverse("audit:log")
EXPORT = reverse("exports:audit_log_csv")
READERS = ["governance", "infosec"]
OTHERS = ["staff", "supervisor", "head_of_service", "hr", "comms", "administrator", "outsider"]


@pytest.fixture
def case(raise_case, staff):
    return raise_case(staff)


@pytest.fixture
def other_case(raise_case, other_staff):
    return raise_case(other_staff)


def rows(response):
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("who", READERS + OTHERS)
@pytest.mark.parametrize("page", [LOG, EXPORT])
def test_who_may_search_and_export(client, request, case, who, page):
    client.force_login(request.getfixturevalue(who))
    response = client.get(page)
    expected = 200 if who in READERS else 404
    assert response.status_code == expected
    if expected == 404:
        assert case.reference not in response.content.decode()
        assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


@pytest.mark.parametrize("who", READERS)
def test_the_log_page_offers_the_download_of_what_it_shows(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(LOG, {"person": "staff"})
    assert f'href="{EXPORT}?person=staff"' in response.text


@pytest.fixture
def history(case, other_case, staff, other_staff, supervisor):
    """Three readings: staff's of their case ten days ago, supervisor's of it today, staff2's of theirs."""
    old = audit_record(actor=staff, action=AuditEntry.Action.VIEW, case=case, what="the old reading")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=10))
    audit_record(actor=supervisor, action=AuditEntry.Action.VIEW, case=case, what="the supervisor's reading")
    audit_record(actor=other_staff, action=AuditEntry.Action.VIEW, case=other_case, what="the other reading")


def whats(found):
    return {row["What"] for row in found if "reading" in row["What"]}


@pytest.mark.parametrize("who", READERS)
def test_the_export_holds_what_the_filters_found_and_is_audited(client, request, history, case, who):
    person = request.getfixturevalue(who)
    client.force_login(person)
    today = timezone.localdate()

    by_person = rows(client.get(EXPORT, {"person": "staff"}))
    by_case = rows(client.get(EXPORT, {"reference": case.reference}))
    by_dates = rows(client.get(EXPORT, {"since": (today - datetime.timedelta(days=1)).isoformat()}))
    older = rows(client.get(EXPORT, {"until": (today - datetime.timedelta(days=5)).isoformat()}))

    assert whats(by_person) == {"the old reading"}
    assert whats(by_case) == {"the old reading", "the supervisor's reading"}
    assert whats(by_dates) == {"the supervisor's reading", "the other reading"}
    assert whats(older) == {"the old reading"}
    row = next(row for row in by_person if row["What"] == "the old reading")
    assert (row["Username"], row["Action"], row["Case"]) == ("staff", "Viewed", case.reference)

    exports = AuditEntry.objects.filter(actor=person, action=AuditEntry.Action.EXPORT).order_by("pk")
    assert exports.count() == 4
    first = exports.first()
    assert first.details["filters"] == {"person": "staff"}
    assert first.details["rows"] == len(by_person)
    assert (
        first.what
        == f"exported audit entries as CSV ({len(by_person)} row{'' if len(by_person) == 1 else 's'})"
    )
    # The export's own entry is not in what it exported: it was written after the search.
    assert all(row["Entry"] != str(first.pk) for row in by_person)


def test_invalid_filters_export_nothing_and_say_why(client, governance, history):
    client.force_login(governance)
    response = client.get(EXPORT, {"since": "2026-05-10", "until": "2026-05-01"})
    assert response.status_code == 302
    assert response["Location"].startswith(LOG)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
    page = client.get(response["Location"])
    assert "Nothing was exported" in page.text


def test_the_export_leaves_out_entries_about_the_readers_own_case(client, staff, infosec, policy):
    about_infosec = concern_about_colleague(policy, staff, infosec)
    audit_record(actor=staff, action=AuditEntry.Action.VIEW, case=about_infosec, what="read the concern")
    client.force_login(infosec)
    assert "read the concern" not in {row["What"] for row in rows(client.get(EXPORT))}
