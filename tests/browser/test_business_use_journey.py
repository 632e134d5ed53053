"""A post on an official focus account through its whole journey in a real browser (clause 6.1): the
member of staff asks, their supervisor asks for a change, the member of staff changes it and resubmits,
the supervisor approves the content and the communications team (CBUCP) publishes it; the governance head
reads it and an outsider cannot. axe-core checks every page on the way, error states included.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import h1, nav, status

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"BU-\d{4}-\d{4}")
FIRST_DRAFT = "Photos from Saturday's garden party at Elm House, with everyone who came along!"
CHANGE_REASON = "Residents can be recognised in the photos: please post the text without them."
SECOND_DRAFT = "Thank you to everyone who came to Saturday's garden party at Elm House."


def move(page, label):
    """One action on the request page, found by its heading."""
    return page.locator("section.move").filter(has=page.get_by_role("heading", name=label, exact=True))


def test_a_post_is_approved_changed_and_published(page, log_in, log_out, assert_accessible, demo):
    # 1. The member of staff asks; an empty form says what it needs.
    log_in("staff")
    nav(page, "Business use")
    expect(h1(page)).to_have_text("Business use of social media")
    assert_accessible(page)
    page.get_by_role("link", name="New request").click()
    expect(h1(page)).to_have_text("New business use request")
    assert_accessible(page)
    page.get_by_role("link", name="Post on an official focus account").click()
    expect(page.locator(".policy-quote")).to_contain_text(
        "seek approval to the content from their supervisor"
    )
    page.get_by_label("The proposed content").fill(FIRST_DRAFT)
    page.get_by_role("button", name="Send the request").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="Which account: This field is required.")).to_be_visible()
    expect(page.get_by_label("The proposed content")).to_have_value(FIRST_DRAFT)
    assert_accessible(page)
    page.get_by_label("focus Facebook", exact=True).check()
    page.get_by_role("button", name="Send the request").click()
    expect(status(page)).to_contain_text("has been sent")
    reference = REFERENCE.search(h1(page).inner_text()).group()
    request_page = page.url
    expect(page.locator(".meta").first).to_contain_text("With the supervisor")
    assert_accessible(page)
    log_out()

    # 2. The supervisor asks for a change; a missing reason is refused.
    log_in("supervisor")
    nav(page, "Business use")
    page.get_by_role("row").filter(has_text=reference).get_by_role("link", name=reference).click()
    expect(page.locator(".business-use-details")).to_contain_text(FIRST_DRAFT)
    changes = move(page, "Ask for changes")
    changes.get_by_role("button", name="Ask for changes").click()
    expect(page.get_by_role("alert")).to_contain_text("Reason: This field is required.")
    assert_accessible(page)
    page.get_by_label("Reason").fill(CHANGE_REASON)
    page.get_by_role("button", name="Ask for changes").click()
    expect(status(page)).to_contain_text("ask for changes — done")
    log_out()

    # 3. The member of staff reads why, changes the text and resubmits.
    log_in("staff")
    page.goto(request_page)
    expect(page.get_by_role("heading", name="Changes asked for")).to_be_visible()
    expect(page.locator("main")).to_contain_text(CHANGE_REASON)
    page.get_by_role("link", name="Change and resubmit").click()
    expect(h1(page)).to_have_text(f"Change and resubmit {reference}")
    assert_accessible(page)
    page.get_by_label("The proposed content").fill(SECOND_DRAFT)
    page.get_by_role("button", name="Resubmit").click()
    expect(status(page)).to_contain_text("has been resubmitted")
    log_out()

    # 4. The supervisor approves the content for the communications team.
    log_in("supervisor")
    page.goto(request_page)
    move(page, "Approve the content for the communications team").get_by_role("button").click()
    expect(page.locator(".meta").first).to_contain_text("With the communications team")
    log_out()

    # 5. The communications team publishes it and records where.
    log_in("comms")
    nav(page, "Business use")
    waiting = page.get_by_role("table", name="Requests waiting for your decision")
    waiting.get_by_role("link", name=reference).click()
    expect(page.locator(".business-use-details")).to_contain_text(SECOND_DRAFT)
    publish = move(page, "Record as published")
    expect(publish.get_by_label("Where")).to_have_value("focus Facebook")
    publish.get_by_label("Link").fill("not a link")
    publish.get_by_role("button", name="Record as published").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid URL.")
    expect(page.get_by_label("Link")).to_have_value("not a link")
    assert_accessible(page)
    page.get_by_label("Link").fill("https://facebook.example/focus/posts/42")
    page.get_by_role("button", name="Record as published").click()
    expect(page.locator(".meta").first).to_contain_text("Published")
    expect(page.get_by_role("link", name="https://facebook.example/focus/posts/42")).to_be_visible()
    assert_accessible(page)
    log_out()

    # 6. The requester sees it published and was told; the governance head reads it and can change nothing.
    log_in("staff")
    page.goto(request_page)
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Submitted")
    expect(timeline).to_contain_text("Resubmit")
    expect(timeline).to_contain_text("Record as published")
    page.get_by_role("link", name=re.compile("^Notifications")).click()
    expect(page.locator("main")).to_contain_text(f"Your business use request {reference} is now: published")
    log_out()
    log_in("governance")
    page.goto(request_page)
    expect(h1(page)).to_contain_text(reference)
    expect(page.locator("section.move")).to_have_count(0)
    log_out()
    log_in("staff2")
    response = page.goto(request_page)
    assert response.status == 404
