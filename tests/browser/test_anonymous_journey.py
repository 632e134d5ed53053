"""Anonymous reporting in a real browser: from the sign-in page, a report with an error first, the receipt
key, then following the report with it and writing to the handler. axe-core checks every page, error
states included, and the browser holds no cookie but CSRF's at the end."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from tests.browser.pages import h1

pytestmark = pytest.mark.browser

KEY = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$")


def test_report_anonymously_then_follow_it_with_the_key(demo, page, assert_accessible):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Report anonymously").click()
    expect(h1(page)).to_have_text("Report a concern anonymously")
    assert_accessible(page)

    # First without saying who the colleague is: the error, and nothing sent.
    page.get_by_label("A colleague (a member of focus staff)").check()
    page.get_by_label("Where was it posted?").select_option(label="Facebook")
    seen = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("When did you see it?").fill(seen)
    page.get_by_label("What did you see?").fill("A colleague posted a photo of a service user's room.")
    page.get_by_role("button", name="Send the report anonymously").click()
    expect(page.get_by_role("alert")).to_contain_text("Say who the colleague is")
    assert_accessible(page)
    assert not Case.objects.filter(raised_anonymously=True).exists()

    page.get_by_label("Who posted it?").fill("A support worker at the day centre")
    page.get_by_role("button", name="Send the report anonymously").click()
    expect(h1(page)).to_have_text("Your report has been sent")
    key = page.locator(".receipt-key code").inner_text()
    assert KEY.match(key)
    assert_accessible(page)

    page.get_by_role("link", name="follow your report").click()
    expect(h1(page)).to_have_text("Follow an anonymous report")
    page.get_by_label("Your receipt key").fill("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    page.get_by_role("button", name="Open the report").click()
    expect(page.get_by_role("alert")).to_contain_text("That key does not open a report.")
    assert_accessible(page)

    page.get_by_label("Your receipt key").fill(key.lower())
    page.get_by_role("button", name="Open the report").click()
    expect(h1(page)).to_have_text(re.compile(r"^Your anonymous report SMP-\d{4}-\d{4}$"))
    expect(
        page.get_by_text("Received: it is waiting for the person who will look at it first")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_role("alert")).to_contain_text("Write the message before sending it.")
    assert_accessible(page)
    page.get_by_label("Message to the person handling your report").fill("It was posted on Monday evening.")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_role("status")).to_have_text("Your message was sent.")
    expect(page.get_by_text("It was posted on Monday evening.")).to_be_visible()
    assert_accessible(page)

    assert {cookie["name"] for cookie in page.context.cookies()} <= {"csrftoken"}
    case = Case.objects.get(raised_anonymously=True)
    assert case.reporter is None and case.handler is not None
