"""The CSV and Excel downloads of disciplinary records: their columns, that text cannot run as a formula,
that both stream, that each download is audited before it starts, and that queries do not grow with rows."""

import datetime
import io
import zipfile

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from discipline.models import AppealOutcome, Outcome, Severity, Step
from tests.exports.read_back import by_reference, csv_rows, xlsx_content_rows, xlsx_rows
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HEADER = [
    "Reference",
    "Employee",
    "Team",
    "Employment type",
    "Severity",
    "Clauses",
    "Allegation",
    "Step",
    "Outcome",
    "Outcome in force",
    "Decided on",
    "Warning expires",
    "Warning status",
    "Appeal outcome",
    "Opened on",
    "Case reference",
]


@pytest.fixture
def appealed(make_record, staff, case_about_colleague):
    """A final written warning, still live, upheld on appeal, opened from a case."""
    return make_record(
        staff,
        clause_numbers=("10.1", "5.2", "2.4"),
        severity=Severity.GROSS_MISCONDUCT,
        opened_on=TODAY - datetime.timedelta(days=60),
        decided=Outcome.FINAL_WRITTEN_WARNING,
        expires_on=TODAY + datetime.timedelta(days=300),
        step=Step.APPEAL_DECIDED,
        appeal_lodged_on=TODAY - datetime.timedelta(days=30),
        appeal_outcome=AppealOutcome.UPHELD,
        case=case_about_colleague,
    )


@pytest.fixture
def expired(make_record, other_staff):
    return make_record(
        other_staff,
        opened_on=TODAY - datetime.timedelta(days=500),
        decided=Outcome.FIRST_WRITTEN_WARNING,
        expires_on=TODAY,
    )


def download(client, user, format, **params):
    client.force_login(user)
    return client.get(reverse(f"discipline:export_{format}"), params)


