"""Reassigning a case by finding the person by name: as it is typed (static/js/people-search.js), and with
JavaScript off through the Find button. axe-core checks the panel with its matches."""

import pytest
from playwright.sync_api import expect

from cases.models import CLOSED_STAGES, Case
from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

REASON = "Grace is taking this one on herself."


def open_case(demo_case, page):
    page.goto(demo_case.get_absolute_url())
    return page.locator("#reassign")


@pytest.fixture
def demo_case(demo):
    return Case.objects.exclude(stage__in=CLOSED_STAGES).exclude(handler__username="headofservice").first()


def test_matches_appear_as_the_name_is_typed(demo_case, page, log_in, assert_accessible):
    log_in("governance")
    panel = open_case(demo_case, page)
    expect(panel.get_by_text("Find the person first.")).to_be_visible()

    # Harun Shah heads the service of the colleague the concern is about: never offered (cases.conflicts).
    panel.get_by_label("Find who should handle it").press_sequentially("Sha")
    expect(panel.get_by_text("Nobody who can take this case matches “Sha”.")).to_be_visible()
    panel.get_by_label("Find who should handle it").fill("")
    panel.get_by_label("Find who should handle it").press_sequentially("Oka")
    choice = panel.get_by_role("radio", name="Grace Okafor")
    expect(choice).to_be_visible()
    assert_accessible(page)

    choice.check()
    panel.get_by_label("Reason").fill(REASON)
    panel.get_by_role("button", name="Reassign").click()
    expect(page.get_by_text(f"{demo_case.reference} is now handled by Grace Okafor.")).to_be_visible()


def test_without_javascript_the_find_button_lists_the_matches(demo_case, browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username", exact=True).fill("governance")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    panel = open_case(demo_case, page)
    panel.get_by_label("Find who should handle it").fill("okafor")
    panel.get_by_role("button", name="Find").click()
    panel = page.locator("#reassign")
    panel.get_by_role("radio", name="Grace Okafor").check()
    panel.get_by_label("Reason").fill(REASON)
    panel.get_by_role("button", name="Reassign").click()
    expect(page.get_by_text(f"{demo_case.reference} is now handled by Grace Okafor.")).to_be_visible()
    context.close()
