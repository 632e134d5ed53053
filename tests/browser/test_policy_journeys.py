"""People's journeys through the Social Media Policy, in a real browser, checked with axe on every page."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from playwright.sync_api import expect

from policies import services
from policies.models import Policy

pytestmark = pytest.mark.browser

POLICY = "Social Media Policy"
CLAUSE_6_4 = re.compile(r"^6\.4 ")


def open_policy(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Policies").click()
    page.get_by_role("link", name=POLICY, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(POLICY)


def test_staff_reads_clause_and_acknowledges_policy(demo, page, live_server, log_in, assert_accessible):
    log_in("staff")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Alex")
    to_read = page.get_by_role("region", name="Policies to read and acknowledge")
    expect(to_read).to_contain_text(f"{POLICY}, version 1")
    assert_accessible(page)

    to_read.get_by_role("link", name=POLICY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(POLICY)
    assert_accessible(page)

    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name=re.compile("personal capacity", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"#section-5$"))
    expect(page.locator("#section-5-heading")).to_be_in_viewport()

    page.get_by_role("link", name="5.2", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/policies/social-media-policy/5.2/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{POLICY}, clause 5.2")
    items = page.locator(".clause-items li")
    expect(items).to_have_count(7)
    for item in items.all():
        expect(item).to_be_visible()
    expect(items.first).to_contain_text("Staff must be aware of their association with focus")
    assert_accessible(page)

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=f"{POLICY} v1").click()
    page.get_by_role("button", name="I have read and understood this policy").click()
    expect(page.get_by_role("status")).to_have_text(f"Thank you: you have acknowledged {POLICY}, version 1.")
    today = date_format(timezone.localdate(), "j F Y")
    expect(page.get_by_text(f"You acknowledged this version on {today}.")).to_be_visible()
    expect(page.get_by_role("button", name="I have read and understood this policy")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page.get_by_text("You have acknowledged every current policy.")).to_be_visible()
    expect(page.get_by_role("heading", name="Policies to read and acknowledge")).to_have_count(0)
    assert_accessible(page)


def test_staff_searches_and_comments_then_governance_replies(demo, page, log_in, log_out, assert_accessible):
    log_in("staff")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Policies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Policies")
    assert_accessible(page)

    page.get_by_role("search").get_by_label("Search the policies").fill("confidential information")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(re.compile(r"^\d+ clauses? found$"))
    results = page.locator(".results h3 a")
    expect(results.filter(has_text=f"{POLICY}, clause 5.2")).to_have_count(1)
    marked = [text.lower() for text in page.locator(".results mark").all_text_contents()]
    assert any(text.startswith("confidential") for text in marked), marked
    assert_accessible(page)

    first = results.first
    number = re.fullmatch(rf"{POLICY}, clause (\d+\.\d+)", first.inner_text()).group(1)
    first.click()
    expect(page).to_have_url(re.compile(rf"/policies/social-media-policy/{re.escape(number)}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{POLICY}, clause {number}")

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=f"{POLICY} v1").click()
    page.get_by_role("link", name="6.4", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{POLICY}, clause 6.4")
    expect(page.locator("#id_clause option:checked")).to_have_text(CLAUSE_6_4)
    assert_accessible(page)

    suggestion = "Which professional forums count as approved for sharing best practice?"
    page.get_by_label("Your comment or suggestion").fill(suggestion)
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_role("status")).to_have_text(
        "Thank you: your comment has been sent to the policy owner."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Comment on clause 6.4")
    expect(page.locator("blockquote")).to_have_text(suggestion)
    expect(page.get_by_text("No replies yet.")).to_be_visible()
    assert_accessible(page)

    # A comment of nothing but spaces passes the browser's `required` check; the server refuses it.
    page.get_by_role("link", name="Read clause 6.4").click()
    page.get_by_label("Your comment or suggestion").fill("   ")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".field-error .error")).to_have_text("This field is required.")
    expect(page.get_by_label("Your comment or suggestion")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_clause option:checked")).to_have_text(CLAUSE_6_4)
    yours = page.get_by_role("region", name="Your comments")
    expect(yours.locator("tbody tr")).to_have_count(1)
    assert_accessible(page)

    log_out()
    log_in("governance")
    open_policy(page)
    page.get_by_role("link", name="Comment on this policy").click()
    every = page.get_by_role("region", name="All comments")
    row = every.get_by_role("row").filter(has_text=suggestion)
    expect(row).to_contain_text("Alex Morgan")
    expect(row).to_contain_text("Open")
    expect(every.get_by_role("row").filter(has_text="Jordan Lee")).to_have_count(1)
    assert_accessible(page)

    row.get_by_role("link", name=suggestion).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comment on clause 6.4")
    answer = "The approved forums will be listed in the next review of the policy."
    page.get_by_label("Reply", exact=True).fill(answer)
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status")).to_have_text("Your reply has been added.")
    expect(page.locator(".reply")).to_contain_text(answer)
    page.get_by_role("button", name="Mark as addressed").click()
    expect(page.locator(".meta .tag")).to_have_text("Addressed")
    expect(page.get_by_role("button", name="Reopen this comment")).to_be_visible()
    assert_accessible(page)

    log_out()
    log_in("staff")
    open_policy(page)
    page.get_by_role("link", name="Comment on this policy").click()
    row = page.get_by_role("region", name="Your comments").get_by_role("row").filter(has_text=suggestion)
    expect(row.locator("td").nth(3)).to_have_text("1")
    expect(row.locator("td").nth(4)).to_have_text("Addressed")
    row.get_by_role("link", name=suggestion).click()
    expect(page.locator(".reply")).to_contain_text("Grace Okafor")
    expect(page.locator(".reply")).to_contain_text(answer)
    assert_accessible(page)


def test_acknowledgement_report_for_supervisor_and_governance(demo, page, log_in, log_out, assert_accessible):
    names = page.locator("tbody tr td:first-child")

    log_in("supervisor")
    open_policy(page)
    page.get_by_role("link", name="Who has acknowledged it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Who has acknowledged the {POLICY}")
    expect(page.get_by_text("The staff you supervise.")).to_be_visible()
    expect(names).to_have_text(["Alex Morgan"])
    expect(page.get_by_role("row").filter(has_text="Alex Morgan")).to_contain_text("Not yet")
    expect(page.get_by_label("Team")).to_have_count(0)
    assert_accessible(page)

    log_out()
    log_in("governance")
    open_policy(page)
    page.get_by_role("link", name="Who has acknowledged it").click()
    expect(page.get_by_text("All staff.")).to_be_visible()
    expect(names).to_have_count(10)

    page.get_by_label("Team").select_option(label="Supported Living")
    page.get_by_role("button", name="Filter").click()
    expect(names).to_have_text(["Sian Davies", "Jordan Lee"])
    expect(page.locator("main")).to_contain_text("1 of 2 have acknowledged it.")

    page.get_by_label("Team").select_option(label="Community Support")
    page.get_by_label("Show").select_option(label="Not yet acknowledged")
    page.get_by_role("button", name="Filter").click()
    expect(names).to_have_text(["Alex Morgan"])
    expect(page.get_by_label("Show")).to_have_value("outstanding")
    expect(page.locator("main")).to_contain_text("2 of 3 have acknowledged it.")
    assert_accessible(page)


def test_governance_compares_draft_and_brings_review_forward(demo, page, log_in, assert_accessible):
    policy = Policy.objects.get(title=POLICY)
    text = (settings.BASE_DIR / "data" / "social-media-policy.txt").read_text(encoding="utf-8")
    services.policy_import(
        text=text.replace(
            "Staff should therefore avoid making controversial comments",
            "Staff must therefore avoid making controversial or unkind comments",
        ),
        title=POLICY,
    )
    current_review = policy.current_version().next_review_date

    log_in("governance")
    open_policy(page)
    page.get_by_role("link", name="Compare versions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Compare versions of the {POLICY}")
    assert_accessible(page)
    page.get_by_label("Compare version").select_option("1")
    page.get_by_label("with version").select_option("2")
    page.get_by_role("button", name="Compare").click()
    changed = page.locator("tr.change-changed")
    expect(changed).to_have_count(1)
    expect(changed.get_by_role("rowheader")).to_have_text("5.3")
    expect(changed.locator("del")).to_contain_text(["should"])
    assert "unkind" in " ".join(changed.locator("ins").all_text_contents())
    assert_accessible(page)

    open_policy(page)
    page.get_by_role("link", name="Bring the review forward").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bring the review of the {POLICY} forward")
    expect(page.get_by_text(date_format(current_review, "j F Y"))).to_be_visible()
    assert_accessible(page)

    today = timezone.localdate()
    reason = "The Online Safety Act guidance for employers has been published."
    page.get_by_label("New review date").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Reason", exact=True).fill(reason)
    page.get_by_role("button", name="Bring the review forward").click()
    problem = page.get_by_role("alert")
    expect(problem).to_contain_text("There is a problem")
    expect(problem).to_contain_text("The new review date cannot be in the past.")
    expect(page.get_by_label("Reason", exact=True)).to_have_value(reason)
    assert_accessible(page)

    new_date = today + timedelta(days=30)
    page.get_by_label("New review date").fill(new_date.isoformat())
    page.get_by_role("button", name="Bring the review forward").click()
    expect(page.get_by_role("status")).to_have_text(f"The review is now due on {new_date:%d %B %Y}.")
    expect(page.locator("main .meta").first).to_contain_text(f"next review {date_format(new_date, 'j F Y')}")
    history = page.get_by_role("region", name="Review date changes")
    expect(history).to_contain_text(
        f"from {date_format(current_review, 'j M Y')} to {date_format(new_date, 'j M Y')} — {reason}"
    )
    assert_accessible(page)


def test_login_page_skip_link_is_first_tab_stop_and_visible(page, assert_accessible):
    page.goto("/accounts/login/")
    assert_accessible(page)
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Username", exact=True)).to_be_focused()
