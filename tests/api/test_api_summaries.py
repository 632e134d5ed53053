"""The API's lists of cases and disciplinary records are summaries (UK GDPR data minimisation): where each
stands, its dates, clause numbers and who handles it. What it is about comes from the detail endpoint,
which is audited like the page; the lists are not audited, like the pages' lists."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases import services
from cases.models import Case

pytestmark = pytest.mark.django_db

CASES = reverse("api:case-list")
RECORDS = reverse("api:disciplinary-record-list")


def case_detail(case):
    return reverse("api:case-detail", args=[case.reference])


def record_detail(record):
    return reverse("api:disciplinary-record-detail", args=[record.reference])


@pytest.fixture
def noted(cases, supervisor):
    case = cases["breach"]
    services.case_add_note(case=case, by=supervisor, text="The subject has done this before; see HR.")
    services.case_message_reporter(case=case, by=supervisor, text="Thank you, we are looking into it.")
    return case


def test_a_case_in_the_list_is_its_summary(client, supervisor, noted):
    client.force_login(supervisor)
    row = next(r for r in client.get(CASES).json()["results"] if r["reference"] == noted.reference)
    assert row == {
        "reference": noted.reference,
        "stage": "submitted",
        "stage_label": "Submitted",
        "raised_at": row["raised_at"],
        "stage_changed_at": row["stage_changed_at"],
        "due_on": Case.objects.get(pk=noted.pk).due_on.isoformat(),
        "clauses": ["5.2"],
        "handler": {"id": supervisor.pk, "name": str(supervisor)},
        "detail": f"http://testserver{case_detail(noted)}",
        "url": f"http://testserver{noted.get_absolute_url()}",
    }
    assert row["raised_at"] and row["stage_changed_at"]


def test_what_a_case_is_about_is_on_its_detail_and_not_in_the_list(client, governance, staff, cases):
    case = cases["public"]
    client.force_login(governance)
    listed = client.get(CASES).text
    detail = client.get(case_detail(case)).text
    for content in [
        case.description,
        case.subject_description,
        "https://x.example/1",
        str(case.reporter),
        case.clauses.get().text,
        "Recorded for the test.",  # the reasons on the timeline
    ]:
        assert content not in listed, content
        assert content in detail.replace("\\n", "\n"), content


def test_a_case_list_is_not_audited_its_detail_is_like_the_page(client, governance, cases):
    client.force_login(governance)
    client.get(CASES)
    views = AuditEntry.objects.filter(actor=governance, action=AuditEntry.Action.VIEW)
    assert not views.exists()
    case = cases["breach"]
    client.get(case_detail(case))
    client.get(case.get_absolute_url())
    api, page = views.order_by("pk")
    assert (api.action, api.case, api.what) == (
        AuditEntry.Action.VIEW,
        case,
        f"viewed {case.reference} through the API",
    )
    assert (page.action, page.case, page.what) == (AuditEntry.Action.VIEW, case, f"viewed {case.reference}")


def test_a_record_in_the_list_is_its_summary(client, hr, other_staff, records):
    record = records["about_staff2"]
    client.force_login(hr)
    (row,) = client.get(RECORDS).json()["results"]
    assert row == {
        "reference": record.reference,
        "employee": other_staff.pk,
        "step": "decided",
        "step_label": record.get_step_display(),
        "outcome": record.outcome,
        "outcome_label": record.get_outcome_display(),
        "outcome_in_force": record.outcome_in_force,
        "outcome_in_force_label": record.get_outcome_in_force_display(),
        "warning_status": "live",
        "opened_on": record.opened_on.isoformat(),
        "decided_on": record.decided_on.isoformat(),
        "warning_expires_on": record.warning_expires_on.isoformat(),
        "clauses": ["5.2"],
        "opened_by": {"id": hr.pk, "name": str(hr)},
        "detail": f"http://testserver{record_detail(record)}",
        "url": f"http://testserver{record.get_absolute_url()}",
    }


def test_what_a_record_is_about_is_on_its_detail_and_not_in_the_list(client, hr, other_staff, records):
    record = records["about_staff2"]
    client.force_login(hr)
    listed = client.get(RECORDS).text
    detail = client.get(record_detail(record)).text
    for content in [
        record.allegation,
        record.outcome_reasons,
        other_staff.display_name,
        record.clauses.get().text,
        record.case.reference,
    ]:
        assert content not in listed, content
        assert content in detail.replace("\\n", "\n"), content


def test_a_record_list_is_not_audited_its_detail_is_like_the_page(client, hr, records):
    record = records["about_staff2"]
    client.force_login(hr)
    client.get(RECORDS)
    views = AuditEntry.objects.filter(actor=hr, action=AuditEntry.Action.VIEW)
    assert not views.exists()
    client.get(record_detail(record))
    client.get(record.get_absolute_url())
    api, page = views.order_by("pk")
    assert (api.action, api.case, api.details["record"]) == (
        AuditEntry.Action.VIEW,
        record.case,
        record.reference,
    )
    assert api.what == f"viewed disciplinary record {record.reference} through the API"
    assert (page.action, page.case, page.what) == (
        AuditEntry.Action.VIEW,
        record.case,
        f"viewed disciplinary record {record.reference}",
    )
