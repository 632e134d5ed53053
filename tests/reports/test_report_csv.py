"""The CSV of the reports page's figures: the same period, one row per figure and label, cells that
cannot run as formulas, and an audit entry for the export."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEntry
from tests.reports.moments import NOW, PERIOD

pytestmark = pytest.mark.django_db

CSV = reverse("reports:csv")


@pytest.fixture
def download(client, governance):
    def _download(params=None):
        client.force_login(governance)
        with time_machine.travel(NOW, tick=False):
            response = client.get(CSV, params or {})
            body = b"".join(response.streaming_content).decode("utf-8")
        return response, list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))

    return _download


def rows_of(rows, figure):
    return [(label, value) for name, label, value in rows[1:] if name.startswith(figure)]


def test_the_csv_has_every_figure_of_the_page(download, world):
    response, rows = download(PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="governance-report-2026-01-01-to-2026-04-30.csv"' in response["Content-Disposition"]
    assert rows[0] == ["Figure", "Label", "Value"]
    assert rows_of(rows, "Cases raised by month") == [
        ("Jan 2026", "2"),
        ("Feb 2026", "1"),
        ("Mar 2026", "0"),
        ("Apr 2026", "1"),
    ]
    assert rows_of(rows, "Cases by clause") == [("5.2", "2"), ("5.3", "1"), ("6.4", "1")]
    assert ("Closed at triage", "2") in rows_of(rows, "Cases by stage")
    assert ("A blog or website", "1") in rows_of(rows, "Cases by platform")
    assert ("Supported Living", "2") in rows_of(rows, "Cases by the reporter")
    assert ("Content removed", "1") in rows_of(rows, "Cases by outcome")
    triage = dict(rows_of(rows, "Time to triage"))
    assert triage["Within the limit of 4 working days"] == "3"
    assert triage["Over the limit of 4 working days"] == "1"
    assert triage["Median working days"] == "2"
    decision = dict(rows_of(rows, "Time to decision"))
    assert decision["Median working days"] == "8"
    assert decision["Not done yet and past the limit of 10 working days"] == "1"
    acknowledgements = dict(rows_of(rows, "Acknowledgement of the Social Media Policy, version 1"))
    # Community Support: staff, supervisor, head of service; Supported Living: staff2, supervisor2; and
    # the governance head, in no team. Nobody has acknowledged yet.
    assert acknowledgements["Community Support: staff"] == "3"
    assert acknowledgements["All teams: staff"] == "6"
    assert acknowledgements["All teams: acknowledged"] == "0"


def test_the_csv_and_the_page_agree(download, client, governance, world):
    _, rows = download(PERIOD)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("reports:index"), PERIOD)
    for figure in page.context["figures"]:
        assert rows_of(rows, figure[0].title) == [(row.label, str(row.value)) for row in figure[0].rows]


def test_an_invalid_period_downloads_the_default_one(download, world):
    response, rows = download({"raised_from": "yesterday"})
    assert 'filename="governance-report-2025-06-01-to-2026-05-15.csv"' in response["Content-Disposition"]
    assert len(rows_of(rows, "Cases raised by month")) == 12


def test_cells_that_look_like_formulas_are_neutralised(download, world, other_team):
    other_team.name = '=HYPERLINK("https://evil.example","Supported Living")'
    other_team.save()
    _, rows = download(PERIOD)
    teams = dict(rows_of(rows, "Cases by the reporter"))
    assert teams == {"Community Support": "2", "'" + other_team.name: "2"}
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_the_download_is_audited_as_an_export_with_its_filters_and_rows(download, governance, world):
    _, rows = download(PERIOD)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == governance
    assert entry.case is None
    assert entry.details == {"filters": PERIOD, "rows": len(rows) - 1}
    assert "governance report" in entry.what
