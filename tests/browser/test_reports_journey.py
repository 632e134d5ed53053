"""The governance head reads the reports and a policy's review pack in a real browser, checked with axe."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

POLICY = "Social Media Policy"


def test_governance_head_reads_the_reports_and_the_review_pack(demo, page, log_in, assert_accessible):
    log_in("governance")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(page.get_by_role("img", name="Cases raised by month")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile(r"^Cases raised by month"))).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"\d+ cases? raised from"))
    assert_accessible(page)

    # A date that does not exist: explained, kept in its box, and the figures stay on the default.
    page.get_by_label("Raised from").fill("31/02/2026")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("alert")).to_contain_text("These dates could not be used")
    expect(page.get_by_label("Raised from")).to_have_value("31/02/2026")
    expect(page.get_by_label("Raised from")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.get_by_role("link", name=f"Review pack for the {POLICY}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review pack: {POLICY}")
    expect(page.get_by_role("heading", name="Breaches by clause since the last review")).to_be_visible()
    expect(page.get_by_role("heading", name="Staff comments received since the last review")).to_be_visible()
    expect(page.get_by_text("Could we have a list of professional forums")).to_be_visible()
    expect(page.get_by_role("link", name="Download the review pack (PDF)")).to_be_visible()
    assert_accessible(page)
