"""Filtering and downloading in a real browser: HR filter the disciplinary records and download them;
the governance head downloads the cases they filtered and finds both downloads in the audit log. axe-core
checks each page on the way, the error state of the filters included.
"""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from discipline.models import DisciplinaryRecord, Outcome, Severity, Step
from people.models import User
from tests.browser.pages import h1

pytestmark = pytest.mark.browser


@pytest.fixture
def records(demo):
    hr = User.objects.get(username="hr")
    opened_on = timezone.localdate() - datetime.timedelta(days=40)
    common = {"opened_by": hr, "opened_on": opened_on, "severity": Severity.MISCONDUCT}
    live = DisciplinaryRecord.objects.create(
        reference="DR-2026-7001",
        employee=User.objects.get(username="staff"),
        allegation='=HYPERLINK("https://evil.example") posted in a story',
        step=Step.DECIDED,
        hearing_held_on=opened_on,
        outcome=Outcome.FIRST_WRITTEN_WARNING,
        decided_on=opened_on,
        outcome_in_force=Outcome.FIRST_WRITTEN_WARNING,
        warning_expires_on=opened_on + datetime.timedelta(days=365),
        **common,
    )
    still_open = DisciplinaryRecord.objects.create(
        reference="DR-2026-7002",
        employee=User.objects.get(username="staff2"),
        allegation="Commented on a service user's post.",
        **common,
    )
    return live, still_open


def downloaded_text(download):
    return open(download.path(), encoding="utf-8-sig").read()  # noqa: PTH123, SIM115


def test_hr_filter_and_download_records_and_governance_download_cases(
    page, log_in, log_out, assert_accessible, records
):
    live, still_open = records

    # HR find the records, keep the live warnings and download them.
    live_warnings = set(DisciplinaryRecord.objects.live_warnings().values_list("reference", flat=True))
    log_in("hr")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Disciplinary records").click()
    expect(h1(page)).to_have_text("Disciplinary records")
    expect(page.get_by_role("row").filter(has_text=still_open.reference)).to_have_count(1)
    assert_accessible(page)
    page.get_by_label("Warning").select_option(label="Live warnings")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(len(live_warnings))  # One page: no count is shown.
    expect(page.get_by_role("row").filter(has_text=live.reference)).to_contain_text("Live")
    expect(page.get_by_role("row").filter(has_text=still_open.reference)).to_have_count(0)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("disciplinary-records-")
    rows = {row[0]: row for row in csv.reader(io.StringIO(downloaded_text(download)))}
    assert set(rows) - {"Reference"} == live_warnings
    assert rows[live.reference][6].startswith("'=HYPERLINK")

    # A date range the wrong way round is an error, tied to its field, and nothing can be downloaded.
    page.get_by_label("Opened from").fill("2026-05-01")
    page.get_by_label("Opened to").fill("2026-04-01")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("alert")).to_contain_text("Opened to: The end of the range must not be before")
    expect(page.get_by_role("link", name="Download CSV")).to_have_count(0)
    assert_accessible(page)
    log_out()

    # The governance head downloads the open cases as Excel, then finds both exports in the audit log.
    log_in("governance")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="All cases").click()
    page.get_by_label("Stage").select_option(label="Submitted")
    page.get_by_role("button", name="Filter").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Excel").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    page.get_by_label("Action").select_option(label="Exported")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("row").filter(has_text="exported cases as Excel")).to_contain_text(
        "Stage: submitted"
    )
    records_row = page.get_by_role("row").filter(has_text="exported disciplinary records as CSV")
    expect(records_row).to_contain_text("Warning: live")
    assert_accessible(page)
