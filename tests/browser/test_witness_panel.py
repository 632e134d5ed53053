"""Naming a witness on a case by finding them by name as it is typed (static/js/people-search.js, the
script of the reassign field too). axe-core checks the panel with its matches."""

import pytest
from playwright.sync_api import expect

from cases.models import CLOSED_STAGES, Case

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_case(demo):
    return Case.objects.exclude(stage__in=CLOSED_STAGES).exclude(handler__username="headofservice").first()


def test_a_witness_is_found_as_the_name_is_typed_and_named(demo_case, page, log_in, assert_accessible):
    log_in("governance")
    page.goto(demo_case.get_absolute_url())
    panel = page.locator("#witnesses")
    expect(panel.get_by_text("Nobody is named as a witness.")).to_be_visible()

    panel.get_by_label("Find a witness").press_sequentially("Wrig")
    choice = panel.get_by_role("radio", name="Hannah Wright")
    expect(choice).to_be_visible()
    assert_accessible(page)

    choice.check()
    panel.get_by_role("button", name="Name as a witness").click()
    expect(page.get_by_role("status")).to_contain_text("Hannah Wright is named as a witness.")
    expect(page.locator("#witnesses li", has_text="Hannah Wright")).to_be_visible()
    # Named, so among those who may not handle the case, which only the governance head sees.
    expect(page.locator("#conflicts")).to_contain_text("Hannah Wright is named as a witness.")
