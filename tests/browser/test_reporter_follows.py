"""The reporter follows their concern in a real browser: the stage in plain words and the dates, a message
to those handling it, withdrawing it after the check page; axe-core checks each page, with its errors too."""

import pytest
from playwright.sync_api import expect

from cases.models import TRIAGE_STAGES, Case

pytestmark = pytest.mark.browser

MESSAGE = "I have found a second post from the same account."
REASON = "We talked it through and the post is gone."


@pytest.fixture
def demo_case(demo):
    return Case.objects.filter(stage__in=TRIAGE_STAGES).select_related("reporter", "handler").first()


def test_the_reporter_writes_and_withdraws(demo_case, page, log_in, log_out, assert_accessible):
    log_in(demo_case.reporter.username)
    page.goto(demo_case.get_absolute_url())
    expect(page.get_by_role("region", name="When you will hear")).to_contain_text("by")
    assert_accessible(page)

    page.get_by_role("button", name="Send message").click()
    expect(page.locator(".error-summary")).to_contain_text("This field is required.")
    assert_accessible(page)

    page.get_by_label("Message to the person handling your concern").fill(MESSAGE)
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("main .messages[role=status]")).to_have_text("Your message has been sent.")
    expect(page.get_by_role("region", name="Progress and messages")).to_contain_text(MESSAGE)

    page.get_by_label("Why do you want to withdraw it?").fill(REASON)
    page.get_by_role("button", name="Withdraw my concern").click()
    expect(page.locator("#confirm-what")).to_contain_text("keep a service user safe")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".panel .stage")).to_have_text("Withdrawn by you")
    assert_accessible(page)
    log_out()

    log_in(demo_case.handler.username)
    page.goto(demo_case.get_absolute_url())
    expect(page.locator("#withdrawal")).to_contain_text("If the policy requires it to go on regardless")
    expect(page.get_by_role("region", name="Timeline")).to_contain_text(MESSAGE)
    assert_accessible(page)
