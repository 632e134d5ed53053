"""The governance head reads the retention schedule, places and lifts a legal hold, and records a subject
access request, in a real browser, each page checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import h1, nav, status

pytestmark = pytest.mark.browser


def test_governance_head_keeps_the_schedule_holds_and_requests(demo, page, log_in, assert_accessible):
    log_in("governance")
    nav(page, "Data protection")
    expect(h1(page)).to_have_text("Data protection")
    assert_accessible(page)

    page.get_by_role("link", name="Retention schedule").click()
    table = page.get_by_role("table", name="How long each kind of record is kept")
    expect(table).to_contain_text("1 year after closing")
    assert_accessible(page)

    nav(page, "Data protection")
    page.get_by_role("link", name="Legal holds").click()
    page.get_by_role("button", name="Place the legal hold").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Person (username)").fill("staff")
    page.get_by_label("Reason").fill("Grievance appeal pending.")
    page.get_by_role("button", name="Place the legal hold").click()
    expect(status(page)).to_contain_text("is now under a legal hold")
    in_force = page.get_by_role("table", name=re.compile("Legal holds in force"))
    expect(in_force).to_contain_text("Grievance appeal pending.")
    in_force.get_by_role("row").filter(has_text="Grievance appeal").get_by_role("link", name="Lift").click()
    page.get_by_label("Reason").fill("The claim was withdrawn.")
    page.get_by_role("button", name="Lift the legal hold").click()
    expect(status(page)).to_contain_text("The legal hold is lifted.")

    nav(page, "Data protection")
    page.get_by_role("link", name="Subject access and erasure requests").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record a subject access request").click()
    page.get_by_label("Person (username)").fill("staff")
    page.get_by_label("Who asked").fill("Themselves, by e-mail")
    page.get_by_label("Received on").fill("2026-11-20")
    page.get_by_role("button", name="Record the request").click()
    expect(status(page)).to_contain_text("the answer is due by 20 December 2026")
    expect(page.get_by_role("button", name="Produce and download the archive")).to_be_visible()
    assert_accessible(page)