def test_the_csv_holds_every_column_of_each_record(client, hr, staff, appealed, expired):
    response = download(client, hr, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="disciplinary-records-{TODAY.isoformat()}.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == [appealed.reference, expired.reference]  # Newest first.
    row = by_reference(rows)[appealed.reference]
    assert row == {
        "Reference": appealed.reference,
        "Employee": str(staff),
        "Team": "Community Support",
        "Employment type": "Employee",
        "Severity": "Gross misconduct",
        "Clauses": "2.4, 5.2, 10.1",
        "Allegation": "Posted a photograph of a service user's home on Facebook.",
        "Step": "Appeal decided",
        "Outcome": "Final written warning",
        "Outcome in force": "Final written warning",
        "Decided on": appealed.decided_on.isoformat(),
        "Warning expires": appealed.warning_expires_on.isoformat(),
        "Warning status": "Live",
        "Appeal outcome": "Original decision upheld",
        "Opened on": appealed.opened_on.isoformat(),
        "Case reference": appealed.case.reference,
    }
    # A warning that expires today has expired; an open record has no outcome and no case.
    other = by_reference(rows)[expired.reference]
    assert other["Warning status"] == "Expired"
    assert other["Case reference"] == ""
    assert other["Appeal outcome"] == ""


def test_a_record_with_no_outcome_has_no_warning_status(client, hr, make_record, staff):
    record = make_record(staff)
    row = by_reference(csv_rows(download(client, hr, "csv")))[record.reference]
    assert row["Step"] == "Opened"
    assert (row["Outcome"], row["Outcome in force"], row["Warning status"], row["Decided on"]) == (
        "",
        "",
        "",
        "",
    )


def test_the_excel_file_holds_the_same_with_dates_as_dates(client, hr, staff, appealed, expired):
    response = download(client, hr, "xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f'filename="disciplinary-records-{TODAY.isoformat()}.xlsx"' in response["Content-Disposition"]
    rows = xlsx_rows(response)
    assert rows[0] == HEADER
    row = by_reference(rows)[appealed.reference]
    assert row["Employee"] == str(staff)
    assert row["Clauses"] == "2.4, 5.2, 10.1"
    assert row["Warning status"] == "Live"
    assert row["Opened on"].date() == appealed.opened_on
    assert row["Warning expires"].date() == appealed.warning_expires_on
    assert by_reference(rows)[expired.reference]["Warning status"] == "Expired"


CRAFTED = ['=HYPERLINK("https://evil.example","Click me")', "+1", "-2", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.fixture
def crafted(make_record, staff):
    """Records whose allegation, and an employee whose name, are written to run as spreadsheet formulas."""
    records = [make_record(staff, allegation=text) for text in CRAFTED]
    villain = UserFactory(username="villain", first_name="=cmd|' /C calc'!A0", last_name="")
    records.append(make_record(villain, allegation="Harmless"))
    return records


def test_csv_cells_that_start_like_a_formula_are_neutralised(client, hr, crafted):
    rows = by_reference(csv_rows(download(client, hr, "csv")))
    for record, text in zip(crafted, CRAFTED, strict=False):
        assert rows[record.reference]["Allegation"] == "'" + text
    assert rows[crafted[-1].reference]["Employee"] == "'=cmd|' /C calc'!A0"


def test_excel_cells_that_start_like_a_formula_are_text_not_formulas(client, hr, crafted):
    response = download(client, hr, "xlsx")
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    rows = by_reference(xlsx_content_rows(content))
    for record, text in zip(crafted, CRAFTED, strict=False):
        # XML reads a carriage return back as a line feed.
        assert rows[record.reference]["Allegation"] == "'" + text.replace("\r", "\n")
    assert rows[crafted[-1].reference]["Employee"] == "'=cmd|' /C calc'!A0"


def test_the_csv_streams_and_is_audited_before_it_starts(client, hr, appealed, expired, team):
    response = download(client, hr, "csv", outcome=Outcome.FINAL_WRITTEN_WARNING, team=team.pk)
    assert isinstance(response, StreamingHttpResponse)
    # Written before any row is read: a download cut short is still in the log.
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == hr
    assert entry.what == "exported disciplinary records as CSV (1 row)"
    assert entry.details == {
        "format": "csv",
        "filters": {"outcome": "final_written_warning", "team": "Community Support"},
        "rows": 1,
    }
    assert [row[0] for row in csv_rows(response)[1:]] == [appealed.reference]


def test_the_excel_file_streams_and_is_audited_before_it_starts(client, hr, appealed, expired):
    response = download(client, hr, "xlsx", warning="expired", opened_to=TODAY.isoformat())
    assert isinstance(response, StreamingHttpResponse)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.what == "exported disciplinary records as Excel (1 row)"
    assert entry.details == {
        "format": "xlsx",
        "filters": {"opened_to": TODAY.isoformat(), "warning": "expired"},
        "rows": 1,
    }
    assert len(xlsx_rows(response)) == 2


def test_every_download_is_audited_again(client, hr, appealed, expired):
    for _ in range(2):
        b"".join(download(client, hr, "csv").streaming_content)
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=hr)
    assert [entry.details["rows"] for entry in entries] == [2, 2]
    assert all(entry.details["filters"] == {} for entry in entries)


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_queries_do_not_grow_with_the_number_of_records(
    client, hr, make_record, staff, other_staff, team, django_assert_max_num_queries, format
):
    for number in range(40):
        make_record(
            staff if number % 2 else other_staff,
            clause_numbers=("2.4", "5.2"),
            decided=Outcome.FIRST_WRITTEN_WARNING if number % 3 else None,
        )
    client.force_login(hr)
    # Session, person, permissions, clauses in use, the team filter, count, audit entry, then one query
    # for every row with its clauses and warning status.
    with django_assert_max_num_queries(9):
        response = client.get(reverse(f"discipline:export_{format}"), {"team": team.pk})
        rows = (csv_rows if format == "csv" else xlsx_rows)(response)
    assert len(rows) == 21
    assert all(row[5] == "2.4, 5.2" for row in rows[1:])
