"""Raising a concern in a real browser: a chosen file survives a form sent back with errors, Enter in the
clause filter does not send the form, clauses are suggested as one types, fields that do not apply are
not in the way, and a draft is saved and reopened. axe-core checks the page in each state."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from cases.models import Case
from tests.browser.pages import h1, nav, status

pytestmark = pytest.mark.browser

RAISE = "/cases/raise/"
SUBJECT = "Jordan Lee"
EVIDENCE = "Evidence (screenshots, PDFs or text files)"
CLAUSE_5_2 = re.compile(r"^5\.2 ")
CLAUSE_6_4 = re.compile(r"^6\.4 ")


def seen_yesterday():
    return (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def open_form(page, log_in):
    log_in("staff")
    nav(page, "Raise a concern")
    expect(h1(page)).to_have_text("Raise a concern about social media")


def test_a_chosen_file_is_kept_across_an_error_and_attached(demo, page, tmp_path, log_in, assert_accessible):
    screenshot = tmp_path / "instagram-post.png"
    Image.new("RGB", (40, 20), (30, 30, 200)).save(screenshot)
    open_form(page, log_in)
    assert_accessible(page)

    page.get_by_label("A colleague (a member of focus staff)").check()
    page.get_by_label("Which colleague is it about?").select_option(label=SUBJECT)
    page.get_by_label("Where was it posted?").select_option(label="Instagram")
    page.get_by_label("When did you see it?").fill(seen_yesterday())
    page.get_by_label(EVIDENCE).set_input_files(screenshot)
    page.get_by_role("button", name="Raise the concern").click()  # without saying what was seen

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="What did you see?: This field is required.")).to_be_visible()
    expect(summary).to_contain_text("The files you chose are kept: you need not choose them again.")
    expect(page.get_by_text("kept: instagram-post.png")).to_be_visible()
    expect(page.get_by_label("remove instagram-post.png")).not_to_be_checked()
    expect(page.locator("#id_platform option:checked")).to_have_text("Instagram")
    assert_accessible(page)

    summary.get_by_role("link", name=re.compile("^What did you see")).click()
    page.get_by_label("What did you see?").fill("A photo of a service user at the day centre, with her name.")
    page.get_by_role("button", name="Raise the concern").click()

    expect(status(page)).to_contain_text(re.compile(r"Your concern has been received as SMP-\d{4}-\d{4}\."))
    reference = re.search(r"SMP-\d{4}-\d{4}", status(page).inner_text()).group()
    expect(page.get_by_role("link", name="instagram-post.png")).to_be_visible()
    case = Case.objects.get(reference=reference)
    assert list(case.evidence.values_list("original_name", "content_type")) == [
        ("instagram-post.png", "image/png")
    ]
    assert case.platform_name() == "Instagram"


def test_enter_in_the_clause_filter_filters_and_does_not_send_the_form(demo, page, log_in, assert_accessible):
    open_form(page, log_in)
    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    clause_filter = page.get_by_label("Filter the clauses")
    clause_filter.fill("5.2")
    clause_filter.press("Enter")
    expect(page.get_by_label(CLAUSE_5_2)).to_be_visible()
    expect(page.get_by_label(CLAUSE_6_4)).to_be_hidden()
    page.wait_for_timeout(300)
    assert sent == []
    expect(page.get_by_role("alert")).to_have_count(0)
    assert page.url.endswith(RAISE)
    assert_accessible(page)


def test_clauses_are_suggested_as_the_description_is_typed(demo, page, log_in, assert_accessible):
    open_form(page, log_in)
    suggestions = page.locator("#clause-suggestions")
    expect(suggestions).to_be_empty()
    page.get_by_label("What did you see?").press_sequentially(
        "She shared confidential information about a service user's care plan.", delay=5
    )
    expect(suggestions).to_contain_text("Suggested from what you wrote")
    suggested = suggestions.locator("label.suggestion")
    expect(suggested.filter(has_text=re.compile(r"^7\.1$"))).to_have_count(1)
    # A suggestion is the clause's own label: choosing it ticks the clause.
    suggested.filter(has_text=re.compile(r"^7\.1$")).click()
    expect(page.get_by_label(re.compile(r"^7\.1 "))).to_be_checked()
    assert_accessible(page)


def test_only_the_fields_that_apply_are_in_the_way(demo, page, log_in, assert_accessible):
    open_form(page, log_in)
    colleague = page.get_by_label("Which colleague is it about?")
    who = page.get_by_label("Who posted it?")
    platform_name = page.get_by_label("Platform name")
    # Nothing chosen yet: neither subject field, and no platform name.
    expect(colleague).to_be_hidden()
    expect(who).to_be_hidden()
    expect(platform_name).to_be_hidden()
    expect(page.locator("#id_platform option:checked")).to_have_text("Choose the platform")

    page.get_by_label("A colleague (a member of focus staff)").check()
    expect(colleague).to_be_visible()
    expect(who).to_be_hidden()
    page.get_by_label("A member of the public").check()
    expect(colleague).to_be_hidden()
    expect(who).to_be_visible()
    # The keyboard goes from the choice to the one field that applies, then on: no stop in between.
    page.get_by_label("A member of the public").focus()
    page.keyboard.press("Tab")
    expect(who).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Where was it posted?")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Links to the posting")).to_be_focused()  # no platform name unless Other
    page.get_by_label("Where was it posted?").select_option(label="Other")
    expect(platform_name).to_be_visible()
    assert_accessible(page)

    # Sent without a name for the platform: the error says so, and the field stays in view.
    page.get_by_role("button", name="Raise the concern").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="Platform name: Name the platform.")).to_be_visible()
    expect(
        summary.get_by_role("link", name=re.compile(r"^Who posted it\?: Say who posted it"))
    ).to_be_visible()
    expect(platform_name).to_be_visible()
    assert_accessible(page)


def test_a_draft_is_saved_and_reopened_from_my_concerns(demo, page, log_in, assert_accessible):
    open_form(page, log_in)
    page.get_by_label("A member of the public").check()
    page.get_by_label("What did you see?").fill("A review naming the day centre's manager.")
    page.get_by_role("button", name="Save as a draft").click()
    expect(status(page)).to_contain_text("Your draft is saved.")
    expect(page.get_by_label("What did you see?")).to_have_value("A review naming the day centre's manager.")
    expect(page.get_by_role("alert")).to_have_count(0)
    assert_accessible(page)

    nav(page, "My concerns")
    page.get_by_role("link", name="A review naming the day centre's manager.").click()
    expect(page.get_by_label("A member of the public")).to_be_checked()
    expect(page.get_by_label("Who posted it?")).to_be_visible()
